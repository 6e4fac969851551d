"""Which algorithm wins on my network? DQL, EBCDQL, DAVIA, ES and ESPC on Simple Grid and ES and
ESPC on Cart Pole (see _sweep.py) over a star whose every access link runs at one of six
bandwidths, log-spaced from 10 kbit/s to 1 Gbit/s (10 ms latency each): 42 variants, 10 trials of
200 episodes each.

    netsim run bandwidth_sweep [--quick] [--out DIR] [...]   # run (or resume), then draw the figure
    python scenarios/bandwidth_sweep.py [--quick] [...]      # the same

The figure (``sweep.png`` in the run's ``plots/``) shows, per algorithm against bandwidth, the time
to reach the target reward, the episodes it takes, and the bytes on the wire until then; the script
prints the rankings by time and by episodes at every bandwidth. Under the barrier round policy the
episodes to target do not depend on the bandwidth; the time does.
"""

import sys

import numpy as np
from _sweep import report as sweep_report
from _sweep import sweep

import netsim
import netsim.cli
from analysis.markdown import si

BANDWIDTHS_BPS = np.logspace(4, 9, 6).tolist()
"""10 kbit/s, 100 kbit/s, ... 1 Gbit/s."""


def network(n_agents: int, bandwidth_bps: float):
    return netsim.star(n_agents, bandwidth_bps=bandwidth_bps, latency_s=0.01)


def _bandwidth_sweep(name: str, bandwidths: list[float], episodes: int, trials: int):
    return sweep(
        name,
        bandwidths,
        network,
        lambda bps: si(bps, "bit/s"),
        episodes=episodes,
        trials=trials,
    )


SCENARIO, POINTS = _bandwidth_sweep("bandwidth_sweep", BANDWIDTHS_BPS, episodes=200, trials=10)
QUICK, QUICK_POINTS = _bandwidth_sweep("bandwidth_sweep_quick", [1e4, 1e9], episodes=30, trials=1)
VALUE_LABEL = "access link bandwidth (bit/s)"
"""The swept setting, as the figure's x axis names it."""


def report(results: netsim.Results, quick: bool) -> None:
    """After the run (``netsim run``, or this file run as a script): the sweep's figures."""
    sweep_report(results, QUICK_POINTS if quick else POINTS, VALUE_LABEL)


if __name__ == "__main__":
    sys.exit(netsim.cli.main(["run", __file__, *sys.argv[1:]]))
