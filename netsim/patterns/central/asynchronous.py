"""``async``: the learner updates after every k arrivals; the others play on (K-batch asynchronous
SGD, Dutta et al. 2018, "Slow and stale gradients can win the race").

    learner: send the policy (version 0) to every agent
    agent i: receive it; run an episode; send its report, or a notice if c_i = 0
    learner: on every k-th arrival, spend update_time_s, update from the reports among the k,
             and send the new version to those k agents only; the rest keep playing the
             versions they last received
    an agent stops after its own ``episodes`` episodes

A report's staleness is the learner's version at the update that uses it minus the version its
agent played. Rows are (the agent's own episode count, agent). Choices where the issue is silent:

* silent agents send the header-only notice, as under ``barrier``: the learner counts arrivals to
  know who is free for the next version, and a notice counts as an arrival;
* an agent whose policy an outage loses counts as an arrival too (the learner learns of it when the
  transfer is given up) and is sent the next version with its group;
* when fewer than k arrivals can still come (every other agent has finished), the learner updates
  from those it has, so a run always ends;
* every aggregation is a new version, even one with no reports in it.

With k = n this is the ``barrier`` policy: the same batches, the same updates.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from netsim.patterns.central.rounds import Arrival, CentralParts, Rounds
from netsim.patterns.central.settings import CentralSettings


class AsyncRounds(Rounds):
    def __init__(self, parts: CentralParts, settings: CentralSettings) -> None:
        super().__init__(parts, settings)
        self.inbox = simpy.Store(self.env)
        """Arrivals, in the order they came."""
        self.next_episode = np.zeros(self.n_agents, dtype=np.int64)

    def learner_process(self, episodes: int) -> Generator[simpy.Event, Any, None]:
        owed = np.full(self.n_agents, episodes)  # arrivals each agent still owes the learner
        in_flight = self.dispatch(np.arange(self.n_agents))
        group: list[Arrival] = []
        while owed.any():
            arrival = yield self.inbox.get()
            owed[arrival.agent] -= 1
            in_flight -= 1
            group.append(arrival)
            if len(group) == self.settings.updates_every or in_flight == 0:
                yield from self.update(group)
                again = np.array(sorted(a.agent for a in group if owed[a.agent]), dtype=np.int64)
                in_flight += self.dispatch(again)
                group = []

    def dispatch(self, agents: np.ndarray) -> int:
        """Send the current version to ``agents`` (each on its next episode); how many were sent."""
        payload = self.policy()
        episodes = self.next_episode[agents]
        planned = self.plan(payload, agents, episodes, self.version)
        self.next_episode[agents] += 1
        for agent, episode in zip(agents.tolist(), episodes.tolist(), strict=True):
            self.round_trip(agent, episode, payload, planned[agent], self.inbox.put)
        return len(agents)
