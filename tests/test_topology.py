"""Topology validation: every error names the node, edge or pair at fault."""

import averaging
import networkx as nx
import pytest

from netsim import GossipSettings, Topology, Variant, star


def test_a_disconnected_agent_is_named_by_the_pair_the_central_pattern_needs():
    graph = star(2, bandwidth_bps=1e6)
    graph.add_node("agent-lost", role="agent")
    Topology(graph)  # a topology alone does not know who talks to whom
    with pytest.raises(
        ValueError, match="central pattern needs a path from 'learner' to 'agent-lost'"
    ):
        Variant("v", "es", graph)


def test_a_directed_graph_needs_a_path_back_to_the_learner():
    graph = nx.DiGraph()
    graph.add_node("learner", role="learner")
    graph.add_node("a", role="agent")
    graph.add_edge("learner", "a", bandwidth_bps=1e6, latency_s=0.0)
    with pytest.raises(ValueError, match="needs a path from 'a' to 'learner': no path from"):
        Topology(graph).require([("learner", "a"), ("a", "learner")], "the central pattern")


def test_a_ring_of_agents_without_a_learner_is_a_topology_the_central_pattern_refuses():
    graph = nx.cycle_graph([f"agent-{i}" for i in range(4)])
    nx.set_node_attributes(graph, "agent", "role")
    nx.set_edge_attributes(graph, 1e6, "bandwidth_bps")
    nx.set_edge_attributes(graph, 0.01, "latency_s")
    topology = Topology(graph)
    assert topology.learner is None and topology.n_agents == 4
    with pytest.raises(ValueError, match="central pattern needs a node with role 'learner'"):
        Variant("v", "es", graph)


def test_gossip_names_the_neighbours_the_topology_cannot_join():
    graph = nx.DiGraph()
    for i in range(3):
        graph.add_node(f"agent-{i}", role="agent")
    for u, v in [(1, 0), (2, 0), (1, 2), (2, 1)]:  # agent-0 can receive but not send
        graph.add_edge(f"agent-{u}", f"agent-{v}", bandwidth_bps=1e6, latency_s=0.0)
    with pytest.raises(
        ValueError, match="the gossip pattern needs a path from 'agent-0' to 'agent-1'"
    ):
        Variant("v", averaging.NAME, graph, pattern=GossipSettings(graph="ring"))


@pytest.mark.parametrize("bandwidth", [0, -5.0, float("nan"), float("inf"), None])
def test_a_link_without_positive_bandwidth_is_named(bandwidth):
    graph = star(2, bandwidth_bps=1e6)
    graph.edges["learner", "agent-1"]["bandwidth_bps"] = bandwidth
    with pytest.raises(ValueError, match=r"edge \('learner', 'agent-1'\) has bandwidth_bps"):
        Topology(graph)


def test_a_negative_latency_is_named():
    graph = star(2, bandwidth_bps=1e6)
    graph.edges["learner", "agent-0"]["latency_s"] = -0.1
    with pytest.raises(ValueError, match=r"edge \('learner', 'agent-0'\) has latency_s -0.1"):
        Topology(graph)


def test_roles_are_checked():
    graph = star(1, bandwidth_bps=1e6)
    graph.add_node("printer", role="printer")
    with pytest.raises(ValueError, match="node 'printer' has role 'printer'"):
        Topology(graph)
    graph = star(1, bandwidth_bps=1e6)
    graph.add_node("second", role="learner")
    with pytest.raises(ValueError, match="at most one learner node; found 2"):
        Topology(graph)
    graph = nx.Graph()
    graph.add_node("learner", role="learner")
    with pytest.raises(ValueError, match="at least one node with role 'agent'"):
        Topology(graph)


def test_routes_between_learner_and_agent_are_the_simulators_own():
    graph = nx.Graph()
    graph.add_node("learner", role="learner")
    graph.add_node("agent-0", role="agent")
    for router in ("r1", "r2"):  # two paths of equal length
        graph.add_node(router, role="router")
        graph.add_edge("learner", router, bandwidth_bps=1e6, latency_s=0.0)
        graph.add_edge(router, "agent-0", bandwidth_bps=1e6, latency_s=0.0)
    topology = Topology(graph)
    down, up = topology.route("learner", "agent-0"), topology.route("agent-0", "learner")
    assert topology.route("learner", "agent-0") is down  # computed once
    assert [link.src for link in up][::-1] == [link.dst for link in down]
