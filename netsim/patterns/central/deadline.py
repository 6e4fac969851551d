"""``deadline``: the learner aggregates what arrived ``deadline_s`` after its broadcast.

Round k, starting at t_k:

    learner: broadcast version k to every agent                        (downlink, PARAMS)
    agent i: when it is free and holds a version newer than the last it played, play the newest:
             run an episode; send its report if c_i = 1, else nothing   (uplink, REPORT)
    learner: at t_k + deadline_s, update from the version-k reports that have arrived (and, with
             ``late_reports = "carry"``, the late ones that arrived since the last aggregation);
             spend update_time_s; round k + 1 starts at t_k + deadline_s + update_time_s

A report that arrives after its round's deadline is late (``late`` = 1 in its row): dropped, or
used in the aggregation in which it arrives, with staleness = that version minus its own. A straggler
still playing an older version when a broadcast arrives skips the rounds it cannot play: their rows
have no reward (NaN) and their downlink bytes.

Choices where the issue is silent: silent agents send nothing (the round lasts ``deadline_s``
whatever arrives, so a notice would tell the learner nothing), and the round is not cut short when
every report is in. An agent that is free when a version is broadcast plays that version when it
arrives (so its episode is computed in the broadcast's batch); a straggler's episode is computed
alone when it becomes free. A report that arrives at the very instant of its deadline is on time
only if SimPy handles its arrival before the deadline's timeout (ties in continuous time).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from netsim.patterns.central.rounds import Arrival, CentralParts, Planned, Rounds
from netsim.patterns.central.settings import CentralSettings


class DeadlineRounds(Rounds):
    def __init__(self, parts: CentralParts, settings: CentralSettings) -> None:
        super().__init__(parts, settings)
        n = self.n_agents
        self.playing = np.zeros(n, dtype=bool)
        """The agent is computing an episode."""
        self.downloads = np.zeros(n, dtype=np.int64)
        """Policies on their way to each agent."""
        self.last_played = np.full(n, -1)
        self.newest: dict[int, tuple[int, bytes]] = {}
        """Each agent's newest received (version, payload) that it has not played."""
        self.committed: dict[int, tuple[int, Planned]] = {}
        """Agents free at a broadcast: the version they will play and its precomputed episode."""
        self.arrived: set[int] = set()
        """Committed agents whose committed version has arrived."""
        self.open_round = -1
        """The version whose deadline has not yet passed (-1 between a deadline and the next
        broadcast)."""
        self.inbox: list[Arrival] = []

    def learner_process(self, episodes: int) -> Generator[simpy.Event, Any, None]:
        assert self.settings.deadline_s is not None  # CentralSettings ensures it
        for _ in range(episodes):
            version = self.version
            payload = self.policy()
            free = np.flatnonzero(~self.playing & (self.downloads == 0))
            for agent, planned in self.plan(payload, free, version, version).items():
                self.committed[agent] = (version, planned)
            self.open_round = version
            for agent in range(self.n_agents):
                self.downloads[agent] += 1
                self.env.process(self.deliver(agent, version, payload))
            yield self.env.timeout(self.settings.deadline_s)
            self.open_round = -1
            arrived, self.inbox = self.inbox, []
            carry = self.settings.late_reports == "carry"
            yield from self.update([a for a in arrived if carry or not a.late])

    def deliver(
        self, agent: int, version: int, payload: bytes
    ) -> Generator[simpy.Event, Any, None]:
        received = yield from self.download(agent, version, payload)
        self.downloads[agent] -= 1
        committed = self.committed.get(agent, (None,))[0] == version
        if received.failed:
            if committed:
                del self.committed[agent]
            return
        if committed:
            self.arrived.add(agent)
        if version > self.newest.get(agent, (-1,))[0]:
            self.newest[agent] = (version, payload)
        self.play_next(agent)

    def play_next(self, agent: int) -> None:
        """Start ``agent``'s next episode if it is free and holds a version it has not played."""
        if self.playing[agent]:
            return
        if agent in self.committed:
            if agent not in self.arrived:
                return  # its committed version is still on its way
            self.arrived.remove(agent)
            version, planned = self.committed.pop(agent)
        else:
            version, payload = self.newest.get(agent, (-1, b""))
            if version <= self.last_played[agent]:
                return
            # a straggler, free after the broadcast: its episode is computed alone
            planned = self.plan(payload, np.array([agent]), version, version)[agent]
        self.playing[agent] = True
        self.last_played[agent] = version
        self.env.process(self.episode(agent, version, planned))

    def episode(
        self, agent: int, version: int, planned: Planned
    ) -> Generator[simpy.Event, Any, None]:
        yield from self.play(agent, version, planned)
        self.playing[agent] = False
        if planned.report is not None:
            self.env.process(self.report(agent, version, planned.report))
        self.play_next(agent)

    def report(self, agent: int, version: int, report: bytes) -> Generator[simpy.Event, Any, None]:
        sent = yield from self.upload(agent, version, report)
        late = version != self.open_round
        if late:
            self.recorder.report_late(version, agent)
        self.inbox.append(Arrival(version, agent, version, sent, late))
