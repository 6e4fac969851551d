"""The fixed protocol every algorithm follows (report section 3.1, Algorithm 2).

An algorithm is pure learning logic in two halves that share nothing but bytes:

* the :class:`Learner` encodes its policy for the downlink (:meth:`Learner.policy_payload`) and
  updates from the report payloads that reached it (:meth:`Learner.update`);
* the :class:`AgentPool` holds the state of all n agents and runs one episode for each of a batch of
  agents that start from the same policy payload (:meth:`AgentPool.run_episodes`), returning per agent
  its discounted return, the steps it took, and the report it sends, or ``None`` when its
  communication condition c_i^k is 0.

Neither half knows about time or the network: ``netsim`` decides when a payload arrives. Agents are
batched because agents that start a round together share their parameters, so their rollouts are one
vectorised computation (DESIGN.md, "Speed").
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from algorithms.journal import RolloutJournal


def derive_seed(seed: np.random.SeedSequence, *key: int) -> np.random.SeedSequence:
    """The child of ``seed`` at ``key``, the same however often it is asked for.

    ``SeedSequence.spawn`` counts its calls, so two sides spawning from one seed would disagree; a
    child named by an explicit key does not.
    """
    return np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, *key))


def require_valid(config: Any, checks: dict[str, bool]) -> None:
    """Raise a ValueError naming the first of ``config``'s settings whose check is False."""
    for name, ok in checks.items():
        if not ok:
            raise ValueError(
                f"{type(config).__name__}.{name} = {getattr(config, name)!r} is invalid"
            )


@dataclass(frozen=True)
class Problem:
    """What both halves of an algorithm are told about the run they take part in."""

    env_id: str
    """A Gymnasium environment id (``gymnasium.make_vec`` builds the agents' environments)."""
    n_agents: int
    """n, the number of agents."""
    seed: np.random.SeedSequence
    """The trial's seed; each side derives its own streams from it with :func:`derive_seed`."""
    journal: RolloutJournal | None = None
    """Where the agents keep their costly batches of episodes, so that the trial run again after an
    interruption replays them (:mod:`algorithms.journal`; ES and ESPC use it); None: nowhere."""


@dataclass(frozen=True)
class EpisodeBatch:
    """One episode of each agent in a batch, as the agents saw it."""

    agents: np.ndarray
    """Agent indices, shape (b,)."""
    rewards: np.ndarray
    """Discounted episodic return sum_t gamma^t r_t of each agent, shape (b,)."""
    steps: np.ndarray
    """Environment steps each agent took, shape (b,); sets the simulated compute time."""
    reports: Sequence[bytes | None]
    """Each agent's encoded report z_i^k, or None when c_i^k = 0 (nothing to send)."""


class Learner(ABC):
    """The central learner's side of an algorithm."""

    @abstractmethod
    def __init__(self, config: Any, problem: Problem) -> None:
        """A fresh learner: ``config`` is the algorithm's config dataclass."""

    @abstractmethod
    def policy_payload(self) -> bytes:
        """The current policy, encoded as it crosses the downlink to every agent."""

    @abstractmethod
    def update(self, reports: Sequence[bytes]) -> None:
        """Update the policy from the report payloads received this round (possibly none)."""


class AgentPool(ABC):
    """All n agents' side of an algorithm, batched."""

    @abstractmethod
    def __init__(self, config: Any, problem: Problem) -> None:
        """``problem.n_agents`` fresh agents: ``config`` is the algorithm's config dataclass."""

    @abstractmethod
    def run_episodes(self, policy_payload: bytes, agents: np.ndarray) -> EpisodeBatch:
        """Each agent in ``agents`` decodes ``policy_payload``, runs one episode, and decides
        whether and what to report."""


@dataclass(frozen=True)
class Algorithm:
    """A registry entry: an algorithm's name, its hyperparameters' type, and its two halves."""

    name: str
    config_type: type
    learner_type: type[Learner]
    agents_type: type[AgentPool]
    summary: str
    environment_check: Callable[[str], object] | None = None
    """Raises if the algorithm cannot run on an environment id (tabular algorithms need discrete
    spaces); called when a variant is built, so a bad pairing fails before anything runs."""

    def check_environment(self, env_id: str) -> None:
        """Raise a ValueError naming the environment if this algorithm cannot run on it."""
        if self.environment_check is not None:
            self.environment_check(env_id)

    def make_config(self, overrides: dict[str, Any] | None = None) -> Any:
        """The config dataclass with ``overrides`` applied; unknown fields name the culprit."""
        overrides = dict(overrides or {})
        fields = {field.name for field in dataclasses.fields(self.config_type)}
        unknown = sorted(set(overrides) - fields)
        if unknown:
            raise ValueError(
                f"unknown {self.name} setting(s) {unknown}; known settings: {sorted(fields)}"
            )
        return self.config_type(**overrides)


class Registry:
    """Algorithms by name, so the CLI, scenarios and tests can say ``algorithm="espc"``."""

    def __init__(self) -> None:
        self._entries: dict[str, Algorithm] = {}

    def register(self, algorithm: Algorithm) -> Algorithm:
        if algorithm.name in self._entries:
            raise ValueError(f"algorithm {algorithm.name!r} is already registered")
        self._entries[algorithm.name] = algorithm
        return algorithm

    def __getitem__(self, name: str) -> Algorithm:
        try:
            return self._entries[name]
        except KeyError:
            raise ValueError(
                f"unknown algorithm {name!r}; known: {', '.join(sorted(self._entries))}"
            ) from None

    def names(self) -> list[str]:
        return sorted(self._entries)
