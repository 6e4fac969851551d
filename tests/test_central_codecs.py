"""Lossy codecs in the central pattern: the policy broadcast as one coded stream that every agent
adds up to the same estimate (netsim/patterns/central/downlink.py), and vector reports (DAVIA's
gradients) coded with error feedback per agent (netsim/codecs.py, ``Residual``)."""

import numpy as np
import pytest

import netsim
from netsim import CentralSettings, NetworkSettings, Variant
from netsim.codecs import CODECS, Residual
from netsim.patterns.central.downlink import Downlinks

GRID = "netsim/SimpleGrid-v0"
POLICIES = {
    "barrier": {},
    "deadline": {"policy": "deadline", "deadline_s": 0.15},
    "async": {"policy": "async", "updates_every": 2},
}


def run(algorithm="dql", policy="barrier", outages=False, episodes=30, **coding):
    topology = netsim.star(4, 1e5, 0.01, router=True, backbone_bandwidth_bps=1e5)
    network = NetworkSettings()
    if outages:  # agents miss versions and reports: their messages are lost
        topology = netsim.with_random_outages(
            topology, 0.3, mean_outage_s=0.1, horizon_s=200, seed=1,
            links=[("router", "agent-1"), ("router", "agent-2")],
        )  # fmt: skip
        network = NetworkSettings(on_outage="fail")
    made = Variant(
        "coded", algorithm, topology, env=GRID, network=network,
        pattern=CentralSettings(**POLICIES[policy], **coding),
    )  # fmt: skip
    return netsim.simulate(made, episodes, np.random.SeedSequence(2))["metrics"]


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize(("codec", "options"), [("int8", {}), ("top-k", {"fraction": 0.1})])
def test_every_delivered_copy_is_the_shared_estimate_under_each_policy_with_lost_versions(
    codec, options, policy
):
    """The pattern checks each delivered copy against the estimate the agents were meant to
    hold (a chain of broadcasts an agent missed, added up in the learner's order): a run that
    ends passed every check."""
    coded = run(policy=policy, outages=True, episodes=40, codec=codec, codec_options=options)
    full = run(policy=policy, outages=True, episodes=40)
    assert coded["lost"].sum() > 0
    assert coded["downlink_wire_bytes"].sum() < 0.7 * full["downlink_wire_bytes"].sum()


def test_a_coded_downlink_changes_what_the_agents_play_and_they_still_learn():
    full, coded = run("davia", episodes=60), run("davia", episodes=60, codec="int8")
    assert full["reward"].tolist() != coded["reward"].tolist()
    rewards = coded.groupby("episode")["reward"].mean()
    assert rewards.iloc[50:].mean() > rewards.iloc[:10].mean() + 3  # about -9.2 to -5.3


def downlinks(codec, **options):
    return Downlinks("full", 1, None, CODECS[codec](**options), np.random.default_rng(0))


def deliver(links, version, payload):
    estimate = links.policy(version, payload)
    data = links.message(0, version, estimate)
    copy, _ = links.ended(0, version, data, delivered=True)
    assert copy == estimate
    return data, np.frombuffer(estimate, dtype="<f4")


def test_the_shared_estimate_reaches_a_policy_that_stops_changing():
    """Error feedback at the learner: top-k at 10% sends the 10 largest of what the estimate
    lacks each time, so 100 changed entries arrive within 10 broadcasts."""
    links, rng = downlinks("top-k", fraction=0.1), np.random.default_rng(1)
    start = rng.normal(size=100).astype(np.float32)
    deliver(links, 0, start.tobytes())
    target = start + rng.normal(size=100).astype(np.float32)
    for version in range(1, 11):
        data, estimate = deliver(links, version, target.tobytes())
        assert len(data) == 5 + 4 + 4 + 8 * 10  # header, one step: its length and 10 entries
        assert version == 10 or not np.array_equal(estimate, target)
    assert np.array_equal(estimate, target)


def test_an_agent_that_missed_broadcasts_gets_their_chain_or_the_estimate_in_full():
    links, rng = downlinks("top-k", fraction=0.05), np.random.default_rng(1)
    deliver(links, 0, rng.normal(size=100).astype(np.float32).tobytes())
    for version in range(1, 4):  # broadcast to the others; this agent misses them
        links.policy(version, rng.normal(size=100).astype(np.float32).tobytes())
    data, _ = deliver(links, 4, rng.normal(size=100).astype(np.float32).tobytes())
    assert len(data) == 5 + 4 + 4 * (4 + 8 * 5)  # four steps of five entries each
    for version in range(5, 15):
        links.policy(version, rng.normal(size=100).astype(np.float32).tobytes())
    data, _ = deliver(links, 15, rng.normal(size=100).astype(np.float32).tobytes())
    assert len(data) == 5 + 4 * 100  # eleven steps outweigh the estimate itself


@pytest.mark.parametrize(("codec", "options"), [("int8", {}), ("top-k", {"fraction": 0.1})])
def test_coded_reports_lose_nothing_given_only_delay_it(codec, options):
    """What was given equals what arrived plus the residual, whatever is lost on the way."""
    residual = Residual(CODECS[codec](**options), 50, np.random.default_rng(0))
    given, arrived = np.zeros(50), np.zeros(50)
    for t in range(40):
        gradient = np.random.default_rng(t).normal(size=50).astype(np.float32)
        given += gradient
        coded = residual.send(gradient)
        if t % 5 == 2:
            residual.lost(coded)
        else:
            arrived += coded.values
    np.testing.assert_allclose(given, arrived + residual.residual, atol=1e-9)
    assert np.abs(residual.residual).max() > 0  # a lossy codec did leave something behind


def test_davia_learns_from_coded_gradients_at_a_fraction_of_the_uplink_bytes():
    full = run("davia", episodes=60)
    coded = run("davia", episodes=60, report_codec="int8")
    sent = coded["sent"] == 1
    assert sent.sum() > 0
    ratio = coded["payload_bytes"][sent].sum() / full["payload_bytes"][full["sent"] == 1].sum()
    assert ratio < 0.4  # 4 + n bytes against 4n, for the rounds that sent
    rewards = coded.groupby("episode")["reward"].mean()
    assert rewards.iloc[50:].mean() > rewards.iloc[:10].mean() + 3


def test_codecs_are_refused_where_they_cannot_apply():
    with pytest.raises(ValueError, match="codec = 'int8' codes the full downlink; the delta"):
        CentralSettings(downlink="delta", codec="int8")
    with pytest.raises(ValueError, match="report_codec = 'int8' codes reports that are float32"):
        run("dql", episodes=2, report_codec="int8")
    with pytest.raises(ValueError, match="report_codec_options \\{'k': 3\\} do not fit"):
        CentralSettings(report_codec="top-k", report_codec_options={"k": 3})
