"""Compressed exchanges on the clock: does a lossy codec buy time to target where bandwidth is
scarce, or does what it leaves out cost more rounds than its bytes save?

Four problems, each with every codec (``none``, ``float16``, ``int8`` with stochastic rounding,
``top-k`` at 10% with error feedback; :mod:`netsim.codecs`), over a star whose access links run
at 10 kbit/s or 1 Mbit/s (10 ms), barrier rounds or synchronous gossip:

* ES on Cart Pole, n = 50 (target 195; sigma 0.1 and Adam's step 0.03, as in the decentralised
  studies): central, the policy broadcast coded (every agent adds up the same estimate);
* the same, gossip on a ring (Metropolis-Hastings weights, tau = 1), parameters coded per
  neighbour;
* DQL on Simple Grid, n = 10 (gamma 0.9, target -5.5), gossip on a ring, Q tables coded;
* DAVIA on Simple Grid, n = 5 (target -5.5), central, the policy and the gradient reports coded.

32 variants, 5 trials of 200 rounds. At 1 Mbit/s the bytes cost little, so the time to target
shows what the codec's loss costs in learning; at 10 kbit/s, what its bytes save. ``--quick`` is
1 trial of 20 rounds at 10 kbit/s against low targets.

    netsim run lossy_codecs [--quick] [--out DIR] [...]   # run (or resume), then draw the figures
    python scenarios/lossy_codecs.py [--quick] [...]      # the same
"""

import sys

from _decentral import ES_CONFIG
from _sweep import CARTPOLE_TARGET, GRID, GRID_TARGET, Series, sweep
from _sweep import report as sweep_report

import netsim
import netsim.cli
from analysis.markdown import si

CODECS = {"none": {}, "float16": {}, "int8": {}, "top-k": {"fraction": 0.1}}
BANDWIDTHS_BPS = [1e4, 1e6]


def _series(quick: bool) -> list[Series]:
    grid_target, cartpole_target = (-9.9, 9.3) if quick else (GRID_TARGET, CARTPOLE_TARGET)
    made = []
    for codec, options in CODECS.items():
        central = netsim.CentralSettings(codec=codec, codec_options=options)
        ring = netsim.GossipSettings("ring", codec=codec, codec_options=options)
        both = netsim.CentralSettings(
            codec=codec, codec_options=options, report_codec=codec, report_codec_options=options
        )
        made += [
            Series(f"ES central, {codec}", "es", "CartPole-v1", 50, cartpole_target, ES_CONFIG, central),
            Series(f"ES gossip, {codec}", "es", "CartPole-v1", 50, cartpole_target, ES_CONFIG, ring),
            Series(f"DQL gossip, {codec}", "dql", GRID, 10, grid_target, {"gamma": 0.9}, ring),
            Series(f"DAVIA central, {codec}", "davia", GRID, 5, grid_target, {"gamma": 0.9}, both),
        ]  # fmt: skip
    return made


def network(n_agents: int, bandwidth_bps: float):
    return netsim.star(n_agents, bandwidth_bps=bandwidth_bps, latency_s=0.01)


def _codecs(name: str, bandwidths: list[float], episodes: int, trials: int, quick: bool):
    return sweep(
        name, bandwidths, network, lambda bps: si(bps, "bit/s"), series=_series(quick),
        episodes=episodes, trials=trials,
    )  # fmt: skip


SCENARIO, POINTS = _codecs("lossy_codecs", BANDWIDTHS_BPS, episodes=200, trials=5, quick=False)
QUICK, QUICK_POINTS = _codecs("lossy_codecs_quick", [1e4], episodes=20, trials=1, quick=True)

VALUE_LABEL = "access link bandwidth (bit/s)"
"""The swept setting, as the figures name it."""


def report(results: netsim.Results, quick: bool) -> None:
    """After the run (``netsim run``, or this file run as a script): the sweep's figures and
    what each codec costs and buys (analysis.payloads)."""
    from analysis.payloads import report as payloads_report

    points = QUICK_POINTS if quick else POINTS
    sweep_report(results, points, VALUE_LABEL, payloads_report)


if __name__ == "__main__":
    sys.exit(netsim.cli.main(["run", __file__, *sys.argv[1:]]))
