"""netsim: a discrete-event network simulator for communication-efficient distributed RL.

The Python API::

    import netsim
    scenario = netsim.Scenario("mine", [netsim.Variant("espc", "espc", netsim.star(50, 1e6))])
    results = netsim.run(scenario)
    results.to_pandas(); results.plot()

or from a TOML config: ``netsim.run(netsim.load_config("scenarios/cartpole_bandwidth_grid.toml"))``.
"""

import netsim.envs  # noqa: F401  (registers the grid worlds with Gymnasium)
from netsim.builders import TOPOLOGIES, line, peer_to_peer, star, two_tier
from netsim.compute import ComputeSettings
from netsim.config import ConfigError, load_config
from netsim.messages import Framing, Kind, Message
from netsim.network import MODELS, Network
from netsim.outages import with_random_outages
from netsim.patterns import PATTERNS, CentralSettings, GossipSettings, Pattern, PatternSettings
from netsim.results import Results
from netsim.runner import run
from netsim.scenario import NetworkSettings, Scenario, Variant
from netsim.simulation import simulate
from netsim.topology import Link, Topology
from netsim.whatif import time_transfers

__all__ = [
    "MODELS",
    "PATTERNS",
    "CentralSettings",
    "GossipSettings",
    "Pattern",
    "PatternSettings",
    "TOPOLOGIES",
    "ComputeSettings",
    "ConfigError",
    "Framing",
    "Kind",
    "Link",
    "Message",
    "Network",
    "NetworkSettings",
    "Results",
    "Scenario",
    "Topology",
    "Variant",
    "line",
    "load_config",
    "peer_to_peer",
    "with_random_outages",
    "run",
    "simulate",
    "star",
    "time_transfers",
    "two_tier",
]
