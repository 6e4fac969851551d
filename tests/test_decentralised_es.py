"""Decentralised ES and ESPC (the peer side of algorithms/es.py): on a complete graph with uniform
weights, tau = 1 and every report shared, every agent holds the central learner's theta after
every round, exactly; the gossip pattern runs them over a real network."""

import numpy as np
import pytest

import netsim
from algorithms import ALGORITHMS, Problem
from netsim import GossipSettings, Variant
from netsim.simulation import simulate_from

ENV = "Pendulum-v1"
"""No native vector form: the central form's batch resets every agent as the peers' do."""
CONFIG = {"hidden": (4,), "gamma": 0.99, "learning_rate": 0.05}


def central_thetas(n: int, rounds: int, seed: np.random.SeedSequence) -> list[np.ndarray]:
    es = ALGORITHMS["es"]
    config, problem = es.make_config(CONFIG), Problem(ENV, n, seed)
    learner, agents = es.learner_type(config, problem), es.agents_type(config, problem)
    thetas = []
    for _ in range(rounds):
        batch = agents.run_episodes(learner.policy_payload(), np.arange(n))
        learner.update([report for report in batch.reports if report is not None])
        thetas.append(learner.theta.detach().numpy().copy())
    return thetas


def test_decentralised_es_on_a_complete_graph_is_central_es_every_round():
    n, rounds, seed = 4, 4, np.random.SeedSequence(11)
    es = ALGORITHMS["es"]
    peers = es.peers_type(es.make_config(CONFIG), Problem(ENV, n, seed))
    for expected in central_thetas(n, rounds, seed):
        batch = peers.run_episodes(np.arange(n))
        for i in range(n):
            peers.learn(i, {j: r for j, r in enumerate(batch.reports) if j != i and r is not None})
        shares = [peers.share(j) for j in range(n)]
        for i in range(n):
            peers.mix(i, [1 / n] * n, shares)
        for i in range(n):
            assert np.array_equal(peers.theta[i].detach().numpy(), expected)
    assert not np.array_equal(expected, central_thetas(n, 1, seed)[0])  # it did learn


def test_over_the_gossip_pattern_and_a_network_the_agents_end_on_central_es():
    n, rounds, seed = 4, 3, np.random.SeedSequence(5)
    es = ALGORITHMS["es"]
    peers = es.peers_type(es.make_config(CONFIG), Problem(ENV, n, seed))
    variant = Variant(
        "complete",
        "es",
        netsim.star(n, 1e6, 0.01),
        env=ENV,
        config=CONFIG,
        compute=netsim.ComputeSettings(step_time_s=[1e-3, 2e-3, 3e-3, 4e-3]),  # batches split
        pattern=GossipSettings(graph="complete", mixing="uniform"),
    )
    tables = simulate_from(variant, rounds, seed, peers)
    expected = central_thetas(n, rounds, seed)[-1]
    for i in range(n):
        assert np.array_equal(peers.theta[i].detach().numpy(), expected)
    assert np.allclose(tables["consensus"]["distance"], 0.0)


@pytest.mark.parametrize("algorithm", ["es", "espc"])
def test_es_and_espc_learn_apart_on_a_ring_and_agree_more_as_they_mix(algorithm):
    config = {**CONFIG, "m": 2, "k": 3} if algorithm == "espc" else CONFIG
    variant = Variant(
        "ring",
        algorithm,
        netsim.star(6, 1e6, 0.01),
        env=ENV,
        config=config,
        pattern=GossipSettings(graph="ring", tau=2),
    )
    tables = netsim.simulate(variant, 6, np.random.SeedSequence(2))
    metrics, consensus = tables["metrics"], tables["consensus"]
    assert metrics["reward"].notna().all()
    by_round = consensus.groupby("episode")["distance"].mean()
    assert by_round.iloc[0] > 0  # round 0 learns apart and does not mix (tau = 2)
    assert by_round.iloc[1] < by_round.iloc[0]  # round 1 mixes
    if algorithm == "espc":
        assert 0 < metrics["sent"].mean() < 1
