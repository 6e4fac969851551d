"""Communication patterns: who sends what to whom, and when, over the role-free network.

* ``central`` (:mod:`netsim.patterns.central`): a learner and its agents, rounds ended by a
  ``barrier``, a ``deadline`` or ``async`` arrivals;
* ``gossip`` (:mod:`netsim.patterns.gossip`): no learner; agents exchange with their neighbours on
  a communication graph and mix their parameters.

A variant chooses its pattern by its settings (``CentralSettings(...)``, ``GossipSettings(...)``),
or by name (``pattern="gossip"``: that pattern's default settings). :mod:`netsim.patterns.base`
says how to write and register a pattern of one's own.
"""

from algorithms.registry import Registry
from netsim.patterns.base import Pattern, PatternSettings, Trial
from netsim.patterns.central import Central, CentralSettings
from netsim.patterns.gossip import Gossip, GossipSettings

PATTERNS: Registry[type[Pattern]] = Registry("communication pattern")
"""Every communication pattern by name; ``PATTERNS.register(name, MyPattern)`` adds one."""
PATTERNS.register("central", Central)
PATTERNS.register("gossip", Gossip)


def pattern_settings(chosen: PatternSettings | str) -> PatternSettings:
    """``chosen`` if it is a pattern's settings; else the default settings of the pattern so
    named."""
    if isinstance(chosen, str):
        return PATTERNS[chosen].settings_type()
    if not isinstance(chosen, PatternSettings):
        raise TypeError(
            f"a pattern is given by its settings (CentralSettings, GossipSettings, ...) or its "
            f"name, not {type(chosen).__name__} {chosen!r}"
        )
    return chosen


def pattern_of(settings: PatternSettings) -> type[Pattern]:
    """The registered pattern ``settings`` are for."""
    return PATTERNS[settings.pattern]


__all__ = [
    "PATTERNS",
    "Central",
    "CentralSettings",
    "Gossip",
    "GossipSettings",
    "Pattern",
    "PatternSettings",
    "Trial",
    "pattern_of",
    "pattern_settings",
]
