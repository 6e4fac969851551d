"""Lossy links: the algorithms of _sweep.py over a star of 1 Mbit/s, 10 ms access links whose
packets are lost with one of six probabilities from 0.1% to 30%. A lost packet is sent again
until it arrives, so a message of p packets costs on average p / (1 - loss) packets on the wire,
and a large message (DQL's trajectories, the policy download) is hit more often than a
one-packet report: 42 variants, 5 trials of 200 episodes each.

    netsim run lossy_links [--quick] [--out DIR] [...]   # run (or resume), then draw the figure
    python scenarios/lossy_links.py [--quick] [...]      # the same
"""

import sys

from _sweep import report as sweep_report
from _sweep import sweep

import netsim
import netsim.cli

LOSSES = [0.001, 0.01, 0.03, 0.1, 0.2, 0.3]


def network(n_agents: int, loss: float):
    return netsim.star(n_agents, bandwidth_bps=1e6, latency_s=0.01, loss=loss)


def _lossy_links(name: str, losses: list[float], episodes: int, trials: int):
    return sweep(name, losses, network, lambda p: f"{p:.1%} loss", episodes=episodes, trials=trials)


SCENARIO, POINTS = _lossy_links("lossy_links", LOSSES, episodes=200, trials=5)
QUICK, QUICK_POINTS = _lossy_links("lossy_links_quick", [0.001, 0.3], episodes=30, trials=1)
VALUE_LABEL = "packet loss probability on each access link"
"""The swept setting, as the figure's x axis names it."""


def report(results: netsim.Results, quick: bool) -> None:
    """After the run (``netsim run``, or this file run as a script): the sweep's figures."""
    sweep_report(results, QUICK_POINTS if quick else POINTS, VALUE_LABEL)


if __name__ == "__main__":
    sys.exit(netsim.cli.main(["run", __file__, *sys.argv[1:]]))
