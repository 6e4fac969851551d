"""Learning algorithms: pure learning logic, no notion of time or network (docs/design.md, "Layers").

Every algorithm follows the protocol in :mod:`algorithms.base` and is reachable by name through
:data:`ALGORITHMS`, so the CLI, scenarios and tests can say ``algorithm="espc"``.
"""

from algorithms.base import AgentPool, Algorithm, EpisodeBatch, Learner, Peers, Problem
from algorithms.davia import DAVIA
from algorithms.dql import DQL
from algorithms.ebcdql import EBCDQL
from algorithms.es import ES
from algorithms.espc import ESPC
from algorithms.registry import Registry, UnknownName

ALGORITHMS: Registry[Algorithm] = Registry("algorithm")
"""Every algorithm by name; ``ALGORITHMS.register(name, Algorithm(...))`` adds a user's own."""
for _algorithm in (DQL, EBCDQL, DAVIA, ES, ESPC):
    ALGORITHMS.register(_algorithm.name, _algorithm)

__all__ = [
    "ALGORITHMS",
    "AgentPool",
    "Algorithm",
    "EpisodeBatch",
    "Learner",
    "Peers",
    "Problem",
    "Registry",
    "UnknownName",
]
