"""``netsim bench filling``: the fair model's progressive filling, exact against vectorised
(``fair`` against ``fair-vectorised``, :mod:`netsim.network.filling`), on one large component.

A broadcast of :data:`PAYLOAD_BYTES` from the learner to n agents behind one edge router (access
links log-normal around 10 Mbit/s, a 1 Gbit/s backhaul that every flow shares): once the
latencies are paid, the n flows are one component. Timed side by side, interleaved, best of
``repeats``:

* **filling**, at each n of ``sizes``: one progressive filling of that component (every latency
  6 ms, so the flows join at one instant and are filled once to set up), exact
  (``MaxMinSharing._max_min``) against vectorised; the bench checks they agree to a relative
  1e-9;
* **broadcast**, at the smallest n: the whole broadcast under ``fair`` and ``fair-vectorised``
  (access latencies 1-20 ms, so every join and every end reallocates the component), checked to
  end at the same instant to 1e-9.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np
import simpy

from netsim.bench.network import broadcast
from netsim.bench.timing import best_of, heterogeneous_two_tier
from netsim.builders import two_tier
from netsim.network import MaxMinSharing, Network
from netsim.topology import Topology

PAYLOAD_BYTES = 100_000
AGREEMENT = 1e-9
"""The largest relative difference between the exact and the vectorised values the bench accepts."""


def joined(n_agents: int) -> tuple[MaxMinSharing, list, list, dict]:
    """A ``fair`` model with the broadcast's n flows all joined, and their component: links,
    flows, usage (as :meth:`MaxMinSharing._component` gives them)."""
    graph = two_tier(
        n_agents,
        1,
        access_bandwidth_bps={"distribution": "lognorm", "s": 0.5, "scale": 10e6},
        backhaul_bandwidth_bps=1e9,
        access_latency_s=0.001,
        backhaul_latency_s=0.005,
        seed=0,
    )
    topology = Topology(graph)
    env = simpy.Environment()
    network = Network(env, topology, "fair")
    for agent in topology.agents:
        network.transfer(topology.learner, agent, PAYLOAD_BYTES)
    env.run(until=0.007)  # every flow joined at 6 ms and filled once, none near its end
    model = network.model
    assert isinstance(model, MaxMinSharing)
    backhaul = topology.route(topology.learner, topology.agents[0])[0]
    return (model, *model._component({backhaul: None}))


def _exact(model: MaxMinSharing, links: list, flows: list, usage: dict) -> dict:
    """The exact filling of the component, from a copy of its usage (the filling spends it)."""
    return model._max_min(links, flows, dict(usage))


def _agree(exact: dict, vectorised: dict, what: str) -> None:
    """Raise unless the two fillings' values agree to :data:`AGREEMENT`."""
    ours, theirs = np.array(list(exact.values())), np.array([vectorised[f] for f in exact])
    if not np.allclose(ours, theirs, rtol=AGREEMENT, atol=0.0):
        raise RuntimeError(f"{what}: the vectorised filling's values differ from the exact ones")


def main(sizes: Sequence[int] = (1_000, 10_000), repeats: int = 3) -> dict[str, float]:
    """Print the exact and vectorised fillings' costs per size, and the whole broadcast's at the
    smallest; return the ratios by name."""
    contenders: dict[tuple[str, int | str], Callable[[], Any]] = {}
    for n_agents in sizes:
        model, links, flows, usage = joined(n_agents)
        contenders[("exact", n_agents)] = partial(_exact, model, links, flows, usage)
        contenders[("vectorised", n_agents)] = partial(model._max_min_vectorised, links, flows)
    small = Topology(heterogeneous_two_tier(min(sizes), min(sizes), seed=0))
    contenders[("fair", "broadcast")] = partial(broadcast, small, "fair")
    contenders[("fair-vectorised", "broadcast")] = partial(broadcast, small, "fair-vectorised")
    best = best_of(contenders, repeats, desc="bench filling")
    print(
        f"filling: one component of n concurrent transfers (a broadcast behind one shared "
        f"backhaul), best of {repeats}"
    )
    ratios = {}
    for n_agents in sizes:
        (exact_s, exact), (vectorised_s, vectorised) = (
            best[("exact", n_agents)],
            best[("vectorised", n_agents)],
        )
        _agree(exact, vectorised, f"n = {n_agents}")
        ratios[f"filling: vectorised / exact n={n_agents}"] = vectorised_s / exact_s
        print(
            f"  n = {n_agents:>6,}: one filling, exact {exact_s * 1e3:8.2f} ms, vectorised "
            f"{vectorised_s * 1e3:8.2f} ms: {vectorised_s / exact_s:.2f}x"
        )
    (fair_s, fair_end), (fast_s, fast_end) = (
        best[("fair", "broadcast")],
        best[("fair-vectorised", "broadcast")],
    )
    if not np.isclose(fair_end, fast_end, rtol=AGREEMENT, atol=0.0):
        raise RuntimeError("fair and fair-vectorised end the broadcast at different instants")
    ratios[f"broadcast: fair-vectorised / fair n={min(sizes)}"] = fast_s / fair_s
    print(
        f"  whole broadcast to {min(sizes):,} agents: fair {fair_s:.2f} s, fair-vectorised "
        f"{fast_s:.2f} s: {fast_s / fair_s:.2f}x"
    )
    return ratios
