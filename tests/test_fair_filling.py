"""The vectorised progressive filling (``fair-vectorised``, netsim/network/filling.py) gives the
values the exact filling gives, to rounding: the same transfers end at the same instants to a
relative 1e-9, on random workloads, and on one large component."""

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_network_properties import networks, run
from test_speed_fair import always_filling

from netsim.network import MODELS, Cm02, FairSharing, Lv08, MaxMinSharing, VectorisedFairSharing
from netsim.network.filling import max_min_values

TOLERANCE = {"rel": 1e-9, "abs": 1e-12}


def always_vectorised(model_type: type[MaxMinSharing]) -> type[MaxMinSharing]:
    """``model_type`` filling every component in numpy, however small."""

    class AlwaysVectorised(model_type):
        vectorised_from = 1

    return AlwaysVectorised


def test_fair_vectorised_is_a_named_model_and_fair_stays_exact():
    assert MODELS["fair-vectorised"] is VectorisedFairSharing
    assert FairSharing.vectorised_from == float("inf")


def test_the_textbook_example():
    # link 0 (capacity 10) carries flows 0 and 1, link 1 (capacity 4) flows 1 and 2: link 1 fixes
    # flows 1 and 2 at 2, and flow 0 takes what link 0 has left, 8
    values = max_min_values(
        np.array([10.0, 4.0]),
        np.array([0, 0, 1, 1]),
        np.array([0, 1, 1, 2]),
        np.ones(4),
        np.ones(3),
        np.full(3, np.inf),
    )
    assert values.tolist() == [8.0, 2.0, 2.0]


def test_a_bound_weights_and_penalties():
    # one link of capacity 12; flow 0 bounded at 1, flow 1 of weight 2, flow 2 of penalty 2:
    # flow 0 stops at its bound, then lambda (2 + 1/2) = 11 gives flow 1 4.4 and flow 2 2.2
    values = max_min_values(
        np.array([12.0]),
        np.array([0, 0, 0]),
        np.array([0, 1, 2]),
        np.array([1.0, 2.0, 1.0]),
        np.array([1.0, 1.0, 2.0]),
        np.array([1.0, np.inf, np.inf]),
    )
    assert values.tolist() == pytest.approx([1.0, 4.4, 2.2], rel=1e-15)


@settings(max_examples=100, deadline=None)
@given(networks(), st.sampled_from(["wait", "fail"]))
@pytest.mark.parametrize("model_type", [FairSharing, Cm02, Lv08])
def test_vectorised_filling_ends_every_transfer_when_the_exact_one_does(
    model_type, network, on_outage
):
    graph, specs = network
    exact, _ = run(graph, specs, always_filling(model_type), on_outage)
    vectorised, _ = run(graph, specs, always_vectorised(always_filling(model_type)), on_outage)
    assert [t.failed for t in vectorised] == [t.failed for t in exact]
    assert [t.end_s for t in vectorised] == pytest.approx([t.end_s for t in exact], **TOLERANCE)
    assert [t.carried_bytes for t in vectorised] == pytest.approx(
        [t.carried_bytes for t in exact], rel=1e-9, abs=1e-6
    )


def test_a_large_component_takes_the_vectorised_path_to_the_same_ends(monkeypatch):
    rng = np.random.default_rng(3)
    graph = nx.Graph()
    graph.add_edge("learner", "core", bandwidth_bps=2e8, latency_s=0.002)
    specs = []
    for edge in range(4):  # 4 backhauls of 4 x 100 agents: the core, then backhauls, saturate
        graph.add_edge("core", f"edge-{edge}", bandwidth_bps=rng.uniform(2e7, 8e7), latency_s=0.001)
        for agent in range(100):
            graph.add_edge(
                f"edge-{edge}",
                (edge, agent),
                bandwidth_bps=rng.lognormal(np.log(1e6), 0.5),
                latency_s=0.0,
            )
            specs.append(("learner", (edge, agent), int(rng.integers(10_000, 200_000)), 0.0))
    calls = []
    vectorised = VectorisedFairSharing._max_min_vectorised
    monkeypatch.setattr(
        VectorisedFairSharing,
        "_max_min_vectorised",
        lambda self, links, flows: calls.append(len(flows)) or vectorised(self, links, flows),
    )
    exact, _ = run(graph, specs, FairSharing)
    fast, _ = run(graph, specs, VectorisedFairSharing)
    assert max(calls) == 400 and min(calls) >= VectorisedFairSharing.vectorised_from
    assert [t.end_s for t in fast] == pytest.approx([t.end_s for t in exact], **TOLERANCE)
