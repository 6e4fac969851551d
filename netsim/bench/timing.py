"""Side-by-side timing: contenders run interleaved, so a noisy neighbour slows them alike, and
each is credited with its best run; and the network the network and scale suites share."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TypeVar

import networkx as nx
from tqdm import tqdm

from netsim.builders import two_tier

K = TypeVar("K")
T = TypeVar("T")


def best_of(
    contenders: Mapping[K, Callable[[], T]],
    repeats: int,
    desc: str,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[K, tuple[float, T]]:
    """Each contender's smallest seconds by ``clock`` (wall seconds; ``time.process_time``: the
    process's CPU seconds) over ``repeats`` interleaved rounds (every contender once per round,
    in the order given), with what its last run returned."""
    best: dict[K, tuple[float, T]] = {}
    for _ in tqdm(range(repeats), desc=desc, unit="repeat", leave=False):
        for name, run in contenders.items():
            start = clock()
            result = run()
            seconds = clock() - start
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, result)
            else:
                best[name] = (best[name][0], result)
    return best


def heterogeneous_two_tier(n_agents: int, agents_per_edge: int, seed: int) -> nx.Graph:
    """``n_agents`` agents behind edge routers of ``agents_per_edge`` each: access links
    log-normal around 10 Mbit/s with 1-20 ms latency, 1 Gbit/s backhauls of 5 ms."""
    return two_tier(
        n_agents,
        max(1, n_agents // agents_per_edge),
        access_bandwidth_bps={"distribution": "lognorm", "s": 0.5, "scale": 10e6},
        backhaul_bandwidth_bps=1e9,
        access_latency_s={"distribution": "uniform", "loc": 0.001, "scale": 0.019},
        backhaul_latency_s=0.005,
        seed=seed,
    )
