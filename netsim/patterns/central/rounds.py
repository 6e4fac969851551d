"""What every central round policy shares: an agent's round trip, and the learner's update.

An agent's round trip (report Algorithm 2, one agent, one episode):

    receive the policy                                                  (downlink, PARAMS)
    run the episode, taking steps * step_time_s[agent] of simulated compute
    send the report if c_i^k = 1; else a header-only notice if the policy asks for one
                                                                        (uplink, REPORT / CONTROL)

Episodes are computed when their policy is sent, as one batch for every agent the policy is sent to
that will play it (docs/design.md, "Speed"); each agent's process then spends the precomputed duration in
simulated time. A policy that an outage then loses (the ``fail`` outage policy) is not played, but
the agent's state has advanced as if it had played and discarded the episode (its episode count, and
ESPC's utility window): the price of computing a batch ahead of its arrivals.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from algorithms.base import AgentPool, Learner
from netsim.codecs import Coded, Residual
from netsim.messages import Kind, Message
from netsim.patterns.base import Trial
from netsim.patterns.central.downlink import Downlinks
from netsim.patterns.central.recorder import Recorder
from netsim.patterns.central.settings import CentralSettings


@dataclass(frozen=True)
class Planned:
    """An agent's precomputed episode: how long it takes and what it sends."""

    steps: int
    report: bytes | None


@dataclass(frozen=True)
class Arrival:
    """What the learner got from one agent's episode (or learnt it will never get)."""

    episode: int
    """The row's episode index (a round, or the agent's own count under ``async``)."""
    agent: int
    version: int
    """The learner version the agent played."""
    message: Message | None
    """The report or notice that came up (possibly ``failed``), or None if the policy was lost."""
    late: bool = False
    """It missed its round's deadline (``deadline`` only)."""

    @property
    def report(self) -> bytes | None:
        """The report's payload, if a report reached the learner."""
        message = self.message
        if message is None or message.failed or message.kind is not Kind.REPORT:
            return None
        return message.payload


@dataclass(frozen=True)
class CentralParts:
    """What a round policy drives: the trial, the algorithm's two halves, the recorder."""

    trial: Trial
    learner: Learner
    agents: AgentPool
    recorder: Recorder


class Rounds(ABC):
    """A round policy: the learner's process, over the shared round-trip and update steps."""

    def __init__(self, parts: CentralParts, settings: CentralSettings) -> None:
        trial = parts.trial
        self.env = trial.env
        self.network = trial.network
        self.learner = parts.learner
        self.agents = parts.agents
        self.recorder = parts.recorder
        self.settings = settings
        self.n_agents = trial.topology.n_agents
        self.step_times = trial.compute.step_times(self.n_agents)
        self.update_time_s = trial.compute.update_time_s
        self.version = 0
        """The learner's version: the number of updates it has made."""
        rng = np.random.default_rng(trial.seed)
        self.downlinks = Downlinks(
            settings.downlink, self.n_agents, self.learner, settings.make_codec(), rng
        )
        self.report_codec = settings.make_report_codec()
        if not (self.report_codec.lossless or self.learner.vector_reports):
            raise ValueError(
                f"CentralSettings.report_codec = {settings.report_codec!r} codes reports that are "
                f"float32 vectors, and {type(self.learner).__name__}'s are not (DAVIA's are)"
            )
        self._residuals: dict[int, Residual] = {}
        """Each agent's error feedback for its coded reports."""
        self._rng = rng

    @abstractmethod
    def learner_process(self, episodes: int) -> Generator[simpy.Event, Any, None]:
        """The learner's SimPy process for a run of ``episodes`` episodes per agent."""

    def policy(self) -> bytes:
        """The policy the learner sends now, as the agents will hold it (the learner's own, or
        under a lossy codec the estimate every agent shares)."""
        return self.downlinks.policy(self.version, self.learner.policy_payload())

    def plan(
        self, payload: bytes, agents: np.ndarray, episodes: np.ndarray | int, version: int
    ) -> dict[int, Planned]:
        """Compute one episode of each of ``agents`` on ``payload``, the learner's ``version``, as
        one batch; record them at rows ``episodes``."""
        if not len(agents):
            return {}
        batch = self.agents.run_episodes(payload, agents)
        self.recorder.episodes_run(episodes, batch, version)
        return {
            int(agent): Planned(int(steps), report)
            for agent, steps, report in zip(batch.agents, batch.steps, batch.reports, strict=True)
        }

    def download(
        self, agent: int, episode: int, payload: bytes
    ) -> Generator[simpy.Event, Any, Message]:
        """Send the policy ``payload``, the learner's current version, to ``agent`` as the
        downlink encodes it; record it at row ``episode``. Under ``replay`` the agent then spends
        ``update_time_s`` per update it repeats."""
        version = self.version
        data = self.downlinks.message(agent, version, payload)
        received = yield self.network.to_agent(agent, Kind.PARAMS, data)
        replayed = self._downloaded(agent, episode, version, payload, data, received)
        if replayed:
            yield self.env.timeout(replayed * self.update_time_s)
        return received

    def _downloaded(
        self, agent: int, episode: int, version: int, payload: bytes, data: bytes, received: Message
    ) -> int:
        """Check and record the policy message ``received`` (``data``, version ``version``'s
        ``payload`` as the downlink encoded it); the updates the agent must now repeat."""
        copy, replayed = self.downlinks.ended(agent, version, data, not received.failed)
        if copy is not None and copy != payload:
            raise RuntimeError(
                f"the {self.settings.downlink} downlink gave agent {agent} a policy that is not "
                f"version {version}'s"
            )
        self.recorder.policy_received(episode, agent, received)
        return replayed

    def play(self, agent: int, episode: int, planned: Planned) -> Generator[simpy.Event, Any, None]:
        """Spend the simulated time of ``agent``'s episode; record when it ended."""
        yield self.env.timeout(planned.steps * self.step_times[agent])
        self.recorder.episode_ended(episode, agent, self.env.now)

    def upload(
        self, agent: int, episode: int, report: bytes | None
    ) -> Generator[simpy.Event, Any, Message]:
        """Send ``report``, or a header-only notice (control traffic) when it is None. Under a
        lossy report codec the report crosses coded, with the agent's residual (error feedback),
        and the message returned holds what the learner decodes."""
        event, coded = self._send_report(agent, report)
        sent = yield event
        return self._uploaded(agent, episode, sent, coded)

    def _send_report(self, agent: int, report: bytes | None) -> tuple[simpy.Event, Coded | None]:
        """Start :meth:`upload`'s message; the event that fires when it ends, and the coded
        report it carries under a lossy report codec (else None)."""
        kind, payload = (Kind.CONTROL, b"") if report is None else (Kind.REPORT, report)
        coded = None
        if report is not None and not self.report_codec.lossless:
            if agent not in self._residuals:
                self._residuals[agent] = Residual(self.report_codec, len(report) // 4, self._rng)
            coded = self._residuals[agent].send(np.frombuffer(report, dtype="<f4"))
            payload = coded.data
        return self.network.to_learner(agent, kind, payload), coded

    def _uploaded(self, agent: int, episode: int, sent: Message, coded: Coded | None) -> Message:
        """Record :meth:`upload`'s message ``sent`` when it ended; what the learner holds of it."""
        self.recorder.uplink_arrived(episode, agent, sent)
        if coded is None:
            return sent
        if sent.failed:
            self._residuals[agent].lost(coded)
            return sent
        return dataclasses.replace(sent, payload=coded.values.astype("<f4").tobytes())

    def round_trip(
        self,
        agent: int,
        episode: int,
        payload: bytes,
        planned: Planned,
        then: Callable[[Arrival], object],
    ) -> None:
        """Download, play, and report or notify (an agent that must always answer), then call
        ``then`` with the arrival. Driven by callbacks on the trip's own events, not by a SimPy
        process: the same events in the same order as :meth:`download`, :meth:`play` and
        :meth:`upload` in a process, less the process's start and end (two of seven events per
        agent-episode), so the tables are the same."""
        version = self.version
        data = self.downlinks.message(agent, version, payload)
        env = self.env

        def downloaded(event: simpy.Event) -> None:
            received = event.value
            replayed = self._downloaded(agent, episode, version, payload, data, received)
            if replayed:
                env.timeout(replayed * self.update_time_s).callbacks.append(
                    lambda _: ready(received)
                )
            else:
                ready(received)

        def ready(received: Message) -> None:
            if received.failed:
                then(Arrival(episode, agent, version, None))  # no policy: the agent sits it out
                return
            env.timeout(planned.steps * self.step_times[agent]).callbacks.append(played)

        def played(_: simpy.Event) -> None:
            self.recorder.episode_ended(episode, agent, env.now)
            event, coded = self._send_report(agent, planned.report)
            event.callbacks.append(lambda ended: uploaded(ended.value, coded))

        def uploaded(sent: Message, coded: Coded | None) -> None:
            then(Arrival(episode, agent, version, self._uploaded(agent, episode, sent, coded)))

        self.network.to_agent(agent, Kind.PARAMS, data).callbacks.append(downloaded)

    def quiet_round(
        self, agents: Sequence[int], episode: int, payload: bytes, planned: dict[int, Planned]
    ) -> tuple[list[Arrival], float]:
        """:meth:`round_trip` of each of ``agents``, whose trips are quiet (:mod:`.quiet`: the
        downlink is ``full`` and uncoded, so the policy crosses as ``payload`` and arrives
        unchanged), starting now, computed at once and recorded; their arrivals, and the instant
        the last one reaches the learner."""
        version, now, count = self.version, self.env.now, len(agents)
        if not count:
            return [], now
        network, framing, step_times = self.network, self.network.framing, self.step_times
        learner, nodes = network.topology.learner, network.topology.agents
        trips = [planned[agent] for agent in agents]
        policy_wire_bytes = framing.wire_bytes(len(payload))
        received_s = network.quiet_deliveries_s(
            [(learner, nodes[agent]) for agent in agents],
            [policy_wire_bytes] * count,
            [now] * count,
        )
        ended_s = [
            received + trip.steps * step_times[agent]
            for received, trip, agent in zip(received_s, trips, agents, strict=True)
        ]
        bodies = [b"" if trip.report is None else trip.report for trip in trips]
        wire_bytes = [framing.wire_bytes(len(body)) for body in bodies]
        arrived_s = network.quiet_deliveries_s(
            [(nodes[agent], learner) for agent in agents], wire_bytes, ended_s
        )
        uplinks = [
            Message(
                nodes[agent],
                learner,
                Kind.CONTROL if trip.report is None else Kind.REPORT,
                body,
                wire,
                sent_at_s=ended,
                delivered_at_s=arrived,
            )
            for agent, trip, body, wire, ended, arrived in zip(
                agents, trips, bodies, wire_bytes, ended_s, arrived_s, strict=True
            )
        ]
        self.recorder.quiet_trips(
            episode,
            np.asarray(agents, dtype=np.int64),
            policy_wire_bytes,
            np.array(ended_s),
            uplinks,
            np.array(arrived_s),
        )
        arrivals = [
            Arrival(episode, agent, version, message)
            for agent, message in zip(agents, uplinks, strict=True)
        ]
        return arrivals, max(arrived_s, default=now)

    def update(self, arrivals: Sequence[Arrival]) -> Generator[simpy.Event, Any, None]:
        """Spend the update time, then update from the reports among ``arrivals`` (in episode,
        then agent order, whatever order they came in), recording each one's staleness: the
        learner's version minus the version its agent played."""
        yield self.env.timeout(self.update_time_s)
        used = sorted(
            (
                (arrival.episode, arrival.agent, arrival.version, report)
                for arrival in arrivals
                if (report := arrival.report) is not None
            ),
            key=lambda row: row[:2],
        )
        self.recorder.reports_used(
            [episode for episode, _, _, _ in used],
            [agent for _, agent, _, _ in used],
            [self.version - version for _, _, version, _ in used],
        )
        reports = [report for _, _, _, report in used]
        self.learner.update(reports)
        self.downlinks.updated(self.version, reports)
        self.version += 1
