"""Topologies: a NetworkX graph of a learner, agents and routers joined by links (SPEC.md section 5).

A topology is any ``networkx.Graph`` (links full duplex: each direction its own capacity) or
``networkx.DiGraph`` (each edge one direction) whose

* nodes carry ``role`` in {"learner", "agent", "router"}: exactly one learner, at least one agent;
* edges carry ``bandwidth_bps`` (bits per second, > 0) and ``latency_s`` (seconds, >= 0).

Agent i is the i-th agent node in the graph's node order. Routes are shortest paths by hop count
(our choice; ties broken by NetworkX's deterministic search order), computed once.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx

ROLES = ("learner", "agent", "router")


@dataclass(frozen=True, slots=True)
class Link:
    """One direction of an edge."""

    src: Hashable
    dst: Hashable
    bandwidth_bps: float
    latency_s: float


class Topology:
    """A validated graph with its learner, its agents in order, and the route of every message."""

    def __init__(self, graph: nx.Graph) -> None:
        if not isinstance(graph, nx.Graph):
            raise TypeError(
                f"a topology is a networkx Graph or DiGraph, not {type(graph).__name__}"
            )
        self.graph = graph
        self.learner, self.agents = _roles(graph)
        self.links = _links(graph)
        self._downlinks = _routes(graph, self.learner, self.agents, self.links, towards_agents=True)
        self._uplinks = _routes(graph, self.learner, self.agents, self.links, towards_agents=False)

    @property
    def n_agents(self) -> int:
        return len(self.agents)

    def downlink(self, agent: int) -> tuple[Link, ...]:
        """The links from the learner to agent ``agent``, in order."""
        return self._downlinks[agent]

    def uplink(self, agent: int) -> tuple[Link, ...]:
        """The links from agent ``agent`` to the learner, in order."""
        return self._uplinks[agent]


def _roles(graph: nx.Graph) -> tuple[Hashable, tuple[Hashable, ...]]:
    learners, agents = [], []
    for node, role in graph.nodes(data="role"):
        if role not in ROLES:
            raise ValueError(f"node {node!r} has role {role!r}; it must be one of {ROLES}")
        if role == "learner":
            learners.append(node)
        elif role == "agent":
            agents.append(node)
    if len(learners) != 1:
        raise ValueError(
            f"a topology needs exactly one learner node; found {len(learners)}: {learners}"
        )
    if not agents:
        raise ValueError("a topology needs at least one node with role 'agent'; found none")
    return learners[0], tuple(agents)


def _links(graph: nx.Graph) -> dict[tuple[Hashable, Hashable], Link]:
    links = {}
    for u, v, data in graph.edges(data=True):
        bandwidth = data.get("bandwidth_bps")
        latency = data.get("latency_s")
        if not isinstance(bandwidth, int | float) or not bandwidth > 0 or math.isinf(bandwidth):
            raise ValueError(
                f"edge {(u, v)!r} has bandwidth_bps {bandwidth!r}; it must be a finite number > 0"
            )
        if not isinstance(latency, int | float) or not latency >= 0 or math.isinf(latency):
            raise ValueError(
                f"edge {(u, v)!r} has latency_s {latency!r}; it must be a finite number >= 0"
            )
        links[(u, v)] = Link(u, v, float(bandwidth), float(latency))
        if not graph.is_directed():
            links[(v, u)] = Link(v, u, float(bandwidth), float(latency))
    return links


def _routes(
    graph: nx.Graph,
    learner: Hashable,
    agents: tuple[Hashable, ...],
    links: dict[tuple[Hashable, Hashable], Link],
    towards_agents: bool,
) -> list[tuple[Link, ...]]:
    search = graph if towards_agents or not graph.is_directed() else graph.reverse(copy=False)
    paths = nx.single_source_shortest_path(search, learner)
    routes = []
    for agent in agents:
        if agent not in paths:
            direction = "from the learner to" if towards_agents else "to the learner from"
            raise ValueError(
                f"agent {agent!r} is disconnected: no path {direction} it (learner {learner!r})"
            )
        path = paths[agent] if towards_agents else paths[agent][::-1]
        routes.append(tuple(links[(a, b)] for a, b in zip(path[:-1], path[1:], strict=True)))
    return routes
