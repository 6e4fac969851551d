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
_SWEEP_PANELS = (
    ("time_s", "time to target", "simulated seconds", True),
    ("episodes", "episodes to target", "episodes", False),
    ("wire_bytes", "bytes on the wire to target", "bytes (both directions)", True),
)


def sweep_figure(summary: pd.DataFrame, value_label: str) -> Figure:
    """Time, episodes and bytes on the wire to the target against the swept value (log axis), one
    row of panels per environment, one line per series through the median across trials, the
    10th-90th percentile band shaded (:func:`analysis.sweep.sweep_summary` gives ``summary``).

    A median of ``inf`` (fewer than half the trials reached the target) is drawn as a hollow
    triangle on the panel's top edge, with no band; a band whose 90th percentile is ``inf`` is cut
    at the top edge. The legend gives each series' trials that reached the target, over all
    values (under the barrier round policy they are the same at every value)."""
    envs = list(pd.unique(summary["env"]))
    width_in, height_in = _PANEL_SIZE_IN
    fig = Figure(figsize=(width_in * 3, height_in * len(envs)), layout="constrained")
    axes = fig.subplots(len(envs), 3, squeeze=False)
    for row, env in zip(axes, envs, strict=True):
        rows = summary[summary["env"] == env]
        for ax, (measure, title, unit, log_y) in zip(row, _SWEEP_PANELS, strict=True):
            _draw_sweep_panel(ax, rows, measure, log_y)
            ax.set(title=f"{env}: {title}", xlabel=value_label, ylabel=unit, xscale="log")
        row[0].legend(fontsize="small")
    return fig


def _draw_sweep_panel(ax: Axes, summary: pd.DataFrame, measure: str, log_y: bool) -> None:
    finite = summary[[f"{measure}_p10", f"{measure}_median", f"{measure}_p90"]].to_numpy()
    finite = finite[np.isfinite(finite)]
    top = (finite.max() * (3.0 if log_y else 1.15)) if finite.size else 1.0
    for series, rows in summary.groupby("series", sort=False):
        median = rows[f"{measure}_median"].to_numpy()
        reached = np.isfinite(median)
        label = f"{series} ({rows['reached'].sum()}/{rows['trials'].sum()} reached)"
        (line,) = ax.plot(
            rows["value"], np.where(reached, median, np.nan), marker="o", ms=4, label=label
        )
        ax.fill_between(
            rows["value"],
            np.minimum(rows[f"{measure}_p10"], top),
            np.minimum(rows[f"{measure}_p90"], top),
            where=reached,
            color=line.get_color(),
            alpha=_BAND_ALPHA,
        )
        ax.plot(
            rows["value"][~reached],
            np.full((~reached).sum(), top),
            "^",
            markerfacecolor="none",
            color=line.get_color(),
        )
    if log_y:
        ax.set_yscale("log")
    ax.set_ylim(top=top * (1.3 if log_y else 1.03))
    ax.grid(alpha=0.3)


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
