"""What each variant of a central-against-gossip study ends with, across its trials.

Per variant, over its trials (10th, 50th and 90th percentiles by the inverted empirical CDF, as
:func:`analysis.targets.target_summary`; a trial that never reaches the target counts as ``inf``):

- ``time_s``: the mean agent's time to target (:func:`analysis.targets.time_to_target`);
- ``worst_time_s``: the worst agent's (:func:`analysis.targets.worst_agent_time_to_target`);
  under the central pattern every agent plays the learner's policy, so it is left NaN;
- ``final_reward``: the mean reward over the trial's last ``window`` rounds, all agents;
- ``lost_per_round``: messages that failed (an outage under ``on_outage="fail"``) per agent per
  round, the mean of the metrics' ``lost`` (a central row counts its policy and its uplink, a
  gossip row every message the agent sent its neighbours).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

import netsim
from analysis import style
from analysis.aggregate import per_trial
from analysis.estimators import trial_count
from analysis.targets import time_to_target, worst_agent_time_to_target

QUANTILES = {"p10": 0.1, "median": 0.5, "p90": 0.9}


def _quantiles(values: pd.Series, name: str) -> dict[str, float]:
    array = values.to_numpy(dtype=float)
    return {
        f"{name}_{label}": float(np.quantile(array, q, method="inverted_cdf"))
        for label, q in QUANTILES.items()
    }


def outcome_table(metrics: pd.DataFrame, points: pd.DataFrame, window: int = 10) -> pd.DataFrame:
    """One row per variant of ``points`` (columns ``variant``, ``target`` and any others, kept):
    trials, reached, and the quantiles of the module docstring's measures."""
    rows = []
    for point in points.to_dict("records"):
        of_variant = metrics[metrics["variant"] == point["variant"]]
        if of_variant.empty:
            continue
        reached = time_to_target(of_variant, point["target"])
        rounds = per_trial(of_variant)
        final = rounds.groupby("trial")["mu_reward"].apply(lambda r: r.tail(window).mean())
        row = {**point, "trials": len(reached), "reached": int(reached["reached"].sum())}
        row |= _quantiles(reached["time_s"], "time_s")
        if "policy_version" in of_variant and of_variant["policy_version"].notna().any():
            row |= {f"worst_time_s_{label}": np.nan for label in QUANTILES}
        else:
            worst = worst_agent_time_to_target(of_variant, point["target"])
            row |= _quantiles(worst["time_s"], "worst_time_s")
        row |= _quantiles(final, "final_reward")
        row["lost_per_round"] = float(of_variant["lost"].mean())
        rows.append(row)
    return pd.DataFrame(rows)


def outcome_figure(table: pd.DataFrame, value_label: str) -> Figure:
    """Time to target (mean agent, and worst agent dotted) and final reward against the swept
    ``value``, one line per ``series`` through the medians, 10-90 bands shaded, each series one
    look in both panels; a median of ``inf`` is drawn as the series' hollow marker at the time
    panel's top edge, each series a step lower so that none hides another."""
    return _outcome_figure(table, value_label)


_DODGE = 1.12
"""Factor between the "never" markers of successive series on the (log) time axis."""


@style.styled
def _outcome_figure(table: pd.DataFrame, value_label: str) -> Figure:
    palette = style.Palette(table["series"])
    fig = style.figure(style.PAGE_IN)
    time_ax, reward_ax = fig.subplots(1, 2)
    finite = table[["time_s_p10", "time_s_median"]].to_numpy(dtype=float)
    top = float(np.nanmax(finite[np.isfinite(finite)], initial=1.0)) * 1.5
    for k, (series, rows) in enumerate(table.groupby("series", sort=False)):
        look = palette[str(series)]
        x = rows["value"].to_numpy(dtype=float)
        median = rows["time_s_median"].to_numpy(dtype=float)
        never = ~np.isfinite(median)
        time_ax.plot(x, np.where(never, np.nan, median), color=look.colour, marker=look.marker)
        time_ax.fill_between(
            x, np.minimum(rows["time_s_p10"], top), np.minimum(rows["time_s_p90"], top),
            alpha=style.BAND_ALPHA, color=look.colour, linewidth=0,
        )  # fmt: skip
        time_ax.plot(x[never], np.full(never.sum(), top / _DODGE**k), look.marker,
                     markerfacecolor="none", color=look.colour)  # fmt: skip
        worst = rows["worst_time_s_median"].to_numpy(dtype=float)
        if np.isfinite(worst).any():
            time_ax.plot(x, np.where(np.isfinite(worst), worst, np.nan), ":", color=look.colour)
        reward_ax.plot(x, rows["final_reward_median"], color=look.colour, marker=look.marker)
        reward_ax.fill_between(
            x, rows["final_reward_p10"], rows["final_reward_p90"],
            alpha=style.BAND_ALPHA, color=look.colour, linewidth=0,
        )  # fmt: skip
    time_ax.set(title="time to target", xlabel=value_label, ylabel="simulated seconds",
                yscale="log")  # fmt: skip
    time_ax.set_ylim(top=top * 1.2)
    reward_ax.set(title="final reward", xlabel=value_label, ylabel="reward")
    names = list(pd.unique(table["series"]))
    handles = [style.handle(palette[name], marker=True) for name in names]
    title = (
        f"line: median of {trial_count(table['trials'])} (a trial that never reaches the target "
        "counts as infinite); band: 10th-90th percentile;\n"
        "dotted: the worst agent's median time; hollow marker on the top edge: fewer than half "
        "the trials reach the target"
    )
    style.legend_below(fig, handles, names, title)
    return fig


def report(directory: str | Path, points: pd.DataFrame, value_label: str) -> list[Path]:
    """Write ``outcomes.csv`` (:func:`outcome_table`) and ``outcomes.png``
    (:func:`outcome_figure`) into the run's ``plots/``; returns their paths."""
    metrics = netsim.Results(directory).to_pandas()
    out = Path(directory) / "plots"
    out.mkdir(parents=True, exist_ok=True)
    table = outcome_table(metrics, points)
    table.to_csv(out / "outcomes.csv", index=False)
    return [
        out / "outcomes.csv",
        style.save(outcome_figure(table, value_label), out / "outcomes.png"),
    ]


def merge_table(directory: str | Path, points: pd.DataFrame) -> pd.DataFrame:
    """For each variant with a ``merge_round`` M (the ring with a final merge) and its plain ring
    counterpart (form ``ring``, same series): the medians across trials of the mean consensus
    distance and greedy-policy agreement after rounds M - 1 and M, of the bytes on the wire in
    round M (every message of it), and of round M's duration over the median round's."""
    results = netsim.Results(directory)
    metrics, consensus = results.to_pandas(), results.table("consensus")
    rows = []
    for point in points[points["merge_round"].notna()].to_dict("records"):
        merge = int(point["merge_round"])
        plain = points[(points["series"] == point["series"]) & (points["form"] == "ring")]
        for variant in [point["variant"], *plain["variant"]]:
            rounds = per_trial(metrics[metrics["variant"] == variant])
            if rounds.empty:
                continue
            durations = rounds.groupby("trial")["round_end_s"].diff()
            rounds = rounds.assign(duration_s=durations)
            at = rounds[rounds["episode"] == merge]
            typical = rounds.groupby("trial")["duration_s"].median()
            agreed = consensus[consensus["variant"] == variant]
            by_round = agreed.groupby(["trial", "episode"])[["distance", "greedy_agreement"]].mean()
            row = {"variant": variant, "series": point["series"], "merge_round": merge}
            for label, round_ in (("before", merge - 1), ("after", merge)):
                values = by_round.xs(round_, level="episode")
                row[f"distance_{label}"] = float(values["distance"].median())
                row[f"greedy_agreement_{label}"] = float(values["greedy_agreement"].median())
            row["round_wire_bytes"] = float(at["total_wire_bytes"].median())
            row["round_duration_over_typical"] = float(
                (at.set_index("trial")["duration_s"] / typical).median()
            )
            rows.append(row)
    return pd.DataFrame(rows)


def merge_figure(table: pd.DataFrame) -> Figure:
    """Per series, each form's final reward: the median across trials as a point, the 10-90
    band as an error bar, each form one look in every panel."""
    return _merge_figure(table)


@style.styled
def _merge_figure(table: pd.DataFrame) -> Figure:
    series = list(pd.unique(table["series"]))
    palette = style.Palette(table["form"])
    fig = style.figure(style.COLUMN_IN if len(series) == 1 else style.PAGE_IN)
    for ax, name in zip(fig.subplots(1, len(series), squeeze=False)[0], series, strict=True):
        rows = table[table["series"] == name]
        for position, (_, row) in enumerate(rows.iterrows()):
            look = palette[row["form"]]
            median = row["final_reward_median"]
            errors = [[median - row["final_reward_p10"]], [row["final_reward_p90"] - median]]
            ax.errorbar(position, median, yerr=errors, fmt=look.marker, color=look.colour,
                        capsize=4)  # fmt: skip
        ax.set_xticks(range(len(rows)), rows["form"])
        ax.margins(x=0.3)
        ax.set(title=name, ylabel="final reward")
    names = list(pd.unique(table["form"]))
    handles = [style.handle(palette[name], marker=True, line=False) for name in names]
    title = (
        f"point: median final reward of {trial_count(table['trials'])}; bar: 10th-90th percentile"
    )
    style.legend_below(fig, handles, names, title)
    return fig


def merge_report(directory: str | Path, points: pd.DataFrame) -> list[Path]:
    """Write ``outcomes.csv`` (:func:`outcome_table` over the rounds after the merge),
    ``merge.csv`` (:func:`merge_table`) and ``outcomes.png`` (:func:`merge_figure`) into the
    run's ``plots/``; returns their paths."""
    metrics = netsim.Results(directory).to_pandas()
    out = Path(directory) / "plots"
    out.mkdir(parents=True, exist_ok=True)
    after = int(metrics["episode"].max()) - int(points["merge_round"].max())
    table = outcome_table(metrics, points, window=after)
    table.to_csv(out / "outcomes.csv", index=False)
    merge_table(directory, points).to_csv(out / "merge.csv", index=False)
    return [
        out / "outcomes.csv",
        out / "merge.csv",
        style.save(merge_figure(table), out / "outcomes.png"),
    ]
