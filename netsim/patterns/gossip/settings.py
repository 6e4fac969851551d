"""The gossip pattern's settings: the communication graph, the mixing rule, the averaging period."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from netsim.patterns.base import PatternSettings
from netsim.patterns.gossip.graphs import COMMUNICATION_GRAPHS, CommunicationGraph
from netsim.patterns.gossip.mixing import MIXING, UNDIRECTED_ONLY


@dataclass(frozen=True)
class GossipSettings(PatternSettings):
    """No learner: every round each agent exchanges with its neighbours on a communication graph
    (see :mod:`netsim.patterns.gossip`)."""

    pattern: ClassVar[str] = "gossip"

    graph: str = "ring"
    """The communication graph, by name (:data:`~netsim.patterns.gossip.graphs.COMMUNICATION_GRAPHS`)."""
    mixing: str = "metropolis-hastings"
    """The mixing rule, by name (:data:`~netsim.patterns.gossip.mixing.MIXING`)."""
    tau: int = 1
    """Averaging period: agents share and mix their parameters every ``tau`` rounds."""

    def __post_init__(self) -> None:
        COMMUNICATION_GRAPHS[self.graph]  # raises, naming it, if unknown
        MIXING[self.mixing]
        if isinstance(self.tau, bool) or not isinstance(self.tau, int) or self.tau < 1:
            raise ValueError(f"GossipSettings.tau = {self.tau!r} must be an integer >= 1")

    def check(self, n_agents: int) -> None:
        graph = self.communication_graph(n_agents)
        if graph.directed and self.mixing in UNDIRECTED_ONLY:
            raise ValueError(
                f"GossipSettings.mixing = {self.mixing!r} needs an undirected communication "
                f"graph, and {self.graph!r} is directed; use mixing = 'uniform'"
            )

    def communication_graph(self, n_agents: int) -> CommunicationGraph:
        return COMMUNICATION_GRAPHS[self.graph](n_agents)
