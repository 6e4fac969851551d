"""The max-min engine's shortcut (no progressive filling when the changed links bottleneck nobody)
gives the rates progressive filling gives, under fair, cm02 and lv08: the same transfers end at
the same instants."""

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_network_properties import networks, run

from netsim.network import Cm02, FairSharing, Lv08, MaxMinSharing


def always_filling(model_type: type[MaxMinSharing]) -> type[MaxMinSharing]:
    """``model_type`` without the shortcut: every change runs progressive filling."""

    class AlwaysFilling(model_type):
        def _bottlenecks_nobody(self, link):
            return False

    return AlwaysFilling


AlwaysFilling = always_filling(FairSharing)


@settings(max_examples=150, deadline=None)
@given(networks(), st.sampled_from(["wait", "fail"]))
@pytest.mark.parametrize("model_type", [FairSharing, Cm02, Lv08])
def test_the_shortcut_ends_every_transfer_when_progressive_filling_does(
    model_type, network, on_outage
):
    graph, specs = network
    fast, _ = run(graph, specs, model_type, on_outage)
    full, _ = run(graph, specs, always_filling(model_type), on_outage)
    assert [t.failed for t in fast] == [t.failed for t in full]
    assert [t.end_s for t in fast] == pytest.approx([t.end_s for t in full], rel=1e-9, abs=1e-12)
    assert [t.carried_bytes for t in fast] == pytest.approx(
        [t.carried_bytes for t in full], rel=1e-9, abs=1e-6
    )


def test_a_broadcast_behind_a_shared_backhaul_takes_both_paths_to_the_same_ends():
    graph = nx.Graph()
    graph.add_edge("learner", "edge", bandwidth_bps=1e6, latency_s=0.001)
    specs = []
    for agent in range(30):  # 30 agents at 50-150 kbit/s: the backhaul saturates, then frees up
        graph.add_edge("edge", agent, bandwidth_bps=50e3 + 100e3 * agent / 29, latency_s=0.0)
        specs.append(("learner", agent, 20_000 + 1_000 * agent, 0.01 * (agent % 7)))
    fast, _ = run(graph, specs, FairSharing)
    full, _ = run(graph, specs, AlwaysFilling)
    assert [t.end_s for t in fast] == pytest.approx([t.end_s for t in full], rel=1e-12)
