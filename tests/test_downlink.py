"""The delta and replay downlinks (netsim/patterns/central/downlink.py): an agent's copy of the
policy is the learner's version, bit for bit, after every delivery (the pattern checks it on each
one), under every round policy and with outages that make agents miss versions; a delta costs what
changed, a replay the reports and the compute of repeating the updates."""

import numpy as np
import pytest

import netsim
from netsim import CentralSettings, NetworkSettings, Variant
from netsim.patterns.central.downlink import Downlinks

GRID = "netsim/SimpleGrid-v0"
POLICIES = {
    "barrier": {},
    "deadline": {"policy": "deadline", "deadline_s": 0.15},
    "async": {"policy": "async", "updates_every": 2},
}


def run(
    downlink, policy="barrier", algorithm="dql", outages=False, episodes=30, bps=1e5, **variant
):
    topology = netsim.star(4, bps, 0.01, router=True, backbone_bandwidth_bps=bps)
    network = NetworkSettings()
    if outages:  # agents miss versions: their policies are lost
        topology = netsim.with_random_outages(
            topology, 0.3, mean_outage_s=0.1, horizon_s=200, seed=1,
            links=[("router", "agent-1"), ("router", "agent-2")],
        )  # fmt: skip
        network = NetworkSettings(on_outage="fail")
    made = Variant(
        downlink, algorithm, topology, network=network,
        pattern=CentralSettings(**POLICIES[policy], downlink=downlink),
        **{"env": GRID if algorithm != "espc" else "CartPole-v1", **variant},
    )  # fmt: skip
    return netsim.simulate(made, episodes, np.random.SeedSequence(2))["metrics"]


@pytest.mark.parametrize("algorithm", ["dql", "davia"])
def test_under_barrier_rounds_a_delta_changes_the_bytes_and_when_not_what_is_learnt(algorithm):
    full, delta = run("full", algorithm=algorithm), run("delta", algorithm=algorithm)
    for column in ("reward", "steps", "sent", "payload_bytes", "wire_bytes"):
        assert full[column].tolist() == delta[column].tolist()
    if algorithm == "dql":  # a round's samples touch a few cells of Q
        assert delta["downlink_wire_bytes"].sum() < 0.8 * full["downlink_wire_bytes"].sum()
        assert delta["sim_time_s"].max() < full["sim_time_s"].max()
    extra = delta["downlink_wire_bytes"] - full["downlink_wire_bytes"]
    assert extra.max() == 5  # never more than the header: a dense change goes in full


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize(("downlink", "algorithm"), [("delta", "dql"), ("replay", "espc")])
def test_every_delivered_copy_is_the_learners_version_under_each_policy_with_lost_versions(
    downlink, algorithm, policy
):
    config = {"config": {"m": 2, "k": 3}} if algorithm == "espc" else {}
    coded = run(downlink, policy, algorithm, outages=True, episodes=40, **config)  # checks copies
    assert coded["lost"].sum() > 0
    full = run("full", policy, algorithm, outages=True, episodes=40, **config)
    assert coded["downlink_wire_bytes"].sum() < full["downlink_wire_bytes"].sum()


def test_a_replaying_agent_spends_the_learners_update_time_per_update_it_repeats():
    """On a fast network the round's time is compute: each agent repeats one update a round,
    update_time_s each (from round 2: round 0 sends the policy, round 1 the learner's state)."""
    compute = netsim.ComputeSettings(step_time_s=1e-3, update_time_s=0.2)
    settings = {"config": {"m": 2, "k": 3}, "compute": compute}
    full = run("full", algorithm="espc", episodes=10, bps=1e10, **settings)
    replay = run("replay", algorithm="espc", episodes=10, bps=1e10, **settings)
    assert replay["reward"].tolist() == full["reward"].tolist()
    rounds = full.groupby("episode")["sim_time_s"].max().diff().dropna()
    replayed = replay.groupby("episode")["sim_time_s"].max().diff().dropna()
    np.testing.assert_allclose((replayed - rounds).iloc[1:], 0.2, atol=2e-3)
    assert abs((replayed - rounds).iloc[0]) < 2e-3


def test_a_message_that_arrives_after_a_newer_one_is_decoded_from_its_own_base():
    downlinks = Downlinks("delta", 1, learner=None)  # a delta reads no learner
    v0 = np.arange(8, dtype=np.float32)
    downlinks.ended(0, 0, downlinks.message(0, 0, v0.tobytes()), delivered=True)
    v1, v2 = v0.copy(), v0.copy()
    v1[2] = 50.0
    v2[[2, 5]] = [50.0, 60.0]
    first = downlinks.message(0, 1, v1.tobytes())  # both based on version 0
    second = downlinks.message(0, 2, v2.tobytes())
    assert len(first) == 5 + 8 and len(second) == 5 + 16
    assert downlinks.ended(0, 2, second, delivered=True) == (v2.tobytes(), 0)
    assert downlinks.ended(0, 1, first, delivered=True) == (v1.tobytes(), 0)
    assert downlinks.newest[0] == 2 and set(downlinks.held[0]) == {2}
    assert len(downlinks.message(0, 3, v0.tobytes())) == 5 + 16  # from version 2: two changed


def test_a_misspelt_downlink_is_named():
    with pytest.raises(
        ValueError, match="unknown CentralSettings.downlink 'delat' \\(did you mean"
    ):
        CentralSettings(downlink="delat")


def test_where_a_rounds_reports_outweigh_the_policy_replay_sends_the_policy():
    """ES with 40 agents on Cart Pole: an update's 40 reports (644 bytes) outweigh the 520-byte
    policy, so every message is the policy behind the 5-byte header, and nobody replays."""
    topology = netsim.star(40, 1e6, 0.01)
    tables = {
        downlink: netsim.simulate(
            Variant(downlink, "es", topology, pattern=CentralSettings(downlink=downlink)),
            4,
            np.random.SeedSequence(0),
        )["metrics"]
        for downlink in ("full", "replay")
    }
    extra = tables["replay"]["downlink_wire_bytes"] - tables["full"]["downlink_wire_bytes"]
    assert set(extra) == {5}


def test_a_delta_of_a_policy_that_is_not_float32_values_is_refused_by_name():
    downlinks = Downlinks("delta", 1, learner=None)
    with pytest.raises(ValueError, match="delta downlink needs a policy of float32 values; .* 7"):
        downlinks.message(0, 0, b"1234567")
