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
        ``plots/`` in the run directory), the reward panel cumulative if the scenario asks for it,
        and link utilisation over time (``link_load.png``) if the run recorded it; returns the
        files written."""
        # analysis sits above netsim: imported on use
        from analysis.network_plots import link_load_figure
        from analysis.plots import plot_run, save

        out_dir = Path(out) if out else self.directory / "plots"
        written = plot_run(
            self.to_pandas(),
            out_dir,
            cumulative=bool(self.config.get("cumulative_reward", False)),
        )
        if "link_load" in self.tables():
            load = link_load_figure(self.table("link_load"))
            written.append(save(load, out_dir / "link_load.png"))
        return written
