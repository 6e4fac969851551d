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
from operator import itemgetter
from typing import Any

import numpy as np
import simpy

from algorithms.base import AgentPool, EpisodeBatch, Learner
from netsim.codecs import Coded, Residual
from netsim.messages import Kind, Message
from netsim.patterns.base import Trial
from netsim.patterns.central.downlink import Downlinks
from netsim.patterns.central.quiet import Reported
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
        return self.planned(self.run_batch(payload, agents, episodes, version))

    def run_batch(
        self, payload: bytes, agents: np.ndarray, episodes: np.ndarray | int, version: int
    ) -> EpisodeBatch:
        """:meth:`plan`'s batch, as the agents computed it."""
        batch = self.agents.run_episodes(payload, agents)
        self.recorder.episodes_run(episodes, batch, version)
        return batch

    @staticmethod
    def planned(batch: EpisodeBatch, positions: Sequence[int] | None = None) -> dict[int, Planned]:
        """The episodes of ``batch`` (those at ``positions`` in it, if given), by agent."""
        positions = range(len(batch.agents)) if positions is None else positions
        return {
            int(batch.agents[j]): Planned(int(batch.steps[j]), batch.reports[j]) for j in positions
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

    def update(
        self, arrivals: Sequence[Arrival], held: Sequence[Reported] = ()
    ) -> Generator[simpy.Event, Any, None]:
        """Spend the update time, then update from the reports among ``arrivals`` and those
        already ``held`` (in episode, then agent order, whatever order they came in), recording
        each one's staleness: the learner's version minus the version its agent played."""
        yield self.env.timeout(self.update_time_s)
        used = sorted(
            [
                *held,
                *(
                    (arrival.episode, arrival.agent, arrival.version, report)
                    for arrival in arrivals
                    if (report := arrival.report) is not None
                ),
            ],
            key=itemgetter(0, 1),
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
