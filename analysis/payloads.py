"""What a payload's form costs and buys: time to target against the bytes each agent moves per
round, for sweeps whose series are named ``"PROBLEM, FORM"`` (``"DQL, delta"``,
``"ES gossip, int8"``): the same problem with its payloads carried in different forms.

``payload_summary`` is :func:`analysis.sweep.sweep_summary` with two more columns per variant,
the mean wire bytes per agent-round

    policy_bytes = mean over (trial, round, agent) of the policy's downlink bytes (central) or
                   the parameters sent to neighbours (gossip)
    report_bytes = mean over (trial, round, agent) of the report and notice bytes sent

and the series split into ``problem`` and ``form``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import LogFormatter

from analysis import style
from analysis.markdown import si
from analysis.sweep import sweep_summary

POLICY_COLUMNS = ("downlink_wire_bytes", "params_wire_bytes")
REPORT_COLUMNS = ("wire_bytes", "control_wire_bytes")


def payload_summary(metrics: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """Per variant of ``points``: ``problem``, ``form``, the sweep summary (time, episodes and
    bytes to target), ``policy_bytes`` and ``report_bytes`` (module docstring)."""
    summary = sweep_summary(metrics, points)
    if not summary["series"].str.contains(", ").all():
        bad = summary.loc[~summary["series"].str.contains(", "), "series"].iloc[0]
        raise ValueError(f"series {bad!r} is not named 'PROBLEM, FORM'")
    per_row = pd.DataFrame(
        {
            "variant": metrics["variant"],
            "policy_bytes": _summed(metrics, POLICY_COLUMNS),
            "report_bytes": _summed(metrics, REPORT_COLUMNS),
        }
    )
    means = per_row.groupby("variant", sort=False).mean().reset_index()
    split = summary["series"].str.rsplit(", ", n=1, expand=True)
    summary = summary.assign(problem=split[0], form=split[1])
    return summary.merge(means, on="variant", how="left")


def _summed(metrics: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series:
    present = [column for column in columns if column in metrics]
    return metrics[present].fillna(0).sum(axis=1)


@style.styled
def payload_figure(summary: pd.DataFrame, value_label: str) -> Figure:
    """One panel per problem (two to a row of the page width): each form's median time to target
    (10th-90th percentile bars) at each swept bandwidth, a bandwidth one look throughout; a form
    whose median trial never reached the target is marked x at the top."""
    problems = list(dict.fromkeys(summary["problem"]))
    rows = -(-len(problems) // 2)
    figure = style.figure(style.PAGE_IN, rows)
    axes = figure.subplots(rows, 2, squeeze=False).ravel()
    values = list(dict.fromkeys(summary["value"]))
    palette = style.Palette(si(value) for value in values)
    for ax, problem in zip(axes, problems, strict=False):
        rows_of = summary[summary["problem"] == problem]
        forms = list(dict.fromkeys(rows_of["form"]))
        width = 0.6 / len(values)
        for k, value in enumerate(values):
            look = palette[si(value)]
            at = rows_of[rows_of["value"] == value].set_index("form").reindex(forms)
            x = np.arange(len(forms)) + (k - (len(values) - 1) / 2) * width
            median = at["time_s_median"].to_numpy(dtype=float)
            finite = np.isfinite(median)
            low = median[finite] - at["time_s_p10"].to_numpy(dtype=float)[finite]
            high = at["time_s_p90"].to_numpy(dtype=float)[finite] - median[finite]
            ax.errorbar(
                x[finite], median[finite], yerr=[low, np.where(np.isfinite(high), high, 0)],
                fmt=look.marker, capsize=2, color=look.colour, linestyle="none",
            )  # fmt: skip
            ax.plot(x[~finite], np.full((~finite).sum(), 0.97), "x", color=look.colour,
                    transform=ax.get_xaxis_transform())  # fmt: skip
        ax.set_xticks(range(len(forms)), forms)
        ax.set_title(problem)
        if not np.isfinite(rows_of["time_s_median"].to_numpy(dtype=float)).any():
            ax.set_yticks([])
            ax.text(0.5, 0.5, "no median trial\nreached the target", ha="center", va="center",
                    transform=ax.transAxes)  # fmt: skip
            continue
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(LogFormatter())
        ax.yaxis.set_minor_formatter(LogFormatter(labelOnlyBase=False, minor_thresholds=(1, 0.4)))
        ax.set_ylabel("time to target (s)")
    for ax in axes[len(problems) :]:
        ax.set_visible(False)
    trials = int(summary["trials"].max())
    style.legend_below(
        figure,
        [style.handle(palette[si(value)], marker=True, line=False) for value in values],
        [si(value) for value in values],
        f"{value_label}; point: median of {trials} trials, bar: 10th to 90th percentile; "
        "x: the median trial never reached the target",
    )
    return figure


def report(
    directory: str | Path,
    points: pd.DataFrame,
    value_label: str,
    metrics: pd.DataFrame | None = None,
) -> list[Path]:
    """Write ``payloads.csv`` (:func:`payload_summary`) and ``payloads.png``
    (:func:`payload_figure`) into the run's ``plots/``; return their paths. ``metrics`` is the
    run's table, read from ``directory`` if not given."""
    import netsim

    out = Path(directory) / "plots"
    out.mkdir(parents=True, exist_ok=True)
    if metrics is None:
        metrics = netsim.Results(directory).to_pandas()
    summary = payload_summary(metrics, points)
    summary.to_csv(out / "payloads.csv", index=False)
    return [
        style.save(payload_figure(summary, value_label), out / "payloads.png"),
        out / "payloads.csv",
    ]
