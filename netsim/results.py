"""A run directory, read back: one pandas DataFrame per table, concatenated over finished trials."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from netsim.store import RunStore


class Results:
    """The stored results of one scenario or sweep, finished or not (see :attr:`complete`).

    Every table a trial returned (``metrics``; ``links``, ``messages`` where the simulation made
    them) is read by name with :meth:`table`, each row labelled with variant, algorithm and trial.
    """

    def __init__(self, directory: str | Path) -> None:
        self.store = RunStore(directory)
        self.directory = self.store.directory

    @property
    def config(self) -> dict[str, Any]:
        """The scenario as run, every setting resolved."""
        return self.store.request["scenario"]

    @property
    def complete(self) -> bool:
        """Whether every trial of every variant has finished."""
        return len(self.store.finished()) == len(self.store.request["units"])

    def tables(self) -> list[str]:
        """The names of the stored tables."""
        return self.store.table_names()

    def table(self, name: str) -> pd.DataFrame:
        """Table ``name`` of every finished trial, in (variant, trial) order."""
        return self.store.read(name)

    def to_pandas(self) -> pd.DataFrame:
        """The metrics table: one row per (variant, trial, episode, agent)."""
        return self.table("metrics")

    def plot(self, out: str | Path | None = None) -> list[Path]:
        """Draw the report's panels and reward against simulated time into ``out`` (default
        ``plots/`` in the run directory), the reward panel cumulative if the scenario asks for it;
        returns the files written."""
        from analysis.plots import plot_run  # analysis sits above netsim: imported on use

        return plot_run(
            self.to_pandas(),
            Path(out) if out else self.directory / "plots",
            cumulative=bool(self.config.get("cumulative_reward", False)),
        )
