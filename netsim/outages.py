"""Outages drawn at random: links that are down a given fraction of the time.

Each disrupted link alternates between up and down periods, drawn independently (an alternating
renewal process): down periods are exponential with mean ``mean_outage_s``, up periods exponential
with mean ``mean_outage_s * (1 - fraction) / fraction``, so that in the long run the link is down
``fraction`` of the time; it starts down with probability ``fraction`` (the process's stationary
state), so the fraction holds from time 0, not only in the long run. Each link draws from its own
stream, seeded by the run's seed and the link's end nodes, so a link's outages do not change when
other links are added, removed or listed in another order. Both directions of an edge share its
outages (:class:`netsim.Topology` gives an edge's ``outages`` to both).
"""

from __future__ import annotations

import zlib
from collections.abc import Hashable, Iterable

import networkx as nx
import numpy as np


def random_outages(
    fraction: float, mean_outage_s: float, horizon_s: float, rng: np.random.Generator
) -> list[tuple[float, float]]:
    """Down intervals ``(start_s, end_s)`` over ``[0, horizon_s)`` of one link that is down
    ``fraction`` of the time, in down periods of mean ``mean_outage_s`` (module docstring)."""
    if not 0 <= fraction < 1:
        raise ValueError(f"outage fraction {fraction!r} must be in [0, 1)")
    if not mean_outage_s > 0 or not np.isfinite(mean_outage_s):
        raise ValueError(f"mean_outage_s = {mean_outage_s!r} must be a positive number")
    if not horizon_s > 0 or not np.isfinite(horizon_s):
        raise ValueError(f"horizon_s = {horizon_s!r} must be a positive number")
    if fraction == 0:
        return []
    mean_up_s = mean_outage_s * (1 - fraction) / fraction
    intervals, now, down = [], 0.0, bool(rng.random() < fraction)
    while now < horizon_s:
        length = float(rng.exponential(mean_outage_s if down else mean_up_s))
        if down and length > 0:
            intervals.append((now, min(now + length, horizon_s)))
        now += length
        down = not down
    return intervals


def with_random_outages(
    graph: nx.Graph,
    fraction: float,
    *,
    mean_outage_s: float,
    horizon_s: float,
    seed: int,
    links: Iterable[tuple[Hashable, Hashable]] | None = None,
) -> nx.Graph:
    """A copy of ``graph`` whose edges ``links`` (default: every edge) are each down ``fraction``
    of the time over ``[0, horizon_s)`` (:func:`random_outages`), drawn per link from a stream
    seeded by ``seed`` and the link's end nodes. An edge that already has outages is refused."""
    disrupted = graph.copy()
    for u, v in graph.edges if links is None else links:
        if not disrupted.has_edge(u, v):
            raise ValueError(f"with_random_outages: the graph has no link ({u!r}, {v!r})")
        data = disrupted.edges[u, v]
        if data.get("outages"):
            raise ValueError(f"with_random_outages: link ({u!r}, {v!r}) already has outages")
        ends = sorted(zlib.crc32(repr(node).encode()) for node in (u, v))
        rng = np.random.default_rng([seed, *ends])
        data["outages"] = random_outages(fraction, mean_outage_s, horizon_s, rng)
    return disrupted
