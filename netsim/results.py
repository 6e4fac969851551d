"""A run directory, read back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

CONFIG_FILE = "config.json"
METRICS_FILE = "metrics.parquet"


class Results:
    """The stored results of one scenario run."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        if not (self.directory / METRICS_FILE).exists():
            raise FileNotFoundError(f"{self.directory} holds no {METRICS_FILE}: not a finished run")

    @property
    def config(self) -> dict[str, Any]:
        return json.loads((self.directory / CONFIG_FILE).read_text())

    def to_pandas(self) -> pd.DataFrame:
        """One row per (variant, trial, episode, agent)."""
        return pd.read_parquet(self.directory / METRICS_FILE)

    def plot(self, out: str | Path | None = None) -> list[Path]:
        """Draw the report's panels and reward against simulated time into ``out`` (default
        ``plots/`` in the run directory); returns the files written."""
        from analysis.plots import plot_run  # analysis sits above netsim: imported on use

        return plot_run(self.to_pandas(), Path(out) if out else self.directory / "plots")
