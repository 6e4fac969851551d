"""Fair sharing: the flow-level model of SimGrid without its TCP behaviour (docs/design.md, "The
network"; SimGrid's ``raw`` model, or ``cm02`` with ``--cfg=network/TCP-gamma:0`` and
``--cfg=network/crosstraffic:0`` and equal latencies).

A transfer first pays the latencies of its route, ``sum_h latency_h``, during which it loads no link.
It then becomes a *flow* that sends at one rate along its whole route. The rates of all flows are
the max-min fair allocation under the links' capacities (each direction of a link its own), found
by progressive filling:

    repeat: the link with the smallest fair share  c_l / n_l  (capacity left over the flows on it
            not yet fixed) fixes each of those flows at that share, which is subtracted from every
            other link the flow crosses; until every flow is fixed.

This is the engine of :mod:`netsim.network.maxmin` with every weight and penalty 1 and no bound;
it keeps the engine's events, its reallocation of the changed component only and its shortcut
when the changed links bottleneck nobody, and its handling of outages.
"""

from __future__ import annotations

from netsim.network.maxmin import MaxMinSharing, Share
from netsim.network.transfer import Transfer

_NO_BOUND = float("inf")
VECTORISED_FROM = 64
"""The smallest component ``fair-vectorised`` fills in numpy: below it, numpy's overhead per call
outweighs what it saves (``netsim bench filling``'s component broke even at about 25 flows
filled in one round; each further round costs numpy's overhead again)."""


class FairSharing(MaxMinSharing):
    """Max-min fair sharing of every link by the flows crossing it (SimGrid's flow model)."""

    name = "fair"

    def share(self, transfer: Transfer) -> Share:
        route = transfer.route
        return Share(
            latency_s=sum(link.latency_s for link in route),
            weights=dict.fromkeys(route, 1.0),
            penalty=1.0,
            bound_bps=_NO_BOUND,
        )


class VectorisedFairSharing(FairSharing):
    """Max-min fair sharing with large components filled in numpy (equal to rounding, not bit for bit).

    The progressive filling of a component of :data:`VECTORISED_FROM` flows or more is
    :mod:`netsim.network.filling`'s: the same values as ``fair``'s to rounding, not bit for bit, so
    it is a named model of its own, and ``fair`` keeps the exact order of operations."""

    name = "fair-vectorised"
    vectorised_from = VECTORISED_FROM
