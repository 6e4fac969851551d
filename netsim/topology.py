"""Topologies: a NetworkX graph of agents, routers and at most one learner joined by links.

A topology is any ``networkx.Graph`` (links full duplex: each direction its own capacity) or
``networkx.DiGraph`` (each edge one direction) whose

* nodes carry ``role`` in {"learner", "agent", "router"}: at least one agent, zero or one learner;
* edges carry ``bandwidth_bps`` (bits per second, > 0) and ``latency_s`` (seconds, >= 0), and may
  carry ``loss`` (each packet's loss probability, in [0, 1), default 0) and ``outages`` (intervals
  ``(start_s, end_s)`` with ``0 <= start_s < end_s`` during which the link carries nothing).

Agent i is the i-th agent node in the graph's node order. Routes are shortest paths by hop count
(our choice; ties broken by NetworkX's deterministic search order), computed once.

A topology does not know who talks to whom: a communication pattern states the node pairs it sends
between, and :meth:`Topology.require` checks that each has a route, naming the first that has none.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise

import networkx as nx

from algorithms.checks import number

ROLES = ("learner", "agent", "router")


@dataclass(frozen=True, slots=True, eq=False)
class Link:
    """One direction of an edge. A topology makes each link once, so links compare and hash by
    identity: cheap, and the network models key their state by link on every event."""

    src: Hashable
    dst: Hashable
    bandwidth_bps: float
    latency_s: float
    loss: float = 0.0
    """Probability that a packet sent on this link is lost (and sent again)."""
    outages: tuple[tuple[float, float], ...] = ()
    """Intervals ``[start_s, end_s)``, sorted and disjoint, during which the link is down."""
    _ends: tuple[float, ...] = field(init=False, repr=False)
    """Each outage's end, for finding by bisection where a time falls among many outages."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_ends", tuple(end for _, end in self.outages))

    def outages_from(self, time_s: float) -> Iterator[tuple[float, float]]:
        """The outages that end after ``time_s``, in order: the one under way, if any, first."""
        for index in range(bisect.bisect_right(self._ends, time_s), len(self.outages)):
            yield self.outages[index]

    def down_at(self, time_s: float) -> tuple[float, float] | None:
        """The outage under way at ``time_s``, if any."""
        outage = next(self.outages_from(time_s), None)
        return outage if outage is not None and outage[0] <= time_s else None

    def next_boundary(self, time_s: float) -> float | None:
        """The first instant after ``time_s`` at which an outage starts or ends, if any."""
        outage = next(self.outages_from(time_s), None)
        if outage is None:
            return None
        return outage[0] if outage[0] > time_s else outage[1]


class Topology:
    """A validated graph with its learner (or None), its agents in order, and the route of every
    message."""

    def __init__(self, graph: nx.Graph, *, roles: bool = True) -> None:
        """Validate ``graph``; with ``roles=False`` (what-if timing between any nodes) node roles
        are neither needed nor read, and the topology has no learner and no agents."""
        if not isinstance(graph, nx.Graph) or graph.is_multigraph():
            raise TypeError(
                f"a topology is a networkx Graph or DiGraph, not {type(graph).__name__}"
                + (
                    ": merge its parallel edges into one link each"
                    if isinstance(graph, nx.Graph)
                    else ""
                )
            )
        self.graph = graph
        self.links = _links(graph)
        self.learner, self.agents = _roles(graph) if roles else (None, ())
        self._searches: dict[tuple[Hashable, bool], dict[Hashable, list[Hashable]]] = {}
        self._routes: dict[tuple[Hashable, Hashable], tuple[Link, ...]] = {}

    @property
    def n_agents(self) -> int:
        return len(self.agents)

    def require(self, pairs: Iterable[tuple[Hashable, Hashable]], needed_by: str) -> None:
        """Raise a ValueError naming the first of ``pairs`` (source, destination) that no route
        joins, and ``needed_by``, what needs it (a communication pattern, say)."""
        for src, dst in pairs:
            try:
                self.route(src, dst)
            except ValueError as error:
                raise ValueError(
                    f"{needed_by} needs a path from {src!r} to {dst!r}: {error}"
                ) from None

    def route(self, src: Hashable, dst: Hashable) -> tuple[Link, ...]:
        """The links from node ``src`` to node ``dst``, in order: a shortest path by hops, found by
        a breadth-first search from ``src``, or, towards the learner, from the learner over
        reversed links (one search serves every agent). Every message the simulator sends takes
        this route, so a what-if transfer between two nodes takes the path a simulated message between them takes."""
        key = (src, dst)
        if key not in self._routes:
            for node in key:
                if node not in self.graph:
                    raise ValueError(f"node {node!r} is not in the topology")
            if src == dst:
                raise ValueError(f"a transfer from {src!r} to itself crosses no link")
            if dst == self.learner:
                path = self._search(dst, reverse=True).get(src, [])[::-1]
            else:
                path = self._search(src, reverse=False).get(dst, [])
            if not path:
                raise ValueError(f"no path from {src!r} to {dst!r}")
            self._routes[key] = tuple(self.links[hop] for hop in pairwise(path))
        return self._routes[key]

    def _search(self, source: Hashable, reverse: bool) -> dict[Hashable, list[Hashable]]:
        """Shortest paths from ``source`` (over reversed links if ``reverse``), computed once."""
        key = (source, reverse)
        if key not in self._searches:
            graph = self.graph
            if reverse and graph.is_directed():
                graph = graph.reverse(copy=False)
            self._searches[key] = nx.single_source_shortest_path(graph, source)
        return self._searches[key]


def _roles(graph: nx.Graph) -> tuple[Hashable | None, tuple[Hashable, ...]]:
    learners, agents = [], []
    for node, role in graph.nodes(data="role"):
        if role not in ROLES:
            raise ValueError(f"node {node!r} has role {role!r}; it must be one of {ROLES}")
        if role == "learner":
            learners.append(node)
        elif role == "agent":
            agents.append(node)
    if len(learners) > 1:
        raise ValueError(
            f"a topology has at most one learner node; found {len(learners)}: {learners}"
        )
    if not agents:
        raise ValueError("a topology needs at least one node with role 'agent'; found none")
    return (learners[0] if learners else None), tuple(agents)


def _links(graph: nx.Graph) -> dict[tuple[Hashable, Hashable], Link]:
    links = {}
    for u, v, data in graph.edges(data=True):
        bandwidth = _attribute((u, v), data, "bandwidth_bps", "a finite number > 0", above=0)
        latency = _attribute((u, v), data, "latency_s", "a finite number >= 0", minimum=0)
        loss = _attribute((u, v), data, "loss", "in [0, 1)", minimum=0, below=1)
        outages = _outages((u, v), data.get("outages", ()))
        links[(u, v)] = Link(u, v, bandwidth, latency, loss, outages)
        if not graph.is_directed():
            links[(v, u)] = Link(v, u, bandwidth, latency, loss, outages)
    return links


def _attribute(
    edge: tuple[Hashable, Hashable], data: dict, name: str, wanted: str, **bounds: float
) -> float:
    """Edge attribute ``name`` (loss defaults to 0) as a float, checked by
    :func:`algorithms.checks.number` with ``bounds``; refused naming the edge and ``wanted``."""
    value = data.get(name, 0.0 if name == "loss" else None)
    try:
        return number(value, name, **bounds)
    except (TypeError, ValueError):
        raise ValueError(f"edge {edge!r} has {name} {value!r}; it must be {wanted}") from None


def _outages(edge: tuple[Hashable, Hashable], given: object) -> tuple[tuple[float, float], ...]:
    """``given`` as sorted, disjoint ``(start_s, end_s)`` intervals, each checked."""
    try:
        intervals = [
            (number(start, "start_s"), number(end, "end_s"))
            for start, end in given  # type: ignore[attr-defined]
        ]
    except (TypeError, ValueError):
        raise ValueError(
            f"edge {edge!r} has outages {given!r}; give a list of (start_s, end_s) pairs"
        ) from None
    for start, end in intervals:
        if not (0 <= start < end) or math.isinf(end):
            raise ValueError(
                f"edge {edge!r} has outage ({start}, {end}); it needs 0 <= start_s < end_s < inf"
            )
    intervals.sort()
    for (_, end), (start, _) in pairwise(intervals):
        if start < end:
            raise ValueError(f"edge {edge!r} has overlapping outages around {start}")
    return tuple(intervals)
