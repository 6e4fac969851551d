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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from algorithms.base import Algorithm, Learner, Problem
from algorithms.tabular import (
    Episodes,
    TabularAgents,
    TabularConfig,
    TabularPeers,
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


class QPeers(TabularPeers):
    """Decentralised DQL (:class:`algorithms.tabular.TabularPeers`): agent i keeps its own Q_i
    and updates it as the central learner would, from all of its own episode's samples (sent or
    not: it needs no message for them; our choice) and those its neighbours sent."""

    learner_type = QLearner
    agents_type: type[DQLAgents] = DQLAgents
    """Who plays and decides what to send: EBCDQL's peers take EBCDQL's agents."""
    state = "q"

    def own_report(self, episodes: Episodes, j: int, sent: bytes | None) -> bytes | None:
        agents = self.agents
        assert isinstance(agents, DQLAgents)
        return agents.encode(episodes, episodes.of(j))


DQL = Algorithm(
    name="dql",
    config_type=DQLConfig,
    learner_type=QLearner,
    agents_type=DQLAgents,
    peers_type=QPeers,
    summary="Distributed Q-learning: every agent sends its whole trajectory every episode",
    environment_check=discrete_sizes,
)
