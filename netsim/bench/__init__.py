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
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ALL = ("learning", "network", "scale")
"""The suites ``all`` runs."""

SUITES = (*ALL, "all", "filling", "rollout", "ant")

GOALS: dict[str, tuple[str, float]] = {
    "simulator / bare batched loop": ("<=", 1.1),
    "naive loop, PyTorch policy / simulator": (">=", 20.0),
    "short episodes: simulator / bare loop n=50": ("<=", 1.3),
    "short episodes: simulator / bare loop n=1000": ("<=", 1.3),
    "scale: per agent-episode n=10000 / n=100": ("<=", 1.0),
    "network: cm02 / fair per event n=10000": ("<=", 2.0),
    "network: lv08 / fair per event n=10000": ("<=", 2.0),
    "ant: ours / raw physics floor": ("<=", 1.1),
}
"""What each ratio should be: the project's speed goals, each ratio printed beside its goal."""


def main(suite: str = "all", options: dict[str, dict[str, Any]] | None = None) -> int:
    """Run ``suite`` (one of :data:`SUITES`) and print its measurements and ratios; ``options``
    maps a suite's name to keyword arguments of its ``main``."""
    from netsim.bench import filling, learning, network, rollout, scale

    suites: dict[str, Callable[..., dict[str, float]]] = {
        "learning": learning.main,
        "network": network.main,
        "scale": scale.main,
        "filling": filling.main,
        "rollout": rollout.main,
        "ant": _ant,
    }
    if suite not in SUITES:
        raise ValueError(f"unknown benchmark suite {suite!r}; known: {', '.join(SUITES)}")
    chosen = list(ALL) if suite == "all" else [suite]
    ratios: dict[str, float] = {}
    for name in chosen:
        ratios.update(suites[name](**(options or {}).get(name, {})))
        print()
    print("ratios:")
    for name, ratio in ratios.items():
        relation, goal = GOALS.get(name, ("", float("nan")))
        met = ratio <= goal if relation == "<=" else ratio >= goal
        verdict = f"goal {relation} {goal:g}: {'met' if met else 'NOT met'}" if relation else ""
        print(f"  {name:<44} {ratio:7.3f}x  {verdict}")
    return 0


def _ant(**options: Any) -> dict[str, float]:
    """The ``ant`` suite, imported only when run (it needs the ``mujoco`` extra)."""
    from netsim.bench import ant

    return ant.main(**options)
