"""``netsim bench``: the benchmark suite. Every suite times its contenders side by side in one run,
interleaved, best of ``repeats``, and prints ratios rather than lone seconds (the machine is shared
and noisy).

* ``learning`` (:mod:`netsim.bench.learning`): ES on Cart Pole, n = 50, full-length episodes: the
  simulator against a bare batched loop doing the same arithmetic, and naive per-agent loops (the
  goal is set against the report's own first framework, a PyTorch policy per agent per step);
  and, from the start of training on 10-step Cart Pole episodes, n = 50 and 1,000, the simulator
  against the bare loop;
* ``network`` (:mod:`netsim.bench.network`): each network model's cost per transfer event, a
  broadcast to 10,000 agents against one to 100, and the other models' against fair's;
* ``scale`` (:mod:`netsim.bench.scale`): cost per agent-episode and peak memory of a whole trial
  at n = 100, 1,000 and 10,000 agents, each in a fresh process;
* ``all``: the three, then their ratios against the goals;
* ``filling`` (:mod:`netsim.bench.filling`, not in ``all``): the fair model's progressive filling
  of one component of 1,000 and 10,000 concurrent transfers, exact (``fair``) against vectorised
  (``fair-vectorised``), and a whole broadcast under each;
* ``rollout`` (:mod:`netsim.bench.rollout`, not in ``all``: it needs the ``mujoco`` extra): MuJoCo
  Ant's batched episodes, stepping only the running agents' environments against Gymnasium's
  whole vector step;
* ``ant`` (:mod:`netsim.bench.ant`, not in ``all``: it needs the ``mujoco`` extra): an Ant-v5
  step per ant-step, ours (on one thread and on two) against Gymnasium's and against the raw
  MuJoCo physics it needs.

A run can be kept (``record``): its ratios, the goals they were held to, what it printed, the
options, and what it ran on (cores, load average before and after, the git commit and package
versions), as JSON; ``scripts/benchmarks_page.py`` writes docs/benchmarks.md's measurements from
the runs kept in ``docs/data/benchmarks/``.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

ALL = ("learning", "network", "scale")
"""The suites ``all`` runs."""

SUITES = (*ALL, "all", "filling", "rollout", "ant")

GOALS: dict[str, tuple[str, float]] = {
    "simulator / bare batched loop": ("<=", 1.1),
    "naive loop, PyTorch policy / simulator": (">=", 20.0),
    "short episodes: simulator / bare loop n=50": ("<=", 1.3),
    "short episodes: simulator / bare loop n=1000": ("<=", 1.3),
    "scale: per agent-episode n=10000 / n=100": ("<=", 1.0),
    "scale: CPU per agent-step n=100000 / n=10000": ("<=", 1.1),
    "network: cm02 / fair per event n=10000": ("<=", 2.0),
    "network: lv08 / fair per event n=10000": ("<=", 2.0),
    "ant: ours / raw physics floor": ("<=", 1.1),
}
"""What each ratio should be: the project's speed goals, each ratio printed beside its goal."""


def main(
    suite: str = "all", options: dict[str, dict[str, Any]] | None = None, record: Path | None = None
) -> int:
    """Run ``suite`` (one of :data:`SUITES`) and print its measurements and ratios; ``options``
    maps a suite's name to keyword arguments of its ``main``. With ``record``, the run is also
    kept there as JSON (module docstring)."""
    if suite not in SUITES:
        raise ValueError(f"unknown benchmark suite {suite!r}; known: {', '.join(SUITES)}")
    if record is not None:  # before the run, not after minutes of it
        record.parent.mkdir(parents=True, exist_ok=True)
        if record.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a directory, not a file", str(record))
    load_before = os.getloadavg()
    printed = io.StringIO()
    with contextlib.redirect_stdout(_Tee(sys.stdout, printed)):
        ratios = _run(suite, options or {})
    if record is not None:
        from netsim.atomic import write_atomically
        from netsim.provenance import provenance

        kept = {
            "suite": suite,
            "options": options or {},
            "ratios": ratios,
            "goals": {name: GOALS[name] for name in ratios if name in GOALS},
            "printed": printed.getvalue(),
            "cores": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
            **provenance(),
        }
        write_atomically(record, (json.dumps(kept, indent=1) + "\n").encode())
        print(f"kept in {record}")
    return 0


def _run(suite: str, options: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Run ``suite``'s suites, print every ratio beside its goal; the ratios by name."""
    from netsim.bench import filling, learning, network, rollout, scale

    suites: dict[str, Callable[..., dict[str, float]]] = {
        "learning": learning.main,
        "network": network.main,
        "scale": scale.main,
        "filling": filling.main,
        "rollout": rollout.main,
        "ant": _ant,
    }
    chosen = list(ALL) if suite == "all" else [suite]
    ratios: dict[str, float] = {}
    for name in chosen:
        ratios.update(suites[name](**options.get(name, {})))
        print()
    print("ratios:")
    for name, ratio in ratios.items():
        print(f"  {name:<44} {ratio:7.3f}x  {verdict(name, ratio)}")
    return ratios


def goal(name: str) -> str:
    """Ratio ``name``'s goal, as "<= 1.1" ("" when it has none)."""
    if name not in GOALS:
        return ""
    relation, bound = GOALS[name]
    return f"{relation} {bound:g}"


def met(name: str, ratio: float) -> str:
    """Whether ``ratio`` meets ratio ``name``'s goal: "met", "NOT met", or "" when it has none."""
    if name not in GOALS:
        return ""
    relation, bound = GOALS[name]
    return "met" if (ratio <= bound if relation == "<=" else ratio >= bound) else "NOT met"


def verdict(name: str, ratio: float) -> str:
    """Ratio ``name``'s goal and whether ``ratio`` meets it ("" when it has none)."""
    return f"goal {goal(name)}: {met(name, ratio)}" if name in GOALS else ""


class _Tee(io.TextIOBase):
    """Writes to ``shown`` and keeps a copy in ``kept``."""

    def __init__(self, shown: TextIO, kept: TextIO) -> None:
        self.shown, self.kept = shown, kept

    def write(self, text: str) -> int:
        self.kept.write(text)
        return self.shown.write(text)

    def flush(self) -> None:
        self.shown.flush()


def _ant(**options: Any) -> dict[str, float]:
    """The ``ant`` suite, imported only when run (it needs the ``mujoco`` extra)."""
    from netsim.bench import ant

    return ant.main(**options)
