"""What if these transfers crossed this network? Finish times, by the simulator's own network code."""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable

import networkx as nx
import simpy

from algorithms.checks import integer, number
from netsim.messages import Framing
from netsim.network import Network, TcpParameters
from netsim.network.transfer import Transfer
from netsim.topology import Topology

TransferSpec = tuple[Hashable, Hashable, int, float]
"""``(src, dst, size_bytes, start_s)``: wire bytes from node ``src`` to node ``dst`` at ``start_s``."""


def time_transfers(
    graph: nx.Graph,
    transfers: Iterable[TransferSpec],
    model: str = "fair",
    *,
    on_outage: str = "wait",
    framing: Framing | None = None,
    seed: int = 0,
    tcp: TcpParameters | None = None,
) -> list[float]:
    """Each transfer's finish time in seconds, in the order given.

    ``graph`` has the edge attributes of :mod:`netsim.topology` (node roles are not needed); sizes
    are wire bytes, to which nothing is added (``framing``'s MTU only splits them into packets for
    loss). A transfer that fails (an outage under ``on_outage="fail"``) finishes at NaN. ``seed``
    drives packet loss.

    Which ``model`` (docs/network-models.md):

    * ``fair``: clean max-min sharing after the path latency; flows through a bottleneck get
      equal shares whatever their round trip (SimGrid with its TCP effects switched off).
    * ``cm02`` / ``lv08``: TCP-like flows, as SimGrid times them: shares inversely proportional to
      the round trip, each flow capped by its window (``tcp_gamma_bytes / (2 x latency)``), the
      acknowledgements loading the way back; ``lv08`` (SimGrid's default) adds slow start and
      header corrections. ``tcp`` sets ``cm02``'s constants (:class:`~netsim.network.TcpParameters`).
    * ``store-and-forward``: small messages over slow hops, each hop received whole before the
      next (FIFO links); no sharing.

    >>> g = nx.Graph(); g.add_edge("a", "b", bandwidth_bps=8e6, latency_s=0.01)
    >>> time_transfers(g, [("a", "b", 1_000_000, 0.0)])
    [1.01]
    """
    topology = Topology(graph, roles=False)
    specs = [_check(index, spec, topology) for index, spec in enumerate(transfers)]
    env = simpy.Environment()
    network = Network(env, topology, model, framing, on_outage=on_outage, seed=seed, tcp=tcp)
    started: list[Transfer | None] = [None] * len(specs)

    def starter(index: int) -> Callable[[simpy.Event], None]:
        def start(_: simpy.Event) -> None:
            src, dst, size_bytes, _start_s = specs[index]
            started[index] = network.transfer(src, dst, size_bytes)

        return start

    for index, (_, _, _, start_s) in enumerate(specs):
        env.timeout(start_s).callbacks.append(starter(index))
    env.run()
    return [math.nan if t is None or t.failed else t.end_s for t in started]


def _check(index: int, spec: TransferSpec, topology: Topology) -> TransferSpec:
    """``spec`` checked (its numbers as Python int and float), naming transfer ``index``."""
    try:
        src, dst, size_bytes, start_s = spec
    except (TypeError, ValueError):
        raise ValueError(
            f"transfer {index}: {spec!r} is not (src, dst, size_bytes, start_s)"
        ) from None
    try:
        size = integer(size_bytes, "size_bytes", minimum=0)
        start = number(start_s, "start_s", minimum=0)
    except (TypeError, ValueError) as error:
        raise ValueError(f"transfer {index}: {error}") from None
    try:
        topology.route(src, dst)
    except ValueError as error:
        raise ValueError(f"transfer {index}: {error}") from None
    return src, dst, size, start
