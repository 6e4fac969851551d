"""Both bandwidth models against closed forms, SimGrid's cases and textbook max-min rates; framing."""

import networkx as nx
import pytest
import simpy

from netsim import Framing, Kind, Network, Topology, star, time_transfers

MODELS = ("fair", "store-and-forward")


def chain(*hops: tuple[float, float]) -> nx.Graph:
    """Nodes n0 - n1 - ... joined by hop i with (bandwidth_bps, latency_s); no roles."""
    graph = nx.Graph()
    for i, (bandwidth, latency) in enumerate(hops):
        graph.add_edge(f"n{i}", f"n{i + 1}", bandwidth_bps=bandwidth, latency_s=latency)
    return graph


@pytest.mark.parametrize("model", MODELS)
def test_one_transfer_takes_latency_plus_size_over_bandwidth(model):
    graph = chain((8e6, 0.01))
    assert time_transfers(graph, [("n0", "n1", 1_000_000, 0.0)], model) == pytest.approx(
        [0.01 + 1_000_000 * 8 / 8e6]
    )


def test_fair_equal_transfers_on_one_link_all_end_together():
    size, bandwidth, latency, k = 12_500, 1e6, 0.02, 4
    ends = time_transfers(chain((bandwidth, latency)), [("n0", "n1", size, 0.0)] * k, "fair")
    assert ends == pytest.approx([latency + k * size * 8 / bandwidth] * k)


def test_store_and_forward_equal_transfers_end_one_after_another():
    size, bandwidth, latency, k = 12_500, 1e6, 0.02, 4
    ends = time_transfers(
        chain((bandwidth, latency)), [("n0", "n1", size, 0.0)] * k, "store-and-forward"
    )
    assert ends == pytest.approx([latency + i * size * 8 / bandwidth for i in range(1, k + 1)])


@pytest.mark.parametrize(("model", "expected"), [("fair", 2.015), ("store-and-forward", 3.015)])
def test_two_hops_fair_pays_the_bottleneck_once_store_and_forward_every_hop(model, expected):
    graph = chain((8e6, 0.010), (4e6, 0.005))
    assert time_transfers(graph, [("n0", "n2", 1_000_000, 0.0)], model) == pytest.approx([expected])


def test_simgrid_dogbone_two_flows_share_the_bottleneck():
    """SimGrid's dog-bone: C1, C2 - R1 == R2 - S1, S2, the R1-R2 bottleneck at 8,000 bit/s."""
    graph = nx.Graph()
    fast = dict(bandwidth_bps=1e12, latency_s=0.0)
    graph.add_edge("R1", "R2", bandwidth_bps=8_000, latency_s=0.0)
    for host, router in [("C1", "R1"), ("C2", "R1"), ("S1", "R2"), ("S2", "R2")]:
        graph.add_edge(host, router, **fast)
    ends = time_transfers(graph, [("C1", "S1", 1_000, 0.0), ("C2", "S2", 1_000, 0.0)])
    assert ends == pytest.approx([2.0, 2.0])


def test_textbook_max_min_rates_over_two_links_of_different_capacity():
    """a -L1- b -L2- c, L1 at 10 Mbit/s, L2 at 6. f0 crosses both, f1 only L1, f2 and f3 only L2.

    Max-min: L2 is the bottleneck, 6/3 = 2 Mbit/s for f0, f2, f3; f1 takes L1's other 8. When f2
    and f3 end (2 Mbit each: t = 1 s), f0 and f1 split L1, 5 each; when f0 ends, f1 has all 10.
    """
    graph = nx.Graph()
    graph.add_edge("a", "b", bandwidth_bps=10e6, latency_s=0.0)
    graph.add_edge("b", "c", bandwidth_bps=6e6, latency_s=0.0)
    mbit = 125_000  # bytes
    transfers = [
        ("a", "c", 12 * mbit, 0.0),  # f0: 2 s at 2, then 10 Mbit at 5: ends at 3 s
        ("a", "b", 28 * mbit, 0.0),  # f1: 8, then 10 at 5, then 10 at 10: ends at 4 s
        ("b", "c", 2 * mbit, 0.0),
        ("b", "c", 2 * mbit, 0.0),
    ]
    assert time_transfers(graph, transfers) == pytest.approx([3.0, 4.0, 1.0, 1.0])


def test_a_transfer_joining_later_slows_the_one_under_way():
    graph = chain((8e6, 0.0))
    # A alone for 0.5 s (0.5 MB), then both at 4 Mbit/s: B's 0.5 MB takes 1 s, A's rest too.
    ends = time_transfers(graph, [("n0", "n1", 1_000_000, 0.0), ("n0", "n1", 500_000, 0.5)])
    assert ends == pytest.approx([1.5, 1.5])


def test_fair_latency_is_paid_before_the_transfer_loads_any_link():
    graph = chain((8e6, 1.0))
    # A sends alone from 1.0 s (its latency paid); B, started at 0.9, joins at 1.9. A has 0.1 MB
    # left, at 4 Mbit/s: ends at 2.1. B sent 0.1 MB meanwhile; its other 0.9 MB alone: ends at 3.0.
    # Had B loaded the link during its latency, A would have shared it from 1.0 and ended at 2.9.
    ends = time_transfers(graph, [("n0", "n1", 1_000_000, 0.0), ("n0", "n1", 1_000_000, 0.9)])
    assert ends == pytest.approx([2.1, 3.0])


@pytest.mark.parametrize("model", MODELS)
def test_each_direction_of_a_link_has_its_own_capacity(model):
    graph = chain((1e6, 0.0))
    ends = time_transfers(graph, [("n0", "n1", 12_500, 0.0), ("n1", "n0", 12_500, 0.0)], model)
    assert ends == pytest.approx([0.1, 0.1])


def test_shared_backbone_queues_the_second_message_behind_the_first():
    graph = star(2, bandwidth_bps=1e9, latency_s=0.0, router=True, backbone_bandwidth_bps=1e6)
    env = simpy.Environment()
    network = Network(env, Topology(graph), framing=Framing(mtu_bytes=10_040, header_bytes=40))
    first = network.to_learner(0, Kind.REPORT, bytes(12_420))
    second = network.to_learner(1, Kind.REPORT, bytes(12_420))
    env.run()
    access = 12_500 * 8 / 1e9  # 12,420 payload bytes in 2 packets: 12,500 on the wire
    assert first.value.delivered_at_s == pytest.approx(access + 0.1)
    assert second.value.delivered_at_s == pytest.approx(access + 0.2)


@pytest.mark.parametrize(
    ("payload", "wire"),
    [(0, 40), (1, 41), (12, 52), (1460, 1500), (1461, 1461 + 80), (2920, 3000), (2921, 2921 + 120)],
)
def test_wire_bytes_are_payload_plus_one_header_per_packet(payload, wire):
    assert Framing().wire_bytes(payload) == wire


@pytest.mark.parametrize("model", MODELS)
def test_a_sent_message_carries_its_real_encoded_length(model):
    env = simpy.Environment()
    network = Network(env, Topology(star(1, 1e6)), model, Framing(mtu_bytes=100, header_bytes=20))
    sent = network.to_agent(0, Kind.PARAMS, b"x" * 200)
    env.run()
    assert sent.value.wire_bytes == 200 + 3 * 20
    assert sent.value.payload == b"x" * 200
    assert sent.value.delivered_at_s == pytest.approx(260 * 8 / 1e6)


def test_framing_rejects_an_mtu_no_larger_than_its_header():
    with pytest.raises(ValueError, match="mtu_bytes = 40 must exceed header_bytes = 40"):
        Framing(mtu_bytes=40, header_bytes=40)
