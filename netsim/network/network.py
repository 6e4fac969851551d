"""The facade the processes talk to: messages in, framed, routed, resent where lost, onto the chosen
bandwidth model; and what the network did, per link and (if traced) per message, out.

A message's queueing delay is its time in the network beyond what it would take alone on an idle
network under the same model (:meth:`BandwidthModel.alone_s`), outages included.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from algorithms.registry import Registry
from netsim.messages import Framing, Kind, Message
from netsim.network.base import BandwidthModel
from netsim.network.fair import FairSharing, VectorisedFairSharing
from netsim.network.load import LinkLoad
from netsim.network.loss import retransmitted_bytes
from netsim.network.store_and_forward import QuietRoutes, StoreAndForward
from netsim.network.tcp import Cm02, Lv08, TcpParameters
from netsim.network.transfer import Transfer
from netsim.topology import Link, Topology

if TYPE_CHECKING:
    import pandas as pd

MODELS: Registry[type[BandwidthModel]] = Registry("network model")
"""Bandwidth models by name; ``MODELS.register(name, MyModel)`` adds one."""
for _model in (StoreAndForward, FairSharing, VectorisedFairSharing, Cm02, Lv08):
    MODELS.register(_model.name, _model)

TRACE_COLUMNS = (
    "src",
    "dst",
    "kind",
    "wire_bytes",
    "retransmitted_bytes",
    "start_s",
    "end_s",
    "queueing_delay_s",
    "failed",
)


def model_type(name: str, tcp: TcpParameters | None = None) -> type[BandwidthModel]:
    """The bandwidth model called ``name``, checked to accept ``tcp`` parameters if given: only
    ``cm02`` does (``lv08`` is ``cm02`` with :data:`~netsim.network.tcp.LV08`, so a partial set
    could not silently mix the two models' constants)."""
    model = MODELS[name]
    if tcp is not None and model is not Cm02:
        hint = " (it is cm02 with netsim.network.LV08: give those to cm02)" if model is Lv08 else ""
        raise ValueError(f"network model {name!r} takes no TCP parameters{hint}")
    return model


def make_model(
    name: str, env: simpy.Environment, on_outage: str = "wait", tcp: TcpParameters | None = None
) -> BandwidthModel:
    """A new bandwidth model called ``name`` in ``env``, with ``tcp`` parameters if given."""
    model = model_type(name, tcp)
    if tcp is None:
        return model(env, on_outage)
    return Cm02(env, on_outage, tcp)


class Network:
    """Sends messages between the nodes of a topology.

    ``model`` names the bandwidth model (:data:`MODELS`), ``tcp`` the parameters of ``cm02``
    (SimGrid's defaults when None). ``seed`` drives packet loss, the network's only randomness.
    With ``trace`` every message is recorded (:meth:`trace_table`); with ``load_bin_s`` the bytes
    every link carries per bin of that many simulated seconds (:meth:`load_table`,
    :mod:`netsim.network.load`).
    """

    def __init__(
        self,
        env: simpy.Environment,
        topology: Topology,
        model: str = StoreAndForward.name,
        framing: Framing | None = None,
        *,
        on_outage: str = "wait",
        seed: int | np.random.SeedSequence = 0,
        trace: bool = False,
        load_bin_s: float | None = None,
        tcp: TcpParameters | None = None,
    ) -> None:
        self.env = env
        self.topology = topology
        self.model = make_model(model, env, on_outage, tcp)
        self.framing = framing or Framing()
        self._rng = np.random.default_rng(seed)
        self._trace: list[tuple[Any, ...]] | None = [] if trace else None
        if load_bin_s is not None:
            self.model.load = LinkLoad(load_bin_s)

    def send(self, src: Hashable, dst: Hashable, kind: Kind, payload: bytes) -> simpy.Event:
        """Send ``payload`` from node ``src`` to node ``dst`` now, framed into packets, along the
        topology's route; fires with the :class:`Message` when it arrives or is given up."""
        message = Message(
            src, dst, kind, payload, self.framing.wire_bytes(len(payload)), sent_at_s=self.env.now
        )
        route = self.topology.route(src, dst)
        return self._start(src, dst, route, message.wire_bytes, kind, message).done

    def to_agent(self, agent: int, kind: Kind, payload: bytes) -> simpy.Event:
        """:meth:`send` from the learner to agent number ``agent``."""
        return self.send(self.topology.learner, self.topology.agents[agent], kind, payload)

    def to_learner(self, agent: int, kind: Kind, payload: bytes) -> simpy.Event:
        """:meth:`send` from agent number ``agent`` to the learner."""
        return self.send(self.topology.agents[agent], self.topology.learner, kind, payload)

    def can_send_quietly(self, src: Hashable, dst: Hashable) -> bool:
        """Whether :meth:`quiet_routes` can send from ``src`` to ``dst``: the model computes quiet
        transfers, the route loses no packet and has no outages, and no trace or load is being
        recorded (they are kept in the order transfers end)."""
        route = self.topology.route(src, dst)
        return (
            self._trace is None
            and self.model.load is None
            and not any(link.loss or link.outages for link in route)
            and self.model.computes_quiet
        )

    def quiet_routes(self, pairs: Sequence[tuple[Hashable, Hashable]]) -> QuietRoutes:
        """The routes from ``pairs[j][0]`` to ``pairs[j][1]`` as quiet routes
        (:meth:`BandwidthModel.quiet_routes`): :meth:`QuietRoutes.ends_s` then times messages of
        given wire bytes (framing counted) sent along them as :meth:`send` would send them, with
        no SimPy event, for a caller that vouches nothing else ever touches their links and has
        checked :meth:`can_send_quietly` for each pair."""
        quiet = self.model.quiet_routes([self.topology.route(*pair) for pair in pairs])
        if quiet is None:
            raise RuntimeError(f"the {self.model.name} model cannot send quietly")
        return quiet

    def transfer(self, src: Hashable, dst: Hashable, wire_bytes: int) -> Transfer:
        """Start ``wire_bytes`` (framing already counted) from node ``src`` to node ``dst`` now."""
        return self._start(src, dst, self.topology.route(src, dst), wire_bytes, None, None)

    def _start(
        self,
        src: Hashable,
        dst: Hashable,
        route: tuple[Link, ...],
        wire_bytes: int,
        kind: Kind | None,
        message: Message | None,
    ) -> Transfer:
        resent = retransmitted_bytes(route, wire_bytes, self.framing.mtu_bytes, self._rng)
        transfer = Transfer(route, wire_bytes, resent, self.env.now, self.env.event(), message)
        if self.model.needs_back_route:
            transfer.back_route = self._back_route(src, dst)

        def ended(_: simpy.Event) -> None:
            if message is not None:
                message.delivered_at_s = transfer.end_s
                message.retransmitted_bytes = transfer.retransmitted_bytes
                message.failed = transfer.failed
            if self._trace is not None:
                alone_s = self.model.alone_s(transfer)
                self._trace.append(
                    (
                        str(src),
                        str(dst),
                        "" if kind is None else str(kind),
                        wire_bytes,
                        resent,
                        transfer.start_s,
                        transfer.end_s,
                        max(0.0, transfer.end_s - transfer.start_s - alone_s),
                        transfer.failed,
                    )
                )

        transfer.done.callbacks.append(ended)
        self.model.start(transfer)
        return transfer

    def _back_route(self, src: Hashable, dst: Hashable) -> tuple[Link, ...]:
        """The route from ``dst`` back to ``src``; empty if there is none (a one-way DiGraph)."""
        try:
            return self.topology.route(dst, src)
        except ValueError:
            return ()

    def link_table(self) -> pd.DataFrame:
        """One row per directed link: bytes carried, busy time, utilisation over the run so far
        (carried bits / (bandwidth x elapsed simulated time)), transfers, peak concurrent ones."""
        import pandas as pd  # the network's tables are made once, at a trial's end

        self.model.close()
        elapsed_s = self.env.now
        rows = []
        for link in self.topology.links.values():
            use = self.model.use[link]
            rows.append(
                {
                    "src": str(link.src),
                    "dst": str(link.dst),
                    "bandwidth_bps": link.bandwidth_bps,
                    "latency_s": link.latency_s,
                    "carried_bytes": use.carried_bytes,
                    "busy_s": use.busy_s,
                    "utilisation": (
                        use.carried_bytes * 8 / (link.bandwidth_bps * elapsed_s)
                        if elapsed_s > 0
                        else float("nan")
                    ),
                    "transfers": use.transfers,
                    "peak_transfers": use.peak_transfers,
                }
            )
        return pd.DataFrame(rows)

    def load_table(self) -> pd.DataFrame | None:
        """One row per (directed link, time bin): bytes carried and utilisation (see
        :mod:`netsim.network.load`), links in the order of :meth:`link_table`; None unless
        recorded."""
        load = self.model.load
        if load is None:
            return None
        return load.table(list(self.topology.links.values()), self.env.now)

    def trace_table(self) -> pd.DataFrame | None:
        """One row per ended message, in order of ending; None unless traced."""
        if self._trace is None:
            return None
        import pandas as pd

        return pd.DataFrame(self._trace, columns=list(TRACE_COLUMNS))
