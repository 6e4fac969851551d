"""The one small interface every bandwidth model fills in (docs/design.md, "The network"; SimPy's
resource pattern).

A model is handed a :class:`~netsim.network.transfer.Transfer` when it starts, and ends it, delivered
or failed, by calling :meth:`BandwidthModel.end`. How capacity is shared is the model's business; the
rest of the simulator never knows which model runs. Each model also says how long a transfer takes
alone on an idle network (:meth:`alone_s`), which defines its queueing delay, and counts the use of
every link it touches.

Outages (intervals during which a link carries nothing) are met by the policy ``on_outage``:
``wait`` (transfers on the link pause until it is back) or ``fail`` (they end, failed).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

import simpy

from netsim.network.load import LinkLoad
from netsim.network.transfer import LinkUse, Transfer
from netsim.topology import Link

if TYPE_CHECKING:
    from netsim.network.store_and_forward import QuietRoutes

OUTAGE_POLICIES = ("wait", "fail")


def delay_until(now: float, at: float) -> float:
    """A delay that brings ``now`` to ``at`` exactly where floats allow (else to the first instant
    after it): ``now + (at - now)`` can miss ``at`` by a unit in the last place, and an outage's
    start must not be seen a hair late by one link and on time by another."""
    delay = at - now
    while delay > 0 and now + delay > at:
        delay = math.nextafter(delay, 0.0)
    while now + delay < at:
        delay = math.nextafter(delay, math.inf)
    return delay


class BandwidthModel(ABC):
    """Times transfers along routes of links in a SimPy environment."""

    name: ClassVar[str]
    """The name a run chooses this model by."""
    computes_quiet: ClassVar[bool] = False
    """Whether :meth:`quiet_routes` gives quiet routes (else it returns None)."""

    def __init__(self, env: simpy.Environment, on_outage: str = "wait") -> None:
        if on_outage not in OUTAGE_POLICIES:
            raise ValueError(f"unknown outage policy {on_outage!r}; known: {OUTAGE_POLICIES}")
        self.env = env
        self.fail_on_outage = on_outage == "fail"
        self.use: defaultdict[Link, LinkUse] = defaultdict(LinkUse)
        """What each directed link did so far."""
        self.load: LinkLoad | None = None
        """Where the model reports what each link carries when (set to record the load)."""
        self.needs_back_route = False
        """Whether :meth:`start` reads ``transfer.back_route`` (the network then fills it in)."""

    @abstractmethod
    def start(self, transfer: Transfer) -> None:
        """Start sending ``transfer.sent_bytes`` along ``transfer.route`` now."""

    @abstractmethod
    def alone_s(self, transfer: Transfer) -> float:
        """Seconds ``transfer.sent_bytes`` take along its route with no other traffic and no
        outage."""

    def quiet_routes(self, routes: Sequence[tuple[Link, ...]]) -> QuietRoutes | None:
        """Fixed ``routes`` whose transfers this model times with its own arithmetic and with no
        SimPy event (:meth:`QuietRoutes.ends_s`), their links' use counted as if they had run;
        None if the model cannot (the default).

        The caller vouches that the routes are *quiet* for the rest of the run: no other transfer
        ever uses their links, each transfer on a route enters it after the one before has left,
        they have no outages and no transfer on them is resent. Their ends and link use are then
        those the events would give, bit for bit."""
        return None

    def end(self, transfer: Transfer, carried_bytes: float, failed: bool = False) -> None:
        """End ``transfer`` now, having pushed ``carried_bytes``; its event fires."""
        transfer.end_s = self.env.now
        transfer.failed = failed
        transfer.carried_bytes = carried_bytes
        transfer.done.succeed(transfer.value)

    def close(self) -> None:
        """Account for links still busy at the end of a run (a hook; nothing by default)."""
        return None
