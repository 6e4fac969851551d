"""Distributed Q-learning, DQL (report section 2.4.1).

Per episode k:
    learner: send Q (float32, S x A)
    agent i: run an episode epsilon-greedily on Q; send every sample u = (s, a, r, s') of it
    learner: for every sample received, delta(u) = r + gamma * max_a' Q(s', a') - Q(s, a);
             for every (s, a) with samples U_sa:  Q(s, a) += alpha * (1/|U_sa|) sum_{u in U_sa} delta(u)

The report groups by s only (U_s) but updates Q(s, a); we group by (s, a) (docs/design.md, "Reading the report")
used here. Every delta is computed from the Q before the update, so the order in which reports
arrive does not matter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from algorithms.base import Algorithm, EpisodeBatch, Learner, Peers, Problem, weighted_sum
from algorithms.tabular import (
    Episodes,
    TabularAgents,
    TabularConfig,
    decode_samples,
    discrete_sizes,
    encode_samples,
    grouped_mean_update,
    sample_dtype,
    td_errors,
)


@dataclass(frozen=True)
class DQLConfig(TabularConfig):
    """DQL hyperparameters (the report gives only gamma and n)."""

    alpha: float = 0.5
    """Learning rate of the grouped-mean update. The grid worlds' moves are (nearly) deterministic
    and each update already averages over samples, so a large step is stable."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 0 < self.alpha <= 1:
            raise ValueError(f"{type(self).__name__}.alpha = {self.alpha!r} must be in (0, 1]")


class QLearner(Learner):
    """Holds Q; broadcasts it as float32; applies the grouped-mean TD update to the samples received."""

    def __init__(self, config: DQLConfig, problem: Problem) -> None:
        self.config = config
        n_states, n_actions = discrete_sizes(problem.env_id)
        self.q = np.zeros((n_states, n_actions), dtype=np.float32)
        self.samples = sample_dtype(n_states, n_actions)

    def policy_payload(self) -> bytes:
        return self.q.tobytes()

    def update(self, reports: Sequence[bytes]) -> None:
        samples = decode_samples(self.samples, reports)
        if len(samples) == 0:
            return
        q = self.q.astype(np.float64)
        deltas = td_errors(
            q, samples["s"], samples["a"], samples["r"], samples["s_next"], self.config.gamma
        )
        self.q = grouped_mean_update(self.q, samples, deltas, self.config.alpha).astype(np.float32)


class DQLAgents(TabularAgents):
    """Agents that act on the learner's Q and send their whole episode."""

    config: DQLConfig

    def __init__(self, config: DQLConfig, problem: Problem) -> None:
        super().__init__(config, problem)
        self.samples = sample_dtype(self.n_states, self.n_actions)

    def action_values(self, policy_payload: bytes) -> np.ndarray:
        return np.frombuffer(policy_payload, dtype=np.float32).reshape(
            self.n_states, self.n_actions
        )

    def reports(
        self, agents: np.ndarray, episodes: Episodes, policy_payload: bytes
    ) -> list[bytes | None]:
        return [self.encode(episodes, episodes.of(j)) for j in range(len(agents))]

    def encode(self, episodes: Episodes, chosen: slice | np.ndarray) -> bytes:
        """The ``chosen`` samples of ``episodes`` as a report."""
        return encode_samples(
            self.samples,
            episodes.s[chosen],
            episodes.a[chosen],
            episodes.r[chosen],
            episodes.s_next[chosen],
        )


class QPeers(Peers):
    """Decentralised DQL: agent i keeps its own Q_i and updates it as the central learner would,
    from the samples it holds this round: all of its own episode's, and those its neighbours sent
    (in agent order); every tau rounds Q_i <- sum_j W_ij Q_j. Our choices: an agent learns from
    every sample of its own episode, sent or not (it needs no message for them), and it draws its
    exploration and resets from its own streams (:meth:`TabularAgents.run_own_episodes`)."""

    agents_type: type[DQLAgents] = DQLAgents
    """Who plays and decides what to send: EBCDQL's peers take EBCDQL's agents."""

    def __init__(self, config: DQLConfig, problem: Problem) -> None:
        self.agents = self.agents_type(config, problem)
        self.learners = [QLearner(config, problem) for _ in range(problem.n_agents)]
        self.own: dict[int, bytes] = {}
        """Each agent's latest episode, every sample of it, as a report."""

    def run_episodes(self, agents: np.ndarray) -> EpisodeBatch:
        payloads = [self.learners[agent].policy_payload() for agent in agents.tolist()]
        batch, episodes = self.agents.run_own_episodes(payloads, agents)
        for j, agent in enumerate(agents.tolist()):
            self.own[agent] = self.agents.encode(episodes, episodes.of(j))
        return batch

    def learn(self, agent: int, reports: Mapping[int, bytes]) -> None:
        held = {**reports, agent: self.own[agent]}
        self.learners[agent].update([held[sender] for sender in sorted(held)])

    def share(self, agent: int) -> bytes:
        return self.learners[agent].policy_payload()

    def mix(self, agent: int, weights: Sequence[float], payloads: Sequence[bytes]) -> None:
        learner = self.learners[agent]
        learner.q = weighted_sum(weights, payloads).reshape(learner.q.shape)

    def parameters(self, agent: int) -> np.ndarray:
        return self.learners[agent].q.astype(np.float64).ravel()


DQL = Algorithm(
    name="dql",
    config_type=DQLConfig,
    learner_type=QLearner,
    agents_type=DQLAgents,
    peers_type=QPeers,
    summary="Distributed Q-learning: every agent sends its whole trajectory every episode",
    environment_check=discrete_sizes,
)
