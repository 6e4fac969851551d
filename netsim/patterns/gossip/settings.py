"""The gossip pattern's settings: the communication graph, the mixing rule, the averaging period."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import networkx as nx

from algorithms.checks import integer
from algorithms.registry import unknown_name_message
from netsim.codecs import Codec, make_codec
from netsim.patterns.base import PatternSettings
from netsim.patterns.gossip.graphs import (
    COMMUNICATION_GRAPHS,
    CommunicationGraph,
    from_edges,
    scheduled,
)
from netsim.patterns.gossip.mixing import FOR_DIRECTED, MIXING
from netsim.topology import Topology


@dataclass(frozen=True)
class GossipSettings(PatternSettings):
    """No learner: every round each agent exchanges with its neighbours on a communication graph
    (see :mod:`netsim.patterns.gossip`)."""

    pattern: ClassVar[str] = "gossip"

    graph: str | tuple[tuple[Hashable, Hashable], ...] = "ring"
    """The communication graph: a builder's name
    (:data:`~netsim.patterns.gossip.graphs.COMMUNICATION_GRAPHS`; ``physical``: the links that
    join agents in the topology), or its edges as pairs of agent nodes (``directed`` says whether
    they go one way)."""
    graph_options: Mapping[str, Any] = field(default_factory=dict)
    """The builder's options: ``degree``, ``probability``, ``seed``, ``redraw`` for the random
    graphs (:mod:`~netsim.patterns.gossip.graphs`)."""
    directed: bool = False
    """Whether ``graph``'s edges, when given as pairs, go one way (sender, receiver)."""
    schedule: tuple[tuple[int, str], ...] = ()
    """Later phases, ``(first round, graph name)`` in increasing rounds, each graph with its
    builder's defaults: ``((190, "complete"),)`` mixes over the complete graph from round 190 on
    (a final merge). Before the first, ``graph``."""
    mixing: str = "metropolis-hastings"
    """The mixing rule, by name (:data:`~netsim.patterns.gossip.mixing.MIXING`): ``push-sum`` for
    a directed graph, another for an undirected one."""
    tau: int = 1
    """Averaging period: agents share and mix their parameters every ``tau`` rounds."""
    codec: str = "none"
    """How parameters cross to a neighbour (:data:`netsim.codecs.CODECS`): ``none`` as float32;
    a lossy codec (``float16``, ``int8``, ``top-k``) as the change since what the neighbour holds
    of them, what it leaves out going later (error feedback; :mod:`netsim.codecs`)."""
    codec_options: Mapping[str, Any] = field(default_factory=dict)
    """The codec's options: ``fraction`` for ``top-k``."""

    def __post_init__(self) -> None:
        if isinstance(self.graph, str):
            builder = COMMUNICATION_GRAPHS[self.graph]  # raises, naming it, if unknown
            options = list(inspect.signature(builder).parameters)[1:]
            for option in self.graph_options:
                if option not in options:
                    raise ValueError(
                        unknown_name_message(f"option of the {self.graph} graph", option, options)
                    )
        else:
            object.__setattr__(self, "graph", tuple(tuple(edge) for edge in self.graph))
            if not all(len(edge) == 2 for edge in self.graph):
                raise ValueError("GossipSettings.graph: give edges as (sender, receiver) pairs")
        MIXING[self.mixing]
        schedule = tuple(
            (integer(start, "GossipSettings.schedule: round", minimum=1), name)
            for start, name in self.schedule
        )
        object.__setattr__(self, "schedule", schedule)
        starts = [start for start, _ in schedule]
        for _, name in schedule:
            COMMUNICATION_GRAPHS[name]
        if starts != sorted(set(starts)):
            raise ValueError(f"GossipSettings.schedule: rounds {starts} must increase")
        object.__setattr__(self, "tau", integer(self.tau, "GossipSettings.tau", minimum=1))
        self.make_codec()

    def make_codec(self) -> Codec:
        """The codec parameters cross with; raises naming a bad option."""
        return make_codec(self.codec, self.codec_options, "GossipSettings.codec")

    @property
    def graph_name(self) -> str:
        return self.graph if isinstance(self.graph, str) else "given by its edges"

    def communication_graph(self, topology: Topology) -> CommunicationGraph:
        """The graph over ``topology``'s agents (by index), checked: every node an agent, the
        mixing rule for its kind, every agent able to hear from every other."""
        if isinstance(self.graph, str):
            graph = COMMUNICATION_GRAPHS[self.graph](topology, **self.graph_options)
        else:
            graph = from_edges(self.graph, self.directed, topology)
        if self.schedule:
            if _unreachable(graph.edges(), topology.n_agents):
                warnings.warn(
                    f"the communication graph {self.graph_name!r} does not connect every agent "
                    f"until round {self.schedule[0][0]}, when the schedule changes it",
                    stacklevel=2,
                )
            later = [(start, COMMUNICATION_GRAPHS[name](topology)) for start, name in self.schedule]
            graph = scheduled([(0, graph), *later])
        if graph.directed != (self.mixing in FOR_DIRECTED):
            kind, use = (
                ("directed", "'push-sum'")
                if graph.directed
                else ("undirected", "'metropolis-hastings' or 'uniform'")
            )
            raise ValueError(
                f"GossipSettings.mixing = {self.mixing!r} does not fit the {kind} communication "
                f"graph {self.graph_name!r}: use {use}"
            )
        far = _unreachable(graph.edges(), topology.n_agents)
        if far:
            raise ValueError(
                f"the communication graph {self.graph_name!r} is not connected: nothing agent "
                f"{topology.agents[far[0]]!r} holds can reach agent {topology.agents[far[1]]!r}"
            )
        return graph


def _unreachable(edges: set[tuple[int, int]], n_agents: int) -> tuple[int, int] | None:
    """A pair (a, b) of agents such that nothing a holds ever reaches b over ``edges``; None when
    every agent reaches every other."""
    union = nx.DiGraph(edges)
    union.add_nodes_from(range(n_agents))
    if n_agents < 2 or nx.is_strongly_connected(union):
        return None
    return next((a, b) for a in union for b in union if a != b and not nx.has_path(union, a, b))
