"""DQL, EBCDQL and DAVIA: each rule on a small hand-computed case, their payloads, and that they
learn Simple Grid as the report says."""

import gymnasium as gym
import numpy as np
import pytest

import netsim
from algorithms import ALGORITHMS, Problem
from algorithms.davia import DAVIAConfig, objective_decrease, semi_gradient
from algorithms.dql import DQLConfig, QLearner
from algorithms.ebcdql import triggered
from algorithms.policies import MLPPolicy
from algorithms.tabular import (
    OwnStreamsActor,
    decode_samples,
    encode_samples,
    grouped_mean_update,
    sample_dtype,
    td_errors,
)

SIMPLE_GRID = "netsim/SimpleGrid-v0"


def _samples(rows):
    s, a, r, s_next = (np.array(column) for column in zip(*rows, strict=True))
    return decode_samples(
        sample_dtype(25, 5), [encode_samples(sample_dtype(25, 5), s, a, r, s_next)]
    )


def test_a_sample_is_seven_bytes_on_a_5x5_grid_and_round_trips():
    dtype = sample_dtype(25, 5)
    payload = encode_samples(
        dtype, np.array([3, 24]), np.array([1, 4]), np.array([-1.0, 0.5]), np.array([4, 0])
    )
    assert len(payload) == 2 * 7
    back = decode_samples(dtype, [payload])
    assert back["s"].tolist() == [3, 24] and back["r"].tolist() == [-1.0, 0.5]
    assert sample_dtype(300, 5)["s"].itemsize == 2  # more states than a byte holds


def test_dql_updates_each_state_action_by_the_mean_td_error_of_its_group():
    q = np.zeros((25, 5))
    q[1] = [0.0, 2.0, 0.0, 0.0, 0.0]  # max_a' Q(1, a') = 2
    q[0, 1] = 1.0
    samples = _samples([(0, 1, -1.0, 1), (0, 1, -1.0, 0), (5, 3, 0.0, 1)])
    gamma, alpha = 0.9, 0.5
    deltas = td_errors(q, samples["s"], samples["a"], samples["r"], samples["s_next"], gamma)
    # delta = r + gamma max Q(s') - Q(s, a): -1 + 1.8 - 1 = -0.2; -1 + 0.9 - 1 = -1.1; 0 + 1.8 - 0
    np.testing.assert_allclose(deltas, [-0.2, -1.1, 1.8])
    updated = grouped_mean_update(q, samples, deltas, alpha)
    assert updated[0, 1] == pytest.approx(1.0 + 0.5 * (-0.2 - 1.1) / 2)
    assert updated[5, 3] == pytest.approx(0.5 * 1.8)
    changed = np.argwhere(updated != q).tolist()
    assert changed == [[0, 1], [5, 3]]


def test_the_dql_learner_does_not_depend_on_the_order_reports_arrive_in():
    config = DQLConfig()
    problem = Problem(SIMPLE_GRID, 2, np.random.SeedSequence(0))
    dtype = sample_dtype(25, 5)
    first = encode_samples(
        dtype, np.array([0, 1]), np.array([1, 3]), np.array([-1.0, -1.0]), np.array([1, 6])
    )
    second = encode_samples(dtype, np.array([0]), np.array([1]), np.array([-1.0]), np.array([1]))
    one, other = QLearner(config, problem), QLearner(config, problem)
    one.update([first, second])
    other.update([second, first])
    assert one.policy_payload() == other.policy_payload()
    assert len(one.policy_payload()) == 25 * 5 * 4  # Q as float32


def test_ebcdql_sends_what_beats_max_of_rho_times_the_running_mean_and_the_floor():
    deltas = np.array([0.5, -0.3, 0.1, 2.0, 0.05])
    send, after = triggered(deltas, running_mean=0.0, rho=1.0, beta=0.5, floor=0.2)
    # L before each sample: 0, 0.25, 0.275, 0.1875, 1.09375; thresholds max(L, 0.2):
    # 0.2, 0.25, 0.275, 0.2, 1.09375; |delta| 0.5, 0.3, 0.1, 2.0, 0.05
    assert send.tolist() == [True, True, False, True, False]
    assert after == pytest.approx(0.5 * 1.09375 + 0.5 * 0.05)
    send, _ = triggered(deltas, running_mean=4.0, rho=0.5, beta=0.5, floor=0.0)
    # L: 4, 2.25, 1.275, 0.6875, 1.34375; thresholds 2, 1.125, 0.6375, 0.34375, 0.671875
    assert send.tolist() == [False, False, False, True, False]


def test_an_ebcdql_agent_with_nothing_above_the_threshold_sends_nothing():
    algorithm = ALGORITHMS["ebcdql"]
    config = algorithm.make_config({"threshold_floor": 1e9})
    problem = Problem(SIMPLE_GRID, 3, np.random.SeedSequence(1))
    learner, agents = (
        algorithm.learner_type(config, problem),
        algorithm.agents_type(config, problem),
    )
    batch = agents.run_episodes(learner.policy_payload(), np.arange(3))
    assert batch.reports == [None, None, None]
    assert (batch.steps > 0).all()


def test_davias_semi_gradient_and_its_objective_on_a_hand_computed_episode():
    theta = np.zeros(25)
    theta[[0, 1, 2]] = [1.0, 2.0, -1.0]
    s = np.array([0, 1, 0])
    targets = np.array([0.0, 1.0, 3.0])  # residuals theta[s] - y: 1, 1, -2
    gradient, residuals = semi_gradient(theta, s, targets)
    expected = np.zeros(25)
    expected[0], expected[1] = (1.0 - 2.0) / 3, 1.0 / 3
    np.testing.assert_allclose(gradient, expected)
    # J(theta) = (1 + 1 + 4) / 6 = 1; after a step of 1: residuals 1 + 1/3, 1 - 1/3, -2 + 1/3
    after = ((4 / 3) ** 2 + (2 / 3) ** 2 + (5 / 3) ** 2) / 6
    assert objective_decrease(residuals, s, gradient, 1.0) == pytest.approx(1.0 - after)


def test_davias_threshold_rises_to_lambda_at_the_horizon():
    config = DAVIAConfig(threshold=2.0, threshold_growth=1.1, horizon=11)
    thresholds = config.communication_threshold(np.array([0, 5, 10]))
    np.testing.assert_allclose(thresholds, [2.0 / 1.1**10, 2.0 / 1.1**5, 2.0])


def test_davias_falling_threshold_takes_the_rising_ones_in_reverse_and_rising_is_the_default():
    assert DAVIAConfig().threshold_direction == "rising"
    falling = DAVIAConfig(
        threshold=2.0, threshold_growth=1.1, horizon=11, threshold_direction="falling"
    )
    thresholds = falling.communication_threshold(np.array([0, 5, 10]))
    np.testing.assert_allclose(thresholds, [2.0, 2.0 / 1.1**5, 2.0 / 1.1**10])
    with pytest.raises(ValueError, match="threshold_direction = 'down'"):
        DAVIAConfig(threshold_direction="down")


@pytest.mark.parametrize("direction, sends", [("rising", True), ("falling", False)])
def test_a_falling_threshold_silences_davias_first_episodes(direction, sends):
    """At episode 0 the default threshold is lambda / rho^999 = 0.007 rising and lambda = 1
    falling; a first step on Simple Grid lowers J_i by at most J_i(0) = 1/2 (every residual 1 but
    the goal's)."""
    algorithm = ALGORITHMS["davia"]
    problem = Problem(SIMPLE_GRID, 3, np.random.SeedSequence(2))
    config = algorithm.make_config({"threshold_direction": direction})
    learner = algorithm.learner_type(config, problem)
    batch = algorithm.agents_type(config, problem).run_episodes(
        learner.policy_payload(), np.arange(3)
    )
    assert [report is not None for report in batch.reports] == [sends] * 3


def test_a_davia_agent_reports_only_when_its_step_improves_the_fit_enough():
    algorithm = ALGORITHMS["davia"]
    problem = Problem(SIMPLE_GRID, 2, np.random.SeedSequence(2))
    talkative = algorithm.make_config({"threshold": 0.0})
    learner = algorithm.learner_type(talkative, problem)
    batch = algorithm.agents_type(talkative, problem).run_episodes(
        learner.policy_payload(), np.arange(2)
    )
    assert all(len(report) == 25 * 4 for report in batch.reports)  # theta's gradient, float32
    silent = algorithm.make_config({"threshold": 1e9, "threshold_growth": 1.0})
    batch = algorithm.agents_type(silent, problem).run_episodes(
        learner.policy_payload(), np.arange(2)
    )
    assert batch.reports == [None, None]


def test_davia_plans_with_the_model_and_refuses_an_environment_without_one():
    with pytest.raises(ValueError, match="tabular_model"):
        netsim.Variant("bad", "davia", netsim.star(2, 1e6), env="FrozenLake-v1")


@pytest.mark.parametrize("name", ["dql", "ebcdql", "davia"])
def test_tabular_algorithms_refuse_a_continuous_environment(name):
    with pytest.raises(ValueError, match="variant 'bad'.*discrete observation space.*CartPole"):
        netsim.Variant("bad", name, netsim.star(2, 1e6), env="CartPole-v1")


def act_many(epsilon: float, agents: int, steps: int) -> np.ndarray:
    """Actions of ``agents`` agents on a row of values with two best actions, for ``steps`` steps."""
    values = np.broadcast_to([[0.0, 1.0, 1.0, -1.0]], (agents, 1, 4))
    streams = [np.random.default_rng(j) for j in range(agents)]
    actor = OwnStreamsActor(values, np.full(agents, epsilon), streams)
    states, active = np.zeros(agents, dtype=np.int64), np.ones(agents, dtype=bool)
    return np.concatenate([actor(states, active) for _ in range(steps)])


def test_epsilon_greedy_breaks_ties_uniformly_and_explores_at_rate_epsilon():
    greedy = act_many(0.0, 200, 100)
    assert set(np.unique(greedy)) == {1, 2}
    assert np.mean(greedy == 1) == pytest.approx(0.5, abs=0.02)
    explored = act_many(0.4, 200, 100)
    assert np.mean(explored == 3) == pytest.approx(0.4 / 4, abs=0.01)
    assert np.mean(explored == 0) == pytest.approx(0.4 / 4, abs=0.01)


def test_an_agent_draws_the_same_actions_whoever_it_is_batched_with_and_however_long_they_play():
    values = np.broadcast_to(np.zeros((3, 4)), (3, 3, 4))
    actor = OwnStreamsActor(values, np.full(3, 0.5), [np.random.default_rng(j) for j in range(3)])
    alone = OwnStreamsActor(values[:1], np.full(1, 0.5), [np.random.default_rng(0)])
    states = np.zeros(3, dtype=np.int64)
    for step in range(100):  # agents 1 and 2 finish early, across a block boundary
        active = np.array([True, step < 40, step < 3])
        assert actor(states, active)[0] == alone(states[:1], active[:1])[0]


def test_an_mlp_policy_on_a_discrete_space_acts_from_its_state_table_as_it_would_step_by_step():
    policy = MLPPolicy.for_spaces(gym.spaces.Discrete(25), gym.spaces.Discrete(5), (4, 4))
    rng = np.random.default_rng(0)
    params = rng.normal(size=(6, policy.n_params)).astype(np.float32)
    table = policy.batch(params)
    for _ in range(5):
        states = rng.integers(25, size=6)
        np.testing.assert_array_equal(table(states), policy.act(params, states))
    rows = np.array([4, 1])
    np.testing.assert_array_equal(
        table.select(rows)(states[rows]), policy.act(params[rows], states[rows])
    )


def _learn(name, episodes, seed=0):
    algorithm = ALGORITHMS[name]
    config = algorithm.make_config()
    problem = Problem(SIMPLE_GRID, 5, np.random.SeedSequence(seed))
    learner, agents = (
        algorithm.learner_type(config, problem),
        algorithm.agents_type(config, problem),
    )
    rewards, frequency = [], []
    for _ in range(episodes):
        batch = agents.run_episodes(learner.policy_payload(), np.arange(5))
        reports = [report for report in batch.reports if report is not None]
        learner.update(reports)
        rewards.append(batch.rewards.mean())
        frequency.append(len(reports) / 5)
    return np.array(rewards), np.array(frequency)


OPTIMUM = -(1 - 0.9**7) / 0.1


@pytest.mark.parametrize("name", ["dql", "davia"])
def test_dql_and_davia_reach_simple_grids_optimal_return(name):
    rewards, _ = _learn(name, 300)
    assert rewards[:10].mean() < -8
    np.testing.assert_allclose(rewards[-20:], OPTIMUM, rtol=1e-6)


def test_davia_communicates_less_once_learning_settles():
    _, frequency = _learn("davia", 300)
    assert frequency[:40].mean() == 1.0
    assert frequency[150:].mean() < 0.1
