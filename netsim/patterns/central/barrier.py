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

from netsim.network.base import delay_until
from netsim.patterns.central.quiet import QuietTrips, quiet_agents
from netsim.patterns.central.rounds import Arrival, CentralParts, Rounds
from netsim.patterns.central.settings import CentralSettings


class BarrierRounds(Rounds):
    def __init__(self, parts: CentralParts, settings: CentralSettings) -> None:
        super().__init__(parts, settings)
        self.quiet = quiet_agents(self.network, self.downlinks, self.report_codec.lossless)
        """The agents whose round trips are computed without events (:mod:`.quiet`)."""

    def learner_process(self, episodes: int) -> Generator[simpy.Event, Any, None]:
        everyone = np.arange(self.n_agents)
        quiet_trips = QuietTrips(
            self.network, self.recorder, self.step_times, np.flatnonzero(self.quiet)
        )
        loud = np.flatnonzero(~self.quiet)
        env = self.env
        for episode in range(episodes):
            payload = self.policy()
            batch = self.run_batch(payload, everyone, episode, self.version)
            position = np.empty(self.n_agents, dtype=np.int64)
            position[batch.agents] = np.arange(len(batch.agents))
            gathering = Gathering(env, len(loud))
            for agent, planned in self.planned(batch, position[loud].tolist()).items():
                self.round_trip(agent, episode, payload, planned, gathering.arrived)
            at = position[quiet_trips.agents]
            held, last = quiet_trips.round(
                env.now,
                episode,
                self.version,
                payload,
                batch.steps[at],
                [batch.reports[j] for j in at.tolist()],
            )
            if gathering.waiting:
                yield gathering.done
            if last > env.now:
                yield from wait_until(env, last)
                if env.now != last:
                    raise RuntimeError(f"no delay brings {env.now!r} to {last!r} exactly")
            yield from self.update(gathering.arrivals, held)


def wait_until(env: simpy.Environment, at: float) -> Generator[simpy.Event, Any, None]:
    """Bring ``env.now`` to ``at`` exactly (``at`` > now >= 0): in one timeout where floats allow
    (:func:`delay_until`), else in two. ``now + d`` may land on no float equal to ``at`` when now <
    at / 2 (the sum rounds past it); from any t in [at / 2, at], t + (at - t) is ``at`` exactly
    (Sterbenz: at - t is exact), so a first step to about 3/4 of ``at`` lets the second land on it.
    The round then ends at ``at``, as the event-driven round trips that ``at`` stands for would."""
    if env.now + delay_until(env.now, at) != at:
        yield env.timeout(delay_until(env.now, 0.75 * at))
    yield env.timeout(delay_until(env.now, at))


class Gathering:
    """One round's arrivals; ``done`` fires once the ``expected`` ones :meth:`arrived` are in
    (others may be added to ``arrivals`` directly)."""

    def __init__(self, env: simpy.Environment, expected: int) -> None:
        self.waiting = expected
        self.arrivals: list[Arrival] = []
        self.done = env.event()

    def arrived(self, arrival: Arrival) -> None:
        self.arrivals.append(arrival)
        self.waiting -= 1
        if not self.waiting:
            self.done.succeed()
