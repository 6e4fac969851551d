"""ES and ESPC on MuJoCo Ant (report 4.7), when the ``mujoco`` extra is installed; our batched
Ant (:class:`algorithms.ant.AntBatch`) against Gymnasium's ``Ant-v5``, with its default settings
and as ``netsim/Ant-v4-like``, that form against Gymnasium's ``Ant-v4``, and the stored Ant runs."""

from pathlib import Path

import gymnasium as gym
import numpy as np
import pandas as pd
import pytest

import netsim
from algorithms import ALGORITHMS, Problem
from algorithms.es import ESAgents
from algorithms.policies import MLPPolicy
from algorithms.rollout import make_vector_env, rollout
from netsim.catalog import load_scenario
from netsim.envs import ANT_FORMS
from netsim.journal import RolloutJournal
from netsim.runner import trial_seed
from netsim.simulation import simulate

pytest.importorskip("mujoco")

from algorithms.ant import AntBatch  # noqa: E402  (needs mujoco)

STORED = Path(__file__).parents[1] / "results"

ANT = {"hidden": (64, 64), "learning_rate": 0.005, "sigma": 0.02, "gamma": 0.99}

V4_LIKE = "netsim/Ant-v4-like"
FORMS = [("Ant-v5", {}), (V4_LIKE, ANT_FORMS[V4_LIKE])]
"""Each batched Ant's id, and the settings Gymnasium's ``Ant-v5`` is made with to match it."""


def gymnasiums(n: int, settings: dict) -> gym.vector.SyncVectorEnv:
    """``n`` of Gymnasium's own ``Ant-v5`` made with ``settings``, one sync vector environment."""
    return gym.vector.SyncVectorEnv([lambda: gym.make("Ant-v5", **settings)] * n)


def first_episode(rollout_workers: int) -> tuple[np.ndarray, list[bytes | None]]:
    espc = ALGORITHMS["espc"]
    config = espc.make_config({**ANT, "m": 2, "k": 5})
    problem = Problem("Ant-v5", 3, np.random.SeedSequence(5), rollout_workers=rollout_workers)
    agents = espc.agents_type(config, problem)
    batch = agents.run_episodes(espc.learner_type(config, problem).policy_payload(), np.arange(3))
    return batch.rewards, batch.reports


def test_ant_policy_is_105_inputs_to_8_tanh_actions():
    agents = ESAgents(
        ALGORITHMS["es"].make_config(ANT), Problem("Ant-v5", 1, np.random.SeedSequence(0))
    )
    assert agents.policy.sizes == (105, 64, 64, 8)
    actions = agents.policy.act(
        np.full((1, agents.policy.n_params), 5.0, np.float32), np.ones((1, 105))
    )
    assert np.all(np.abs(actions) <= 1.0)


def test_ant_episodes_over_rollout_workers_equal_the_serial_ones():
    # two workers: AntBatch steps the ants on two threads
    serial_rewards, serial_reports = first_episode(1)
    pooled_rewards, pooled_reports = first_episode(2)
    assert np.array_equal(serial_rewards, pooled_rewards)
    assert serial_reports == pooled_reports


def test_an_ant_trial_sends_the_float32_policy_down_and_12_byte_reports_up(tmp_path):
    variant = netsim.Variant("ES", "es", netsim.star(3, 1e6, 0.01), env="Ant-v5", config=ANT)
    scenario = netsim.Scenario("ant", [variant], episodes=2, trials=1, seed=0)
    run = netsim.run(scenario, tmp_path, backend="serial", plots=False, progress=False)
    metrics = run.to_pandas()
    policy_bytes = 4 * ((105 + 1) * 64 + (64 + 1) * 64 + (64 + 1) * 8)  # float32 weights, biases
    packets = -(-policy_bytes // 1460)  # 1500-byte MTU, 40-byte headers
    assert len(metrics) == 6
    assert (metrics.downlink_wire_bytes == policy_bytes + 40 * packets).all()
    assert (metrics.payload_bytes == 12).all() and (metrics.sent == 1).all()
    assert metrics.steps.between(1, 1000).all() and metrics.reward.notna().all()


def test_an_ant_trial_resumed_from_its_journal_equals_the_uninterrupted_one(tmp_path):
    # a fresh vector environment after the replayed batch must play as the used one would
    variant = netsim.Variant(
        "ESPC", "espc", netsim.star(2, 1e6, 0.01), env="Ant-v5", config={**ANT, "m": 1, "k": 3}
    )
    seed = np.random.SeedSequence(4)
    simulate(variant, 1, seed, RolloutJournal(tmp_path, keep_after_s=0))
    resumed = RolloutJournal(tmp_path, keep_after_s=0)
    replayed = simulate(variant, 2, seed, resumed)["metrics"]
    assert resumed.replayed == 1
    pd.testing.assert_frame_equal(replayed, simulate(variant, 2, seed)["metrics"])


def test_the_v4_like_ant_policy_is_27_inputs_and_6472_parameters():
    agents = ESAgents(
        ALGORITHMS["es"].make_config(ANT), Problem(V4_LIKE, 1, np.random.SeedSequence(0))
    )
    assert agents.policy.sizes == (27, 64, 64, 8) and agents.policy.n_params == 6472


def wide_actor(n: int, spread: float, seed: int, env_id: str = "Ant-v5"):
    """An MLP policy per ant with widely spread parameters: episodes from a few steps to 1000."""
    ants = AntBatch(1, env_id=env_id)
    policy = MLPPolicy.for_spaces(ants.single_observation_space, ants.single_action_space, (8, 8))
    rng = np.random.default_rng(seed)
    return policy.batch(rng.normal(0, spread, size=(n, policy.n_params)).astype(np.float32))


@pytest.mark.parametrize(("env_id", "settings"), FORMS)
@pytest.mark.parametrize("threads", [1, 2])
def test_the_batched_ant_steps_as_gymnasiums_ant_v5_to_the_bit(threads, env_id, settings):
    n = 8
    gymnasium = gymnasiums(n, settings)
    ours = make_vector_env(env_id, n, threads=threads)
    assert isinstance(ours, AntBatch) and ours.single_observation_space == (
        gymnasium.single_observation_space
    )
    act = wide_actor(n, 1.0, seed=1, env_id=env_id)
    for seed in (7, [30, 2, 11, 4, 5, 6, 90, 8]):  # a second batch on the same ants starts afresh
        theirs, _ = gymnasium.reset(seed=seed)
        observations, _ = ours.reset(seed=seed)
        assert np.array_equal(observations, theirs)
        active, steps = np.ones(n, dtype=bool), np.zeros(n, dtype=np.int64)
        while active.any():
            actions = act(theirs)
            expected = [np.zeros(n), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)]
            for i in np.flatnonzero(active):
                theirs[i], *outcome, _ = gymnasium.envs[i].step(actions[i])
                for column, value in zip(expected, outcome, strict=True):
                    column[i] = value
            observations, *got = ours.step_running(actions, active, observations)
            assert np.array_equal(observations, theirs)
            for column, value in zip(expected, got, strict=True):
                assert np.array_equal(column, value) and column.dtype == value.dtype
            steps += active
            active &= ~(expected[1] | expected[2])
        assert steps.max() == 1000 and steps.min() < 100, "both endings, falling and the limit"
    ours.close()


@pytest.mark.parametrize(("env_id", "settings"), FORMS)
def test_batched_ant_episodes_equal_gymnasiums_in_return_and_length(env_id, settings):
    n, gamma, seeds = 6, 0.99, [3, 14, 15, 92, 65, 35]  # one seed each, as a worker pool passes
    act = wide_actor(n, 3.0, seed=2, env_id=env_id)
    ours = rollout(AntBatch(n, threads=2, env_id=env_id), act, gamma, seeds)
    theirs = rollout(gymnasiums(n, settings), act, gamma, seeds)
    assert len(set(ours.steps.tolist())) > 1
    assert np.array_equal(ours.steps, theirs.steps)
    assert np.array_equal(ours.discounted_returns, theirs.discounted_returns)


def test_the_v4_like_ant_is_gymnasiums_ant_v4_but_for_the_healthy_reward_of_a_fall():
    """Ant-v4 pays the healthy reward on the step an ant falls, Ant-v5 does not (netsim.envs)."""
    n = 6
    with pytest.warns(DeprecationWarning, match="Ant-v4 is out of date"):
        v4 = gym.vector.SyncVectorEnv([lambda: gym.make("Ant-v4")] * n)
    ours = AntBatch(n, env_id=V4_LIKE)
    act = wide_actor(n, 3.0, seed=2, env_id=V4_LIKE)
    theirs, _ = v4.reset(seed=[3, 14, 15, 92, 65, 35])
    observations, _ = ours.reset(seed=[3, 14, 15, 92, 65, 35])
    assert np.array_equal(observations, theirs)
    active, falls, steps = np.ones(n, dtype=bool), 0, 0
    while active.any():
        actions = act(theirs)
        observations, rewards, terminated, truncated = ours.step_running(
            actions, active, observations
        )
        for i in np.flatnonzero(active):
            theirs[i], reward, v4_terminated, v4_truncated, _ = v4.envs[i].step(actions[i])
            assert (v4_terminated, v4_truncated) == (terminated[i], truncated[i])
            if terminated[i]:
                assert reward - rewards[i] == pytest.approx(1.0, abs=1e-12)
                falls += 1
            else:
                assert reward == rewards[i]
            steps += 1
        assert np.array_equal(observations[active], theirs[active])
        active &= ~(terminated | truncated)
    assert falls > 0 and steps > falls


def test_a_batch_refuses_an_environment_it_does_not_implement():
    with pytest.raises(ValueError, match="CartPole-v1 is not Gymnasium's Ant-v5 class"):
        AntBatch(1, env_id="CartPole-v1")
    for setting in ("exclude_current_positions_from_observation", "terminate_when_unhealthy"):
        env_id = f"test/Ant-{setting}"
        gym.register(env_id, entry_point=gym.spec("Ant-v5").entry_point, kwargs={setting: False})
        try:
            with pytest.raises(ValueError, match=f"steps only {setting}=True"):
                make_vector_env(env_id, 1)
        finally:
            del gym.registry[env_id]


def test_a_batch_refuses_seeds_of_another_size_and_no_ants():
    with pytest.raises(ValueError, match="3 seeds for a batch of 2 ants"):
        AntBatch(2).reset(seed=[1, 2, 3])
    with pytest.raises(ValueError, match="num_envs = 0"):
        AntBatch(0)


def test_the_stored_fig4_6_ant_run_replays_its_first_episode_to_the_bit():
    scenario = load_scenario("fig4_6_ant")
    variant = scenario.variants[0]  # ES n=25: 25 ants, 1000 steps each
    assert variant.name == "ES n=25"
    stored = pd.read_parquet(STORED / "fig4_6_ant" / "parts" / "v0000-t0000" / "metrics.parquet")
    replayed = simulate(variant, 1, trial_seed(scenario.seed, 0))["metrics"]
    first = stored[stored.episode == 0].reset_index(drop=True)[replayed.columns]
    pd.testing.assert_frame_equal(replayed, first, check_exact=True)
