"""Issue 39, item 4: what Gymnasium's vector Cart Pole step costs a rollout, measured, not adopted
unless it pays.

Three ways to play one episode of each of n agents (each a fixed linear controller with its own
gains, so episodes end at many different steps up to 500), from the same seeded reset:

* ``gymnasium``: ``CartPoleVectorEnv.step`` on the whole batch until every episode has ended, as
  ``algorithms.rollout`` steps a native vector environment (validation, finished agents stepped
  on and reset, their results ignored);
* ``no validation``: the same, with the action-space check skipped (the environment's
  ``action_space.contains`` replaced by one that accepts, Gymnasium's dynamics untouched);
* ``running only``: Gymnasium's step on a vector environment narrowed to the running agents (its
  state, step counts and autoreset flags cut to their columns), without validation.

The controller's own cost (one product per agent per step) is in every way's time. Each way's
trajectories (every observation of every running agent, rewards, ends) are checked to
be identical to Gymnasium's, and the three are timed side by side, interleaved, best of
``repeats``. Run: ``python scripts/cartpole_step.py [n] [repeats]``.
"""

from __future__ import annotations

import os
import sys
import time

import gymnasium as gym
import numpy as np
from gymnasium.envs.classic_control.cartpole import CartPoleVectorEnv


def controllers(n: int, seed: int = 0) -> np.ndarray:
    """Per-agent gains on (x, x_dot, theta, theta_dot): some balance for long, some fall soon."""
    rng = np.random.default_rng(seed)
    return np.array([0.0, 0.0, 1.0, 0.3]) + rng.normal(0.0, [0.05, 0.1, 0.5, 0.2], size=(n, 4))


def play(
    env: CartPoleVectorEnv, gains: np.ndarray, narrow: bool, record: bool = True
) -> tuple[np.ndarray, ...]:
    """One episode per agent; with ``record``, each agent's observations, rewards and ends,
    concatenated, then its return and steps (without, the return and steps only)."""
    n = env.num_envs
    observations, _ = env.reset(seed=7)
    active = np.ones(n, dtype=bool)
    steps = np.zeros(n, dtype=np.int64)
    returns = np.zeros(n)
    trace = []
    full_state, full_steps = env.state, env.steps
    while active.any():
        running = np.flatnonzero(active)
        actions = (np.einsum("ij,ij->i", observations, gains) > 0).astype(np.int64)
        if narrow:
            env.state, env.steps = full_state[:, running], full_steps[running]
            env.prev_done = np.zeros(len(running), dtype=bool)
            env.num_envs = len(running)
            out, rewards, terminated, truncated, _ = env.step(actions[running])
            full_state[:, running], full_steps[running] = env.state, env.steps
            observations = observations.copy()
            observations[running] = out
            ended = terminated | truncated
        else:
            observations, rewards, terminated, truncated, _ = env.step(actions)
            rewards, ended = rewards[running], (terminated | truncated)[running]
        if record:
            trace.append((running, observations[running].copy(), rewards.copy(), ended.copy()))
        returns[running] += rewards
        steps[running] += 1
        active[running[ended]] = False
    if narrow:
        env.state, env.steps, env.num_envs = full_state, full_steps, n
    if not record:
        return returns, steps
    return tuple(np.concatenate([part[k] for part in trace]) for k in range(4)) + (returns, steps)


class _AcceptAll(gym.spaces.MultiDiscrete):
    def contains(self, x: object) -> bool:  # the check Gymnasium's step asserts, skipped
        return True


def make(n: int, validate: bool) -> CartPoleVectorEnv:
    env = CartPoleVectorEnv(num_envs=n)
    if not validate:
        env.action_space = _AcceptAll(env.action_space.nvec)
    return env


def main(n: int = 1_000, repeats: int = 5) -> None:
    gains = controllers(n)
    ways = {
        "gymnasium": (make(n, True), False),
        "no validation": (make(n, False), False),
        "running only": (make(n, False), True),
    }
    reference = play(ways["gymnasium"][0], gains, False)
    for name, (env, narrow) in ways.items():
        result = play(env, gains, narrow)
        same = all(np.array_equal(a, b) for a, b in zip(result, reference, strict=True))
        print(f"  {name:<14} trajectories identical to Gymnasium's: {same}")
    best = {}
    for _ in range(repeats):
        for name, (env, narrow) in ways.items():
            start = time.process_time()
            play(env, gains, narrow, record=False)
            best[name] = min(best.get(name, np.inf), time.process_time() - start)
    steps = reference[-1]
    print(
        f"Cart Pole, n = {n:,}: episodes of {steps.min()}-{steps.max()} steps (mean "
        f"{steps.mean():.0f}), CPU seconds best of {repeats}, load {os.getloadavg()[0]:.1f}"
    )
    for name, seconds in best.items():
        print(
            f"  {name:<14} {seconds:7.3f} s  gymnasium / this: {best['gymnasium'] / seconds:5.2f}x"
        )


if __name__ == "__main__":
    main(*(int(argument) for argument in sys.argv[1:3]))
