"""Numbers and tables as the pages generated from stored results print them (the scripts in
``scripts/`` that write ``docs/*.md``), so that every page words them alike, and the one ``main``
those scripts share (:func:`page_main`: store runs, redraw figures, write the page)."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from netsim.scenario import Scenario


def si(value: float, unit: str = "bit/s") -> str:
    """``value`` in ``unit`` with an SI prefix, to 3 significant figures: ``si(1e4) == "10
    kbit/s"``, ``si(0.01, "s") == "10 ms"``. The one form of a bandwidth or a latency in netsim's
    words: the pages' numbers and the sweeps' variant names (``scenarios/_sweep.py``) alike."""
    if not np.isfinite(value):
        raise ValueError(f"si() takes a finite value, not {value}")
    for factor, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, ""), (1e-3, "m")):
        if abs(value) >= factor:
            return f"{value / factor:.3g} {prefix}{unit}"
    return f"{value:.3g} {unit}"


def seconds(value: float) -> str:
    """A time, "never" for a target not reached, "n/a" for a measure that does not apply."""
    if np.isnan(value):
        return "n/a"
    if not np.isfinite(value):
        return "never"
    return f"{value:,.0f} s" if value >= 1000 else f"{value:.3g} s"


def band(row: pd.Series, name: str, unit: Callable[[float], str] = seconds) -> str:
    """``median (p10-p90)`` of measure ``name``."""
    return (
        f"{unit(row[f'{name}_median'])} ({unit(row[f'{name}_p10'])} to {unit(row[f'{name}_p90'])})"
    )


def number(value: float) -> str:
    """Three significant figures, or "n/a"."""
    return "n/a" if not np.isfinite(value) else f"{value:.3g}"


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def run_size(study: str, scenario: Scenario, directory: Path) -> dict[str, Any]:
    """A row of :func:`runs_table`: ``study``'s full form (``scenario``) and the CPU and wall
    time its trials in run ``directory`` took, summed."""
    import netsim

    times = netsim.Results(directory).trial_times()
    return {
        "study": study,
        "variants": len(scenario.variants),
        "trials": scenario.trials,
        "rounds": scenario.episodes,
        "units": len(times),
        "cpu_s": round(float(times["cpu_s"].sum()), 1),
        "wall_s": round(float(times["wall_s"].sum()), 1),
    }


def runs_table(runs: pd.DataFrame) -> str:
    """What each study's run took (rows of :func:`run_size`), with a line saying how to read it."""
    rows = [
        [
            f"`{row['study']}`",
            f"{row['variants']} x {row['trials']} x {row['rounds']}",
            f"{row['cpu_s'] / 60:.1f} min",
            f"{row['wall_s'] / 60:.1f} min",
        ]
        for _, row in runs.iterrows()
    ]
    return (
        "Each study's full form, summed over its trials (the wall time of a run on 2 worker "
        "processes is about half the summed wall time):\n\n"
        + table(["study", "variants x trials x rounds", "CPU, summed", "wall, summed"], rows)
    )


@dataclass(frozen=True)
class Store:
    """A page script's option ``--{name} DIR``: store what ``DIR`` holds with ``store(DIR)``."""

    name: str
    help: str
    store: Callable[[Path], None]
    redraws: bool = True
    """Whether the figures are redrawn after storing (they are drawn from what was stored)."""


def computed_blocks(text: str, blocks: Mapping[str, Callable[[], str]], page: str) -> str:
    """``text``, the page ``page``, with each block between ``<!-- computed: NAME -->`` and
    ``<!-- end: NAME -->`` rewritten by ``blocks[NAME]()``; the prose around them is kept."""
    for name, write in blocks.items():
        pattern = re.compile(rf"(<!-- computed: {name} -->\n).*?(\n<!-- end: {name} -->)", re.S)
        if not pattern.search(text):
            raise ValueError(
                f"{page} has no block <!-- computed: {name} --> ... <!-- end: {name} -->"
            )
        block = write()
        text = pattern.sub(lambda match, block=block: match.group(1) + block + match.group(2), text)
    return text


def page_main(
    argv: Sequence[str],
    description: str,
    page: Path,
    render: Callable[[], str],
    stores: Sequence[Store] = (),
    draw: Callable[[], None] | None = None,
) -> int:
    """The ``main`` of a script that writes a page from stored results (``scripts/*_page.py``):
    each ``--NAME DIR`` of ``stores`` given stores what ``DIR`` holds, in the order of
    ``stores``; then, if ``draw`` is given and ``--figures`` was, or a store that ``redraws`` ran,
    ``draw()`` redraws the page's figures from the stored results; last, the page is written with
    ``render()``. Returns the exit status."""
    parser = argparse.ArgumentParser(description=description)
    for store in stores:
        parser.add_argument(f"--{store.name}", type=Path, metavar="DIR", help=store.help)
    if draw is not None:
        parser.add_argument(
            "--figures", action="store_true", help="redraw the figures from the stored results"
        )
    options = vars(parser.parse_args(argv))
    given = [store for store in stores if options[store.name] is not None]
    for store in given:
        store.store(options[store.name])
    if draw is not None and (options["figures"] or any(store.redraws for store in given)):
        draw()
    page.write_text(render())
    print(f"wrote {page}")
    return 0
