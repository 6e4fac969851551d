"""The report's ES / ESPC study (chapter 4): the p_comm scripts (figures 4.1, 4.7), the scenarios'
settings (figures 4.2-4.11), and rollouts spread over worker processes."""

import dataclasses
import sys

import numpy as np
import pytest
from scipy import stats

import netsim
import netsim.cli
from algorithms import ALGORITHMS, Problem
from algorithms.policies import MLPPolicy
from algorithms.rollout import RolloutPool, make_vector_env, rollout
from netsim.catalog import REPO_SCENARIOS, load_scenario

sys.path.insert(0, str(REPO_SCENARIOS))
import fig4_1_pcomm  # noqa: E402
import fig4_7_first_episode  # noqa: E402


def test_monte_carlo_of_p_comm_agrees_with_m_over_n_within_its_sampling_error():
    """Figure 4.1: the expectation is exactly m/n (a sum of m Beta integrals of 1/n each)."""
    z = np.random.default_rng(1).standard_normal(40_000)
    mean, stderr = fig4_1_pcomm.monte_carlo(z)
    errors = mean - np.arange(1, 51) / 50
    assert np.all(np.abs(errors) <= 4 * stderr)
    assert stderr.max() < 3e-3
    assert fig4_1_pcomm.quadrature() == pytest.approx(np.arange(1, 51) / 50, abs=1e-9)


def test_pcomm_script_writes_its_table_and_plot(tmp_path):
    assert netsim.cli.main(["run", "fig4_1_pcomm", "--quick", "--out", str(tmp_path)]) == 0
    table = (tmp_path / "pcomm.csv").read_text().splitlines()
    assert table[0] == "m,m_over_n,monte_carlo,error,standard_error,quadrature"
    assert len(table) == 51
    assert (tmp_path / "fig4_1_pcomm.png").stat().st_size > 0


def test_first_episode_probability_is_the_binomial_tail_at_one_half():
    """Figure 4.7: the script's table, with the agents' measured first-episode frequency."""
    table = fig4_7_first_episode.study(repeats=1, seed=0)
    m = table.m.to_numpy()
    assert table.p_comm.to_numpy() == pytest.approx(stats.binom.sf(49 - m, 49, 0.5), abs=1e-15)
    assert table.p_comm[m == 25].item() == pytest.approx(0.5)
    # far from m = 25 the tail is 0 or 1 to within 1e-4, and so is what 50 agents do
    assert (table.measured[m <= 12] == 0).all() and (table.measured[m >= 38] == 1).all()


def configs(scenario: netsim.Scenario) -> dict[str, tuple[int, dict]]:
    return {v.name: (v.n_agents, dict(v.config)) for v in scenario.variants}


def test_cart_pole_and_ant_studies_use_the_reports_settings():
    """Report 4.7-4.9: sizes, optimiser settings, m, k, episodes and trials of every figure."""
    cart = load_scenario("fig4_5_cartpole")
    assert (cart.trials, cart.episodes) == (20, 200)
    variants = configs(cart)
    assert {name: n for name, (n, _) in variants.items()} == {
        "ES n=25": 25,
        "ES n=50": 50,
        "ESPC n=50 m=25": 50,
    }
    n, espc = variants["ESPC n=50 m=25"]
    assert (espc["m"], espc["k"], espc["hidden"], espc["sigma"]) == (25, 5, (8, 8), 0.05)
    assert (espc["learning_rate"], espc["l2"], espc["gamma"]) == (0.01, 0.05, 1.0)
    sweep = load_scenario("fig4_8_cartpole_m")
    assert (sweep.trials, sweep.episodes) == (20, 200)
    ms = sorted(c["m"] for _, c in configs(sweep).values() if "m" in c)
    assert ms == [5, 10, 15, 30, 45] and {c.get("k", 10) for _, c in configs(sweep).values()} == {
        10
    }
    horizon = load_scenario("fig4_10_cartpole_k")
    assert (horizon.trials, horizon.episodes) == (10, 200)
    assert sorted(c["k"] for _, c in configs(horizon).values() if "k" in c) == [3, 10, 30]
    assert "ES n=50" in configs(horizon)


def test_grid_studies_add_espc_to_the_value_methods_with_30_agents():
    for name, env in [
        ("fig4_2_windy_grid", "netsim/WindyGrid-v0"),
        ("fig4_3_frozen_lake", "netsim/FrozenLake5x5-v0"),
    ]:
        scenario = load_scenario(name)
        assert (scenario.trials, scenario.episodes) == (5, 1000)
        assert [v.algorithm for v in scenario.variants] == ["dql", "ebcdql", "davia", "es", "espc"]
        assert {(v.env, v.n_agents) for v in scenario.variants} == {(env, 30)}
        espc = scenario.variants[-1].resolved_config()
        assert (espc.hidden, espc.optimizer) == ((4, 4), "momentum")


def test_the_v4_like_ant_studies_are_figure_4_6_and_4_9s_m_5_on_that_ant():
    """Every variant as its figure's, only the environment, episodes and trials cut."""
    figures = {
        v.name: v for name in ("fig4_6_ant", "fig4_9_ant_m") for v in load_scenario(name).variants
    }
    for name, expected in [
        ("ant_v4_like", ["ES n=25", "ES n=50", "ESPC n=50 m=25"]),
        ("ant_v4_like_m5", ["ESPC m=5"]),
    ]:
        scenario = load_scenario(name)
        assert [v.name for v in scenario.variants] == expected and scenario.seed == 0
        for variant in scenario.variants:
            assert variant.env == "netsim/Ant-v4-like"
            same = dataclasses.replace(variant, env="Ant-v5").to_dict()
            assert same == figures[variant.name].to_dict()
    assert load_scenario("ant_v4_like_m5").episodes > 120 > load_scenario("ant_v4_like").episodes


def test_quick_forms_keep_every_variant_under_their_own_name():
    for name in ["fig4_2_windy_grid", "fig4_5_cartpole", "fig4_8_cartpole_m"]:
        full, quick = load_scenario(name), load_scenario(name, quick=True)
        assert quick.name == f"{name}_quick"
        assert [v.name for v in quick.variants] == [v.name for v in full.variants]
        assert quick.trials * quick.episodes < full.trials * full.episodes


def pendulum_actor(n: int):
    env = make_vector_env("Pendulum-v1", 1)
    policy = MLPPolicy.for_spaces(env.single_observation_space, env.single_action_space, (8, 8))
    rng = np.random.default_rng(4)
    params = np.stack([policy.initial_params(rng) for _ in range(n)])
    return policy.batch(params)


def test_a_pooled_rollout_gives_the_serial_rollouts_results_exactly():
    """Pendulum (a sync vector environment, like Ant) over 2 workers, 5 agents in chunks 3 + 2."""
    n, seed = 5, 11
    serial = rollout(make_vector_env("Pendulum-v1", n), pendulum_actor(n), 0.99, seed)
    pooled = RolloutPool("Pendulum-v1", 2).rollout(pendulum_actor(n), n, 0.99, seed)
    assert np.array_equal(pooled.discounted_returns, serial.discounted_returns)
    assert np.array_equal(pooled.steps, serial.steps)
    assert len(set(serial.discounted_returns.tolist())) == n  # the agents' episodes differ


def test_a_native_vector_environment_is_not_pooled():
    with pytest.raises(ValueError, match="CartPole-v1 has a native vector form"):
        RolloutPool("CartPole-v1", 2)
    es = ALGORITHMS["es"]
    with pytest.raises(ValueError, match="native vector form"):
        es.agents_type(
            es.make_config(),
            Problem("CartPole-v1", 4, np.random.SeedSequence(0), rollout_workers=2),
        )


NESTED = """
import sys
import netsim

def scenario():
    network = netsim.star(4, bandwidth_bps=1e6, latency_s=0.01)
    config = {"hidden": (4,), "gamma": 0.99}
    variant = netsim.Variant("ES", "es", network, env="Pendulum-v1", config=config)
    return netsim.Scenario("nested", [variant], episodes=2, trials=2)

if __name__ == "__main__":
    netsim.run(scenario(), sys.argv[1], backend="processes", workers=2, plots=False, rollout_workers=2)
"""


def test_trials_in_worker_processes_with_pooled_rollouts_finish_with_the_serial_results(tmp_path):
    """Each trial worker starts its own rollout pool; the workers must still exit (a nested pool
    left running would keep its parent waiting forever), and the results equal a serial run's."""
    import subprocess

    script = tmp_path / "nested.py"
    script.write_text(NESTED)
    subprocess.run([sys.executable, str(script), str(tmp_path / "pooled")], check=True, timeout=300)
    sys.path.insert(0, str(tmp_path))
    try:
        import nested
    finally:
        sys.path.remove(str(tmp_path))
    serial = netsim.run(nested.scenario(), tmp_path / "serial", backend="serial", plots=False)
    columns = ["variant", "trial", "episode", "agent", "reward", "steps", "sent", "sim_time_s"]
    pooled = netsim.Results(tmp_path / "pooled").to_pandas()[columns]
    assert (
        pooled.sort_values(columns[:4])
        .reset_index(drop=True)
        .equals(serial.to_pandas()[columns].sort_values(columns[:4]).reset_index(drop=True))
    )
