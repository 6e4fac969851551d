"""A final merge: sparse gossip with and without one complete averaging round near the end, against
a central learner.

Agents on 1 Mbit/s, 10 ms access links to a router, the learner behind it on a link of the same
rate. Three forms of each problem: central (barrier rounds); gossip on a ring (Metropolis-Hastings
weights, tau = 1); and the same ring with round ``MERGE_ROUND`` mixed over the complete graph with
uniform weights (Metropolis-Hastings on the complete graph is uniform), after which every agent
holds the mean of all agents' parameters, then back to the ring for the last rounds. The rounds
after the merge show what the merged parameters are worth; the consensus table shows the
disagreement the merge removed, and the merge round's bytes and duration what it cost.

ES on Cart Pole with n = 50 (target 195; sigma 0.1, Adam's step 0.03) and DQL on Simple Grid with
n = 10 (gamma = 0.9, target -5.5): 6 variants, 8 trials of 200 rounds, the merge at round 190.
``--quick`` is 1 trial of 12 rounds, the merge at round 8, against low targets.

    netsim run final_merge [--quick] [--out DIR] [...]   # run (or resume), then report
    python scenarios/final_merge.py [--quick] [...]      # the same

The report (``outcomes.csv``, ``outcomes.png`` and ``merge.csv`` in the run's ``plots/``) gives
each form's final reward over the rounds after the merge, its time to target, and, for the gossip
forms, the consensus distance and greedy-policy agreement just before and after the merge round,
with the round's bytes and duration (:mod:`analysis.outcomes`).
"""

from __future__ import annotations

import sys

import pandas as pd
from _decentral import PROBLEMS

import netsim
import netsim.cli

BANDWIDTH_BPS, LATENCY_S = 1e6, 0.01


def final_merge(
    name: str, rounds: int, merge_round: int, trials: int, quick: bool = False
) -> tuple[netsim.Scenario, pd.DataFrame]:
    """Each problem's central, ring and ring-with-merge variants, and the points table: variant,
    series (the problem), form, env, target and merge_round (the ring-with-merge's; NaN else)."""
    forms = {
        "central": netsim.CentralSettings(),
        "ring": netsim.GossipSettings("ring"),
        "ring + merge": netsim.GossipSettings(
            "ring", schedule=((merge_round, "complete"), (merge_round + 1, "ring"))
        ),
    }
    variants, points = [], []
    for problem in PROBLEMS:
        topology = netsim.star(
            problem.n_agents,
            BANDWIDTH_BPS,
            LATENCY_S,
            router=True,
            backbone_bandwidth_bps=BANDWIDTH_BPS,
            backbone_latency_s=LATENCY_S,
        )
        target = problem.quick_target if quick else problem.target
        for form, pattern in forms.items():
            variant = netsim.Variant(
                f"{problem.label}, {form}", problem.algorithm, topology, env=problem.env,
                config=problem.config, pattern=pattern,
            )  # fmt: skip
            variants.append(variant)
            merged = merge_round if form == "ring + merge" else float("nan")
            points.append((variant.name, problem.label, form, problem.env, target, merged))
    columns = ["variant", "series", "form", "env", "target", "merge_round"]
    scenario = netsim.Scenario(name, variants, episodes=rounds, trials=trials, seed=0)
    return scenario, pd.DataFrame(points, columns=columns)


ROUNDS, MERGE_ROUND = 200, 190
SCENARIO, POINTS = final_merge("final_merge", ROUNDS, MERGE_ROUND, trials=8)
QUICK, QUICK_POINTS = final_merge("final_merge_quick", 12, 8, trials=1, quick=True)


def report(results: netsim.Results, quick: bool) -> None:
    """After the run (``netsim run``, or this file run as a script): the merge report."""
    from analysis.outcomes import merge_report

    for written in merge_report(results.directory, QUICK_POINTS if quick else POINTS):
        print(f"report:  {written.resolve()}")


if __name__ == "__main__":
    sys.exit(netsim.cli.main(["run", __file__, *sys.argv[1:]]))
