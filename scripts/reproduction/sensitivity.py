"""The reproduction page's sensitivity studies: which of the report's tabular findings
hang on the choices it left open. Three questions, each a scenario in ``scenarios/`` whose full run
is stored as a per-round summary in ``results/NAME`` (as the figures' are):

- EBCDQL's trigger (rho, beta, floor) on Simple Grid, Windy Grid and Frozen Lake
  (``sensitivity_ebcdql_*``): reward against communication, and where figure 3.4's stall appears;
- DAVIA's threshold rising (the report's formula, ours) or falling (its text)
  (``sensitivity_davia``);
- Frozen Lake with a fifth action, "stay", as the report gives its grids
  (``sensitivity_stay_lake``), against figure 3.5's stored 4-action trials with the same seeds.

Per trial a study is read as window means (``common.window``); a point's band is the 10th-90th
percentile of its trials, as the report's figures. "Not lower than DQL" is a one-sided
Mann-Whitney test of the trials at the 5% level (p <= 0.05 is lower; with 3 trials a side, the
smallest p there is, 0.05, says every trial is below every one of DQL's).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from reproduction.common import (
    band,
    first_reaching,
    freq,
    listing,
    p_value,
    ran,
    rounds,
    scenario,
    size,
    table,
    window,
)

EBCDQL = {
    "Simple Grid": "sensitivity_ebcdql_simple_grid",
    "Windy Grid": "sensitivity_ebcdql_windy_grid",
    "Frozen Lake": "sensitivity_ebcdql_frozen_lake",
}
"""The EBCDQL trigger grid's stored runs, by world."""
DAVIA = "sensitivity_davia"
STAY = "sensitivity_stay_lake"
"""The stay-lake run; it is read against figure 3.5's 4-action trials (:data:`FOUR`)."""
FOUR = "fig3_5_frozen_lake"
STUDIES = (*EBCDQL.values(), DAVIA, STAY)
"""Every study stored in ``results/``."""
FIGURES = ("sensitivity_ebcdql", "sensitivity_davia", "sensitivity_stay")
"""The section's figures in ``docs/figures/`` (PNG, with a PDF beside each)."""

DEFAULT_BETA = 0.1
"""The beta at which the floor x rho grid is run (``scenarios/_sensitivity.py``)."""
OPTIMUM = -(1 - 0.9**7) / 0.1
"""Simple Grid's best discounted return (8 moves, gamma = 0.9)."""
STALL_GAP = 0.01
"""A Simple Grid trial has stalled when its mean reward over episodes 900-999 is more than this
below the optimum while its agents send in fewer than :data:`STALL_FREQUENCY` of those
agent-episodes: a sub-optimal policy with little communication, figure 3.4's EBCDQL."""
STALL_FREQUENCY = 0.05
LITTLE = 0.25
""""Little communication" on Frozen Lake: sending in at most a quarter of agent-episodes (the
report's EBCDQL sends "very little"; ours at its defaults in 10%)."""
SETTLED = (500, 999)
"""The window over which a grid's learnt reward is read."""


def interval(values: np.ndarray, digits: int) -> str:
    """The mean (10th to 90th percentile) of ``values``."""
    mean, p10, p90 = values.mean(), np.percentile(values, 10), np.percentile(values, 90)
    return f"{mean:.{digits}f} ({p10:.{digits}f} to {p90:.{digits}f})"


def percent(value: float) -> str:
    """A share of agent-episodes as a percentage, three significant digits (0% only when
    none)."""
    return "0%" if value == 0 else f"{100 * value:.3g}%"


# ---- measures -------------------------------------------------------------------------------


def trigger(name: str) -> pd.DataFrame:
    """Per variant of an EBCDQL grid study (in run order): floor, rho, beta (NaN for DQL)."""
    rows = []
    for variant in scenario(name)["variants"]:
        config = variant["config"]
        rows.append(
            {
                "variant": variant["name"],
                "floor": config.get("threshold_floor", np.nan),
                "rho": config.get("rho", np.nan),
                "beta": config.get("beta", np.nan),
            }
        )
    return pd.DataFrame(rows).set_index("variant")


def per_trial(name: str, reward_window: tuple[int, int]) -> pd.DataFrame:
    """Per (variant, trial): ``reward``, the mean over ``reward_window``; ``frequency`` and
    ``size_bytes``, the means over the whole run; ``stalled`` (:data:`STALL_GAP`; read only on
    Simple Grid, whose optimum it is measured from)."""
    whole = window(name, 0, int(rounds(name)["episode"].max()))
    late = window(name, 900, 999)
    out = whole[["frequency", "size_bytes"]].copy()
    out["reward"] = window(name, *reward_window)["reward"]
    out["stalled"] = (late["reward"] < OPTIMUM - STALL_GAP) & (late["frequency"] < STALL_FREQUENCY)
    return out


def not_lower(values: np.ndarray, reference: np.ndarray) -> float:
    """The one-sided Mann-Whitney p-value of ``values`` being lower than ``reference``."""
    if np.array_equal(np.unique(values), np.unique(reference)) and len(np.unique(values)) == 1:
        return 1.0  # every trial the same value on both sides: no evidence of a difference
    return float(stats.mannwhitneyu(values, reference, alternative="less").pvalue)


def points(world: str) -> pd.DataFrame:
    """Per variant of the world's EBCDQL grid (DQL first): its trigger, the mean, 10th and 90th
    percentile over trials of its reward (the settled window; the whole run on Frozen Lake, the
    report's cumulative panel divided by 1000) and frequency, its mean bytes per agent-episode,
    its stalled trials, the p-value of its reward being lower than DQL's, and on Simple Grid the
    median over trials of the first episode whose last 10 episodes' mean reward is within
    :data:`STALL_GAP` of the optimum (NaN when most trials never get there)."""
    name = EBCDQL[world]
    trials = per_trial(name, (0, 999) if world == "Frozen Lake" else SETTLED)
    dql = trials.loc["DQL", "reward"].to_numpy()
    rows = []
    for variant, mine in trials.groupby(level="variant", sort=False):
        reward, frequency = mine["reward"].to_numpy(), mine["frequency"].to_numpy()
        rows.append(
            {
                "variant": variant,
                "trials": len(mine),
                "reward": reward.mean(),
                "reward_p10": np.percentile(reward, 10),
                "reward_p90": np.percentile(reward, 90),
                "frequency": frequency.mean(),
                "frequency_p10": np.percentile(frequency, 10),
                "frequency_p90": np.percentile(frequency, 90),
                "size_bytes": mine["size_bytes"].mean(),
                "stalled": int(mine["stalled"].sum()) if world == "Simple Grid" else 0,
                "lower_p": 1.0 if variant == "DQL" else not_lower(reward, dql),
                "to_optimum": np.median(first_reaching(name, variant, OPTIMUM - STALL_GAP))
                if world == "Simple Grid"
                else np.nan,
            }
        )
    return pd.DataFrame(rows).set_index("variant").join(trigger(name))


def keeps_dql(world: str) -> pd.DataFrame:
    """The EBCDQL points whose reward is not lower than DQL's at the 5% level, least
    communication first."""
    table_ = points(world).drop(index="DQL")
    return table_[table_["lower_p"] > 0.05].sort_values("frequency")


def default_label() -> str:
    from algorithms.ebcdql import EBCDQLConfig

    config = EBCDQLConfig()
    return f"EBCDQL floor={config.threshold_floor:g} rho={config.rho:g} beta={config.beta:g}"


# ---- figures --------------------------------------------------------------------------------


def draw(folder: Path) -> None:
    """Draw the section's figures (:data:`FIGURES`) into ``folder``."""
    from analysis import style

    style.save(ebcdql_figure(), folder / f"{FIGURES[0]}.png")
    style.save(davia_figure(), folder / f"{FIGURES[1]}.png")
    style.save(stay_figure(), folder / f"{FIGURES[2]}.png")


def spread(row: pd.Series, measure: str) -> list[list[float]]:
    """An error bar from the mean down to the 10th and up to the 90th percentile (0 where
    rounding puts the mean a hair outside them)."""
    low = max(0.0, row[measure] - row[f"{measure}_p10"])
    return [[low], [max(0.0, row[f"{measure}_p90"] - row[measure])]]


def ebcdql_figure():
    """Per world, each trigger's reward against its frequency (means, with 10th-90th percentile
    bars across trials): colour by floor, marker by rho, beta 0.05 / 0.3 as open markers; DQL a
    black star; the stall region (most trials stalled) ringed in red."""
    from matplotlib.lines import Line2D

    from analysis import style

    @style.styled
    def build():
        fig = style.figure(style.PAGE_IN)
        axes = fig.subplots(1, len(EBCDQL))
        floors = sorted(trigger(EBCDQL["Simple Grid"])["floor"].dropna().unique())
        rhos = sorted(trigger(EBCDQL["Simple Grid"])["rho"].dropna().unique())
        colours = dict(zip(floors, style.COLOURS, strict=False))
        markers = dict(zip(rhos, style.MARKERS, strict=False))
        for ax, world in zip(axes, EBCDQL, strict=True):
            table_ = points(world)
            for variant, row in table_.iterrows():
                dql = variant == "DQL"
                colour = "black" if dql else colours[row["floor"]]
                ax.errorbar(
                    row["frequency"],
                    row["reward"],
                    xerr=spread(row, "frequency"),
                    yerr=spread(row, "reward"),
                    color=colour,
                    marker="*" if dql else markers[row["rho"]],
                    markersize=8 if dql else 5,
                    markerfacecolor="none" if not dql and row["beta"] != DEFAULT_BETA else colour,
                    linewidth=0.6,
                    capsize=0,
                )
                if row["stalled"] > row["trials"] / 2:
                    ax.plot(
                        row["frequency"],
                        row["reward"],
                        "o",
                        markersize=11,
                        color="red",
                        markerfacecolor="none",
                        linewidth=0.8,
                    )
                if variant == default_label():
                    ax.annotate(
                        "default",
                        (row["frequency"], row["reward"]),
                        fontsize=6,
                        xytext=(4, -8),
                        textcoords="offset points",
                    )
            reward = "over the run" if world == "Frozen Lake" else "over episodes 500-999"
            ax.set(title=world, xlabel="messages per agent-episode", ylabel=f"reward {reward}")
            ax.set_xscale("log")
        handles = [Line2D([], [], color="black", marker="*", linestyle="", markersize=8)]
        labels = ["DQL"]
        handles += [Line2D([], [], color=colours[f], marker="o", linestyle="") for f in floors]
        labels += [f"floor {f:g}" for f in floors]
        handles += [Line2D([], [], color="grey", marker=markers[r], linestyle="") for r in rhos]
        labels += [f"rho {r:g}" for r in rhos]
        handles += [Line2D([], [], color="grey", marker="o", markerfacecolor="none", linestyle="")]
        labels += ["beta 0.05 or 0.3 (else 0.1)"]
        handles += [
            Line2D(
                [], [], color="red", marker="o", markersize=9, markerfacecolor="none", linestyle=""
            )
        ]
        labels += ["stall: most trials stalled"]
        style.legend_below(fig, handles, labels, "mean and 10th-90th percentile across trials")
        return fig

    return build()


def readings(world: str) -> pd.DataFrame:
    """The DAVIA study's per-round table for one world, variants renamed to their reading."""
    table_ = rounds(DAVIA)
    mine = table_[table_["variant"].str.startswith(f"{world}: ")].copy()
    mine["variant"] = mine["variant"].str.removeprefix(f"{world}: ")
    return mine


def reward_and_frequency(
    columns: list[tuple[str, pd.DataFrame, str]], palette, reward_label: str, sharey: bool
):
    """A figure of one column per (title, per-round table, reward column): the reward (top) and
    the messages per agent (bottom) of each variant, mean and 10th-90th percentile across
    trials."""
    from analysis import style
    from analysis.aggregate import summarise
    from analysis.estimators import note
    from analysis.plots import add_legend, draw_curves

    @style.styled
    def build():
        fig = style.figure(style.PAGE_IN, rows=2)
        axes = fig.subplots(2, len(columns), squeeze=False, sharey="row" if sharey else False)
        drawn, trials = [], []
        for column, (title, table_, reward) in enumerate(columns):
            for row, metric in enumerate((reward, "frequency")):
                summary = summarise(table_, metric, "mean-p10-p90")
                drawn.append(draw_curves(axes[row, column], summary, "episode", palette))
                trials.append(summary["trials"])
            axes[0, column].set(title=title)
            axes[1, column].set(xlabel="episode")
        axes[0, 0].set_ylabel(reward_label)
        axes[1, 0].set_ylabel("messages per agent")
        add_legend(fig, palette, drawn, note("mean-p10-p90", pd.concat(trials)))
        return fig

    return build()


def davia_figure():
    """Per world (columns), DAVIA's reward (top; cumulative on Frozen Lake) and frequency
    (bottom) under each reading of its threshold: mean and 10th-90th percentile across trials."""
    from analysis import style

    worlds = list(EBCDQL)
    columns = [
        (world, readings(world), "cumulative_reward" if world == "Frozen Lake" else "reward")
        for world in worlds
    ]
    palette = style.Palette(pd.unique(readings(worlds[0])["variant"]))
    return reward_and_frequency(columns, palette, "reward (Frozen Lake: cumulative)", False)


def stay_figure():
    """Frozen Lake's cumulative reward (top) and frequency (bottom) per algorithm, with four
    actions (left, figure 3.5's stored trials) and with "stay" (right)."""
    from analysis import style

    both = paired_lakes()
    stay = both["variant"].str.endswith(" stay")
    palette = style.Palette(pd.unique(both[~stay]["variant"]))
    columns = [
        (
            f"Frozen Lake, {title}",
            table_.assign(variant=table_["variant"].str.removesuffix(" stay")),
            "cumulative_reward",
        )
        for title, table_ in [("four actions", both[~stay]), ("with stay", both[stay])]
    ]
    return reward_and_frequency(columns, palette, "cumulative mean discounted return", True)


def paired_lakes() -> pd.DataFrame:
    """Figure 3.5's 4-action trials that the stay run has (the same seeds), variants labelled
    "NAME" and "NAME stay", in the figure's variant order."""
    stay = rounds(STAY).copy()
    four = rounds(FOUR)
    four = four[four["trial"] < stay["trial"].nunique()].copy()
    stay["variant"] = stay["variant"] + " stay"
    return pd.concat([four, stay], ignore_index=True)


# ---- text -----------------------------------------------------------------------------------


def ebcdql_table(world: str) -> str:
    table_ = points(world)
    reward_name = "reward 0-999" if world == "Frozen Lake" else "reward 500-999"
    header = [
        "floor",
        "rho",
        "beta",
        f"{reward_name} (p10-p90)",
        "frequency (p10-p90)",
        "bytes",
        "p lower than DQL",
    ]
    if world == "Simple Grid":
        header += ["stalled trials", "median episode at the optimum"]
    digits = 4 if world == "Frozen Lake" else 3
    rows = []
    for variant, row in table_.iterrows():
        name = (
            ["DQL", "", ""]
            if variant == "DQL"
            else [f"{row['floor']:g}", f"{row['rho']:g}", f"{row['beta']:g}"]
        )
        if variant == default_label():
            name = [f"**{cell}**" for cell in name]
        cells = [
            *name,
            f"{row['reward']:.{digits}f} ({row['reward_p10']:.{digits}f} to "
            f"{row['reward_p90']:.{digits}f})",
            band(row["frequency"], row["frequency_p10"], row["frequency_p90"], 3),
            size(row["size_bytes"]),
            "" if variant == "DQL" else p_value(row["lower_p"]),
        ]
        if world == "Simple Grid":
            at = row["to_optimum"]
            cells += [
                f"{row['stalled']:.0f} of {row['trials']:.0f}",
                "never" if np.isnan(at) else f"{at:.0f}",
            ]
        rows.append(cells)
    return table(header, rows)


def stall_region(stall: pd.DataFrame, simple: pd.DataFrame) -> str:
    """Where the stalled settings are: the rhos at which every floor stalls, the floors at which
    every rho does (at beta 0.1), and any other setting by name."""
    grid = simple[simple["beta"] == DEFAULT_BETA]
    rhos = [r for r, at in grid.groupby("rho") if at.index.isin(stall.index).all()]
    floors = [f for f, at in grid.groupby("floor") if at.index.isin(stall.index).all()]
    covered = grid[grid["rho"].isin(rhos) | grid["floor"].isin(floors)].index
    parts = [f"at rho {r:g} with every floor" for r in rhos]
    parts += [f"at floor {f:g} with every rho" for f in floors]
    parts += [setting(row) for name, row in stall.iterrows() if name not in covered]
    return f"{listing(parts)} ({len(stall)} of {len(simple) - 1} settings)"


def setting(row: pd.Series) -> str:
    return f"floor {row['floor']:g}, rho {row['rho']:g}, beta {row['beta']:g}"


def ebcdql_section() -> str:
    simple, windy, lake = (points(world) for world in EBCDQL)
    default = default_label()
    trials = {world: int(points(world)["trials"].iloc[0]) for world in EBCDQL}
    stall = simple[simple["stalled"] > simple["trials"] / 2]
    partial = simple[(simple["stalled"] > 0) & (simple["stalled"] <= simple["trials"] / 2)]
    kept = {world: keeps_dql(world) for world in EBCDQL}
    optimal = kept["Simple Grid"][kept["Simple Grid"]["reward_p10"] >= OPTIMUM - STALL_GAP]
    thrifty = kept["Simple Grid"].iloc[0]
    fewest_bytes = kept["Simple Grid"].sort_values("size_bytes").iloc[0]
    windy_kept = kept["Windy Grid"]
    windy_lower = windy.drop(index=["DQL", *windy_kept.index])
    best_lake = lake.drop(index="DQL").sort_values("reward", ascending=False).iloc[0]
    lines = [
        "### EBCDQL's trigger: rho, beta and the floor",
        "",
        "EBCDQL's trigger (rho = 1, beta = 0.1, floor eps = 0.2) is ours: the report gives none of "
        "the three, and three of its findings rest on them (figure 3.4's stall, figure 3.5's "
        '"best reward with little communication", and, in our runs, figure 4.2\'s EBCDQL saving '
        "nothing on Windy Grid). Each floor in {0.05, 0.2, 0.5, 1} with each rho in {0.5, 1, 2} "
        "at beta 0.1, and beta 0.05 and 0.3 at the default rho and floor (beta was tried only "
        "beside the default: the full grid of 36 points would have cost 2.4 times the CPU), "
        "beside DQL, at each finding's settings: Simple Grid and Frozen Lake at n = 5, Windy "
        f"Grid at n = 30, 1000 episodes; {trials['Simple Grid']}, {trials['Windy Grid']} and "
        f"{trials['Frozen Lake']} trials, which give each point's mean reward to about 0.01, 0.05 "
        "and 0.004 (95%; each scenario's docstring says how). "
        + listing([f"{ran(name)}" for name in EBCDQL.values()])
        + ".",
        "",
        "![EBCDQL's trigger: reward against communication](figures/sensitivity_ebcdql.png)",
        "",
        "Per point: the mean over trials (10th-90th percentile) of each trial's mean reward over "
        "episodes 500-999 (on Frozen Lake over the whole run, the report's cumulative reward "
        "divided by 1000), of its messages per agent-episode over the run, its payload bytes per "
        "agent-episode over the run, and the one-sided Mann-Whitney p-value of its trials' "
        "rewards being lower than DQL's. The default is in bold. A Simple Grid trial has "
        f"*stalled* when its mean reward over episodes 900-999 is more than {STALL_GAP} below the "
        f"optimum {OPTIMUM:.3f} while its agents send in fewer than {STALL_FREQUENCY:.0%} of "
        "those agent-episodes; its median episode at the optimum is the median over trials of "
        "the first episode whose last 10 episodes' mean reward is that close to it.",
    ]
    for world in EBCDQL:
        lines += ["", f"{world} (`results/{EBCDQL[world]}`):", "", ebcdql_table(world)]
    verdicts = [
        [
            "Figure 3.4: EBCDQL stalls at a sub-optimal policy with little communication",
            f"**Hangs on the trigger.** Most trials stall {stall_region(stall, simple)}: their "
            f"agents send in {percent(stall['frequency'].min())} to "
            f"{percent(stall['frequency'].max())} of agent-episodes and their reward stays at "
            f"{stall['reward'].min():.2f} to {stall['reward'].max():.2f}, near the 100-step "
            'floor, lower than the report\'s "sub-optimal solution" suggests. '
            + "".join(
                f"At {setting(row)}, {row['stalled']:.0f} of {row['trials']:.0f} trials stall. "
                for _, row in partial.iterrows()
            )
            + f"{len(kept['Simple Grid'])} settings, the default among them, are not lower than "
            f"DQL ({len(optimal)} of them at the optimum in every trial); the least talkative, "
            f"{setting(thrifty)}, sends in {percent(thrifty['frequency'])} of agent-episodes "
            f"against the default's {percent(simple.loc[default, 'frequency'])} and reaches the "
            f"optimum at median episode {thrifty['to_optimum']:.0f} (the default "
            f"{simple.loc[default, 'to_optimum']:.0f}, DQL {simple.loc['DQL', 'to_optimum']:.0f}); "
            f"the fewest bytes, {size(fewest_bytes['size_bytes'])} per agent-episode against the "
            f"default's {size(simple.loc[default, 'size_bytes'])}, at {setting(fewest_bytes)}.",
        ],
        [
            "Figure 3.5: EBCDQL has the best reward, with little communication",
            (
                "**Holds at some settings:** "
                + listing(
                    [
                        f"{setting(row)} ({freq(row['frequency'])})"
                        for _, row in kept["Frozen Lake"].iterrows()
                        if row["frequency"] <= LITTLE
                    ]
                )
                + f" keep DQL's reward sending in at most {LITTLE:.0%} of agent-episodes."
                if (kept["Frozen Lake"]["frequency"] <= LITTLE).any()
                else "**No setting gives it.** Every setting's reward is lower than DQL's "
                f"(p <= {p_value(lake.drop(index='DQL')['lower_p'].max())}), and the lower the "
                "floor, the more EBCDQL sends and the better it does: the best, "
                f"{setting(best_lake)}, reaches {best_lake['reward']:.4f} against DQL's "
                f"{lake.loc['DQL', 'reward']:.4f} sending in {percent(best_lake['frequency'])} of "
                f"agent-episodes; at floor 0.5 and above it sends in "
                f"{percent(lake[lake['floor'] >= 0.5]['frequency'].max())} or fewer and its reward "
                f"falls to {lake[lake['floor'] >= 0.5]['reward'].min():.4f}. The trigger trades "
                "reward for communication here; no setting has the report's both."
            ),
        ],
        [
            "Figure 4.2 (ours): EBCDQL saves no communication on Windy Grid",
            "**Holds at every setting tried.** The settings whose reward is not lower than DQL's "
            f"send in {percent(windy_kept['frequency'].min())} to "
            f"{percent(windy_kept['frequency'].max())} of agent-episodes, saving bytes only "
            f"({size(windy_kept['size_bytes'].min())} to {size(windy_kept['size_bytes'].max())} "
            f"per agent-episode against DQL's {size(windy.loc['DQL', 'size_bytes'])}); the "
            f"others send in {percent(windy_lower['frequency'].max())} or fewer and their reward "
            f"falls to {windy_lower['reward'].max():.2f} or below, the 100-step floor: on Windy "
            "Grid the trigger either passes nearly every episode or starves the learner.",
        ],
    ]
    lines += ["", table(["finding", "verdict"], verdicts)]
    return "\n".join(lines)


def davia_rows() -> list[list[str]]:
    rows = []
    for world in EBCDQL:
        table_ = readings(world)
        for reading, mine in table_.groupby("variant", sort=False):
            per_episode = mine.groupby("episode")["frequency"].mean()
            sent = per_episode[per_episode > 0]
            early = mine[mine["episode"] < 100].groupby("trial")["mu_reward"].mean()
            late = mine[mine["episode"] >= 500].groupby("trial")["mu_reward"].mean()
            digits = 4 if world == "Frozen Lake" else 3
            rows.append(
                [
                    world,
                    reading,
                    interval(early.to_numpy(), digits),
                    interval(late.to_numpy(), digits),
                    freq(mine[mine["episode"] < 100]["frequency"].mean()),
                    freq(mine[mine["episode"] >= 100]["frequency"].mean()),
                    str(int(sent.index.max())) if len(sent) else "never sent",
                ]
            )
    return rows


def davia_mean(world: str, reading: str, first: int, last: int, column: str) -> float:
    """The mean over trials, agents and episodes first..last of DAVIA's ``column`` on ``world``
    under ``reading``."""
    mine = readings(world)
    mine = mine[(mine["variant"] == reading) & mine["episode"].between(first, last)]
    return float(mine[column].mean())


def last_sent(world: str, reading: str) -> int:
    """The last episode in which any agent of any trial sent."""
    mine = readings(world)
    mine = mine[(mine["variant"] == reading) & (mine["frequency"] > 0)]
    return int(mine["episode"].max())


def davia_section() -> str:
    from algorithms.davia import DAVIAConfig

    config = DAVIAConfig()
    trials = int(rounds(DAVIA)["trial"].nunique())
    lowest = config.threshold / config.threshold_growth ** (config.horizon - 1)

    def m(world: str, reading: str, first: int, last: int, column: str = "mu_reward") -> float:
        return davia_mean(world, reading, first, last, column)

    lake_dql = window(FOUR, 500, 999).loc["DQL", "reward"]
    lake_dql = lake_dql[lake_dql.index < trials]
    verdicts = [
        [
            "Figure 3.4: DAVIA converges to the optimum quickly, then cuts communication sharply",
            "**Holds only for the rising threshold.** Rising, DAVIA's reward over episodes 50-99 "
            f"is {m('Simple Grid', 'rising', 50, 99):.3f} (the optimum {OPTIMUM:.3f}), it sends "
            f"in {percent(m('Simple Grid', 'rising', 100, 999, 'frequency'))} of agent-episodes "
            f"after episode 100 and never after episode {last_sent('Simple Grid', 'rising')}. "
            "Falling from lambda = 1 its first steps are all below the threshold: it sends "
            f"nothing in the first 100 episodes (reward {m('Simple Grid', 'falling', 50, 99):.3f} "
            "over 50-99), learns once the threshold has fallen to their size, and then never "
            f"stops ({percent(m('Simple Grid', 'falling', 100, 999, 'frequency'))} after episode "
            f"100, reward {m('Simple Grid', 'falling', 500, 999):.3f} over 500-999). Falling "
            "from 0.05 it learns as fast as rising "
            f"({m('Simple Grid', 'falling lambda=0.05', 50, 99):.3f} over 50-99) but sends in "
            f"{percent(m('Simple Grid', 'falling lambda=0.05', 100, 999, 'frequency'))} of "
            "agent-episodes after episode 100, to the last: the small steps left once V has "
            "settled pass a threshold that keeps falling.",
        ],
        [
            "Figure 3.5: DAVIA rarely reaches the goal, and communicates very little",
            "**Hangs on the threshold.** Rising or falling from lambda = 1, DAVIA sends in "
            f"{percent(m('Frozen Lake', 'rising', 0, 999, 'frequency'))} and "
            f"{percent(m('Frozen Lake', 'falling', 0, 999, 'frequency'))} of agent-episodes and "
            f"its reward stays at {m('Frozen Lake', 'rising', 500, 999):.4f} and "
            f"{m('Frozen Lake', 'falling', 500, 999):.4f} over episodes 500-999, as the report "
            "found. Falling from 0.05, once the threshold has fallen below the steps that the "
            "rare episodes reaching the goal ask for (from about episode 550), DAVIA learns: it "
            f"reaches {m('Frozen Lake', 'falling lambda=0.05', 500, 999):.4f} over episodes "
            f"500-999, near DQL's {lake_dql.mean():.4f} (figure 3.5, the same {trials} seeds), "
            "sending in "
            f"{percent(m('Frozen Lake', 'falling lambda=0.05', 100, 999, 'frequency'))} of "
            "agent-episodes after episode 100 (and "
            f"{percent(m('Frozen Lake', 'falling lambda=0.05', 900, 999, 'frequency'))} over the "
            'last 100): near the report\'s "best reward with little communication", which no '
            "EBCDQL trigger gives (above).",
        ],
        [
            "Figure 4.2: DAVIA communicates least (here at n = 5)",
            "**Holds only for the rising threshold.** Rising, DAVIA sends in "
            f"{percent(m('Windy Grid', 'rising', 100, 999, 'frequency'))} of agent-episodes after "
            f"episode 100 and never after episode {last_sent('Windy Grid', 'rising')}; falling "
            f"it sends to the last episode, in "
            f"{percent(m('Windy Grid', 'falling', 100, 999, 'frequency'))} (from lambda = 1) and "
            f"{percent(m('Windy Grid', 'falling lambda=0.05', 100, 999, 'frequency'))} (from 0.05) "
            "of agent-episodes after episode 100: the wind keeps its steps from vanishing. "
            "Falling from 0.05 also learns the best policy of the three "
            f"({m('Windy Grid', 'falling lambda=0.05', 500, 999):.3f} over episodes 500-999, "
            f"against {m('Windy Grid', 'rising', 500, 999):.3f} rising).",
        ],
    ]
    return "\n".join(
        [
            "### DAVIA's threshold: rising or falling",
            "",
            "The report's formula sends when the step lowers J by at least lambda / "
            "rho^(N-1-k), which with rho > 1 rises over the episodes (ours), while its text says "
            'the threshold "decreases over time". `DAVIAConfig.threshold_direction = '
            '"falling"` takes the same thresholds in the reverse order, lambda / rho^k, from '
            f"lambda = {config.threshold:g} down to {lowest:.3f}; "
            '"falling lambda=0.05" starts at the size of the agents\' first steps instead. '
            f"Chapter 3's settings (n = 5, 1000 episodes) on each world, {trials} trials, which "
            "give each mean reward to a few thousandths (95%; the scenario's docstring says how): "
            f"{ran(DAVIA)} (`results/{DAVIA}`).",
            "",
            "![DAVIA's threshold, rising or falling](figures/sensitivity_davia.png)",
            "",
            "Per world and reading: mean reward (10th-90th percentile across trials) over "
            "episodes 0-99 and 500-999, messages per agent-episode over episodes 0-99 and "
            "100-999, and the last episode in which any agent of any trial sent:",
            "",
            table(
                [
                    "world",
                    "threshold",
                    "reward 0-99",
                    "reward 500-999",
                    "frequency 0-99",
                    "frequency 100-999",
                    "last sent",
                ],
                davia_rows(),
            ),
            "",
            table(["finding", "verdict"], verdicts),
        ]
    )


def lake_finals() -> pd.DataFrame:
    """Per variant (columns, "NAME" and "NAME stay") and trial (rows): the cumulative reward at
    the last episode."""
    both = paired_lakes()
    final = both[both["episode"] == both["episode"].max()]
    return final.pivot_table("cumulative_reward", index="trial", columns="variant", sort=False)


def stay_rows() -> list[list[str]]:
    finals = lake_finals()
    frequency = paired_lakes().groupby("variant")["frequency"].mean()
    rows = []
    for variant in pd.unique(rounds(FOUR)["variant"]):
        four, stay = finals[variant].to_numpy(), finals[f"{variant} stay"].to_numpy()
        rows.append(
            [
                variant,
                band(four.mean(), np.percentile(four, 10), np.percentile(four, 90)),
                band(stay.mean(), np.percentile(stay, 10), np.percentile(stay, 90)),
                p_value(float(stats.mannwhitneyu(stay, four).pvalue)),
                f"{freq(frequency[variant])} / {freq(frequency[f'{variant} stay'])}",
            ]
        )
    return rows


def order(suffix: str) -> list[str]:
    """Figure 3.5's algorithms by mean cumulative reward at the last episode, best first, with
    four actions (``suffix`` "") or with stay (" stay")."""
    means = lake_finals().mean()
    return sorted(pd.unique(rounds(FOUR)["variant"]), key=lambda v: -means[f"{v}{suffix}"])


def stay_section() -> str:
    trials = int(rounds(STAY)["trial"].nunique())
    four, five = order(""), order(" stay")
    frequency = paired_lakes().groupby("variant")["frequency"].mean()
    finals = lake_finals()
    shifts = {
        v: stats.mannwhitneyu(finals[f"{v} stay"], finals[v], alternative="less").pvalue
        for v in pd.unique(rounds(FOUR)["variant"])
    }
    lower = {v: q for v, q in shifts.items() if q <= 0.05}
    return "\n".join(
        [
            '### Frozen Lake with a fifth action, "stay"',
            "",
            'The report gives its grids five actions, "left, right, up, down, or stay in the same '
            "place\", Frozen Lake among them; Gymnasium's Frozen Lake, and ours by default, has "
            "four. `netsim/FrozenLake5x5Stay-v0` adds a stay that never slips "
            "(`netsim/envs/worlds.py`). Figure 3.5's algorithms and settings (n = 5, 1000 "
            f"episodes) on it, {trials} trials, against the figure's stored 4-action trials "
            f"0-{trials - 1} (the same seeds): {ran(STAY)} (`results/{STAY}`).",
            "",
            "![Frozen Lake with and without stay](figures/sensitivity_stay.png)",
            "",
            "Cumulative reward at episode 1000, mean (p10-p90), with four actions and with stay, "
            "the two-sided Mann-Whitney p-value between them, and messages per agent-episode "
            "over the run, four actions / stay:",
            "",
            table(["algorithm", "four actions", "with stay", "p", "frequency"], stay_rows()),
            "",
            table(
                ["finding", "verdict"],
                [
                    [
                        "Figure 3.5: the order of the algorithms by cumulative reward",
                        ("**Unchanged by stay**" if four == five else "**Changed by stay**")
                        + f": {', '.join(four)} with four actions, {', '.join(five)} with stay.",
                    ],
                    [
                        "(ours) What stay changes",
                        "**Little.** With stay the cumulative reward is lower for "
                        + listing(
                            [f"{v} (one-sided p = {p_value(q)})" for v, q in lower.items()]
                            or ["none"]
                        )
                        + ", and not told apart at the 5% level for "
                        + listing([v for v in shifts if v not in lower] or ["none"])
                        + " (staying is never better than the best move on the lake, so it can only "
                        "spend steps); no finding of figure 3.5 changes.",
                    ],
                    [
                        "Figure 3.5: EBCDQL and DAVIA communicate very little",
                        "With stay EBCDQL sends in "
                        f"{percent(frequency['EBCDQL stay'])} of agent-episodes (four actions: "
                        f"{percent(frequency['EBCDQL'])}) and DAVIA in "
                        f"{percent(frequency['DAVIA stay'])} ({percent(frequency['DAVIA'])}).",
                    ],
                ],
            ),
        ]
    )


def sections() -> list[str]:
    return [
        "## Sensitivity: which findings hang on the choices the report left open\n\n"
        "Each question below is a scenario (`scenarios/sensitivity_*.py`, with a `--quick` form) "
        "whose full run is stored as a per-round summary in `results/`, with its figure, its "
        "numbers and a verdict. No default was changed by these studies.",
        ebcdql_section(),
        davia_section(),
        stay_section(),
    ]
