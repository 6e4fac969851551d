"""ES fitness shaping (ESConfig.fitness): raw returns (the report's equation 2.1, the default),
mean-subtracted, or Salimans et al. 2017's centred ranks, over exactly the returns the learner
combines: a central learner's reports of the round (ES and ESPC), a decentralised peer's own set."""

import numpy as np
import pytest

from algorithms import ALGORITHMS, Problem
from algorithms.es import REPORT, ESConfig, ESLearner, ESPeers, shape_fitness
from algorithms.espc import ESPCConfig

RETURNS = {0: 10.0, 1: 30.0, 3: -4.5, 4: 12.25}
"""agent -> F of one round (agent 2 stayed silent)."""


def problem(n: int = 5, seed: int = 7) -> Problem:
    return Problem("CartPole-v1", n, np.random.SeedSequence(seed))


def learnt(config: ESConfig, returns: dict[int, float]) -> np.ndarray:
    """theta after one learner step on reports of ``returns`` at episode 5."""
    learner = ESLearner(config, problem())
    learner.update([REPORT.pack(agent, 5, value) for agent, value in returns.items()])
    return learner.theta.detach().numpy().copy()


def test_centred_ranks_run_evenly_from_minus_a_half_to_a_half_and_ties_share_their_mean_rank():
    assert shape_fitness(np.array([3.0, -1.0, 8.0]), "ranks").tolist() == [0.0, -0.5, 0.5]
    tied = shape_fitness(np.array([2.0, 5.0, 2.0, 9.0, 5.0]), "ranks")
    assert tied.tolist() == [-0.375, 0.125, -0.375, 0.5, 0.125]  # ranks 0.5, 2.5, 0.5, 4, 2.5
    assert shape_fitness(np.array([4.0, 9.0]), "centred").tolist() == [-2.5, 2.5]
    for fitness in ("centred", "ranks"):
        assert shape_fitness(np.array([7.0]), fitness).tolist() == [0.0]


def test_ranks_do_not_change_under_an_increasing_transform_of_the_returns():
    transformed = {
        agent: float(np.exp(value / 8.0) * 3.0 - 1.0) for agent, value in RETURNS.items()
    }
    ranks = ESConfig(fitness="ranks")
    assert np.array_equal(learnt(ranks, RETURNS), learnt(ranks, transformed))
    centred = ESConfig(fitness="centred")
    assert not np.array_equal(learnt(centred, RETURNS), learnt(centred, transformed))


def test_centred_returns_do_not_change_when_every_return_moves_by_a_constant():
    shifted = {agent: value + 96.0 for agent, value in RETURNS.items()}
    assert np.array_equal(
        learnt(ESConfig(fitness="centred"), RETURNS), learnt(ESConfig(fitness="centred"), shifted)
    )
    assert not np.array_equal(learnt(ESConfig(), RETURNS), learnt(ESConfig(), shifted))


def test_the_learner_shapes_only_the_reports_it_received():
    """An ESPC learner's round of reports from agents 0 and 3 is shaped over those two alone:
    centred, its step equals raw ES's step on F - mean over the two."""
    espc = ALGORITHMS["espc"]
    received = {0: RETURNS[0], 3: RETURNS[3]}
    learner = espc.learner_type(espc.make_config({"m": 2, "k": 3, "fitness": "centred"}), problem())
    learner.update([REPORT.pack(agent, 5, value) for agent, value in received.items()])
    mean = np.mean(np.float32(list(received.values())))
    by_hand = {agent: float(np.float32(value)) - float(mean) for agent, value in received.items()}
    assert np.allclose(learner.theta.detach().numpy(), learnt(ESConfig(), by_hand), atol=1e-7)


def test_a_peer_shapes_its_own_set_of_samples():
    """A decentralised peer's step shapes its own sample with its neighbours' reports: centred,
    moving all of them by a constant changes nothing; raw, it does."""

    def peer_step(fitness: str, shift: float) -> np.ndarray:
        peers = ESPeers(ESConfig(fitness=fitness), problem())
        peers.own[0] = REPORT.pack(0, 0, 5.0 + shift)
        neighbours = {1: REPORT.pack(1, 0, 7.0 + shift), 4: REPORT.pack(4, 0, -2.0 + shift)}
        peers.learn(0, neighbours)
        return peers.parameters(0)

    assert np.array_equal(peer_step("centred", 0.0), peer_step("centred", 50.0))
    assert not np.array_equal(peer_step("raw", 0.0), peer_step("raw", 50.0))


def test_the_default_is_the_report_s_raw_returns():
    assert ESConfig().fitness == ESPCConfig().fitness == "raw"
    assert np.array_equal(learnt(ESConfig(), RETURNS), learnt(ESConfig(fitness="raw"), RETURNS))


def test_an_unknown_shaping_is_named():
    with pytest.raises(ValueError, match=r"ESPCConfig.fitness = 'rank' must be one of 'raw', "):
        ESPCConfig(fitness="rank")
