"""Write docs/decentralised.md from the stored results of the decentralised-learning studies.

The page's every number comes from the CSV summaries in ``docs/data/decentralised/`` (each study's
report, as ``python scenarios/NAME.py`` writes it into its run's ``plots/``); its figures are
drawn from them into ``docs/figures/``, as each study's report draws them. With ``--runs DIR`` (a
folder holding the three run directories, ``central_vs_decentral``, ``disrupted_links`` and
``final_merge``) the script first redraws each run's report, stores its summaries and draws the
figures from them; with ``--figures`` it redraws the figures from the summaries already stored;
it always rewrites the page from them. ``tests/test_decentralised_page.py`` checks that the page is what the stored summaries give.

    python scenarios/central_vs_decentral.py --out runs/central_vs_decentral   # and the other two
    python scripts/decentralised_page.py --runs runs
    python scripts/decentralised_page.py --figures    # the figures again, from docs/data
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.markdown import (
    Store,
    band,
    number,
    page_main,
    run_size,
    runs_table,
    seconds,
    si,
    table,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "docs" / "data" / "decentralised"
FIGURES = ROOT / "docs" / "figures"
PAGE = ROOT / "docs" / "decentralised.md"
STUDIES = {
    "central_vs_decentral": ("crossover.csv", "central.csv"),
    "disrupted_links": ("outcomes.csv",),
    "final_merge": ("outcomes.csv", "merge.csv"),
}
"""Each study's summaries, as its report writes them into its run's ``plots/``."""
FIGURE_NAMES = {
    "central_vs_decentral": "crossover",
    "disrupted_links": "outcomes",
    "final_merge": "outcomes",
}
"""Each study's figure: ``docs/figures/{study}_{name}.png``, as its report names it."""


def collect(runs: Path) -> None:
    """Redraw each study's report from its run in ``runs`` and store its summaries, with the run's
    size and summed trial times in ``runs.csv``."""
    sys.path.insert(0, str(ROOT / "scenarios"))
    from analysis.crossover import report as crossover_report
    from analysis.outcomes import merge_report
    from analysis.outcomes import report as outcomes_report
    from netsim.catalog import _import

    sizes = []
    for study, files in STUDIES.items():
        module = _import(ROOT / "scenarios" / f"{study}.py")
        directory = runs / study
        if study == "central_vs_decentral":
            crossover_report(directory, module.POINTS)
        elif study == "disrupted_links":
            outcomes_report(directory, module.POINTS, module.VALUE_LABEL)
        else:
            merge_report(directory, module.POINTS)
        (DATA / study).mkdir(parents=True, exist_ok=True)
        for name in files:
            shutil.copyfile(directory / "plots" / name, DATA / study / name)
        sizes.append(run_size(study, module.SCENARIO, directory))
    pd.DataFrame(sizes).to_csv(DATA / "runs.csv", index=False)


def draw_figures() -> None:
    """Redraw the studies' figures into ``docs/figures/`` (PNG and PDF) from the summaries stored
    in ``docs/data/decentralised/``: what each study's report draws from its run, drawn from the
    CSVs the report wrote, so that the figures follow the figure style without the runs."""
    sys.path.insert(0, str(ROOT / "scenarios"))
    from analysis.crossover import crossover_figure
    from analysis.outcomes import merge_figure, outcome_figure
    from analysis.style import save
    from netsim.catalog import _import

    def stored(study: str, name: str) -> pd.DataFrame:
        return pd.read_csv(DATA / study / name)

    value_label = _import(ROOT / "scenarios" / "disrupted_links.py").VALUE_LABEL
    figures = {
        "central_vs_decentral": crossover_figure(
            stored("central_vs_decentral", "central.csv"),
            stored("central_vs_decentral", "crossover.csv"),
        ),
        "disrupted_links": outcome_figure(stored("disrupted_links", "outcomes.csv"), value_label),
        "final_merge": merge_figure(stored("final_merge", "outcomes.csv")),
    }
    for study, figure in figures.items():
        print(f"drew {save(figure, FIGURES / f'{study}_{FIGURE_NAMES[study]}.png')}")


def crossing(bps: float) -> str:
    """A crossover bandwidth, or "none in the sweep" where gossip is never first."""
    return si(bps) if np.isfinite(bps) else "none in the sweep"


def crossover_section(data: Path) -> str:
    crossover = pd.read_csv(data / "central_vs_decentral" / "crossover.csv")
    central = pd.read_csv(data / "central_vs_decentral" / "central.csv")
    parts = [
        "## Central or decentralised? The crossover",
        "",
        "`scenarios/central_vs_decentral.py`. Every variant runs on one network: the agents on "
        "10 Mbit/s, 5 ms access links to a router, and the learner behind the router on its own "
        "link, the *learner link*. The central form (barrier rounds) sends every policy and report "
        "across that link; the gossip forms (ring, static exponential with push-sum, random "
        "4-regular; tau = 1) never touch it. The central form is swept over the learner link, "
        "10 kbit/s to 1 Gbit/s; each gossip form runs once. ES on Cart Pole has n = 50 agents, "
        "target 195, sigma 0.1 and Adam's step 0.03 (at the report's 0.05 and 0.01 about half "
        "the trials never leave the 9-step policy); DQL on Simple Grid n = 10, target -5.5.",
        "",
        "![Time to target against the learner link](figures/central_vs_decentral_crossover.png)",
        "",
        "The central form's time to target at each learner link, measured (median, 10th to 90th "
        "percentile over trials) and predicted as T_0 + 8 W / B, where W is the bytes it moves to "
        "the target (the median at the widest link) and T_0 the rest of its time there:",
        "",
        table(
            ["problem", "learner link", "reached", "measured", "predicted"],
            [
                [
                    row["env"],
                    si(row["value"]),
                    f"{row['reached']}/{row['trials']}",
                    f"{seconds(row['time_s_median'])} ({seconds(row['time_s_p10'])} to "
                    f"{seconds(row['time_s_p90'])})",
                    seconds(row["time_s_predicted"]),
                ]
                for _, row in central.iterrows()
            ],
        ),
        "",
        "Each gossip form against the central one: its time to target (mean agent, and the last "
        "agent to get there), and the learner-link bandwidth below which it is first, measured "
        "(interpolated in log-log between the sweep's points) and predicted "
        "(B* = 8 W / (T_gossip - T_0)):",
        "",
        table(
            [
                "problem",
                "gossip",
                "reached",
                "time to target",
                "worst agent",
                "rounds (gossip / central)",
                "crossover measured",
                "predicted",
            ],
            [
                [
                    row["env"],
                    row["gossip"],
                    f"{row['gossip_reached']}/{row['trials']}",
                    band(row, "gossip_time_s"),
                    seconds(row["gossip_worst_agent_time_s_median"]),
                    f"{number(row['gossip_episodes_median'])} / "
                    f"{number(row['central_episodes_median'])}",
                    crossing(row["crossover_measured_bps"]),
                    crossing(row["crossover_predicted_bps"]),
                ]
                for _, row in crossover.iterrows()
            ],
        ),
        "",
        "What it shows:",
        "",
        *crossover_findings(crossover, central),
    ]
    return "\n".join(parts)


def crossover_findings(crossover: pd.DataFrame, central: pd.DataFrame) -> list[str]:
    """One bullet per problem: rounds each form needs, where the crossovers fall, and how the
    prediction compares with the measurement at the slowest link."""
    bullets = []
    for env, rows in crossover.groupby("env", sort=False):
        first = rows.iloc[0]
        slowest = central[central["env"] == env].sort_values("value").iloc[0]
        measured = rows["crossover_measured_bps"].to_numpy(dtype=float)
        predicted = rows["crossover_predicted_bps"].to_numpy(dtype=float)
        ratios = predicted / measured
        finite = np.isfinite(ratios)
        bullets.append(
            f"- **{env}**: the central form needs {number(first['central_episodes_median'])} "
            "rounds to the target at every learner link (under barrier rounds the network "
            "changes when a round ends, not what is learnt), gossip "
            + ", ".join(
                f"{number(row['gossip_episodes_median'])} on the {row['gossip']} graph"
                for _, row in rows.iterrows()
            )
            + f". Gossip is first below {crossing(np.nanmin(measured))} to {crossing(np.nanmax(measured))} "
            f"of learner link (predicted {crossing(np.nanmin(predicted))} to {crossing(np.nanmax(predicted))}"
            + (
                f", within a factor {np.max(np.maximum(ratios, 1 / ratios)[finite]):.2g})."
                if finite.any()
                else ")."
            )
            + f" At {si(slowest['value'])} the prediction says {seconds(slowest['time_s_predicted'])}"
            f" and the central form takes {seconds(slowest['time_s_median'])}"
            + (
                ": the prediction sends every message of a round one after another, but a report "
                "crosses the link while slower agents still play, so the link costs less than "
                "its bytes say."
                if slowest["time_s_predicted"] > slowest["time_s_median"]
                else "."
            )
        )
    never = crossover[crossover["gossip_reached"] < crossover["trials"]]
    if not never.empty:
        bullets.append(
            "- Not every gossip trial reaches the target within the rounds run: "
            + ", ".join(
                f"{row['env']} on the {row['gossip']} graph {row['gossip_reached']}/{row['trials']}"
                for _, row in never.iterrows()
            )
            + ". An agent there estimates its step from its own and its few neighbours' rewards "
            "only, noisier than the central estimate over every agent's; the medians count the "
            "trials that never get there as never, so a crossover stands for the median trial."
        )
    return bullets


def disrupted_section(data: Path) -> str:
    outcomes = pd.read_csv(data / "disrupted_links" / "outcomes.csv")
    parts = [
        "## Disrupted links",
        "",
        "`scenarios/disrupted_links.py`. Gossip: 10 agents joined by a random 4-regular graph of "
        "1 Mbit/s, 10 ms peer-to-peer links, each talking to its link neighbours. Central: the "
        "same agents behind a router, the learner on a link of the same rate. Every peer link, or "
        "the learner's one link, is down a fraction of the time, in outages of 1 s on average "
        "drawn per link. Under `wait` a message waits for its link; under `fail` (gossip only) it "
        "is lost and the agent mixes without that neighbour, told at once: an optimistic bound. "
        "DQL on Simple Grid, target -5.5; the final reward is the mean over the last 10 rounds.",
        "",
        "![Time to target and final reward against the outage fraction]"
        "(figures/disrupted_links_outcomes.png)",
        "",
        table(
            ["form", "down", "reached", "time to target", "worst agent", "final reward", "lost"],
            [
                [
                    row["series"],
                    f"{row['value']:.0%}",
                    f"{row['reached']}/{row['trials']}",
                    band(row, "time_s"),
                    seconds(row["worst_time_s_median"]),
                    band(row, "final_reward", number),
                    number(row["lost_per_round"]),
                ]
                for _, row in outcomes.iterrows()
            ],
        ),
        "",
        "Lost: messages that failed per agent per round.",
        "",
        "What it shows:",
        "",
        *disrupted_findings(outcomes),
    ]
    return "\n".join(parts)


def disrupted_findings(outcomes: pd.DataFrame) -> list[str]:
    """Bullets: how each form's time to target grows from no outage to the most, and the spread
    of the final rewards."""
    bullets = []
    first, last = outcomes["value"].min(), outcomes["value"].max()
    for series, rows in outcomes.groupby("series", sort=False):
        start = rows[rows["value"] == first].iloc[0]
        end = rows[rows["value"] == last].iloc[0]
        growth = end["time_s_median"] / start["time_s_median"]
        bullets.append(
            f"- **{series}**: {seconds(start['time_s_median'])} to the target with no outage, "
            f"{seconds(end['time_s_median'])} with each disrupted link down {last:.0%} of the "
            f"time (x{number(growth)}); {number(end['lost_per_round'])} messages lost per agent "
            "per round there."
        )
    fastest = outcomes.loc[outcomes.groupby("value")["time_s_median"].idxmin()]
    waiting = outcomes[outcomes["series"].str.endswith("wait")]
    first_waiting = waiting.loc[waiting.groupby("value")["time_s_median"].idxmin()]
    bullets.append(
        "- First to the target at each outage fraction: "
        + "; ".join(f"at {row['value']:.0%}, {row['series']}" for _, row in fastest.iterrows())
        + ". Of the two forms that wait: "
        + "; ".join(
            f"at {row['value']:.0%}, {row['series']}" for _, row in first_waiting.iterrows()
        )
        + ". Under `wait` a gossip round waits for the slowest of the agent's links and its "
        "neighbours' rounds for theirs, so every outage holds up a neighbourhood, and through it "
        "everyone; the central round needs the learner's one link, twice. Dropping what does not "
        "arrive (`fail`) keeps gossip's rounds at their pace, at the cost of what the lost messages "
        "carried."
    )
    finals = outcomes["final_reward_median"]
    bullets.append(
        f"- Every form ends at a median final reward between {number(finals.min())} and "
        f"{number(finals.max())} (the optimum is -5.217): the outages change when the agents get "
        "there, not where they end."
    )
    return bullets


def merge_section(data: Path) -> str:
    outcomes = pd.read_csv(data / "final_merge" / "outcomes.csv")
    merge = pd.read_csv(data / "final_merge" / "merge.csv")
    parts = [
        "## A final merge",
        "",
        "`scenarios/final_merge.py`. Agents on 1 Mbit/s, 10 ms access links to a router, the "
        "learner behind it. Gossip on a ring, with and without one round near the end mixed over "
        "the complete graph with uniform weights (every agent then holds the mean), against the "
        "central form. The final reward is the mean over the rounds after the merge round.",
        "",
        "![Final reward of each form](figures/final_merge_outcomes.png)",
        "",
        table(
            ["variant", "reached", "time to target", "worst agent", "final reward"],
            [
                [
                    row["variant"],
                    f"{row['reached']}/{row['trials']}",
                    band(row, "time_s"),
                    seconds(row["worst_time_s_median"]),
                    band(row, "final_reward", number),
                ]
                for _, row in outcomes.iterrows()
            ],
        ),
        "",
        "Around the merge round M (medians over trials): the agents' mean distance to their mean "
        "parameters and the agreement of their greedy policies (tabular) after rounds M - 1 and "
        "M, the bytes on the wire in round M, and round M's duration over the median round's:",
        "",
        table(
            ["variant", "distance before / after", "agreement before / after", "bytes", "duration"],
            [
                [
                    row["variant"],
                    f"{number(row['distance_before'])} / {number(row['distance_after'])}",
                    f"{number(row['greedy_agreement_before'])} / "
                    f"{number(row['greedy_agreement_after'])}",
                    f"{row['round_wire_bytes']:,.0f}",
                    f"x{number(row['round_duration_over_typical'])}",
                ]
                for _, row in merge.iterrows()
            ],
        ),
        "",
        "What it shows:",
        "",
        *merge_findings(outcomes, merge),
    ]
    return "\n".join(parts)


def spread(row: pd.Series, name: str) -> float:
    """The width of measure ``name``'s 10-90 band."""
    return float(row[f"{name}_p90"] - row[f"{name}_p10"])


def merge_findings(outcomes: pd.DataFrame, merge: pd.DataFrame) -> list[str]:
    """Per problem: the final reward of each form, and what the merge round removed and cost."""
    bullets = []
    for series, rows in outcomes.groupby("series", sort=False):
        final = {row["form"]: row for _, row in rows.iterrows()}
        merged = merge[(merge["series"] == series) & merge["variant"].str.endswith("+ merge")]
        plain = merge[(merge["series"] == series) & ~merge["variant"].str.endswith("+ merge")]
        if merged.empty or plain.empty:
            continue
        m, r = merged.iloc[0], plain.iloc[0]
        change = final["ring + merge"]["final_reward_median"] - final["ring"]["final_reward_median"]
        bullets.append(
            f"- **{series}**: after round {int(m['merge_round'])}, median final reward "
            f"{number(final['central']['final_reward_median'])} central, "
            f"{number(final['ring']['final_reward_median'])} on the ring and "
            f"{number(final['ring + merge']['final_reward_median'])} with the merge "
            f"({'+' if change >= 0 else ''}{number(change)}"
            + (
                ", well inside the 10-90 bands over trials"
                if abs(change) < 0.5 * spread(final["ring"], "final_reward")
                else ""
            )
            + "). The merge takes the agents' mean "
            f"distance to their mean parameters from {number(m['distance_before'])} to "
            f"{number(m['distance_after'])}"
            + (
                f" and their greedy policies' agreement from "
                f"{number(m['greedy_agreement_before'])} to {number(m['greedy_agreement_after'])}"
                if np.isfinite(m["greedy_agreement_before"])
                else ""
            )
            + f"; its round moves {m['round_wire_bytes'] / r['round_wire_bytes']:.3g} times the "
            f"bytes of a ring round and lasts {number(m['round_duration_over_typical'])} times a "
            "median round."
        )
    return bullets


def runs_section(data: Path) -> str:
    return "\n".join(["## How these were run", "", runs_table(pd.read_csv(data / "runs.csv"))])


HEADER = """# Learning without a centre: central or gossip?

<!-- Written by scripts/decentralised_page.py from docs/data/decentralised/; do not edit by hand. -->

Three studies set a central learner against agents that gossip with their neighbours over the same
simulated network, on the network's clock. Rerun any of them with
`python scenarios/NAME.py [--quick]`; the report lands in the run's `plots/`, and
`python scripts/decentralised_page.py --runs runs` rewrites this page from the runs in `runs/`.
Times are simulated seconds; ranges are the 10th to 90th percentiles over trials, and a trial that
never reaches the target counts as "never".
"""


def render(data: Path = DATA) -> str:
    """The page's text from the summaries in ``data``."""
    sections = [HEADER, crossover_section(data), disrupted_section(data), merge_section(data)]
    return "\n\n".join([*sections, runs_section(data)]) + "\n"


def main(argv: list[str]) -> int:
    runs = Store("runs", "the folder holding the three run directories", collect)
    return page_main(argv, __doc__.splitlines()[0], PAGE, render, [runs], draw_figures)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
