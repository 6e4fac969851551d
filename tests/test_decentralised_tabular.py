"""Decentralised DQL, EBCDQL and DAVIA (TabularPeers): each agent its own copy of the central
learner, learning from its own episode and its neighbours' reports; an agent's episode does not
depend on the agents it is batched with (ES's checked here too)."""

import numpy as np
import pytest

import netsim
from algorithms import ALGORITHMS, Problem
from netsim import GossipSettings, Variant

GRID = "netsim/SimpleGrid-v0"


@pytest.mark.parametrize("algorithm", ["dql", "ebcdql", "davia", "es"])
def test_an_agents_episode_is_the_same_whatever_batch_it_is_played_in(algorithm):
    env, config = (GRID, {}) if algorithm != "es" else ("CartPole-v1", {"hidden": (4,)})
    entry = ALGORITHMS[algorithm]

    def peers():
        return entry.peers_type(
            entry.make_config(config), Problem(env, 4, np.random.SeedSequence(8))
        )

    together, apart = peers(), peers()
    for _ in range(3):
        batch = together.run_episodes(np.arange(4))
        alone = [apart.run_episodes(np.array([agent])) for agent in (2, 0, 3, 1)]
        by_agent = {int(b.agents[0]): b for b in alone}
        for j in range(4):
            assert batch.rewards[j] == by_agent[j].rewards[0]
            assert batch.steps[j] == by_agent[j].steps[0]
            assert batch.reports[j] == by_agent[j].reports[0]


@pytest.mark.parametrize("algorithm", ["dql", "ebcdql", "davia"])
def test_tabular_agents_learn_on_a_ring_and_agree_after_a_complete_round(algorithm):
    def run(graph):
        variant = Variant(
            graph,
            algorithm,
            netsim.star(5, 1e6, 0.01),
            env=GRID,
            pattern=GossipSettings(graph, mixing="uniform"),
        )
        return netsim.simulate(variant, 40, np.random.SeedSequence(0))

    ring, complete = run("ring"), run("complete")
    rewards = ring["metrics"].groupby("episode")["reward"].mean()
    assert rewards.iloc[-10:].mean() > rewards.iloc[:10].mean()  # it learns
    assert ring["consensus"]["distance"].max() > 0  # ring neighbours disagree
    assert complete["consensus"]["distance"].max() == 0.0  # uniform on complete: one Q for all
    if algorithm == "ebcdql":
        assert ring["metrics"]["sent"].mean() < 1
