"""The reproduction page's fitness-shaping section (issue 37): does ESPC still beat ES when ES's
returns are mean-subtracted or ranked (``ESConfig.fitness``) instead of raw (the report's equation
2.1)? Read from the per-round summaries of ``scenarios/fitness_shaping.py`` (Cart Pole) and
``scenarios/fitness_shaping_ant.py`` (Ant), stored with ``analysis.summaries.store_summary`` in
``results/sensitivity_fitness_cartpole`` and ``results/sensitivity_fitness_ant``; Ant's raw-return
trials are the stored figure 4.6 run's (same seeds)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from reproduction.cartpole import window_table
from reproduction.common import (
    ROOT,
    listing,
    minutes,
    p_value,
    rounds,
    scenario,
    table,
    trial_times,
)

CARTPOLE = "sensitivity_fitness_cartpole"
ANT = "sensitivity_fitness_ant"
ANT_RAW = "fig4_6_ant"
"""The stored raw-return Ant run whose ES n = 50 and ESPC trials pair with the shaped ones."""
ANT_RAW_VARIANTS = {"ES n=50": "ES raw", "ESPC n=50 m=25": "ESPC raw"}
"""Its variants, named as the shaping study names them."""
CARTPOLE_RAW = "fig4_5_cartpole"
"""The stored Cart Pole run whose ES n = 50 and ESPC trials the raw variants repeat."""
SHAPING_NAMES = {"raw": "raw returns", "centred": "mean-subtracted", "ranks": "centred ranks"}
CARTPOLE_FROM = 50
"""Cart Pole's paired comparisons are over episodes 50-199, as figure 4.5's."""
ANT_FROM = 4
"""Ant's paired comparisons are over episodes 4 (the fifth) to the study's last, fixed before its
run."""
FIGURES = ROOT / "docs" / "figures"
WINDOWS = [(0, 0), (10, 49), (50, 99), (100, 149), (150, 199)]


def comparisons(fitnesses: list[str]) -> list[tuple[str, str]]:
    """The paired comparisons each study reports: ESPC against ES under each shaping, then each
    shaped variant against its raw-return form."""
    return [(f"ESPC {f}", f"ES {f}") for f in fitnesses] + [
        (f"{a} {f}", f"{a} raw") for f in fitnesses[1:] for a in ("ES", "ESPC")
    ]


def ant_rounds() -> pd.DataFrame:
    """The Ant study's per-round table with the stored figure 4.6 run's ES n = 50 and ESPC over the
    same episodes, as ``"ES raw"`` and ``"ESPC raw"``."""
    shaped = rounds(ANT)
    raw = rounds(ANT_RAW)
    raw = raw[raw["variant"].isin(list(ANT_RAW_VARIANTS))]
    raw = raw[raw["episode"] <= shaped["episode"].max()]
    raw = raw.assign(variant=raw["variant"].map(ANT_RAW_VARIANTS))
    return pd.concat([raw, shaped], ignore_index=True)


def shapings(table_: pd.DataFrame) -> list[str]:
    """The shapings in ``table_``'s variants (``"ES ranks"``: ``"ranks"``), in order."""
    return list(dict.fromkeys(v.split(" ", 1)[1] for v in pd.unique(table_["variant"])))


def pair(table_: pd.DataFrame, variant: str, baseline: str, first: int) -> pd.Series:
    """``analysis.paired_comparison`` of ``variant`` against ``baseline`` from episode ``first``:
    trials, better, worse, equal, median_difference, wilcoxon_p, mann_whitney_p."""
    from analysis import paired_comparison

    both = table_[table_["variant"].isin([variant, baseline])]
    return paired_comparison(both, baseline, from_episode=first).set_index("variant").loc[variant]


def paired_rows(table_: pd.DataFrame, pairs: list[tuple[str, str]], first: int) -> list[list[str]]:
    rows = []
    for variant, baseline in pairs:
        result = pair(table_, variant, baseline, first)
        rows.append(
            [
                f"{variant} against {baseline}",
                f"{int(result['better'])} / {int(result['worse'])} / {int(result['equal'])}",
                f"{result['median_difference']:+.1f}",
                p_value(result["wilcoxon_p"]),
            ]
        )
    return rows


def paired_table(table_: pd.DataFrame, pairs: list[tuple[str, str]], first: int) -> str:
    return table(
        ["comparison", "trials better / worse / equal", "median difference", "Wilcoxon p"],
        paired_rows(table_, pairs, first),
    )


def sign_needs(trials: int, level: float = 0.05) -> int:
    """The fewest of ``trials`` paired trials one way that a two-sided sign test finds at
    ``level``."""
    from scipy import stats

    return next(
        k for k in range((trials + 1) // 2, trials + 1) if stats.binomtest(k, trials).pvalue < level
    )


def verdict(result: pd.Series, level: float = 0.05) -> str:
    """ESPC against ES under one shaping, at the two-sided ``level``."""
    p = result["wilcoxon_p"]
    if p < level:
        winner = "ESPC beats ES" if result["median_difference"] > 0 else "ES beats ESPC"
        return f"{winner} (p = {p_value(p)})"
    return f"no difference shown (p = {p_value(p)})"


def ran(name: str) -> str:
    """The run's command and the CPU and wall time its trials took, from ``trial_times.csv``."""
    times = trial_times(name)
    return (
        f"`netsim run {scenario(name)['name']} --out runs/{scenario(name)['name']} --backend "
        f"processes --workers 2`: its {len(times)} trials took {times['cpu_s'].sum():.0f} s of CPU "
        f"({minutes(times['wall_s'].sum())} of trial wall time, summed over the two workers, on "
        "the shared 2-core machine)"
    )


def same_trials(mine: pd.DataFrame, theirs: pd.DataFrame) -> bool:
    """Whether two per-round tables hold the same rewards, trial by trial and episode by episode."""
    columns = ["trial", "episode", "mu_reward"]
    one, other = (
        table_[columns].sort_values(columns[:2]).to_numpy(np.float64) for table_ in (mine, theirs)
    )
    return one.shape == other.shape and bool((one == other).all())


def round_spread(name: str, variant: str, last: int) -> float:
    """The median over the rounds of episodes 0..last of std(F) / mean(F) across the round's
    agents (sample standard deviation), from the stored run directory ``name``'s agent table."""
    from reproduction.common import agents

    table_ = agents(name)
    table_ = table_[(table_["variant"] == variant) & (table_["episode"] <= last)]
    by_round = table_.groupby(["trial", "episode"])["reward"]
    return float((by_round.std() / by_round.mean()).median())


def draw(name: str, table_: pd.DataFrame) -> None:
    """``docs/figures/NAME.png`` (and ``.pdf``): ES and ESPC's mean reward with the 10th-90th
    percentile band across trials, one panel per shaping, on one scale."""
    from analysis import style
    from analysis.aggregate import summarise
    from analysis.plots import Panel, curves_figure

    panels = []
    for fitness in shapings(table_):
        inside = table_[table_["variant"].isin([f"ES {fitness}", f"ESPC {fitness}"])]
        inside = inside.assign(variant=inside["variant"].str.split(" ").str[0])
        summary = summarise(inside, "reward", "mean-p10-p90")
        panels.append(Panel(f"{fitness}.png", SHAPING_NAMES[fitness], "mean return", summary))
    figure = curves_figure(panels, style.Palette(["ES", "ESPC"]), "mean-p10-p90", style.PAGE_IN)
    limits = np.array([ax.get_ylim() for ax in figure.axes])
    for ax in figure.axes:  # one scale for every panel, so shapings compare by eye
        ax.set_ylim(limits[:, 0].min(), limits[:, 1].max())
    style.save(figure, Path(FIGURES) / f"{name}.png")


def redraw() -> None:
    """Both figures of the section, from the stored results."""
    draw(CARTPOLE, rounds(CARTPOLE))
    draw(ANT, ant_rounds())


def cartpole() -> str:
    name = CARTPOLE
    table_ = rounds(name)
    fitnesses = shapings(table_)
    versus = {f: pair(table_, f"ESPC {f}", f"ES {f}", CARTPOLE_FROM) for f in fitnesses}
    repeated = {
        mine: same_trials(
            table_[table_["variant"] == mine],
            rounds(CARTPOLE_RAW)[rounds(CARTPOLE_RAW)["variant"] == theirs],
        )
        for mine, theirs in [("ES raw", "ES n=50"), ("ESPC raw", "ESPC n=50 m=25")]
    }
    trials = int(scenario(name)["trials"])

    def shaped(algorithm: str, fitness: str) -> str:
        result = pair(table_, f"{algorithm} {fitness}", f"{algorithm} raw", CARTPOLE_FROM)
        return (
            f"better in {int(result['better'])} of {trials} trials, worse in "
            f"{int(result['worse'])}, p = {p_value(result['wilcoxon_p'])}"
        )

    return "\n".join(
        [
            "### Cart Pole: ES n = 50 and ESPC n = 50, m = 25, k = 5 under each shaping "
            f"({scenario(name)['episodes']} episodes, {trials} trials)",
            "",
            f"{ran(name)}. The raw-return variants repeat figure 4.5's ES n = 50 and ESPC: "
            + (
                "their trials are figure 4.5's stored ones to the bit."
                if all(repeated.values())
                else "their trials differ from figure 4.5's stored ones."
            ),
            "",
            f"![Fitness shaping on Cart Pole](figures/{name}.png)",
            "",
            "Mean over trials of each trial's mean reward in the window (10th-90th percentile "
            f"across the {trials} trials) / messages per agent per episode:",
            "",
            window_table(name, WINDOWS),
            "",
            f"Paired by trial, each trial's mean reward over episodes {CARTPOLE_FROM}-"
            f"{int(table_['episode'].max())}:",
            "",
            paired_table(
                table_,
                comparisons(fitnesses),
                CARTPOLE_FROM,
            ),
            "",
            "**Verdict, Cart Pole:** "
            + "; ".join(f"{SHAPING_NAMES[f]}: {verdict(versus[f])}" for f in fitnesses)
            + f". With {trials} paired trials a two-sided sign test needs {sign_needs(trials)} of "
            f"{trials} one way for p < 0.05. "
            "On Cart Pole ESPC did not beat ES n = 50 with raw returns (they are level, as in "
            "figure 4.5), and under either shaping ES is ahead of it. The shapings act in opposite "
            f"directions on the two: mean-subtracted returns lift ES ({shaped('ES', 'centred')} "
            f"against raw) and lower ESPC ({shaped('ESPC', 'centred')}); centred ranks leave ES "
            f"where it was ({shaped('ES', 'ranks')}) and lower ESPC "
            f"({shaped('ESPC', 'ranks')}). A plausible reading, not tested here: the reports ESPC "
            "sends are those whose utility F ||eps|| stood out, so with raw returns the sum over "
            "them already contrasts the sent samples with the unsent ones (the selection is the "
            "baseline), while shaped over the received reports alone that contrast is gone and "
            "what is left is the spread within the selected half.",
        ]
    )


def ant() -> str:
    table_ = ant_rounds()
    shaped = rounds(ANT)
    fitnesses = shapings(table_)
    last = int(shaped["episode"].max())
    trials = int(scenario(ANT)["trials"])
    raw_trials = sorted(
        set(table_[table_["variant"] == "ES raw"]["trial"]) & set(shaped["trial"])
    )  # the trials that pair with a raw-return one
    first = shaped[shaped["episode"] == 0]
    stored_first = rounds(ANT_RAW)
    stored_first = stored_first[
        (stored_first["episode"] == 0)
        & (stored_first["variant"] == "ES n=50")
        & stored_first["trial"].isin(raw_trials)
    ]
    matched = same_trials(
        first[(first["variant"] == "ES ranks") & first["trial"].isin(raw_trials)], stored_first
    )
    versus = {f: pair(table_, f"ESPC {f}", f"ES {f}", ANT_FROM) for f in fitnesses}
    means = (
        table_[table_["episode"] >= ANT_FROM]
        .groupby(["variant", "trial"], sort=False)["mu_reward"]
        .mean()
    )

    def mean_of(variant: str) -> str:
        return f"{means.loc[variant].loc[raw_trials].mean():.1f}"

    spread = round_spread(ANT_RAW, "ES n=50", last)
    ranked_gain = pair(table_, "ES ranks", "ES raw", ANT_FROM)["median_difference"]
    raw_lead = pair(table_, "ESPC raw", "ES raw", ANT_FROM)["median_difference"]
    late_trials = f"trials {listing([str(t) for t in raw_trials])}"
    return "\n".join(
        [
            f"### Ant: ES n = 50 and ESPC n = 50, m = 25, k = 5 with centred ranks ({last + 1} "
            f"episodes, {trials} trials), beside the raw-return runs of figure 4.6",
            "",
            f"{ran(ANT)}. The raw-return curves are figure 4.6's ES n = 50 and ESPC, trials "
            f"{listing([str(t) for t in raw_trials])}, over the same episodes: trial t has the same "
            "seed in both runs, and episode 0 (the same theta and noise whatever the shaping) "
            + (
                "is the same to the bit in both."
                if matched
                else "differs between them, so the pairing with the raw runs does not hold."
            ),
            "",
            f"![Fitness shaping on Ant](figures/{ANT}.png)",
            "",
            f"Each trial's mean reward over episodes {ANT_FROM}-{last}, by variant: "
            + "; ".join(
                f"{variant} {', '.join(f'{value:.1f}' for value in means.loc[variant])}"
                for variant in pd.unique(table_["variant"])
            )
            + ".",
            "",
            f"Paired by trial, each trial's mean reward over episodes {ANT_FROM}-{last}:",
            "",
            paired_table(
                table_,
                comparisons(fitnesses),
                ANT_FROM,
            ),
            "",
            "**Verdict, Ant:** "
            + "; ".join(f"{SHAPING_NAMES[f]}: {verdict(versus[f])}" for f in fitnesses)
            + f". With {trials} paired trials the smallest two-sided Wilcoxon p is "
            f"{p_value(2 / 2**trials)} (all {trials} one way); with the {len(raw_trials)} raw-return "
            f"trials, {2 / 2 ** len(raw_trials):.2f}, so the raw-return rows can show a "
            "direction, not a significant difference. "
            f"Over episodes {ANT_FROM}-{last}, ES's mean reward is {mean_of('ES raw')} with raw "
            f"returns and {mean_of('ES ranks')} ranked, ESPC's {mean_of('ESPC raw')} and "
            f"{mean_of('ESPC ranks')} (means over trials "
            f"{listing([str(t) for t in raw_trials])}). Within a round of figure 4.6's ES n = 50 "
            f"(episodes 0-{last}), the returns' standard deviation is {spread:.0%} of their mean "
            "(median over rounds): raw, the estimate is mostly mean(F) times the sum of the "
            "noise, as supposed above. Ranking removes that term: ES ranked gains "
            f"{ranked_gain:+.1f} over ES raw (median, {late_trials}), more than ESPC's lead with "
            f"raw returns ({raw_lead:+.1f}), and ranked ES is then ahead of ranked ESPC in "
            f"{int(versus[fitnesses[-1]]['worse'])} of {trials} trials. So over these episodes "
            "ESPC does not still beat ES: giving ES a baseline matches its lead on Ant, as "
            f"supposed. Cut to {last + 1} of 200 episodes and "
            f"{trials} trials (see `scenarios/fitness_shaping_ant.py`), this says nothing "
            "about the later episodes, where figure 4.6's curves keep apart.",
        ]
    )


INTRO = """## Sensitivity: does ESPC still beat ES under fitness shaping?

ES here uses raw returns, as the report's equation 2.1. On Ant the spread of F within a round is
small beside its mean, so the estimate 1 / (n sigma) sum F_i eps_i is dominated by mean(F) times
the sum of the noise, and ESPC's selection of the agents with the highest utilities acts as an
implicit baseline: a plausible reason why ESPC beats ES there. Salimans et al. (2017) shape the
returns before combining them. `ESConfig.fitness` (in `algorithms/es.py`, which ESPC inherits)
offers three shapings of the returns the learner combines in one step (for ESPC, the reports it
received that round): `raw` (the default, the report's), `centred` (F - mean F) and `ranks`
(Salimans' centred ranks, rank / (b - 1) - 1/2 from -0.5 to 0.5; tied returns share their mean
rank). Variant "ES ranks" is ES n = 50 with `fitness = "ranks"`, and so on; trial t of every
variant has the same seed, so trials pair. The runs are stored as per-round summaries in
`results/sensitivity_fitness_cartpole` and `results/sensitivity_fitness_ant`."""


def sections() -> list[str]:
    return [INTRO, cartpole(), ant()]
