"""Decentralised DQL, EBCDQL and DAVIA (TabularPeers): each agent its own copy of the central
learner, learning from its own episode and its neighbours' reports; an agent's episode does not
depend on the agents it is batched with (ES's checked here too)."""

import numpy as np
import pandas as pd
import pytest

import netsim
from algorithms import ALGORITHMS, Problem
from netsim import GossipSettings, Variant
from netsim.patterns.gossip.recorder import policy_agreement

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


@pytest.mark.parametrize("algorithm", ["dql", "davia"])
def test_decentralised_form_on_a_complete_graph_is_the_central_form_every_round(algorithm):
    """Uniform weights, tau = 1, every report shared: each agent's table is the learner's."""
    n, rounds, env = 4, 8, "netsim/WindyGrid-v0"  # the wind: the reset seeds matter too
    entry = ALGORITHMS[algorithm]
    config = entry.make_config({})
    central_problem, peers_problem = (Problem(env, n, np.random.SeedSequence(3)) for _ in "ab")
    learner = entry.learner_type(config, central_problem)
    agents = entry.agents_type(config, central_problem)
    peers = entry.peers_type(config, peers_problem)
    for _ in range(rounds):
        batch = agents.run_episodes(learner.policy_payload(), np.arange(n))
        learner.update([report for report in batch.reports if report is not None])
        mine = peers.run_episodes(np.arange(n))
        assert mine.rewards.tolist() == batch.rewards.tolist()
        for i in range(n):
            peers.learn(i, {j: r for j, r in enumerate(mine.reports) if j != i and r is not None})
        shares = [peers.share(j) for j in range(n)]
        for i in range(n):
            peers.mix(i, [1 / n] * n, shares)
            assert peers.learners[i].policy_payload() == learner.policy_payload()
    assert np.any(np.frombuffer(learner.policy_payload(), dtype=np.float32) != 0)  # it learnt


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
    assert (complete["consensus"]["greedy_agreement"] == 1.0).all()
    agreement = ring["consensus"].groupby("episode")["greedy_agreement"].mean()
    assert agreement.min() < 1.0 and agreement.iloc[-1] > agreement.min()  # they part, then agree
    if algorithm == "ebcdql":
        assert ring["metrics"]["sent"].mean() < 1


def test_policy_agreement_counts_the_states_where_an_agent_takes_the_majoritys_action():
    greedy = np.array([[0, 1, 2, 3, 1], [0, 1, 2, 0, 1], [0, 2, 1, 1, 2], [4, 1, 2, 3, 2]])
    # majorities per state: 0, 1, 2, 3 (two votes), and 1 of the tie between 1 and 2
    assert policy_agreement(greedy).tolist() == [1.0, 0.8, 0.2, 0.6]


def test_rounds_of_a_gossip_variant_beside_a_central_one_are_its_episodes():
    """A run holding both: the central rows carry learner versions, the gossip rows none."""
    from analysis.aggregate import per_trial

    def metrics(name, **pattern):
        variant = Variant(name, "dql", netsim.star(3, 1e6, 0.01), env=GRID, **pattern)
        table = netsim.simulate(variant, 5, np.random.SeedSequence(0))["metrics"]
        return table.assign(variant=name, algorithm="dql", trial=0)

    both = pd.concat([metrics("central"), metrics("ring", pattern=GossipSettings("ring"))])
    rounds = per_trial(both, by="policy_version")
    assert rounds.groupby("variant", observed=True).size().to_dict() == {"central": 5, "ring": 5}
    for name in ("central", "ring"):
        mixed = rounds[rounds["variant"] == name].reset_index(drop=True)
        alone = per_trial(both[both["variant"] == name].dropna(axis=1, how="all"), "policy_version")
        columns = ["mu_reward", "round_end_s", "total_wire_bytes", "uplink_wire_bytes", "played"]
        pd.testing.assert_frame_equal(mixed[columns], alone[columns], check_dtype=False)
        assert (mixed["total_wire_bytes"] > 0).all() and mixed["round_end_s"].notna().all()
