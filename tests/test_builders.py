"""Topology builders: shapes, heterogeneous agents, and the errors their arguments get."""

import pytest
import scipy.stats

import netsim
from netsim import Topology, line, star, two_tier
from netsim.builders import build


def down(topology: Topology, agent: int):
    """The route from the learner to agent number ``agent``."""
    return topology.route(topology.learner, topology.agents[agent])


def up(topology: Topology, agent: int):
    """The route from agent number ``agent`` to the learner."""
    return topology.route(topology.agents[agent], topology.learner)


def test_star_routes_every_agent_through_the_router():
    topology = Topology(
        star(3, bandwidth_bps=1e6, latency_s=0.01, router=True, backbone_bandwidth_bps=1e7)
    )
    assert topology.n_agents == 3
    assert [link.dst for link in topology.route("agent-2", "learner")] == ["router", "learner"]
    assert [link.dst for link in topology.route("learner", "agent-2")] == ["router", "agent-2"]
    assert topology.route("learner", "agent-0")[0].bandwidth_bps == 1e7
    assert topology.route("learner", "agent-0")[1].bandwidth_bps == 1e6


def test_two_tier_puts_agents_behind_edge_routers_in_contiguous_blocks():
    topology = Topology(
        two_tier(
            6, 2, access_bandwidth_bps=1e6, backhaul_bandwidth_bps=1e8, backhaul_latency_s=0.02
        )
    )
    routers = [topology.route(agent, "learner")[0].dst for agent in topology.agents]
    assert routers == ["edge-0"] * 3 + ["edge-1"] * 3
    backhaul = topology.route(topology.agents[5], "learner")[1]
    assert (backhaul.dst, backhaul.bandwidth_bps, backhaul.latency_s) == ("learner", 1e8, 0.02)


def test_line_makes_each_agent_forward_for_the_ones_behind_it():
    topology = Topology(line(3, bandwidth_bps=[1e6, 2e6, 3e6], latency_s=0.01))
    assert [link.dst for link in up(topology, 2)] == ["agent-1", "agent-0", "learner"]
    assert [link.bandwidth_bps for link in down(topology, 2)] == [1e6, 2e6, 3e6]


def test_per_agent_settings_from_a_list():
    topology = Topology(
        star(3, bandwidth_bps=[1e6, 2e6, 3e6], latency_s=[0.0, 0.1, 0.2], loss=[0.0, 0.0, 0.1])
    )
    assert [down(topology, i)[0].bandwidth_bps for i in range(3)] == [1e6, 2e6, 3e6]
    assert [down(topology, i)[0].latency_s for i in range(3)] == [0.0, 0.1, 0.2]
    assert [up(topology, i)[0].loss for i in range(3)] == [0.0, 0.0, 0.1]


@pytest.mark.parametrize(
    "distribution",
    [
        scipy.stats.uniform(loc=1e5, scale=9e5),
        {"distribution": "uniform", "loc": 1e5, "scale": 9e5},
    ],
)
def test_per_agent_settings_drawn_from_a_distribution_with_a_seed(distribution):
    def bandwidths(seed):
        topology = Topology(star(200, bandwidth_bps=distribution, seed=seed))
        return [down(topology, i)[0].bandwidth_bps for i in range(200)]

    drawn = bandwidths(seed=4)
    assert drawn == bandwidths(seed=4) and drawn != bandwidths(seed=5)
    assert min(drawn) >= 1e5 and max(drawn) <= 1e6 and len(set(drawn)) == 200


def test_build_finds_builders_by_name():
    graph = build(
        "two_tier", n_agents=4, n_edges=2, access_bandwidth_bps=1e6, backhaul_bandwidth_bps=1e7
    )
    assert Topology(graph).n_agents == 4


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: star(0, 1e6), "star: n_agents = 0 must be an integer >= 1"),
        (lambda: star(3, [1e6, 2e6]), "star: bandwidth_bps has 2 values for 3 agents"),
        (lambda: star(3, scipy.stats.norm(1e6, 1e5)), "needs a seed"),
        (lambda: star(3, "fast"), "star: bandwidth_bps = 'fast'"),
        (
            lambda: star(3, {"distribution": "gaussian"}, seed=1),
            "star: bandwidth_bps: 'gaussian' is not a scipy.stats distribution",
        ),
        (
            lambda: two_tier(2, 3, access_bandwidth_bps=1e6, backhaul_bandwidth_bps=1e7),
            "two_tier: n_edges = 3 exceeds n_agents = 2",
        ),
        (
            lambda: build("ring", n_agents=3),
            "unknown topology builder 'ring'; known: line, peer_to_peer, star",
        ),
    ],
)
def test_bad_builder_arguments_are_named(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_peer_to_peer_joins_agents_directly_and_forwards_between_non_neighbours():
    graph = netsim.peer_to_peer([(0, 1), (1, 2), (2, 3)], 1e6, 0.01, loss=0.1)
    topology = netsim.Topology(graph)
    assert topology.learner is None and len(topology.agents) == 4
    route = topology.route("agent-0", "agent-3")
    assert [link.dst for link in route] == ["agent-1", "agent-2", "agent-3"]
    assert all(link.loss == 0.1 and link.bandwidth_bps == 1e6 for link in route)
    assert netsim.TOPOLOGIES["peer_to_peer"] is netsim.peer_to_peer
    with pytest.raises(ValueError, match=r"numbered 0 \.\. n-1; got nodes \[0, 2\]"):
        netsim.peer_to_peer([(0, 2)], 1e6)
