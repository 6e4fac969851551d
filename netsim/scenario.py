"""What a study runs: variants (an algorithm on an environment over a network) crossed with trials.

Every setting is validated when the scenario is built, before anything runs, and every error names
the variant and the setting at fault.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import gymnasium as gym
import networkx as nx

import netsim.envs  # noqa: F401  (registers the grid worlds, which a variant may name)
from algorithms import ALGORITHMS
from algorithms.checks import integer, number
from algorithms.registry import unknown_name_message
from netsim.compute import ComputeSettings
from netsim.messages import Framing
from netsim.network import OUTAGE_POLICIES, TcpParameters, model_type
from netsim.patterns import PatternSettings, pattern_of, pattern_settings
from netsim.patterns.central import CentralSettings
from netsim.topology import Topology


@dataclass(frozen=True)
class NetworkSettings:
    """How the network is modelled."""

    model: str = "store-and-forward"
    """The bandwidth model, by name (``netsim list`` shows them)."""
    framing: Framing = field(default_factory=Framing)
    """MTU and per-packet header bytes."""
    on_outage: str = "wait"
    """What a transfer on a link in an outage does: ``wait`` until it is back, or ``fail`` (lost)."""
    trace: bool = False
    """Record every message (src, dst, kind, bytes, start, end, queueing delay) in a table."""
    load_bin_s: float | None = None
    """Record the bytes every directed link carries per bin of this many simulated seconds, and
    its utilisation (table ``link_load``; :mod:`netsim.network.load`); off when None."""
    tcp: TcpParameters | None = None
    """The constants of model ``cm02`` (SimGrid's defaults when None; docs/network-models.md)."""

    def __post_init__(self) -> None:
        model_type(self.model, self.tcp)  # raises on an unknown name or misplaced parameters
        if not isinstance(self.framing, Framing):
            raise TypeError(f"NetworkSettings.framing = {self.framing!r} must be a netsim.Framing")
        if self.load_bin_s is not None:
            load_bin_s = number(self.load_bin_s, "NetworkSettings.load_bin_s", above=0)
            object.__setattr__(self, "load_bin_s", load_bin_s)
        if self.on_outage not in OUTAGE_POLICIES:
            raise ValueError(
                unknown_name_message("outage policy", self.on_outage, list(OUTAGE_POLICIES))
            )


@dataclass(frozen=True)
class Variant:
    """One curve of a study: an algorithm with its settings, an environment, a network, and the
    communication pattern that says who sends what to whom over it."""

    name: str
    """Label in tables and plots."""
    algorithm: str
    """Registered algorithm name (``es``, ``espc``, ...)."""
    topology: nx.Graph
    """Agents, routers, links, and the learner if the pattern has one (see
    :mod:`netsim.topology`); n is its number of agents."""
    env: str = "CartPole-v1"
    """Gymnasium environment id."""
    config: Mapping[str, Any] = field(default_factory=dict)
    """Overrides of the algorithm's hyperparameters (its config dataclass's defaults otherwise)."""
    network: NetworkSettings = field(default_factory=NetworkSettings)
    compute: ComputeSettings = field(default_factory=ComputeSettings)
    pattern: PatternSettings | str = field(default_factory=CentralSettings)
    """The communication pattern: its settings (:class:`CentralSettings`, the default, with its
    round policy; :class:`GossipSettings`; a user's own), or a pattern's name for its default
    settings (see :mod:`netsim.patterns`)."""

    validated_topology: Topology = field(init=False, repr=False, compare=False)
    """The topology, validated, with its routes: built once, when the variant is."""

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "pattern", pattern_settings(self.pattern))
            topology = Topology(self.topology)
            object.__setattr__(self, "validated_topology", topology)
            algorithm = ALGORITHMS[self.algorithm]
            algorithm.make_config(dict(self.config)).check(topology.n_agents)
            self.compute.step_times(topology.n_agents)
            pattern_of(self.settings).validate(self.settings, topology, algorithm)
            gym.spec(self.env)
            algorithm.check_environment(self.env)
        except (ValueError, TypeError, gym.error.Error) as error:
            raise ValueError(f"variant {self.name!r}: {error}") from error

    @property
    def n_agents(self) -> int:
        return self.validated_topology.n_agents

    @property
    def settings(self) -> PatternSettings:
        """The pattern's settings (``pattern``, a name resolved to its defaults)."""
        assert isinstance(self.pattern, PatternSettings)  # __post_init__ resolved it
        return self.pattern

    def resolved_config(self) -> Any:
        """The algorithm's full config dataclass for this variant."""
        return ALGORITHMS[self.algorithm].make_config(dict(self.config))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description, with every hyperparameter resolved."""
        return {
            "name": self.name,
            "algorithm": self.algorithm,
            "env": self.env,
            "n_agents": self.n_agents,
            "config": dataclasses.asdict(self.resolved_config()),
            "network": dataclasses.asdict(self.network),
            "compute": dataclasses.asdict(self.compute),
            "pattern": {"name": self.settings.pattern, **dataclasses.asdict(self.settings)},
            "topology": nx.node_link_data(self.topology, edges="edges"),
        }


def check_run_name(name: object) -> None:
    """Raise a ValueError unless ``name`` can name a run directory inside an output root
    (``runs/NAME``): a non-empty string that is one path component, neither ``.`` nor ``..``."""
    if (
        not isinstance(name, str)
        or name.strip() in ("", ".", "..")
        or any(character in name for character in "/\\\0")
    ):
        raise ValueError(
            f"scenario name {name!r} must be one folder name (no '/', '\\', '..'): the run is "
            "stored in runs/NAME"
        )


@dataclass(frozen=True)
class Scenario:
    """Variants, each run for ``trials`` independent trials of ``episodes`` episodes.

    Trial t of every variant is seeded from ``SeedSequence(seed, spawn_key=(t,))``: variants share
    their trials' seeds (common random numbers), and a trial's result depends on nothing else.
    """

    name: str
    variants: Sequence[Variant]
    episodes: int = 200
    trials: int = 5
    seed: int = 0
    cumulative_reward: bool = False
    """Plot the cumulative mean reward over episodes, as the report does for noisy Frozen Lake."""

    def __post_init__(self) -> None:
        check_run_name(self.name)
        object.__setattr__(self, "variants", tuple(self.variants))
        if not self.variants:
            raise ValueError(f"scenario {self.name!r} has no variants")
        for variant in self.variants:
            if not isinstance(variant, Variant):
                raise TypeError(f"scenario {self.name!r}: {variant!r} is not a netsim.Variant")
        names = [variant.name for variant in self.variants]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"scenario {self.name!r}: variant names repeat: {duplicates}")
        for setting, minimum in (("episodes", 1), ("trials", 1), ("seed", 0)):
            try:
                value = integer(getattr(self, setting), setting, minimum=minimum)
            except (TypeError, ValueError) as error:
                raise type(error)(f"scenario {self.name!r}: {error}") from None
            object.__setattr__(self, setting, value)

    def with_overrides(
        self, *, trials: int | None = None, episodes: int | None = None, seed: int | None = None
    ) -> Scenario:
        """This scenario with any of trials, episodes and seed replaced."""
        return dataclasses.replace(
            self,
            trials=self.trials if trials is None else trials,
            episodes=self.episodes if episodes is None else episodes,
            seed=self.seed if seed is None else seed,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "episodes": self.episodes,
            "trials": self.trials,
            "seed": self.seed,
            "cumulative_reward": self.cumulative_reward,
            "variants": [variant.to_dict() for variant in self.variants],
        }
