"""Measure the constants of netsim's memory estimate (:mod:`netsim.memory`).

Each measurement runs in a fresh Python process and reports its peak resident memory less what it
held once netsim was imported, so imports and the interpreter are not counted:

* **per agent**: one episode of one trial of ES (Cart Pole) and DQL (Simple Grid) over a star of
  n agents, the graph and the variant built inside the measurement; the slope between two n is a
  trial's working memory per agent.
* **per row while a trial runs**: a DQL trial of many agents run and stored (``netsim.run``,
  serial, no plots) for two episode counts; the slope over the extra metrics rows.
* **per row held**: those two runs' whole metrics tables read back and plotted, as ``netsim run``
  does at its end; the slope over the extra rows.

    .venv/bin/python scripts/memory_calibration.py            # about 2 minutes on 2 cores
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys
def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS"))
import netsim, numpy as np
from netsim.simulation import simulate
import analysis.plots
kind, n, episodes, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
base = rss()
if kind in ("es", "dql"):
    env = "CartPole-v1" if kind == "es" else "netsim/SimpleGrid-v0"
    variant = netsim.Variant("v", kind, netsim.star(n, 1e6, latency_s=0.01), env=env)
    simulate(variant, episodes, np.random.SeedSequence(0))
elif kind == "run":
    variant = netsim.Variant("v", "dql", netsim.star(n, 1e6), env="netsim/SimpleGrid-v0")
    scenario = netsim.Scenario("calibration", [variant], episodes=episodes, trials=1)
    netsim.run(scenario, out, backend="serial", progress=False, plots=False, force=True)
else:  # read back and plot
    netsim.Results(out).plot()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"bytes": peak - base}))
"""


def measure(kind: str, n: int, episodes: int, out: str = "") -> int:
    """Peak bytes above the imports of one measurement, in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(n), str(episodes), out],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])["bytes"]


def main() -> None:
    mib = 2**20
    small, large = 2_000, 20_000
    for kind in ("es", "dql"):
        low, high = measure(kind, small, 1), measure(kind, large, 1)
        print(
            f"{kind}: one episode, {small} agents {low / mib:.0f} MiB, {large} agents "
            f"{high / mib:.0f} MiB: {(high - low) / (large - small):,.0f} bytes per agent "
            f"({high / large:,.0f} per agent at {large})"
        )
    agents, few, many = 5_000, 1, 21
    with tempfile.TemporaryDirectory() as scratch:
        one, two = str(Path(scratch) / "few"), str(Path(scratch) / "many")
        low, high = measure("run", agents, few, one), measure("run", agents, many, two)
        rows = agents * (many - few)
        print(
            f"trial run and stored: {agents} agents x {few} episodes {low / mib:.0f} MiB, x {many} "
            f"{high / mib:.0f} MiB: {(high - low) / rows:,.0f} bytes per extra metrics row"
        )
        low, high = measure("read", 0, 0, one), measure("read", 0, 0, two)
        print(
            f"read back and plotted: {agents * few:,} rows {low / mib:.0f} MiB, "
            f"{agents * many:,} rows {high / mib:.0f} MiB: {(high - low) / rows:,.0f} bytes per "
            "extra row"
        )


if __name__ == "__main__":
    main()
