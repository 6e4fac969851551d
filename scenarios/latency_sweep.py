"""Does latency reorder the algorithms? The algorithms of _sweep.py over a star whose every access
link has one of five latencies, log-spaced from 1 ms to 10 s, at 1 Mbit/s: 35 variants, 5 trials
of 200 episodes each.

    netsim run latency_sweep [--quick] [--out DIR] [...]   # run (or resume), then draw the figure
    python scenarios/latency_sweep.py [--quick] [...]      # the same

A round pays every latency twice (the policy down, the report up), whatever the message size, so
latency adds the same to every algorithm's round and favours those that need fewer episodes.
"""

import sys

import numpy as np
from _sweep import report as sweep_report
from _sweep import sweep

import netsim
import netsim.cli
from analysis.markdown import si

LATENCIES_S = np.logspace(-3, 1, 5).tolist()
"""1 ms, 10 ms, 100 ms, 1 s, 10 s."""


def network(n_agents: int, latency_s: float):
    return netsim.star(n_agents, bandwidth_bps=1e6, latency_s=latency_s)


def _latency_sweep(name: str, latencies: list[float], episodes: int, trials: int):
    return sweep(name, latencies, network, lambda s: si(s, "s"), episodes=episodes, trials=trials)


SCENARIO, POINTS = _latency_sweep("latency_sweep", LATENCIES_S, episodes=200, trials=5)
QUICK, QUICK_POINTS = _latency_sweep("latency_sweep_quick", [1e-3, 1.0], episodes=30, trials=1)
VALUE_LABEL = "access link latency (s)"
"""The swept setting, as the figure's x axis names it."""


def report(results: netsim.Results, quick: bool) -> None:
    """After the run (``netsim run``, or this file run as a script): the sweep's figures."""
    sweep_report(results, QUICK_POINTS if quick else POINTS, VALUE_LABEL)


if __name__ == "__main__":
    sys.exit(netsim.cli.main(["run", __file__, *sys.argv[1:]]))
