"""The gossip pattern over a real network, with a pure averaging algorithm (tests/averaging.py):
its mixing is exactly the linear algebra, every message crosses the network with its real size,
and each agent's clock is its neighbours' messages' arrival."""

import averaging
import networkx as nx
import numpy as np
import pytest

import netsim
import netsim.config
from netsim import ComputeSettings, Framing, GossipSettings, NetworkSettings, Variant
from netsim.patterns.gossip import COMMUNICATION_GRAPHS
from netsim.patterns.gossip.mixing import MIXING, matrix

BANDWIDTH_BPS, LATENCY_S, STEP_S, UPDATE_S = 1e6, 0.003, 0.002, 0.001


def physical_ring(n: int) -> nx.Graph:
    """n agents joined in a ring by peer-to-peer links, and nothing else."""
    graph = nx.cycle_graph([f"agent-{i}" for i in range(n)])
    nx.set_node_attributes(graph, "agent", "role")
    nx.set_edge_attributes(graph, BANDWIDTH_BPS, "bandwidth_bps")
    nx.set_edge_attributes(graph, LATENCY_S, "latency_s")
    return graph


def gossip(topology, initial, rounds, **settings):
    variant = Variant(
        "average",
        averaging.NAME,
        topology,
        config={"initial": tuple(initial)},
        network=NetworkSettings(model="fair", trace=True),
        compute=ComputeSettings(step_time_s=STEP_S, update_time_s=UPDATE_S),
        pattern=GossipSettings(**settings),
    )
    return netsim.simulate(variant, rounds, np.random.SeedSequence(0))


def distances(tables) -> np.ndarray:
    """||x - mean(x)||_2 after each round."""
    consensus = tables["consensus"]
    return np.sqrt((consensus["distance"] ** 2).groupby(consensus["episode"]).sum()).to_numpy()


def ring_mixing_matrix(n: int) -> np.ndarray:
    """Metropolis-Hastings on a ring, by its formula: 1 / (1 + max(2, 2)) to each neighbour."""
    w = np.zeros((n, n))
    for i in range(n):
        w[i, (i - 1) % n] = w[i, (i + 1) % n] = 1 / 3
        w[i, i] = 1 - 2 / 3
    return w


def second_largest(w: np.ndarray) -> tuple[float, np.ndarray]:
    values, vectors = np.linalg.eigh(w)
    order = np.argsort(-np.abs(values))
    return float(abs(values[order[1]])), vectors[:, order[1]]


def test_on_a_ring_of_16_an_eigenvector_start_shrinks_by_exactly_its_eigenvalue():
    modulus, vector = second_largest(ring_mixing_matrix(16))
    shrink = distances(gossip(physical_ring(16), vector, 12))
    assert shrink[0] == pytest.approx(modulus * np.linalg.norm(vector - vector.mean()), abs=1e-12)
    np.testing.assert_allclose(shrink[1:] / shrink[:-1], modulus, rtol=0, atol=1e-9)


def test_on_a_ring_from_a_random_start_no_round_shrinks_less_than_the_eigenvalue_says():
    modulus, _ = second_largest(ring_mixing_matrix(16))
    start = np.random.default_rng(3).normal(size=16)
    shrink = distances(gossip(physical_ring(16), start, 20))
    ratios = shrink[1:] / shrink[:-1]
    assert (ratios <= modulus + 1e-12).all()
    assert ratios[-1] == pytest.approx(modulus, abs=1e-3)  # the slowest mode is left at the end


def test_the_mixing_matrix_the_pattern_uses_is_the_formulas():
    graph = COMMUNICATION_GRAPHS["ring"](netsim.Topology(physical_ring(16))).at(0)
    np.testing.assert_array_equal(
        matrix(MIXING["metropolis-hastings"](graph)), ring_mixing_matrix(16)
    )


@pytest.mark.parametrize("k", [2, 3, 4])
def test_one_peer_exponential_graph_gives_every_agent_the_exact_mean_after_log2_n_rounds(k):
    n = 2**k
    start = np.random.default_rng(k).normal(size=n)
    star = netsim.star(n, BANDWIDTH_BPS, LATENCY_S, router=True)  # messages cross the router
    tables = gossip(star, start, k, graph="one-peer-exponential", mixing="push-sum")
    assert distances(tables)[k - 1] == pytest.approx(0.0, abs=1e-14 * n)
    before_last = distances(tables)[k - 2]
    assert before_last > 1e-3  # not sooner: it takes all k rounds


def test_every_peer_message_crosses_the_network_with_its_real_size_and_the_columns_add_up():
    rounds, n = 5, 6
    tables = gossip(physical_ring(n), np.arange(n, dtype=float), rounds, tau=2)
    messages, metrics, links = tables["messages"], tables["metrics"], tables["links"]
    framing = Framing()
    notices = messages[messages["kind"] == "control"]
    params = messages[messages["kind"] == "params"]
    assert len(notices) == rounds * n * 2  # each agent tells both neighbours every round
    assert len(params) == (rounds // 2) * n * 2  # and sends them its x every tau = 2 rounds
    assert (notices["wire_bytes"] == framing.wire_bytes(0)).all()
    assert (params["wire_bytes"] == framing.wire_bytes(8)).all()  # one float64
    assert metrics["control_wire_bytes"].sum() == notices["wire_bytes"].sum()
    assert metrics["params_wire_bytes"].sum() == params["wire_bytes"].sum()
    assert links["carried_bytes"].sum() == messages["wire_bytes"].sum()  # one hop each
    assert (metrics["wire_bytes"] == 0).all() and (metrics["sent"] == 0).all()


def test_an_agents_round_ends_when_its_neighbours_messages_have_arrived():
    tables = gossip(physical_ring(4), [1.0, 2.0, 3.0, 4.0], 3)
    notice_s = LATENCY_S + Framing().wire_bytes(0) * 8 / BANDWIDTH_BPS
    params_s = LATENCY_S + Framing().wire_bytes(8) * 8 / BANDWIDTH_BPS
    round_s = STEP_S + notice_s + UPDATE_S + params_s
    metrics = tables["metrics"]
    for round_ in range(3):
        rows = metrics[metrics["episode"] == round_]
        np.testing.assert_allclose(rows["sim_time_s"], (round_ + 1) * round_s, rtol=1e-12)
        np.testing.assert_allclose(rows["episode_end_s"], round_ * round_s + STEP_S, rtol=1e-12)


def test_bad_gossip_settings_are_named():
    with pytest.raises(
        ValueError, match="'metropolis-hastings' does not fit the directed .* 'push-sum'"
    ):
        Variant("v", averaging.NAME, physical_ring(4), pattern=GossipSettings("exponential"))
    with pytest.raises(ValueError, match="'push-sum' does not fit the undirected"):
        Variant("v", averaging.NAME, physical_ring(4), pattern=GossipSettings(mixing="push-sum"))
    one_way = (("agent-0", "agent-1"), ("agent-1", "agent-2"))
    with pytest.raises(
        ValueError, match="not connected: nothing agent 'agent-1' holds can reach agent 'agent-0'"
    ):
        Variant(
            "v",
            averaging.NAME,
            physical_ring(3),
            pattern=GossipSettings(one_way, directed=True, mixing="push-sum"),
        )
    with pytest.raises(
        ValueError, match="node 'router' of the communication graph .* is not an agent"
    ):
        Variant(
            "v",
            averaging.NAME,
            netsim.star(2, 1e6, router=True),
            pattern=GossipSettings((("agent-0", "router"),)),
        )
    with pytest.raises(ValueError, match="tau = 0 must be an integer >= 1"):
        GossipSettings(tau=0)
    with pytest.raises(ValueError, match="algorithm 'test-average' has no central side"):
        Variant("v", averaging.NAME, netsim.star(4, 1e6))  # the central pattern, by default
    with pytest.raises(ValueError, match="unknown communication graph 'rign' \\(did you mean"):
        GossipSettings(graph="rign")


def test_the_reports_total_wire_bytes_count_every_peer_message_once():
    from analysis.aggregate import per_trial

    tables = gossip(physical_ring(5), np.arange(5.0), 4, tau=2)
    metrics = tables["metrics"].assign(variant="v", algorithm="a", trial=0)
    assert per_trial(metrics)["total_wire_bytes"].sum() == tables["messages"]["wire_bytes"].sum()


def test_a_config_file_chooses_gossip_and_names_a_misspelt_pattern():
    toml = """
name = "decentral"
[[variants]]
name = "ring"
algorithm = "{algorithm}"
topology = {{ builder = "star", n_agents = 4, bandwidth_bps = 1e6 }}
pattern = {{ name = "{pattern}", graph = "torus", tau = 2 }}
"""
    scenario = netsim.config.scenario_from_toml(
        toml.format(algorithm=averaging.NAME, pattern="gossip")
    )
    assert scenario.variants[0].pattern == GossipSettings(graph="torus", tau=2)
    with pytest.raises(
        netsim.ConfigError, match="unknown communication pattern 'gosip' \\(did you mean 'gossip'"
    ):
        netsim.config.scenario_from_toml(toml.format(algorithm=averaging.NAME, pattern="gosip"))


def test_a_gossip_run_stores_its_tables_and_draws_the_plots(tmp_path):
    variant = Variant(
        "ring", averaging.NAME, physical_ring(4), config={"initial": (1.0, 3.0)}, pattern="gossip"
    )
    scenario = netsim.Scenario("decentral", [variant], episodes=3, trials=2)
    results = netsim.run(scenario, tmp_path / "run", backend="serial", progress=False)
    assert results.table("consensus")["episode"].max() == 2
    assert len(results.to_pandas()) == 2 * 3 * 4
    assert (tmp_path / "run" / "plots" / "reward_vs_time.png").is_file()


def test_push_sum_reaches_the_mean_on_a_directed_graph_that_is_not_regular():
    edges = [(0, 1), (0, 2), (0, 3), (1, 0), (2, 0), (3, 0), (1, 2)]
    named = tuple((f"agent-{u}", f"agent-{v}") for u, v in edges)
    start = np.array([4.0, -1.0, 7.0, 2.5])
    settings = {"graph": named, "directed": True, "mixing": "push-sum"}
    tables = gossip(physical_ring(4), start, 80, **settings)
    assert distances(tables)[-1] < 1e-9  # agreement, on the mean itself:
    last_played = tables["metrics"].query("episode == 79")["reward"]  # x_i as round 79 began
    np.testing.assert_allclose(last_played, start.mean(), atol=1e-6)


def test_the_physical_graph_is_the_links_that_join_agents():
    tables = gossip(physical_ring(6), np.arange(6.0), 3, graph="physical")
    messages = tables["messages"]
    hops = {(int(s[6:]), int(d[6:])) for s, d in zip(messages["src"], messages["dst"], strict=True)}
    assert hops == {(i, (i + d) % 6) for i in range(6) for d in (1, -1)}


def test_random_graphs_are_seeded_connected_and_redrawn_each_round_when_asked():
    topology = netsim.Topology(physical_ring(10))
    regular = COMMUNICATION_GRAPHS["random-regular"]
    first, again = regular(topology, degree=3, seed=4), regular(topology, degree=3, seed=4)
    assert set(first.at(0).edges) == set(again.at(0).edges)  # the seed decides
    assert {d for _, d in first.at(0).out_degree} == {3}
    assert set(first.at(0).edges) == set(first.at(7).edges)  # one graph throughout
    redrawn = regular(topology, degree=3, seed=4, redraw=True)
    assert set(redrawn.at(1).edges) != set(redrawn.at(2).edges)
    for name in ("random-regular", "erdos-renyi", "small-world"):
        graph = COMMUNICATION_GRAPHS[name](topology, seed=1, redraw=True)
        assert all(nx.is_strongly_connected(graph.at(t)) for t in range(5))


def test_an_epidemic_run_mixes_with_a_new_graph_every_round():
    options = {"degree": 2, "seed": 3, "redraw": True}
    tables = gossip(
        physical_ring(8), np.arange(8.0), 12, graph="random-regular", graph_options=options
    )
    shrink = distances(tables)
    assert shrink[-1] < 0.05 * shrink[0]  # peers' messages cross the ring of links, hop by hop
    pairs = set(zip(tables["messages"]["src"], tables["messages"]["dst"], strict=True))
    assert len(pairs) > 16  # more pairs than one 2-regular graph has


def test_a_graph_option_or_degree_that_cannot_be_is_named():
    with pytest.raises(ValueError, match="unknown option of the ring graph 'degree'"):
        GossipSettings(graph="ring", graph_options={"degree": 3})
    with pytest.raises(ValueError, match="random-regular degree = 3 needs .* degree \\* n even"):
        Variant(
            "v",
            averaging.NAME,
            physical_ring(5),
            pattern=GossipSettings("random-regular", {"degree": 3}),
        )


def test_a_final_complete_round_merges_a_ring_into_the_exact_mean():
    start = np.random.default_rng(9).normal(size=8)
    merged = gossip(physical_ring(8), start, 4, schedule=((3, "complete"),), mixing="uniform")
    ring_only = gossip(physical_ring(8), start, 4, mixing="uniform")
    assert distances(ring_only)[3] > 0.1
    assert distances(merged)[3] == pytest.approx(0.0, abs=1e-12)  # uniform on complete: the mean
    np.testing.assert_array_equal(distances(merged)[:3], distances(ring_only)[:3])
    with pytest.raises(ValueError, match="schedule: rounds \\[5, 2\\] must increase"):
        GossipSettings(schedule=((5, "complete"), (2, "ring")))


def test_a_graph_that_a_schedule_reconnects_is_warned_of_not_refused():
    apart = (("agent-0", "agent-1"), ("agent-2", "agent-3"))
    settings = GossipSettings(apart, schedule=((2, "complete"),))
    with pytest.warns(UserWarning, match="does not connect every agent until round 2"):
        Variant("v", averaging.NAME, physical_ring(4), pattern=settings)
    with pytest.raises(ValueError, match="is not connected"):
        Variant("v", averaging.NAME, physical_ring(4), pattern=GossipSettings(apart))
