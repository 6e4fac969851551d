"""``barrier``: synchronous rounds in which the learner waits for every agent (report Algorithm 2).

Round k:

    learner: broadcast the policy to every agent                       (downlink, PARAMS)
    agent i: receive it; run an episode; send its report if c_i^k = 1,
             else a header-only notice, counted as control traffic     (uplink, REPORT / CONTROL)
    learner: once all n have answered, spend update_time_s and update from the reports

An agent whose policy an outage loses sits the round out; the learner learns of it when the transfer
is given up. Every report is used in the round it was computed for: staleness 0.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from netsim.patterns.central.rounds import Rounds


class BarrierRounds(Rounds):
    def learner_process(self, episodes: int) -> Generator[simpy.Event, Any, None]:
        everyone = np.arange(self.n_agents)
        for episode in range(episodes):
            payload = self.policy()
            planned = self.plan(payload, everyone, episode, self.version)
            trips = [
                self.env.process(self.round_trip(agent, episode, payload, planned[agent]))
                for agent in range(self.n_agents)
            ]
            arrived = yield self.env.all_of(trips)
            yield from self.update(list(arrived.values()))
