"""Quiet round trips (netsim/patterns/central/quiet.py) give the tables the events give, bit for bit.

Each trial runs twice: as it runs, and with no trip taken as quiet (every agent's trip driven by
its SimPy events); every table must be equal cell for cell. The topologies mix quiet agents with
agents that are not (a lossy link, an outage, a shared backbone), and the agents' step times,
latencies and bandwidths differ, so quiet and event-driven trips end at interleaved instants.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import netsim.patterns.central.barrier as barrier
from netsim import CentralSettings, ComputeSettings, NetworkSettings, Variant, star
from netsim.simulation import simulate

STEP_TIMES = [1.1e-3, 2.3e-3, 5.7e-3, 1.3e-2, 3.1e-3]


def mixed_star():
    """Five agents on their own links of unequal bandwidth and latency; agent 1's link is lossy
    and agent 3's has an outage, so their trips are not quiet."""
    topology = star(
        5,
        bandwidth_bps=[2.1e5, 1.3e5, 3.7e5, 2.9e5, 7.3e4],
        latency_s=[0.0043, 0.0017, 0.0, 0.0111, 0.0031],
    )
    topology.edges["learner", "agent-1"]["loss"] = 0.3
    topology.edges["learner", "agent-3"]["outages"] = [(0.02, 0.03), (0.2, 0.3)]
    return topology


def variant(algorithm: str, env: str, config: dict, topology, **network) -> Variant:
    return Variant(
        algorithm,
        algorithm,
        topology,
        env=env,
        config=config,
        network=NetworkSettings(**network),
        compute=ComputeSettings(step_time_s=STEP_TIMES, update_time_s=0.003),
        pattern=CentralSettings(),
    )


def both_ways(monkeypatch, case: Variant, episodes: int):
    """The tables as the trial runs, the quiet mask it used, and the tables with no quiet trip."""
    masks = []
    quiet_agents = barrier.quiet_agents

    def recorded(*args, **kwargs):
        masks.append(quiet_agents(*args, **kwargs))
        return masks[-1]

    monkeypatch.setattr(barrier, "quiet_agents", recorded)
    quiet = simulate(case, episodes, np.random.SeedSequence(5))
    monkeypatch.setattr(
        barrier, "quiet_agents", lambda *args, **kwargs: np.zeros(case.n_agents, dtype=bool)
    )
    events = simulate(case, episodes, np.random.SeedSequence(5))
    return quiet, masks[0], events


CASES = {
    "es": ("es", "CartPole-v1", {}, 4),
    "espc": ("espc", "CartPole-v1", {"m": 2, "k": 3}, 4),  # silent agents send notices
    "dql": ("dql", "netsim/SimpleGrid-v0", {}, 6),
}


@pytest.mark.parametrize("name", CASES)
def test_quiet_trips_give_the_event_driven_tables(monkeypatch, name):
    algorithm, env, config, episodes = CASES[name]
    case = variant(algorithm, env, config, mixed_star())
    quiet, mask, events = both_ways(monkeypatch, case, episodes)
    assert mask.tolist() == [True, False, True, False, True]
    assert quiet.keys() == events.keys()
    for table in quiet:
        pd.testing.assert_frame_equal(quiet[table], events[table], check_exact=True)


def test_no_trip_is_quiet_on_a_shared_link_or_a_model_without_the_shortcut(monkeypatch):
    for topology, network in [
        (star(5, 1e5, 0.002, router=True), {}),
        (star(5, 1e5, 0.002), {"model": "fair"}),
        (star(5, 1e5, 0.002), {"trace": True}),
    ]:
        case = variant("es", "CartPole-v1", {}, topology, **network)
        _, mask, _ = both_ways(monkeypatch, case, 1)
        assert not mask.any()


def test_a_run_of_quiet_trips_only_gives_the_event_driven_tables(monkeypatch):
    case = variant("es", "CartPole-v1", {}, star(5, 1e6, 0.001))
    quiet, mask, events = both_ways(monkeypatch, case, 5)
    assert mask.all()
    for table in quiet:
        pd.testing.assert_frame_equal(quiet[table], events[table], check_exact=True)
