"""The TCP models cm02 and lv08 against SimGrid itself, its documented examples and closed forms."""

import json
import math
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st
from test_network_properties import networks, run

import netsim
from netsim import NetworkSettings, Topology, Variant, star, time_transfers
from netsim.config import scenario_from_dict
from netsim.network import LV08, Cm02, FairSharing, Lv08, TcpParameters
from netsim.network.transfer import Transfer

REFERENCE = json.loads(
    (Path(__file__).parent / "data" / "simgrid_tcp_cases.json").read_text(encoding="utf-8")
)


def graph_of(edges: list) -> nx.Graph:
    graph = nx.Graph()
    for u, v, bandwidth_bps, latency_s in edges:
        graph.add_edge(u, v, bandwidth_bps=bandwidth_bps, latency_s=latency_s)
    return graph


def one_link(bandwidth_bps: float, latency_s: float) -> nx.Graph:
    return graph_of([["a", "b", bandwidth_bps, latency_s]])


@pytest.mark.parametrize("case", REFERENCE["cases"], ids=lambda case: case["name"])
def test_finish_times_equal_simgrids(case):
    graph = graph_of(case["edges"])
    topology = Topology(graph, roles=False)
    for path in case["routes"]:  # SimGrid was given netsim's routes when the data was made
        assert [path[0], *(link.dst for link in topology.route(path[0], path[-1]))] == path
    tcp = None if case["tcp"] is None else TcpParameters(**case["tcp"])
    transfers = [tuple(transfer) for transfer in case["transfers"]]
    ends = time_transfers(graph, transfers, case["model"], tcp=tcp)
    assert ends == pytest.approx(case["simgrid_ends_s"], rel=1e-6)


def test_the_reference_covers_what_the_issue_asks():
    names = {case["name"].rsplit(" ", 1)[0] for case in REFERENCE["cases"]}
    for model in ("cm02", "lv08"):
        assert {f"{model} {family}" for family in ("single", "rtt", "window", "late")} <= names
    assert all("--cfg=network/optim:Full" in case["flags"] for case in REFERENCE["cases"])


@pytest.mark.parametrize(
    ("latency_s", "expected_s"),
    [(0.0, 1.0), (0.001, 4.76937158203125), (0.1, 476.937158203125)],
)
def test_simgrids_cm02_window_examples(latency_s, expected_s):
    # 1e10 bytes over a 1e10 bytes/s link: the window gamma / (2 latency) binds from 1 ms on
    graph = one_link(8e10, latency_s)
    assert time_transfers(graph, [("a", "b", 10**10, 0.0)], "cm02") == [
        pytest.approx(expected_s, rel=1e-12)
    ]


def test_simgrids_lv08_example_on_a_split_duplex_link():
    # 100 kB over 1 Mbit/s, 10 ms: 13.01 * 0.01 + 8e5 / (0.97 * 1e6); netsim's edges are duplex
    ends = time_transfers(one_link(1e6, 0.01), [("a", "b", 100_000, 0.0)], "lv08")
    assert ends == [pytest.approx(0.9548422680412371, rel=1e-12)]


def test_simgrids_lv08_example_on_a_shared_link():
    # One capacity for both directions: the flow's acknowledgements (5 %) load the link it sends
    # on, as when its route back is its own route: 13.01 * 0.01 + 8e5 * 1.05 / (0.97 * 1e6)
    env = simpy.Environment()
    model = Lv08(env)
    link = Topology(one_link(1e6, 0.01), roles=False).route("a", "b")
    transfer = Transfer(link, 100_000, 0, 0.0, env.event(), back_route=link)
    model.start(transfer)
    env.run()
    assert transfer.end_s == pytest.approx(0.9960793814432991, rel=1e-12)


def test_flows_share_a_bottleneck_inversely_to_their_round_trip():
    # Penalties 0.01 and 0.03 s: shares 3/4 and 1/4 of 1 Mbit/s while both send.
    graph = graph_of([["s0", "x", 1e9, 0.005], ["s1", "x", 1e9, 0.025], ["x", "d", 1e6, 0.005]])
    quiet = TcpParameters(tcp_gamma_bytes=0.0, cross_traffic=0.0)
    ends = time_transfers(
        graph, [("s0", "d", 75_000, 0.0), ("s1", "d", 75_000, 0.0)], "cm02", tcp=quiet
    )
    # s0 joins at 10 ms, s1 at 30 ms; from 30 ms s0 gets 750 kbit/s until it is done
    s0_sent = 1e6 / 8 * 0.02
    s0_end = 0.03 + (75_000 - s0_sent) * 8 / 0.75e6
    s1_left = 75_000 - 0.25e6 / 8 * (s0_end - 0.03)
    assert ends == pytest.approx([s0_end, s0_end + s1_left * 8 / 1e6], rel=1e-12)


@settings(max_examples=80, deadline=None)
@given(networks(lossy=True, outages=False), st.sampled_from(["wait", "fail"]))
def test_without_window_acks_and_latency_cm02_is_fair(case, on_outage):
    # all latencies 0: every penalty is 1 (SimGrid's rule), so only the window and ACKs differ
    graph, specs = case
    for _, _, data in graph.edges(data=True):
        data["latency_s"] = 0.0
    assert_same_ends(graph, specs, QuietCm02, on_outage)


@settings(max_examples=80, deadline=None)
@given(networks(), st.sampled_from(["wait", "fail"]))
def test_without_window_acks_and_weights_cm02_is_fair(case, on_outage):
    graph, specs = case
    assert_same_ends(graph, specs, UnweightedQuietCm02, on_outage)


class QuietCm02(Cm02):
    """cm02 with the window and the acknowledgements switched off."""

    def __init__(self, env, on_outage="wait"):
        super().__init__(env, on_outage, TcpParameters(tcp_gamma_bytes=0.0, cross_traffic=0.0))


class UnweightedQuietCm02(QuietCm02):
    """... and every penalty 1: plain max-min."""

    def share(self, transfer):
        share = super().share(transfer)
        return type(share)(share.latency_s, share.weights, 1.0, share.bound_bps)


def assert_same_ends(graph, specs, model_type, on_outage):
    tcp, _ = run(graph, specs, model_type, on_outage)
    fair, _ = run(graph, specs, FairSharing, on_outage)
    assert [t.failed for t in tcp] == [t.failed for t in fair]
    assert [t.end_s for t in tcp] == pytest.approx([t.end_s for t in fair], rel=1e-9, abs=1e-12)


def test_the_window_of_a_long_route_limits_a_broadcast_not_the_bandwidth():
    graph = one_link(1e9, 0.05)  # gamma / (2 L) = 4 MiB / 0.1 s = 335.5 Mbit/s < 1 Gbit/s
    fair, cm02 = (time_transfers(graph, [("a", "b", 10**8, 0.0)], m)[0] for m in ("fair", "cm02"))
    assert fair == pytest.approx(0.05 + 0.8)
    assert cm02 == pytest.approx(0.05 + 10**8 / (4_194_304 / 0.1))


def test_parameters_reach_a_trial():
    def ends(settings: NetworkSettings) -> np.ndarray:
        variant = Variant("v", "es", star(2, 1e9, 0.05), network=settings)
        messages = netsim.simulate(variant, 2, np.random.SeedSequence(0))["messages"]
        return (messages.end_s - messages.start_s).to_numpy()

    default = ends(NetworkSettings(model="cm02", trace=True))
    small_window = ends(
        NetworkSettings(model="cm02", trace=True, tcp=TcpParameters(tcp_gamma_bytes=1_000.0))
    )
    assert (small_window > default).all()


def test_a_config_file_sets_the_tcp_parameters():
    scenario = scenario_from_dict(
        {
            "name": "tcp",
            "variants": [
                {
                    "name": "ES",
                    "algorithm": "es",
                    "topology": {"builder": "star", "n_agents": 2, "bandwidth_bps": 1e6},
                    "network": {"model": "cm02", "tcp": {"tcp_gamma_bytes": 65536}},
                }
            ],
        }
    )
    assert scenario.variants[0].network.tcp == TcpParameters(tcp_gamma_bytes=65536.0)


def test_lv08_is_cm02_with_lv08s_parameters():
    graph = graph_of([["a", "x", 1e7, 0.01], ["x", "b", 1e6, 0.03], ["c", "x", 1e8, 0.0]])
    transfers = [("a", "b", 300_000, 0.0), ("c", "b", 200_000, 0.1), ("b", "a", 100_000, 0.05)]
    assert time_transfers(graph, transfers, "lv08") == time_transfers(
        graph, transfers, "cm02", tcp=LV08
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: TcpParameters(tcp_gamma_bytes=-1.0), "tcp_gamma_bytes = -1.0 must be finite"),
        (lambda: TcpParameters(latency_factor=math.inf), "latency_factor = inf must be finite"),
        (lambda: TcpParameters(bandwidth_factor=0.0), "bandwidth_factor = 0 must be > 0"),
        (lambda: TcpParameters(cross_traffic="5%"), "cross_traffic = '5%' must be a number"),
        (
            lambda: NetworkSettings(model="lv08", tcp=TcpParameters()),
            "network model 'lv08' takes no TCP parameters .*give those to cm02",
        ),
        (
            lambda: time_transfers(one_link(1e6, 0.0), [], "fair", tcp=TcpParameters()),
            "network model 'fair' takes no TCP parameters",
        ),
    ],
)
def test_bad_tcp_input_is_refused_naming_the_culprit(call, message):
    with pytest.raises(ValueError, match=message):
        call()
