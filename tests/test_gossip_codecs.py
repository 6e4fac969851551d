"""Gossip with a lossy codec on the parameters agents exchange (GossipSettings.codec): the bytes on
the wire shrink as the encoding says, the agents still learn and agree, and a lost message costs
nothing but delay."""

import networkx as nx
import numpy as np
import pytest

import netsim
from netsim import GossipSettings, NetworkSettings, Variant

GRID, Q_VALUES = "netsim/SimpleGrid-v0", 25 * 5
HEADER = netsim.Framing().header_bytes


def run(codec="none", graph="ring", rounds=40, topology=None, network=None, **options):
    variant = Variant(
        codec,
        "dql",
        topology if topology is not None else netsim.star(6, 1e6, 0.005),
        env=GRID,
        network=network or NetworkSettings(),
        pattern=GossipSettings(graph, codec=codec, codec_options=options),
    )
    return netsim.simulate(variant, rounds, np.random.SeedSequence(1))


@pytest.mark.parametrize(
    ("codec", "options", "payload_bytes"),
    [
        ("float16", {}, 2 * Q_VALUES),
        ("int8", {}, 4 + Q_VALUES),
        ("top-k", {"fraction": 0.1}, 8 * round(0.1 * Q_VALUES)),
    ],
)
def test_parameters_cross_at_the_encodings_size_after_a_full_opening(codec, options, payload_bytes):
    plain, coded = run(rounds=5), run(codec, rounds=5, **options)
    # two neighbours each on a ring: the opening in full, then the encoding, every round
    per_round = coded["metrics"].groupby("episode")["params_wire_bytes"].mean()
    assert (
        per_round.iloc[0] == plain["metrics"].groupby("episode")["params_wire_bytes"].mean().iloc[0]
    )
    assert (per_round.iloc[1:] == 2 * (payload_bytes + HEADER)).all()


@pytest.mark.parametrize(
    ("codec", "options"), [("float16", {}), ("int8", {}), ("top-k", {"fraction": 0.1})]
)
def test_agents_still_learn_and_agree_under_a_lossy_codec(codec, options):
    plain, coded = run(), run(codec, **options)
    for tables in (plain, coded):
        reward = tables["metrics"].groupby("episode")["reward"].mean()
        assert reward.iloc[-10:].mean() > reward.iloc[:10].mean() + 1
    distance = coded["consensus"].groupby("episode")["distance"].mean()
    reference = plain["consensus"].groupby("episode")["distance"].mean()
    assert distance.iloc[-5:].mean() < 3 * reference.iloc[-5:].mean() + 0.05


def test_a_lost_parameter_message_is_sent_again_in_the_next_and_the_agents_learn_as_without():
    """Peer links down half the time, failing what meets an outage: a stream's two ends count
    only what arrived, so what was lost goes with the next message, and the agents learn about as
    well as with the parameters sent in full."""
    ring = netsim.peer_to_peer(nx.cycle_graph(6), 1e6, 0.005)
    flaky = netsim.with_random_outages(ring, 0.5, mean_outage_s=0.05, horizon_s=100, seed=3)
    fail = NetworkSettings(on_outage="fail")
    plain = run("none", "physical", 60, flaky, fail)
    coded = run("top-k", "physical", 60, flaky, fail, fraction=0.2)
    assert coded["metrics"]["lost"].sum() > 0
    finals = []
    for tables in (plain, coded):
        reward = tables["metrics"].groupby("episode")["reward"].mean()
        assert reward.iloc[-10:].mean() > reward.iloc[:10].mean() + 0.5
        finals.append(reward.iloc[-10:].mean())
    assert finals[1] > finals[0] - 1.5


def test_a_codec_that_does_not_fit_is_named():
    with pytest.raises(ValueError, match="unknown codec 'int4' \\(did you mean 'int8'\\?\\)"):
        GossipSettings(codec="int4")
    with pytest.raises(ValueError, match="codec_options \\{'k': 3\\} do not fit the top-k codec"):
        GossipSettings(codec="top-k", codec_options={"k": 3})
