"""What produced a result: package versions, the source tree's git commit, the machine."""

from __future__ import annotations

import datetime
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

from netsim.journal import installed_versions

PACKAGES = (
    "netsim",
    "numpy",
    "torch",
    "gymnasium",
    "mujoco",
    "simpy",
    "networkx",
    "scipy",
    "pandas",
    "pyarrow",
    "ray",
)
"""The distributions whose versions a run records (absent ones are recorded as None)."""

SOURCE_TREE = Path(__file__).resolve().parents[1]


def provenance() -> dict[str, Any]:
    """The time, Python, host, package versions and git commit (None outside a git checkout;
    ``git_dirty`` tells whether tracked files differed from it)."""
    return {
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "host": platform.node(),
        "versions": installed_versions(PACKAGES),
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
    }


def _git(*arguments: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(SOURCE_TREE), *arguments],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None
