"""The fixed protocol every algorithm follows: a central side and a peer side.

The **central side** (report section 3.1, Algorithm 2) is two halves that share nothing but bytes:

* the :class:`Learner` encodes its policy for the downlink (:meth:`Learner.policy_payload`) and
  updates from the report payloads that reached it (:meth:`Learner.update`);
* the :class:`AgentPool` holds the state of all n agents and runs one episode for each of a batch of
  agents that start from the same policy payload (:meth:`AgentPool.run_episodes`), returning per agent
  its discounted return, the steps it took, and the report it sends, or ``None`` when its
  communication condition c_i^k is 0.

The **peer side** (decentralised learning; D-PSGD, Lian et al. 2017, is the template) is one object,
:class:`Peers`, for all n agents, each holding its own parameters. A round of agent i:

    run an episode on its own parameters x_i        -> report z_i, or None      (run_episodes)
    send z_i to its neighbours; learn from the reports they sent it             (learn)
    every tau rounds: send its parameters to its neighbours        (share)
                      x_i <- sum_j W_ij x_j over itself and them   (mix)

None of it knows about time or the network: ``netsim``'s communication patterns decide who sends
what to whom, and when it arrives. Agents are batched because agents that start a round together
are one vectorised computation (docs/design.md, "Speed").

Every algorithm's config dataclass declares ``check(n_agents)``: it raises a ValueError naming the
setting when the settings cannot run with that many agents (ESPC's m > n, say). An
:class:`Algorithm` whose config lacks it is refused when it is made.
Its ``__post_init__`` checks each setting on its own: first that every number is one
(:func:`algorithms.checks.check_fields`: finite, never a bool or a string, integers whole), then
its bounds (:func:`require_valid`); both name the setting.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import numpy as np

if TYPE_CHECKING:
    from algorithms.rollout import Rollout


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


class RolloutCache(Protocol):
    """Where an agent pool keeps its costly batches of episodes (the simulator's rollout journal,
    which persists them, so a trial run again after an interruption replays them)."""

    def rollout(self, inputs: Sequence[object], compute: Callable[[], Rollout]) -> Rollout:
        """The kept result of the batch ``inputs`` describes (everything its rollout depends on:
        arrays, numbers, strings), or ``compute()``'s, which it may keep. Which batches are kept
        changes no result."""
        ...


@dataclass(frozen=True)
class Problem:
    """What both halves of an algorithm are told about the run they take part in."""

    env_id: str
    """A Gymnasium environment id (``gymnasium.make_vec`` builds the agents' environments)."""
    n_agents: int
    """n, the number of agents."""
    seed: np.random.SeedSequence
    """The trial's seed; each side derives its own streams from it with :func:`derive_seed`."""
    journal: RolloutCache | None = None
    """Where the agents keep their costly batches of episodes, so that the trial run again after an
    interruption replays them (netsim gives its rollout journal; ES and ESPC use it); None:
    nowhere."""
    rollout_workers: int = 1
    """Workers the agents may spread a batch's rollouts over (1: none): threads for an
    environment with a batched form that steps on threads (MuJoCo Ant's), else processes. An
    execution setting: it changes how fast a trial runs, never its results."""
    shared: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    """What the halves built for this problem share so that one need not compute again what the
    other just computed (ES's noise: :class:`algorithms.es.DrawnNoise`), by name. Changes no
    result: whatever is kept here is what computing it again would give."""


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

    vector_reports: ClassVar[bool] = False
    """Whether every report is a float32 vector of one length that :meth:`update` reads as
    numbers, so that a pattern may code it lossily (DAVIA's gradients; not ES's seeds and returns,
    nor DQL's samples)."""

    @abstractmethod
    def __init__(self, config: Any, problem: Problem) -> None:
        """A fresh learner: ``config`` is the algorithm's config dataclass."""

    @abstractmethod
    def policy_payload(self) -> bytes:
        """The current policy, encoded as it crosses the downlink to every agent."""

    @abstractmethod
    def update(self, reports: Sequence[bytes]) -> None:
        """Update the policy from the report payloads received this round (possibly none)."""

    def state_payload(self) -> bytes:
        """Everything the learner's update reads (the policy, and any optimiser state), encoded:
        what an agent that cannot replay the updates is sent instead. By default the policy."""
        return self.policy_payload()


class AgentPool(ABC):
    """All n agents' side of an algorithm, batched."""

    @abstractmethod
    def __init__(self, config: Any, problem: Problem) -> None:
        """``problem.n_agents`` fresh agents: ``config`` is the algorithm's config dataclass."""

    @abstractmethod
    def run_episodes(self, policy_payload: bytes, agents: np.ndarray) -> EpisodeBatch:
        """Each agent in ``agents`` decodes ``policy_payload``, runs one episode, and decides
        whether and what to report."""


class Peers(ABC):
    """All n agents' side of a decentralised algorithm: each agent holds its own parameters."""

    @abstractmethod
    def __init__(self, config: Any, problem: Problem) -> None:
        """``problem.n_agents`` fresh agents: ``config`` is the algorithm's config dataclass."""

    @abstractmethod
    def run_episodes(self, agents: np.ndarray) -> EpisodeBatch:
        """Each agent in ``agents`` runs one episode on its own parameters and decides whether and
        what to report to its neighbours. An agent's episode depends on its own state alone, not
        on which other agents share the batch (a pattern batches whichever agents are ready)."""

    @abstractmethod
    def learn(self, agent: int, reports: Mapping[int, bytes]) -> None:
        """``agent``'s local step after its episode, from its own episode and the reports its
        neighbours sent it this round, by sender (in increasing sender order; possibly none)."""

    @abstractmethod
    def share(self, agent: int) -> bytes:
        """``agent``'s parameters x_i as float32 bytes, as they cross to a neighbour for mixing
        (a pattern may encode them further: :mod:`netsim.codecs`)."""

    @abstractmethod
    def mix(self, agent: int, weights: Sequence[float], payloads: Sequence[bytes]) -> None:
        """x_agent <- sum_j weights[j] * x_j, where ``payloads[j]`` is what :meth:`share` gave for
        x_j (the agent's own share is among them, as the mixing matrix's diagonal)."""

    @abstractmethod
    def parameters(self, agent: int) -> np.ndarray:
        """x_i as a flat float64 vector, for the consensus distance of the agents' parameters."""

    def greedy_actions(self, agent: int) -> np.ndarray | None:
        """The action ``agent``'s policy takes greedily in each state, for the agreement of the
        agents' policies; None where the states cannot be listed (continuous ones)."""
        return None


class RoundSeeds:
    """The reset seeds of rounds 0, 1, ..., drawn in turn from ``rng`` as a central barrier run
    draws one per batch; agent a's environment in its round k is reset with ``seed_k + a``,
    whatever batch it is played in (the decentralised forms')."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self._seeds: list[int] = []

    def of(self, rounds: np.ndarray, agents: np.ndarray) -> list[int]:
        """The reset seed of each agent in its round."""
        while len(self._seeds) <= rounds.max():
            self._seeds.append(int(self.rng.integers(2**31)))
        return [self._seeds[k] + int(a) for k, a in zip(rounds, agents, strict=True)]


def weighted_sum(weights: Sequence[float], payloads: Sequence[bytes]) -> np.ndarray:
    """sum_j weights[j] * x_j for float32 vectors x_j given as bytes, summed in float64 and rounded
    once to float32, so that equal vectors mix to themselves exactly (a peer's :meth:`Peers.mix`)."""
    total = np.zeros(len(payloads[0]) // 4)
    for weight, payload in zip(weights, payloads, strict=True):
        total += weight * np.frombuffer(payload, dtype=np.float32)
    return total.astype(np.float32)


@dataclass(frozen=True)
class Algorithm:
    """A registry entry: an algorithm's name, its hyperparameters' type, and its sides: the
    central learner and agents, and, if it has a decentralised form, its peers."""

    name: str
    config_type: type
    learner_type: type[Learner] | None
    agents_type: type[AgentPool] | None
    summary: str
    environment_check: Callable[[str], object] | None = None
    """Raises if the algorithm cannot run on an environment id (tabular algorithms need discrete
    spaces); called when a variant is built, so a bad pairing fails before anything runs."""
    peers_type: type[Peers] | None = None
    """The decentralised form (None: the algorithm has none)."""

    def __post_init__(self) -> None:
        if not (dataclasses.is_dataclass(self.config_type) and isinstance(self.config_type, type)):
            raise TypeError(f"algorithm {self.name!r}: its config_type must be a dataclass")
        if not callable(getattr(self.config_type, "check", None)):
            raise TypeError(
                f"algorithm {self.name!r}: its config {self.config_type.__name__} declares no "
                "check(n_agents) method (raise a ValueError when the settings cannot run with "
                "that many agents; do nothing when any number will do)"
            )
        if (self.learner_type is None) != (self.agents_type is None):
            raise TypeError(
                f"algorithm {self.name!r}: give both a learner_type and an agents_type, or neither"
            )
        if self.learner_type is None and self.peers_type is None:
            raise TypeError(f"algorithm {self.name!r} has neither a central nor a peer side")

    @property
    def sides(self) -> tuple[str, ...]:
        """Which sides it has: ``central``, ``peers``, or both."""
        return tuple(
            side
            for side, present in (("central", self.learner_type), ("peers", self.peers_type))
            if present is not None
        )

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
