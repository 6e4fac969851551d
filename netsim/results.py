"""A run directory, read back: one pandas DataFrame per table, concatenated over finished trials."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from netsim.journal import kept
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
        return not self.store.unfinished()

    def tables(self) -> list[str]:
        """The names of the stored tables."""
        return self.store.table_names()

    def table(self, name: str) -> pd.DataFrame:
        """Table ``name`` of every finished trial, in (variant, trial) order."""
        return self.store.read(name)

    def trial_times(self) -> pd.DataFrame:
        """What each finished trial took to compute, where its part recorded it (runs before
        timing was recorded did not): ``variant`` (name), ``trial``, ``wall_s``, ``cpu_s``,
        ``host``, ``replayed_batches`` (docs/tables.md)."""
        times = self.store.timings()
        names = [variant["name"] for variant in self.config["variants"]]
        return times.assign(variant=[names[index] for index in times["variant"]])

    def progress(self, under_way: pd.DataFrame | None = None) -> pd.DataFrame:
        """Per variant: trials ``finished`` of ``trials``, the mean wall time of its timed trials
        (``wall_s_per_trial``) and ``remaining_wall_s``: its number of unfinished trials times
        that mean (for a variant with no timed trial, the mean over all timed trials; NaN if there
        are none), less the wall time its trials under way hold in their journals (each at most
        that mean). ``under_way`` is a table :meth:`under_way` returned, for a caller that shows
        it too: the estimate then agrees with the journals it shows (they grow while a run goes
        on) and reads them once; by default they are read here."""
        config = self.config
        names = [variant["name"] for variant in config["variants"]]
        finished = pd.Series(0, index=names)
        for variant_index, _ in self.store.finished():
            finished.iloc[variant_index] += 1
        times = self.trial_times()
        overall = times["wall_s"].mean() if "wall_s" in times else float("nan")
        per_trial = (
            times.groupby("variant")["wall_s"].mean().reindex(names)
            if "wall_s" in times
            else pd.Series(float("nan"), index=names)
        ).fillna(overall)
        table = pd.DataFrame(
            {"finished": finished, "trials": config["trials"], "wall_s_per_trial": per_trial}
        )
        unfinished = table["trials"] - table["finished"]
        if under_way is None:
            under_way = self.under_way()
        done = (
            under_way["wall_s_kept"]
            .clip(upper=per_trial.reindex(under_way["variant"]).to_numpy())
            .groupby(under_way["variant"])
            .sum()
            .reindex(names, fill_value=0.0)
        )
        table["remaining_wall_s"] = (unfinished * per_trial - done).where(unfinished > 0, 0.0)
        return table.rename_axis("variant").reset_index()

    def under_way(self) -> pd.DataFrame:
        """The unfinished trials that a rollout journal holds batches of (an interrupted run, or
        one running now: running the same command again replays them): ``variant`` (name),
        ``trial``, ``batches_kept`` and ``wall_s_kept``, the wall time computing them took."""
        names = [variant["name"] for variant in self.config["variants"]]
        rows = []
        for (variant, trial), folder in self.store.journalled().items():
            journal = kept(folder)
            rows.append(
                {
                    "variant": names[variant],
                    "trial": trial,
                    "batches_kept": journal.batches,
                    "wall_s_kept": journal.wall_s,
                }
            )
        return pd.DataFrame(rows, columns=["variant", "trial", "batches_kept", "wall_s_kept"])

    def to_pandas(self) -> pd.DataFrame:
        """The metrics table: one row per (variant, trial, episode, agent)."""
        return self.table("metrics")

    def plot(self, out: str | Path | None = None, estimator: str | None = None) -> list[Path]:
        """Draw the report's panels and reward against simulated time into ``out`` (default
        ``plots/`` in the run directory), the reward panel cumulative if the scenario asks for it,
        and link utilisation over time (``link_load.png``) if the run recorded it, each as PNG
        with a PDF beside it; returns the PNG files written (none while no trial has finished). ``estimator`` names what lines and
        bands show across trials (:mod:`analysis.estimators`: ``mean-ci``, the default, the mean
        and its 95% bootstrap confidence interval; ``median-iqr``; ``mean-p10-p90``, the
        report's); every variant keeps one look in all of them, by its place in the run."""
        # analysis sits above netsim: imported on use
        from analysis.estimators import DEFAULT_ESTIMATOR, check_estimator
        from analysis.network_plots import link_load_figure
        from analysis.plots import plot_run
        from analysis.style import save

        estimator = DEFAULT_ESTIMATOR if estimator is None else estimator
        check_estimator(estimator)
        if not self.store.finished():
            return []
        out_dir = Path(out) if out else self.directory / "plots"
        written = plot_run(
            self.to_pandas(),
            out_dir,
            cumulative=bool(self.config.get("cumulative_reward", False)),
            estimator=estimator,
            variants=[variant["name"] for variant in self.config["variants"]],
        )
        if "link_load" in self.tables():
            load = link_load_figure(self.table("link_load"), estimator=estimator)
            written.append(save(load, out_dir / "link_load.png"))
        return written
