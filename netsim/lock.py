"""One writer per run directory: an advisory lock held while a run writes it.

The lock is ``fcntl.flock`` on ``DIR/.lock``, whose contents name the holder (host, process id,
when it started). The kernel releases a flock when its holder ends, however it ends, so a lock is
never left held by a dead process; what a dead holder leaves is its lock file, still naming it.
:meth:`RunLock.acquire` then takes the lock over and says so (a warning naming the old holder). A
holder that ends normally removes the file. Worker processes forked by the holder share its lock
(they inherit the open file) and end with it (:mod:`netsim.executors`).

The lock is advisory: it keeps out other ``netsim run`` commands and :func:`netsim.run` calls,
not other programs. On a network file system it is as good as the file system's ``flock``
(NFSv4 and Lustre honour it across hosts; some older mounts only within one).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import platform
import time
import warnings
from pathlib import Path
from typing import Any

LOCK_FILE = ".lock"
"""The lock file's name in a run directory."""


class RunLocked(RuntimeError):
    """Another live process holds a run directory's lock; the message names it."""


class RunLock:
    """A held lock on one run directory; :meth:`release` (or leaving a ``with`` block) frees it."""

    def __init__(self, path: Path, descriptor: int) -> None:
        self.path = path
        self._descriptor: int | None = descriptor

    @classmethod
    def acquire(cls, directory: Path) -> RunLock:
        """Take ``directory``'s lock at once, or raise :class:`RunLocked` naming its holder's
        host and process id. A lock file left by a holder that has ended is taken over, with a
        warning naming that holder."""
        path = directory / LOCK_FILE
        while True:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                os.close(descriptor)
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                raise RunLocked(
                    f"{directory} is being written by {_describe(_holder(path))}; wait for that "
                    "run to end (or stop it), or choose another output directory"
                ) from None
            try:
                same = os.fstat(descriptor).st_ino == path.stat().st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(descriptor)  # its holder removed the file as we opened it: try again
        left = _holder(path)
        if left:
            warnings.warn(
                f"{directory}: took over the lock of {_describe(left)}, which ended without "
                "releasing it",
                stacklevel=2,
            )
        lock = cls(path, descriptor)
        try:
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, json.dumps(_me()).encode(), 0)
        except BaseException:
            lock.release()
            raise
        return lock

    def release(self) -> None:
        """Remove the lock file and free the lock; a second call does nothing."""
        if self._descriptor is None:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        os.close(self._descriptor)  # closing frees the flock
        self._descriptor = None

    def __enter__(self) -> RunLock:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def _me() -> dict[str, Any]:
    return {
        "host": platform.node(),
        "pid": os.getpid(),
        "since": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def _holder(path: Path) -> dict[str, Any]:
    """What the lock file at ``path`` says of its holder; empty if it says nothing readable."""
    try:
        holder = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def _describe(holder: dict[str, Any]) -> str:
    if not holder:
        return "another process (its lock file names none)"
    since = f", since {holder['since']}" if "since" in holder else ""
    return f"process {holder.get('pid', '?')} on host {holder.get('host', '?')}{since}"
