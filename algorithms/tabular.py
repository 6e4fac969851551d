"""The tabular core DQL, EBCDQL and DAVIA share (report sections 2.4.1-2.4.3).

* Agents act epsilon-greedily on a table of action values, one row per state; ties between best
  actions are broken uniformly at random (so a fresh all-zero table acts uniformly). Every agent
  draws its exploration from its own stream (:class:`OwnStreamsActor`), in the central form as in
  the decentralised one.
* An episode is a list of samples u = (s, a, r, s'), the report's (s_{t-1}, a_t, r_t, s_t).
* Samples cross the network as packed records: s and s' as the smallest unsigned integer that holds
  every state, a likewise, r as float32 (7 bytes a sample on a 5x5 grid).
* DQL's learner update: delta(u) = r + gamma max_a' Q(s', a') - Q(s, a), every delta from the Q
  before the update, then Q(s, a) += alpha * mean of delta over the samples with that (s, a).

Q starts at 0 everywhere. A terminal state never starts a sample, so its row stays 0 and
bootstrapping from it adds nothing: no "episode ended" flag needs to cross the network.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import gymnasium as gym
import numpy as np

from algorithms.base import (
    AgentPool,
    EpisodeBatch,
    Learner,
    Peers,
    Problem,
    RoundSeeds,
    derive_seed,
    require_valid,
    weighted_sum,
)
from algorithms.checks import check_fields
from algorithms.rollout import VectorEnvs


@dataclass(frozen=True)
class TabularConfig:
    """Settings every tabular algorithm has: the discount and the exploration schedule."""

    gamma: float = 0.9
    """Discount factor (report 3.3.2)."""
    epsilon: float = 0.2
    """Exploration rate epsilon_k = max(epsilon_min, epsilon * epsilon_decay^k) in the agent's
    episode k. Decaying it lets a learnt policy show its optimal return (report figure 3.4): with
    a constant 0.1, DQL's agents on Simple Grid average -5.59 against the optimum -5.217."""
    epsilon_decay: float = 0.97
    """Per-episode decay factor of epsilon (1 keeps it constant): 0.2 falls to 0.01 by episode 100."""
    epsilon_min: float = 0.0
    """Floor of the decayed epsilon."""

    def __post_init__(self) -> None:
        check_fields(self)  # finite numbers and integers, by name, before their bounds
        checks = {
            "gamma": 0 <= self.gamma <= 1,
            "epsilon": 0 <= self.epsilon <= 1,
            "epsilon_decay": 0 < self.epsilon_decay <= 1,
            "epsilon_min": 0 <= self.epsilon_min <= self.epsilon,
        }
        require_valid(self, checks)

    def check(self, n_agents: int) -> None:
        """Raise if these settings cannot run with ``n_agents`` agents."""

    def exploration(self, episodes: np.ndarray) -> np.ndarray:
        """epsilon_k for each agent's episode index k."""
        return np.maximum(self.epsilon_min, self.epsilon * self.epsilon_decay**episodes)


def discrete_sizes(env_id: str) -> tuple[int, int]:
    """(number of states, number of actions) of a tabular environment; raises for any other."""
    env = gym.make(env_id)
    try:
        spaces = {"observation": env.observation_space, "action": env.action_space}
        for name, space in spaces.items():
            if not isinstance(space, gym.spaces.Discrete) or space.start != 0:
                raise ValueError(
                    f"tabular algorithms need a discrete {name} space numbered from 0; "
                    f"{env_id} has {space}"
                )
        return int(env.observation_space.n), int(env.action_space.n)  # type: ignore[attr-defined]
    finally:
        env.close()


def _index_type(count: int) -> str:
    return next(kind for kind in ("u1", "<u2", "<u4") if count <= np.iinfo(kind).max + 1)


def sample_dtype(n_states: int, n_actions: int) -> np.dtype:
    """The packed record of one sample u = (s, a, r, s')."""
    state, action = _index_type(n_states), _index_type(n_actions)
    return np.dtype([("s", state), ("a", action), ("r", "<f4"), ("s_next", state)])


def encode_samples(
    dtype: np.dtype, s: np.ndarray, a: np.ndarray, r: np.ndarray, s_next: np.ndarray
) -> bytes:
    """Samples as the bytes that cross the network."""
    records = np.empty(len(s), dtype=dtype)
    records["s"], records["a"], records["r"], records["s_next"] = s, a, r, s_next
    return records.tobytes()


def decode_samples(dtype: np.dtype, payloads: Sequence[bytes]) -> np.ndarray:
    """The samples of every payload, concatenated, as a record array."""
    return np.frombuffer(b"".join(payloads), dtype=dtype)


def td_errors(
    q: np.ndarray, s: np.ndarray, a: np.ndarray, r: np.ndarray, s_next: np.ndarray, gamma: float
) -> np.ndarray:
    """delta(u) = r + gamma * max_a' Q(s', a') - Q(s, a) for each sample u = (s, a, r, s')."""
    return r + gamma * q[s_next].max(axis=1) - q[s, a]


def grouped_mean_update(
    q: np.ndarray, samples: np.ndarray, deltas: np.ndarray, alpha: float
) -> np.ndarray:
    """Q(s, a) + alpha * mean of delta over the samples with that (s, a); other entries unchanged."""
    cells = samples["s"].astype(np.int64) * q.shape[1] + samples["a"]
    counts = np.bincount(cells, minlength=q.size)
    sums = np.bincount(cells, weights=deltas, minlength=q.size)
    mean = np.divide(sums, counts, out=np.zeros(q.size), where=counts > 0)
    return q + alpha * mean.reshape(q.shape)


EXPLORATION_BLOCK_STEPS = 32
"""Steps of uniforms an agent draws from its stream at a time, while its episode runs."""


class OwnStreamsActor:
    """Epsilon-greedy actions for a batch of agents, each agent's drawn from its own stream.

    Agent j's step uses A + 2 uniforms u: its action is, with probability epsilon_j
    (u[A] < epsilon_j), floor(u[A + 1] * A), else the best action of its row of values with the
    largest u[:A] among the ties (so ties break uniformly, and a fresh all-zero table acts
    uniformly). The uniforms come from agent j's generator in blocks of
    :data:`EXPLORATION_BLOCK_STEPS` steps, drawn only while its episode runs: what an agent draws
    depends on its own episodes alone, never on the agents it is batched with or how many there
    are, so a central batch and a peer playing alone explore alike.
    """

    def __init__(
        self, values: np.ndarray, epsilon: np.ndarray, streams: Sequence[np.random.Generator]
    ) -> None:
        """``values`` (b, S, A): each agent's table (a broadcast view serves a shared one)."""
        self.values, self.epsilon, self.streams = values, epsilon, streams
        self.n_actions = values.shape[2]
        self.rows = np.arange(len(streams))
        self.uniforms = np.zeros((len(streams), EXPLORATION_BLOCK_STEPS, self.n_actions + 2))
        self.step = 0

    def __call__(self, states: np.ndarray, active: np.ndarray) -> np.ndarray:
        within = self.step % EXPLORATION_BLOCK_STEPS
        if within == 0:
            for j in np.flatnonzero(active):
                self.uniforms[j] = self.streams[j].random(self.uniforms.shape[1:])
        self.step += 1
        u = self.uniforms[:, within]
        actions = self.n_actions
        row = self.values[self.rows, states]
        best = row == row.max(axis=1, keepdims=True)
        greedy = np.argmax(np.where(best, u[:, :actions], -1.0), axis=1)
        uniform = np.minimum((u[:, actions + 1] * actions).astype(np.int64), actions - 1)
        return np.where(u[:, actions] < self.epsilon, uniform, greedy)


@dataclass(frozen=True)
class Episodes:
    """One episode of each of b agents, as samples in agent order (each agent's in time order)."""

    s: np.ndarray
    a: np.ndarray
    r: np.ndarray
    s_next: np.ndarray
    terminated: np.ndarray
    """Whether s' ended the episode as a terminal state (not by the step limit)."""
    steps: np.ndarray
    """Samples per agent, shape (b,)."""
    discounted_returns: np.ndarray
    """sum_t gamma^t r_t per agent over its own steps, shape (b,)."""
    starts: np.ndarray = field(init=False, repr=False)
    """Where each agent's samples begin, and where the last agent's end: shape (b + 1,)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "starts", np.concatenate(([0], np.cumsum(self.steps))))

    def of(self, j: int) -> slice:
        """Where the j-th agent's samples are."""
        return slice(int(self.starts[j]), int(self.starts[j + 1]))

    def only(self, j: int) -> Episodes:
        """The j-th agent's episode alone."""
        mine = self.of(j)
        return Episodes(
            self.s[mine],
            self.a[mine],
            self.r[mine],
            self.s_next[mine],
            self.terminated[mine],
            self.steps[j : j + 1],
            self.discounted_returns[j : j + 1],
        )


def run_episodes(
    envs: gym.vector.VectorEnv,
    act: Callable[[np.ndarray, np.ndarray], np.ndarray],
    gamma: float,
    seed: int | list[int],
) -> Episodes:
    """One episode in every sub-environment of ``envs``, recording every sample (steps after an
    agent's episode ended are neither recorded nor counted). ``act(states, active)`` gives every
    sub-environment's action; ``active`` says whose episodes are still running."""
    s, _ = envs.reset(seed=seed)
    steps: list[tuple[np.ndarray, ...]] = []
    active = np.ones(envs.num_envs, dtype=bool)
    while active.any():
        a = act(s, active)
        s_next, r, terminated, truncated, _ = envs.step(a)
        steps.append((s, a, r, s_next, terminated, active))
        active = active & ~(terminated | truncated)
        s = s_next
    s_, a_, r_, s_next_, terminated_, recorded = (
        np.stack(column, axis=1) for column in zip(*steps, strict=True)
    )
    steps_each = recorded.sum(axis=1)
    r_recorded = r_[recorded]
    starts = np.concatenate(([0], np.cumsum(steps_each)))
    return Episodes(
        s=s_[recorded],
        a=a_[recorded],
        r=r_recorded,
        s_next=s_next_[recorded],
        terminated=terminated_[recorded],
        steps=steps_each,
        discounted_returns=np.array(  # over each agent's own steps: a batch's padding changes no bit
            [
                np.sum(r_recorded[start:end] * gamma ** np.arange(end - start))
                for start, end in zip(starts[:-1], starts[1:], strict=True)
            ]
        ),
    )


class TabularAgents(AgentPool):
    """n agents that act epsilon-greedily on a table of action values decoded from the policy
    payload; a subclass says how the table comes from the payload and what each agent reports."""

    def __init__(self, config: TabularConfig, problem: Problem) -> None:
        config.check(problem.n_agents)
        self.config = config
        self.n_states, self.n_actions = discrete_sizes(problem.env_id)
        self.env_id = problem.env_id
        self.episodes = np.zeros(problem.n_agents, dtype=np.int64)
        """Each agent's count of finished episodes."""
        self._reset_seeds = np.random.default_rng(derive_seed(problem.seed, 3))
        self._envs = VectorEnvs(problem.env_id)
        self._seed = problem.seed
        self._streams: dict[int, np.random.Generator] = {}
        """Each agent's own exploration stream, made when first used."""
        self._round_seeds = RoundSeeds(self._reset_seeds)

    @abstractmethod
    def action_values(self, policy_payload: bytes) -> np.ndarray:
        """The (S, A) table the agents act greedily on."""

    @abstractmethod
    def reports(
        self, agents: np.ndarray, episodes: Episodes, policy_payload: bytes
    ) -> list[bytes | None]:
        """Each agent's report z_i^k after ``episodes``, run on ``policy_payload``, or None when it
        sends nothing."""

    def run_episodes(self, policy_payload: bytes, agents: np.ndarray) -> EpisodeBatch:
        """The central form: every agent plays on the learner's payload; the batch is reset with
        one seed (sub-environment j with seed + j)."""
        values = self.action_values(policy_payload)
        seed = int(self._reset_seeds.integers(2**31))
        episodes = self._play(np.broadcast_to(values, (len(agents), *values.shape)), agents, seed)
        reports = self.reports(agents, episodes, policy_payload)
        return self._finish(agents, episodes, reports)

    def run_own_episodes(
        self, payloads: Sequence[bytes], agents: np.ndarray
    ) -> tuple[EpisodeBatch, Episodes]:
        """The decentralised form: agent ``agents[j]`` plays on ``payloads[j]``, its own policy,
        reset with its round's seed plus its index (:class:`RoundSeeds`), in a sync vector
        environment: its episode does not depend on the agents it is batched with. The batch,
        and the episodes it was made from."""
        values = np.stack([self.action_values(payload) for payload in payloads])
        seeds = self._round_seeds.of(self.episodes[agents], agents)
        episodes = self._play(values, agents, seeds)
        reports = [
            self.reports(agents[j : j + 1], episodes.only(j), payloads[j])[0]
            for j in range(len(agents))
        ]
        return self._finish(agents, episodes, reports), episodes

    def _play(self, values: np.ndarray, agents: np.ndarray, seed: int | list[int]) -> Episodes:
        """One episode of each of ``agents``, each acting on its own table of ``values``
        (b, S, A) and exploring from its own stream."""
        streams = [self._stream(int(agent)) for agent in agents]
        actor = OwnStreamsActor(values, self.config.exploration(self.episodes[agents]), streams)
        envs = self._envs.for_batch(len(agents), seed)
        assert isinstance(envs, gym.vector.VectorEnv)  # grid worlds have no batched form of ours
        return run_episodes(envs, actor, self.config.gamma, seed)

    def _finish(
        self, agents: np.ndarray, episodes: Episodes, reports: list[bytes | None]
    ) -> EpisodeBatch:
        """Count the agents' episodes; the batch."""
        self.episodes[agents] += 1
        return EpisodeBatch(agents, episodes.discounted_returns, episodes.steps, reports)

    def _stream(self, agent: int) -> np.random.Generator:
        if agent not in self._streams:
            self._streams[agent] = np.random.default_rng(derive_seed(self._seed, 4, agent))
        return self._streams[agent]


class TabularPeers(Peers):
    """The decentralised form of a tabular algorithm: agent i keeps its own copy of the central
    learner (its state and its update) and plays on it; it learns from the reports it holds this
    round, in agent order: its own (see :meth:`own_report`) and those its neighbours sent; every
    tau rounds it mixes its learner's state, x_i <- sum_j W_ij x_j. An agent draws exploration
    and resets from its own streams (:meth:`TabularAgents.run_own_episodes`)."""

    learner_type: type[Learner]
    agents_type: type[TabularAgents]
    state: str
    """The learner's attribute that holds its float32 array (``q``, ``theta``)."""

    def __init__(self, config: TabularConfig, problem: Problem) -> None:
        self.agents = self.agents_type(config, problem)
        self.learners = [self.learner_type(config, problem) for _ in range(problem.n_agents)]
        self.own: dict[int, bytes | None] = {}
        """What each agent learns from of its own latest episode."""

    def run_episodes(self, agents: np.ndarray) -> EpisodeBatch:
        payloads = [self.learners[agent].policy_payload() for agent in agents.tolist()]
        batch, episodes = self.agents.run_own_episodes(payloads, agents)
        for j, agent in enumerate(agents.tolist()):
            self.own[agent] = self.own_report(episodes, j, batch.reports[j])
        return batch

    def own_report(self, episodes: Episodes, j: int, sent: bytes | None) -> bytes | None:
        """What the j-th agent of ``episodes`` learns from of its own episode: what it sent to
        its neighbours (by default)."""
        return sent

    def learn(self, agent: int, reports: Mapping[int, bytes]) -> None:
        held = dict(reports)
        own = self.own[agent]
        if own is not None:
            held[agent] = own
        self.learners[agent].update([held[sender] for sender in sorted(held)])

    def share(self, agent: int) -> bytes:
        return self.learners[agent].policy_payload()

    def mix(self, agent: int, weights: Sequence[float], payloads: Sequence[bytes]) -> None:
        learner = self.learners[agent]
        shape = getattr(learner, self.state).shape
        setattr(learner, self.state, weighted_sum(weights, payloads).reshape(shape))

    def parameters(self, agent: int) -> np.ndarray:
        return np.asarray(getattr(self.learners[agent], self.state), dtype=np.float64).ravel()

    def greedy_actions(self, agent: int) -> np.ndarray:
        """argmax_a of the agent's action values in each state, the first of tied best actions
        (an untouched row's is action 0 for every agent)."""
        return self.agents.action_values(self.learners[agent].policy_payload()).argmax(axis=1)
