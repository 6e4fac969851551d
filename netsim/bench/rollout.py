"""``netsim bench rollout``: MuJoCo Ant's batched episodes, stepping only the running agents'
environments (:func:`algorithms.rollout.rollout`) against stepping the whole vector environment
every step (Gymnasium's ``SyncVectorEnv.step``, which steps a finished sub-environment on until
the batch's last episode ends). Both step Gymnasium's own sync vector environment of Ant
(``make_vector_env(..., batched=False)``); our batched Ant against Gymnasium's step is ``netsim
bench ant``.

One batch of ``n_agents`` agents around a fresh policy, once for each perturbation scale in
``spreads`` (the standard deviation of the Gaussian added to every parameter: the wider, the
sooner ants fall over and end their episodes, as ESPC's trained agents partly do: its episodes
averaged 860-900 of Ant's 1000 steps in figure 4.11). The two contenders must return the same
returns and step counts, to the bit; the bench checks it. Needs the ``mujoco`` extra.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import gymnasium as gym
import numpy as np

from algorithms.policies import MLPPolicy
from algorithms.rollout import Actor, Rollout, make_vector_env, rollout
from netsim.bench.timing import best_of

ENV = "Ant-v5"
HIDDEN = (64, 64)
"""The report's Ant policy (section 4.7)."""
GAMMA = 0.99
SPREADS = (0.03, 0.075, 0.1)
"""From every ant walking all 1000 steps, through a few falling, to most falling within a few
hundred."""


def whole_vector_step(envs: gym.vector.VectorEnv, actor: Actor, gamma: float, seed: int) -> Rollout:
    """:func:`~algorithms.rollout.rollout` as Gymnasium's vector step runs it: every
    sub-environment stepped every step, a finished one reset and stepped on, for nothing."""
    observations, _ = envs.reset(seed=seed)
    returns = np.zeros(envs.num_envs)
    steps = np.zeros(envs.num_envs, dtype=np.int64)
    active = np.ones(envs.num_envs, dtype=bool)
    discount = 1.0
    while active.any():
        observations, rewards, terminated, truncated, _ = envs.step(actor(observations))
        np.add(returns, discount * rewards, out=returns, where=active)
        steps += active
        active &= ~(terminated | truncated)
        discount *= gamma
    return Rollout(returns, steps)


def main(
    n_agents: int = 12, spreads: Sequence[float] = SPREADS, repeats: int = 2
) -> dict[str, float]:
    """Time both contenders on each spread's batch and print (and return) their ratios."""
    envs = make_vector_env(ENV, n_agents, batched=False)
    assert isinstance(envs, gym.vector.SyncVectorEnv)
    policy = MLPPolicy.for_spaces(envs.single_observation_space, envs.single_action_space, HIDDEN)
    rng = np.random.default_rng(0)
    theta = policy.initial_params(rng)
    print(f"rollout: {ENV}, {n_agents} agents, best of {repeats}")
    ratios: dict[str, float] = {}
    for spread in spreads:
        noise = rng.standard_normal((n_agents, theta.size), dtype=np.float32)
        actor = policy.batch(theta + np.float32(spread) * noise)
        best = best_of(
            {
                "running": partial(rollout, envs, actor, GAMMA, 0),
                "whole": partial(whole_vector_step, envs, actor, GAMMA, 0),
            },
            repeats,
            desc=f"spread {spread}",
        )
        (running_s, ours), (whole_s, theirs) = best["running"], best["whole"]
        if not (
            np.array_equal(ours.discounted_returns, theirs.discounted_returns)
            and np.array_equal(ours.steps, theirs.steps)
        ):
            raise AssertionError(f"spread {spread}: the two rollouts differ")
        ratio = running_s / whole_s
        print(
            f"  spread {spread:g}: episodes of {ours.steps.mean():.0f} steps on average "
            f"(longest {ours.steps.max()}): running only {running_s:.2f} s, whole vector step "
            f"{whole_s:.2f} s: {ratio:.2f}x"
        )
        ratios[f"rollout, spread {spread:g}: running only / whole vector step"] = ratio
    return ratios
