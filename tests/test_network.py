"""The store-and-forward model against closed forms, and message framing."""

import networkx as nx
import pytest
import simpy

from netsim import Framing, Kind, Network, Topology, star
from netsim.network import StoreAndForward


def line(*hops: tuple[float, float]) -> nx.Graph:
    """learner - r1 - ... - agent-0, hop i with (bandwidth_bps, latency_s)."""
    graph = nx.Graph()
    names = ["learner", *[f"r{i}" for i in range(1, len(hops))], "agent-0"]
    for name in names:
        graph.add_node(
            name,
            role="learner" if name == "learner" else "agent" if name == "agent-0" else "router",
        )
    for (a, b), (bandwidth, latency) in zip(zip(names, names[1:], strict=False), hops, strict=True):
        graph.add_edge(a, b, bandwidth_bps=bandwidth, latency_s=latency)
    return graph


def deliver(topology: Topology, sizes: list[int], uplink: bool = True) -> list[float]:
    """Delivery instants of raw transfers of ``sizes`` bytes, all started at 0 on agent 0's route."""
    env = simpy.Environment()
    model = StoreAndForward(env)
    route = topology.uplink(0) if uplink else topology.downlink(0)
    events = [model.transfer(route, size) for size in sizes]
    times: list[float] = []
    for event in events:
        event.callbacks.append(lambda _e: times.append(env.now))
    env.run()
    return times


def test_one_message_on_one_link_takes_latency_plus_size_over_bandwidth():
    topology = Topology(star(1, bandwidth_bps=8e6, latency_s=0.01))
    assert deliver(topology, [1_000_000]) == pytest.approx([0.01 + 1_000_000 * 8 / 8e6])


def test_two_hop_path_is_the_sum_of_both_hops():
    topology = Topology(line((8e6, 0.010), (4e6, 0.005)))
    size = 1_000_000
    expected = (0.010 + size * 8 / 8e6) + (0.005 + size * 8 / 4e6)  # 3.015 s
    assert deliver(topology, [size]) == pytest.approx([expected])
    assert expected == pytest.approx(3.015)


def test_fifo_link_serves_equal_messages_one_after_another():
    topology = Topology(star(1, bandwidth_bps=1e6, latency_s=0.02))
    size = 12_500  # 0.1 s each
    times = deliver(topology, [size] * 4)
    assert times == pytest.approx([0.02 + i * 0.1 for i in range(1, 5)])


def test_each_direction_of_a_link_has_its_own_capacity():
    topology = Topology(star(1, bandwidth_bps=1e6, latency_s=0.0))
    env = simpy.Environment()
    model = StoreAndForward(env)
    up = model.transfer(topology.uplink(0), 12_500)
    down = model.transfer(topology.downlink(0), 12_500)
    env.run()
    assert up.value is None and down.value is None
    assert env.now == pytest.approx(0.1)  # both finished together, not one after the other


def test_shared_backbone_queues_the_second_message_behind_the_first():
    graph = star(2, bandwidth_bps=1e9, latency_s=0.0, router=True, backbone_bandwidth_bps=1e6)
    topology = Topology(graph)
    env = simpy.Environment()
    network = Network(env, topology, framing=Framing(mtu_bytes=10_040, header_bytes=40))
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


def test_a_sent_message_carries_its_real_encoded_length():
    topology = Topology(star(1, bandwidth_bps=1e6))
    env = simpy.Environment()
    network = Network(env, topology, framing=Framing(mtu_bytes=100, header_bytes=20))
    sent = network.to_agent(0, Kind.PARAMS, b"x" * 200)
    env.run()
    assert sent.value.wire_bytes == 200 + 3 * 20
    assert sent.value.payload == b"x" * 200
    assert sent.value.delivered_at_s == pytest.approx(260 * 8 / 1e6)


def test_unknown_network_model_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown network model 'carrier-pigeon'"):
        Network(simpy.Environment(), Topology(star(1, 1e6)), model="carrier-pigeon")


def test_framing_rejects_an_mtu_no_larger_than_its_header():
    with pytest.raises(ValueError, match="mtu_bytes = 40 must exceed header_bytes = 40"):
        Framing(mtu_bytes=40, header_bytes=40)
