"""Quiet round trips: an agent's round trip that nothing else can touch, computed without events.

Under ``barrier`` rounds an agent's policy message goes down when the round starts and its report
(or notice) comes up when its episode ends; nothing else is sent until the round is over. Its trip
is *quiet* when

* every link of its routes to and from the learner carries no other pair's messages (so each
  message finds its links free and none joins them before it ends),
* the routes lose no packet and have no outages (no random resends, no waiting or failing),
* the network model computes quiet transfers (:meth:`BandwidthModel.quiet_ends_s`:
  store-and-forward) and records no trace or load (kept in the order transfers end), and
* the downlink is ``full`` without a lossy codec and the report codec is lossless (their
  bookkeeping and random draws then cannot depend on the order in which agents' trips are
  handled).

Its instants (policy received, episode ended, report arrived) are then those the SimPy events
would give, bit for bit, computed with the model's own arithmetic (``t + delay`` as SimPy adds a
timeout) for every quiet agent at once, and its link use is counted as the events would count it:
so the tables are the same, with no event and no message object per agent-episode (seven events
before: the process's start and end, two per message and the episode's timeout).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from netsim.network import Network
from netsim.patterns.central.downlink import Downlinks
from netsim.patterns.central.recorder import Recorder

Reported = tuple[int, int, int, bytes]
"""A report the learner holds: (episode, agent, the version the agent played, the report)."""


def quiet_agents(network: Network, downlinks: Downlinks, reports_lossless: bool) -> np.ndarray:
    """Which agents' round trips are quiet (module docstring), as a boolean mask over agents."""
    topology = network.topology
    quiet = np.zeros(topology.n_agents, dtype=bool)
    if downlinks.kind != "full" or downlinks.coded or not reports_lossless:
        return quiet
    learner = topology.learner
    routes = [
        (topology.route(learner, agent), topology.route(agent, learner))
        for agent in topology.agents
    ]
    pairs_on = Counter(link for down, up in routes for route in (down, up) for link in route)
    for index, (agent, (down, up)) in enumerate(zip(topology.agents, routes, strict=True)):
        quiet[index] = (
            all(pairs_on[link] == 1 for link in (*down, *up))
            and network.can_send_quietly(learner, agent)
            and network.can_send_quietly(agent, learner)
        )
    return quiet


class QuietTrips:
    """The round trips of the quiet ``agents`` (agent indices, in increasing order) of a barrier
    round, computed at once: the policy goes down every agent's route when the round starts, each
    episode takes ``steps * step_time_s``, and each report or notice comes up when it ends:

        received_j = the downlink's end for the policy, sent now
        ended_j    = received_j + steps_j * step_time_s[agent_j]    (a timeout, as SimPy adds it)
        arrived_j  = the uplink's end for the report (or notice), sent at ended_j
    """

    def __init__(
        self,
        network: Network,
        recorder: Recorder,
        step_times: np.ndarray,
        agents: np.ndarray,
    ) -> None:
        topology = network.topology
        learner, nodes = topology.learner, topology.agents
        self.agents = np.asarray(agents, dtype=np.int64)
        self._agent_list: list[int] = self.agents.tolist()
        self.framing, self.recorder = network.framing, recorder
        self.step_times = step_times[self.agents]
        if self._agent_list:  # with none, the model need not compute quiet routes
            self.down = network.quiet_routes([(learner, nodes[a]) for a in self._agent_list])
            self.up = network.quiet_routes([(nodes[a], learner) for a in self._agent_list])

    def round(
        self,
        now: float,
        episode: int,
        version: int,
        payload: bytes,
        steps: np.ndarray,
        reports: Sequence[bytes | None],
    ) -> tuple[list[Reported], float]:
        """Send ``payload``, the learner's ``version``, to every quiet agent now; agent j's episode
        takes ``steps[j]`` steps and sends ``reports[j]`` (a notice where None). Record the trips
        at round ``episode``; return the reports the learner gets, in agent order, and the
        instant the last message reaches it."""
        count = len(self._agent_list)
        if not count:
            return [], now
        framing = self.framing
        policy_wire_bytes = framing.wire_bytes(len(payload))
        received_s = self.down.ends_s(np.full(count, policy_wire_bytes), np.full(count, now))
        ended_s = received_s + steps * self.step_times
        reported = np.array([report is not None for report in reports], dtype=bool)
        payload_bytes = np.array(
            [0 if report is None else len(report) for report in reports], dtype=np.int64
        )
        wire_bytes = framing.wire_bytes(payload_bytes)
        arrived_s = self.up.ends_s(wire_bytes, ended_s)
        self.recorder.quiet_trips(
            episode,
            self.agents,
            policy_wire_bytes,
            ended_s,
            reported,
            payload_bytes,
            wire_bytes,
            arrived_s,
        )
        held = [
            (episode, agent, version, report)
            for agent, report in zip(self._agent_list, reports, strict=True)
            if report is not None
        ]
        return held, float(arrived_s.max())
