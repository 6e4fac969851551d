"""The fitness-shaping study (issue 37): ES n = 50 and ESPC n = 50, m = 25, k = 5 (the report's
figure 4.5 / 4.6 settings) under each ES fitness shaping (``ESConfig.fitness``), shared by the
Cart Pole and Ant scenarios: a helper module, not a scenario.

Variant ``"ES ranks"`` is ES n = 50 with ``fitness = "ranks"``, and so on. Trial t of every variant
has the same seed (scenario seed 0, as the report's figures), so trial t of ``"ES raw"`` and
``"ESPC raw"`` is trial t of figure 4.5's (4.6's) ES n = 50 and ESPC, and trials pair across
variants: every variant's trial t starts from the same theta and draws the same noise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from _es_study import network

import netsim

SHAPINGS = ("raw", "centred", "ranks")
"""``ESConfig.fitness``'s values, in the order the variants come."""


def shaping_study(
    name: str,
    env: str,
    config: Mapping[str, Any],
    *,
    trials: int,
    episodes: int,
    shapings: Sequence[str] = SHAPINGS,
) -> netsim.Scenario:
    """ES n = 50 and ESPC n = 50, m = 25, k = 5 under each of ``shapings``, on the star of
    ``_es_study.network``."""
    variants = []
    for fitness in shapings:
        shaped = {**config, "fitness": fitness}
        variants += [
            netsim.Variant(f"ES {fitness}", "es", network(50), env=env, config=shaped),
            netsim.Variant(
                f"ESPC {fitness}", "espc", network(50), env=env, config={**shaped, "m": 25, "k": 5}
            ),
        ]
    return netsim.Scenario(name, variants, episodes=episodes, trials=trials, seed=0)
