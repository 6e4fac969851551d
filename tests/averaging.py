"""A pure averaging algorithm for the gossip tests: agent i holds a number x_i and does nothing
but mix it with its neighbours' (it has a peer side only). Its episodes take one step, earn x_i
and report nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from algorithms import ALGORITHMS, Algorithm, EpisodeBatch, Peers, Problem

NAME = "test-average"


@dataclass(frozen=True)
class AverageConfig:
    initial: tuple[float, ...] = ()
    """x_i(0) of each agent (0 for an agent beyond the tuple)."""

    def check(self, n_agents: int) -> None:
        if len(self.initial) > n_agents:
            raise ValueError(f"{len(self.initial)} initial values for {n_agents} agents")


class AveragingPeers(Peers):
    def __init__(self, config: AverageConfig, problem: Problem) -> None:
        self.x = np.zeros(problem.n_agents)
        self.x[: len(config.initial)] = config.initial
        self.mixes: list[tuple[int, list[float]]] = []
        """(agent, weights) of every mix, in order."""

    def run_episodes(self, agents: np.ndarray) -> EpisodeBatch:
        return EpisodeBatch(
            agents,
            self.x[agents].copy(),
            np.ones(len(agents), dtype=np.int64),
            [None] * len(agents),
        )

    def learn(self, agent: int, reports: Mapping[int, bytes]) -> None:
        assert not reports  # nobody reports

    def share(self, agent: int) -> bytes:
        return self.x[agent : agent + 1].tobytes()

    def mix(self, agent: int, weights: Sequence[float], payloads: Sequence[bytes]) -> None:
        self.mixes.append((agent, list(weights)))
        values = np.array([np.frombuffer(payload)[0] for payload in payloads])
        self.x[agent] = float(np.dot(weights, values))

    def parameters(self, agent: int) -> np.ndarray:
        return self.x[agent : agent + 1].copy()


AVERAGE = Algorithm(
    name=NAME,
    config_type=AverageConfig,
    learner_type=None,
    agents_type=None,
    peers_type=AveragingPeers,
    summary="each agent holds a number and averages it with its neighbours'",
)
if NAME not in ALGORITHMS:
    ALGORITHMS.register(NAME, AVERAGE)
