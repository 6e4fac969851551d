"""Weighted max-min sharing of links by flows: the engine under ``fair``, ``cm02`` and ``lv08``.

A transfer first waits out its latency phase, during which it loads no link. It then becomes a
*flow* f that loads each of its links l by ``w_fl`` times its *value* v_f (bits/s), and moves its
bytes at ``factor * v_f`` (the model's rate factor). Each flow also has a *penalty* p_f > 0 and a
*bound* b_f on its value. The values are those of SimGrid's max-min solver (``src/kernel/lmm/
maxmin.cpp``): a level lambda rises from 0, every flow not yet fixed has ``v_f = lambda / p_f``,
and flows are fixed by two kinds of events, taken in order of level:

    a link saturates  at  lambda_l = c_l / sum_{f on l, not fixed} (w_fl / p_f)   (c_l: capacity
                      left), fixing every unfixed flow on it at  lambda_l / p_f;
    a flow reaches its bound  at  lambda = b_f * p_f,  fixing it at  b_f;

a fixed flow's ``w_fl * v_f`` is subtracted from every link it loads. Plain max-min (``fair``) is
the case w = 1, p = 1, no bound: each link's level is then its fair share c_l / n_l.

Rates change only when a flow joins or leaves, or a link goes down or comes back; all the changes
of one instant are handled by one reallocation, after the instant's other events (or at once,
when the change can move no other rate: see below). A flow's remaining bytes then shrink
linearly, so its end is predicted, and one SimPy event is scheduled for the earliest predicted end
only.

A reallocation recomputes only the flows that share links, directly or through other flows, with
those that changed (the connected component): the values elsewhere cannot change. That keeps the
cost of an event proportional to the flows it can affect, not to all flows in flight.

Most events need not even that. A flow's *alone value* ``a_f = min(b_f, min_l c_l / w_fl)`` is the
most it can ever get. When every flow on the changed links gets its alone value, to rounding
(none is *limited*), and no changed link is *overloaded* (``sum_f w_fl * a_f``, its *demand*,
exceeds its capacity), the allocation is every other flow's value as it was and each new flow's
alone value:
the changed links then bottleneck no other flow, so nothing can spread beyond them. The engine
keeps each link's demand and its count of limited flows up to date, so that test costs a few
operations per changed link, and progressive filling runs only when it fails: a changed link is
overloaded, carries a limited flow, or has outages. Values then agree with progressive filling's
to rounding (remaining bytes are brought up to date when a flow's value changes, not at every
event near it, so ends can differ in the last bits).

A link in an outage has no capacity: under ``wait`` its flows are fixed at value 0 and load no
other link until it is back; under ``fail`` they end, failed, when it goes down, and so does a
flow one of whose links is down when its latency is paid. Outages do not delay a transfer's
latency phase (our choice).

What a link carries (its use, and its load over time when recorded) is the bytes of the transfers
routed over it; a link a flow loads without being on its route (TCP's acknowledgements, under
``cm02``) counts as busy while loaded but carries none of the flow's bytes. The load is reported
per flow and constant-rate segment: from a rate change (or the flow's start) to the next change or
its end, with the bytes its remaining count fell by, so a flow's segments add up to what it
carried.
"""

from __future__ import annotations

import heapq
import itertools
from abc import abstractmethod
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import simpy

from netsim.network.base import BandwidthModel, delay_until
from netsim.network.filling import max_min_values
from netsim.network.load import LinkLoad
from netsim.network.transfer import Transfer
from netsim.topology import Link

_SAME_INSTANT = 1e-12
"""Predicted ends this close (relative) to a wake-up are taken as reached: they differ by rounding."""
_ROUNDING = 1e-12
"""A flow whose value is this close (relative) below its alone value is not limited: with penalties
other than 1, ``(c / (w / p)) / p`` comes out a bit under ``c`` where the flow has its link alone."""
_CANCELLED = 1e-6
"""A link's usage, kept by subtracting each fixed flow's ``w / p``, is summed afresh once it falls
below this fraction of what it was: penalties far apart (a flow of zero latency, penalty 1, beside
one of a microsecond) would otherwise leave it with few correct digits, or none."""


@dataclass(frozen=True, slots=True)
class Share:
    """How one transfer takes part in the sharing (module docstring)."""

    latency_s: float
    """How long the transfer waits before it loads any link."""
    weights: Mapping[Link, float]
    """``w_fl`` for every link l the flow loads, its route first."""
    penalty: float
    """``p_f`` > 0: the flow's value is ``lambda / p_f`` until it is fixed."""
    bound_bps: float
    """``b_f``: the most its value may be (``inf``: no bound)."""

    def alone_bps(self) -> float:
        """``a_f``: the flow's value with no other traffic and no outage."""
        return min(
            self.bound_bps,
            min(link.bandwidth_bps / weight for link, weight in self.weights.items()),
        )


@dataclass(eq=False, slots=True)
class _Flow:
    transfer: Transfer
    remaining_bytes: float
    links: tuple[Link, ...]
    """Every link the flow loads: its route, then any other."""
    loads: tuple[tuple[Link, float, float], ...]
    """``(l, w_fl, w_fl / p_f)`` for each of ``links``: the link, the flow's weight on it, and what
    the flow adds to its usage."""
    penalty: float
    bound_bps: float
    alone_bps: float
    """The most its value can ever be: its value when nothing shares its bottleneck."""
    rate_bps: float = 0.0
    """Its value v_f: what it loads a link of weight 1 with (its bytes move at factor * v_f)."""
    limited: bool = False
    """Whether its value is below its alone value (sharing or an outage holds it back)."""
    updated_s: float = 0.0
    rate_since_s: float = 0.0
    """When the current value was set: the start of the flow's current constant-rate segment."""
    remaining_then: float = 0.0
    """``remaining_bytes`` at ``rate_since_s``."""
    version: int = 0
    """Bumped on every value change: an end predicted under an older value is stale."""


@dataclass(slots=True)
class _LinkState:
    flows: dict[_Flow, float] = field(default_factory=dict)
    """The flows on the link, in arrival order, each with its term ``w_fl / p_f`` of the usage."""
    demand_bps: float = 0.0
    """The sum over the flows on the link of weight times alone value."""
    limited: int = 0
    """How many flows on the link are limited."""
    busy_since_s: float | None = None
    next_boundary_s: float | None = None
    """The outage start or end a wake-up is already scheduled for."""


class MaxMinSharing(BandwidthModel):
    """Weighted max-min sharing of every link by the flows loading it (module docstring); a model
    says how each transfer takes part (:meth:`share`) and how fast a flow's bytes move."""

    rate_factor: float = 1.0
    """A flow's bytes move at ``rate_factor`` times its value."""
    vectorised_from: float = float("inf")
    """Components of this many flows or more are filled in numpy (:mod:`netsim.network.filling`:
    the same values to rounding, not bit for bit); smaller ones, by the exact filling. Never, by
    default."""

    def __init__(self, env: simpy.Environment, on_outage: str = "wait") -> None:
        super().__init__(env, on_outage)
        self._links: defaultdict[Link, _LinkState] = defaultdict(_LinkState)
        self._changed: dict[Link, None] = {}
        """Links whose flows or capacity changed since the last reallocation."""
        self._joined: list[_Flow] = []
        """Flows that joined since the last reallocation."""
        self._watched: dict[Link, None] = {}
        """Links with an outage boundary scheduled (their ``next_boundary_s``)."""
        self._ends: list[tuple[float, int, int, _Flow]] = []
        """Heap of predicted ends: (time, tie-breaker, flow version then, flow)."""
        self._order = itertools.count()
        self._wake_s = float("inf")
        """The instant of the earliest scheduled end check."""

    @abstractmethod
    def share(self, transfer: Transfer) -> Share:
        """How ``transfer`` takes part in the sharing: its latency phase, weights, penalty, bound."""

    def alone_s(self, transfer: Transfer) -> float:
        share = self.share(transfer)
        return share.latency_s + transfer.sent_bytes * 8 / (self.rate_factor * share.alone_bps())

    def start(self, transfer: Transfer) -> None:
        share = self.share(transfer)
        sent = float(transfer.sent_bytes)
        flow = _Flow(
            transfer,
            sent,
            tuple(share.weights),
            tuple((link, w, w / share.penalty) for link, w in share.weights.items()),
            share.penalty,
            share.bound_bps,
            share.alone_bps(),
            remaining_then=sent,
        )
        if share.latency_s > 0:
            self.env.timeout(share.latency_s).callbacks.append(lambda _: self._join(flow))
        else:
            self._join(flow)

    def _join(self, flow: _Flow) -> None:
        now = self.env.now
        if flow.remaining_bytes <= 0:
            self.end(flow.transfer, 0.0)
            return
        if self.fail_on_outage and any(link.down_at(now) for link in flow.links):
            self.end(flow.transfer, 0.0, failed=True)
            return
        flow.updated_s = now
        for link, weight, term in flow.loads:
            state = self._links[link]
            state.flows[flow] = term
            state.demand_bps += weight * flow.alone_bps
        for link in flow.transfer.route:
            use = self.use[link]
            use.transfers += 1
            use.peak_transfers = max(use.peak_transfers, len(self._links[link].flows))
        self._joined.append(flow)
        self._mark_changed(flow.links)
        self._schedule_wake()

    def _leave(self, flow: _Flow, failed: bool = False) -> None:
        if self.load is not None:
            _report_segment(self.load, flow, self.env.now)
        sent = flow.transfer.sent_bytes
        carried = sent - flow.remaining_bytes if failed else sent
        for link, weight, _ in flow.loads:
            state = self._links[link]
            del state.flows[flow]
            state.demand_bps = state.demand_bps - weight * flow.alone_bps if state.flows else 0.0
            state.limited -= flow.limited
        for link in flow.transfer.route:
            self.use[link].carried_bytes += carried
        flow.version += 1
        self._mark_changed(flow.links)
        self.end(flow.transfer, carried, failed)

    def _mark_changed(self, links: tuple[Link, ...]) -> None:
        """Reallocate for a change on ``links``: at once when nothing else changed this instant
        and they bottleneck nobody (no other value can change), else in one reallocation after
        the instant's other events."""
        if not self._changed and all(self._bottlenecks_nobody(link) for link in links):
            self._give_alone_rates(links)
            return
        if not self._changed:
            self.env.timeout(0).callbacks.append(self._reallocate)
        self._changed.update(dict.fromkeys(links))

    def _reallocate(self, _: simpy.Event) -> None:
        """The values of every flow that shares a link, transitively, with a changed one."""
        changed = self._changed
        self._changed = {}
        if all(self._bottlenecks_nobody(link) for link in changed):
            self._give_alone_rates(changed)
        else:
            self._progressive_filling(changed)
        self._schedule_wake()

    def _give_alone_rates(self, changed: Iterable[Link]) -> None:
        """The reallocation when the ``changed`` links bottleneck nobody: the flows that joined
        get their alone values, every other value stays."""
        now = self.env.now
        for flow in self._joined:
            self._set_rate(flow, flow.alone_bps, now)
        self._joined = []
        for link in changed:
            self._account_busy(link, now, busy=bool(self._links[link].flows))

    def _bottlenecks_nobody(self, link: Link) -> bool:
        """Whether every flow on ``link`` can have its alone value whatever the others do (see
        the module docstring); a link with outages is never taken on trust."""
        state = self._links[link]
        return not state.limited and state.demand_bps <= link.bandwidth_bps and not link.outages

    def _set_rate(self, flow: _Flow, rate: float, now: float) -> None:
        """Give ``flow`` a new value from ``now`` (its remaining bytes brought up to date) and
        predict its end."""
        if self.load is not None:
            _report_segment(self.load, flow, now)
        flow.rate_bps = rate
        flow.version += 1
        if rate > 0:
            ends_at = now + flow.remaining_bytes * 8 / (self.rate_factor * rate)
            heapq.heappush(self._ends, (ends_at, next(self._order), flow.version, flow))

    def _progress(self, flow: _Flow, now: float) -> None:
        """Bring ``flow``'s remaining bytes up to ``now``."""
        moved = self.rate_factor * flow.rate_bps / 8 * (now - flow.updated_s)
        flow.remaining_bytes = max(0.0, flow.remaining_bytes - moved)
        flow.updated_s = now

    def _progressive_filling(self, changed: dict[Link, None]) -> None:
        """Max-min values for the component of ``changed``; limited flags and link use with them."""
        now = self.env.now
        self._joined = []
        links, flows, usage = self._component(changed)
        factor = self.rate_factor
        for flow in flows:  # remaining bytes brought up to now (as _progress, inlined: hot)
            moved = factor * flow.rate_bps / 8 * (now - flow.updated_s)
            flow.remaining_bytes = max(0.0, flow.remaining_bytes - moved)
            flow.updated_s = now
        if len(flows) >= self.vectorised_from:
            rates = self._max_min_vectorised(links, flows)
        else:
            rates = self._max_min(links, flows, usage)
        for flow in flows:
            rate = rates[flow]
            if rate != flow.rate_bps:
                self._set_rate(flow, rate, now)
            limited = rate < flow.alone_bps * (1 - _ROUNDING)
            if limited != flow.limited:
                flow.limited = limited
                for link in flow.links:
                    self._links[link].limited += 1 if limited else -1
        for link in links:
            state = self._links[link]
            self._account_busy(link, now, busy=any(flow.rate_bps > 0 for flow in state.flows))
            self._watch_outages(link, now)

    def _component(
        self, seeds: dict[Link, None]
    ) -> tuple[list[Link], list[_Flow], dict[Link, float]]:
        """The links and flows connected to ``seeds`` through shared flows, in a fixed order, and
        each link's usage ``sum w_fl / p_f`` over its flows."""
        links: dict[Link, float] = {}
        flows: dict[_Flow, None] = {}
        frontier = list(seeds)
        while frontier:
            link = frontier.pop()
            if link in links:
                continue
            on_link = self._links[link].flows
            links[link] = 0.0  # in the component from now on; its usage is set below
            for flow in on_link:
                if flow not in flows:
                    flows[flow] = None
                    frontier.extend(other for other in flow.links if other not in links)
            links[link] = sum(on_link.values())
        return list(links), list(flows), links

    def _max_min(
        self, links: list[Link], flows: list[_Flow], usage: dict[Link, float]
    ) -> dict[_Flow, float]:
        """Progressive filling over a closed component (every flow on its links is in it), from
        each link's ``usage``: a heap of the events of the module docstring, link saturations (a
        link entry is stale once the link's level changed) and flow bounds."""
        now = self.env.now
        capacity = {link: 0.0 if link.down_at(now) else link.bandwidth_bps for link in links}
        unfixed = {link: len(self._links[link].flows) for link in links}
        floor = {link: _CANCELLED * used for link, used in usage.items()}
        events: list[tuple[float, int, Link | _Flow]] = [
            (capacity[link] / usage[link], next(self._order), link)
            for link in links
            if unfixed[link]
        ]
        events.extend(  # a bound above the flow's alone value is never reached: no event
            (flow.bound_bps * flow.penalty, next(self._order), flow)
            for flow in flows
            if flow.bound_bps <= flow.alone_bps
        )
        heapq.heapify(events)
        heappush, order = heapq.heappush, self._order
        rates: dict[_Flow, float] = {}
        while events:
            level, _, item = heapq.heappop(events)
            if isinstance(item, _Flow):
                if item in rates:
                    continue
                saturated = None
                fixing = [(item, item.bound_bps)]
            else:
                if not unfixed[item] or level != capacity[item] / usage[item]:
                    continue  # stale: the link's level changed since this entry was pushed
                saturated = item
                flows_on = self._links[item].flows
                fixing = [(flow, level / flow.penalty) for flow in flows_on if flow not in rates]
            for flow, rate in fixing:
                rates[flow] = rate
                for other, weight, term in flow.loads:
                    left = capacity[other] - weight * rate
                    capacity[other] = left = left if left > 0.0 else 0.0
                    count = unfixed[other] = unfixed[other] - 1
                    if not count:
                        continue
                    used = usage[other] - term
                    if used <= floor[other]:
                        used = self._usage(other, rates)  # the subtractions lost its digits
                    usage[other] = used
                    if other is not saturated:
                        heappush(events, (left / used, next(order), other))
        return rates

    def _max_min_vectorised(self, links: list[Link], flows: list[_Flow]) -> dict[_Flow, float]:
        """The values :meth:`_max_min` gives, to rounding, by :func:`max_min_values`."""
        now = self.env.now
        index = {link: number for number, link in enumerate(links)}
        loads = [load for flow in flows for load in flow.loads]
        values = max_min_values(
            np.array(
                [
                    0.0 if link.outages and link.down_at(now) else link.bandwidth_bps
                    for link in links
                ]
            ),
            np.fromiter((index[link] for link, _, _ in loads), np.intp, len(loads)),
            np.repeat(np.arange(len(flows)), [len(flow.loads) for flow in flows]),
            np.fromiter((weight for _, weight, _ in loads), float, len(loads)),
            np.fromiter((flow.penalty for flow in flows), float, len(flows)),
            np.fromiter((flow.bound_bps for flow in flows), float, len(flows)),
        )
        return dict(zip(flows, values.tolist(), strict=True))

    def _usage(self, link: Link, fixed: Mapping[_Flow, float]) -> float:
        """``sum w_fl / p_f`` over the flows on ``link`` not in ``fixed``."""
        flows = self._links[link].flows
        return sum(term for flow, term in flows.items() if flow not in fixed)

    def _schedule_wake(self) -> None:
        while self._ends and self._ends[0][2] != self._ends[0][3].version:
            heapq.heappop(self._ends)
        if self._ends and self._ends[0][0] < self._wake_s:
            self._wake_s = wake = self._ends[0][0]
            self.env.timeout(wake - self.env.now).callbacks.append(lambda _: self._wake(wake))

    def _wake(self, wake_s: float) -> None:
        if wake_s != self._wake_s:
            return  # an earlier or later wake-up was scheduled since
        self._wake_s = float("inf")
        now = self.env.now
        horizon = now + _SAME_INSTANT * max(1.0, now)
        while self._ends and self._ends[0][0] <= horizon:
            _, _, version, flow = heapq.heappop(self._ends)
            if version == flow.version:
                flow.remaining_bytes = 0.0
                self._leave(flow)
        self._schedule_wake()

    def _account_busy(self, link: Link, now: float, busy: bool) -> None:
        """Count ``link`` busy from ``now`` if it sends (a flow on it has a positive value), or
        add the busy time that ends now if it stopped."""
        state = self._links[link]
        if busy and state.busy_since_s is None:
            state.busy_since_s = now
        elif not busy and state.busy_since_s is not None:
            self.use[link].busy_s += now - state.busy_since_s
            state.busy_since_s = None

    def _watch_outages(self, link: Link, now: float) -> None:
        """Schedule a reallocation at the link's next outage start or end while flows are on it."""
        state = self._links[link]
        if not state.flows or not link.outages:
            return
        boundary = link.next_boundary(now)
        if boundary is None or boundary == state.next_boundary_s:
            return
        state.next_boundary_s = boundary
        self._watched[link] = None
        self.env.timeout(delay_until(now, boundary)).callbacks.append(lambda _: self._boundary())

    def _boundary(self) -> None:
        """Handle every watched link whose outage starts or ends by now. A timer fires at its
        boundary or, where floats cannot land on it, the first instant after (:func:`delay_until`;
        never before, or the boundary would be missed for good); the first due timer of an instant
        handles its companions, and a late one finds nothing left to do."""
        now = self.env.now
        due = [
            link
            for link in self._watched
            if (boundary := self._links[link].next_boundary_s) is not None and boundary <= now
        ]
        for link in due:
            del self._watched[link]
            self._links[link].next_boundary_s = None
            if self.fail_on_outage and link.down_at(now):
                for flow in list(self._links[link].flows):
                    self._progress(flow, now)
                    self._leave(flow, failed=True)
            self._mark_changed((link,))

    def link_load_bps(self, link: Link) -> float:
        """What the flows on ``link`` load it with since the last reallocation: the sum of their
        weights on it times their values."""
        return sum(
            weight * flow.rate_bps
            for flow in self._links[link].flows
            for other, weight, _ in flow.loads
            if other is link
        )

    def close(self) -> None:
        for link, state in self._links.items():
            if state.busy_since_s is not None:
                self.use[link].busy_s += self.env.now - state.busy_since_s
                state.busy_since_s = None


def _report_segment(load: LinkLoad, flow: _Flow, now: float) -> None:
    """Report to ``load`` the bytes ``flow`` carried at its current rate since that rate was set,
    on every link of its route, and start its next segment at ``now`` (its remaining bytes are up
    to date). The segments of a flow add up to the bytes it carried, exactly."""
    carried = flow.remaining_then - flow.remaining_bytes
    for link in flow.transfer.route:
        load.add(link, flow.rate_since_s, now, carried)
    flow.rate_since_s, flow.remaining_then = now, flow.remaining_bytes
