"""Evolution Strategies (Salimans et al. 2017; report section 2.4.4, equation 2.1).

Per episode k, agent i:
    eps_i ~ N(0, I), drawn from a seed it shares with the learner (key: agent i, its episode k)
    F_i = discounted return of one episode with parameters theta + sigma * eps_i
    report (i, k, F_i) if c_i^k = 1                       (ES: always; ESPC: see espc.py)
Learner, over the set R of reports received:
    regenerate eps_i from (i, k)
    g = 1 / (|R| sigma) * sum_{i in R} F_i eps_i          (|R| = n when every agent reports)
    theta <- optimiser step along +g                       (no step when R is empty)

Choices where the report is silent, stated here once:

* the report is 12 bytes, ``<IIf``: agent id, the agent's episode index, F as float32; the learner uses
  the float32 value it received;
* returns are used raw, without Salimans' rank-based fitness shaping, as the report's equation 2.1;
* the optimiser ascends g: Adam with L2 (``torch.optim.Adam(weight_decay=l2)``, report 4.7) or SGD with
  momentum 0.9 (report 4.6);
* the learner sums the reports in agent order, so its update does not depend on arrival order;
* a batch's episodes go through the trial's rollout journal when it has one
  (:attr:`Problem.journal`, the simulator's): a trial run again after an interruption replays the batches it had
  computed, and its results are those of an uninterrupted trial;
* a run's ``rollout_workers`` > 1 (:attr:`Problem.rollout_workers`) spreads each batch's episodes
  over that many worker processes (:class:`algorithms.rollout.RolloutPool`, for MuJoCo Ant):
  results are identical, only faster
  when cores would otherwise idle.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import gymnasium as gym
import numpy as np
import torch

from algorithms.base import (
    AgentPool,
    Algorithm,
    EpisodeBatch,
    Learner,
    Problem,
    derive_seed,
    require_valid,
)
from algorithms.policies import MLPPolicy
from algorithms.rollout import Rollout, RolloutPool, make_vector_env, rollout

REPORT = struct.Struct("<IIf")
"""An ES report on the wire: agent id (uint32), the agent's episode index (uint32), F (float32)."""


@dataclass(frozen=True)
class ESConfig:
    """ES hyperparameters; defaults are the report's Cart Pole settings (section 4.7)."""

    hidden: tuple[int, ...] = (8, 8)
    """Hidden layer widths of the MLP policy (Cart Pole 8, 8; Ant 64, 64; grids 4, 4)."""
    sigma: float = 0.05
    """Standard deviation of the parameter perturbations."""
    learning_rate: float = 0.01
    """Optimiser step size."""
    l2: float = 0.05
    """L2 regularisation coefficient (Adam's ``weight_decay``)."""
    gamma: float = 1.0
    """Discount factor of the return F."""
    optimizer: Literal["adam", "momentum"] = "adam"
    """``adam`` (report 4.7) or SGD with ``momentum`` (report 4.6)."""
    momentum: float = 0.9
    """Momentum coefficient when ``optimizer = "momentum"``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "hidden", tuple(self.hidden))
        checks = {
            "sigma": self.sigma > 0,
            "learning_rate": self.learning_rate > 0,
            "l2": self.l2 >= 0,
            "gamma": 0 <= self.gamma <= 1,
            "optimizer": self.optimizer in ("adam", "momentum"),
            "hidden": all(int(width) > 0 for width in self.hidden),
        }
        require_valid(self, checks)

    def check(self, n_agents: int) -> None:
        """Raise if these settings cannot run with ``n_agents`` agents."""


@dataclass(frozen=True)
class NoiseKey:
    """The seed the learner and its agents share: eps_i for (agent, episode) is a pure function of it."""

    entropy: int

    @classmethod
    def for_problem(cls, problem: Problem) -> NoiseKey:
        return cls(int(derive_seed(problem.seed, 1).generate_state(1, np.uint64)[0]))

    def perturbations(self, agents: np.ndarray, episodes: np.ndarray, dim: int) -> np.ndarray:
        """eps_i ~ N(0, I) of dimension ``dim`` for each (agent, episode) pair, shape (b, dim)."""
        noise = np.empty((len(agents), dim), dtype=np.float32)
        keys = zip(np.asarray(agents).tolist(), np.asarray(episodes).tolist(), strict=True)
        for row, (agent, episode) in enumerate(keys):
            # default_rng((entropy, agent, episode)), without its per-call wrapper
            seed = np.random.SeedSequence((self.entropy, agent, episode))
            rng = np.random.Generator(np.random.PCG64(seed))
            noise[row] = rng.standard_normal(dim, dtype=np.float32)
        return noise


def es_gradient(returns: np.ndarray, noise: np.ndarray, sigma: float) -> np.ndarray:
    """The ES estimate g = 1 / (b sigma) * sum_i F_i eps_i over the b samples given (equation 2.1)."""
    return (noise.T @ returns.astype(np.float64)) / (len(returns) * sigma)


def _policy(problem: Problem, config: ESConfig) -> MLPPolicy:
    env = make_vector_env(problem.env_id, 1)
    try:
        return MLPPolicy.for_spaces(
            env.single_observation_space, env.single_action_space, config.hidden
        )
    finally:
        env.close()


class ESLearner(Learner):
    """Holds theta; broadcasts it as float32 bytes; steps the optimiser along the ES estimate."""

    def __init__(self, config: ESConfig, problem: Problem) -> None:
        self.config = config
        self.noise = NoiseKey.for_problem(problem)
        self.policy = _policy(problem, config)
        init = self.policy.initial_params(np.random.default_rng(derive_seed(problem.seed, 0)))
        self.theta = torch.nn.Parameter(torch.from_numpy(init))
        self.optimizer: torch.optim.Optimizer
        if config.optimizer == "adam":
            self.optimizer = torch.optim.Adam(
                [self.theta], lr=config.learning_rate, weight_decay=config.l2
            )
        else:
            self.optimizer = torch.optim.SGD(
                [self.theta],
                lr=config.learning_rate,
                momentum=config.momentum,
                weight_decay=config.l2,
            )

    def policy_payload(self) -> bytes:
        return self.theta.detach().numpy().tobytes()

    def update(self, reports: Sequence[bytes]) -> None:
        if not reports:
            return
        decoded = sorted(REPORT.unpack(report) for report in reports)
        agents, episodes, returns = (np.array(column) for column in zip(*decoded, strict=True))
        noise = self.noise.perturbations(agents, episodes, self.policy.n_params)
        gradient = es_gradient(returns, noise, self.config.sigma)
        self.optimizer.zero_grad()
        self.theta.grad = torch.from_numpy(-gradient.astype(np.float32))  # ascend g
        self.optimizer.step()


class ESAgents(AgentPool):
    """n agents that perturb theta with shared-seed noise and report their scalar return."""

    def __init__(self, config: ESConfig, problem: Problem) -> None:
        config.check(problem.n_agents)
        self.config = config
        self.n_agents = problem.n_agents
        self.noise = NoiseKey.for_problem(problem)
        self.policy = _policy(problem, config)
        self.episodes = np.zeros(problem.n_agents, dtype=np.int64)
        """Each agent's count of finished episodes: with its id, the key of its next eps."""
        self.env_id = problem.env_id
        self.journal = problem.journal
        self._envs: dict[int, gym.vector.VectorEnv] = {}
        self._pool = (
            RolloutPool(problem.env_id, problem.rollout_workers)
            if problem.rollout_workers > 1
            else None
        )
        self._reset_seeds = np.random.default_rng(derive_seed(problem.seed, 3))
        self.agent_rngs = [
            np.random.default_rng(derive_seed(problem.seed, 2, agent))
            for agent in range(problem.n_agents)
        ]
        """Each agent's private stream (ESPC draws its send decisions from it)."""

    def _vector_env(self, size: int) -> gym.vector.VectorEnv:
        if size not in self._envs:
            self._envs[size] = make_vector_env(self.env_id, size)
        return self._envs[size]

    def run_episodes(self, policy_payload: bytes, agents: np.ndarray) -> EpisodeBatch:
        theta = np.frombuffer(policy_payload, dtype=np.float32)
        episodes = self.episodes[agents]
        noise = self.noise.perturbations(agents, episodes, self.policy.n_params)
        params = theta + self.config.sigma * noise
        seed = int(self._reset_seeds.integers(2**31))
        result = self._rollout(params, seed)
        returns = result.discounted_returns
        send = self.communicate(agents, returns, noise)
        reports = [
            REPORT.pack(int(agent), int(episode), float(value)) if sending else None
            for agent, episode, value, sending in zip(agents, episodes, returns, send, strict=True)
        ]
        self.episodes[agents] += 1
        return EpisodeBatch(agents, returns, result.steps, reports)

    def _rollout(self, params: np.ndarray, seed: int) -> Rollout:
        """One episode per row of ``params``, from the trial's journal when it kept this batch."""
        gamma, size = self.config.gamma, len(params)

        def compute() -> Rollout:
            actor = self.policy.batch(params)
            if self._pool is None:
                return rollout(self._vector_env(size), actor, gamma, seed)
            return self._pool.rollout(actor, size, gamma, seed)

        if self.journal is None:
            return compute()
        return self.journal.rollout((self.env_id, self.config.hidden, gamma, seed, params), compute)

    def communicate(self, agents: np.ndarray, returns: np.ndarray, noise: np.ndarray) -> np.ndarray:
        """c_i^k for each agent of the batch. ES: every agent reports every episode."""
        return np.ones(len(agents), dtype=bool)


ES = Algorithm(
    name="es",
    config_type=ESConfig,
    learner_type=ESLearner,
    agents_type=ESAgents,
    summary="Evolution Strategies: every agent reports its scalar return every episode",
)

__all__ = ["ES", "ESAgents", "ESConfig", "ESLearner", "NoiseKey", "REPORT", "es_gradient"]
