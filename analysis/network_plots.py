"""Figures of learning on the network's clock: a sweep's time, episodes and bytes to target against
the swept setting, the Pareto view of final reward against bytes, and link utilisation over time.

Drawn in the style of :mod:`analysis.style` (each series or link one look across a figure's panels,
legends below the axes, the lines' and bands' meaning and trial counts in the legend's title).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import EngFormatter

from analysis import style
from analysis.estimators import DEFAULT_ESTIMATOR, estimate, note, trial_count
from analysis.plots import add_legend, draw_curves
from analysis.targets import pareto_front

_SWEEP_PANELS = (
    ("time_s", "time to target", "simulated seconds", True),
    ("episodes", "episodes to target", "episodes", False),
    ("wire_bytes", "bytes to target", "bytes on the wire", True),
)
_DODGE = 0.06
"""Vertical step, as a share of the panel's height, between the "never" markers of series."""
_BESIDE_DECADES = 0.06
"""Horizontal step, in decades of the swept value, between the 10-90 bars of series."""


def sweep_figure(
    summary: pd.DataFrame, value_label: str, palette: style.Palette | None = None
) -> Figure:
    """Time, episodes and bytes on the wire to the target against the swept value (log axis), one
    row of panels per environment, one line per series through the median across trials, the
    10th-90th percentile as a bar at each value, each series' bars a little to the side of the
    others' (:func:`analysis.sweep.sweep_summary` gives ``summary``); each series in its
    ``palette`` look (default: by order of appearance in ``summary``).

    A median of ``inf`` (fewer than half the trials reached the target) is drawn as the series'
    hollow marker at the panel's top edge, with no bar, each series a step lower so that none
    hides another; a bar whose 90th percentile is ``inf`` is cut at the top edge. The legend
    gives each series' trials that reached the target, over all values (under the barrier round
    policy they are the same at every value), and says what line and band are."""
    return _sweep_figure(summary, value_label, palette or style.Palette(summary["series"]))


@style.styled
def _sweep_figure(summary: pd.DataFrame, value_label: str, palette: style.Palette) -> Figure:
    envs = list(pd.unique(summary["env"]))
    fig = style.figure(style.PAGE_IN, rows=len(envs))
    axes = fig.subplots(len(envs), 3, squeeze=False)
    for row, env in zip(axes, envs, strict=True):
        rows = summary[summary["env"] == env]
        for ax, (measure, title, unit, log_y) in zip(row, _SWEEP_PANELS, strict=True):
            _draw_sweep_panel(ax, rows, measure, log_y, palette)
            ax.set(title=f"{env.split('/')[-1]}: {title}", ylabel=unit, xscale="log")
        row[1].set_xlabel(value_label)
    labels, handles = [], []
    for series, rows in summary.groupby("series", sort=False):
        handles.append(style.handle(palette[str(series)], marker=True))
        labels.append(f"{series} ({rows['reached'].sum()}/{rows['trials'].sum()} reached)")
    title = (
        f"line: median of {trial_count(summary['trials'])} (a trial that never reaches the "
        "target counts as infinite); bar: 10th-90th percentile, to the top edge if over 10% "
        "never reach it;\nhollow marker on the top edge: fewer than half the trials reach it"
    )
    style.legend_below(fig, handles, labels, title)
    return fig


def _draw_sweep_panel(
    ax: Axes, summary: pd.DataFrame, measure: str, log_y: bool, palette: style.Palette
) -> None:
    finite = summary[[f"{measure}_p10", f"{measure}_median", f"{measure}_p90"]].to_numpy()
    finite = finite[np.isfinite(finite)]
    top = (finite.max() * (3.0 if log_y else 1.15)) if finite.size else 1.0
    bottom = finite.min() if finite.size else top / 10
    series_count = summary["series"].nunique()
    for k, (series, rows) in enumerate(summary.groupby("series", sort=False)):
        look = palette[str(series)]
        median = rows[f"{measure}_median"].to_numpy()
        reached = np.isfinite(median)
        ax.plot(
            rows["value"],
            np.where(reached, median, np.nan),
            color=look.colour,
            linestyle=look.linestyle,
            marker=look.marker,
        )
        # each series' bars a little to the side of the others' (log x: a factor), so that
        # bands that span the same range (half the trials never reach) do not pile up
        beside = rows["value"].to_numpy(dtype=float) * 10 ** (
            _BESIDE_DECADES * (k - (series_count - 1) / 2)
        )
        ax.vlines(
            beside[reached],
            np.minimum(rows[f"{measure}_p10"], top)[reached],
            np.minimum(rows[f"{measure}_p90"], top)[reached],
            color=look.colour,
            linewidth=1.6,
            alpha=0.45,
        )
        # a series' "never" markers a step lower than the previous series' (log: a factor)
        edge = top / (top / bottom) ** (_DODGE * k) if log_y else top - _DODGE * k * (top - bottom)
        ax.plot(
            rows["value"][~reached],
            np.full((~reached).sum(), edge),
            look.marker,
            markerfacecolor="none",
            color=look.colour,
        )
    if log_y:
        ax.set_yscale("log")
    ax.set_ylim(top=top * (1.3 if log_y else 1.03))


def pareto_figure(final: pd.DataFrame, palette: style.Palette | None = None) -> Figure:
    """Final reward against bytes on the wire, one panel per environment: each variant's mean over
    trials as a point in its series' ``palette`` look (default: by order of appearance), its
    Pareto front (high reward, few bytes; see :func:`analysis.targets.pareto_front`) joined by a
    black step line. ``final`` has one row per (variant, trial) with ``final_reward``,
    ``wire_bytes``, ``series`` and ``env`` (the output of
    :func:`analysis.targets.final_reward_and_bytes` joined with a points table)."""
    return _pareto_figure(final, palette or style.Palette(final["series"]))


@style.styled
def _pareto_figure(final: pd.DataFrame, palette: style.Palette) -> Figure:
    envs = list(pd.unique(final["env"]))
    fig = style.figure(style.COLUMN_IN if len(envs) == 1 else style.PAGE_IN)
    axes = np.atleast_1d(fig.subplots(1, len(envs)))
    for ax, env in zip(axes, envs, strict=True):
        means = (
            final[final["env"] == env]
            .groupby(["series", "variant"], sort=False)[["final_reward", "wire_bytes"]]
            .mean()
            .reset_index()
        )
        for series, rows in means.groupby("series", sort=False):
            look = palette[str(series)]
            ax.plot(rows["wire_bytes"], rows["final_reward"], look.marker, color=look.colour)
        front = means[pareto_front(means)].sort_values("wire_bytes")
        ax.plot(front["wire_bytes"], front["final_reward"], "k-", drawstyle="steps-post", lw=0.8)
        ax.set(title=env, xlabel="bytes on the wire per trial", ylabel="final reward")
        low, high = means["wire_bytes"].min(), means["wire_bytes"].max()
        if high >= 10 * low:  # a log axis only where it spans a decade: else its labels crowd
            ax.set_xscale("log")
        ax.xaxis.set_major_formatter(EngFormatter(unit="B"))
    names = list(pd.unique(final["series"]))
    handles = [style.handle(palette[name], marker=True, line=False) for name in names]
    trials = trial_count(final.groupby("variant")["final_reward"].size())
    title = f"point: a variant's mean final reward and bytes over {trials};\nblack line: the Pareto front"
    style.legend_below(fig, handles, names, title)
    return fig


def link_load_figure(
    load: pd.DataFrame,
    links: int = 4,
    columns: int = 3,
    estimator: str = DEFAULT_ESTIMATOR,
    variants: Sequence[str] | None = None,
) -> Figure:
    """Link utilisation over time, one panel per variant (``columns`` to a row; ``variants``, by
    default every one in the table): for each of its ``links`` busiest directed links (most bytes
    carried over all trials), the utilisation of each time bin (the ``link_load`` table: carried
    bits / (bandwidth x bin width)) across the trials that reached the bin, line and band by
    ``estimator`` (:mod:`analysis.estimators`), as a step function of the bin's start. A link has
    one colour in every panel; links whose curves coincide are drawn in interleaved dashes."""
    return _link_load_figure(load, links, columns, estimator, variants)


@style.styled
def _link_load_figure(
    load: pd.DataFrame,
    links: int,
    columns: int,
    estimator: str,
    variants: Sequence[str] | None,
) -> Figure:
    chosen = list(pd.unique(load["variant"])) if variants is None else list(variants)
    missing = sorted(set(chosen) - set(load["variant"]))
    if missing:
        raise ValueError(f"the link_load table has no variant {missing[0]!r}")
    columns = min(columns, len(chosen))
    n_rows = -(-len(chosen) // columns)
    fig = style.figure(style.COLUMN_IN if columns == 1 else style.PAGE_IN, rows=n_rows)
    axes = fig.subplots(n_rows, columns, squeeze=False).ravel()
    for ax in axes[len(chosen) :]:
        ax.set_axis_off()
    palette = style.Palette()
    drawn, trials = [], []
    for ax, variant in zip(axes, chosen, strict=False):
        rows = load[load["variant"] == variant].assign(
            link=lambda frame: frame["src"] + " -> " + frame["dst"]
        )
        busiest = rows.groupby("link")["carried_bytes"].sum().nlargest(links).index
        rows = rows[rows["link"].isin(busiest)].sort_values(["link", "start_s"], kind="stable")
        curves = estimate(rows, ["link", "start_s"], "utilisation", estimator)
        drawn.append(draw_curves(ax, curves, "start_s", palette, "link", steps=True))
        trials.append(rows["trial"].nunique())
        ax.set(title=variant, xlabel="simulated time (s)", ylabel="utilisation", ylim=(0, 1.05))
    title = note(estimator, trials) + f"; each panel's {links} busiest directed links"
    add_legend(fig, palette, drawn, title)
    return fig
