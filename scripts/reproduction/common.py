"""The stored results the reproduction page reads, and the measures and number formats it uses.

Each simulated figure is read as its per-round table (``analysis.per_trial``): from
``results/NAME/rounds.parquet`` where that is stored, else from the run directory
``results/NAME`` (the Ant runs).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
from scipy import stats

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "results"
SIMULATED = (
    "fig3_4_simple_grid",
    "fig3_5_frozen_lake",
    "fig4_2_windy_grid",
    "fig4_3_frozen_lake",
    "fig4_5_cartpole",
    "fig4_8_cartpole_m",
    "fig4_10_cartpole_k",
)
"""The figures stored as per-round summaries."""
ANT = ("fig4_6_ant", "fig4_9_ant_m", "fig4_11_ant_k")
"""The figures stored as run directories."""
SCRIPTED = {
    "fig4_1_pcomm": ("pcomm.csv", "spread.csv"),
    "fig4_7_first_episode": ("first_episode.csv",),
}
"""The scripted figures and the tables stored of each."""


@cache
def rounds(name: str) -> pd.DataFrame:
    """Figure ``name``'s per-round table: variant, trial, episode, mu_reward, frequency, ..."""
    from analysis import per_trial

    stored = RESULTS / name / "rounds.parquet"
    return per_trial(pd.read_parquet(stored) if stored.exists() else agents(name))


@cache
def agents(name: str) -> pd.DataFrame:
    """A stored run directory's metrics table, one row per agent's episode (Ant only)."""
    import netsim

    return netsim.Results(RESULTS / name).to_pandas()


@cache
def scenario(name: str) -> dict:
    """The scenario as run."""
    stored = RESULTS / name / "scenario.json"
    if stored.exists():
        return json.loads(stored.read_text())
    return json.loads((RESULTS / name / "manifest.json").read_text())["request"]["scenario"]


def cumulative(name: str) -> bool:
    return bool(scenario(name).get("cumulative_reward", False))


@cache
def trial_times(name: str) -> pd.DataFrame:
    stored = RESULTS / name / "trial_times.csv"
    if stored.exists():
        return pd.read_csv(stored)
    import netsim

    return netsim.Results(RESULTS / name).trial_times()


@cache
def csv(name: str, file: str) -> pd.DataFrame:
    return pd.read_csv(RESULTS / name / file)


@cache
def run_time(name: str) -> pd.Series:
    """``/usr/bin/time``'s measure of the run of ``name``: command, wall_s, cpu_s, peak_rss_mb."""
    times = pd.read_csv(RESULTS / "run_times.csv").set_index("name")
    return times.loc[name]


def script(name: str) -> ModuleType:
    """A scenario script's module (for its plot)."""
    from netsim.catalog import _import

    return _import(ROOT / "scenarios" / f"{name}.py")


# ---- measures -------------------------------------------------------------------------------


def window(name: str, first: int, last: int) -> pd.DataFrame:
    """Per variant (index): each trial's window mean of reward, frequency and size (columns
    ``reward``, ``frequency``, ``size_bytes``) over episodes first..last, as a (variant, trial)
    table."""
    table = rounds(name)
    inside = table[table["episode"].between(first, last)]
    return (
        inside.groupby(["variant", "trial"], sort=False)[["mu_reward", "frequency", "size_bytes"]]
        .mean()
        .rename(columns={"mu_reward": "reward"})
    )


def window_means(name: str, windows: Sequence[tuple[int, int]]) -> pd.DataFrame:
    """``analysis.window_means`` of figure ``name``, indexed by (variant, first, last)."""
    from analysis import window_means as means

    return means(rounds(name), windows).set_index(["variant", "first", "last"])


def paired(name: str, baseline: str, first: int, last: int | None = None) -> pd.DataFrame:
    """``analysis.paired_comparison`` against ``baseline`` over episodes first..last, by variant."""
    from analysis import paired_comparison

    table = rounds(name)
    if last is not None:
        table = table[table["episode"] <= last]
    return paired_comparison(table, baseline, from_episode=first).set_index("variant")


def curve(name: str, variant: str) -> pd.Series:
    """The variant's mean reward over trials, per episode."""
    table = rounds(name)
    return table[table["variant"] == variant].groupby("episode")["mu_reward"].mean()


def above(name: str, variant: str, baseline: str, first: int = 0) -> np.ndarray:
    """Per episode from ``first``: whether the variant's mean curve is above the baseline's."""
    mine, theirs = curve(name, variant), curve(name, baseline)
    return (mine > theirs).to_numpy()[first:]


def above_from(name: str, variant: str, baselines: Sequence[str]) -> int:
    """The first episode from which the variant's mean curve stays above every baseline's."""
    over = np.all([above(name, variant, b) for b in baselines], axis=0)
    below = np.flatnonzero(~over)
    return 0 if below.size == 0 else int(below[-1]) + 1


def per_trial_means(name: str, variant: str, first: int, last: int) -> np.ndarray:
    return window(name, first, last).loc[variant, "reward"].to_numpy()


def mann_whitney(name: str, one: str, other: str, first: int, last: int) -> float:
    return float(
        stats.mannwhitneyu(
            per_trial_means(name, one, first, last), per_trial_means(name, other, first, last)
        ).pvalue
    )


def mean_abs_change(name: str, variant: str, first: int, last: int) -> float:
    """The mean over trials and episodes first..last of |reward(k) - reward(k - 1)|."""
    table = rounds(name)
    table = table[table["variant"] == variant].sort_values(["trial", "episode"])
    change = table.groupby("trial")["mu_reward"].diff().abs()
    return float(change[table["episode"].between(first, last)].mean())


def first_reaching(name: str, variant: str, level: float, span: int = 10) -> list[float]:
    """Per trial: the first episode at which the mean reward over the last ``span`` episodes
    reaches ``level`` (NaN for a trial that never does)."""
    table = rounds(name)
    firsts = []
    for _, trial in table[table["variant"] == variant].groupby("trial"):
        rolling = trial.sort_values("episode")["mu_reward"].rolling(span).mean().to_numpy()
        reached = np.flatnonzero(rolling >= level)
        firsts.append(float(trial["episode"].min() + reached[0]) if reached.size else np.nan)
    return firsts


def reports_per_trial(name: str, variant: str) -> pd.Series:
    """Reports sent per trial: the sum over rounds of frequency times agents."""
    table = rounds(name)
    table = table[table["variant"] == variant]
    return (table["frequency"] * table["played"]).groupby(table["trial"]).sum().round().astype(int)


def variants(name: str) -> list[str]:
    return list(pd.unique(rounds(name)["variant"]))


def final_time(name: str, variant: str) -> float:
    """The mean over trials of the simulated time at which the trial's last round ended."""
    table = rounds(name)
    return float(table[table["variant"] == variant].groupby("trial")["round_end_s"].max().mean())


# ---- formats --------------------------------------------------------------------------------


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def fixed(value: float, digits: int) -> str:
    return f"{value:.{digits}f}"


def freq(value: float) -> str:
    """A frequency: 1 exactly as ``1``, else three decimals."""
    return "1" if value == 1 else f"{value:.3f}"


def size(value: float) -> str:
    """Payload bytes per agent-episode: whole bytes from 10 on, one decimal from 1, else two
    significant digits (0 only when nothing was sent)."""
    if value == 0:
        return "0"
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}" if value >= 1 else f"{value:.2g}"


def p_value(value: float) -> str:
    return f"{value:.2g}" if value >= 1e-3 else f"{value:.1e}"


def band(mean: float, p10: float, p90: float, digits: int = 1) -> str:
    return f"{mean:.{digits}f} ({p10:.{digits}f}-{p90:.{digits}f})"


def minutes(seconds: float) -> str:
    """A wall time as ``M min S s`` (or ``S s`` under a minute)."""
    whole = round(seconds)
    return f"{whole} s" if whole < 60 else f"{whole // 60} min {whole % 60} s"


def ran(name: str) -> str:
    """How the stored run of ``name`` was made and what it took."""
    run = run_time(name)
    return (
        f"`{run['command']}`: {minutes(run['wall_s'])} wall on the shared 2-core machine "
        f"({run['cpu_s']:.0f} s of CPU, peak RSS {run['peak_rss_mb']:.0f} MB)"
    )


def listing(values: Sequence[str]) -> str:
    """``a, b and c``."""
    values = list(values)
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]


def numbers(values: Sequence[float], digits: int) -> str:
    """``a, b and c`` of ``values`` with ``digits`` decimals."""
    return listing([f"{value:.{digits}f}" for value in values])
