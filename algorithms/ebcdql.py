"""Event-based communication distributed Q-learning, EBCDQL (Jarne Ornia & Mazo 2021; report 2.4.2).

DQL (dql.py) in which agent i sends only the samples of its episode whose TD error, computed with
its own copy of Q (the last it received), is large against its recent ones:

    for each sample u of the episode, in time order:
        delta_hat(u) = r + gamma * max_a' Q_i(s', a') - Q_i(s, a)
        send u  if  |delta_hat(u)| >= max(rho * L_i, eps)
        L_i <- (1 - beta) * L_i + beta * |delta_hat(u)|            L_i = 0 at the start of a trial
    report the samples chosen; nothing when none is (c_i^k = 0)

Our reading where the report is silent: each sample is tested against L_i as it stood before that
sample, and L_i carries over from one episode to the next. The learner is DQL's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import lfilter

from algorithms.base import Algorithm, Problem, require_valid
from algorithms.dql import DQLAgents, DQLConfig, QLearner, QPeers
from algorithms.tabular import Episodes, discrete_sizes, td_errors


@dataclass(frozen=True)
class EBCDQLConfig(DQLConfig):
    """EBCDQL hyperparameters: DQL's plus the trigger's (the report gives none of them)."""

    rho: float = 1.0
    """Scale of the running mean L_i in the threshold: 1 sends the samples above the usual size."""
    beta: float = 0.1
    """Weight of the newest |delta| in the running mean L_i (a memory of about 10 samples)."""
    threshold_floor: float = 0.2
    """eps, the smallest |delta| ever sent: a fifth of the grid worlds' unit step reward. With it,
    communication on Simple Grid falls from episode 50 as the report's figure 3.4 shows (0.05 keeps
    three quarters of the agents talking until episode 100)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        checks = {
            "rho": self.rho >= 0,
            "beta": 0 < self.beta <= 1,
            "threshold_floor": self.threshold_floor >= 0,
        }
        require_valid(self, checks)


def triggered(
    deltas: np.ndarray, running_mean: float, rho: float, beta: float, floor: float
) -> tuple[np.ndarray, float]:
    """Which samples pass |delta_t| >= max(rho * L_{t-1}, floor), with
    L_t = (1 - beta) L_{t-1} + beta |delta_t| from L_0 = ``running_mean``; and L after the last."""
    size = np.abs(deltas)
    if len(size) == 0:
        return np.zeros(0, dtype=bool), running_mean
    after, _ = lfilter([beta], [1.0, beta - 1.0], size, zi=[(1.0 - beta) * running_mean])
    before = np.concatenate(([running_mean], after[:-1]))
    return size >= np.maximum(rho * before, floor), float(after[-1])


class EBCDQLAgents(DQLAgents):
    """DQL agents that send only the samples whose TD error triggers an event."""

    config: EBCDQLConfig

    def __init__(self, config: EBCDQLConfig, problem: Problem) -> None:
        super().__init__(config, problem)
        self.running_mean = np.zeros(problem.n_agents)
        """L_i of each agent."""

    def reports(
        self, agents: np.ndarray, episodes: Episodes, policy_payload: bytes
    ) -> list[bytes | None]:
        q = self.action_values(policy_payload).astype(np.float64)
        deltas = td_errors(
            q, episodes.s, episodes.a, episodes.r, episodes.s_next, self.config.gamma
        )
        reports: list[bytes | None] = []
        for j, agent in enumerate(agents):
            mine = episodes.of(j)
            send, self.running_mean[agent] = triggered(
                deltas[mine],
                self.running_mean[agent],
                self.config.rho,
                self.config.beta,
                self.config.threshold_floor,
            )
            chosen = np.flatnonzero(send) + mine.start
            reports.append(self.encode(episodes, chosen) if len(chosen) else None)
        return reports


class EBCDQLPeers(QPeers):
    """Decentralised EBCDQL: DQL's peers whose agents send their neighbours only the samples that
    trigger, each tested against the agent's own Q_i and L_i."""

    agents_type = EBCDQLAgents


EBCDQL = Algorithm(
    name="ebcdql",
    config_type=EBCDQLConfig,
    learner_type=QLearner,
    agents_type=EBCDQLAgents,
    peers_type=EBCDQLPeers,
    summary="Event-based DQL: agents send only samples whose TD error beats a running threshold",
    environment_check=discrete_sizes,
)
