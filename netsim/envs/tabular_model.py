"""A finite MDP as tables, and the one implementation of its dynamics that every form of a grid
world steps with (the single Gymnasium environment and its batched vector form alike).

A model has S states and A actions:

    transitions[s, a, s'] = P(s' | s, a)        rows sum to 1
    arrival_reward[s']    = the reward of a step that lands in s'
    terminal[s']          = whether landing in s' ends the episode

A step of b environments at once draws one uniform u_j in [0, 1) per environment and takes the first
s' whose cumulative probability exceeds it (inverse-CDF sampling), so the same uniforms give the same
moves whatever the batch size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, eq=False)
class TabularModel:
    """A finite MDP with state-only arrival rewards, a start state and terminal states."""

    transitions: np.ndarray
    """P(s' | s, a), shape (S, A, S)."""
    arrival_reward: np.ndarray
    """Reward for entering each state, shape (S,)."""
    terminal: np.ndarray
    """Whether entering each state ends the episode, shape (S,), bool."""
    start: int
    """The state every episode starts in."""
    shape: tuple[int, int]
    """(rows, columns) of the grid; state = row * columns + column."""
    action_names: tuple[str, ...]
    """Action a's name, by index."""

    _cumulative: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n_states, n_actions, n_next = self.transitions.shape
        if n_next != n_states or n_states != self.shape[0] * self.shape[1]:
            raise ValueError(
                f"transitions have shape {self.transitions.shape}; expected (S, A, S) with "
                f"S = {self.shape[0]} x {self.shape[1]}"
            )
        if not np.allclose(self.transitions.sum(axis=2), 1.0):
            raise ValueError("every row of transitions must sum to 1")
        if len(self.action_names) != n_actions:
            raise ValueError(f"{len(self.action_names)} action names for {n_actions} actions")
        cumulative = self.transitions.cumsum(axis=2)
        cumulative[:, :, -1] = 1.0  # so a uniform in [0, 1) always finds a state
        object.__setattr__(self, "_cumulative", cumulative)

    @property
    def n_states(self) -> int:
        return int(self.transitions.shape[0])

    @property
    def n_actions(self) -> int:
        return int(self.transitions.shape[1])

    def step(
        self, states: np.ndarray, actions: np.ndarray, uniforms: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Next states, rewards and terminations of b environments, given one uniform each."""
        cumulative = self._cumulative[states, actions]
        next_states = (cumulative <= uniforms[:, None]).sum(axis=1)
        return next_states, self.arrival_reward[next_states], self.terminal[next_states]

    def expected_values(self, values: np.ndarray, gamma: float) -> np.ndarray:
        """One-step lookahead E[r + gamma * V(s') (1 - terminal(s')) | s, a], shape (S, A)."""
        continuation = np.where(self.terminal, 0.0, values)
        return self.transitions @ (self.arrival_reward + gamma * continuation)
