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

    def quiet_ends_s(
        self, routes: Sequence[tuple[Link, ...]], sent_bytes: Sequence[int], at_s: Sequence[float]
    ) -> list[float]:
        """:meth:`_enter`'s arithmetic hop by hop for each transfer, none of which meets another
        (so each link is free when it arrives: ``start_h = arrival_h``) on links without outages,
        and :meth:`_count`'s (inlined: hot)."""
        ends = []
        use, free_at, leaving = self.use, self._free_at_s, self._leaving_at_s
        for route, size, time in zip(routes, sent_bytes, at_s, strict=True):
            for link in route:
                service_s = size * 8 / link.bandwidth_bps
                leave = time + service_s
                free_at[link] = leave
                counts = use[link]
                counts.transfers += 1
                counts.busy_s += service_s
                queue = leaving[link]
                while queue and queue[0] <= time:
                    queue.popleft()
                queue.append(leave)
                counts.peak_transfers = max(counts.peak_transfers, len(queue))
                counts.carried_bytes += size
                time = time + (leave + link.latency_s - time)  # the event's time, as SimPy adds it
            ends.append(time)
        return ends

    def _count(self, link: Link, now: float, leave: float, busy_s: float) -> None:
        use = self.use[link]
        use.transfers += 1
        use.busy_s += busy_s
        queue = self._leaving_at_s[link]
        while queue and queue[0] <= now:
            queue.popleft()
        queue.append(leave)
        use.peak_transfers = max(use.peak_transfers, len(queue))


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
