"""The ``gossip`` pattern: decentralised learning over a communication graph (docs/design.md, "Learning without a centre")."""

from netsim.patterns.gossip.graphs import COMMUNICATION_GRAPHS, CommunicationGraph
from netsim.patterns.gossip.mixing import MIXING
from netsim.patterns.gossip.pattern import Gossip
from netsim.patterns.gossip.settings import GossipSettings

__all__ = ["COMMUNICATION_GRAPHS", "MIXING", "CommunicationGraph", "Gossip", "GossipSettings"]
