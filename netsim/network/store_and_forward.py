"""Store-and-forward: each directed link is a FIFO server (DESIGN.md, "Bandwidth models").

A message waits for the link to be free, holds it for ``wire_bytes * 8 / bandwidth_bps``, then
propagates for ``latency_s`` to the next node, which must receive it whole before forwarding it:

    start_h  = max(arrival_h, link h free)
    arrival_{h+1} = start_h + wire_bytes * 8 / bandwidth_h + latency_h

Because service times are known on arrival, each link is kept as the instant it next falls free, and
a message costs one SimPy event per hop.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import simpy

from netsim.network.base import BandwidthModel
from netsim.topology import Link


class StoreAndForward(BandwidthModel):
    """FIFO links, hop by hop."""

    name = "store-and-forward"

    def __init__(self, env: simpy.Environment) -> None:
        super().__init__(env)
        self._free_at_s: defaultdict[Link, float] = defaultdict(float)
        """The instant each directed link finishes the last message queued on it."""

    def transfer(self, route: tuple[Link, ...], wire_bytes: int, value: Any = None) -> simpy.Event:
        done = self.env.event()
        self._enter(route, 0, wire_bytes, done, value)
        return done

    def _enter(
        self, route: tuple[Link, ...], hop: int, wire_bytes: int, done: simpy.Event, value: Any
    ) -> None:
        link = route[hop]
        now = self.env.now
        finish = max(now, self._free_at_s[link]) + wire_bytes * 8 / link.bandwidth_bps
        self._free_at_s[link] = finish
        arrival = self.env.timeout(finish + link.latency_s - now)

        def arrived(_: simpy.Event) -> None:
            if hop + 1 == len(route):
                done.succeed(value)
            else:
                self._enter(route, hop + 1, wire_bytes, done, value)

        arrival.callbacks.append(arrived)
