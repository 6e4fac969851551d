"""The learner and its agents as SimPy processes, in synchronous rounds (report Algorithm 2).

Round k, under the ``barrier`` round policy:

    learner: broadcast the policy to every agent                       (downlink, PARAMS)
    agent i: receive it; run an episode, taking steps_i * step_time_s of simulated compute;
             send its report if c_i^k = 1, else a header-only notice   (uplink, REPORT or CONTROL)
    learner: once all n have arrived, spend update_time_s and update from the reports

A message an outage ends (the ``fail`` outage policy) is lost: an agent whose policy is lost sits
the round out, and a lost report is not used; the learner learns of either when it is given up.

The agents of a round start from the same policy, so their episodes are computed as one batch when
the learner broadcasts (DESIGN.md, "Speed"); each agent's process then takes its precomputed result
and spends its duration in simulated time. SimPy events are per message and per episode, never per
environment step.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from algorithms.base import AgentPool, Learner
from netsim.messages import Kind, Message
from netsim.network import Network
from netsim.recorder import Recorder


@dataclass(frozen=True)
class ComputeSettings:
    """Simulated compute time."""

    step_time_s: float = 1e-3
    """Seconds per environment step of every agent (a 1 kHz control loop)."""
    update_time_s: float = 1e-3
    """Seconds the learner spends on one update."""

    def __post_init__(self) -> None:
        for name in ("step_time_s", "update_time_s"):
            value = getattr(self, name)
            if not value >= 0:
                raise ValueError(f"ComputeSettings.{name} = {value!r} must be >= 0")


class BarrierRounds:
    """Runs ``episodes`` synchronous rounds in which the learner waits for every agent."""

    def __init__(
        self,
        env: simpy.Environment,
        network: Network,
        learner: Learner,
        agents: AgentPool,
        recorder: Recorder,
        compute: ComputeSettings,
    ) -> None:
        self.env = env
        self.network = network
        self.learner = learner
        self.agents = agents
        self.recorder = recorder
        self.compute = compute

    def learner_process(self, episodes: int) -> Generator[simpy.Event, Any, None]:
        everyone = np.arange(self.network.topology.n_agents)
        for episode in range(episodes):
            policy = self.learner.policy_payload()
            batch = self.agents.run_episodes(policy, everyone)
            self.recorder.episodes_run(episode, batch, policy_version=episode)
            arrivals = [
                self.env.process(self.agent_episode(episode, int(agent), policy, steps, report))
                for agent, steps, report in zip(
                    batch.agents, batch.steps, batch.reports, strict=True
                )
            ]
            arrived = yield self.env.all_of(arrivals)
            reports = [
                m.payload for m in arrived.values() if m.kind is Kind.REPORT and not m.failed
            ]
            yield self.env.timeout(self.compute.update_time_s)
            self.learner.update(reports)

    def agent_episode(
        self, episode: int, agent: int, policy: bytes, steps: int, report: bytes | None
    ) -> Generator[simpy.Event, Any, Message]:
        received = yield self.network.to_agent(agent, Kind.PARAMS, policy)
        self.recorder.policy_received(episode, agent, received)
        if received.failed:
            return received  # no policy, no episode: the agent sits the round out
        yield self.env.timeout(steps * self.compute.step_time_s)
        kind, payload = (Kind.CONTROL, b"") if report is None else (Kind.REPORT, report)
        sent = yield self.network.to_learner(agent, kind, payload)
        self.recorder.uplink_arrived(episode, agent, sent)
        return sent
