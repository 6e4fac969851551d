"""ES with probabilistic communication, ESPC (report sections 4.1-4.4).

ES (es.py) in which agent i, after its episode with perturbation eps and return F:
    u      = F * ||eps||_2                                   utility (report 4.3)
    window = its last k utilities, u included
    z      = (u - mean(window)) / std(window)                 (population std; see below)
    p      = Phi(z)                                           standard normal CDF
    p_comm = P(M >= n - m),  M ~ Binomial(n - 1, p)           (report 4.2, step 5)
    report F with probability p_comm
The learner is ES's: the estimate over the reports received, divided by their number, no step when
none arrive.

The report writes z with the variance as divisor and p as the integral of the normal density from 0
to z; we take the statistically meaningful reading (docs/design.md, "Reading the report") used here, under which
E[p_comm] = m/n for z ~ N(0, 1) (report figure 4.1). On an agent's first episode the window holds one
utility and its variance is taken as 1 (report 4.8), so z = 0 and p = 1/2. Our choice where the report
is silent: a window of equal utilities (variance 0, e.g. every return 0) is treated the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from algorithms.base import Algorithm, Problem
from algorithms.es import ESAgents, ESConfig, ESLearner, ESPeers


def communication_probability(z: np.ndarray | float, n: int, m: int) -> np.ndarray:
    """p_comm = P(M >= n - m) with M ~ Binomial(n - 1, Phi(z)): the probability that this sample's
    utility exceeds at least n - m of the other n - 1 agents' (report 4.2)."""
    p = stats.norm.cdf(z)
    return np.asarray(stats.binom.sf(n - m - 1, n - 1, p))


def standardised_utility(window: np.ndarray, filled: np.ndarray, latest: np.ndarray) -> np.ndarray:
    """z of each agent's latest utility against its window of the last k (latest included).

    ``window`` is (b, k), of which the first ``filled[j]`` entries of row j hold utilities.
    """
    valid = np.arange(window.shape[1]) < filled[:, None]
    count = filled.astype(np.float64)
    mean = np.where(valid, window, 0.0).sum(axis=1) / count
    variance = np.where(valid, (window - mean[:, None]) ** 2, 0.0).sum(axis=1) / count
    variance = np.where((filled == 1) | (variance == 0.0), 1.0, variance)
    return (latest - mean) / np.sqrt(variance)


@dataclass(frozen=True)
class ESPCConfig(ESConfig):
    """ESPC hyperparameters: ES's plus m and k; defaults are the report's section 4.7."""

    m: int = 25
    """Expected number of agents that report each episode, out of n."""
    k: int = 5
    """Horizon of the rolling mean and variance of utilities."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.m < 1:
            raise ValueError(f"ESPC m = {self.m} must be at least 1")
        if self.k < 1:
            raise ValueError(f"ESPC k = {self.k} must be at least 1")

    def check(self, n_agents: int) -> None:
        if self.m > n_agents:
            raise ValueError(f"ESPC m = {self.m} exceeds the number of agents n = {n_agents}")


class ESPCAgents(ESAgents):
    """ES agents that report with probability p_comm from their rolling utility statistics."""

    config: ESPCConfig

    def __init__(self, config: ESPCConfig, problem: Problem) -> None:
        super().__init__(config, problem)
        self.utilities = np.zeros((problem.n_agents, config.k))
        """Each agent's last k utilities, as a ring indexed by its episode count modulo k."""

    def communicate(self, agents: np.ndarray, returns: np.ndarray, noise: np.ndarray) -> np.ndarray:
        k = self.config.k
        utility = returns * np.linalg.norm(noise.astype(np.float64), axis=1)
        episodes = self.episodes[agents]
        self.utilities[agents, episodes % k] = utility
        z = standardised_utility(self.utilities[agents], np.minimum(episodes + 1, k), utility)
        p_comm = communication_probability(z, self.n_agents, self.config.m)
        draws = np.array([self.agent_rngs[agent].random() for agent in agents])
        return draws < p_comm


class ESPCPeers(ESPeers):
    """Decentralised ESPC: ES's peers whose agents report by ESPC's rule, with n the number of
    agents in the whole graph (our choice: m of n agents report each round, as centrally)."""

    agents_type = ESPCAgents


ESPC = Algorithm(
    name="espc",
    config_type=ESPCConfig,
    learner_type=ESLearner,
    agents_type=ESPCAgents,
    peers_type=ESPCPeers,
    summary="ES with probabilistic communication: about m of n agents report each episode",
)
