"""Numbers and tables as the pages generated from stored results print them (the scripts in
``scripts/`` that write ``docs/*.md``), so that every page words them alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from netsim.scenario import Scenario


def si(bps: float) -> str:
    """A bandwidth with an SI prefix, or a dash where there is none."""
    if not np.isfinite(bps):
        return "none in the sweep"
    for factor, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if bps >= factor:
            return f"{bps / factor:.3g} {prefix}bit/s"
    return f"{bps:.3g} bit/s"


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
