"""Issue 39: what deferring full garbage collections during a trial
(netsim.simulation.GC_FULL_THRESHOLD) buys a large run, measured in fresh processes.

For each size n (``netsim bench scale``'s scenario: ES on Cart Pole, fair model, two-tier, 100
agents per edge router), the two settings take turns, each run in a fresh interpreter: Python's
default (10) and the simulator's. A run reports its CPU seconds (``time.process_time``: the machine
is shared, wall seconds mean little), agent-steps, peak memory (``VmHWM``) and, per generation,
the collections during the trial with the CPU seconds they took.

Run: ``python scripts/gc_full.py SIZES ROUNDS``, e.g. ``10000,100000 5``.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time

DEFAULT = 10
"""Python's own ``threshold2``."""


def child(n_agents: int, rounds: int, threshold: int) -> dict[str, object]:
    """One trial of ``n_agents`` in this process with ``GC_FULL_THRESHOLD = threshold``."""
    import numpy as np
    import torch

    import netsim.simulation as simulation
    from netsim.bench.scale import WARM_UP_AGENTS, _peak_rss_bytes, variant

    simulation.GC_FULL_THRESHOLD = threshold
    torch.set_num_threads(1)
    simulation.simulate(variant(WARM_UP_AGENTS), 2, np.random.SeedSequence(1))
    scaled = variant(n_agents)
    collections = {generation: [0, 0.0] for generation in range(3)}
    started = [0.0]

    def timed(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.process_time()
        else:
            counted = collections[info["generation"]]
            counted[0] += 1
            counted[1] += time.process_time() - started[0]

    gc.callbacks.append(timed)
    cpu = time.process_time()
    metrics = simulation.simulate(scaled, rounds, np.random.SeedSequence(1))["metrics"]
    cpu = time.process_time() - cpu
    gc.callbacks.remove(timed)
    return {
        "n": n_agents,
        "threshold": threshold,
        "cpu_s": cpu,
        "agent_steps": int(metrics["steps"].sum()),
        "peak_rss_mb": _peak_rss_bytes() / 2**20,
        "collections": collections,
    }


def main(sizes: list[int], rounds: int) -> None:
    """Print, per size and setting, CPU per agent-step, memory and collections; then the ratios."""
    from netsim.simulation import GC_FULL_THRESHOLD

    results = {}
    for n_agents in sizes:
        for threshold in (DEFAULT, GC_FULL_THRESHOLD):
            command = [
                sys.executable,
                __file__,
                "child",
                str(n_agents),
                str(rounds),
                str(threshold),
            ]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            results[n_agents, threshold] = json.loads(output.strip().splitlines()[-1])
    print(f"full collections during a trial: {rounds} rounds, load {os.getloadavg()[0]:.1f}")
    print(
        "  agents  threshold2  CPU s  us/agent-step  peak RSS  collections per generation (CPU s)"
    )
    for (n_agents, threshold), result in results.items():
        counts = "  ".join(
            f"{count} ({seconds:.1f})" for count, seconds in result["collections"].values()
        )
        print(
            f"  {n_agents:>7,}  {threshold:>10}  {result['cpu_s']:6.1f}  "
            f"{result['cpu_s'] / result['agent_steps'] * 1e6:13.2f}  "
            f"{result['peak_rss_mb']:6.0f} MB  {counts}"
        )
    for n_agents in sizes:
        ratio = results[n_agents, GC_FULL_THRESHOLD]["cpu_s"] / results[n_agents, DEFAULT]["cpu_s"]
        print(f"  n = {n_agents:,}: CPU with / without deferred full collections = {ratio:.2f}x")


if __name__ == "__main__":
    if sys.argv[1] == "child":
        n, r, t = (int(argument) for argument in sys.argv[2:5])
        print(json.dumps(child(n, r, t)))
    else:
        main([int(size) for size in sys.argv[1].split(",")], int(sys.argv[2]))
