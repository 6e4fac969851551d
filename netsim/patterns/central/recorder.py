"""The per-(episode, agent) table a trial produces, kept as preallocated columns.

One row per agent per episode: its discounted reward, whether it reported, the report's payload and
wire bytes, the control bytes of its "nothing to send" notice, the downlink bytes of the policy it
received, the bytes resent for lost packets of both, the simulated instants its episode ended
(``episode_end_s``) and its report or notice reached the learner (``sim_time_s``), the policy version it acted on, whether an outage lost the round (the
``fail`` outage policy: its policy never came, so it ran no episode and its reward is NaN, or its
report never reached the learner), whether its report missed its round's deadline (``late``), and,
for a report the learner used, its ``staleness``: the learner's version at that update minus the
version the agent played (NaN for a report not used, and where nothing was sent). A row whose
episode was not played (a straggler skipping a ``deadline`` round) has a NaN reward. An ``episode``
is a round, or under the ``async`` round policy the agent's own episode count. Nothing per
environment step is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from algorithms.base import EpisodeBatch
from netsim.messages import Kind, Message
from netsim.patterns.rows import EPISODE, FLAG, FLOAT, INT, episode_rows

if TYPE_CHECKING:
    import pandas as pd


class Recorder:
    """Columns of ``episodes * n_agents`` rows, row ``episode * n_agents + agent``."""

    def __init__(self, episodes: int, n_agents: int) -> None:
        self.n_agents = n_agents
        self.columns = episode_rows(
            episodes,
            n_agents,
            {
                **EPISODE,
                "downlink_wire_bytes": INT,
                "resent_wire_bytes": INT,
                "lost": FLAG,
                "episode_end_s": FLOAT,
                "sim_time_s": FLOAT,
                "policy_version": INT,
                "late": FLAG,
                "staleness": FLOAT,
            },
        )

    def episodes_run(
        self, episodes: np.ndarray | int, batch: EpisodeBatch, policy_version: int
    ) -> None:
        """Record ``batch``, agent ``batch.agents[j]``'s episode at row ``episodes`` (or
        ``episodes[j]``), played on learner version ``policy_version``."""
        rows = np.asarray(episodes) * self.n_agents + batch.agents
        self.columns["reward"][rows] = batch.rewards
        self.columns["steps"][rows] = batch.steps
        self.columns["policy_version"][rows] = policy_version

    def policy_received(self, episode: int, agent: int, message: Message) -> None:
        row = episode * self.n_agents + agent
        self.columns["downlink_wire_bytes"][row] = message.wire_bytes
        self.columns["resent_wire_bytes"][row] += message.retransmitted_bytes
        if message.failed:
            self.columns["lost"][row] = 1
            self.columns["reward"][row] = np.nan
            self.columns["steps"][row] = 0
            self.columns["sim_time_s"][row] = message.delivered_at_s

    def uplink_arrived(self, episode: int, agent: int, message: Message) -> None:
        row = episode * self.n_agents + agent
        if message.kind is Kind.REPORT:
            self.columns["sent"][row] = 1
            self.columns["payload_bytes"][row] = len(message.payload)
            self.columns["wire_bytes"][row] = message.wire_bytes
        else:
            self.columns["control_wire_bytes"][row] = message.wire_bytes
        self.columns["resent_wire_bytes"][row] += message.retransmitted_bytes
        self.columns["lost"][row] = int(message.failed)
        self.columns["sim_time_s"][row] = message.delivered_at_s

    def quiet_trips(
        self,
        episode: int,
        agents: np.ndarray,
        downlink_wire_bytes: int,
        episode_end_s: np.ndarray,
        reported: np.ndarray,
        payload_bytes: np.ndarray,
        wire_bytes: np.ndarray,
        arrived_s: np.ndarray,
    ) -> None:
        """Record the quiet round trips of ``agents`` at round ``episode`` at once: each received
        the policy in ``downlink_wire_bytes`` with no loss, ended its episode at
        ``episode_end_s[j]``, and its report of ``payload_bytes[j]`` (where ``reported[j]``; else
        a notice) reached the learner in ``wire_bytes[j]`` at ``arrived_s[j]`` (as
        :meth:`policy_received`, :meth:`episode_ended` and :meth:`uplink_arrived` would record
        them one by one)."""
        rows = episode * self.n_agents + agents
        columns = self.columns
        columns["downlink_wire_bytes"][rows] = downlink_wire_bytes
        columns["episode_end_s"][rows] = episode_end_s
        columns["sent"][rows[reported]] = 1
        columns["payload_bytes"][rows[reported]] = payload_bytes[reported]
        columns["wire_bytes"][rows[reported]] = wire_bytes[reported]
        columns["control_wire_bytes"][rows[~reported]] = wire_bytes[~reported]
        columns["lost"][rows] = 0
        columns["sim_time_s"][rows] = arrived_s

    def episode_ended(self, episode: int, agent: int, time_s: float) -> None:
        self.columns["episode_end_s"][episode * self.n_agents + agent] = time_s

    def report_late(self, episode: int, agent: int) -> None:
        self.columns["late"][episode * self.n_agents + agent] = 1

    def reports_used(
        self, episodes: Sequence[int], agents: Sequence[int], staleness: Sequence[int]
    ) -> None:
        """The reports of ``agents[j]`` at ``episodes[j]`` were used with ``staleness[j]``."""
        rows = np.asarray(episodes, dtype=np.int64) * self.n_agents + np.asarray(
            agents, dtype=np.int64
        )
        self.columns["staleness"][rows] = staleness

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd  # made once, at a trial's end; ``netsim list`` needs none

        return pd.DataFrame(self.columns)
