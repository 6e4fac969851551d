"""Properties of every bandwidth model over random topologies, transfers, losses and outages."""

import math

import networkx as nx
import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from netsim import Network, Topology
from netsim.network import Cm02, FairSharing, Lv08, MaxMinSharing, StoreAndForward

CAPACITY_SLACK = 1 + 1e-9


@st.composite
def networks(draw, lossy: bool = True, outages: bool = True):
    """A connected random graph (a random tree plus extra edges) and transfers across it."""
    n_nodes = draw(st.integers(2, 7))
    graph = nx.Graph()
    graph.add_nodes_from(range(n_nodes))
    edges = [(draw(st.integers(0, node - 1)), node) for node in range(1, n_nodes)]
    extra = draw(st.lists(st.tuples(st.integers(0, n_nodes - 1), st.integers(0, n_nodes - 1))))
    for u, v in edges + [(u, v) for u, v in extra if u != v]:
        attributes = dict(
            bandwidth_bps=draw(st.floats(1e4, 1e7)),
            latency_s=draw(st.sampled_from([0.0, draw(st.floats(0, 0.05))])),
        )
        if lossy:
            attributes["loss"] = draw(st.sampled_from([0.0, draw(st.floats(0, 0.4))]))
        if outages and draw(st.booleans()):
            start = draw(st.floats(0, 2))
            attributes["outages"] = [(start, start + draw(st.floats(0.01, 1)))]
        graph.add_edge(u, v, **attributes)
    pair = st.tuples(st.integers(0, n_nodes - 1), st.integers(0, n_nodes - 1)).filter(
        lambda p: p[0] != p[1]
    )
    transfers = draw(
        st.lists(st.tuples(pair, st.integers(1, 200_000), st.floats(0, 2)), min_size=1, max_size=12)
    )
    return graph, [(src, dst, size, start) for (src, dst), size, start in transfers]


def run(graph, specs, model_type, on_outage="wait"):
    """Start every transfer on a Network whose model is ``model_type``; the Transfers and Network."""
    env = simpy.Environment()
    network = Network(env, Topology(graph, roles=False), on_outage=on_outage, seed=7)
    network.model = model_type(env, on_outage)
    started = []
    for src, dst, size, start in specs:
        env.timeout(start).callbacks.append(
            lambda _, s=src, d=dst, b=size: started.append(network.transfer(s, d, b))
        )
    env.run()
    return started, network


SHARING = [FairSharing, Cm02, Lv08]
"""The models built on the max-min engine."""
EVERY_MODEL = [*SHARING, StoreAndForward]


def checked(model_type: type[MaxMinSharing]) -> type[MaxMinSharing]:
    """``model_type`` checking, at every reallocation, that no link carries more than it can (what
    its flows load it with: their weights on it times their values)."""

    class Checked(model_type):
        def _reallocate(self, event):
            super()._reallocate(event)
            for link in list(self._links):
                capacity = 0.0 if link.down_at(self.env.now) else link.bandwidth_bps
                assert self.link_load_bps(link) <= capacity * CAPACITY_SLACK

    return Checked


class CheckedStoreAndForward(StoreAndForward):
    """Store-and-forward that records each link's sending intervals, to check they never overlap."""

    def __init__(self, env, on_outage="wait"):
        super().__init__(env, on_outage)
        self.sending = {}

    def _count(self, link, now, leave, busy_s):
        super()._count(link, now, leave, busy_s)
        self.sending.setdefault(link, []).append((leave - busy_s, leave))


@settings(max_examples=60, deadline=None)
@given(networks())
@pytest.mark.parametrize("model_type", SHARING)
@pytest.mark.parametrize("on_outage", ["wait", "fail"])
def test_sharing_never_loads_a_link_beyond_its_capacity(model_type, on_outage, case):
    graph, specs = case
    run(graph, specs, checked(model_type), on_outage)  # it asserts at every reallocation


@settings(max_examples=60, deadline=None)
@given(networks())
@pytest.mark.parametrize("model_type", EVERY_MODEL)
@pytest.mark.parametrize("on_outage", ["wait", "fail"])
def test_no_transfer_ends_before_its_lower_bound(model_type, on_outage, case):
    graph, specs = case
    transfers, network = run(graph, specs, model_type, on_outage)
    for transfer in transfers:
        if transfer.failed:
            continue
        bound = sum(link.latency_s for link in transfer.route) + transfer.size_bytes * 8 / min(
            link.bandwidth_bps for link in transfer.route
        )
        alone = network.model.alone_s(transfer)  # the model's own bound: its time alone
        assert transfer.end_s - transfer.start_s >= max(bound, alone) * (1 - 1e-9)


@settings(max_examples=60, deadline=None)
@given(networks(outages=False))
def test_store_and_forward_never_sends_two_transfers_on_one_link_at_once(case):
    graph, specs = case
    _, network = run(graph, specs, CheckedStoreAndForward)
    for intervals in network.model.sending.values():
        intervals.sort()
        for (_, end), (start, _) in zip(intervals, intervals[1:], strict=False):
            assert start >= end - 1e-12 * max(1.0, end)


@settings(max_examples=60, deadline=None)
@given(networks())
@pytest.mark.parametrize("model_type", EVERY_MODEL)
@pytest.mark.parametrize("on_outage", ["wait", "fail"])
def test_bytes_delivered_plus_bytes_lost_equal_bytes_sent(model_type, on_outage, case):
    graph, specs = case
    transfers, network = run(graph, specs, model_type, on_outage)
    assert len(transfers) == len(specs) and all(not math.isnan(t.end_s) for t in transfers)
    for transfer in transfers:
        delivered = 0 if transfer.failed else transfer.size_bytes
        assert delivered + transfer.lost_bytes == pytest.approx(transfer.carried_bytes)
        if transfer.failed:
            assert 0 <= transfer.carried_bytes <= transfer.sent_bytes
        else:
            assert transfer.carried_bytes == transfer.sent_bytes
            assert transfer.lost_bytes == transfer.retransmitted_bytes
    if model_type in SHARING:  # a flow moves the same bytes over every link of its route
        for link, use in network.model.use.items():
            through = sum(t.carried_bytes for t in transfers if link in t.route)
            assert use.carried_bytes == pytest.approx(through)


@pytest.mark.parametrize("on_outage", ["wait", "fail"])
def test_an_outage_reached_by_two_timers_of_one_instant_stops_every_flow_at_that_instant(on_outage):
    """Found by the property above: both directions of edge (0, 2) go down at 1.3504654180693512,
    but the timer set at t = 0.316 for direction 0 -> 2 fires a unit in the last place late, after
    the reallocation that direction 2 -> 0's timer started; the flow on 0 -> 2 must stop then."""
    graph = nx.Graph()
    graph.add_edge(0, 1, bandwidth_bps=1e4, latency_s=0.043941225386978436)
    graph.add_edge(
        0,
        2,
        bandwidth_bps=1e4,
        latency_s=0.02226212944203811,
        outages=[(1.3504654180693512, 2.3504654180693514)],
    )
    specs = [(0, 2, 411, 1.0), (1, 2, 1, 0.25), (2, 0, 1, 0.0)]
    run(graph, specs, checked(FairSharing), on_outage)  # asserts at every reallocation


@pytest.mark.parametrize("model_type", SHARING)
def test_a_flow_started_in_an_outage_waits_for_its_end_whose_timer_floats_cannot_land_on(
    model_type,
):
    """Found by the shortcut's property (tests/test_speed_fair.py): 0.36185091063039915 plus
    (0.9174592163458423 - 0.36185091063039915) falls a unit in the last place short of the
    outage's end, so a timer set that way fired before it, found the link still down, and nothing
    woke the flow again."""
    graph = nx.Graph()
    graph.add_edge(0, 1, bandwidth_bps=1e4, latency_s=0.0, outages=[(0.0, 0.9174592163458423)])
    now, end = 0.36185091063039915, 0.9174592163458423
    assert now + (end - now) < end
    [transfer], _ = run(graph, [(0, 1, 1, now)], model_type, "wait")
    assert not transfer.failed and end < transfer.end_s < end + 0.01
