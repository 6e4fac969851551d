"""One episode for each of b agents, as one vectorised computation.

The agents' environments are one Gymnasium vector environment (its native vector form where the
environment has one, as Cart Pole does). Gymnasium vector environments reset a finished sub-environment
on the *next* step ("next-step autoreset"), so an agent's rewards count only until its episode ends;
stepping stops once every agent's episode has ended.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import gymnasium as gym
import numpy as np


def make_vector_env(env_id: str, num_envs: int) -> gym.vector.VectorEnv:
    """``num_envs`` copies of ``env_id``, vectorised natively when the environment supports it."""
    spec = gym.spec(env_id)
    mode = "vector_entry_point" if spec.vector_entry_point is not None else "sync"
    return gym.make_vec(env_id, num_envs=num_envs, vectorization_mode=mode)


@dataclass(frozen=True)
class Rollout:
    """Per agent: discounted return sum_t gamma^t r_t, and the number of steps taken."""

    discounted_returns: np.ndarray
    steps: np.ndarray


def rollout(
    envs: gym.vector.VectorEnv,
    act: Callable[[np.ndarray], np.ndarray],
    gamma: float,
    seed: int,
) -> Rollout:
    """Run one episode in every sub-environment of ``envs``.

    ``act(observations)`` returns one action per sub-environment; the actions of agents whose
    episode has ended are ignored.
    """
    observations, _ = envs.reset(seed=seed)
    n = envs.num_envs
    returns = np.zeros(n, dtype=np.float64)
    steps = np.zeros(n, dtype=np.int64)
    active = np.ones(n, dtype=bool)
    discount = 1.0
    while active.any():
        actions = act(observations)
        observations, rewards, terminated, truncated, _ = envs.step(actions)
        returns += np.where(active, discount * rewards, 0.0)
        steps += active
        active &= ~(terminated | truncated)
        discount *= gamma
    return Rollout(returns, steps)
