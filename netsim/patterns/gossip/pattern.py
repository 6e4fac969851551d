"""The ``gossip`` pattern: no learner; every round each agent exchanges with its neighbours on a
communication graph (docs/design.md, "Communication patterns"; D-PSGD, Lian et al. 2017, is the template).

Round t of agent i, synchronous with its neighbours only (no global clock):

    run an episode on its own parameters x_i                 (compute: steps * step_time_s[i])
    send its report to every agent it sends to in round t's graph, or a header-only notice when
        it has nothing to report                                         (peer, REPORT / CONTROL)
    wait for the report or notice of every agent that sends to it; learn from the reports
                                                                         (update_time_s)
    if (t + 1) is a multiple of tau:
        send x_i to the same agents; wait for theirs                     (peer, PARAMS)
        x_i <- sum_j W_ij x_j, W from the mixing rule on round t's graph

An agent sends without waiting for its messages to arrive, and moves on once it has what it waits
for; a neighbour's slow link delays it, the rest of the graph only through its neighbours.

Choices where the literature is silent:

* a silent agent sends a notice, as under the central ``barrier`` policy, so that its neighbours
  know not to wait; the notice is counted as control traffic;
* a message an outage loses (the ``fail`` outage policy) counts as arrived with nothing in it: a
  lost report is not learnt from, and a lost parameter message's weight W_ij is added to W_ii
  (under push-sum its mass is lost, and the rest renormalised);
* under push-sum each parameter message carries the sender's weight w_j, 8 more bytes;
* with a lossy codec (``GossipSettings.codec``) an agent's parameters cross to each neighbour as
  a :class:`netsim.codecs.Stream` of their own, and the neighbour mixes with what it holds of
  them; the agent mixes its own exactly (W_ii x_i);
* an agent's local step takes ``update_time_s``, the time the central learner's update takes;
* episodes are computed in batches of the agents that start one at the same simulated instant;
  an algorithm's peer side makes an agent's episode independent of the batch it is computed in
  (:meth:`algorithms.base.Peers.run_episodes`), so the batching changes no result.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Generator, Hashable
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from algorithms.base import Peers
from netsim.codecs import Coded, Stream
from netsim.messages import Kind, Message
from netsim.patterns.base import Pattern, Trial
from netsim.patterns.gossip.mixing import MIXING, Weights
from netsim.patterns.gossip.recorder import GossipRecorder
from netsim.patterns.gossip.settings import GossipSettings
from netsim.topology import Topology

if TYPE_CHECKING:
    import pandas as pd

PUSH_WEIGHT = struct.Struct("<d")
"""Push-sum's weight w_j, sent after the parameters it goes with."""

Planned = tuple[int, bytes | None]
"""An agent's precomputed episode: its steps and its report (None: nothing to report)."""


class Gossip(Pattern):
    """Agents that learn with their neighbours on a communication graph, and no learner."""

    settings_type = GossipSettings
    side = "peers"

    @classmethod
    def pairs(cls, settings: GossipSettings, topology: Topology) -> list[tuple[Hashable, Hashable]]:
        """Every (sender, receiver) edge of the communication graph, any round."""
        agents = topology.agents
        graph = settings.communication_graph(topology)
        return [(agents[j], agents[i]) for j, i in sorted(graph.edges())]

    def __init__(self, trial: Trial, settings: GossipSettings, side: Peers) -> None:
        self.trial = trial
        self.env = trial.env
        self.network = trial.network
        self.peers = side
        self.settings = settings
        self.nodes = trial.topology.agents
        n_agents = len(self.nodes)
        self.index = {node: i for i, node in enumerate(self.nodes)}
        self.graph = settings.communication_graph(trial.topology)
        self._weights: dict[int, Weights] = {}
        """The mixing weights of each graph (by :meth:`CommunicationGraph.key`), made when first
        needed."""
        self.step_times = trial.compute.step_times(n_agents)
        self.update_time_s = trial.compute.update_time_s
        self.recorder = GossipRecorder(trial.episodes, n_agents)
        self._boxes: dict[tuple[int, str, int, int], simpy.Event] = {}
        """(round, phase, sender, receiver) -> fires with the message once it arrived or failed."""
        self.push_sum = settings.mixing == "push-sum"
        self.push_weights = np.ones(n_agents)
        """Push-sum's w_i (see :mod:`netsim.patterns.gossip.mixing`); 1 throughout otherwise."""
        self.codec = settings.make_codec()
        self._streams: dict[tuple[int, int], Stream] = {}
        """(sender, receiver) -> the receiver's hold of the sender's parameters (lossy codecs)."""
        self._coded: dict[tuple[int, int, int], Coded] = {}
        """(round, sender, receiver) -> that round's message of their stream, on its way."""
        self._decoded: dict[tuple[int, int, int], bytes] = {}
        """(round, sender, receiver) -> the receiver's estimate once that round's message arrived,
        until it mixes (lossy codecs)."""
        self._rng = np.random.default_rng(trial.seed)
        self._ready: dict[int, int] = {}
        """Agents waiting for their episode to be computed, with the round they are in."""
        self._batch: simpy.Event | None = None

    def start(self) -> None:
        for agent in range(len(self.nodes)):
            self.env.process(self.agent_process(agent))

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"metrics": self.recorder.metrics(), "consensus": self.recorder.consensus()}

    def agent_process(self, agent: int) -> Generator[simpy.Event, Any, None]:
        peers, recorder = self.peers, self.recorder
        for round_ in range(self.trial.episodes):
            steps, report = yield from self.episode(agent, round_)
            yield self.env.timeout(steps * self.step_times[agent])
            recorder.episode_ended(round_, agent, self.env.now)
            kind = Kind.CONTROL if report is None else Kind.REPORT
            received = yield from self.exchange(
                agent, round_, "report", kind, lambda _, report=report: report or b""
            )
            reports = {
                self.index[m.src]: m.payload
                for m in received
                if m.kind is Kind.REPORT and not m.failed
            }
            peers.learn(agent, reports)
            yield self.env.timeout(self.update_time_s)
            if (round_ + 1) % self.settings.tau == 0:
                own = peers.share(agent)
                weight = PUSH_WEIGHT.pack(self.push_weights[agent]) if self.push_sum else b""
                received = yield from self.exchange(
                    agent,
                    round_,
                    "params",
                    Kind.PARAMS,
                    lambda receiver, own=own, weight=weight, round_=round_: (
                        self.encode(round_, agent, receiver, own) + weight
                    ),
                )
                self.mix(agent, round_, own, received)
            recorder.round_ended(
                round_, agent, self.env.now, peers.parameters(agent), peers.greedy_actions(agent)
            )

    def episode(self, agent: int, round_: int) -> Generator[simpy.Event, Any, Planned]:
        """``agent``'s episode of ``round_``, computed with those of every agent that asks at the
        same simulated instant."""
        self._ready[agent] = round_
        if self._batch is None:
            self._batch = self.env.event()
            self.env.timeout(0).callbacks.append(self._run_batch)
        planned = yield self._batch
        return planned[agent]

    def _run_batch(self, _: simpy.Event) -> None:
        ready, batch_done = self._ready, self._batch
        self._ready, self._batch = {}, None
        agents = np.array(sorted(ready), dtype=np.int64)
        batch = self.peers.run_episodes(agents)
        self.recorder.episodes_run(np.array([ready[a] for a in agents.tolist()]), batch)
        assert batch_done is not None
        batch_done.succeed(
            {
                int(agent): (int(steps), report)
                for agent, steps, report in zip(
                    batch.agents, batch.steps, batch.reports, strict=True
                )
            }
        )

    def exchange(
        self,
        agent: int,
        round_: int,
        phase: str,
        kind: Kind,
        payload_for: Callable[[int], bytes],
    ) -> Generator[simpy.Event, Any, list[Message]]:
        """Send ``payload_for(receiver)`` to every agent ``agent`` sends to in ``round_``; the
        messages of every agent that sends to it, in the order of their indices."""
        graph = self.graph.at(round_)
        for receiver in sorted(graph.successors(agent)):
            payload = payload_for(receiver)
            sent = self.network.send(self.nodes[agent], self.nodes[receiver], kind, payload)
            sent.callbacks.append(self._delivery(round_, phase, agent, receiver))
        senders = sorted(graph.predecessors(agent))
        boxes = [self._box(round_, phase, sender, agent) for sender in senders]
        yield self.env.all_of(boxes)
        for sender in senders:
            del self._boxes[(round_, phase, sender, agent)]
        return [box.value for box in boxes]

    def _box(self, round_: int, phase: str, sender: int, receiver: int) -> simpy.Event:
        key = (round_, phase, sender, receiver)
        if key not in self._boxes:
            self._boxes[key] = self.env.event()
        return self._boxes[key]

    def _delivery(self, round_: int, phase: str, sender: int, receiver: int) -> Any:
        def delivered(event: simpy.Event) -> None:
            message: Message = event.value
            self.recorder.message_ended(round_, sender, message)
            coded = self._coded.pop((round_, sender, receiver), None) if phase == "params" else None
            if coded is not None:
                stream = self._streams[(sender, receiver)]
                if message.failed:
                    stream.lost(coded)
                else:
                    held = stream.arrived(coded).astype(np.float32)
                    self._decoded[(round_, sender, receiver)] = held.tobytes()
            self._box(round_, phase, sender, receiver).succeed(message)

        return delivered

    def encode(self, round_: int, sender: int, receiver: int, own: bytes) -> bytes:
        """``sender``'s parameters ``own`` as they cross to ``receiver`` in ``round_``: as they
        are, or under a lossy codec the next message of their stream."""
        if self.codec.lossless:
            return own
        values = np.frombuffer(own, dtype=np.float32)
        key = (sender, receiver)
        if key not in self._streams:
            self._streams[key] = Stream(self.codec, len(values), self._rng)
        coded = self._streams[key].send(values)
        self._coded[(round_, sender, receiver)] = coded
        return coded.data

    def held(self, round_: int, sender: int, receiver: int, message: Message) -> bytes:
        """What ``receiver`` held of ``sender``'s parameters once ``message``, of ``round_``, had
        arrived, as float32 bytes (push-sum's weight dropped): a later round's message that has
        overtaken the mix does not count in it."""
        if self.codec.lossless:
            return message.payload[: -PUSH_WEIGHT.size] if self.push_sum else message.payload
        return self._decoded.pop((round_, sender, receiver))

    def mix(self, agent: int, round_: int, own: bytes, received: list[Message]) -> None:
        """x_agent <- sum_j W_ij x_j over what arrived: a lost message's weight goes to W_ii; under
        push-sum, z_agent <- sum_j (W_ij w_j / w') z_j, w' = sum_j W_ij w_j, over what arrived
        (a lost message's mass is lost with it, as in push-sum over lossy links)."""
        key = self.graph.key(round_)
        if key not in self._weights:
            rule = MIXING[self.settings.mixing]
            self._weights[key] = rule(self.graph.at(round_))
        arrived = {self.index[m.src]: m for m in received}
        weights, payloads, kept_own = [], [], 0.0
        for j, weight in self._weights[key][agent]:
            if j == agent or arrived[j].failed:
                kept_own += 0.0 if self.push_sum and j != agent else weight
            elif self.push_sum:
                payload = arrived[j].payload
                (sender_weight,) = PUSH_WEIGHT.unpack(payload[-PUSH_WEIGHT.size :])
                weights.append(weight * sender_weight)
                payloads.append(self.held(round_, j, agent, arrived[j]))
            else:
                weights.append(weight)
                payloads.append(self.held(round_, j, agent, arrived[j]))
        if self.push_sum:
            kept_own *= self.push_weights[agent]
            total = kept_own + sum(weights)
            self.push_weights[agent] = total
            kept_own, weights = kept_own / total, [weight / total for weight in weights]
        self.peers.mix(agent, [kept_own, *weights], [own, *payloads])
