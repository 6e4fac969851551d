"""Disrupted links: gossip over peer-to-peer links that fail, against a learner whose one link fails
as often.

Gossip: n = 10 agents joined by a random 4-regular graph of peer-to-peer links (1 Mbit/s, 10 ms;
``networkx.random_regular_graph(4, 10, seed=1)``), each agent talking to its link neighbours (the
``physical`` communication graph, Metropolis-Hastings weights, tau = 1). Central: the same agents on
1 Mbit/s, 10 ms access links to a router, the learner behind the router on a link of the same rate.
Every peer link (gossip), or the learner's link (central), is down a fraction f of the time, f from
0 to 80%: outages of 1 s on average, drawn per link (:func:`netsim.with_random_outages`, seeded;
the same draw in every trial of a variant).

What a message does when it meets an outage is the network's ``on_outage``:

- ``wait`` (both forms): it waits for its link to come back, as a TCP connection stalls and
  resumes; nothing is lost, and an agent's round waits for the slowest of the messages it needs
  (a gossip agent its neighbours', a central agent the learner's link, twice);
- ``fail`` (gossip only): it fails, and the agent mixes without the neighbour it did not hear from
  (that weight stays with itself) and learns from the reports that arrived. The simulation tells
  the sender at once, as if it gave up with no timeout: an optimistic bound for gossip. The central
  form is not run so: a barrier round whose policy cannot be sent ends at once, so its rounds
  would be spent inside the outages, which a fixed round budget counts against it.

DQL on Simple Grid (gamma = 0.9, target -5.5): 15 variants, 10 trials of 150 rounds. ``--quick``
is 1 trial of 12 rounds at f = 0 and 80%, against a low target.

    netsim run disrupted_links [--quick] [--out DIR] [...]   # run (or resume), then report
    python scenarios/disrupted_links.py [--quick] [...]      # the same

The report (``outcomes.csv`` and ``outcomes.png`` in the run's ``plots/``) gives, per form and f,
the time to target of the mean and the worst agent, the final reward over the last 10 rounds and
the messages lost per agent per round, with 10-90 bands over trials (:mod:`analysis.outcomes`).
"""

from __future__ import annotations

import sys

import networkx as nx
import pandas as pd

import netsim
import netsim.cli

N_AGENTS, BANDWIDTH_BPS, LATENCY_S = 10, 1e6, 0.01
FRACTIONS = [0.0, 0.2, 0.4, 0.6, 0.8]
MEAN_OUTAGE_S, HORIZON_S = 1.0, 2000.0
"""Outages last 1 s on average (about ten rounds) and are drawn over the first 2000 simulated
seconds, far beyond any run's end."""
TARGET, QUICK_TARGET = -5.5, -9.9
CONFIG = {"gamma": 0.9}
VALUE_LABEL = "share of the time each disrupted link is down"
"""The swept value, as the report's figure names it."""
WAIT, FAIL = netsim.NetworkSettings(on_outage="wait"), netsim.NetworkSettings(on_outage="fail")


def peers(fraction: float) -> nx.Graph:
    """The gossip form's peer-to-peer network, every link down ``fraction`` of the time."""
    graph = netsim.peer_to_peer(
        nx.random_regular_graph(4, N_AGENTS, seed=1), BANDWIDTH_BPS, LATENCY_S
    )
    return netsim.with_random_outages(
        graph, fraction, mean_outage_s=MEAN_OUTAGE_S, horizon_s=HORIZON_S, seed=2
    )


def star(fraction: float) -> nx.Graph:
    """The central form's network, the learner's link down ``fraction`` of the time."""
    graph = netsim.star(
        N_AGENTS,
        BANDWIDTH_BPS,
        LATENCY_S,
        router=True,
        backbone_bandwidth_bps=BANDWIDTH_BPS,
        backbone_latency_s=LATENCY_S,
    )
    return netsim.with_random_outages(
        graph,
        fraction,
        mean_outage_s=MEAN_OUTAGE_S,
        horizon_s=HORIZON_S,
        seed=2,
        links=[("learner", "router")],
    )


def disrupted_links(
    name: str, fractions: list[float], rounds: int, trials: int, target: float
) -> tuple[netsim.Scenario, pd.DataFrame]:
    """The central and gossip variants at each outage fraction, and the points table: variant,
    series (the form), value (the fraction) and target."""
    variants, points = [], []
    for fraction in fractions:
        label = f"{fraction:.0%} down"
        gossip = netsim.GossipSettings("physical")
        forms = {
            "central, wait": (star(fraction), WAIT, netsim.CentralSettings()),
            "gossip, wait": (peers(fraction), WAIT, gossip),
            "gossip, fail": (peers(fraction), FAIL, gossip),
        }
        for series, (topology, network, pattern) in forms.items():
            variant = netsim.Variant(
                f"{series}, {label}", "dql", topology, env="netsim/SimpleGrid-v0", config=CONFIG,
                network=network, pattern=pattern,
            )  # fmt: skip
            variants.append(variant)
            points.append((variant.name, series, fraction, target))
    table = pd.DataFrame(points, columns=["variant", "series", "value", "target"])
    return netsim.Scenario(name, variants, episodes=rounds, trials=trials, seed=0), table


SCENARIO, POINTS = disrupted_links(
    "disrupted_links", FRACTIONS, rounds=150, trials=10, target=TARGET
)
QUICK, QUICK_POINTS = disrupted_links(
    "disrupted_links_quick", [0.0, 0.8], rounds=12, trials=1, target=QUICK_TARGET
)


def report(results: netsim.Results, quick: bool) -> None:
    """After the run (``netsim run``, or this file run as a script): the outcomes report."""
    from analysis.outcomes import report as outcomes_report

    points = QUICK_POINTS if quick else POINTS
    for written in outcomes_report(results.directory, points, VALUE_LABEL):
        print(f"report:  {written.resolve()}")


if __name__ == "__main__":
    sys.exit(netsim.cli.main(["run", __file__, *sys.argv[1:]]))
