"""What every communication pattern is: settings of its own, the node pairs it sends between, the
side of an algorithm it drives, and the SimPy processes of one trial.

A pattern is registered by name in :data:`netsim.patterns.PATTERNS` and chosen by its settings: a
variant's ``pattern`` is an instance of the pattern's settings dataclass, whose ``pattern`` class
attribute names it (``CentralSettings(policy="async", updates_every=4)``, ``GossipSettings(...)``).
A user registers a pattern of their own from their own module::

    @dataclass(frozen=True)
    class MySettings(PatternSettings):
        pattern: ClassVar[str] = "mine"

    class Mine(Pattern):
        settings_type = MySettings
        side = "peers"
        ...

    netsim.PATTERNS.register("mine", Mine)

The network underneath is role-free (:meth:`netsim.network.Network.send` between any two nodes);
only a pattern knows who plays which part.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np

from algorithms.base import Algorithm, Problem
from netsim.compute import ComputeSettings
from netsim.network import Network
from netsim.topology import Topology

if TYPE_CHECKING:
    import pandas as pd
    import simpy

Side = Literal["central", "peers"]
"""The side of an algorithm a pattern drives (:mod:`algorithms.base`)."""


@dataclass(frozen=True)
class PatternSettings:
    """The base of every pattern's settings dataclass."""

    pattern: ClassVar[str]
    """The registered name of the pattern these settings are for."""

    def check(self, n_agents: int) -> None:
        """Raise a ValueError naming the setting if these settings cannot run with ``n_agents``
        agents (nothing by default)."""


@dataclass(frozen=True)
class Trial:
    """What one trial gives the pattern that runs it."""

    env: simpy.Environment
    network: Network
    compute: ComputeSettings
    episodes: int
    """Episodes (rounds) each agent plays."""
    seed: np.random.SeedSequence = field(default_factory=lambda: np.random.SeedSequence(0))
    """Seeds the pattern's own randomness (a lossy codec's stochastic rounding)."""

    @property
    def topology(self) -> Topology:
        return self.network.topology


class Pattern(ABC):
    """One trial's communication: its processes, and the tables it records."""

    settings_type: ClassVar[type[PatternSettings]]
    side: ClassVar[Side]

    @classmethod
    @abstractmethod
    def pairs(cls, settings: Any, topology: Topology) -> Iterable[tuple[Hashable, Hashable]]:
        """Every (source, destination) pair of nodes the pattern may send between."""

    @classmethod
    def validate(cls, settings: Any, topology: Topology, algorithm: Algorithm) -> None:
        """Raise a ValueError naming the culprit if ``settings`` cannot run ``algorithm`` on
        ``topology``: the settings' own check, the algorithm's side, each needed pair's route."""
        if not isinstance(settings, cls.settings_type):
            raise TypeError(
                f"the {settings.pattern} pattern takes {cls.settings_type.__name__}, "
                f"not {type(settings).__name__}"
            )
        settings.check(topology.n_agents)
        if cls.side not in algorithm.sides:
            raise ValueError(
                f"algorithm {algorithm.name!r} has no {cls.side} side, which the "
                f"{settings.pattern} pattern drives; it has: {', '.join(algorithm.sides)}"
            )
        topology.require(cls.pairs(settings, topology), f"the {settings.pattern} pattern")

    @classmethod
    def make_side(cls, algorithm: Algorithm, config: Any, problem: Problem) -> Any:
        """The algorithm's side this pattern drives, fresh: ``(learner, agents)`` or peers."""
        if cls.side == "central":
            assert algorithm.learner_type is not None and algorithm.agents_type is not None
            return algorithm.learner_type(config, problem), algorithm.agents_type(config, problem)
        assert algorithm.peers_type is not None
        return algorithm.peers_type(config, problem)

    @abstractmethod
    def __init__(self, trial: Trial, settings: Any, side: Any) -> None:
        """Ready to run ``trial`` with ``settings``, driving ``side`` (see :meth:`make_side`)."""

    @abstractmethod
    def start(self) -> None:
        """Start the trial's SimPy processes; the caller then runs the environment to its end."""

    @abstractmethod
    def tables(self) -> dict[str, pd.DataFrame]:
        """What the pattern recorded, by table name (``metrics`` always)."""
