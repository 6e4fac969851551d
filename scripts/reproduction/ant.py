"""The reproduction page's Ant sections (report figures 4.6, 4.9, 4.11), from the stored run
directories ``results/fig4_6_ant``, ``results/fig4_9_ant_m`` and ``results/fig4_11_ant_k``."""

from __future__ import annotations

import numpy as np
from scipy import stats

from reproduction.common import (
    above_from,
    agents,
    band,
    curve,
    first_reaching,
    freq,
    listing,
    mann_whitney,
    mean_abs_change,
    numbers,
    p_value,
    paired,
    per_trial_means,
    reports_per_trial,
    rounds,
    table,
    trial_times,
    variants,
    window,
    window_means,
)

WINDOWS = [(0, 0), (10, 49), (50, 99), (100, 149), (150, 199)]
K_WINDOWS = [(0, 0), (1, 9), (10, 49), (50, 99), (100, 149), (150, 199), (200, 249), (250, 299)]


def window_table(name: str, windows: list[tuple[int, int]]) -> str:
    """Per variant and window: mean (p10-p90) of the trials' window means / frequency."""
    means = window_means(name, windows)
    header = ["variant", *[f"episode {a}" if a == b else f"{a}-{b}" for a, b in windows]]
    rows = [
        [
            variant,
            *[
                f"{band(*means.loc[(variant, a, b), ['reward_mean', 'reward_p10', 'reward_p90']])}"
                f" / {freq(means.loc[(variant, a, b), 'frequency'])}"
                for a, b in windows
            ],
        ]
        for variant in variants(name)
    ]
    return table(header, rows)


def slope(name: str, variant: str, first: int, last: int) -> float:
    """The least-squares slope of the variant's mean curve over episodes first..last, per 100
    episodes."""
    values = curve(name, variant).loc[first:last]
    return float(stats.linregress(values.index.to_numpy(), values.to_numpy()).slope * 100)


def mean_steps(name: str) -> dict[str, float]:
    return agents(name).groupby("variant", sort=False)["steps"].mean().to_dict()


def intro() -> str:
    return "\n".join(
        [
            "### Figures 4.6, 4.9, 4.11: Ant",
            "",
            'Ant needs MuJoCo (`pip install -e ".[mujoco]"`). Its cost is the physics: with '
            "sigma = 0.02 around a fresh policy most agents' episodes run the full 1000 steps, so a "
            "round of n = 50 agents is up to 50,000 MuJoCo steps. The three runs are stored whole "
            "in `results/` (`results/README.md`); `netsim compare`, `netsim status` and `netsim "
            "plot` read them, and the same command that wrote one goes on with it. "
            "`netsim run --rollout-workers` spreads one trial's episodes over worker processes and "
            "changes no result (`tests/test_ant.py`, `tests/test_es_study.py`); the Ant scenarios "
            "leave it at 1 and let the trial workers spread the physics.",
        ]
    )


def fig4_6() -> str:
    name = "fig4_6_ant"
    es25, es50, espc = variants(name)
    steps = mean_steps(name)
    start = above_from(name, espc, [es25, es50])
    late = window(name, 50, 199)
    table_ = rounds(name)
    separated = all(
        table_[(table_["variant"] == espc) & (table_["episode"] == k)]["mu_reward"].min()
        > table_[(table_["variant"] != espc) & (table_["episode"] == k)]["mu_reward"].max()
        for k in range(50, 200)
    )
    vs25, vs50 = paired(name, es25, 50).loc[espc], paired(name, es50, 50).loc[espc]
    reports = reports_per_trial(name, espc)
    means = window_means(name, WINDOWS)
    after = [means.loc[(espc, a, b), "frequency"] for a, b in WINDOWS[1:]]
    r = {v: {w: means.loc[(v, *w), "reward_mean"] for w in WINDOWS} for v in variants(name)}
    return "\n".join(
        [
            "#### Figure 4.6 at full scale: ES n = 25, ES n = 50, ESPC n = 50, m = 25, k = 5 "
            "(200 episodes, 3 trials)",
            "",
            "`netsim run fig4_6_ant --out results/fig4_6_ant`, the report's settings: 9 trials "
            f"(agents' episodes averaged {steps[es25]:.0f} steps for ES n = 25, "
            f"{steps[es50]:.0f} for ES n = 50 and {steps[espc]:.0f} for ESPC). It was stored "
            "before trials recorded their times, so what it took is not in the results.",
            "",
            "![Figure 4.6 panels](figures/fig4_6_panels.png)",
            "",
            "![Figure 4.6 against simulated time](figures/fig4_6_reward_vs_time.png)",
            "",
            "Mean over trials of each trial's mean discounted reward in the window (10th-90th "
            "percentile across the 3 trials) / reports per agent per episode (`netsim compare "
            'results/fig4_6_ant --windows 0-0,10-49,50-99,100-149,150-199 --baseline "ES n=25" '
            "--from-episode 50`):",
            "",
            window_table(name, WINDOWS),
            "",
            "(With 3 trials the 10th-90th percentile columns are near the lowest and highest "
            f"trial.) Reports per trial: ESPC {listing([f'{x:,}' for x in reports])}, against "
            f"ES n=25's {reports_per_trial(name, es25).iloc[0]:,}.",
            "",
            table(
                ["report's finding", "ours"],
                [
                    [
                        "ESPC's mean reward is above both ES's in every episode",
                        f"**Holds from episode {start} on** ({200 - start} of 200 episodes; before "
                        "that ESPC starts from the same policy as ES n=50 and they are level)."
                        + (
                            " From episode 50 on the separation is complete: in every episode "
                            "ESPC's *worst* trial is above the *best* trial of either ES."
                            if separated
                            else ""
                        )
                        + " Over episodes 50-199 ESPC beats ES n=25 by a median "
                        f"{vs25['median_difference']:.1f} and ES n=50 by "
                        f"{vs50['median_difference']:.1f}, in {int(vs25['better'])} and "
                        f"{int(vs50['better'])} of 3 paired trials (the smallest Wilcoxon p with 3 "
                        f"pairs is {p_value(vs50['wilcoxon_p'])}, so the test cannot say more); "
                        f"ESPC's per-trial means are {late.loc[espc, 'reward'].min():.1f}-"
                        f"{late.loc[espc, 'reward'].max():.1f}, the ES ones' "
                        f"{late.loc[[es25, es50], 'reward'].min():.1f}-"
                        f"{late.loc[[es25, es50], 'reward'].max():.1f}.",
                    ],
                    [
                        "ESPC sends about as many messages as ES n = 25",
                        f"**Holds.** {freq(means.loc[(espc, 0, 0), 'frequency'])} reports per "
                        "agent per episode on episode 0 (m/n = 0.5 exactly, figure 4.7) and "
                        f"{min(after):.2f}-{max(after):.2f} in the later windows, "
                        f"{reports.min():,}-{reports.max():,} reports per trial against ES n=25's "
                        f"{reports_per_trial(name, es25).iloc[0]:,}.",
                    ],
                    [
                        "After episode 125 ESPC rises while ES n = 50 stays flat and ES n = 25 "
                        "drops",
                        "**Only ES n = 25's drop holds.** ESPC has no onset at 125: its mean curve "
                        f"rises from episode {start} on, by {slope(name, espc, start, 124):.1f} "
                        f"per 100 episodes over episodes {start}-124 (least-squares slope of the "
                        f"mean curve) and {slope(name, espc, 125, 199):.1f} over 125-199, "
                        f"from {r[espc][(10, 49)]:.1f} over episodes 10-49 to "
                        f"{r[espc][(150, 199)]:.1f} over 150-199. ES n = 50 does not stay flat, "
                        f"it falls ({slope(name, es50, 125, 199):.1f} per 100 episodes over "
                        f"125-199; {r[es50][(50, 99)]:.1f} over 50-99, {r[es50][(150, 199)]:.1f} "
                        f"over 150-199), as ES n = 25 does ({slope(name, es25, 125, 199):.1f}; "
                        f"{r[es25][(50, 99)]:.1f} to {r[es25][(150, 199)]:.1f}).",
                    ],
                    [
                        "A communication jump at the start",
                        "**Not at m = 25, by design** (as on Cart Pole): the first-episode "
                        "p_comm is exactly 0.5.",
                    ],
                ],
            ),
        ]
    )


def ant_times(name: str) -> str:
    """The sums of the trials' stored times."""
    times = trial_times(name)
    return (
        f"The {len(times)} trials run for it took **{times['wall_s'].sum() / 3600:.1f} hours of "
        f"wall time and {times['cpu_s'].sum() / 3600:.1f} hours of CPU time of one core** (the "
        "sums of their `timing.json`, which count a round replayed from a journal at what it took "
        "when computed), run two trials at a time on 2 cores over several sessions, resumed each "
        "time by the same command"
    )


def fig4_9() -> str:
    name = "fig4_9_ant_m"
    es, *espc = variants(name)
    ms = [v.split("=")[1] for v in espc]
    steps = mean_steps(name)
    times = trial_times(name)
    per_trial_min = times.groupby("variant", sort=False)["wall_s"].mean() / 60
    vs = paired(name, es, 50)
    means = window_means(name, WINDOWS)
    table_ = rounds(name)
    late = table_[table_["episode"] >= 20].groupby("variant", sort=False)["frequency"].mean()
    first = {
        k: table_[table_["episode"] == k].groupby("variant", sort=False)["frequency"].mean()
        for k in (0, 1)
    }
    starts = {v: above_from(name, v, [es]) for v in espc}
    falls = {v: largest_falls(name, v, 100) for v in [es, *espc]}
    reach = {v: first_reaching(name, v, 100) for v in [es, *espc]}
    change = {v: mean_abs_change(name, v, 50, 199) for v in [es, *espc]}
    overall = {v: per_trial_means(name, v, 50, 199).mean() for v in espc}
    best = max(overall, key=overall.get)
    r = {v: {w: means.loc[(v, *w), "reward_mean"] for w in WINDOWS} for v in variants(name)}

    def reached(v: str) -> str:
        values = np.array(reach[v])
        hit = values[~np.isnan(values)]
        return f"{np.median(hit):.0f} ({len(hit)} of {len(values)})" if hit.size else "never"

    return "\n".join(
        [
            "#### Figure 4.9 at full scale: ESPC n = 50, k = 10, m = 5, 10, 15, 30, 45, beside "
            "ES n = 50 (200 episodes, 6 trials)",
            "",
            "`netsim run fig4_9_ant_m --out results/fig4_9_ant_m --reuse results/fig4_6_ant`, the "
            "report's settings: 36 trials, of which ES n = 50's trials 0-2 are figure 4.6's "
            f"(`--reuse`). {ant_times(name)}. A trial took "
            f"{listing([f'{x:.1f}' for x in per_trial_min])} min of wall time on average for "
            f"{listing(list(per_trial_min.index))}; agents' episodes averaged "
            f"{listing([f'{steps[v]:.0f}' for v in [es, *espc]])} steps in the same order.",
            "",
            "![Figure 4.9 panels](figures/fig4_9_panels.png)",
            "",
            "![Figure 4.9 against simulated time](figures/fig4_9_reward_vs_time.png)",
            "",
            "Mean over trials of each trial's mean discounted reward in the window (10th-90th "
            "percentile across the 6 trials) / reports per agent per episode (`netsim compare "
            'results/fig4_9_ant_m --windows 0-0,10-49,50-99,100-149,150-199 --baseline "ES n=50" '
            "--from-episode 50`):",
            "",
            window_table(name, WINDOWS),
            "",
            "Paired by trial against ES n = 50 over episodes 50-199 (with 6 pairs the smallest "
            "two-sided Wilcoxon p is 0.031):",
            "",
            paired_table(vs),
            "",
            table(
                ["report's finding", "ours"],
                [
                    [
                        "For every m but 5, ESPC's reward is above ES's in almost every episode",
                        "**Holds, and for m = 5 too.** Each m's mean curve is above ES n = 50's "
                        "in every episode from "
                        f"{listing([str(starts[v]) for v in espc])} on for m = {listing(ms)} "
                        "(all start from the same policy); paired by trial every m beats ES in "
                        f"{listing([str(int(vs.loc[v, 'better'])) for v in espc])} of 6 trials, by a "
                        f"median of {numbers(vs.loc[espc, 'median_difference'], 1)}. "
                        f"ES n = 50 itself declines slowly ({r[es][(50, 99)]:.1f} over episodes "
                        f"50-99, {r[es][(150, 199)]:.1f} over 150-199).",
                    ],
                    [
                        "m = 5 collapses around episode 120",
                        "**Not seen in 6 trials: m = 5 swings, it does not collapse.** The "
                        "largest fall of a trial's 10-episode mean reward below its best so far, "
                        "after episode 100, is "
                        + "; ".join(
                            f"{falls[v][0]:.0f}-{falls[v][1]:.0f} for {v}"
                            for v in [espc[0], espc[1], espc[2], es]
                        )
                        + f"; but m = 5's mean over episodes 150-199 ({r[espc[0]][(150, 199)]:.1f})"
                        f" is no lower than over 100-149 ({r[espc[0]][(100, 149)]:.1f}). What "
                        "m = 5 does show is a stall: it is level with m = 10 and 15 over episodes "
                        f"10-49 ({r[espc[0]][(10, 49)]:.1f}, {r[espc[1]][(10, 49)]:.1f}, "
                        f"{r[espc[2]][(10, 49)]:.1f}), then stays near "
                        f"{r[espc[0]][(150, 199)]:.0f} while they climb on to "
                        f"{r[espc[1]][(150, 199)]:.1f} and {r[espc[2]][(150, 199)]:.1f} over "
                        "episodes 150-199.",
                    ],
                    [
                        "ESPC's frequency is about m/n of ES's",
                        "**Holds.** Over episodes 20-199 the measured frequency is "
                        f"{listing([f'{late[v]:.3f}' for v in espc])} for m/n = "
                        f"{listing([f'{int(m) / 50:g}' for m in ms])}.",
                    ],
                    [
                        "A jump in communication at the start of training",
                        "**Holds, as figure 4.7 predicts.** Episode 0's frequency is "
                        f"{listing([f'{first[0][v]:.3f}' for v in espc])} for m = {listing(ms)} "
                        "(figure 4.7's binomial tail at p = 1/2); episode 1's is "
                        f"{listing([f'{first[1][v]:.3f}' for v in espc])}. Where no agent reports "
                        "on episode 0 the learner does not step and episode 1 replays the "
                        "starting policy.",
                    ],
                    [
                        "Smaller m learns faster but erratically",
                        "**Erratically, yes; faster, only than m = 45.** A trial's mean reward "
                        "moves by "
                        f"{listing([f'{change[v]:.1f}' for v in espc])} per episode (mean absolute "
                        f"change over episodes 50-199) for m = {listing(ms)}, against "
                        f"{change[es]:.1f} for ES. Over episodes 10-49 m = {listing(ms)} average "
                        f"{listing([f'{r[v][(10, 49)]:.1f}' for v in espc])}. The median episode "
                        "at which a trial's 10-episode mean first reaches 100 (trials that do) is "
                        f"{listing([reached(v) for v in espc])} for m = {listing(ms)}, and "
                        f"{reached(es)} for ES n = 50.",
                    ],
                    [
                        "An optimal m (m = 15 on Cart Pole)",
                        f"**Hump-shaped in m.** Over episodes 50-199 m = {listing(ms)} average "
                        f"{listing([f'{overall[v]:.1f}' for v in espc])} (per-trial means); "
                        f"{best} is highest, with Mann-Whitney p = "
                        + ", ".join(
                            f"{p_value(mann_whitney(name, best, v, 50, 199))} against {v}"
                            for v in espc
                            if v != best
                        )
                        + " (6 trials each).",
                    ],
                ],
            ),
        ]
    )


def largest_falls(name: str, variant: str, first: int) -> tuple[float, float]:
    """Over the variant's trials, the smallest and largest of: the largest fall, at an episode
    from ``first`` on, of the trial's 10-episode mean reward below its best so far."""
    table_ = rounds(name)
    falls = []
    for _, trial in table_[table_["variant"] == variant].groupby("trial"):
        rolling = trial.sort_values("episode")["mu_reward"].rolling(10).mean().to_numpy()
        drawdown = np.fmax.accumulate(np.nan_to_num(rolling, nan=-np.inf)) - rolling
        falls.append(np.nanmax(drawdown[first:]))
    return min(falls), max(falls)


def paired_table(vs) -> str:
    return table(
        [
            "variant",
            "trials",
            "better / worse",
            "median difference",
            "Wilcoxon p",
            "Mann-Whitney p",
        ],
        [
            [
                variant,
                str(int(row["trials"])),
                f"{int(row['better'])} / {int(row['worse'])}",
                f"{row['median_difference']:.1f}",
                p_value(row["wilcoxon_p"]),
                p_value(row["mann_whitney_p"]),
            ]
            for variant, row in vs.iterrows()
        ],
    )


def fig4_11() -> str:
    from analysis import frequency_against_rise

    name = "fig4_11_ant_k"
    es, *espc = variants(name)
    ks = [v.split("=")[1] for v in espc]
    steps = mean_steps(name)
    times = trial_times(name)
    step_counts = agents(name).groupby(["variant", "trial"], sort=False)["steps"].sum()
    per_step = times.set_index(["variant", "trial"])["cpu_s"] / step_counts * 1e6
    replayed = times["replayed_batches"].fillna(0)
    vs = paired(name, es, 50)
    rise = frequency_against_rise(rounds(name), rise=10, from_episode=50).set_index("variant")
    late = window(name, 50, 299)
    table_ = rounds(name)
    whole = table_[table_["episode"] >= 20].groupby("variant", sort=False)["frequency"].mean()
    starts = {v: above_from(name, v, [es]) for v in espc}
    overall = {v: late.loc[v, "reward"].mean() for v in espc}
    pairs = [(a, b) for i, a in enumerate(espc) for b in espc[i + 1 :]]
    reports = {v: reports_per_trial(name, v) for v in variants(name)}
    reach = {v: first_reaching(name, v, 100) for v in variants(name)}
    change = {v: mean_abs_change(name, v, 50, 299) for v in variants(name)}
    r = {
        v: {w: window_means(name, K_WINDOWS).loc[(v, *w), "reward_mean"] for w in K_WINDOWS}
        for v in variants(name)
    }
    uplink = table_.groupby(["variant", "trial"], sort=False)["uplink_wire_bytes"].sum()
    uplink = uplink.groupby("variant", sort=False).mean() / 1000
    rows = [
        [
            v,
            f"{int(vs.loc[v, 'better'])} / {int(vs.loc[v, 'worse'])}",
            f"{vs.loc[v, 'median_difference']:.1f}",
            p_value(vs.loc[v, "wilcoxon_p"]),
            p_value(vs.loc[v, "mann_whitney_p"]),
            f"{rise.loc[v, 'rising_frequency']:.3f} ({int(rise.loc[v, 'rising_rounds'])}) / "
            f"{rise.loc[v, 'flat_frequency']:.3f} ({int(rise.loc[v, 'flat_rounds'])})",
            f"{rise.loc[v, 'correlation']:.2f}",
        ]
        for v in espc
    ]
    reached = {v: np.array(reach[v]) for v in reach}
    return "\n".join(
        [
            "#### Figure 4.11 at full scale: ESPC n = 50, m = 25, k = 3, 10, 30, beside ES n = 50 "
            "(300 episodes, 5 trials)",
            "",
            "`netsim run fig4_11_ant_k --out results/fig4_11_ant_k`, the report's settings: 20 "
            f"trials of 300 episodes, all with 50 agents (agents' episodes averaged "
            f"{listing([f'{steps[v]:.0f}' for v in variants(name)])} steps for "
            f"{listing(variants(name))}). {ant_times(name)}, with rollout journals (README, "
            f'"Using it"): {int((replayed > 0).sum())} of the 20 trials went on from a journal, '
            f"with {int(replayed[replayed > 0].min())} to {int(replayed.max())} replayed rounds. "
            "The machine's speed changed from session to session: a trial's CPU time per step an "
            f"ant took ranged from {per_step.min():.0f} to {per_step.max():.0f} µs (its "
            "`timing.json` cpu_s over the sum of `steps` in its metrics).",
            "",
            "![Figure 4.11 panels](figures/fig4_11_panels.png)",
            "",
            "![Figure 4.11 against simulated time](figures/fig4_11_reward_vs_time.png)",
            "",
            "Mean over trials of each trial's mean discounted reward in the window (10th-90th "
            "percentile across the 5 trials) / reports per agent per episode (`netsim compare "
            "results/fig4_11_ant_k --windows 0-0,1-9,10-49,50-99,100-149,150-199,200-249,250-299 "
            '--baseline "ES n=50" --from-episode 50 --rise 10`):',
            "",
            window_table(name, K_WINDOWS),
            "",
            "k only matters once an agent has played more than k episodes, so the three k are the "
            "same on episodes 0-2 and k = 10 and 30 on episodes 0-9. Reports per trial: "
            + "; ".join(
                f"{v} {reports[v].min():,}-{reports[v].max():,}"
                if reports[v].min() != reports[v].max()
                else f"{v} {reports[v].min():,}"
                for v in variants(name)
            )
            + ".",
            "",
            "Paired by trial against ES n = 50 over episodes 50-299 (with 5 pairs the smallest "
            "two-sided Wilcoxon p is 0.0625), and whether sending follows reward over the same "
            "episodes: the frequency in rounds where the trial's mean reward rose by more than 10 "
            "over the last 10 episodes, against rounds where it was flat (within 1), and the "
            "correlation of frequency with that rise:",
            "",
            table(
                [
                    "variant",
                    "better / worse",
                    "median difference",
                    "Wilcoxon p",
                    "Mann-Whitney p",
                    "frequency when rising / flat (rounds)",
                    "correlation",
                ],
                rows,
            ),
            "",
            table(
                ["report's finding", "ours"],
                [
                    [
                        "Every ESPC exceeds ES for most episodes, on Ant as on Cart Pole",
                        "**Holds on Ant.** Each k's mean curve is above ES n = 50's in every "
                        f"episode from {listing([str(starts[v]) for v in espc])} on for "
                        f"k = {listing(ks)}. Paired by trial each k beats ES in "
                        f"{listing([str(int(vs.loc[v, 'better'])) for v in espc])} of 5 trials over "
                        "episodes 50-299, by a median "
                        f"{numbers(vs.loc[espc, 'median_difference'], 1)}; "
                        f"ESPC's per-trial means are {late.loc[espc, 'reward'].min():.1f}-"
                        f"{late.loc[espc, 'reward'].max():.1f}, ES's "
                        f"{late.loc[es, 'reward'].min():.1f}-{late.loc[es, 'reward'].max():.1f}.",
                    ],
                    [
                        "No obvious effect of k on reward",
                        "**Holds.** Per-trial means over episodes 50-299 average "
                        f"{listing([f'{overall[v]:.1f}' for v in espc])} for k = {listing(ks)}, "
                        "and no pair differs (Mann-Whitney p = "
                        + ", ".join(
                            f"{p_value(mann_whitney(name, a, b, 50, 299))}" for a, b in pairs
                        )
                        + " for k = "
                        + ", ".join(
                            f"{a.split('=')[1]} against {b.split('=')[1]}" for a, b in pairs
                        )
                        + ").",
                    ],
                    [
                        "Communication tracks learning more closely as k grows",
                        "**Holds.** Over episodes 50-299, when a trial's reward has risen by more "
                        "than 10 over the last 10 episodes, ESPC sends "
                        f"{numbers(rise.loc[espc, 'rising_frequency'], 3)} for "
                        f"k = {listing(ks)}, against "
                        f"{numbers(rise.loc[espc, 'flat_frequency'], 3)} when "
                        "it is flat, and the correlation of frequency with the rise is "
                        f"{numbers(rise.loc[espc, 'correlation'], 2)}. With a "
                        "longer window the newest utility moves its own mean and variance less, so "
                        "during a rise it stands further above them. The whole-run frequency grows "
                        f"with k: {listing([f'{whole[v]:.3f}' for v in espc])} over episodes "
                        "20-299 against m/n = 0.5.",
                    ],
                    [
                        "At the start, jumps in communication that differ by k and last a time "
                        "proportional to k, while the rewards rise alike",
                        "See the frequency panel: over episodes 1-9 the three k's rewards are "
                        f"{listing([f'{r[v][(1, 9)]:.1f}' for v in espc])} and their frequencies "
                        + listing(
                            [
                                f"{window_means(name, K_WINDOWS).loc[(v, 1, 9), 'frequency']:.3f}"
                                for v in espc
                            ]
                        )
                        + "; over episodes 10-49 "
                        f"{listing([f'{r[v][(10, 49)]:.1f}' for v in espc])} and "
                        + listing(
                            [
                                f"{window_means(name, K_WINDOWS).loc[(v, 10, 49), 'frequency']:.3f}"
                                for v in espc
                            ]
                        )
                        + ".",
                    ],
                ],
            ),
            "",
            f"Over 300 episodes ES n = 50 declines steadily: from {r[es][(10, 49)]:.1f} over "
            f"episodes 10-49 to {r[es][(150, 199)]:.1f} over 150-199 and "
            f"{r[es][(250, 299)]:.1f} over 250-299. {int((~np.isnan(reached[es])).sum())} of its "
            "5 trials' 10-episode mean ever reaches 100, against "
            f"{listing([str(int((~np.isnan(reached[v])).sum())) for v in espc])} of ESPC's "
            f"k = {listing(ks)}. A trial's mean reward moves by "
            f"{listing([f'{change[v]:.1f}' for v in espc])} per episode (mean absolute change "
            f"over episodes 50-299) for k = {listing(ks)}, against {change[es]:.1f} for ES. "
            "ESPC's uplink carries "
            f"{listing([f'{uplink[v]:.0f}' for v in espc])} kB a trial against ES's "
            f"{uplink[es]:.0f} kB, not half of it: an agent with nothing to send still sends its "
            "notice.",
        ]
    )


def sections() -> list[str]:
    return [intro(), fig4_6(), fig4_9(), fig4_11()]
