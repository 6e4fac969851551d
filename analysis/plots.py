"""The report's plots (Figs 3.4, 3.5, 4.2-4.11) and reward against simulated time, as PNG files.

Figures are built as ``matplotlib.figure.Figure`` objects, without pyplot, so drawing them neither
needs a display nor changes the caller's matplotlib backend. Every plot draws, per variant, the mean across trials as a line and the 10th-90th percentile band
across trials as a shaded area (docs/design.md, "Metrics"). Variants keep the order, and so the colour, in
which they first appear in the results table.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis.aggregate import reward_against_time, summarise

_PANEL_SIZE_IN = (6.4, 4.4)
_DPI = 120
_BAND_ALPHA = 0.2


class _Panel(NamedTuple):
    """One of the report's per-episode panels."""

    file_name: str
    title: str
    ylabel: str
    summary: pd.DataFrame
    """``summarise`` output: variant, episode, mean, p10, p90."""


def plot_run(df: pd.DataFrame, out_dir: Path, cumulative: bool = False) -> list[Path]:
    """Write ``reward.png``, ``frequency.png``, ``size.png``, ``reward_vs_time.png`` and
    ``panels.png`` (the first three side by side, as in the report) into ``out_dir``.

    ``df`` is a results table (see :mod:`analysis.aggregate`). With ``cumulative`` the reward panel
    shows the cumulative mean reward over episodes instead (the report does so for Frozen Lake).
    ``out_dir`` is created if needed. Returns the paths written, in the order above.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    panels = _panels(df, cumulative)
    written = []
    for panel in panels:
        fig = Figure(figsize=_PANEL_SIZE_IN)
        ax = fig.subplots()
        _draw_panel(ax, panel)
        ax.legend()
        written.append(save(fig, out_dir / panel.file_name))
    written.append(save(_reward_vs_time_figure(df), out_dir / "reward_vs_time.png"))
    written.append(save(_panels_figure(panels), out_dir / "panels.png"))
    return written


def _panels(df: pd.DataFrame, cumulative: bool) -> list[_Panel]:
    """The report's three panels: reward (or cumulative reward), frequency, size."""
    if cumulative:
        reward = _Panel(
            "reward.png",
            "Cumulative mean reward",
            "cumulative mean discounted return",
            summarise(df, "cumulative_reward"),
        )
    else:
        reward = _Panel(
            "reward.png", "Mean reward", "mean discounted return", summarise(df, "reward")
        )
    return [
        reward,
        _Panel(
            "frequency.png",
            "Communication frequency",
            "messages per agent per episode",
            summarise(df, "frequency"),
        ),
        _Panel(
            "size.png",
            "Message size",
            "payload bytes per agent per episode",
            summarise(df, "size_bytes"),
        ),
    ]


def _draw_panel(ax: Axes, panel: _Panel) -> None:
    """Draw one per-episode panel onto ``ax``."""
    draw_bands(ax, panel.summary, x="episode")
    ax.set(title=panel.title, xlabel="episode", ylabel=panel.ylabel)


def draw_bands(ax: Axes, summary: pd.DataFrame, x: str, steps: bool = False) -> None:
    """Per variant, the ``mean`` column as a line and ``p10``..``p90`` as a band, against ``x``;
    with ``steps``, each value holds until the next ``x`` (a step function)."""
    for name, rows in summary.groupby("variant", sort=False):
        (line,) = ax.plot(
            rows[x], rows["mean"], label=str(name), drawstyle="steps-post" if steps else "default"
        )
        ax.fill_between(
            rows[x],
            rows["p10"],
            rows["p90"],
            color=line.get_color(),
            alpha=_BAND_ALPHA,
            step="post" if steps else None,
        )
    ax.grid(alpha=0.3)


def _reward_vs_time_figure(df: pd.DataFrame) -> Figure:
    """Mean reward against simulated time (the network's measure of learning speed)."""
    fig = Figure(figsize=_PANEL_SIZE_IN)
    ax = fig.subplots()
    draw_bands(ax, reward_against_time(df), x="time_s", steps=True)
    ax.set(
        title="Mean reward against simulated time",
        xlabel="simulated time (s)",
        ylabel="mean discounted return",
    )
    ax.legend()
    return fig


def _panels_figure(panels: list[_Panel]) -> Figure:
    """The three panels side by side with one legend below them."""
    width_in, height_in = _PANEL_SIZE_IN
    fig = Figure(figsize=(width_in * len(panels), height_in + 0.6), layout="constrained")
    axes = fig.subplots(1, len(panels))
    for ax, panel in zip(axes, panels, strict=True):
        _draw_panel(ax, panel)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 6))
    return fig


def save(fig: Figure, path: Path) -> Path:
    """Write ``fig`` to ``path`` as PNG and return ``path``."""
    fig.savefig(path, dpi=_DPI, bbox_inches="tight")
    return path
