"""The tables of a gossip trial: ``metrics``, one row per (round, agent), and ``consensus``, one row
per (round, agent) with the agent's distance to the mean of all agents' parameters after the round
and, for tabular algorithms, how far its greedy policy agrees with the others'. Every column is
described in ``docs/tables.md``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from algorithms.base import EpisodeBatch
from netsim.messages import Kind, Message
from netsim.patterns.rows import EPISODE, FLOAT, INT, episode_rows

if TYPE_CHECKING:
    import pandas as pd

BYTE_COLUMNS = {
    Kind.REPORT: "wire_bytes",
    Kind.CONTROL: "control_wire_bytes",
    Kind.PARAMS: "params_wire_bytes",
}
"""The column of the sender's row that counts a peer message's wire bytes, by kind."""


class GossipRecorder:
    """Columns of ``rounds * n_agents`` rows, row ``round * n_agents + agent``."""

    def __init__(self, rounds: int, n_agents: int) -> None:
        self.n_agents = n_agents
        self.columns = episode_rows(
            rounds,
            n_agents,
            {
                **EPISODE,
                "params_wire_bytes": INT,
                "resent_wire_bytes": INT,
                "lost": INT,
                "episode_end_s": FLOAT,
                "sim_time_s": FLOAT,
            },
        )
        self._held: dict[int, dict[int, tuple[np.ndarray, np.ndarray | None]]] = {}
        """Each unfinished round's parameters and greedy actions, by agent, until every agent
        has finished it."""
        self._consensus: list[tuple[int, np.ndarray, np.ndarray]] = []

    def episodes_run(self, round_: int, batch: EpisodeBatch) -> None:
        rows = round_ * self.n_agents + batch.agents
        self.columns["reward"][rows] = batch.rewards
        self.columns["steps"][rows] = batch.steps
        for row, report in zip(rows.tolist(), batch.reports, strict=True):
            if report is not None:
                self.columns["sent"][row] = 1
                self.columns["payload_bytes"][row] = len(report)

    def episode_ended(self, round_: int, agent: int, time_s: float) -> None:
        self.columns["episode_end_s"][round_ * self.n_agents + agent] = time_s

    def message_ended(self, round_: int, agent: int, message: Message) -> None:
        """Count a peer message ``agent`` sent in ``round_`` on its row."""
        row = round_ * self.n_agents + agent
        self.columns[BYTE_COLUMNS[message.kind]][row] += message.wire_bytes
        self.columns["resent_wire_bytes"][row] += message.retransmitted_bytes
        self.columns["lost"][row] += int(message.failed)

    def round_ended(
        self,
        round_: int,
        agent: int,
        time_s: float,
        parameters: np.ndarray,
        greedy_actions: np.ndarray | None,
    ) -> None:
        """``agent`` finished ``round_`` at ``time_s`` (its own clock) holding ``parameters``,
        and acting greedily with ``greedy_actions`` (one per state; None: not listable)."""
        self.columns["sim_time_s"][round_ * self.n_agents + agent] = time_s
        held = self._held.setdefault(round_, {})
        held[agent] = (parameters, greedy_actions)
        if len(held) == self.n_agents:
            stacked = np.stack([held[a][0] for a in range(self.n_agents)])
            distances = np.linalg.norm(stacked - stacked.mean(axis=0), axis=1)
            greedy = [held[a][1] for a in range(self.n_agents)]
            agreement = (
                np.full(self.n_agents, np.nan)
                if any(actions is None for actions in greedy)
                else policy_agreement(np.stack(greedy))  # type: ignore[arg-type]
            )
            self._consensus.append((round_, distances, agreement))
            del self._held[round_]

    def metrics(self) -> pd.DataFrame:
        import pandas as pd  # made once, at a trial's end; ``netsim list`` needs none

        return pd.DataFrame(self.columns)

    def consensus(self) -> pd.DataFrame:
        rounds = np.array([round_ for round_, *_ in self._consensus], dtype=np.int64)

        def column(i: int) -> np.ndarray:
            return (
                np.concatenate([row[i] for row in self._consensus]) if len(rounds) else np.zeros(0)
            )

        import pandas as pd

        return pd.DataFrame(
            {
                "episode": np.repeat(rounds, self.n_agents),
                "agent": np.tile(np.arange(self.n_agents), len(rounds)),
                "distance": column(1),
                "greedy_agreement": column(2),
            }
        )


def policy_agreement(greedy: np.ndarray) -> np.ndarray:
    """For greedy actions (agents, states): each agent's share of states in which its action is
    the one most agents take there (of tied majorities, the smallest action)."""
    n_actions = int(greedy.max()) + 1
    votes = np.stack([np.bincount(column, minlength=n_actions) for column in greedy.T])
    majority = votes.argmax(axis=1)
    return (greedy == majority).mean(axis=1)
