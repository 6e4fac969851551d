"""``netsim bench network``: what the fair model costs per transfer event as concurrency grows.

A broadcast from the learner to every agent of a two-tier topology, all transfers started at once
and sharing the backhaul of their edge router, timed for ``small`` and for ``large`` agents, side by
side in one run, interleaved, best of ``repeats``. Each transfer makes two events for the model (it
joins the links once its latency is paid, and leaves them when done), so

    cost per event = wall seconds / (2 * transfers).

Agents are heterogeneous (access bandwidths log-normal around 10 Mbit/s, latencies 1-20 ms), so
ends are spread over time and nearly every end changes the rates of its neighbours. Each edge router
serves ``agents_per_edge`` agents (our choice: a router serves a bounded number of agents, so more
agents means more routers); a reallocation recomputes only the flows behind one router, whatever
the total.
"""

from __future__ import annotations

from functools import partial

import simpy

from netsim.bench.timing import best_of, heterogeneous_two_tier
from netsim.network import Network
from netsim.simulation import fewer_collections
from netsim.topology import Topology

PAYLOAD_BYTES = 100_000


def topology(n_agents: int, agents_per_edge: int, seed: int) -> Topology:
    """The two-tier topology of ``n_agents`` heterogeneous agents."""
    return Topology(heterogeneous_two_tier(n_agents, agents_per_edge, seed))


def broadcast(topology: Topology) -> float:
    """Deliver one broadcast from the learner to every agent under the fair model; the
    simulated instant the last one arrives."""
    with fewer_collections():  # as a trial runs
        env = simpy.Environment()
        network = Network(env, topology, "fair")
        for agent in topology.agents:
            network.transfer(topology.learner, agent, PAYLOAD_BYTES)
        env.run()
    return env.now


def main(
    small: int = 100, large: int = 10_000, agents_per_edge: int = 100, repeats: int = 3
) -> dict[str, float]:
    """Print the fair model's cost per event for both sizes; return their ratio by name."""
    topologies = {n: topology(n, agents_per_edge, seed=0) for n in (small, large)}
    broadcast(topologies[small])  # warm up
    best = best_of(
        {n_agents: partial(broadcast, built) for n_agents, built in topologies.items()},
        repeats,
        desc="bench network",
    )
    per_event = {n_agents: seconds / (2 * n_agents) for n_agents, (seconds, _) in best.items()}
    print(
        f"network: the fair model, one broadcast of {PAYLOAD_BYTES:,} bytes on a two-tier topology "
        f"({agents_per_edge} agents per edge router), best of {repeats}"
    )
    for n_agents, (seconds, _) in best.items():
        print(
            f"  {n_agents:>7,} concurrent transfers  {seconds:8.3f} s  "
            f"{per_event[n_agents] * 1e6:7.1f} us/event"
        )
    ratio = per_event[large] / per_event[small]
    print(f"  cost per event, {large:,} / {small:,} transfers: {ratio:.2f}x")
    return {f"network: per event n={large} / n={small}": ratio}
