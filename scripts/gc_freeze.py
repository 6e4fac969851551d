"""Issue 39, item 3: what freezing the heap during a trial (netsim.simulation.fewer_collections)
buys a large run, measured in fresh processes.

For each size n (``netsim bench scale``'s scenario: ES on Cart Pole, fair model, two-tier, 100
agents per edge router), the sizes and the two modes take turns, each run in a fresh interpreter:
``frozen`` as the simulator runs, ``not frozen`` with ``gc.freeze`` made a no-op. A run reports
its CPU seconds (``time.process_time``: the machine is shared, wall seconds mean little), agent-
steps, and the full (generation 2) collections during the trial with the wall seconds they took.

Run: ``python scripts/gc_freeze.py SIZES ROUNDS REPEATS``, e.g. ``10000,30000 5 1``.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time


def child(n_agents: int, rounds: int, frozen: bool) -> dict[str, float]:
    import numpy as np
    import torch

    from netsim.bench.scale import WARM_UP_AGENTS, variant
    from netsim.simulation import simulate

    torch.set_num_threads(1)
    if not frozen:
        gc.freeze = lambda: None  # the simulator's freeze does nothing
    simulate(variant(WARM_UP_AGENTS), 2, np.random.SeedSequence(1))
    scaled = variant(n_agents)
    starts: list[float] = []
    full_s: list[float] = []

    def timed(phase: str, info: dict[str, int]) -> None:
        if info["generation"] == 2:
            if phase == "start":
                starts.append(time.perf_counter())
            else:
                full_s.append(time.perf_counter() - starts[-1])

    gc.callbacks.append(timed)
    cpu = time.process_time()
    metrics = simulate(scaled, rounds, np.random.SeedSequence(1))["metrics"]
    cpu = time.process_time() - cpu
    gc.callbacks.remove(timed)
    return {
        "n": n_agents,
        "frozen": frozen,
        "cpu_s": cpu,
        "agent_steps": int(metrics["steps"].sum()),
        "full_collections": len(full_s),
        "full_collection_wall_s": sum(full_s),
    }


def main(sizes: list[int], rounds: int, repeats: int) -> None:
    best: dict[tuple[int, bool], dict[str, float]] = {}
    for _ in range(repeats):
        for n_agents in sizes:
            for frozen in (False, True):
                output = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "child",
                        str(n_agents),
                        str(rounds),
                        str(int(frozen)),
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                result = json.loads(output.strip().splitlines()[-1])
                key = (n_agents, frozen)
                if key not in best or result["cpu_s"] < best[key]["cpu_s"]:
                    best[key] = result
    print(
        f"gc.freeze during a trial: {rounds} rounds, best of {repeats}, load {os.getloadavg()[0]:.1f}"
    )
    print("  agents  frozen  CPU s  us/agent-step  full collections (wall s)")
    for (n_agents, frozen), result in best.items():
        print(
            f"  {n_agents:>7,}  {'yes' if frozen else 'no ':>6}  {result['cpu_s']:6.1f}  "
            f"{result['cpu_s'] / result['agent_steps'] * 1e6:13.2f}  "
            f"{result['full_collections']:>3} ({result['full_collection_wall_s']:.1f})"
        )
    for n_agents in sizes:
        ratio = best[(n_agents, False)]["cpu_s"] / best[(n_agents, True)]["cpu_s"]
        print(f"  n = {n_agents:,}: CPU not frozen / frozen = {ratio:.2f}x")


if __name__ == "__main__":
    if sys.argv[1] == "child":
        n, r, f = (int(argument) for argument in sys.argv[2:5])
        print(json.dumps(child(n, r, bool(f))))
    else:
        main([int(size) for size in sys.argv[1].split(",")], int(sys.argv[2]), int(sys.argv[3]))
