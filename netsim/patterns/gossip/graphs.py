"""Communication graphs: who exchanges with whom, over the agents, separate from the physical
topology the messages cross (docs/design.md, "Communication patterns").

A graph is a cycle of directed graphs on agent indices 0..n-1, round t using the ``t mod period``-th;
an edge j -> i means agent j sends to agent i. An undirected graph holds both directions of each
edge. Builders, by name in :data:`COMMUNICATION_GRAPHS`:

* ``ring``: i with i - 1 and i + 1 (undirected);
* ``torus``: a rows x cols grid with wrap-around, rows the largest divisor of n up to sqrt(n)
  (undirected);
* ``exponential``: i sends to i + 2^j mod n for j = 0 .. ceil(log2 n) - 1 (directed, static);
* ``one-peer-exponential``: in round t, i sends to i + 2^(t mod ceil(log2 n)) mod n only
  (directed, time-varying; Ying et al., NeurIPS 2021);
* ``complete``: everyone with everyone (undirected);
* ``physical``: the links of the topology that join two agents (peer-to-peer links), directed
  where the topology is;
* ``random-regular`` (``degree``), ``erdos-renyi`` (``probability``) and ``small-world``
  (Watts-Strogatz: ``degree`` ring neighbours, each edge rewired with ``probability``): random,
  undirected, drawn with ``seed`` until connected, and with ``redraw`` drawn afresh every round
  (as epidemic learning draws its peers).

A builder takes the topology (most need only its number of agents) and its options
(``GossipSettings.graph_options``); ``from_edges`` makes a graph of pairs of agent nodes a user
gives; ``scheduled`` changes the graph by round (a late dense phase, a final complete merge).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from algorithms.registry import Registry
from netsim.topology import Topology


@dataclass(frozen=True, eq=False)
class CommunicationGraph:
    """The graphs of successive rounds, repeating with their period."""

    name: str
    rounds: tuple[nx.DiGraph, ...]
    """Round t's graph is ``rounds[t % len(rounds)]``; nodes 0..n-1, edge j -> i: j sends to i."""
    directed: bool
    """Whether some round has an edge without its reverse."""
    draw: Callable[[int], nx.DiGraph] | None = None
    """Draws round t's graph afresh (then ``rounds`` holds round 0's only)."""
    possible: frozenset[tuple[int, int]] | None = None
    """With ``draw``: every (sender, receiver) pair a round may have."""
    _drawn: dict[int, nx.DiGraph] = field(default_factory=dict, repr=False)

    def key(self, round_: int) -> int:
        """Which graph round t has: equal keys, the same graph."""
        return round_ if self.draw is not None else round_ % len(self.rounds)

    def at(self, round_: int) -> nx.DiGraph:
        if self.draw is None:
            return self.rounds[round_ % len(self.rounds)]
        if round_ not in self._drawn:
            self._drawn[round_] = self.draw(round_)
        return self._drawn[round_]

    def edges(self) -> set[tuple[int, int]]:
        """Every (sender, receiver) pair of any round."""
        if self.possible is not None:
            return set(self.possible)
        return {edge for graph in self.rounds for edge in graph.edges}


def _undirected(name: str, graph: nx.Graph, n_agents: int) -> CommunicationGraph:
    directed = nx.DiGraph(graph)
    directed.add_nodes_from(range(n_agents))
    return CommunicationGraph(name, (directed,), directed=False)


def _directed(name: str, rounds: list[nx.DiGraph]) -> CommunicationGraph:
    is_directed = any(not graph.has_edge(v, u) for graph in rounds for u, v in graph.edges)
    return CommunicationGraph(name, tuple(rounds), directed=is_directed)


def ring(topology: Topology) -> CommunicationGraph:
    n_agents = topology.n_agents
    return _undirected(
        "ring", nx.cycle_graph(n_agents) if n_agents > 2 else nx.path_graph(n_agents), n_agents
    )


def torus(topology: Topology) -> CommunicationGraph:
    n_agents = topology.n_agents
    rows = max(d for d in range(1, math.isqrt(n_agents) + 1) if n_agents % d == 0)
    grid = nx.grid_2d_graph(rows, n_agents // rows, periodic=True)
    graph = nx.relabel_nodes(grid, {(r, c): r * (n_agents // rows) + c for r, c in grid.nodes})
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    return _undirected("torus", graph, n_agents)


def _hops(n_agents: int) -> list[int]:
    """2^j for j = 0 .. ceil(log2 n) - 1: the offsets of the exponential graphs."""
    return [2**j for j in range(max(1, math.ceil(math.log2(n_agents))))] if n_agents > 1 else []


def _offsets_graph(n_agents: int, offsets: list[int]) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n_agents))
    graph.add_edges_from(
        (i, (i + offset) % n_agents)
        for i in range(n_agents)
        for offset in offsets
        if (i + offset) % n_agents != i
    )
    return graph


def exponential(topology: Topology) -> CommunicationGraph:
    n_agents = topology.n_agents
    return _directed("exponential", [_offsets_graph(n_agents, _hops(n_agents))])


def one_peer_exponential(topology: Topology) -> CommunicationGraph:
    n_agents = topology.n_agents
    hops = _hops(n_agents) or [0]
    return _directed(
        "one-peer-exponential", [_offsets_graph(n_agents, [offset]) for offset in hops]
    )


def complete(topology: Topology) -> CommunicationGraph:
    return _undirected("complete", nx.complete_graph(topology.n_agents), topology.n_agents)


def physical(topology: Topology) -> CommunicationGraph:
    agents = set(topology.agents)
    edges = [(u, v) for u, v in topology.links if u in agents and v in agents]
    return from_edges(edges, directed=True, topology=topology, name="physical")


def from_edges(
    edges: Iterable[tuple[Hashable, Hashable]],
    directed: bool,
    topology: Topology,
    name: str = "given by its edges",
) -> CommunicationGraph:
    """The graph of ``edges``, pairs of agent nodes (one way if ``directed``, else both)."""
    index = {node: i for i, node in enumerate(topology.agents)}
    graph = nx.DiGraph()
    graph.add_nodes_from(range(topology.n_agents))
    for edge in edges:
        for node in edge:
            if node not in index:
                raise ValueError(
                    f"node {node!r} of the communication graph {name!r} is not an agent of the "
                    "topology"
                )
        sender, receiver = index[edge[0]], index[edge[1]]
        if sender != receiver:
            graph.add_edge(sender, receiver)
            if not directed:
                graph.add_edge(receiver, sender)
    return _directed(name, [graph])


def scheduled(phases: list[tuple[int, CommunicationGraph]]) -> CommunicationGraph:
    """``phases[k][1]`` from round ``phases[k][0]`` on (the first phase from round 0)."""
    starts = [start for start, _ in phases]

    def at(round_: int) -> nx.DiGraph:
        index = max(k for k, start in enumerate(starts) if start <= round_)
        return phases[index][1].at(round_)

    name = " then ".join(f"{graph.name} from round {start}" for start, graph in phases)
    first = phases[0][1]
    return CommunicationGraph(
        name,
        first.rounds,
        directed=any(graph.directed for _, graph in phases),
        draw=at,
        possible=frozenset().union(*(graph.edges() for _, graph in phases)),
    )


DRAWS = 1000
"""Draws of a random graph before giving up on a connected one."""


def _random(
    name: str, n_agents: int, seed: int, redraw: bool, draw: Callable[[int, int], nx.Graph]
) -> CommunicationGraph:
    """A connected ``draw(n_agents, seed')``, round t's seed' derived from (``seed``, t) when
    ``redraw``, else from ``seed`` alone."""

    def connected(round_: int) -> nx.DiGraph:
        for attempt in range(DRAWS):
            key = (seed, round_, attempt)
            graph = draw(n_agents, int(np.random.SeedSequence(key).generate_state(1)[0]))
            if n_agents < 2 or nx.is_connected(graph):
                directed = nx.DiGraph(graph)
                directed.add_nodes_from(range(n_agents))
                return directed
        raise ValueError(
            f"the {name} graph of {n_agents} agents drew no connected graph in {DRAWS} tries; "
            "give it more edges"
        )

    first = connected(0)
    if not redraw:
        return CommunicationGraph(name, (first,), directed=False)
    everyone = frozenset((u, v) for u in range(n_agents) for v in range(n_agents) if u != v)
    return CommunicationGraph(name, (first,), directed=False, draw=connected, possible=everyone)


def random_regular(
    topology: Topology, degree: int = 4, seed: int = 0, redraw: bool = False
) -> CommunicationGraph:
    n = topology.n_agents
    if not 0 < degree < n or (degree * n) % 2:
        raise ValueError(
            f"random-regular degree = {degree} needs 0 < degree < n = {n} and degree * n even"
        )
    return _random(
        "random-regular", n, seed, redraw, lambda n, s: nx.random_regular_graph(degree, n, s)
    )


def erdos_renyi(
    topology: Topology, probability: float = 0.2, seed: int = 0, redraw: bool = False
) -> CommunicationGraph:
    if not 0 < probability <= 1:
        raise ValueError(f"erdos-renyi probability = {probability} must be in (0, 1]")
    return _random(
        "erdos-renyi",
        topology.n_agents,
        seed,
        redraw,
        lambda n, s: nx.erdos_renyi_graph(n, probability, s),
    )


def small_world(
    topology: Topology,
    degree: int = 4,
    probability: float = 0.1,
    seed: int = 0,
    redraw: bool = False,
) -> CommunicationGraph:
    n = topology.n_agents
    if not 2 <= degree < n or not 0 <= probability <= 1:
        raise ValueError(
            f"small-world degree = {degree} must be in [2, n = {n}) and probability = "
            f"{probability} in [0, 1]"
        )
    return _random(
        "small-world",
        n,
        seed,
        redraw,
        lambda n, s: nx.watts_strogatz_graph(n, degree, probability, s),
    )


COMMUNICATION_GRAPHS: Registry[Callable[..., CommunicationGraph]] = Registry("communication graph")
"""Communication graph builders by name: ``builder(topology, **options)``."""
for _name, _builder in (
    ("ring", ring),
    ("torus", torus),
    ("exponential", exponential),
    ("one-peer-exponential", one_peer_exponential),
    ("complete", complete),
    ("physical", physical),
    ("random-regular", random_regular),
    ("erdos-renyi", erdos_renyi),
    ("small-world", small_world),
):
    COMMUNICATION_GRAPHS.register(_name, _builder)
