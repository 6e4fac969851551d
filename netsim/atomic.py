"""One way to write a file that a reader sees whole or not at all.

The contents go to ``.partial-NAME`` beside the file, which is then renamed over ``NAME`` (one
``rename``, atomic on POSIX): a process killed while writing leaves at most a partial file, which
every reader ignores by its prefix. The run directory's manifest and the rollout journal's entries
are written this way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

PARTIAL_PREFIX = ".partial-"
"""The name prefix of a file (or folder) still being written; readers skip it."""


def write_atomically(path: Path, contents: bytes | Callable[[BinaryIO], object]) -> None:
    """Write ``contents`` (bytes, or a function that writes them to an open binary file) to
    ``path`` under a temporary name, then rename it to ``path``. If writing fails (a full disk,
    say), the temporary file is removed and the error raised: nothing is left behind."""
    partial = path.with_name(f"{PARTIAL_PREFIX}{path.name}")
    try:
        with open(partial, "wb") as file:
            if isinstance(contents, bytes):
                file.write(contents)
            else:
                contents(file)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
