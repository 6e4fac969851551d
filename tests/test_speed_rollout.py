"""The speed-ups of the batched rollout change no result: compaction against a plain rollout."""

import numpy as np
import pytest

from algorithms.policies import MLPPolicy
from algorithms.rollout import COMPACT_MIN_AGENTS, make_vector_env, rollout


def plain_rollout(envs, policy, params, gamma, seed):
    """The rollout before compaction: every agent's action computed every step until all end."""
    observations, _ = envs.reset(seed=seed)
    returns = np.zeros(envs.num_envs)
    steps = np.zeros(envs.num_envs, dtype=np.int64)
    active = np.ones(envs.num_envs, dtype=bool)
    discount = 1.0
    while active.any():
        observations, rewards, terminated, truncated, _ = envs.step(
            policy.act(params, observations)
        )
        returns += np.where(active, discount * rewards, 0.0)
        steps += active
        active &= ~(terminated | truncated)
        discount *= gamma
    return returns, steps


class CountingActor:
    """An actor that counts how often it was narrowed."""

    def __init__(self, actor, counts):
        self.actor, self.counts = actor, counts

    def __call__(self, observations):
        return self.actor(observations)

    def select(self, rows):
        self.counts.append(len(rows))
        return CountingActor(self.actor.select(rows), self.counts)


@pytest.mark.parametrize(
    ("env_id", "gamma"), [("CartPole-v1", 1.0), ("CartPole-v1", 0.97), ("FrozenLake-v1", 0.9)]
)
@pytest.mark.parametrize("seed", [0, 1])
def test_compacting_finished_agents_changes_no_return_or_step_count(env_id, gamma, seed):
    n = 3 * COMPACT_MIN_AGENTS
    envs = make_vector_env(env_id, n)
    policy = MLPPolicy.for_spaces(envs.single_observation_space, envs.single_action_space, (8, 8))
    rng = np.random.default_rng(seed)
    # widely spread parameters: episode lengths from a few steps to the limit
    params = rng.normal(0, 1.5, size=(n, policy.n_params)).astype(np.float32)
    expected_returns, expected_steps = plain_rollout(envs, policy, params, gamma, seed)
    narrowed: list[int] = []
    result = rollout(envs, CountingActor(policy.batch(params), narrowed), gamma, seed)
    assert narrowed, "the batch was never compacted: the test does not test compaction"
    assert np.array_equal(result.steps, expected_steps)
    assert np.array_equal(result.discounted_returns, expected_returns)


def test_a_selected_batch_acts_as_its_rows_did():
    envs = make_vector_env("CartPole-v1", 5)
    policy = MLPPolicy.for_spaces(envs.single_observation_space, envs.single_action_space, (8, 8))
    rng = np.random.default_rng(3)
    params = rng.normal(size=(5, policy.n_params)).astype(np.float32)
    observations = rng.normal(size=(5, 4)).astype(np.float32)
    rows = np.array([4, 1])
    assert np.array_equal(
        policy.batch(params).select(rows)(observations[rows]),
        policy.act(params, observations)[rows],
    )
