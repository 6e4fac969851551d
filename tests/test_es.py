"""ES (report 2.4.4, equation 2.1): shared-seed noise, scalar reports, the gradient estimate."""

import numpy as np
import pytest

from algorithms import ALGORITHMS, Problem
from algorithms.es import REPORT, ESConfig, ESLearner, NoiseKey
from algorithms.policies import MLPPolicy


def problem(n: int = 4, seed: int = 7) -> Problem:
    return Problem("CartPole-v1", n, np.random.SeedSequence(seed))


def test_learner_steps_along_one_over_n_sigma_sum_f_eps():
    """Plain SGD with learning rate 1 and no L2 turns the update into theta += g exactly."""
    config = ESConfig(optimizer="momentum", momentum=0.0, learning_rate=1.0, l2=0.0, sigma=0.1)
    learner = ESLearner(config, problem())
    before = learner.theta.detach().numpy().copy()
    returns = {0: 10.0, 1: 30.0, 3: -4.5}  # agent -> F (agent 2 stayed silent)
    learner.update([REPORT.pack(agent, 5, value) for agent, value in returns.items()])
    noise = NoiseKey.for_problem(problem())
    expected = np.zeros(before.shape, dtype=np.float64)
    for agent, value in returns.items():
        expected += value * noise.perturbations(np.array([agent]), np.array([5]), len(before))[0]
    expected /= len(returns) * config.sigma
    assert learner.theta.detach().numpy() - before == pytest.approx(expected, rel=1e-5, abs=1e-6)


def test_update_does_not_depend_on_report_arrival_order():
    reports = [REPORT.pack(agent, 0, float(agent) + 0.25) for agent in range(4)]
    first, second = ESLearner(ESConfig(), problem()), ESLearner(ESConfig(), problem())
    first.update(reports)
    second.update(reports[::-1])
    assert np.array_equal(first.theta.detach().numpy(), second.theta.detach().numpy())


def test_no_reports_no_update():
    learner = ESLearner(ESConfig(), problem())
    before = learner.policy_payload()
    learner.update([])
    assert learner.policy_payload() == before


def test_agents_use_the_noise_the_learner_regenerates_and_report_only_scalars():
    """An agent's return is the return of theta + sigma * eps_i with the learner's eps_i."""
    es = ALGORITHMS["es"]
    config = es.make_config()
    learner, agents = es.learner_type(config, problem()), es.agents_type(config, problem())
    batch = agents.run_episodes(learner.policy_payload(), np.arange(4))
    assert all(report is not None and len(report) == REPORT.size == 12 for report in batch.reports)
    decoded = [REPORT.unpack(report) for report in batch.reports]
    assert [d[:2] for d in decoded] == [(a, 0) for a in range(4)]
    assert [d[2] for d in decoded] == pytest.approx(batch.rewards, rel=1e-6)
    assert np.array_equal(batch.rewards, batch.steps)  # Cart Pole, gamma = 1: +1 per step
    # the next episode draws fresh noise: the episode index moves on
    second = agents.run_episodes(learner.policy_payload(), np.arange(4))
    assert [REPORT.unpack(r)[1] for r in second.reports] == [1, 1, 1, 1]


def test_same_seed_same_episodes():
    es = ALGORITHMS["es"]
    config = es.make_config()
    runs = []
    for _ in range(2):
        learner, agents = es.learner_type(config, problem()), es.agents_type(config, problem())
        runs.append(agents.run_episodes(learner.policy_payload(), np.arange(4)).rewards)
    assert np.array_equal(*runs)


def test_mlp_policy_computes_tanh_layers_and_argmax():
    import gymnasium as gym

    policy = MLPPolicy.for_spaces(gym.spaces.Box(-1, 1, (2,)), gym.spaces.Discrete(2), hidden=(1,))
    assert policy.n_params == (2 + 1) * 1 + (1 + 1) * 2
    # hidden h = tanh(1*x0 - 1*x1 + 0); outputs (2h + 0, -2h + 0.1)
    params = np.array([[1.0, -1.0, 0.0, 2.0, -2.0, 0.0, 0.1]], dtype=np.float32)
    assert policy.act(
        np.repeat(params, 2, axis=0), np.array([[1.0, 0.0], [0.0, 1.0]])
    ).tolist() == [0, 1]


def test_unknown_setting_is_named():
    with pytest.raises(ValueError, match=r"unknown es setting\(s\) \['sigmaa'\]"):
        ALGORITHMS["es"].make_config({"sigmaa": 0.1})


def test_unknown_algorithm_is_named():
    with pytest.raises(
        ValueError,
        match="unknown algorithm 'dqn' \\(did you mean 'dql'\\?\\); known: davia, dql, ebcdql, es, espc",
    ):
        ALGORITHMS["dqn"]


def test_learner_reads_the_noise_its_agents_drew_and_it_equals_the_key_s(monkeypatch):
    """The learner and agents of one problem share the rows the agents drew; a row is used only
    for the (agent, episode) it was drawn for, so kept or generated, eps is the key's."""
    shared = problem(n=3)
    agents = ALGORITHMS["es"].agents_type(ESConfig(), shared)
    learner = ESLearner(ESConfig(), shared)
    assert learner.noise is agents.noise
    dim = agents.policy.n_params
    drawn = agents.noise.draw(np.array([0, 2]), np.array([4, 1]), dim)
    generated: list[list[int]] = []
    original = NoiseKey.perturbations

    def spy(self, agents, episodes, dim):
        generated.append(np.asarray(agents).tolist())
        return original(self, agents, episodes, dim)

    monkeypatch.setattr(NoiseKey, "perturbations", spy)
    asked_agents, asked_episodes = np.array([2, 0, 1, 0]), np.array([1, 4, 0, 3])
    read = learner.noise.perturbations(asked_agents, asked_episodes, dim)
    assert generated == [[1, 0]]  # only the rows no slot held: agent 1, and agent 0's episode 3
    monkeypatch.undo()
    key = NoiseKey.for_problem(problem(n=3))
    assert np.array_equal(read, key.perturbations(asked_agents, asked_episodes, dim))
    assert np.array_equal(read[:2], drawn[::-1])
    assert not np.shares_memory(read, drawn)
