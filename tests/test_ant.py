"""ES and ESPC on MuJoCo Ant (report 4.7), when the ``mujoco`` extra is installed."""

import numpy as np
import pandas as pd
import pytest

import netsim
from algorithms import ALGORITHMS, Problem
from algorithms.es import ESAgents
from netsim.journal import RolloutJournal
from netsim.simulation import simulate

pytest.importorskip("mujoco")

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


def test_ant_episodes_over_worker_processes_equal_the_serial_ones():
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
