"""Learning algorithms: pure learning logic, no notion of time or network (docs/design.md, "Layers").

Every algorithm follows the protocol in :mod:`algorithms.base` and is reachable by name through
:data:`ALGORITHMS`, so the CLI, scenarios and tests can say ``algorithm="espc"``.

``ALGORITHMS.register(name, Algorithm(...))`` adds a user's own. :data:`ALGORITHMS` is filled when it is first used, not when ``algorithms`` is imported, so that
what needs only the protocol, the registry or the checks (``netsim --help``, ``netsim list``)
loads no PyTorch, SciPy or Gymnasium (PEP 562 module ``__getattr__``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from algorithms.base import AgentPool, Algorithm, EpisodeBatch, Learner, Peers, Problem
from algorithms.registry import Registry, UnknownName

if TYPE_CHECKING:
    ALGORITHMS: Registry[Algorithm]

BUILT_IN: tuple[tuple[str, str], ...] = (
    ("algorithms.dql", "DQL"),
    ("algorithms.ebcdql", "EBCDQL"),
    ("algorithms.davia", "DAVIA"),
    ("algorithms.es", "ES"),
    ("algorithms.espc", "ESPC"),
)
"""The shipped algorithms, in the order they are registered: (module, the name of its
:class:`Algorithm`)."""


def __getattr__(name: str) -> object:
    if name != "ALGORITHMS":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    registry: Registry[Algorithm] = Registry("algorithm")
    for module, attribute in BUILT_IN:
        algorithm = getattr(importlib.import_module(module), attribute)
        registry.register(algorithm.name, algorithm)
    globals()["ALGORITHMS"] = registry  # made once; later look-ups find it without this hook
    return registry


__all__ = [
    "ALGORITHMS",
    "BUILT_IN",
    "AgentPool",
    "Algorithm",
    "EpisodeBatch",
    "Learner",
    "Peers",
    "Problem",
    "Registry",
    "UnknownName",
]
