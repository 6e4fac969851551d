"""The facade the processes talk to: messages in, framed and routed, onto the chosen bandwidth model."""

from __future__ import annotations

import simpy

from netsim.messages import Framing, Kind, Message
from netsim.network.base import BandwidthModel
from netsim.network.store_and_forward import StoreAndForward
from netsim.topology import Link, Topology

MODELS: dict[str, type[BandwidthModel]] = {model.name: model for model in (StoreAndForward,)}
"""Bandwidth models by name."""


def model_type(name: str) -> type[BandwidthModel]:
    """The bandwidth model called ``name``."""
    try:
        return MODELS[name]
    except KeyError:
        raise ValueError(
            f"unknown network model {name!r}; known: {', '.join(sorted(MODELS))}"
        ) from None


class Network:
    """Sends messages between the learner and the agents of a topology."""

    def __init__(
        self,
        env: simpy.Environment,
        topology: Topology,
        model: str = StoreAndForward.name,
        framing: Framing | None = None,
    ) -> None:
        self.env = env
        self.topology = topology
        self.model = model_type(model)(env)
        self.framing = framing or Framing()

    def to_agent(self, agent: int, kind: Kind, payload: bytes) -> simpy.Event:
        """Send ``payload`` from the learner to agent ``agent``; fires with the delivered Message."""
        return self._send(
            self.topology.learner,
            self.topology.agents[agent],
            self.topology.downlink(agent),
            kind,
            payload,
        )

    def to_learner(self, agent: int, kind: Kind, payload: bytes) -> simpy.Event:
        """Send ``payload`` from agent ``agent`` to the learner; fires with the delivered Message."""
        return self._send(
            self.topology.agents[agent],
            self.topology.learner,
            self.topology.uplink(agent),
            kind,
            payload,
        )

    def _send(
        self, src: object, dst: object, route: tuple[Link, ...], kind: Kind, payload: bytes
    ) -> simpy.Event:
        message = Message(
            src, dst, kind, payload, self.framing.wire_bytes(len(payload)), sent_at_s=self.env.now
        )
        delivered = self.model.transfer(route, message.wire_bytes, message)

        def stamp(_: simpy.Event) -> None:
            message.delivered_at_s = self.env.now

        delivered.callbacks.append(stamp)
        return delivered
