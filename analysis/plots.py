"""The report's plots (Figs 3.4, 3.5, 4.2-4.11) and reward against simulated time.

Every plot draws, per variant, a line and a band across trials by an estimator of
:mod:`analysis.estimators` (by default the mean and its 95% bootstrap confidence interval), in the
figure style of :mod:`analysis.style`: each variant one look in every figure of a run, coinciding
curves drawn in interleaved dashes, the legend below the axes saying what line and band are and
how many trials they hold, each figure as PNG with a PDF beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from analysis import style
from analysis.aggregate import reward_against_time, summarise
from analysis.estimators import DEFAULT_ESTIMATOR, check_estimator, note

Curves = list[tuple[str, list[pd.Series]]]
"""A panel's curves as drawn: each name with its x, centre, low and high."""


class Panel(NamedTuple):
    """One panel of a :func:`curves_figure`."""

    file_name: str
    """Its file when drawn alone."""
    title: str
    ylabel: str
    summary: pd.DataFrame
    """Its curves: :func:`analysis.aggregate.summarise` or
    :func:`analysis.aggregate.reward_against_time` output (variant, the x column, trials,
    centre, low, high)."""


def plot_run(
    df: pd.DataFrame,
    out_dir: Path,
    cumulative: bool = False,
    estimator: str = DEFAULT_ESTIMATOR,
    variants: Sequence[str] | None = None,
) -> list[Path]:
    """Write ``reward.png``, ``frequency.png``, ``size.png``, ``reward_vs_time.png`` and
    ``panels.png`` (the first three side by side, as in the report) into ``out_dir``, each with a
    PDF of the same name beside it.

    ``df`` is a results table (see :mod:`analysis.aggregate`). With ``cumulative`` the reward panel
    shows the cumulative mean reward over episodes instead (the report does so for Frozen Lake).
    ``estimator`` names the line and band (:mod:`analysis.estimators`). ``variants`` fixes each
    variant's look by its position (a run's variant order; default: the order in which variants
    first appear in ``df``). ``out_dir`` is created if needed. Returns the PNG paths written, in
    the order above.
    """
    check_estimator(estimator)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    palette = style.Palette(variants if variants is not None else pd.unique(df["variant"]))
    panels = _panels(df, cumulative, estimator)
    written = [
        style.save(curves_figure([panel], palette, estimator, style.COLUMN_IN), out_dir / name)
        for panel, name in zip(panels, (panel.file_name for panel in panels), strict=True)
    ]
    written.append(
        style.save(reward_vs_time_figure(df, palette, estimator), out_dir / "reward_vs_time.png")
    )
    written.append(
        style.save(curves_figure(panels, palette, estimator, style.PAGE_IN), out_dir / "panels.png")
    )
    return written


def reward_vs_time_figure(
    df: pd.DataFrame, palette: style.Palette, estimator: str = DEFAULT_ESTIMATOR
) -> Figure:
    """Reward against simulated time (:func:`analysis.aggregate.reward_against_time`), one column
    wide, each variant in its ``palette`` look."""
    return reward_curves_figure(reward_against_time(df, estimator=estimator), palette, estimator)


def reward_curves_figure(
    curves: pd.DataFrame, palette: style.Palette, estimator: str = DEFAULT_ESTIMATOR
) -> Figure:
    """:func:`reward_vs_time_figure` from its curves, a :func:`analysis.aggregate.reward_against_time`
    table taken by ``estimator`` (as stored, say)."""
    panel = Panel(
        "reward_vs_time.png", "Reward against simulated time", "mean discounted return", curves
    )
    return curves_figure([panel], palette, estimator, style.COLUMN_IN, x="time_s")


def _panels(df: pd.DataFrame, cumulative: bool, estimator: str) -> list[Panel]:
    """The report's three panels: reward (or cumulative reward), frequency, size."""
    if cumulative:
        reward = Panel(
            "reward.png",
            "Cumulative reward",
            "cumulative mean discounted return",
            summarise(df, "cumulative_reward", estimator),
        )
    else:
        reward = Panel(
            "reward.png", "Reward", "mean discounted return", summarise(df, "reward", estimator)
        )
    return [
        reward,
        Panel(
            "frequency.png",
            "Frequency",
            "messages sent per agent",
            summarise(df, "frequency", estimator),
        ),
        Panel(
            "size.png",
            "Message size",
            "payload bytes per agent",
            summarise(df, "size_bytes", estimator),
        ),
    ]


@style.styled
def curves_figure(
    panels: Sequence[Panel],
    palette: style.Palette,
    estimator: str,
    width_in: float,
    x: str = "episode",
) -> Figure:
    """The ``panels`` side by side, ``width_in`` wide, against ``x`` (``time_s`` as steps), with
    one legend below them for all: every variant drawn in any panel, titled with the estimator
    and the trial counts."""
    fig = style.figure(width_in)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    drawn = []
    for ax, panel in zip(axes, panels, strict=True):
        drawn.append(draw_curves(ax, panel.summary, x, palette, steps=x == "time_s"))
        ax.set(title=panel.title, ylabel=panel.ylabel)
        ax.set_xlabel("simulated time (s)" if x == "time_s" else x)
    trials = pd.concat([panel.summary["trials"] for panel in panels])
    add_legend(fig, palette, drawn, note(estimator, trials))
    return fig


def draw_curves(
    ax: Axes,
    curves: pd.DataFrame,
    x: str,
    palette: style.Palette,
    key: str = "variant",
    steps: bool = False,
) -> Curves:
    """Per ``key`` (in order of first appearance), the ``centre`` column as a line and ``low`` ..
    ``high`` as a band against ``x``, in the ``palette``'s look; with ``steps`` each value holds
    until the next ``x``. A curve equal to an earlier one (line and band) is drawn over it in
    interleaved dashes, without a second band (:func:`analysis.style.coincident`). Returns the
    curves drawn, each name with its arrays (x, centre, low, high)."""
    groups = list(curves.groupby(key, sort=False))
    arrays: Curves = [
        (str(name), [rows[x], rows["centre"], rows["low"], rows["high"]]) for name, rows in groups
    ]
    overlays = style.coincident(arrays)
    for name, rows in groups:
        look = palette[str(name)]
        overlay = overlays.get(str(name))
        ax.plot(
            rows[x],
            rows["centre"],
            color=look.colour,
            linestyle=overlay.linestyle(look.linestyle) if overlay else look.linestyle,
            drawstyle="steps-post" if steps else "default",
        )
        if overlay is None or overlay.position == 0:
            ax.fill_between(
                rows[x],
                rows["low"],
                rows["high"],
                color=look.colour,
                alpha=style.BAND_ALPHA,
                linewidth=0,
                step="post" if steps else None,
            )
    return arrays


def add_legend(fig: Figure, palette: style.Palette, drawn: Sequence[Curves], title: str) -> None:
    """The figure's legend below its axes, titled ``title``: one entry per name drawn in any
    panel (``drawn``: each panel's :func:`draw_curves`), in its look, dashed if it lies on another
    curve in some panel, labelled "(= EARLIER)" if it equals an earlier name's curve in every
    panel (:func:`analysis.style.identical`)."""
    same = style.identical(drawn)
    dashed = {
        name
        for panel in drawn
        for name, overlay in style.coincident(panel).items()
        if overlay.position > 0
    }
    names = list(dict.fromkeys(name for panel in drawn for name, _ in panel))
    handles = [style.handle(palette[name], dashed=name in dashed) for name in names]
    labels = [f"{name} (= {same[name]})" if name in same else name for name in names]
    style.legend_below(fig, handles, labels, title)
