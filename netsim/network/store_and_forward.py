"""Store-and-forward: each directed link is a FIFO server (docs/design.md, "The network").

A transfer waits for the link to be free, holds it for ``sent_bytes * 8 / bandwidth_bps``, then
propagates for ``latency_s`` to the next node, which must receive it whole before forwarding it:

    start_h       = max(arrival_h, link h free)
    arrival_{h+1} = start_h + sent_bytes * 8 / bandwidth_h + latency_h

An outage on link h pauses its transmission (``wait``: the rest is sent once the link is back) or
ends the transfer at the outage's start (``fail``: the link is then free for the next in line).
Because service times are known on arrival, each link is kept as the instant it next falls free,
and a transfer costs one SimPy event per hop. A link's load over time (when recorded) is its
sending stretches, each at full bandwidth.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Sequence

import numpy as np
import simpy

from netsim.network.base import BandwidthModel
from netsim.network.load import LinkLoad
from netsim.network.transfer import Transfer
from netsim.topology import Link


class StoreAndForward(BandwidthModel):
    """FIFO links, hop by hop."""

    name = "store-and-forward"
    computes_quiet = True

    def __init__(self, env: simpy.Environment, on_outage: str = "wait") -> None:
        super().__init__(env, on_outage)
        self._free_at_s: defaultdict[Link, float] = defaultdict(float)
        """The instant each directed link finishes the last transfer queued on it."""
        self._leaving_at_s: defaultdict[Link, deque[float]] = defaultdict(deque)
        """When each transfer queued on a link leaves it, in FIFO order."""
        self._quiet: list[QuietRoutes] = []
        """The quiet routes handed out, whose links' use they keep until :meth:`close`."""

    def alone_s(self, transfer: Transfer) -> float:
        sent_bytes = transfer.sent_bytes
        return sum(sent_bytes * 8 / link.bandwidth_bps + link.latency_s for link in transfer.route)

    def start(self, transfer: Transfer) -> None:
        self._enter(transfer, 0)

    def _enter(self, transfer: Transfer, hop: int) -> None:
        link = transfer.route[hop]
        now = self.env.now
        begin = max(now, self._free_at_s[link])
        service_s = transfer.sent_bytes * 8 / link.bandwidth_bps
        failed_at = _first_outage(link, begin, begin + service_s) if self.fail_on_outage else None
        sending = _sending(link, begin, service_s) if failed_at is None else [(begin, failed_at)]
        leave = sending[-1][1]
        self._free_at_s[link] = leave
        self._count(link, now, leave, busy_s=service_s if failed_at is None else failed_at - begin)
        if failed_at is not None:
            partial = (failed_at - begin) * link.bandwidth_bps / 8
            self.use[link].carried_bytes += partial
            if self.load is not None:
                self.load.add(link, begin, failed_at, partial)
            carried = transfer.sent_bytes if hop else partial
            self.env.timeout(failed_at - now).callbacks.append(
                lambda _: self.end(transfer, carried, failed=True)
            )
            return
        self.use[link].carried_bytes += transfer.sent_bytes
        if self.load is not None:
            _report_load(self.load, link, sending, transfer.sent_bytes)

        def arrived(_: simpy.Event) -> None:
            if hop + 1 == len(transfer.route):
                self.end(transfer, transfer.sent_bytes)
            else:
                self._enter(transfer, hop + 1)

        self.env.timeout(leave + link.latency_s - now).callbacks.append(arrived)

    def quiet_routes(self, routes: Sequence[tuple[Link, ...]]) -> QuietRoutes:
        ledger = QuietRoutes(self, routes)
        self._quiet.append(ledger)
        return ledger

    def close(self) -> None:
        for ledger in self._quiet:
            ledger.write_use()

    def _count(self, link: Link, now: float, leave: float, busy_s: float) -> None:
        use = self.use[link]
        use.transfers += 1
        use.busy_s += busy_s
        queue = self._leaving_at_s[link]
        while queue and queue[0] <= now:
            queue.popleft()
        queue.append(leave)
        use.peak_transfers = max(use.peak_transfers, len(queue))


class QuietRoutes:
    """Transfers along fixed routes that nothing else uses, computed with no SimPy event.

    Route j's transfers meet no other transfer (no other route, here or elsewhere, shares a link
    with it, and each of its transfers enters after the one before has left: the caller vouches
    for it) on links without outages, and have no resends. So each hop is
    :meth:`StoreAndForward._enter` with its link free (``start_h = arrival_h``):

        service_h     = sent_bytes * 8 / bandwidth_h
        leave_h       = arrival_h + service_h
        arrival_{h+1} = arrival_h + (leave_h + latency_h - arrival_h)   (t + delay, as SimPy adds it)

    computed for every route at once in numpy (IEEE operations, element by element: the same
    floats as the events give). Each link's use is kept here in arrays, added to in the order the
    events would add (one transfer per link per call), and written into the model's counters by
    :meth:`write_use` (the model's ``close``, before any table is made): a link that carries only
    one transfer at a time has at most one in its queue, so its peak is at least 1 and its queue
    is its last transfer's leaving time.
    """

    def __init__(self, model: StoreAndForward, routes: Sequence[tuple[Link, ...]]) -> None:
        self.model = model
        self.links = [link for route in routes for link in route]
        """Every link of every route, hop by hop within a route, routes in order."""
        if len(set(self.links)) != len(self.links):
            raise ValueError("quiet routes must not share a link")
        lengths = np.array([len(route) for route in routes], dtype=np.int64)
        first = np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
        self.hops = [
            (rows, first[rows] + hop)
            for hop in range(int(lengths.max(initial=0)))
            for rows in [np.flatnonzero(lengths > hop)]
        ]
        """For each hop h: the routes that have one, and where its link is in :attr:`links`."""
        self.bandwidth_bps = np.array([link.bandwidth_bps for link in self.links])
        self.latency_s = np.array([link.latency_s for link in self.links])
        use = [model.use[link] for link in self.links]
        self.carried_bytes = np.array([counts.carried_bytes for counts in use])
        self.busy_s = np.array([counts.busy_s for counts in use])
        self.transfers = np.array([counts.transfers for counts in use], dtype=np.int64)
        self.free_at_s = np.array([model._free_at_s[link] for link in self.links])

    def ends_s(self, sent_bytes: np.ndarray, at_s: np.ndarray) -> np.ndarray:
        """When a transfer of ``sent_bytes[j]`` entering route j at ``at_s[j]`` (now or later)
        ends, for every route; their links' use is counted."""
        time = np.array(at_s, dtype=np.float64)
        size = np.asarray(sent_bytes, dtype=np.int64)
        for rows, at in self.hops:
            arrival = time[rows]
            service_s = size[rows] * 8 / self.bandwidth_bps[at]
            leave = arrival + service_s
            self.busy_s[at] += service_s
            self.carried_bytes[at] += size[rows]
            self.transfers[at] += 1
            self.free_at_s[at] = leave
            time[rows] = arrival + (leave + self.latency_s[at] - arrival)
        return time

    def write_use(self) -> None:
        """Set the model's counters of these links to what they carried."""
        model = self.model
        for j, link in enumerate(self.links):
            counts = model.use[link]
            counts.carried_bytes = float(self.carried_bytes[j])
            counts.busy_s = float(self.busy_s[j])
            counts.transfers = int(self.transfers[j])
            if counts.transfers:
                counts.peak_transfers = max(counts.peak_transfers, 1)
                model._free_at_s[link] = float(self.free_at_s[j])
                model._leaving_at_s[link] = deque([model._free_at_s[link]])


def _sending(link: Link, begin: float, service_s: float) -> list[tuple[float, float]]:
    """The stretches during which ``link`` sends ``service_s`` of transmission from ``begin``,
    pausing in outages; the last one ends when the transmission is done."""
    time, remaining = begin, service_s
    stretches = []
    for start, end in link.outages_from(time):
        if start <= time:
            time = end
            continue
        if time + remaining <= start:
            break
        stretches.append((time, start))
        remaining -= start - time
        time = end
    stretches.append((time, time + remaining))
    return stretches


def _report_load(
    load: LinkLoad, link: Link, sending: list[tuple[float, float]], sent_bytes: float
) -> None:
    """Report each stretch of ``sending`` to ``load`` at the link's full rate, the last one
    taking what is left, so the stretches add up to ``sent_bytes`` exactly."""
    left = float(sent_bytes)
    for index, (start, end) in enumerate(sending):
        part = left if index == len(sending) - 1 else (end - start) * link.bandwidth_bps / 8
        load.add(link, start, end, part)
        left -= part


def _first_outage(link: Link, begin: float, finish: float) -> float | None:
    """The first instant in ``[begin, finish)`` at which ``link`` is down, if any."""
    outage = next(link.outages_from(begin), None)
    return max(outage[0], begin) if outage is not None and outage[0] < finish else None
