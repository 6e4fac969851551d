"""``netsim bench network``: what each bandwidth model costs per transfer event as concurrency grows.

A broadcast from the learner to every agent of a two-tier topology, all transfers started at once
and sharing the backhaul of their edge router, timed under every model for ``small`` and for
``large`` agents, side by side in one run, interleaved, best of ``repeats``. Each transfer makes two
events for a sharing model (it joins the links once its latency is paid, and leaves them when
done), so

    cost per event = wall seconds / (2 * transfers)

(store-and-forward's events are per hop; its cost is counted the same way, per transfer, to
compare). Agents are heterogeneous (access bandwidths log-normal around 10 Mbit/s, latencies
1-20 ms), so ends are spread over time and nearly every end changes the rates of its neighbours;
under ``cm02`` and ``lv08`` the agents' different round trips also weight their shares, and their
acknowledgements load the uplinks. Each edge router serves ``agents_per_edge`` agents (our choice:
a router serves a bounded number of agents, so more agents means more routers); a reallocation
recomputes only the flows behind one router, whatever the total.
"""

from __future__ import annotations

from functools import partial

import simpy

from netsim.bench.timing import best_of, heterogeneous_two_tier
from netsim.network import MODELS, Network
from netsim.simulation import fewer_collections
from netsim.topology import Topology

PAYLOAD_BYTES = 100_000
BASELINE = "fair"
"""The model the others' costs are compared with."""


def topology(n_agents: int, agents_per_edge: int, seed: int) -> Topology:
    """The two-tier topology of ``n_agents`` heterogeneous agents."""
    return Topology(heterogeneous_two_tier(n_agents, agents_per_edge, seed))


def broadcast(topology: Topology, model: str = BASELINE) -> float:
    """Deliver one broadcast from the learner to every agent under ``model``; the simulated
    instant the last one arrives."""
    with fewer_collections():  # as a trial runs
        env = simpy.Environment()
        network = Network(env, topology, model)
        for agent in topology.agents:
            network.transfer(topology.learner, agent, PAYLOAD_BYTES)
        env.run()
    return env.now


def main(
    small: int = 100, large: int = 10_000, agents_per_edge: int = 100, repeats: int = 3
) -> dict[str, float]:
    """Print every model's cost per event for both sizes, side by side; return, by name, the
    growth of the baseline's cost from ``small`` to ``large`` and each other model's cost over
    the baseline's at ``large``."""
    topologies = {n: topology(n, agents_per_edge, seed=0) for n in (small, large)}
    models = [BASELINE, *sorted(set(MODELS) - {BASELINE})]
    for model in models:
        broadcast(topologies[small], model)  # warm up
    best = best_of(
        {
            (model, n_agents): partial(broadcast, built, model)
            for n_agents, built in topologies.items()
            for model in models
        },
        repeats,
        desc="bench network",
    )
    per_event = {key: seconds / (2 * key[1]) for key, (seconds, _) in best.items()}
    print(
        f"network: one broadcast of {PAYLOAD_BYTES:,} bytes on a two-tier topology "
        f"({agents_per_edge} agents per edge router), best of {repeats}; us per event"
    )
    print(f"  {'transfers':>9}  " + "".join(f"{model:>19}" for model in models))
    for n_agents in (small, large):
        costs = "".join(f"{per_event[model, n_agents] * 1e6:19.1f}" for model in models)
        print(f"  {n_agents:>9,}  {costs}")
    print("  last arrival (s)  " + "".join(f"{best[m, large][1]:19.3f}" for m in models)[7:])
    ratios = {
        f"network: per event n={large} / n={small}": per_event[BASELINE, large]
        / per_event[BASELINE, small]
    }
    for model in models[1:]:
        ratios[f"network: {model} / {BASELINE} per event n={large}"] = (
            per_event[model, large] / per_event[BASELINE, large]
        )
    for name, ratio in ratios.items():
        print(f"  {name}: {ratio:.2f}x")
    return ratios
