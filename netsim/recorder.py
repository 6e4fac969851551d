"""The per-(episode, agent) table a trial produces, kept as preallocated columns.

One row per agent per episode: its discounted reward, whether it reported, the report's payload and
wire bytes, the control bytes of its "nothing to send" notice, the downlink bytes of the policy it
received, the bytes resent for lost packets of both, the simulated instant its report or notice
reached the learner, the policy version it acted on, and whether an outage lost the round (the
``fail`` outage policy: its policy never came, so it ran no episode and its reward is NaN, or its
report never reached the learner). Nothing per environment step is kept.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from algorithms.base import EpisodeBatch
from netsim.messages import Kind, Message


class Recorder:
    """Columns of ``episodes * n_agents`` rows, row ``episode * n_agents + agent``."""

    def __init__(self, episodes: int, n_agents: int) -> None:
        self.n_agents = n_agents
        rows = episodes * n_agents
        self.columns: dict[str, np.ndarray] = {
            "episode": np.repeat(np.arange(episodes), n_agents),
            "agent": np.tile(np.arange(n_agents), episodes),
            "reward": np.full(rows, np.nan),
            "steps": np.zeros(rows, dtype=np.int64),
            "sent": np.zeros(rows, dtype=np.int8),
            "payload_bytes": np.zeros(rows, dtype=np.int64),
            "wire_bytes": np.zeros(rows, dtype=np.int64),
            "control_wire_bytes": np.zeros(rows, dtype=np.int64),
            "downlink_wire_bytes": np.zeros(rows, dtype=np.int64),
            "resent_wire_bytes": np.zeros(rows, dtype=np.int64),
            "lost": np.zeros(rows, dtype=np.int8),
            "sim_time_s": np.full(rows, np.nan),
            "policy_version": np.zeros(rows, dtype=np.int64),
        }

    def episodes_run(self, episode: int, batch: EpisodeBatch, policy_version: int) -> None:
        rows = episode * self.n_agents + batch.agents
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

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.columns)
