"""The speed-ups of the batched rollout change no result: compaction, and stepping only the
running agents' environments, against Gymnasium's whole vector step."""

import numpy as np
import pytest

from algorithms.policies import MLPPolicy
from algorithms.rollout import COMPACT_MIN_AGENTS, make_vector_env, rollout
from netsim.bench.rollout import whole_vector_step


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
    expected = whole_vector_step(envs, policy.batch(params), gamma, seed)
    narrowed: list[int] = []
    result = rollout(envs, CountingActor(policy.batch(params), narrowed), gamma, seed)
    assert narrowed, "the batch was never compacted: the test does not test compaction"
    assert np.array_equal(result.steps, expected.steps)
    assert np.array_equal(result.discounted_returns, expected.discounted_returns)


@pytest.mark.parametrize(("env_id", "spread"), [("FrozenLake-v1", 1.5), ("Ant-v5", 3.0)])
def test_a_sync_vector_environment_steps_only_the_running_agents_to_the_same_result(env_id, spread):
    if env_id == "Ant-v5":
        pytest.importorskip("mujoco")
    n = 6  # below COMPACT_MIN_AGENTS: every row is evaluated every step
    envs = make_vector_env(env_id, n, batched=False)  # Gymnasium's own Ant (test_ant.py: ours)
    policy = MLPPolicy.for_spaces(envs.single_observation_space, envs.single_action_space, (8, 8))
    rng = np.random.default_rng(1)
    params = rng.normal(0, spread, size=(n, policy.n_params)).astype(np.float32)
    for seed in (0, 1):  # a second batch on the same environments starts afresh
        expected = whole_vector_step(envs, policy.batch(params), 0.99, seed)
        result = rollout(envs, policy.batch(params), 0.99, seed)
        assert np.array_equal(result.steps, expected.steps)
        assert np.array_equal(result.discounted_returns, expected.discounted_returns)
        assert len(set(result.steps.tolist())) > 1, "episodes of one length test nothing"
        elapsed = [env.get_wrapper_attr("_elapsed_steps") for env in envs.envs]
        assert elapsed == result.steps.tolist()  # no sub-environment stepped past its end


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
