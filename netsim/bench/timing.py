"""Side-by-side timing: contenders run interleaved, so a noisy neighbour slows them alike, and
each is credited with its best run."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TypeVar

from tqdm import tqdm

K = TypeVar("K")
T = TypeVar("T")


def best_of(
    contenders: Mapping[K, Callable[[], T]], repeats: int, desc: str
) -> dict[K, tuple[float, T]]:
    """Each contender's smallest wall seconds over ``repeats`` interleaved rounds (every
    contender once per round, in the order given), with what its last run returned."""
    best: dict[K, tuple[float, T]] = {}
    for _ in tqdm(range(repeats), desc=desc, unit="repeat", leave=False):
        for name, run in contenders.items():
            start = time.perf_counter()
            result = run()
            seconds = time.perf_counter() - start
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, result)
            else:
                best[name] = (best[name][0], result)
    return best
