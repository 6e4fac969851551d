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
differ in one bit is another key, never a wrong answer. A journal also records the versions of the
libraries that compute an episode (:data:`EPISODE_LIBRARIES`, in ``versions.json``); a run with
other versions installed (a later session's fresh install) discards it, with a warning, and
computes its batches again. It does not record netsim's own code: after changing how an episode is
computed, remove the journal (``rm -r DIR/journal``) before running again.

Only batches that took at least :data:`KEEP_AFTER_S` of wall time are kept: MuJoCo Ant's 50-agent
episodes take tens of seconds each, Cart Pole's well under one, cheaper to compute again than
to keep. Which batches are kept never changes a result, only how much a rerun replays.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import time
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from algorithms.rollout import Rollout
from netsim.atomic import PARTIAL_PREFIX, write_atomically

KEEP_AFTER_S = 1.0
"""A batch is kept when computing it took at least this many seconds of wall time."""

EPISODE_LIBRARIES = ("numpy", "gymnasium", "mujoco")
"""The packages whose installed versions a journal records, and must match to be replayed."""

VERSIONS_FILE = "versions.json"
_UNREADABLE = (OSError, KeyError, ValueError, zipfile.BadZipFile)
"""What reading a damaged entry (a truncated or foreign file) raises."""


class RolloutJournal:
    """The kept batches of one trial, in ``directory`` (created when the first one is kept): the
    :class:`algorithms.base.RolloutCache` the runner gives a trial's agents.

    After a run, :attr:`replayed` batches came from the journal; :attr:`replayed_wall_s` and
    :attr:`replayed_cpu_s` are what they took when they were computed."""

    def __init__(self, directory: str | Path, keep_after_s: float | None = None) -> None:
        self.directory = Path(directory)
        self.keep_after_s = KEEP_AFTER_S if keep_after_s is None else keep_after_s
        self.versions = library_versions()
        self._kept = {
            path.stem
            for path in (self.directory.glob("*.npz") if self.directory.is_dir() else [])
            if not path.name.startswith(PARTIAL_PREFIX)
        }
        if self._kept:
            self._discard_unless_same_versions()
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

    def _discard_unless_same_versions(self) -> None:
        """Remove the kept batches if they were computed with other library versions."""
        record = self.directory / VERSIONS_FILE
        try:
            recorded = json.loads(record.read_text())
        except (OSError, ValueError):
            recorded = None
        if recorded == self.versions:
            return
        warnings.warn(
            f"{self.directory} was kept with {recorded or 'unrecorded versions'}, not "
            f"{self.versions}: computing its {len(self._kept)} batches again",
            stacklevel=3,
        )
        for digest in self._kept:
            (self.directory / f"{digest}.npz").unlink(missing_ok=True)
        self._kept.clear()

    def _read(self, digest: str) -> Rollout | None:
        path = self.directory / f"{digest}.npz"
        try:
            with np.load(path) as entry:
                result = Rollout(entry["discounted_returns"], entry["steps"])
                wall, cpu = float(entry["wall_s"]), float(entry["cpu_s"])
        except _UNREADABLE as error:
            warnings.warn(
                f"{path} is unreadable ({error}); computing its batch again", stacklevel=3
            )
            return None
        self.replayed += 1
        self.replayed_wall_s += wall
        self.replayed_cpu_s += cpu
        return result

    def _keep(self, digest: str, result: Rollout, wall_s: float, cpu_s: float) -> None:
        if not self._kept:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._write(VERSIONS_FILE, lambda file: file.write(json.dumps(self.versions).encode()))
        self._write(
            f"{digest}.npz",
            lambda file: np.savez(
                file,
                discounted_returns=result.discounted_returns,
                steps=result.steps,
                wall_s=wall_s,
                cpu_s=cpu_s,
            ),
        )
        self._kept.add(digest)

    def _write(self, name: str, fill: Callable[[BinaryIO], object]) -> None:
        """Write file ``name`` of the journal whole or not at all."""
        write_atomically(self.directory / name, fill)


@dataclass(frozen=True)
class Kept:
    """What a journal holds: whole ``batches``, and the wall seconds computing them took."""

    batches: int
    wall_s: float


def kept(directory: str | Path) -> Kept:
    """The batches journal ``directory`` holds and the wall time they cost, which running the
    trial again saves (read only: unlike :class:`RolloutJournal` it neither checks the recorded
    versions nor discards anything; an unreadable entry counts for nothing)."""
    batches, wall_s = 0, 0.0
    for path in Path(directory).glob("*.npz"):
        if path.name.startswith(PARTIAL_PREFIX):
            continue
        try:
            with np.load(path) as entry:
                wall_s += float(entry["wall_s"])
        except _UNREADABLE:
            continue
        batches += 1
    return Kept(batches, wall_s)


def library_versions() -> dict[str, str | None]:
    """The installed version of each of :data:`EPISODE_LIBRARIES` (None: not installed)."""
    return installed_versions(EPISODE_LIBRARIES)


def installed_versions(names: Sequence[str]) -> dict[str, str | None]:
    """The installed version of each distribution in ``names`` (None: not installed)."""
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


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
