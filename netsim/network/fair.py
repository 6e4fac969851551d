"""Fair sharing: the flow-level model of SimGrid (docs/design.md, "The network").

A transfer first pays the latencies of its route, ``sum_h latency_h``, during which it loads no link.
It then becomes a *flow* that sends at one rate along its whole route. The rates of all flows are
the max-min fair allocation under the links' capacities (each direction of a link its own), found
by progressive filling:

    repeat: the link with the smallest fair share  c_l / n_l  (capacity left over the flows on it
            not yet fixed) fixes each of those flows at that share, which is subtracted from every
            other link the flow crosses; until every flow is fixed.

Rates change only when a flow joins or leaves, or a link goes down or comes back; all the changes
of one instant are handled by one reallocation, after the instant's other events (or at once,
when the change can move no other rate: see below). A flow's
remaining bytes then shrink linearly, so its end is predicted, and one SimPy event is scheduled for
the earliest predicted end only.

A reallocation recomputes only the flows that share links, directly or through other flows, with
those that changed (the connected component): max-min rates elsewhere cannot change. That keeps the
cost of an event proportional to the flows it can affect, not to all flows in flight.

Most events need not even that. A flow's *alone rate* is the smallest bandwidth on its route, the
most it can ever get. When every flow on the changed links gets its alone rate (none is *limited*
by sharing) and no changed link is *overloaded* (the alone rates of its flows sum to no more than
its bandwidth), the max-min allocation is every other flow's rate as it was and each new flow's
alone rate: the changed links then bottleneck no other flow, so nothing can spread beyond them.
The model keeps each link's demand (the sum of its flows' alone rates) and its count of limited
flows up to date, so that test costs a few operations per changed link, and progressive filling
runs only when it fails: a changed link is overloaded, carries a limited flow, or has outages.
Rates then agree with progressive filling's to rounding (remaining bytes are brought up to date
when a flow's rate changes, not at every event near it, so ends can differ in the last bits).

A link in an outage has no capacity: under ``wait`` its flows are fixed at rate 0 and load no other
link until it is back; under ``fail`` they end, failed, when it goes down, and so does a flow whose
route is down when its latency is paid. Outages do not delay a transfer's latency phase (our choice).

A link's load over time (when recorded) is reported per flow and constant-rate segment: from a
rate change (or the flow's start) to the next change or its end, with the bytes its remaining
count fell by, so a flow's segments add up to what it carried.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import simpy

from netsim.network.base import BandwidthModel
from netsim.network.load import LinkLoad
from netsim.network.transfer import Transfer
from netsim.topology import Link

_SAME_INSTANT = 1e-12
"""Predicted ends this close (relative) to a wake-up are taken as reached: they differ by rounding."""


@dataclass(eq=False, slots=True)
class _Flow:
    transfer: Transfer
    remaining_bytes: float
    alone_bps: float
    """The smallest bandwidth on the route: the flow's rate when nothing shares its bottleneck."""
    rate_bps: float = 0.0
    limited: bool = False
    """Whether its rate is below its alone rate (sharing or an outage holds it back)."""
    updated_s: float = 0.0
    rate_since_s: float = 0.0
    """When the current rate was set: the start of the flow's current constant-rate segment."""
    remaining_then: float = 0.0
    """``remaining_bytes`` at ``rate_since_s``."""
    version: int = 0
    """Bumped on every rate change: an end predicted under an older rate is stale."""


@dataclass(slots=True)
class _LinkState:
    flows: dict[_Flow, None] = field(default_factory=dict)
    """The flows on the link, in arrival order (a dict: deterministic order, unlike a set)."""
    demand_bps: float = 0.0
    """The sum of the alone rates of the flows on the link."""
    limited: int = 0
    """How many flows on the link are limited."""
    busy_since_s: float | None = None
    next_boundary_s: float | None = None
    """The outage start or end a wake-up is already scheduled for."""


class FairSharing(BandwidthModel):
    """Max-min fair sharing of every link by the flows crossing it (SimGrid's flow model)."""

    name = "fair"

    def __init__(self, env: simpy.Environment, on_outage: str = "wait") -> None:
        super().__init__(env, on_outage)
        self._links: defaultdict[Link, _LinkState] = defaultdict(_LinkState)
        self._changed: dict[Link, None] = {}
        """Links whose flows or capacity changed since the last reallocation."""
        self._joined: list[_Flow] = []
        """Flows that joined since the last reallocation."""
        self._ends: list[tuple[float, int, int, _Flow]] = []
        """Heap of predicted ends: (time, tie-breaker, flow version then, flow)."""
        self._order = itertools.count()
        self._wake_s = float("inf")
        """The instant of the earliest scheduled end check."""

    @staticmethod
    def alone_s(route: tuple[Link, ...], sent_bytes: float) -> float:
        latency = sum(link.latency_s for link in route)
        return latency + sent_bytes * 8 / min(link.bandwidth_bps for link in route)

    def start(self, transfer: Transfer) -> None:
        alone = min(link.bandwidth_bps for link in transfer.route)
        sent = float(transfer.sent_bytes)
        flow = _Flow(transfer, sent, alone, remaining_then=sent)
        latency = sum(link.latency_s for link in transfer.route)
        if latency > 0:
            self.env.timeout(latency).callbacks.append(lambda _: self._join(flow))
        else:
            self._join(flow)

    def _join(self, flow: _Flow) -> None:
        route, now = flow.transfer.route, self.env.now
        if flow.remaining_bytes <= 0:
            self.end(flow.transfer, 0.0)
            return
        if self.fail_on_outage and any(link.down_at(now) for link in route):
            self.end(flow.transfer, 0.0, failed=True)
            return
        flow.updated_s = now
        for link in route:
            state = self._links[link]
            state.flows[flow] = None
            state.demand_bps += flow.alone_bps
            use = self.use[link]
            use.transfers += 1
            use.peak_transfers = max(use.peak_transfers, len(state.flows))
        self._joined.append(flow)
        self._mark_changed(route)
        self._schedule_wake()

    def _leave(self, flow: _Flow, failed: bool = False) -> None:
        if self.load is not None:
            _report_segment(self.load, flow, self.env.now)
        carried = flow.transfer.sent_bytes - flow.remaining_bytes if failed else None
        for link in flow.transfer.route:
            state = self._links[link]
            del state.flows[flow]
            state.demand_bps = state.demand_bps - flow.alone_bps if state.flows else 0.0
            state.limited -= flow.limited
            self.use[link].carried_bytes += flow.transfer.sent_bytes if carried is None else carried
        flow.version += 1
        self._mark_changed(flow.transfer.route)
        self.end(flow.transfer, flow.transfer.sent_bytes if carried is None else carried, failed)

    def _mark_changed(self, links: tuple[Link, ...]) -> None:
        """Reallocate for a change on ``links``: at once when nothing else changed this instant
        and they bottleneck nobody (no other rate can change), else in one reallocation after
        the instant's other events."""
        if not self._changed and all(self._bottlenecks_nobody(link) for link in links):
            self._give_alone_rates(links)
            return
        if not self._changed:
            self.env.timeout(0).callbacks.append(self._reallocate)
        self._changed.update(dict.fromkeys(links))

    def _reallocate(self, _: simpy.Event) -> None:
        """Max-min rates for every flow that shares a link, transitively, with a changed one."""
        changed = self._changed
        self._changed = {}
        if all(self._bottlenecks_nobody(link) for link in changed):
            self._give_alone_rates(changed)
        else:
            self._progressive_filling(changed)
        self._schedule_wake()

    def _give_alone_rates(self, changed: Iterable[Link]) -> None:
        """The reallocation when the ``changed`` links bottleneck nobody: the flows that joined
        get their alone rates, every other rate stays."""
        now = self.env.now
        for flow in self._joined:
            self._set_rate(flow, flow.alone_bps, now)
        self._joined = []
        for link in changed:
            self._account_busy(link, now, busy=bool(self._links[link].flows))

    def _bottlenecks_nobody(self, link: Link) -> bool:
        """Whether every flow on ``link`` can have its alone rate whatever the others do (see the
        module docstring); a link with outages is never taken on trust."""
        state = self._links[link]
        return not state.limited and state.demand_bps <= link.bandwidth_bps and not link.outages

    def _set_rate(self, flow: _Flow, rate: float, now: float) -> None:
        """Give ``flow`` a new rate from ``now`` (its remaining bytes brought up to date) and
        predict its end."""
        if self.load is not None:
            _report_segment(self.load, flow, now)
        flow.rate_bps = rate
        flow.version += 1
        if rate > 0:
            ends_at = now + flow.remaining_bytes * 8 / rate
            heapq.heappush(self._ends, (ends_at, next(self._order), flow.version, flow))

    def _progressive_filling(self, changed: dict[Link, None]) -> None:
        """Max-min rates for the component of ``changed``; limited flags and link use with them."""
        now = self.env.now
        self._joined = []
        links, flows = self._component(changed)
        for flow in flows:
            flow.remaining_bytes = max(
                0.0, flow.remaining_bytes - flow.rate_bps / 8 * (now - flow.updated_s)
            )
            flow.updated_s = now
        rates = self._max_min(links, flows)
        for flow in flows:
            rate = rates[flow]
            if rate != flow.rate_bps:
                self._set_rate(flow, rate, now)
            limited = rate < flow.alone_bps
            if limited != flow.limited:
                flow.limited = limited
                for link in flow.transfer.route:
                    self._links[link].limited += 1 if limited else -1
        for link in links:
            state = self._links[link]
            self._account_busy(link, now, busy=any(flow.rate_bps > 0 for flow in state.flows))
            self._watch_outages(link, now)

    def _component(self, seeds: dict[Link, None]) -> tuple[list[Link], list[_Flow]]:
        """The links and flows connected to ``seeds`` through shared flows, in a fixed order."""
        links: dict[Link, None] = {}
        flows: dict[_Flow, None] = {}
        frontier = list(seeds)
        while frontier:
            link = frontier.pop()
            if link in links:
                continue
            links[link] = None
            for flow in self._links[link].flows:
                if flow not in flows:
                    flows[flow] = None
                    frontier.extend(other for other in flow.transfer.route if other not in links)
        return list(links), list(flows)

    def _max_min(self, links: list[Link], flows: list[_Flow]) -> dict[_Flow, float]:
        """Progressive filling over a closed component (every flow on its links is in it)."""
        now = self.env.now
        capacity = {link: 0.0 if link.down_at(now) else link.bandwidth_bps for link in links}
        unfixed = {link: len(self._links[link].flows) for link in links}
        shares = [
            (capacity[link] / unfixed[link], next(self._order), link)
            for link in links
            if unfixed[link]
        ]
        heapq.heapify(shares)
        rates: dict[_Flow, float] = {}
        while shares:
            share, _, link = heapq.heappop(shares)
            if not unfixed[link] or share != capacity[link] / unfixed[link]:
                continue  # stale: the link's share changed since this entry was pushed
            for flow in self._links[link].flows:
                if flow in rates:
                    continue
                rates[flow] = share
                for other in flow.transfer.route:
                    capacity[other] = max(0.0, capacity[other] - share)
                    unfixed[other] -= 1
                    if other is not link and unfixed[other]:
                        entry = (capacity[other] / unfixed[other], next(self._order), other)
                        heapq.heappush(shares, entry)
        return rates

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
        """Count ``link`` busy from ``now`` if it sends (a flow on it has a positive rate), or
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
        boundary = next(
            (time for interval in link.outages for time in interval if time > now), None
        )
        if boundary is None or boundary == state.next_boundary_s:
            return
        state.next_boundary_s = boundary
        self.env.timeout(boundary - now).callbacks.append(lambda _: self._boundary(link))

    def _boundary(self, link: Link) -> None:
        state = self._links[link]
        state.next_boundary_s = None
        if self.fail_on_outage and link.down_at(self.env.now):
            for flow in list(state.flows):
                flow.remaining_bytes -= flow.rate_bps / 8 * (self.env.now - flow.updated_s)
                self._leave(flow, failed=True)
        self._mark_changed((link,))

    def link_load_bps(self, link: Link) -> float:
        """The sum of the rates of the flows on ``link`` since the last reallocation."""
        return sum(flow.rate_bps for flow in self._links[link].flows)

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
