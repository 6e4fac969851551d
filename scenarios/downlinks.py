"""Payloads that cost what they carry: the bandwidth sweep's slow end again, with the policy sent
as a delta (the Q entries that changed) or as the updates to replay (ES's shared seeds and
returns) instead of in full.

DQL and EBCDQL on Simple Grid (n = 5, target -5.5) with the ``full`` and ``delta`` downlinks; ES and
ESPC (m = 25, k = 5) on Cart Pole (n = 50, target 195; sigma 0.1 and Adam's step 0.03, as in the
decentralised studies, so that most trials reach the target) with ``full`` and ``replay``; over a
star whose access links run at 10 kbit/s, 100 kbit/s and 1 Mbit/s (10 ms): 24 variants, 5 trials
of 200 episodes. Under barrier rounds a downlink changes when each round ends, never what is
learnt (every agent's copy of the policy is checked against the learner's on every delivery), so
the episodes to target are the same per algorithm and the time to target shows what the bytes
cost. ``--quick`` is 1 trial of 30 episodes at 10 kbit/s.

    netsim run downlinks [--quick] [--out DIR] [...]   # run (or resume), then draw the figure
    python scenarios/downlinks.py [--quick] [...]      # the same
"""

import sys

import numpy as np
from _sweep import CARTPOLE_TARGET, GRID, GRID_TARGET, Series, sweep
from _sweep import report as sweep_report

import netsim
import netsim.cli
from analysis.markdown import si

ES_CONFIG = {"sigma": 0.1, "learning_rate": 0.03}
BANDWIDTHS_BPS = np.logspace(4, 6, 3).tolist()


def _series() -> list[Series]:
    made = []
    for label, algorithm, env, n, target, config, coded in [
        ("DQL", "dql", GRID, 5, GRID_TARGET, {"gamma": 0.9}, "delta"),
        ("EBCDQL", "ebcdql", GRID, 5, GRID_TARGET, {"gamma": 0.9}, "delta"),
        ("ES", "es", "CartPole-v1", 50, CARTPOLE_TARGET, ES_CONFIG, "replay"),
        (
            "ESPC",
            "espc",
            "CartPole-v1",
            50,
            CARTPOLE_TARGET,
            {**ES_CONFIG, "m": 25, "k": 5},
            "replay",
        ),
    ]:
        for downlink in ("full", coded):
            made.append(
                Series(
                    f"{label}, {downlink}",
                    algorithm,
                    env,
                    n,
                    target,
                    config,
                    netsim.CentralSettings(downlink=downlink),
                )  # fmt: skip
            )
    return made


def network(n_agents: int, bandwidth_bps: float):
    return netsim.star(n_agents, bandwidth_bps=bandwidth_bps, latency_s=0.01)


def _downlinks(name: str, bandwidths: list[float], episodes: int, trials: int):
    return sweep(
        name, bandwidths, network, lambda bps: si(bps, "bit/s"), series=_series(),
        episodes=episodes, trials=trials,
    )  # fmt: skip


SCENARIO, POINTS = _downlinks("downlinks", BANDWIDTHS_BPS, episodes=200, trials=5)
QUICK, QUICK_POINTS = _downlinks("downlinks_quick", [1e4], episodes=30, trials=1)

VALUE_LABEL = "access link bandwidth (bit/s)"
"""The swept setting, as the figures name it."""


def report(results: netsim.Results, quick: bool) -> None:
    """After the run (``netsim run``, or this file run as a script): the sweep's figures and
    what each downlink costs and buys (analysis.payloads)."""
    from analysis.payloads import report as payloads_report

    points = QUICK_POINTS if quick else POINTS
    sweep_report(results, points, VALUE_LABEL, payloads_report)


if __name__ == "__main__":
    sys.exit(netsim.cli.main(["run", __file__, *sys.argv[1:]]))
