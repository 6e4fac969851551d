"""Figures of learning on the network's clock: a sweep's time, episodes and bytes to target against
the swept setting, the Pareto view of final reward against bytes, and link utilisation over time.

Figures are ``matplotlib.figure.Figure`` objects built without pyplot (see :mod:`analysis.plots`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.plots import draw_bands
from analysis.targets import pareto_front

_PANEL_SIZE_IN = (5.6, 4.4)
_BAND_ALPHA = 0.15
_STYLES = ("-", "--", ":", "-.")
_SWEEP_PANELS = (
    ("time_s", "time to target", "simulated seconds", True),
    ("episodes", "episodes to target", "episodes", False),
    ("wire_bytes", "bytes on the wire to target", "bytes (both directions)", True),
)


def sweep_figure(summary: pd.DataFrame, value_label: str) -> Figure:
    """Time, episodes and bytes on the wire to the target against the swept value (log axis), one
    line per series through the median across trials, the 10th-90th percentile band shaded
    (:func:`analysis.sweep.sweep_summary` gives ``summary``). A median of ``inf`` (fewer than half
    the trials reached the target) is drawn as a hollow triangle on the panel's top edge; a band
    ending in ``inf`` is cut at the top edge. Series of one environment share a line style."""
    fig = Figure(figsize=(_PANEL_SIZE_IN[0] * 3, _PANEL_SIZE_IN[1] + 1.2), layout="constrained")
    axes = fig.subplots(1, 3)
    styles = {env: _STYLES[i % len(_STYLES)] for i, env in enumerate(pd.unique(summary["env"]))}
    for ax, (measure, title, unit, log_y) in zip(axes, _SWEEP_PANELS, strict=True):
        _draw_sweep_panel(ax, summary, measure, styles, log_y)
        ax.set(title=title, xlabel=value_label, ylabel=unit, xscale="log")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4))
    return fig


def _draw_sweep_panel(
    ax: Axes, summary: pd.DataFrame, measure: str, styles: dict[str, str], log_y: bool
) -> None:
    finite = summary[[f"{measure}_p10", f"{measure}_median", f"{measure}_p90"]].to_numpy()
    finite = finite[np.isfinite(finite)]
    top = (finite.max() * (3.0 if log_y else 1.15)) if finite.size else 1.0
    for series, rows in summary.groupby("series", sort=False):
        median = rows[f"{measure}_median"].to_numpy()
        (line,) = ax.plot(
            rows["value"],
            np.where(np.isfinite(median), median, np.nan),
            styles[rows["env"].iloc[0]],
            marker="o",
            markersize=4,
            label=str(series),
        )
        ax.fill_between(
            rows["value"],
            np.minimum(rows[f"{measure}_p10"], top),
            np.minimum(rows[f"{measure}_p90"], top),
            color=line.get_color(),
            alpha=_BAND_ALPHA,
        )
        never = ~np.isfinite(median)
        ax.plot(
            rows["value"][never],
            np.full(never.sum(), top),
            "^",
            markerfacecolor="none",
            color=line.get_color(),
            clip_on=False,
        )
    if log_y:
        ax.set_yscale("log")
    ax.set_ylim(top=top)
    ax.grid(alpha=0.3, which="both")


def pareto_figure(final: pd.DataFrame) -> Figure:
    """Final reward against bytes on the wire, one panel per environment: each variant's mean over
    trials as a point coloured by series, its Pareto front (high reward, few bytes; see
    :func:`analysis.targets.pareto_front`) joined by a step line. ``final`` has one row per
    (variant, trial) with ``final_reward``, ``wire_bytes``, ``series`` and ``env`` (the output of
    :func:`analysis.targets.final_reward_and_bytes` joined with a points table)."""
    envs = list(pd.unique(final["env"]))
    fig = Figure(
        figsize=(_PANEL_SIZE_IN[0] * len(envs), _PANEL_SIZE_IN[1] + 1.2), layout="constrained"
    )
    axes = np.atleast_1d(fig.subplots(1, len(envs)))
    colours: dict[str, str] = {}
    for ax, env in zip(axes, envs, strict=True):
        means = (
            final[final["env"] == env]
            .groupby(["series", "variant"], sort=False)[["final_reward", "wire_bytes"]]
            .mean()
            .reset_index()
        )
        for series, rows in means.groupby("series", sort=False):
            colour = colours.setdefault(str(series), f"C{len(colours)}")
            ax.plot(rows["wire_bytes"], rows["final_reward"], "o", color=colour, label=series)
        front = means[pareto_front(means)].sort_values("wire_bytes")
        ax.plot(front["wire_bytes"], front["final_reward"], "k-", drawstyle="steps-post", lw=1)
        ax.set(
            title=f"{env}: final reward against bytes (front in black)",
            xlabel="bytes on the wire per trial",
            ylabel="final mean reward",
            xscale="log",
        )
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize="small")
    return fig


def link_load_figure(load: pd.DataFrame, links: int = 4, columns: int = 3) -> Figure:
    """Link utilisation over time, one panel per variant (``columns`` to a row): for each of its
    ``links`` busiest directed links (most bytes carried over all trials), the utilisation of each
    time bin (the ``link_load`` table: carried bits / (bandwidth x bin width)), mean across trials
    with the 10th-90th percentile band, as a step function of the bin's start."""
    variants = list(pd.unique(load["variant"]))
    columns = min(columns, len(variants))
    n_rows = -(-len(variants) // columns)
    fig = Figure(
        figsize=(_PANEL_SIZE_IN[0] * columns, _PANEL_SIZE_IN[1] * n_rows), layout="constrained"
    )
    axes = fig.subplots(n_rows, columns, squeeze=False).ravel()
    for ax in axes[len(variants) :]:
        ax.set_axis_off()
    for ax, variant in zip(axes, variants, strict=False):
        rows = load[load["variant"] == variant].assign(
            link=lambda frame: frame["src"] + " -> " + frame["dst"]
        )
        busiest = rows.groupby("link")["carried_bytes"].sum().nlargest(links).index
        per_bin = rows[rows["link"].isin(busiest)].groupby(["link", "start_s"])["utilisation"]
        summary = pd.DataFrame(
            {"mean": per_bin.mean(), "p10": per_bin.quantile(0.1), "p90": per_bin.quantile(0.9)}
        ).reset_index()
        draw_bands(ax, summary.rename(columns={"link": "variant"}), x="start_s", steps=True)
        ax.set(
            title=f"{variant}: link utilisation",
            xlabel="simulated time (s)",
            ylabel="utilisation",
            ylim=(0, 1.05),
        )
        ax.legend(fontsize="small")
    return fig
