"""A trial's rollout journal: its costly batches of episodes, kept by what they were computed from,
so that a trial cut short (a session's end, a batch job's wall-time limit, a crash) and run again
replays them instead of computing them a second time.

A batch's rollout is a pure function of its inputs: the environment, the policy's architecture and
the batch's parameters, the discount and the reset seed (:func:`algorithms.rollout.rollout`). The
journal is a memo of it, keyed by the SHA-256 digest of those inputs: one ``DIGEST.npz`` per batch,
written under a temporary name and renamed, so a killed process leaves only whole entries. A trial
run again recomputes everything else (the learner's updates, the agents' windows and random
streams, the network), reaches every batch with the inputs it had the first time, and takes the
kept result: its tables are those of a trial never interrupted, bit for bit. An entry whose inputs
differ in one bit is another key, never a wrong answer. The key holds the inputs, not the code: after
a change to how an episode is computed (the environment, its version, the rollout), remove the
journal (``rm -r DIR/journal``) before running again.

Only batches that took at least :data:`KEEP_AFTER_S` of wall time are kept: MuJoCo Ant's 50-agent
episodes take tens of seconds each, Cart Pole's a few milliseconds, cheaper to compute again than
to keep. Which batches are kept never changes a result, only how much a rerun replays.
"""

from __future__ import annotations

import hashlib
import os
import time
import warnings
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from algorithms.rollout import Rollout

KEEP_AFTER_S = 1.0
"""A batch is kept when computing it took at least this many seconds of wall time."""

_PARTIAL_PREFIX = ".partial-"


class RolloutJournal:
    """The kept batches of one trial, in ``directory`` (created when the first one is kept).

    After a run, :attr:`replayed` batches came from the journal; :attr:`replayed_wall_s` and
    :attr:`replayed_cpu_s` are what they took when they were computed."""

    def __init__(self, directory: str | Path, keep_after_s: float | None = None) -> None:
        self.directory = Path(directory)
        self.keep_after_s = KEEP_AFTER_S if keep_after_s is None else keep_after_s
        self._kept = {
            path.stem
            for path in (self.directory.glob("*.npz") if self.directory.is_dir() else [])
            if not path.name.startswith(_PARTIAL_PREFIX)
        }
        self.replayed = 0
        self.replayed_wall_s = 0.0
        self.replayed_cpu_s = 0.0

    def __len__(self) -> int:
        """The number of batches kept."""
        return len(self._kept)

    def rollout(self, inputs: Sequence[object], compute: Callable[[], Rollout]) -> Rollout:
        """The kept result of the batch that ``inputs`` (everything its rollout depends on:
        arrays, numbers, strings) describe, or ``compute()``'s, kept if it took long enough."""
        digest = _digest(inputs) if self._kept else None
        if digest in self._kept:
            replayed = self._read(digest)
            if replayed is not None:
                return replayed
        wall, cpu = time.perf_counter(), time.process_time()
        result = compute()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if wall >= self.keep_after_s:
            self._keep(digest or _digest(inputs), result, wall, cpu)
        return result

    def _read(self, digest: str) -> Rollout | None:
        path = self.directory / f"{digest}.npz"
        try:
            with np.load(path) as entry:
                result = Rollout(entry["discounted_returns"], entry["steps"])
                wall, cpu = float(entry["wall_s"]), float(entry["cpu_s"])
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
            warnings.warn(
                f"{path} is unreadable ({error}); computing its batch again", stacklevel=3
            )
            return None
        self.replayed += 1
        self.replayed_wall_s += wall
        self.replayed_cpu_s += cpu
        return result

    def _keep(self, digest: str, result: Rollout, wall_s: float, cpu_s: float) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        final = self.directory / f"{digest}.npz"
        partial = final.with_name(f"{_PARTIAL_PREFIX}{final.name}")
        with open(partial, "wb") as file:
            np.savez(
                file,
                discounted_returns=result.discounted_returns,
                steps=result.steps,
                wall_s=wall_s,
                cpu_s=cpu_s,
            )
        os.replace(partial, final)
        self._kept.add(digest)


def _digest(inputs: Sequence[object]) -> str:
    """SHA-256 of ``inputs``: each array by its dtype, shape and bytes, anything else by its repr."""
    digest = hashlib.sha256()
    for value in inputs:
        if isinstance(value, np.ndarray):
            array = np.ascontiguousarray(value)
            digest.update(f"array {array.dtype.str} {array.shape}\n".encode())
            digest.update(array.tobytes())
        else:
            digest.update(f"{type(value).__name__} {value!r}\n".encode())
    return digest.hexdigest()
