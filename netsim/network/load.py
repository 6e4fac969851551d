"""Link load over time: the bytes each directed link carries in each bin of simulated time.

A bandwidth model reports *segments*: link l carried b bytes at one constant rate over the interval
[a, e). Both models send at piecewise-constant rates, so the segments are exact: store-and-forward
sends a transfer at the link's full bandwidth, one segment per stretch between outages; a fair
flow's rate is constant between two reallocations, one segment per stretch. The bytes a link
carries in bin k, ``[k w, (k + 1) w)`` with w = ``bin_s``, are then exactly

    carried_k = sum over its segments of  b * |[a, e) intersected with bin k| / (e - a)

(a segment of zero length, which a model reports only with zero bytes, is put in the bin of a).
Its utilisation is ``carried_k * 8 / (bandwidth_bps * w)``, 1 for a bin the link spends sending at
full rate. The bins run from 0 to the first bin edge after the end of the run, so they sum to the
link's carried bytes over the whole run.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from netsim.topology import Link

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ("src", "dst", "start_s", "end_s", "carried_bytes", "utilisation")


class LinkLoad:
    """Segments of carried bytes per directed link, binned on demand (module docstring)."""

    def __init__(self, bin_s: float) -> None:
        if not bin_s > 0:
            raise ValueError(f"the load bin width is {bin_s!r}; it must be > 0 seconds")
        self.bin_s = bin_s
        self._segments: defaultdict[Link, list[tuple[float, float, float]]] = defaultdict(list)

    def add(self, link: Link, start_s: float, end_s: float, carried_bytes: float) -> None:
        """``link`` carried ``carried_bytes`` at one constant rate from ``start_s`` to ``end_s``."""
        if carried_bytes:
            self._segments[link].append((start_s, end_s, carried_bytes))

    def table(self, links: list[Link], now_s: float) -> pd.DataFrame:
        """One row per (link, bin) for every link of ``links``, in that order, bins from 0 to the
        first edge after ``now_s``: ``src``, ``dst``, ``start_s``, ``end_s``, ``carried_bytes``,
        ``utilisation``."""
        import pandas as pd  # the network's tables are made once, at a trial's end

        bins = math.floor(now_s / self.bin_s) + 1
        edges = np.arange(bins + 1) * self.bin_s
        frames = []
        for link in links:
            carried = self._binned(self._segments.get(link, []), edges)
            frames.append(
                pd.DataFrame(
                    {
                        "src": str(link.src),
                        "dst": str(link.dst),
                        "start_s": edges[:-1],
                        "end_s": edges[1:],
                        "carried_bytes": carried,
                        "utilisation": carried * 8 / (link.bandwidth_bps * self.bin_s),
                    }
                )
            )
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)

    @staticmethod
    def _binned(segments: list[tuple[float, float, float]], edges: np.ndarray) -> np.ndarray:
        """The bytes of ``segments`` in each bin between consecutive ``edges``: the cumulative
        carried bytes C(t), piecewise linear with knots at the segments' ends, read at the edges."""
        carried = np.zeros(len(edges) - 1)
        if not segments:
            return carried
        start, end, size = np.array(segments).T
        instant = end <= start
        np.add.at(
            carried,
            np.searchsorted(edges, start[instant], side="right") - 1,
            size[instant],
        )
        start, end, size = start[~instant], end[~instant], size[~instant]
        if not start.size:
            return carried
        knots, where = np.unique(np.concatenate([start, end]), return_inverse=True)
        slope_change = np.zeros(len(knots))
        rate = size / (end - start)
        np.add.at(slope_change, where[: len(start)], rate)
        np.add.at(slope_change, where[len(start) :], -rate)
        slope = np.cumsum(slope_change)[:-1]
        cumulative = np.concatenate([[0.0], np.cumsum(slope * np.diff(knots))])
        return carried + np.diff(np.interp(edges, knots, cumulative))
