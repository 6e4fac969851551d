"""Edge and cloud: the algorithms of _sweep.py over a two-tier network, agents on 10 Mbit/s, 5 ms
access links to edge routers (one per 10 agents: one for the grid worlds' 5 agents, five for Cart
Pole's 50), each router on its own backhaul to the cloud learner (20 ms), every backhaul at one of
five bandwidths log-spaced from 100 kbit/s to 1 Gbit/s. The agents behind a router share its
backhaul, so the fair model (max-min sharing of concurrent flows) times them, and the load of
every link is recorded in 1 s bins (``link_load.png`` shows the busiest links over time):
35 variants, 5 trials of 200 episodes each.

    netsim run edge_cloud [--quick] [--out DIR] [...]   # run (or resume), then draw the figure
    python scenarios/edge_cloud.py [--quick] [...]      # the same
"""

import sys

import numpy as np
from _sweep import report as sweep_report
from _sweep import sweep

import netsim
import netsim.cli
from analysis.markdown import si

BACKHAULS_BPS = np.logspace(5, 9, 5).tolist()
"""100 kbit/s, 1 Mbit/s, ... 1 Gbit/s."""
AGENTS_PER_EDGE = 10
ACCESS_BANDWIDTH_BPS, ACCESS_LATENCY_S = 10e6, 0.005
BACKHAUL_LATENCY_S = 0.02
SETTINGS = netsim.NetworkSettings(model="fair", load_bin_s=1.0)


def network(n_agents: int, backhaul_bps: float):
    return netsim.two_tier(
        n_agents,
        n_edges=max(1, n_agents // AGENTS_PER_EDGE),
        access_bandwidth_bps=ACCESS_BANDWIDTH_BPS,
        access_latency_s=ACCESS_LATENCY_S,
        backhaul_bandwidth_bps=backhaul_bps,
        backhaul_latency_s=BACKHAUL_LATENCY_S,
    )


def _edge_cloud(name: str, backhauls: list[float], episodes: int, trials: int):
    return sweep(
        name,
        backhauls,
        network,
        lambda bps: si(bps, "bit/s"),
        settings=lambda _: SETTINGS,
        episodes=episodes,
        trials=trials,
    )


SCENARIO, POINTS = _edge_cloud("edge_cloud", BACKHAULS_BPS, episodes=200, trials=5)
QUICK, QUICK_POINTS = _edge_cloud("edge_cloud_quick", [1e5, 1e9], episodes=30, trials=1)
VALUE_LABEL = "backhaul bandwidth per edge router (bit/s)"
"""The swept setting, as the figure's x axis names it."""


def report(results: netsim.Results, quick: bool) -> None:
    """After the run (``netsim run``, or this file run as a script): the sweep's figures."""
    sweep_report(results, QUICK_POINTS if quick else POINTS, VALUE_LABEL)


if __name__ == "__main__":
    sys.exit(netsim.cli.main(["run", __file__, *sys.argv[1:]]))
