"""Link load over time (netsim.network.load): exact per-bin bytes under both bandwidth models."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import simpy

import netsim
from netsim.network import LV08, MODELS, Network
from netsim.network.load import LinkLoad
from netsim.simulation import simulate
from netsim.topology import Topology

BIN_S = 0.25


def _run(
    graph: nx.Graph,
    transfers: list[tuple[str, str, int, float]],
    model: str,
    on_outage: str = "wait",
    bin_s: float = BIN_S,
) -> Network:
    """``transfers`` (src, dst, wire bytes, start) over ``graph`` with the load recorded."""
    env = simpy.Environment()
    network = Network(
        env, Topology(graph, roles=False), model, on_outage=on_outage, seed=3, load_bin_s=bin_s
    )
    for src, dst, size, start_s in transfers:
        env.timeout(start_s).callbacks.append(
            lambda _, s=src, d=dst, n=size: network.transfer(s, d, n)
        )
    env.run()
    return network


def _load_of(network: Network, src: str, dst: str) -> pd.DataFrame:
    load = network.load_table()
    assert load is not None
    return load[(load["src"] == src) & (load["dst"] == dst)].set_index("start_s")


@pytest.mark.parametrize("model", sorted(MODELS))
def test_one_transfer_on_an_idle_link_uses_it_fully_while_it_sends(model: str) -> None:
    # 1 MB at 8 Mbit/s: sending from 0.25 s to 1.25 s; lv08 sends at 97 % (its bandwidth factor)
    graph = nx.Graph()
    graph.add_edge("a", "b", bandwidth_bps=8e6, latency_s=0.0)
    load = _load_of(_run(graph, [("a", "b", 1_000_000, 0.25)], model), "a", "b")
    factor = LV08.bandwidth_factor if model == "lv08" else 1.0
    end_s = 0.25 + 1.0 / factor
    sending_s = np.clip(np.minimum(load["end_s"], end_s) - np.maximum(load.index, 0.25), 0, None)
    np.testing.assert_allclose(load["utilisation"], factor * sending_s / BIN_S, atol=1e-12)
    np.testing.assert_allclose(load["end_s"] - load.index, BIN_S)
    assert load["carried_bytes"].sum() == pytest.approx(1_000_000)
    idle = _load_of(_run(graph, [("a", "b", 1_000_000, 0.25)], model), "b", "a")
    assert (idle["carried_bytes"] == 0).all()


def test_a_transfer_split_by_bins_shares_its_bytes_by_time() -> None:
    # 100 kB at 8 Mbit/s from 0.2 s: 0.1 s of sending, 0.05 s in each of two 0.25 s bins
    graph = nx.Graph()
    graph.add_edge("a", "b", bandwidth_bps=8e6, latency_s=0.0)
    network = _run(graph, [("a", "b", 100_000, 0.2)], "store-and-forward")
    load = _load_of(network, "a", "b")
    np.testing.assert_allclose(load["carried_bytes"], [50_000, 50_000])
    np.testing.assert_allclose(load["utilisation"], [0.2, 0.2])


def test_fair_sharing_splits_a_link_between_flows_and_keeps_it_full() -> None:
    # two 500 kB flows from 0 on one 8 Mbit/s link end together at 1 s; a third from 1 s alone
    graph = nx.Graph()
    graph.add_edge("a", "b", bandwidth_bps=8e6, latency_s=0.0)
    transfers = [("a", "b", 500_000, 0.0), ("a", "b", 500_000, 0.0), ("a", "b", 250_000, 1.0)]
    load = _load_of(_run(graph, transfers, "fair"), "a", "b")
    np.testing.assert_allclose(load["utilisation"], [1.0, 1.0, 1.0, 1.0, 1.0, 0.0])


def test_an_outage_pauses_store_and_forward_sending() -> None:
    # 1 MB at 8 Mbit/s from 0, the link down over [0.5, 1.0): sends [0, 0.5) and [1.0, 1.5)
    graph = nx.Graph()
    graph.add_edge("a", "b", bandwidth_bps=8e6, latency_s=0.0, outages=[(0.5, 1.0)])
    load = _load_of(_run(graph, [("a", "b", 1_000_000, 0.0)], "store-and-forward"), "a", "b")
    np.testing.assert_allclose(load["utilisation"], [1, 1, 0, 0, 1, 1, 0])


def _busy_network() -> nx.Graph:
    """Two agents behind a router, lossy links and an outage on the backbone."""
    graph = nx.Graph()
    graph.add_edge("learner", "router", bandwidth_bps=2e6, latency_s=0.01, outages=[(0.3, 0.45)])
    graph.add_edge("router", "x", bandwidth_bps=1e6, latency_s=0.002, loss=0.1)
    graph.add_edge("router", "y", bandwidth_bps=5e5, latency_s=0.004, loss=0.05)
    return graph


@pytest.mark.parametrize("model", sorted(MODELS))
@pytest.mark.parametrize("on_outage", ["wait", "fail"])
def test_binned_bytes_add_up_to_each_links_carried_bytes(model: str, on_outage: str) -> None:
    rng = np.random.default_rng(5)
    transfers = [
        (str(src), str(dst), int(rng.integers(1_000, 120_000)), float(rng.uniform(0, 1.5)))
        for src, dst in rng.choice(["learner", "x", "y"], size=(40, 2))
        if src != dst
    ]
    network = _run(_busy_network(), transfers, model, on_outage, bin_s=0.07)
    links = network.link_table().set_index(["src", "dst"])
    load = network.load_table()
    assert load is not None
    binned = load.groupby(["src", "dst"])["carried_bytes"].sum()
    assert (links["carried_bytes"] > 0).sum() >= 4
    for key, carried in links["carried_bytes"].items():
        assert binned[key] == pytest.approx(carried, rel=1e-9, abs=1e-6)
    assert (load["utilisation"] <= 1 + 1e-9).all()


def test_the_load_is_recorded_only_when_asked() -> None:
    graph = nx.Graph()
    graph.add_edge("a", "b", bandwidth_bps=8e6, latency_s=0.0)
    env = simpy.Environment()
    assert Network(env, Topology(graph, roles=False)).load_table() is None
    with pytest.raises(ValueError, match="bin width"):
        LinkLoad(0.0)
    with pytest.raises(ValueError, match="load_bin_s"):
        netsim.NetworkSettings(load_bin_s=-1.0)


def test_a_trial_gives_a_link_load_table_when_its_network_asks() -> None:
    variant = netsim.Variant(
        "es",
        "es",
        netsim.star(3, bandwidth_bps=1e5, latency_s=0.01),
        network=netsim.NetworkSettings(model="fair", load_bin_s=0.05),
    )
    tables = simulate(variant, 3, np.random.SeedSequence(0))
    load, links = tables["link_load"], tables["links"]
    binned = load.groupby(["src", "dst"], sort=False)["carried_bytes"].sum()
    np.testing.assert_allclose(binned.to_numpy(), links["carried_bytes"].to_numpy(), rtol=1e-9)
    quiet = netsim.Variant("es", "es", variant.topology)
    assert "link_load" not in simulate(quiet, 1, np.random.SeedSequence(0))


def test_results_plot_draws_the_utilisation_of_a_run_that_recorded_it(tmp_path) -> None:
    settings = netsim.NetworkSettings(load_bin_s=0.05)
    graph = netsim.star(2, bandwidth_bps=1e5, latency_s=0.01)
    scenario = netsim.Scenario(
        "load", [netsim.Variant("es", "es", graph, network=settings)], episodes=2, trials=2
    )
    results = netsim.run(scenario, tmp_path / "run", backend="serial", plots=False)
    written = results.plot()
    assert written[-1].name == "link_load.png" and written[-1].stat().st_size > 10_000
    assert len(results.table("link_load")["trial"].unique()) == 2
