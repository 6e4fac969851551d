"""Simulated compute time: how long agents take per environment step, and the learner per update.

Agents may be heterogeneous (stragglers): ``step_time_s`` is one number for every agent, a list of one
number per agent, or a distribution named by a mapping (``{"distribution": "lognorm", "s": 1,
"scale": 1e-3}``, any ``scipy.stats`` distribution) drawn once per variant with ``seed``, so every
trial of a variant has the same agents. An episode of ``steps`` steps takes agent i
``steps * step_time_s[i]`` simulated seconds; the learner's update takes ``update_time_s`` whatever
it updates from.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from algorithms.checks import integer, number
from netsim.builders import per_agent


@dataclass(frozen=True)
class ComputeSettings:
    """Simulated compute time."""

    step_time_s: float | Sequence[float] | Mapping[str, Any] = 1e-3
    """Seconds per environment step: one number (a 1 kHz control loop by default), one per agent,
    or a distribution (see the module docstring)."""
    update_time_s: float = 1e-3
    """Seconds the learner spends on one update."""
    seed: int = 0
    """Seeds the draw of per-agent step times from a distribution."""

    def __post_init__(self) -> None:
        update = number(self.update_time_s, "ComputeSettings.update_time_s", minimum=0)
        object.__setattr__(self, "update_time_s", update)
        object.__setattr__(self, "seed", integer(self.seed, "ComputeSettings.seed", minimum=0))
        if isinstance(self.step_time_s, Sequence) and not isinstance(self.step_time_s, str):
            object.__setattr__(
                self,
                "step_time_s",
                [
                    number(value, f"ComputeSettings.step_time_s[{index}]")
                    for index, value in enumerate(self.step_time_s)
                ],
            )
        elif isinstance(self.step_time_s, numbers.Real) and not isinstance(self.step_time_s, bool):
            step = number(self.step_time_s, "ComputeSettings.step_time_s", minimum=0)
            object.__setattr__(self, "step_time_s", step)
        elif not isinstance(self.step_time_s, Mapping):
            raise TypeError(
                f"ComputeSettings.step_time_s = {self.step_time_s!r}: give a number, a list of one "
                "number per agent, or a mapping naming a scipy.stats distribution"
            )

    def step_times(self, n_agents: int) -> np.ndarray:
        """Each agent's seconds per environment step, shape (n_agents,); all >= 0."""
        times = np.array(
            per_agent(
                self.step_time_s,
                n_agents,
                "ComputeSettings.step_time_s",
                np.random.default_rng(self.seed),
            )
        )
        bad = np.flatnonzero(~(times >= 0))
        if bad.size:
            raise ValueError(
                f"ComputeSettings.step_time_s of agent {bad[0]} is {float(times[bad[0]])}; must be >= 0"
            )
        return times
