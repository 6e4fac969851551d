"""Distributed approximate value iteration, DAVIA (Gatsis 2021; report section 2.4.3).

A linear value function V_theta(s) = theta^T phi(s) with one-hot features phi(s) = e_s (so
theta^T phi(s) = theta[s]). Per episode k:
    learner: send theta (float32)
    agent i: act epsilon-greedily on the one-step lookahead
                 Q_theta(s, a) = sum_s' P(s' | s, a) (r(s') + gamma V_theta(s'))
             over T steps; with the targets y_t = r_t + gamma V_theta(s_{t+1}) (0 past a terminal
             state) held fixed, its local objective and its semi-gradient are
                 J_i(theta') = 1/(2T) sum_t (theta'^T phi(s_t) - y_t)^2
                 g_i = grad J_i(theta) = 1/T sum_t phi(s_t) (theta^T phi(s_t) - y_t)
             send g_i (float32) only if the step it asks for is large enough:
                 J_i(theta) - J_i(theta - alpha g_i) >= lambda / rho^(N - 1 - k)
    learner: theta <- theta - alpha * mean of the g_i received (no step when none arrive)

Where the report is ambiguous (docs/design.md, "Reading the report"), our choices, the simplest faithful reading:

* features are one-hot, the value function is then exact for a tabular world;
* actions come from the state-value function through the environment's model (P and r), known to
  the agents, as in value iteration; DAVIA therefore needs an environment with a ``tabular_model``;
* the report's test J(theta_k - eps g) <= lambda / rho^(N-1-k) is read as a test on the *decrease*
  of the agent's objective, with eps the learner's step alpha: the agent talks when its step would
  improve the fit by at least the threshold, and with rho > 1 the threshold rises from about
  lambda / rho^(N-1) towards lambda at the last episode N - 1, so communication thins out as
  learning settles (the report's figure 3.4 finding).

The report's formula and its text disagree on the threshold's direction: with rho > 1 the
formula's lambda / rho^(N-1-k) rises over the episodes, while the text says the threshold
"decreases over time". ``threshold_direction = "rising"`` (the default) is the formula's and ours;
``"falling"`` is the text's, the same thresholds taken in the reverse order, lambda / rho^k
(scenarios/sensitivity_davia.py compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

import gymnasium as gym
import numpy as np

from algorithms.base import Algorithm, Learner, Problem, require_valid
from algorithms.tabular import (
    Episodes,
    TabularAgents,
    TabularConfig,
    TabularPeers,
    discrete_sizes,
)


@dataclass(frozen=True)
class DAVIAConfig(TabularConfig):
    """DAVIA hyperparameters (the report gives none but gamma and n)."""

    step_size: float = 1.0
    """alpha: the learner's step along the mean gradient, and the step each agent tests. With
    one-hot features and the 1/T average, a state visited c times moves c/T <= 1 of the way to its
    mean target, so alpha = 1 never overshoots."""
    threshold: float = 1.0
    """lambda: the smallest decrease of J_i that is sent at the last episode N - 1 (at the first,
    when ``threshold_direction`` is "falling")."""
    threshold_growth: float = 1.005
    """rho (> 1): the threshold grows by this factor every episode (shrinks, when
    ``threshold_direction`` is "falling"). Rising, with lambda = 1 and N = 1000 it
    is 0.007 at the start, 0.009 at episode 50, 0.018 at 200 and 0.08 at 500; on Simple Grid the
    agents' decreases fall from 0.03-0.4 in the first 30 episodes to 0.01-0.03 by episode 100."""
    horizon: int = 1000
    """N: the episode at which the threshold reaches lambda (the report's 1000 episodes)."""
    threshold_direction: Literal["rising", "falling"] = "rising"
    """Which way the threshold moves over the agent's episodes k = 0, ..., N - 1, between
    lambda / rho^(N-1) and lambda: "rising" (ours, the report's formula with rho > 1),
    lambda_k = lambda / rho^(N-1-k), so communication thins out as learning settles; "falling"
    (the report's text, "the threshold for which decreases over time"), lambda_k = lambda / rho^k,
    the same thresholds in the reverse order. We keep the formula's because it is the one that
    gives the report's figure 3.4 (DAVIA cuts communication once it has converged)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        checks = {
            "step_size": self.step_size > 0,
            "threshold": self.threshold >= 0,
            "threshold_growth": self.threshold_growth >= 1,
            "horizon": self.horizon >= 1,
            "threshold_direction": self.threshold_direction in ("rising", "falling"),
        }
        require_valid(self, checks)

    def communication_threshold(self, episodes: np.ndarray) -> np.ndarray:
        """lambda_k for each agent's episode index k: lambda / rho^(N - 1 - k) rising, lambda /
        rho^k falling."""
        if self.threshold_direction == "falling":
            return self.threshold * self.threshold_growth ** (-episodes.astype(np.float64))
        return self.threshold * self.threshold_growth ** (episodes - (self.horizon - 1.0))


def semi_gradient(
    theta: np.ndarray, s: np.ndarray, targets: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """g = 1/T sum_t phi(s_t)(theta[s_t] - y_t) for one-hot phi, and the residuals theta[s_t] - y_t."""
    residuals = theta[s] - targets
    return np.bincount(s, weights=residuals, minlength=len(theta)) / len(s), residuals


def objective_decrease(
    residuals: np.ndarray, s: np.ndarray, gradient: np.ndarray, step: float
) -> float:
    """J(theta) - J(theta - step g) with J(theta') = 1/(2T) sum_t (theta'[s_t] - y_t)^2."""
    after = residuals - step * gradient[s]
    return float((residuals @ residuals - after @ after) / (2 * len(s)))


@runtime_checkable
class PlanningModel(Protocol):
    """What DAVIA needs of an environment's ``tabular_model`` (``netsim.envs.TabularModel`` has it)."""

    def expected_values(self, values: np.ndarray, gamma: float) -> np.ndarray:
        """E[r + gamma V(s') (0 past a terminal state) | s, a] for every (s, a), shape (S, A)."""
        ...


def environment_model(env_id: str) -> PlanningModel:
    """The model DAVIA's agents plan with; raises for an environment without one."""
    discrete_sizes(env_id)
    env = gym.make(env_id)
    model = getattr(env.unwrapped, "tabular_model", None)
    env.close()
    if not isinstance(model, PlanningModel):
        raise ValueError(
            f"DAVIA plans with the environment's model, and {env_id} has no tabular_model "
            "(the netsim grid worlds have one)"
        )
    return model


class DAVIALearner(Learner):
    """Holds theta; broadcasts it as float32; steps along the mean of the gradients received."""

    vector_reports = True

    def __init__(self, config: DAVIAConfig, problem: Problem) -> None:
        self.config = config
        n_states, _ = discrete_sizes(problem.env_id)
        self.theta = np.zeros(n_states, dtype=np.float32)

    def policy_payload(self) -> bytes:
        return self.theta.tobytes()

    def update(self, reports: Sequence[bytes]) -> None:
        if not reports:
            return
        gradients = np.stack([np.frombuffer(report, dtype=np.float32) for report in reports])
        step = self.config.step_size * gradients.astype(np.float64).mean(axis=0)
        self.theta = (self.theta - step).astype(np.float32)


class DAVIAAgents(TabularAgents):
    """Agents that plan one step ahead on theta and send their semi-gradient when it pays."""

    config: DAVIAConfig

    def __init__(self, config: DAVIAConfig, problem: Problem) -> None:
        super().__init__(config, problem)
        self.model = environment_model(problem.env_id)

    def action_values(self, policy_payload: bytes) -> np.ndarray:
        return self.model.expected_values(self.values(policy_payload), self.config.gamma)

    @staticmethod
    def values(policy_payload: bytes) -> np.ndarray:
        return np.frombuffer(policy_payload, dtype=np.float32).astype(np.float64)

    def reports(
        self, agents: np.ndarray, episodes: Episodes, policy_payload: bytes
    ) -> list[bytes | None]:
        theta = self.values(policy_payload)
        following = np.where(episodes.terminated, 0.0, theta[episodes.s_next])
        targets = episodes.r + self.config.gamma * following
        thresholds = self.config.communication_threshold(self.episodes[agents])
        reports: list[bytes | None] = []
        for j in range(len(agents)):
            mine = episodes.of(j)
            gradient, residuals = semi_gradient(theta, episodes.s[mine], targets[mine])
            decrease = objective_decrease(
                residuals, episodes.s[mine], gradient, self.config.step_size
            )
            send = decrease >= thresholds[j]
            reports.append(gradient.astype(np.float32).tobytes() if send else None)
        return reports


class DAVIAPeers(TabularPeers):
    """Decentralised DAVIA (:class:`algorithms.tabular.TabularPeers`): agent i keeps its own
    theta_i and steps it along the mean of the gradients it holds this round: its own when its
    test says it pays (our choice: the same test decides whether it uses and whether it sends
    it) and those its neighbours sent."""

    learner_type = DAVIALearner
    agents_type = DAVIAAgents
    state = "theta"


DAVIA = Algorithm(
    name="davia",
    config_type=DAVIAConfig,
    learner_type=DAVIALearner,
    agents_type=DAVIAAgents,
    peers_type=DAVIAPeers,
    summary="Distributed approximate value iteration: agents send a value gradient when it pays",
    environment_check=environment_model,
)
