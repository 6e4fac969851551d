"""Central results change only on purpose: every table of small grid-world and Cart Pole trials
under each central round policy equals, cell for cell, the stored one.

The stored tables in ``tests/data/central_before/`` were written by this file's ``__main__`` at
commit 729d6b7, the last commit with the learner built into the core (the role-free core changed
no central result), and re-pinned for DQL, EBCDQL and DAVIA when every tabular agent came to draw
its exploration from its own stream and the grid worlds' batched form each sub-environment's
randomness from its own generator (ES and ESPC unchanged). Run ``python
tests/test_central_unchanged.py`` only to pin a deliberate change of results, and say so.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import netsim
from netsim import CentralSettings, ComputeSettings, NetworkSettings, Variant, star
from netsim.simulation import simulate

DATA = Path(__file__).parent / "data" / "central_before"
STEP_TIMES = [1e-3, 2e-3, 5e-3, 1e-2]
"""Four agents, one a tenfold straggler, so deadlines and async groups bite."""

POLICIES = {
    "barrier": CentralSettings(),
    "deadline": CentralSettings("deadline", deadline_s=0.2, late_reports="carry"),
    "async": CentralSettings("async", updates_every=2),
}
ALGORITHMS = {
    "dql": ("netsim/SimpleGrid-v0", {}, 12),
    "ebcdql": ("netsim/SimpleGrid-v0", {}, 12),
    "davia": ("netsim/SimpleGrid-v0", {}, 12),
    "es": ("CartPole-v1", {}, 4),
    "espc": ("CartPole-v1", {"m": 2, "k": 3}, 4),
}


def graph():
    """A star of four agents behind a router, one access link lossy and one with an outage."""
    topology = star(4, bandwidth_bps=2e5, latency_s=0.004, router=True, backbone_bandwidth_bps=1e6)
    edges = [edge for edge in topology.edges if "agent-1" in edge or "agent-2" in edge]
    topology.edges[edges[0]]["loss"] = 0.3
    topology.edges[edges[1]]["outages"] = [(0.02, 0.03), (0.2, 0.3)]
    return topology


def tables(algorithm: str, policy: str) -> dict[str, pd.DataFrame]:
    env, config, episodes = ALGORITHMS[algorithm]
    variant = Variant(
        f"{algorithm} {policy}",
        algorithm,
        graph(),
        env=env,
        config=config,
        network=NetworkSettings(model="fair", on_outage="fail", trace=True, load_bin_s=0.1),
        compute=ComputeSettings(step_time_s=STEP_TIMES, update_time_s=0.003),
        pattern=POLICIES[policy],
    )
    return simulate(variant, episodes, np.random.SeedSequence(7))


CASES = [(algorithm, policy) for algorithm in ALGORITHMS for policy in POLICIES]


@pytest.mark.parametrize(("algorithm", "policy"), CASES)
def test_central_tables_are_those_of_the_core_with_a_built_in_learner(algorithm, policy):
    for name, table in tables(algorithm, policy).items():
        before = pd.read_parquet(DATA / f"{algorithm}-{policy}-{name}.parquet")
        pd.testing.assert_frame_equal(table.reset_index(drop=True), before, check_exact=True)


if __name__ == "__main__":
    assert netsim
    DATA.mkdir(parents=True, exist_ok=True)
    for algorithm, policy in CASES:
        for name, table in tables(algorithm, policy).items():
            table.reset_index(drop=True).to_parquet(DATA / f"{algorithm}-{policy}-{name}.parquet")
            print(algorithm, policy, name, len(table), file=sys.stderr)
