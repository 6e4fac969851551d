"""Decentralised ES and ESPC (the peer side of algorithms/es.py): on a complete graph with uniform
weights, tau = 1 and every report shared, every agent holds the central learner's theta after
every round, exactly; the gossip pattern runs them over a real network."""

import numpy as np
import pytest
import torch

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


def test_with_learning_off_distinct_thetas_mix_to_their_mean_as_the_mixing_matrix_predicts():
    """Zero step size and distinct starts: the agents' thetas follow X <- W X on a ring, each round,
    and keep their mean."""
    n, rounds, seed = 6, 8, np.random.SeedSequence(4)
    es = ALGORITHMS["es"]
    peers = es.peers_type(es.make_config(CONFIG), Problem(ENV, n, seed))
    start = np.random.default_rng(0).normal(size=(n, peers.theta[0].numel())).astype(np.float32)
    for theta, optimizer, row in zip(peers.theta, peers.optimizers, start, strict=True):
        theta.data.copy_(torch.from_numpy(row))
        optimizer.param_groups[0]["lr"] = 0.0
    variant = Variant(
        "ring", "es", netsim.star(n, 1e6, 0.01), env=ENV, config=CONFIG,
        pattern=GossipSettings(graph="ring"),
    )  # fmt: skip
    consensus = simulate_from(variant, rounds, seed, peers)["consensus"]
    w = np.zeros((n, n))
    for i in range(n):
        w[i, [(i - 1) % n, i, (i + 1) % n]] = 1 / 3  # Metropolis-Hastings on a ring
    x = start.astype(np.float64)
    for round_ in range(rounds):
        x = w @ x
        expected = np.linalg.norm(x - x.mean(axis=0), axis=1)
        got = consensus[consensus["episode"] == round_]["distance"].to_numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-5)
    assert expected.max() < 0.2 * np.linalg.norm(start - start.mean(axis=0), axis=1).max()
    final = np.stack([theta.detach().numpy() for theta in peers.theta])
    np.testing.assert_allclose(final.mean(axis=0), start.mean(axis=0), atol=1e-6)
