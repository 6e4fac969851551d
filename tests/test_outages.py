"""Outages drawn at random (netsim/outages.py): each link down the asked fraction of the time, per
link from its own seeded stream; and a link finds where a time falls among many outages."""

from itertools import pairwise

import networkx as nx
import numpy as np
import pytest

import netsim
from netsim.outages import random_outages
from netsim.topology import Link


def down_fraction(intervals, horizon_s):
    return sum(end - start for start, end in intervals) / horizon_s


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.8])
def test_a_link_is_down_the_fraction_of_the_time_asked_in_periods_of_the_mean_asked(fraction):
    rng = np.random.default_rng(0)
    intervals = random_outages(fraction, 0.5, 20_000.0, rng)
    assert down_fraction(intervals, 20_000.0) == pytest.approx(fraction, abs=0.02)
    lengths = np.array([end - start for start, end in intervals[:-1]])
    assert lengths.mean() == pytest.approx(0.5, rel=0.05)
    starts = np.array([start for start, _ in intervals])
    assert (np.diff(starts) > 0).all() and all(a[1] < b[0] for a, b in pairwise(intervals))


def test_the_fraction_holds_from_time_zero_over_many_links():
    """Starting each link down with probability f (the stationary state) means the share of links
    down at an early instant is f too, not 0."""
    links = [random_outages(0.6, 1.0, 5.0, np.random.default_rng(seed)) for seed in range(2000)]
    for instant in (0.0, 0.3):
        down = np.mean([any(s <= instant < e for s, e in link) for link in links])
        assert down == pytest.approx(0.6, abs=0.04)


def test_each_link_draws_from_its_own_stream_whatever_else_the_graph_holds():
    ring = netsim.peer_to_peer(nx.cycle_graph(6), 1e6, 0.01)
    outages = netsim.with_random_outages(ring, 0.3, mean_outage_s=1, horizon_s=100, seed=4)
    fewer = netsim.with_random_outages(
        ring, 0.3, mean_outage_s=1, horizon_s=100, seed=4, links=[("agent-2", "agent-1")]
    )
    assert (
        fewer.edges["agent-1", "agent-2"]["outages"]
        == outages.edges["agent-1", "agent-2"]["outages"]
    )
    assert "outages" not in fewer.edges["agent-3", "agent-4"]
    assert (
        outages.edges["agent-0", "agent-1"]["outages"]
        != outages.edges["agent-1", "agent-2"]["outages"]
    )
    again = netsim.with_random_outages(ring, 0.3, mean_outage_s=1, horizon_s=100, seed=5)
    assert (
        again.edges["agent-0", "agent-1"]["outages"]
        != outages.edges["agent-0", "agent-1"]["outages"]
    )
    assert "outages" not in ring.edges["agent-0", "agent-1"]  # the given graph is left alone


def test_bad_outage_settings_are_named():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="outage fraction 1 must be in"):
        random_outages(1, 1.0, 10.0, rng)
    with pytest.raises(ValueError, match="mean_outage_s = 0"):
        random_outages(0.5, 0, 10.0, rng)
    with pytest.raises(ValueError, match="horizon_s = inf"):
        random_outages(0.5, 1.0, float("inf"), rng)
    ring = netsim.peer_to_peer(nx.cycle_graph(4), 1e6)
    with pytest.raises(ValueError, match=r"no link \('agent-0', 'agent-2'\)"):
        netsim.with_random_outages(
            ring, 0.5, mean_outage_s=1, horizon_s=9, seed=0, links=[("agent-0", "agent-2")]
        )
    once = netsim.with_random_outages(ring, 0.5, mean_outage_s=1, horizon_s=9, seed=0)
    with pytest.raises(ValueError, match="already has outages"):
        netsim.with_random_outages(once, 0.5, mean_outage_s=1, horizon_s=9, seed=0)


def test_a_link_finds_the_outage_under_way_and_the_next_boundary_among_many():
    intervals = tuple((float(k), k + 0.5) for k in range(1000))
    link = Link("a", "b", 1e6, 0.0, outages=intervals)
    for time, down, boundary in [
        (-1.0, None, 0.0),
        (0.0, (0.0, 0.5), 0.5),
        (0.5, None, 1.0),
        (731.25, (731.0, 731.5), 731.5),
        (731.75, None, 732.0),
        (999.5, None, None),
    ]:
        assert link.down_at(time) == down
        assert link.next_boundary(time) == boundary
    assert list(link.outages_from(998.7)) == [(999.0, 999.5)]
