"""The per-(episode, agent) tables patterns record, kept as preallocated columns."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

Column = tuple[type, float]
"""A column's dtype and the value every row starts with."""

INT, FLAG, FLOAT = (np.int64, 0), (np.int8, 0), (np.float64, np.nan)
"""Column kinds: an integer (a count, 0 until set), a 0/1 flag, a float (NaN until set)."""

EPISODE: dict[str, Column] = {
    "reward": FLOAT,
    "steps": INT,
    "sent": FLAG,
    "payload_bytes": INT,
    "wire_bytes": INT,
    "control_wire_bytes": INT,
}
"""The columns every pattern's ``metrics`` starts with, after ``episode`` and ``agent``: the
episode's reward and steps, and the agent's report (see docs/tables.md)."""


def episode_rows(
    episodes: int, n_agents: int, columns: Mapping[str, Column]
) -> dict[str, np.ndarray]:
    """``episode`` and ``agent``, then ``columns`` in order, over ``episodes * n_agents`` rows;
    row ``episode * n_agents + agent`` is that agent's episode."""
    rows = episodes * n_agents
    table = {
        "episode": np.repeat(np.arange(episodes), n_agents),
        "agent": np.tile(np.arange(n_agents), episodes),
    }
    for name, (dtype, initial) in columns.items():
        table[name] = np.full(rows, initial, dtype=dtype)
    return table
