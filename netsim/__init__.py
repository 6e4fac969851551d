"""netsim: a discrete-event network simulator for communication-efficient distributed RL.

The Python API::

    import netsim
    scenario = netsim.Scenario("mine", [netsim.Variant("espc", "espc", netsim.star(50, 1e6))])
    results = netsim.run(scenario)
    results.to_pandas(); results.plot()

or from a TOML config: ``netsim.run(netsim.load_config("scenarios/cartpole_bandwidth_grid.toml"))``.

Each name below is imported from its module when it is first used (PEP 562 module
``__getattr__``), so ``import netsim`` and the ``netsim`` command's help and listing load no
PyTorch, pandas or Matplotlib. The grid worlds are registered with Gymnasium by
:mod:`netsim.envs`, which netsim imports whenever it builds a scenario; ``import netsim.envs``
before ``gymnasium.make("netsim/SimpleGrid-v0")`` of your own.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from netsim.builders import TOPOLOGIES, line, peer_to_peer, star, two_tier
    from netsim.compute import ComputeSettings
    from netsim.config import ConfigError, load_config
    from netsim.messages import Framing, Kind, Message
    from netsim.network import MODELS, Network
    from netsim.outages import with_random_outages
    from netsim.patterns import (
        PATTERNS,
        CentralSettings,
        GossipSettings,
        Pattern,
        PatternSettings,
    )
    from netsim.results import Results
    from netsim.runner import run
    from netsim.scenario import NetworkSettings, Scenario, Variant
    from netsim.simulation import simulate
    from netsim.topology import Link, Topology
    from netsim.whatif import time_transfers

_HOMES = {
    "netsim.builders": ("TOPOLOGIES", "line", "peer_to_peer", "star", "two_tier"),
    "netsim.compute": ("ComputeSettings",),
    "netsim.config": ("ConfigError", "load_config"),
    "netsim.messages": ("Framing", "Kind", "Message"),
    "netsim.network": ("MODELS", "Network"),
    "netsim.outages": ("with_random_outages",),
    "netsim.patterns": (
        "PATTERNS",
        "CentralSettings",
        "GossipSettings",
        "Pattern",
        "PatternSettings",
    ),
    "netsim.results": ("Results",),
    "netsim.runner": ("run",),
    "netsim.scenario": ("NetworkSettings", "Scenario", "Variant"),
    "netsim.simulation": ("simulate",),
    "netsim.topology": ("Link", "Topology"),
    "netsim.whatif": ("time_transfers",),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}
"""The module each public name is imported from."""


def __getattr__(name: str) -> object:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOME[name]), name)
    globals()[name] = value  # later look-ups find it without this hook
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME})


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
