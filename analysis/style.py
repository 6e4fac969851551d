"""One figure style for every plot netsim draws, made for papers.

- **Sizes**: a figure is one column (:data:`COLUMN_IN`, 3.5 in) or the full text width
  (:data:`PAGE_IN`, 7.16 in) of a two-column paper (IEEE, ACM), at 8 pt type, so it goes into
  LaTeX at 100% (``\\includegraphics`` without scaling) and its text matches a caption's.
- **Looks**: a :class:`Palette` gives every name (a variant, a series, a link) one colour, line
  style and marker, by its position in an order fixed up front (a run's variant order), so a
  variant looks the same in every figure of a run. The colours are Okabe and Ito's, told apart by
  colour-blind readers; after eight names the colours repeat with the next line style.
- **Curves that coincide** (the same values: under barrier rounds a run's bandwidths learn the same
  per episode) are drawn over each other in interleaved dashes, every one's colour showing
  (:func:`coincident`); the legend marks a name equal to an earlier one in every panel
  (:func:`identical`) "= EARLIER".
- **Legends** go outside the axes, below them (:func:`legend_below`), titled with what the lines
  and bands are and the trials behind them (:func:`analysis.estimators.note`).
- **Files**: :func:`save` writes the PNG and a PDF (vector, fonts embedded as TrueType) beside it.

A figure-building function is decorated with :func:`styled`, so the style's rcParams hold while it
draws and the caller's are untouched; figures are ``matplotlib.figure.Figure`` objects built
without pyplot (no display needed, the caller's backend unchanged).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple, ParamSpec, TypeVar

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D

COLUMN_IN = 3.5
"""Width of one column of a two-column paper, inches."""
PAGE_IN = 7.16
"""Width of the text of a two-column paper (both columns), inches."""
PANEL_HEIGHT_IN = 2.2
"""Height of one row of panels, inches (the legend comes on top of it)."""

COLOURS = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#CC79A7",  # reddish purple
    "#000000",  # black
    "#999999",  # grey (Okabe and Ito's yellow is too faint on white)
)
LINESTYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
BAND_ALPHA = 0.15
_CHAR_IN = 0.05
"""Mean width of a 7 pt character, inches (for sizing the legend)."""
_LEGEND_ROW_IN = 0.16
"""Height of one row of a 7 pt legend, inches."""

RC: dict[str, object] = {
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.title_fontsize": 7,
    "legend.frameon": False,
    "lines.linewidth": 1.2,
    "lines.markersize": 4,
    "axes.linewidth": 0.6,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linewidth": 0.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=list(COLOURS)),
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.02,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
}
"""The rcParams every figure is drawn and saved under."""

P = ParamSpec("P")
R = TypeVar("R")


def styled(build: Callable[P, R]) -> Callable[P, R]:
    """``build`` run under :data:`RC` (and the caller's rcParams restored after)."""

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with mpl.rc_context(RC):
            return build(*args, **kwargs)

    return wrapper


def figure(width_in: float = PAGE_IN, rows: int = 1) -> Figure:
    """An empty constrained-layout figure ``width_in`` wide and ``rows`` rows of panels high (a
    legend below adds its own height)."""
    return Figure(figsize=(width_in, PANEL_HEIGHT_IN * rows), layout="constrained")


class Look(NamedTuple):
    """How one name is drawn."""

    colour: str
    linestyle: str
    marker: str


class Palette:
    """One :class:`Look` per name, by position: the i-th name (from 0) gets colour ``i mod 8``,
    line style ``i div 8`` and marker ``i mod 8``. Names are placed in the order given, then any
    other in the order first asked for."""

    def __init__(self, order: Iterable[str] = ()) -> None:
        self._index: dict[str, int] = {}
        for name in order:
            self._index.setdefault(str(name), len(self._index))

    def __getitem__(self, name: str) -> Look:
        i = self._index.setdefault(str(name), len(self._index))
        return Look(
            COLOURS[i % len(COLOURS)],
            LINESTYLES[(i // len(COLOURS)) % len(LINESTYLES)],
            MARKERS[i % len(MARKERS)],
        )


class Overlay(NamedTuple):
    """Where a curve sits among the curves it coincides with."""

    base: str
    """The first name of its group, drawn solid underneath."""
    position: int
    """Its position in the group (0 for the base)."""
    size: int
    """Curves in the group."""

    def linestyle(self, own: str) -> str | tuple[float, tuple[float, float]]:
        """``own`` for the base; else dashes of 3 points leaving the group's other members' turn
        free, shifted by ``position``, so that every member shows along the line."""
        if self.position == 0:
            return own
        dash = 3.0
        return ((self.size - self.position) * dash, (dash, (self.size - 1) * dash))


def coincident(curves: Sequence[tuple[str, Sequence[np.ndarray]]]) -> dict[str, Overlay]:
    """Of named curves (each a sequence of arrays, e.g. x, line, low, high), those equal (to 1e-9
    relative, NaN equal to NaN) to a curve earlier in ``curves``: each group of equal curves by
    its first member, every member with its :class:`Overlay`. Curves alone are left out."""
    groups: list[list[int]] = []
    for i, (_, arrays) in enumerate(curves):
        for group in groups:
            if _equal(curves[group[0]][1], arrays):
                group.append(i)
                break
        else:
            groups.append([i])
    overlays = {}
    for group in groups:
        if len(group) > 1:
            base = curves[group[0]][0]
            for position, i in enumerate(group):
                overlays[curves[i][0]] = Overlay(base, position, len(group))
    return overlays


def _equal(a: Sequence[np.ndarray], b: Sequence[np.ndarray]) -> bool:
    return all(
        np.shape(x) == np.shape(y)
        and np.allclose(np.asarray(x, float), np.asarray(y, float), rtol=1e-9, equal_nan=True)
        for x, y in zip(a, b, strict=True)
    )


def identical(panels: Sequence[Sequence[tuple[str, Sequence[np.ndarray]]]]) -> dict[str, str]:
    """Of the named curves of a figure's panels (as :func:`coincident` takes them, per panel), each
    name whose curve equals an earlier name's in every panel it is drawn in (the other drawn
    there too), with the first such name: the variants a run could not tell apart."""
    curves: dict[str, dict[int, Sequence[np.ndarray]]] = {}
    for index, panel in enumerate(panels):
        for name, arrays in panel:
            curves.setdefault(name, {})[index] = arrays
    names = list(curves)
    same = {}
    for position, name in enumerate(names):
        for earlier in names[:position]:
            if all(
                index in curves[earlier] and _equal(curves[earlier][index], arrays)
                for index, arrays in curves[name].items()
            ):
                same[name] = earlier
                break
    return same


def handle(look: Look, dashed: bool = False, marker: bool = False, line: bool = True) -> Line2D:
    """A legend entry for ``look``: its line (dashed if it is drawn over another curve somewhere,
    none without ``line``) and, with ``marker``, its marker."""
    linestyle = ("--" if dashed else look.linestyle) if line else ""
    return Line2D(
        [], [], color=look.colour, linestyle=linestyle, marker=look.marker if marker else None
    )


def legend_below(
    fig: Figure, handles: Sequence[Line2D], labels: Sequence[str], title: str
) -> Legend:
    """The figure's legend below its axes (outside every data area), titled ``title``, in as
    many columns as its longest label lets fit across the figure; the figure grows by the
    legend's height, so its panels keep theirs."""
    longest = max((len(label) for label in labels), default=1)
    width_in = fig.get_figwidth()
    per_column_in = 0.45 + _CHAR_IN * longest  # handle and padding, then the label
    ncols = max(1, min(len(labels), int(width_in // per_column_in)))
    rows = -(-len(labels) // ncols) + 1  # and the title
    fig.set_figheight(fig.get_figheight() + rows * _LEGEND_ROW_IN)
    return fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncols=ncols,
        title=title,
        alignment="left",
    )


def save(fig: Figure, path: str | Path) -> Path:
    """Write ``fig`` to ``path`` (a ``.png``) and, beside it, the same figure as a PDF (the same
    name with ``.pdf``), under :data:`RC`; return ``path``."""
    path = Path(path)
    if path.suffix != ".png":
        raise ValueError(
            f"figure path {str(path)!r} must end in .png (a .pdf is written beside it)"
        )
    with mpl.rc_context(RC):
        fig.savefig(path)
        fig.savefig(path.with_suffix(".pdf"))
    return path
