"""TCP-like sharing: SimGrid's CM02 and LV08 network models (SimGrid's ``docs/source/Models.rst``,
"The TCP models"; ``src/kernel/resource/models/network_cm02.cpp``).

A transfer from s to d along a route R with raw latency ``L = sum_{l in R} latency_l`` is a flow of
the weighted max-min engine (:mod:`netsim.network.maxmin`) with

    latency phase    latency_factor * L               (paid first, loading no link)
    weights          1 on every link of R, plus ``cross_traffic`` on every link of the route back
                     from d to s (the acknowledgements; weights add on a link crossed both ways)
    penalty          L + sum_{l in R} weight_s * 8 / bandwidth_l   (at least 1e-12 s),  or 1 when L = 0
    bound            min( min_{l in R} bandwidth_l,  tcp_gamma * 8 / (2 L) )
                     (the window, over the raw round trip; no window when L = 0 or tcp_gamma = 0)
    bytes move at    bandwidth_factor * value

so flows of short round trip take more of a shared bottleneck (the share is inversely proportional
to the penalty), a long fast route is limited by the window, and under LV08 small messages pay a
slow start (latency times 13.01) and every flow loses 3 % to headers. These are the rules of
``NetworkCm02Model::communicate`` and ``comm_action_set_bounds`` / ``comm_action_set_variable`` /
``comm_action_expand_constraints`` in ``network_cm02.cpp``, solved as ``lmm::MaxMin`` solves them;
bandwidths here are bits/s and SimGrid's bytes/s, hence the factors 8.

Duplex: a netsim edge is full duplex, each direction its own link, which is SimGrid's
*split-duplex* link: a flow's acknowledgements load the opposite direction of its links, never its
own, so one flow alone on an idle link gets ``bandwidth_factor * bandwidth``. (On a SimGrid
*shared* link, one capacity for both directions, the flow's own acknowledgements take 5 % of the
link it sends on.) The route back is the topology's own route from d to s; when there is none (a
one-way DiGraph), the flow sends no acknowledgements.

Loss and outages work as under ``fair``: resent bytes are part of the flow, and an outage on any
link the flow loads, its acknowledgements' links included, holds it at rate 0 (``wait``) or ends
it (``fail``), as SimGrid fails a communication whose route back is off.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, fields
from typing import ClassVar

import simpy

from netsim.network.maxmin import MaxMinSharing, Share
from netsim.network.transfer import Transfer
from netsim.topology import Link

_SMALLEST_PENALTY_S = 1e-12
"""Penalties below this are taken as this: the max-min engine divides by them, and a latency of
1e-320 s would overflow (our choice; far below SimGrid's timing precision of 1e-9 s)."""


@dataclass(frozen=True)
class TcpParameters:
    """The constants of SimGrid's TCP models, with CM02's defaults (:data:`LV08` holds LV08's)."""

    tcp_gamma_bytes: float = 4_194_304.0
    """The largest TCP window: a flow sends at most ``tcp_gamma_bytes / (2 L)``; 0 switches the
    window off. SimGrid's ``network/TCP-gamma`` (``NetworkModel.cpp``)."""
    latency_factor: float = 1.0
    """The latency phase is this times the route's latency (LV08: 13.01, for slow start).
    SimGrid's ``network/latency-factor`` (set per model in ``network_cm02.cpp``)."""
    bandwidth_factor: float = 1.0
    """A flow's bytes move at this times its share (LV08: 0.97, for the headers).
    SimGrid's ``network/bandwidth-factor`` (set per model in ``network_cm02.cpp``)."""
    weight_s_bytes: float = 0.0
    """Adds ``weight_s_bytes / bandwidth`` of every link to a flow's penalty (LV08: 20537).
    SimGrid's ``network/weight-S`` (``NetworkModel.cpp``, set per model in ``network_cm02.cpp``)."""
    cross_traffic: float = 0.05
    """What a flow's acknowledgements take of each link of the route back, per unit of its share;
    0 switches them off. SimGrid's ``network/crosstraffic`` (on by default, ``NetworkModel.cpp``)
    times the 0.05 written in ``NetworkCm02Model::comm_action_expand_constraints``."""

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"TCP parameter {spec.name} = {value!r} must be a number")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"TCP parameter {spec.name} = {value!r} must be finite and >= 0")
        if self.bandwidth_factor == 0:
            raise ValueError("TCP parameter bandwidth_factor = 0 must be > 0")


LV08 = TcpParameters(latency_factor=13.01, bandwidth_factor=0.97, weight_s_bytes=20537.0)
"""SimGrid's default model's constants (``SIMGRID_REGISTER_NETWORK_MODEL(LV08, ...)``)."""


class Cm02(MaxMinSharing):
    """TCP-like sharing: RTT-weighted max-min, window-bounded, with acknowledgements (CM02)."""

    name = "cm02"
    defaults: ClassVar[TcpParameters] = TcpParameters()
    """The parameters when none are given."""

    def __init__(
        self,
        env: simpy.Environment,
        on_outage: str = "wait",
        parameters: TcpParameters | None = None,
    ) -> None:
        super().__init__(env, on_outage)
        self.parameters = self.defaults if parameters is None else parameters
        self.rate_factor = self.parameters.bandwidth_factor
        self.needs_back_route = self.parameters.cross_traffic > 0

    def share(self, transfer: Transfer) -> Share:
        """The flow of ``transfer`` (module docstring); its route back is ``transfer.back_route``."""
        p, route = self.parameters, transfer.route
        latency = sum(link.latency_s for link in route)
        weights: defaultdict[Link, float] = defaultdict(float)
        for link in route:
            weights[link] += 1.0
        if p.cross_traffic > 0:
            for link in transfer.back_route:
                weights[link] += p.cross_traffic
        bound = min(link.bandwidth_bps for link in route)
        if latency > 0 and p.tcp_gamma_bytes > 0:
            bound = min(bound, p.tcp_gamma_bytes * 8 / (2 * latency))
        if latency > 0:
            penalty = latency + sum(p.weight_s_bytes * 8 / link.bandwidth_bps for link in route)
            penalty = max(penalty, _SMALLEST_PENALTY_S)
        else:
            penalty = 1.0  # SimGrid gives a flow with no latency to pay a penalty of 1
        return Share(p.latency_factor * latency, weights, penalty, bound)


class Lv08(Cm02):
    """SimGrid's default: CM02 with slow start, header and RTT-sharing corrections (LV08)."""

    name = "lv08"
    defaults = LV08
