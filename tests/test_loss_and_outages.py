"""Packet loss with retransmission, outages under both policies, and the errors bad input gets."""

import math

import networkx as nx
import numpy as np
import pytest
import simpy

import netsim
from netsim import (
    ComputeSettings,
    Framing,
    Network,
    NetworkSettings,
    Topology,
    Variant,
    star,
    time_transfers,
)

MODELS = ("fair", "store-and-forward", "cm02")
"""The closed forms below hold for cm02 too: one_link has no latency, so no window and no factors."""


def one_link(**attributes) -> nx.Graph:
    graph = nx.Graph()
    graph.add_edge("a", "b", **{"bandwidth_bps": 8e6, "latency_s": 0.0, **attributes})
    return graph


@pytest.mark.parametrize("loss", [0.05, 0.3])
def test_mean_wire_bytes_grow_by_one_over_one_minus_the_loss(loss):
    env = simpy.Environment()
    network = Network(env, Topology(one_link(loss=loss), roles=False), "fair", seed=3)
    size, mtu, count = 15_000, Framing().mtu_bytes, 2_000  # 10 full packets each
    transfers = [network.transfer("a", "b", size) for _ in range(count)]
    env.run()
    ratio = np.mean([t.sent_bytes / size for t in transfers])
    q = 1 - loss
    packets = size // mtu
    standard_error = math.sqrt((1 - q) / q**2 / (packets * count))
    assert abs(ratio - 1 / q) < 4 * standard_error


def test_two_lossy_hops_lose_a_packet_with_the_combined_probability():
    graph = nx.Graph()
    graph.add_edge("a", "r", bandwidth_bps=8e6, latency_s=0.0, loss=0.2)
    graph.add_edge("r", "b", bandwidth_bps=8e6, latency_s=0.0, loss=0.25)
    env = simpy.Environment()
    network = Network(env, Topology(graph, roles=False), "fair", seed=4)
    transfers = [network.transfer("a", "b", 1500) for _ in range(20_000)]  # one packet each
    env.run()
    attempts = np.mean([t.sent_bytes / 1500 for t in transfers])
    assert attempts == pytest.approx(1 / (0.8 * 0.75), rel=0.02)


@pytest.mark.parametrize("model", MODELS)
def test_resent_packets_take_link_time(model):
    lossless = time_transfers(one_link(), [("a", "b", 150_000, 0.0)], model)
    lossy = time_transfers(one_link(loss=0.3), [("a", "b", 150_000, 0.0)], model, seed=1)
    assert lossy[0] > lossless[0]


def test_the_same_seed_draws_the_same_losses():
    transfers = [("a", "b", 150_000, 0.1 * i) for i in range(20)]
    first = time_transfers(one_link(loss=0.3), transfers, seed=5)
    assert time_transfers(one_link(loss=0.3), transfers, seed=5) == first
    assert time_transfers(one_link(loss=0.3), transfers, seed=6) != first


@pytest.mark.parametrize("model", MODELS)
def test_a_transfer_waits_out_an_outage(model):
    # 1 MB at 8 Mbit/s is 1 s of sending; the link is down from 0.5 s to 1.5 s.
    graph = one_link(outages=[(0.5, 1.5)])
    assert time_transfers(graph, [("a", "b", 1_000_000, 0.0)], model) == pytest.approx([2.0])


@pytest.mark.parametrize("model", MODELS)
def test_a_transfer_started_during_an_outage_waits_for_its_end(model):
    graph = one_link(outages=[(0.0, 1.0)])
    assert time_transfers(graph, [("a", "b", 1_000_000, 0.2)], model) == pytest.approx([2.0])


@pytest.mark.parametrize("model", MODELS)
def test_under_the_fail_policy_an_outage_ends_the_transfers_on_the_link(model):
    graph = one_link(outages=[(0.5, 1.5)])
    transfers = [("a", "b", 1_000_000, 0.0), ("a", "b", 1_000, 1.6)]
    ends = time_transfers(graph, transfers, model, on_outage="fail")
    assert math.isnan(ends[0])
    assert ends[1] == pytest.approx(1.6 + 0.001)


def test_a_failed_transfer_ends_when_the_outage_starts():
    env = simpy.Environment()
    network = Network(
        env, Topology(one_link(outages=[(0.5, 1.5)]), roles=False), "fair", on_outage="fail"
    )
    transfer = network.transfer("a", "b", 1_000_000)
    env.run()
    assert transfer.failed and transfer.end_s == pytest.approx(0.5)
    assert transfer.carried_bytes == pytest.approx(500_000)


def test_an_agent_cut_off_by_an_outage_is_recorded_as_lost():
    graph = star(3, 1e6, 0.001)
    graph.edges["learner", "agent-1"]["outages"] = [(0.0, 1e6)]
    variant = Variant(
        "v",
        "es",
        graph,
        network=NetworkSettings(model="fair", on_outage="fail"),
        compute=ComputeSettings(step_time_s=1e-4),
    )
    table = netsim.simulate(variant, 3, np.random.SeedSequence(0))["metrics"]
    cut_off = table[table.agent == 1]
    assert (cut_off.lost == 1).all() and cut_off.reward.isna().all() and (cut_off.steps == 0).all()
    assert (table[table.agent != 1].lost == 0).all()


def test_a_trial_reports_link_use_and_on_request_every_message():
    variant = Variant(
        "v",
        "espc",
        star(4, 1e6, 0.01, router=True, backbone_bandwidth_bps=2e6),
        config={"m": 2},
        network=NetworkSettings(model="fair", trace=True),
    )
    tables = netsim.simulate(variant, 3, np.random.SeedSequence(1))
    metrics, links, messages = tables["metrics"], tables["links"], tables["messages"]
    assert len(links) == 2 * 5  # five edges, each direction its own row
    backbone_down = links[(links.src == "learner") & (links.dst == "router")].iloc[0]
    assert backbone_down.carried_bytes == metrics.downlink_wire_bytes.sum()
    assert backbone_down.transfers == 3 * 4 and backbone_down.peak_transfers == 4
    assert 0 < backbone_down.utilisation < 1 and backbone_down.busy_s > 0
    assert len(messages) == 2 * len(metrics)  # one policy down, one report or notice up
    assert set(messages.kind) == {"params", "report", "control"}
    assert (messages.queueing_delay_s >= 0).all()
    assert messages[messages.kind == "params"].queueing_delay_s.max() > 0  # they share the backbone
    assert "messages" not in netsim.simulate(
        Variant("v", "es", star(2, 1e6)), 1, np.random.SeedSequence(1)
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: time_transfers(one_link(), [("a", "b", 10, 0.0)], "teleport"),
            "unknown network model 'teleport'",
        ),
        (
            lambda: time_transfers(one_link(latency_s=-1.0), [("a", "b", 10, 0.0)]),
            r"edge \('a', 'b'\) has latency_s -1.0",
        ),
        (
            lambda: time_transfers(one_link(loss=1.0), [("a", "b", 10, 0.0)]),
            r"edge \('a', 'b'\) has loss 1.0; it must be in \[0, 1\)",
        ),
        (
            lambda: time_transfers(one_link(loss=-0.1), [("a", "b", 10, 0.0)]),
            r"edge \('a', 'b'\) has loss -0.1",
        ),
        (
            lambda: time_transfers(one_link(outages=[(2.0, 1.0)]), [("a", "b", 10, 0.0)]),
            r"edge \('a', 'b'\) has outage \(2.0, 1.0\)",
        ),
        (
            lambda: time_transfers(one_link(outages=[(0, 2), (1, 3)]), [("a", "b", 10, 0.0)]),
            r"edge \('a', 'b'\) has overlapping outages",
        ),
        (
            lambda: time_transfers(nx.union(one_link(), nx.Graph([("c", "d")])), []),
            r"edge \('c', 'd'\) has bandwidth_bps None",
        ),
        (
            lambda: time_transfers(one_link(), [("a", "b", 10, 0.0), ("a", "z", 10, 0.0)]),
            "transfer 1: node 'z' is not in the topology",
        ),
        (
            lambda: time_transfers(_islands(), [("a", "c", 10, 0.0)]),
            "transfer 0: no path from 'a' to 'c'",
        ),
        (
            lambda: time_transfers(one_link(), [("a", "b", -1, 0.0)]),
            "transfer 0: size_bytes = -1 must be an integer >= 0",
        ),
        (
            lambda: time_transfers(one_link(), [("a", "b", 10, -2.0)]),
            "transfer 0: start_s = -2.0 must be >= 0",
        ),
        (
            lambda: time_transfers(one_link(), [("a", "b", 10, 0.0)], on_outage="retry"),
            "unknown outage policy 'retry'",
        ),
        (
            lambda: NetworkSettings(on_outage="retry"),
            "unknown outage policy 'retry'",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_culprit(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def _islands() -> nx.Graph:
    graph = one_link()
    graph.add_edge("c", "d", bandwidth_bps=1e6, latency_s=0.0)
    return graph
