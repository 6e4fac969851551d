"""Whole trials give what they gave before the speed work (pinned from the code of commit fb2f27a).

Every column but the simulated times is pinned bit for bit (a digest): rewards, steps, sends, bytes,
losses, so the ES returns, reports and updates are unchanged. Simulated times are pinned to 1e-12
relative: the fair model's arithmetic may round differently in the last bits.
"""

import hashlib

import numpy as np
import pytest

import netsim
from netsim import NetworkSettings, Variant, star, two_tier

EXACT_COLUMNS = (
    "episode",
    "agent",
    "reward",
    "steps",
    "sent",
    "payload_bytes",
    "wire_bytes",
    "control_wire_bytes",
    "downlink_wire_bytes",
    "resent_wire_bytes",
    "lost",
    "policy_version",
)


def lossy_two_tier_fair() -> Variant:
    graph = two_tier(
        8,
        2,
        access_bandwidth_bps={"distribution": "lognorm", "s": 0.5, "scale": 2e5},
        backhaul_bandwidth_bps=5e5,
        access_latency_s=[0.001 * agent for agent in range(8)],
        access_loss=0.05,
        backhaul_latency_s=0.002,
        seed=3,
    )
    return Variant("es-fair", "es", graph, network=NetworkSettings(model="fair", trace=True))


def espc_store_and_forward() -> Variant:
    return Variant(
        "espc-saf",
        "espc",
        star(8, 1e5, 0.01, router=True),
        config={"m": 3, "k": 3},
        network=NetworkSettings(trace=True),
    )


@pytest.mark.parametrize(
    ("variant", "digest", "times", "ends"),
    [
        (
            lossy_two_tier_fair,
            "f4e9d09c52e2f0874be8617556ab408a7de51444f0d5deb7edde650a00e0e7a6",
            (15.980580011974507, 6.927387344872878),
            (31.091550088594953, 13.293341705774939),
        ),
        (
            espc_store_and_forward,
            "07cef2c42cbb9aeddc2dedaf9991f236b6b435c08735f8cffc50761d8899f402",
            (66.44299999999996, 119.65795542879982),
            (131.6250799999999, 235.86897179999963),
        ),
    ],
)
def test_a_trial_gives_what_it_gave_before_the_speed_work(variant, digest, times, ends):
    tables = netsim.simulate(variant(), 6, np.random.SeedSequence(5))
    metrics = tables["metrics"]
    hashed = hashlib.sha256()
    for column in EXACT_COLUMNS:
        hashed.update(np.ascontiguousarray(metrics[column].to_numpy()).tobytes())
    assert hashed.hexdigest() == digest
    for values, (total, squares) in (
        (metrics["sim_time_s"].to_numpy(), times),
        (tables["messages"]["end_s"].to_numpy(), ends),
    ):
        assert values.sum() == pytest.approx(total, rel=1e-12)
        assert (values**2).sum() == pytest.approx(squares, rel=1e-12)
