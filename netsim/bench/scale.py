"""``netsim bench scale``: cost per agent-episode and peak memory as the number of agents grows.

ES on Cart Pole over the fair network model and a two-tier topology (``AGENTS_PER_EDGE`` agents per
edge router, access links log-normal around 10 Mbit/s with latencies of 1-20 ms, 1 Gbit/s
backhauls), ``rounds`` rounds, for each size n. Every run is a fresh Python process, so sizes do not
share a heap, and the sizes take turns (100, 1,000, 10,000, 100, ...), best of ``repeats``. A child
first runs a small two-round trial (imports, first calls), then the timed trial; it reports

* wall seconds per agent-episode (and per agent-step: larger n learns faster in ten rounds, so its
  episodes are longer), and CPU seconds (``time.process_time``) per agent-step, which a shared
  machine's load disturbs less;
* peak memory: the process's peak resident set (``VmHWM`` on Linux), and its growth over the timed
  trial above the peak the small warm-up trial had reached (interpreter, libraries): the growth
  is what n agents cost, building the topology included.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Sequence

import numpy as np
import torch
from tqdm import tqdm

from netsim.bench.timing import heterogeneous_two_tier
from netsim.scenario import NetworkSettings, Variant
from netsim.simulation import simulate

AGENTS_PER_EDGE = 100
"""Agents behind one edge router: more agents means more routers, not busier ones."""
WARM_UP_AGENTS = 10
"""The size of the untimed trial that loads and warms up everything before the timed one."""


def variant(n_agents: int) -> Variant:
    """The scaled scenario's variant for ``n_agents`` agents."""
    graph = heterogeneous_two_tier(n_agents, AGENTS_PER_EDGE, seed=0)
    return Variant(f"scale n={n_agents}", "es", graph, network=NetworkSettings(model="fair"))


def _peak_rss_bytes() -> int:
    """This process's peak resident set so far: Linux's ``VmHWM``, which starts afresh when a
    process execs (``ru_maxrss`` keeps the peak of the parent it was forked from), else
    ``ru_maxrss`` (kilobytes on Linux, bytes on macOS)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def child(n_agents: int, rounds: int, seed: int) -> dict[str, float]:
    """Run in a fresh process: warm up on a small trial, time one trial of ``rounds`` rounds of
    ``n_agents`` agents, measure memory."""
    torch.set_num_threads(1)
    simulate(variant(WARM_UP_AGENTS), 2, np.random.SeedSequence(seed))
    before = _peak_rss_bytes()
    scaled = variant(n_agents)
    start, cpu = time.perf_counter(), time.process_time()
    metrics = simulate(scaled, rounds, np.random.SeedSequence(seed))["metrics"]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "agent_episodes": len(metrics),
        "agent_steps": int(metrics["steps"].sum()),
        "peak_rss_bytes": _peak_rss_bytes(),
        "growth_bytes": _peak_rss_bytes() - before,
    }


def _measure(n_agents: int, rounds: int, seed: int) -> dict[str, float]:
    """:func:`child` in a fresh interpreter."""
    output = subprocess.run(
        [sys.executable, "-m", "netsim.bench.scale", str(n_agents), str(rounds), str(seed)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(
    sizes: Sequence[int] = (100, 1_000, 10_000), rounds: int = 10, repeats: int = 2, seed: int = 1
) -> dict[str, float]:
    """Print cost per agent-episode and peak memory per size; return the ratios by name."""
    best: dict[int, dict[str, float]] = {}
    for _ in tqdm(range(repeats), desc="bench scale", unit="repeat", leave=False):
        for n_agents in sizes:
            result = _measure(n_agents, rounds, seed)
            if n_agents not in best or result["seconds"] < best[n_agents]["seconds"]:
                best[n_agents] = result
    print(
        f"scale: ES on CartPole-v1, fair model, two-tier ({AGENTS_PER_EDGE} agents per edge "
        f"router), {rounds} rounds, a fresh process per run, best of {repeats}"
    )
    print(
        "  agents   seconds  us/agent-episode  steps/episode  us/agent-step  CPU us/agent-step  "
        "peak RSS  growth  growth/agent"
    )
    for n_agents, result in best.items():
        per_episode = result["seconds"] / result["agent_episodes"]
        steps = result["agent_steps"] / result["agent_episodes"]
        print(
            f"  {n_agents:>6,}  {result['seconds']:8.2f}  {per_episode * 1e6:16.1f}  {steps:13.0f}  "
            f"{result['seconds'] / result['agent_steps'] * 1e6:13.2f}  "
            f"{result['cpu_seconds'] / result['agent_steps'] * 1e6:17.2f}  "
            f"{result['peak_rss_bytes'] / 2**20:6.0f} MB  {result['growth_bytes'] / 2**20:4.0f} MB  "
            f"{result['growth_bytes'] / n_agents / 1024:8.1f} kB"
        )
    small, large = min(sizes), max(sizes)
    ratio = (best[large]["seconds"] / best[large]["agent_episodes"]) / (
        best[small]["seconds"] / best[small]["agent_episodes"]
    )
    cpu_ratio = (best[large]["cpu_seconds"] / best[large]["agent_steps"]) / (
        best[small]["cpu_seconds"] / best[small]["agent_steps"]
    )
    print(f"  cost per agent-episode, n = {large:,} / n = {small:,}: {ratio:.2f}x")
    print(f"  CPU per agent-step, n = {large:,} / n = {small:,}: {cpu_ratio:.2f}x")
    return {
        f"scale: per agent-episode n={large} / n={small}": ratio,
        f"scale: CPU per agent-step n={large} / n={small}": cpu_ratio,
    }


if __name__ == "__main__":
    n_agents, rounds, seed = (int(argument) for argument in sys.argv[1:4])
    print(json.dumps(child(n_agents, rounds, seed)))
