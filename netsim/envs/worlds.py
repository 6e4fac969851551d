"""The report's three grid worlds as tabular models (report 3.3.2 and 4.6).

Squares are numbered row by row from the top left: state = row * 5 + column. A move that would
leave the grid leaves that coordinate unchanged (the edge is a wall).
"""

from __future__ import annotations

import numpy as np

from netsim.envs.tabular_model import TabularModel

SIZE = 5
"""Every world is SIZE x SIZE."""

GRID_ACTIONS = ("left", "right", "up", "down", "stay")
"""Simple and Windy Grid's actions, in the report's order."""

MOVES = {"left": (0, -1), "right": (0, 1), "up": (-1, 0), "down": (1, 0), "stay": (0, 0)}
"""Each move's (row, column) displacement."""

FROZEN_LAKE_ACTIONS = ("left", "down", "right", "up")
"""Gymnasium's FrozenLake actions, in its order."""

FROZEN_LAKE_STAY_ACTIONS = (*FROZEN_LAKE_ACTIONS, "stay")
"""Gymnasium's FrozenLake actions and a fifth, "stay", as the report gives its grids (3.3.2)."""

FROZEN_LAKE_5X5 = ("SFFFF", "FFFHF", "FHFFF", "FFFHF", "HFFFG")
"""Our fixed 5x5 lake: S start, F frozen, H hole, G goal (Gymnasium's letters). Four holes, as on
Gymnasium's 4x4 map; dry paths run along the top and right edges or down the left and along the
bottom. On slippery ice the best policy reaches the goal within 100 steps with probability 0.89,
and a uniformly random one with probability 0.0099 (value iteration on the model)."""


def _state(row: int, column: int) -> int:
    return row * SIZE + column


def _moved(row: int, column: int, move: str) -> tuple[int, int]:
    """The square one ``move`` away, or the same coordinate where the edge is."""
    d_row, d_column = MOVES[move]
    return min(max(row + d_row, 0), SIZE - 1), min(max(column + d_column, 0), SIZE - 1)


def _corner_to_corner(transitions: np.ndarray) -> TabularModel:
    """A world that starts top left, ends bottom right, and pays -1 per step, 0 on arrival."""
    goal = _state(SIZE - 1, SIZE - 1)
    reward = np.full(SIZE * SIZE, -1.0)
    reward[goal] = 0.0
    terminal = np.zeros(SIZE * SIZE, dtype=bool)
    terminal[goal] = True
    return TabularModel(transitions, reward, terminal, 0, (SIZE, SIZE), GRID_ACTIONS)


def simple_grid() -> TabularModel:
    """Simple Grid: deterministic moves."""
    transitions = np.zeros((SIZE * SIZE, len(GRID_ACTIONS), SIZE * SIZE))
    for row in range(SIZE):
        for column in range(SIZE):
            for action, move in enumerate(GRID_ACTIONS):
                transitions[_state(row, column), action, _state(*_moved(row, column, move))] = 1.0
    return _corner_to_corner(transitions)


def windy_grid(push_probability: float = 0.3) -> TabularModel:
    """Windy Grid: the action's move, then a push up and a push left, each independently with
    ``push_probability``; each push stops at the edge (our reading of "on top of the action's
    move"). The goal counts only if the square the wind leaves the agent on is the goal."""
    if not 0.0 <= push_probability <= 1.0:
        raise ValueError(f"push_probability = {push_probability} must be in [0, 1]")
    p = push_probability
    pushes = {(): (1 - p) ** 2, ("up",): p * (1 - p), ("left",): (1 - p) * p, ("up", "left"): p * p}
    transitions = np.zeros((SIZE * SIZE, len(GRID_ACTIONS), SIZE * SIZE))
    for row in range(SIZE):
        for column in range(SIZE):
            for action, move in enumerate(GRID_ACTIONS):
                for wind, probability in pushes.items():
                    square = _moved(row, column, move)
                    for push in wind:
                        square = _moved(*square, push)
                    transitions[_state(row, column), action, _state(*square)] += probability
    return _corner_to_corner(transitions)


def frozen_lake(
    is_slippery: bool = True, success_rate: float = 1.0 / 3.0, stay: bool = False
) -> TabularModel:
    """Frozen Lake on :data:`FROZEN_LAKE_5X5` with Gymnasium's FrozenLake rules: on slippery ice the
    intended move happens with ``success_rate`` and each perpendicular move with half the rest;
    reward 1 on reaching the goal, 0 otherwise; a hole or the goal ends the episode.

    With ``stay`` the world has a fifth action, 4 "stay" (:data:`FROZEN_LAKE_STAY_ACTIONS`), as the
    report gives its grids ("move left, right, up, down, or stay in the same place", 3.3.2; it
    lists the same actions for Frozen Lake, where Gymnasium has four). Staying leaves the agent
    where it is with probability 1, slippery or not: our reading, since "stay" has no direction
    whose perpendiculars the ice could slip it into. The four moves are unchanged."""
    if not 0.0 <= success_rate <= 1.0:
        raise ValueError(f"success_rate = {success_rate} must be in [0, 1]")
    letters = "".join(FROZEN_LAKE_5X5)
    n_moves = len(FROZEN_LAKE_ACTIONS)
    actions = FROZEN_LAKE_STAY_ACTIONS if stay else FROZEN_LAKE_ACTIONS
    transitions = np.zeros((SIZE * SIZE, len(actions), SIZE * SIZE))
    for row in range(SIZE):
        for column in range(SIZE):
            if stay:
                transitions[_state(row, column), n_moves, _state(row, column)] = 1.0
            for action in range(n_moves):
                outcomes = (
                    {
                        (action - 1) % n_moves: (1 - success_rate) / 2,
                        (action + 1) % n_moves: (1 - success_rate) / 2,
                    }
                    if is_slippery
                    else {}
                )
                outcomes[action] = success_rate if is_slippery else 1.0
                for direction, probability in outcomes.items():
                    square = _moved(row, column, FROZEN_LAKE_ACTIONS[direction])
                    transitions[_state(row, column), action, _state(*square)] += probability
    reward = np.array([1.0 if letter == "G" else 0.0 for letter in letters])
    terminal = np.array([letter in "HG" for letter in letters])
    return TabularModel(transitions, reward, terminal, letters.index("S"), (SIZE, SIZE), actions)
