"""ES and ESPC on MuJoCo Ant (report 4.7), when the ``mujoco`` extra is installed; our batched
Ant (:class:`algorithms.ant.AntBatch`) against Gymnasium's ``Ant-v5``, and the stored Ant runs."""

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
from netsim.journal import RolloutJournal
from netsim.runner import trial_seed
from netsim.simulation import simulate

pytest.importorskip("mujoco")

from algorithms.ant import AntBatch  # noqa: E402  (needs mujoco)

STORED = Path(__file__).parents[1] / "results"

ANT = {"hidden": (64, 64), "learning_rate": 0.005, "sigma": 0.02, "gamma": 0.99}


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


def wide_actor(n: int, spread: float, seed: int):
    """An MLP policy per ant with widely spread parameters: episodes from a few steps to 1000."""
    ants = AntBatch(1)
    policy = MLPPolicy.for_spaces(ants.single_observation_space, ants.single_action_space, (8, 8))
    rng = np.random.default_rng(seed)
    return policy.batch(rng.normal(0, spread, size=(n, policy.n_params)).astype(np.float32))


@pytest.mark.parametrize("threads", [1, 2])
def test_the_batched_ant_steps_as_gymnasiums_ant_v5_to_the_bit(threads):
    n = 8
    gymnasium = make_vector_env("Ant-v5", n, batched=False)
    assert isinstance(gymnasium, gym.vector.SyncVectorEnv)
    ours = AntBatch(n, threads=threads)
    act = wide_actor(n, 1.0, seed=1)
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


def test_batched_ant_episodes_equal_gymnasiums_in_return_and_length():
    n, gamma, seeds = 6, 0.99, [3, 14, 15, 92, 65, 35]  # one seed each, as a worker pool passes
    act = wide_actor(n, 3.0, seed=2)
    ours = rollout(AntBatch(n, threads=2), act, gamma, seeds)
    theirs = rollout(make_vector_env("Ant-v5", n, batched=False), act, gamma, seeds)
    assert len(set(ours.steps.tolist())) > 1
    assert np.array_equal(ours.steps, theirs.steps)
    assert np.array_equal(ours.discounted_returns, theirs.discounted_returns)


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
