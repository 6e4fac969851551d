"""The benchmark suite runs end to end at toy sizes and prints its ratios (no timing is asserted)."""

import copy

import numpy as np
import pytest

from netsim.bench import learning, rollout, scale
from netsim.cli import main


def test_learning_bench_runs_simulator_and_bare_loop_to_the_same_policy(capsys):
    ratios = learning.main(n_agents=3, episodes=2, warmup=1, repeats=1, short_sizes=(4,))
    assert set(ratios) == {
        "simulator / bare batched loop",
        "naive loop, PyTorch policy / simulator",
        "naive loop, numpy policy / simulator",
        "short episodes: simulator / bare loop n=4",
    }
    out = capsys.readouterr().out
    assert "us/agent-step" in out
    assert "n =      4: simulator" in out


def test_the_short_episode_case_plays_cart_pole_cut_to_its_limit():
    learning.register_short_env()
    start = learning.trained(5, warmup=0, seed=2, env=learning.SHORT_ENV)
    steps, _ = learning.bare_batched_loop(start, 3)
    long_steps, _ = learning.bare_batched_loop(learning.trained(5, warmup=0, seed=2), 3)
    assert steps <= 3 * 5 * learning.SHORT_STEPS < long_steps


def test_the_naive_loops_pytorch_policy_acts_as_our_mlp():
    _, agents = learning.trained(2, warmup=1, seed=3)
    rng = np.random.default_rng(0)
    params = agents.policy.initial_params(rng)
    ours = learning.numpy_actor(agents.policy, params)
    theirs = learning.torch_actor(agents.policy, params)
    observations = rng.normal(size=(200, 4)).astype(np.float32)
    actions = [ours(observation) for observation in observations]
    assert actions == [theirs(observation) for observation in observations]
    assert 0 < sum(actions) < len(actions)  # both actions occur: the comparison can fail


def test_the_simulator_contender_is_the_bare_loop_plus_the_network():
    start = learning.trained(4, warmup=2, seed=3)
    simulated = learning.simulator(copy.deepcopy(start), 3, seed=3)
    bare = learning.bare_batched_loop(copy.deepcopy(start), 3)
    assert simulated == bare


def test_a_scale_measurement_runs_in_a_fresh_process():
    result = scale._measure(5, rounds=1, seed=1)
    assert result["agent_episodes"] == 5
    assert result["peak_rss_bytes"] >= result["growth_bytes"] >= 0


def test_scale_bench_prints_cost_and_memory_per_size(capsys, monkeypatch):
    monkeypatch.setattr(scale, "_measure", scale.child)  # in this process: quicker
    ratios = scale.main(sizes=(5, 10), rounds=1, repeats=1)
    assert list(ratios) == [
        "scale: per agent-episode n=10 / n=5",
        "scale: CPU per agent-step n=10 / n=5",
    ]
    out = capsys.readouterr().out
    assert "peak RSS" in out and "CPU us/agent-step" in out and "    10 " in out


def test_cli_refuses_a_single_scale_size(capsys):
    with pytest.raises(SystemExit):
        main(["bench", "scale", "--sizes", "100"])
    assert "at least two sizes" in capsys.readouterr().err


def test_rollout_bench_checks_both_contenders_agree_and_prints_their_ratio(capsys):
    pytest.importorskip("mujoco")
    ratios = rollout.main(n_agents=2, spreads=(0.1,), repeats=1)
    assert list(ratios) == ["rollout, spread 0.1: running only / whole vector step"]
    assert ratios["rollout, spread 0.1: running only / whole vector step"] > 0
    assert "episodes of" in capsys.readouterr().out


def test_ant_bench_replays_one_batch_through_every_contender_and_prints_their_ratios(capsys):
    pytest.importorskip("mujoco")
    from netsim.bench import ant

    ratios = ant.main(n_agents=3, steps=4, repeats=1)  # it raises unless all replay alike
    assert list(ratios) == [
        "ant: ours / raw physics floor",
        "ant: Gymnasium / raw physics floor",
        "ant: ours 2 threads / 1 thread (wall)",
        "ant: floor 2 threads / ours 1 thread (wall)",
        "ant: ours 2 threads / floor 2 threads (wall)",
    ]
    assert all(ratio > 0 for ratio in ratios.values())
    assert "replaying 12 recorded ant-steps" in capsys.readouterr().out


def test_network_bench_prints_every_model_side_by_side_and_compares_each_with_fair(capsys):
    from netsim.bench import network
    from netsim.network import MODELS

    ratios = network.main(small=10, large=20, agents_per_edge=10, repeats=1)
    header = capsys.readouterr().out.splitlines()[1]
    assert all(model in header for model in MODELS)
    assert set(ratios) == {"network: per event n=20 / n=10"} | {
        f"network: {model} / fair per event n=20" for model in set(MODELS) - {"fair"}
    }
    assert all(ratio > 0 for ratio in ratios.values())


def test_filling_bench_checks_both_fillings_agree_and_prints_their_ratios(capsys):
    from netsim.bench import filling

    ratios = filling.main(sizes=(70, 90), repeats=1)  # it raises unless the values agree
    assert list(ratios) == [
        "filling: vectorised / exact n=70",
        "filling: vectorised / exact n=90",
        "broadcast: fair-vectorised / fair n=70",
    ]
    assert all(ratio > 0 for ratio in ratios.values())
    assert "whole broadcast to 70 agents" in capsys.readouterr().out
