"""The tabular sensitivity studies (which of the report's findings hang on the choices
it left open), shared by the scenarios that run them: a helper module, not a scenario.

Every study runs at the settings of the figure whose finding it tests (the chapter 3 grids at
n = 5, 1000 episodes; Windy Grid at figure 4.2's n = 30), over the same star of 1 Mbit/s, 10 ms
access links, with seed 0: trial t of a variant here is trial t of the same variant in the
figure's own scenario, so the figures' stored runs serve as the reference where a study leaves a
variant out. The quick forms keep every variant and cut trials and episodes.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

from _grid_comparison import ES_ON_GRIDS, GAMMA

import netsim

FLOORS = (0.05, 0.2, 0.5, 1.0)
"""EBCDQL's eps, the smallest |delta| sent (default 0.2)."""
RHOS = (0.5, 1.0, 2.0)
"""EBCDQL's rho, the scale of the running mean L_i in the threshold (default 1)."""
BETAS = (0.05, 0.3)
"""EBCDQL's beta beside its default 0.1, tried at the default rho and floor."""
DEFAULT_BETA = 0.1


def network(n_agents: int) -> object:
    """A star of ``n_agents`` 1 Mbit/s, 10 ms access links (the report's figures' network)."""
    return netsim.star(n_agents, bandwidth_bps=1e6, latency_s=0.01)


def ebcdql_label(floor: float, rho: float, beta: float) -> str:
    return f"EBCDQL floor={floor:g} rho={rho:g} beta={beta:g}"


def ebcdql_points() -> list[tuple[float, float, float]]:
    """(floor, rho, beta): every floor and rho at beta 0.1, and each other beta at rho 1, floor
    0.2 (the defaults), so beta's effect is read beside the default alone."""
    grid = [(floor, rho, DEFAULT_BETA) for floor, rho in itertools.product(FLOORS, RHOS)]
    return grid + [(0.2, 1.0, beta) for beta in BETAS]


def ebcdql_grid(
    name: str, env: str, *, n_agents: int, trials: int, cumulative_reward: bool = False
) -> netsim.Scenario:
    """DQL (the reference: what EBCDQL sends a subset of) and EBCDQL at every point of
    :func:`ebcdql_points` on ``env``, 1000 episodes, gamma = 0.9."""
    variants = [netsim.Variant("DQL", "dql", network(n_agents), env=env, config={"gamma": GAMMA})]
    variants += [
        netsim.Variant(
            ebcdql_label(floor, rho, beta),
            "ebcdql",
            network(n_agents),
            env=env,
            config={"gamma": GAMMA, "rho": rho, "beta": beta, "threshold_floor": floor},
        )
        for floor, rho, beta in ebcdql_points()
    ]
    return netsim.Scenario(
        name, variants, episodes=1000, trials=trials, seed=0, cumulative_reward=cumulative_reward
    )


WORLDS = {
    "Simple Grid": "netsim/SimpleGrid-v0",
    "Windy Grid": "netsim/WindyGrid-v0",
    "Frozen Lake": "netsim/FrozenLake5x5-v0",
}
"""The report's grid worlds, by the name the page gives them."""

DAVIA_READINGS: dict[str, dict[str, Any]] = {
    "rising": {},
    "falling": {"threshold_direction": "falling"},
    "falling lambda=0.05": {"threshold_direction": "falling", "threshold": 0.05},
}
"""DAVIA's threshold, by reading: ours (the report's formula, rising from lambda / rho^999 =
0.007 to lambda = 1), the report's text (falling, the same thresholds in reverse), and the text's
with lambda = 0.05, so that it starts at the size of the agents' first steps (0.03-0.4 on Simple
Grid) instead of above them all."""


def davia_readings(name: str, *, trials: int) -> netsim.Scenario:
    """DAVIA under each of :data:`DAVIA_READINGS` on each of :data:`WORLDS`, at chapter 3's
    settings (n = 5, 1000 episodes, gamma = 0.9); variants labelled "WORLD: READING"."""
    variants = [
        netsim.Variant(
            f"{world}: {reading}",
            "davia",
            network(5),
            env=env,
            config={"gamma": GAMMA, **settings},
        )
        for world, env in WORLDS.items()
        for reading, settings in DAVIA_READINGS.items()
    ]
    return netsim.Scenario(name, variants, episodes=1000, trials=trials, seed=0)


STAY_LAKE = "netsim/FrozenLake5x5Stay-v0"
"""Frozen Lake 5x5 with a fifth action, "stay"."""


def stay_lake(name: str, *, trials: int) -> netsim.Scenario:
    """Figure 3.5's algorithms (DQL, EBCDQL, DAVIA, ES) at its settings (n = 5, 1000 episodes,
    gamma = 0.9) on Frozen Lake with "stay"; the reward panel cumulative. The 4-action runs are
    figure 3.5's own stored trials (the same seeds)."""
    variants = [
        netsim.Variant(label, algorithm, network(5), env=STAY_LAKE, config=config)
        for label, algorithm, config in [
            ("DQL", "dql", {"gamma": GAMMA}),
            ("EBCDQL", "ebcdql", {"gamma": GAMMA}),
            ("DAVIA", "davia", {"gamma": GAMMA}),
            ("ES", "es", dict(ES_ON_GRIDS)),
        ]
    ]
    return netsim.Scenario(
        name, variants, episodes=1000, trials=trials, seed=0, cumulative_reward=True
    )


def quick(scenario: netsim.Scenario) -> netsim.Scenario:
    """The smoke form: every variant, 1 trial of 30 episodes, its own name."""
    return dataclasses.replace(scenario, name=f"{scenario.name}_quick", trials=1, episodes=30)
