"""Quiet round trips (netsim/patterns/central/quiet.py) give the tables the events give, bit for bit.

Each trial runs twice: as it runs, and with no trip taken as quiet (every agent's trip driven by
its SimPy events); every table must be equal cell for cell. The topologies mix quiet agents with
agents that are not (a lossy link, an outage, a shared backbone), and the agents' step times,
latencies and bandwidths differ, so quiet and event-driven trips end at interleaved instants.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import simpy

import netsim.patterns.central.barrier as barrier
from netsim import CentralSettings, ComputeSettings, NetworkSettings, Variant, star
from netsim.network import Network
from netsim.simulation import simulate
from netsim.topology import Topology

STEP_TIMES = [1.1e-3, 2.3e-3, 5.7e-3, 1.3e-2, 3.1e-3]


def mixed_star():
    """Five agents on their own links of unequal bandwidth and latency; agent 1's link is lossy
    and agent 3's has an outage, so their trips are not quiet."""
    topology = star(
        5,
        bandwidth_bps=[2.1e5, 1.3e5, 3.7e5, 2.9e5, 7.3e4],
        latency_s=[0.0043, 0.0017, 0.0, 0.0111, 0.0031],
    )
    topology.edges["learner", "agent-1"]["loss"] = 0.3
    topology.edges["learner", "agent-3"]["outages"] = [(0.02, 0.03), (0.2, 0.3)]
    return topology


def private_paths():
    """Five agents at the ends of private paths of 1 to 3 links through their own routers (each
    link its own bandwidth and latency), and two agents behind one shared router: the quiet
    trips' routes differ in length, and the shared router's agents are not quiet."""
    graph = nx.Graph()
    graph.add_node("learner", role="learner")
    rng = np.random.default_rng(3)

    def link(a, b):
        graph.add_edge(
            a, b, bandwidth_bps=float(rng.uniform(5e4, 5e5)), latency_s=rng.uniform(0, 0.01)
        )

    for agent, hops in enumerate([1, 3, 2, 1, 3]):
        path = ["learner", *(f"router-{agent}-{h}" for h in range(hops - 1)), f"agent-{agent}"]
        for node in path[1:-1]:
            graph.add_node(node, role="router")
        graph.add_node(path[-1], role="agent")
        for a, b in zip(path[:-1], path[1:], strict=True):
            link(a, b)
    graph.add_node("shared", role="router")
    link("learner", "shared")
    for agent in (5, 6):
        graph.add_node(f"agent-{agent}", role="agent")
        link("shared", f"agent-{agent}")
    return graph


def variant(algorithm: str, env: str, config: dict, topology, **network) -> Variant:
    return Variant(
        algorithm,
        algorithm,
        topology,
        env=env,
        config=config,
        network=NetworkSettings(**network),
        compute=ComputeSettings(step_time_s=STEP_TIMES, update_time_s=0.003),
        pattern=CentralSettings(),
    )


def both_ways(monkeypatch, case: Variant, episodes: int):
    """The tables as the trial runs, the quiet mask it used, and the tables with no quiet trip."""
    masks = []
    quiet_agents = barrier.quiet_agents

    def recorded(*args, **kwargs):
        masks.append(quiet_agents(*args, **kwargs))
        return masks[-1]

    monkeypatch.setattr(barrier, "quiet_agents", recorded)
    quiet = simulate(case, episodes, np.random.SeedSequence(5))
    monkeypatch.setattr(
        barrier, "quiet_agents", lambda *args, **kwargs: np.zeros(case.n_agents, dtype=bool)
    )
    events = simulate(case, episodes, np.random.SeedSequence(5))
    return quiet, masks[0], events


CASES = {
    "es": ("es", "CartPole-v1", {}, 4),
    "espc": ("espc", "CartPole-v1", {"m": 2, "k": 3}, 4),  # silent agents send notices
    "dql": ("dql", "netsim/SimpleGrid-v0", {}, 6),
}


@pytest.mark.parametrize("name", CASES)
def test_quiet_trips_give_the_event_driven_tables(monkeypatch, name):
    algorithm, env, config, episodes = CASES[name]
    case = variant(algorithm, env, config, mixed_star())
    quiet, mask, events = both_ways(monkeypatch, case, episodes)
    assert mask.tolist() == [True, False, True, False, True]
    assert quiet.keys() == events.keys()
    for table in quiet:
        pd.testing.assert_frame_equal(quiet[table], events[table], check_exact=True)


def test_quiet_trips_on_private_paths_of_different_lengths_give_the_event_driven_tables(
    monkeypatch,
):
    graph = private_paths()
    case = Variant(
        "paths",
        "espc",
        graph,
        env="CartPole-v1",
        config={"m": 2, "k": 3},
        compute=ComputeSettings(step_time_s=[*STEP_TIMES, 4e-3, 6e-3], update_time_s=0.003),
        pattern=CentralSettings(),
    )
    quiet, mask, events = both_ways(monkeypatch, case, 4)
    assert mask.tolist() == [True] * 5 + [False] * 2
    assert (quiet["links"]["transfers"] > 0).all()
    for table in quiet:
        pd.testing.assert_frame_equal(quiet[table], events[table], check_exact=True)


def test_no_trip_is_quiet_on_a_shared_link_or_a_model_without_the_shortcut(monkeypatch):
    for topology, network in [
        (star(5, 1e5, 0.002, router=True), {}),
        (star(5, 1e5, 0.002), {"model": "fair"}),
        (star(5, 1e5, 0.002), {"trace": True}),
    ]:
        case = variant("es", "CartPole-v1", {}, topology, **network)
        _, mask, _ = both_ways(monkeypatch, case, 1)
        assert not mask.any()


def test_a_run_of_quiet_trips_only_gives_the_event_driven_tables(monkeypatch):
    case = variant("es", "CartPole-v1", {}, star(5, 1e6, 0.001))
    quiet, mask, events = both_ways(monkeypatch, case, 5)
    assert mask.all()
    for table in quiet:
        pd.testing.assert_frame_equal(quiet[table], events[table], check_exact=True)


def test_quiet_routes_time_transfers_and_count_link_use_as_the_events_do():
    """Random sizes, start instants, bandwidths and latencies on paths of 1 to 3 links: each
    transfer's end and every link's counters equal the event-driven model's, bit for bit."""
    graph = private_paths()
    rng = np.random.default_rng(11)
    for _, _, data in graph.edges(data=True):
        data["bandwidth_bps"] = float(rng.uniform(1e3, 1e9))
        data["latency_s"] = float(rng.uniform(0, 0.1))
    topology = Topology(graph)
    agents = topology.agents[:5]
    sizes = [rng.integers(1, 10**7, size=5) for _ in range(3)]
    # the first round starts near 0, each later one after the one before has left (a transfer
    # here takes at most 3 x 8e4 + 0.3 s)
    gaps = np.vstack([rng.uniform(1e-9, 1e-3, size=5), rng.uniform(3e5, 4e5, size=(2, 5))])
    starts = np.cumsum(gaps, axis=0)

    def event_driven() -> tuple[list[list[float]], pd.DataFrame]:
        env = simpy.Environment()
        network = Network(env, topology)
        ends: list[list[float]] = [[0.0] * 5 for _ in range(3)]

        def send(round_, j):
            yield env.timeout(starts[round_, j])
            transfer = network.transfer("learner", agents[j], int(sizes[round_][j]))
            yield transfer.done
            ends[round_][j] = env.now

        for round_ in range(3):
            for j in range(5):
                env.process(send(round_, j))
        env.run()
        return ends, network.link_table()

    env = simpy.Environment()
    network = Network(env, topology)
    routes = network.quiet_routes([("learner", agent) for agent in agents])
    quiet_ends = [routes.ends_s(sizes[round_], starts[round_]).tolist() for round_ in range(3)]
    ends, links = event_driven()
    assert quiet_ends == ends
    counted = network.link_table().drop(columns="utilisation")  # its clock never moved
    pd.testing.assert_frame_equal(counted, links.drop(columns="utilisation"), check_exact=True)
