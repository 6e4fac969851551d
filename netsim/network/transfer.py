"""What a bandwidth model moves and what it counts: transfers, and the use made of each link.

A transfer must deliver ``size_bytes`` (wire bytes: payload plus headers) along its route. Lost
packets are sent again, so the source sends ``sent_bytes = size_bytes + retransmitted_bytes``; the
retransmissions are drawn when the transfer starts (:mod:`netsim.network.loss`). A transfer ends
delivered, or failed (an outage under the ``fail`` policy), and then

    carried_bytes = bytes the source pushed before it ended  (sent_bytes if delivered)
    lost_bytes    = carried_bytes - (size_bytes if delivered else 0)

so bytes delivered + bytes lost = bytes sent (carried).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import simpy

from netsim.topology import Link


@dataclass(eq=False, slots=True)
class Transfer:
    """One transfer in flight or ended."""

    route: tuple[Link, ...]
    size_bytes: int
    """Wire bytes to deliver."""
    retransmitted_bytes: int
    """Wire bytes of the resent copies of lost packets."""
    start_s: float
    done: simpy.Event
    """Fires with ``value`` when the transfer ends, delivered or failed."""
    value: Any = None
    back_route: tuple[Link, ...] = ()
    """The route from the destination back to the source, where TCP's acknowledgements travel;
    filled in only for a model that reads it (empty also when there is no way back)."""
    end_s: float = float("nan")
    failed: bool = False
    carried_bytes: float = 0.0
    """Bytes the source pushed onto the route before the transfer ended."""

    @property
    def sent_bytes(self) -> int:
        """Wire bytes the source must push to deliver the transfer: resends included."""
        return self.size_bytes + self.retransmitted_bytes

    @property
    def lost_bytes(self) -> float:
        """Bytes pushed that never arrived: lost packets, and all of a failed transfer."""
        return self.carried_bytes - (0 if self.failed else self.size_bytes)


@dataclass(slots=True)
class LinkUse:
    """What one directed link did over a run."""

    carried_bytes: float = 0.0
    """Bytes that crossed the link, resent packets included."""
    busy_s: float = 0.0
    """Time during which the link was sending."""
    transfers: int = 0
    """Transfers that entered the link."""
    peak_transfers: int = 0
    """Most transfers on the link at one instant (sending or queued for it)."""
