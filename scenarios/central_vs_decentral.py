"""Central or decentralised? A learner behind one link, or agents gossiping over the same network.

Every variant runs on one physical network: n agents on 10 Mbit/s, 5 ms access links to a router,
and a learner joined to the router by its own link, the *learner link*. The central form (a star
through the router, barrier rounds) sends every policy and every report across the learner link;
the gossip forms (ring, static exponential and random 4-regular communication graphs, Metropolis-
Hastings weights, push-sum on the directed exponential graph, tau = 1) send their reports and parameters agent to agent through the router and
never touch it. So the central form slows as the learner link narrows and the gossip forms do not:
the scenario sweeps the learner link from 10 kbit/s to 1 Gbit/s for the central form and runs each
gossip form once, and the crossover is the learner-link bandwidth below which gossip reaches the
target first.

Two problems (``_decentral.py``): ES on Cart Pole with n = 50 (target 195; sigma 0.1 and Adam's
step 0.03, see ``ES_CONFIG`` there) and DQL on Simple Grid with n = 10 (gamma = 0.9, target -5.5).
The full form is 18 variants, 8 trials of 200 rounds; ``--quick`` is 1 trial of 12 rounds at two
bandwidths, gossip on the ring only, against low targets.

    netsim run central_vs_decentral [--quick] [--out DIR] [...]   # run (or resume), then report
    python scenarios/central_vs_decentral.py [--quick] [...]      # the same

The report (``crossover.png`` and ``crossover.csv`` in the run's ``plots/``) sets the measured
crossover beside a back-of-envelope prediction from the bytes the central form moves per round
(:mod:`analysis.crossover`).
"""

from __future__ import annotations

import sys
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from _decentral import PROBLEMS

import netsim
import netsim.cli

ACCESS_BPS, ACCESS_LATENCY_S = 1e7, 0.005
LEARNER_LINKS_BPS = np.logspace(4, 9, 6).tolist()
"""The learner link's bandwidths: 10 kbit/s, 100 kbit/s, ... 1 Gbit/s."""
GRAPHS = {
    "ring": {},
    "exponential": {"mixing": "push-sum"},
    "random-regular": {"graph_options": {"degree": 4, "seed": 1}},
}
"""The gossip forms: each communication graph with its settings (the static exponential graph is
directed, so it mixes by push-sum)."""


def network(n_agents: int, learner_link_bps: float) -> nx.Graph:
    """The physical network every variant shares (the gossip forms at any learner link)."""
    return netsim.star(
        n_agents,
        ACCESS_BPS,
        ACCESS_LATENCY_S,
        router=True,
        backbone_bandwidth_bps=learner_link_bps,
        backbone_latency_s=ACCESS_LATENCY_S,
    )


def central_vs_decentral(
    name: str,
    learner_links_bps: list[float],
    graphs: dict[str, dict],
    rounds: int,
    trials: int,
    quick: bool = False,
) -> tuple[netsim.Scenario, pd.DataFrame]:
    """Every problem's central variant at each learner link and its gossip variant on each graph,
    and the points table: variant, series, env, value (the learner link; NaN for gossip, which
    never crosses it), target and form (``central`` or the graph's name)."""
    made, points = [], []
    for problem in PROBLEMS:
        settings: dict[str, Any] = {"env": problem.env, "config": problem.config}
        row = (problem.env, problem.quick_target if quick else problem.target)
        for bps in learner_links_bps:
            variant = f"{problem.label}, central @ {bps:g} bit/s"
            topology = network(problem.n_agents, bps)
            made.append(netsim.Variant(variant, problem.algorithm, topology, **settings))
            points.append((variant, f"{problem.label}, central", *row, bps, "central"))
        for graph, options in graphs.items():
            variant = f"{problem.label}, gossip {graph}"
            pattern = netsim.GossipSettings(graph, **options)
            topology = network(problem.n_agents, learner_links_bps[0])  # its learner link unused
            made.append(
                netsim.Variant(variant, problem.algorithm, topology, pattern=pattern, **settings)
            )
            points.append((variant, f"{problem.label}, gossip {graph}", *row, np.nan, graph))
    table = pd.DataFrame(points, columns=["variant", "series", "env", "target", "value", "form"])
    scenario = netsim.Scenario(name, made, episodes=rounds, trials=trials, seed=0)
    return scenario, table


SCENARIO, POINTS = central_vs_decentral(
    "central_vs_decentral", LEARNER_LINKS_BPS, GRAPHS, rounds=200, trials=8
)
QUICK, QUICK_POINTS = central_vs_decentral(
    "central_vs_decentral_quick", [1e4, 1e9], {"ring": {}}, rounds=12, trials=1, quick=True
)


def report(results: netsim.Results, quick: bool) -> None:
    """After the run (``netsim run``, or this file run as a script): the crossover report."""
    from analysis.crossover import report as crossover_report

    for written in crossover_report(results.directory, QUICK_POINTS if quick else POINTS):
        print(f"report:  {written.resolve()}")


if __name__ == "__main__":
    sys.exit(netsim.cli.main(["run", __file__, *sys.argv[1:]]))
