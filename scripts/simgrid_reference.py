"""Reference finish times from SimGrid itself for netsim's ``cm02`` and ``lv08`` models (not run by CI).

Draws random cases (a graph, transfers, a model), times each in SimGrid and writes them with their
SimGrid configuration flags to ``tests/data/simgrid_tcp_cases.json``, which
``tests/test_network_tcp.py`` checks netsim against. Each case runs in a fresh process of
``--simgrid-python`` (an interpreter with SimGrid's ``simgrid`` package; SimGrid's engine is one
per process); this process, in netsim's environment, draws the cases and computes their routes
with :class:`netsim.Topology`, so SimGrid is given netsim's routes link for link.

A netsim edge is two directed links (full duplex); each becomes one SimGrid link of its own
(SHARED policy), and every route, both ways, is declared explicitly (not symmetrical): that is a
SimGrid split-duplex platform, where a flow's acknowledgements load the opposite direction.

    python scripts/simgrid_reference.py --simgrid-python /path/to/venv-with-simgrid/bin/python

SimGrid's Python package comes from its source distribution on PyPI (``pip install simgrid``
builds it; SimGrid 4.1 needs Boost's headers and CMake, and pybind11 2.x in the environment with
``--no-build-isolation``). If its extension does not find ``libsimgrid.so`` beside it, set
``LD_LIBRARY_PATH`` to that site-packages folder.

The same file, run by that interpreter with ``--run-one``, times one case read from stdin.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "simgrid_tcp_cases.json"
COMMON_FLAGS = ["--cfg=network/optim:Full"]
"""Full solver updates: the default (Lazy) can leave links out of a solve (SimGrid 4.1)."""
SIMGRID_MODEL = {"cm02": "CM02", "lv08": "LV08"}


def run_one(case: dict) -> list[float]:
    """Each transfer's finish time in SimGrid (run in the SimGrid interpreter only)."""
    from simgrid import Engine, LinkInRoute, Mailbox, this_actor

    engine = Engine(["reference", *case["flags"], "--log=root.thres:critical"])
    zone = engine.netzone_root.add_netzone_full("world")
    hosts = {node: zone.add_host(node, 1e9).seal() for node in case["nodes"]}
    links = {}
    for u, v, bandwidth_bps, latency_s in case["edges"]:
        for src, dst in ((u, v), (v, u)):  # SimGrid's bandwidths are bytes/s
            link = zone.add_link(f"{src}->{dst}", bandwidth_bps / 8).set_latency(latency_s).seal()
            links[(src, dst)] = link
    for path in case["routes"]:
        hops = [LinkInRoute(links[(u, v)], LinkInRoute.Direction.NONE) for u, v in pairwise(path)]
        zone.add_route(hosts[path[0]], hosts[path[-1]], hops, False)
    zone.seal()
    ends = [float("nan")] * len(case["transfers"])

    def sender(index: int, size: int, start_s: float) -> None:
        this_actor.sleep_until(start_s)
        Mailbox.by_name(f"transfer-{index}").put(index, size)

    def receiver(index: int) -> None:
        Mailbox.by_name(f"transfer-{index}").get()
        ends[index] = Engine.clock

    for index, (src, dst, size, start_s) in enumerate(case["transfers"]):
        hosts[src].add_actor(f"send-{index}", sender, index, size, start_s)
        hosts[dst].add_actor(f"receive-{index}", receiver, index)
    engine.run()
    return ends


def simgrid_flags(model: str, tcp: dict[str, float] | None) -> list[str]:
    """SimGrid's configuration for ``model`` with netsim's ``tcp`` parameters (cm02 only)."""
    flags = [f"--cfg=network/model:{SIMGRID_MODEL[model]}", *COMMON_FLAGS]
    if tcp:
        (name, value), *others = tcp.items()
        assert name == "tcp_gamma_bytes" and not others, "the cases vary TCP-gamma only"
        flags.append(f"--cfg=network/TCP-gamma:{value!r}")
    return flags


def log_uniform(rng, low: float, high: float) -> float:
    return float(10 ** rng.uniform(math.log10(low), math.log10(high)))


def latency(rng, low: float = 0.001, high: float = 0.05, zero: float = 0.2) -> float:
    return 0.0 if rng.random() < zero else round(rng.uniform(low, high), 6)


def single(rng) -> tuple[list, list]:
    """One transfer along a chain of one to four hops."""
    hops = int(rng.integers(1, 5))
    edges = [[f"n{i}", f"n{i + 1}", log_uniform(rng, 1e5, 1e9), latency(rng)] for i in range(hops)]
    return edges, [["n0", f"n{hops}", int(log_uniform(rng, 1e3, 1e8)), 0.0]]


def different_rtts(rng) -> tuple[list, list]:
    """Two to five sources with different access latencies through one bottleneck."""
    k = int(rng.integers(2, 6))
    bottleneck = log_uniform(rng, 1e6, 1e7)
    edges = [["left", "right", bottleneck, 0.005]]
    transfers = []
    for i in range(k):
        edges.append([f"s{i}", "left", 10 * bottleneck, latency(rng, 0.001, 0.08, zero=0.0)])
        edges.append(["right", f"d{i}", 10 * bottleneck, 0.001])
        transfers.append([f"s{i}", f"d{i}", int(rng.integers(50_000, 1_000_000)), 0.0])
    return edges, transfers


def window(rng) -> tuple[list, list]:
    """One or two long transfers over long fast hops, where the TCP window binds."""
    edges = [
        ["a", "b", log_uniform(rng, 1e9, 1e10), round(rng.uniform(0.02, 0.1), 6)],
        ["b", "c", log_uniform(rng, 1e9, 1e10), round(rng.uniform(0.0, 0.05), 6)],
    ]
    transfers = [["a", "c", int(log_uniform(rng, 1e7, 1e9)), 0.0]]
    if rng.random() < 0.5:
        transfers.append(["b", "c", int(log_uniform(rng, 1e7, 1e9)), float(rng.uniform(0, 0.5))])
    return edges, transfers


def late_joiners(rng) -> tuple[list, list]:
    """A random graph (a tree plus extra edges) with transfers both ways, started over 2 s."""
    n = int(rng.integers(4, 8))
    pairs = {(int(rng.integers(0, node)), node) for node in range(1, n)}
    pairs |= {tuple(sorted(map(int, rng.choice(n, 2, replace=False)))) for _ in range(2)}
    edges = [[f"n{u}", f"n{v}", log_uniform(rng, 1e5, 1e8), latency(rng)] for u, v in sorted(pairs)]
    transfers = []
    for _ in range(int(rng.integers(3, 9))):
        src, dst = rng.choice(n, 2, replace=False)
        size = int(log_uniform(rng, 1e4, 1e6))
        transfers.append([f"n{src}", f"n{dst}", size, round(float(rng.uniform(0, 2)), 6)])
    return edges, transfers


FAMILIES = {"single": single, "rtt": different_rtts, "window": window, "late": late_joiners}
CASES_PER_FAMILY = {"single": 6, "rtt": 5, "window": 4, "late": 6}
GAMMAS = [65_536.0, 1_000_000.0]
"""TCP-gamma values of the extra cm02 window cases (SimGrid's default is 4,194,304)."""


def routes(edges: list, transfers: list) -> list[list[str]]:
    """netsim's route, as node lists, for every transfer and its way back."""
    import networkx as nx

    from netsim import Topology

    graph = nx.Graph()
    for u, v, bandwidth_bps, latency_s in edges:
        graph.add_edge(u, v, bandwidth_bps=bandwidth_bps, latency_s=latency_s)
    topology = Topology(graph, roles=False)
    pairs = dict.fromkeys(pair for src, dst, _, _ in transfers for pair in ((src, dst), (dst, src)))
    return [[src, *(link.dst for link in topology.route(src, dst))] for src, dst in pairs]


def cases(seed: int) -> list[dict]:
    """The random cases drawn from ``seed``, with netsim's routes and SimGrid's flags."""
    import numpy as np

    rng = np.random.default_rng(seed)
    drawn = []
    for model in SIMGRID_MODEL:
        for family, count in CASES_PER_FAMILY.items():
            for index in range(count):
                drawn.append((f"{model} {family} {index}", model, None, *FAMILIES[family](rng)))
    for index, gamma in enumerate(GAMMAS):
        edges, transfers = window(rng)
        drawn.append(
            (f"cm02 window gamma {index}", "cm02", {"tcp_gamma_bytes": gamma}, edges, transfers)
        )
    return [
        {
            "name": name,
            "model": model,
            "tcp": tcp,
            "flags": simgrid_flags(model, tcp),
            "nodes": sorted({node for edge in edges for node in edge[:2]}),
            "edges": edges,
            "transfers": transfers,
            "routes": routes(edges, transfers),
        }
        for name, model, tcp, edges, transfers in drawn
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--simgrid-python", help="an interpreter that can import simgrid")
    parser.add_argument("--run-one", action="store_true", help="time the case on stdin")
    parser.add_argument("--seed", type=int, default=34)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    if args.run_one:
        print(json.dumps(run_one(json.load(sys.stdin))))
        return 0
    if not args.simgrid_python:
        parser.error("give --simgrid-python")
    version = subprocess.run(
        [args.simgrid_python, "-c", "import simgrid; print(simgrid.simgrid_version)"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    drawn = cases(args.seed)
    for case in drawn:
        done = subprocess.run(
            [args.simgrid_python, __file__, "--run-one"],
            input=json.dumps(case),
            check=True,
            capture_output=True,
            text=True,
        )
        case["simgrid_ends_s"] = json.loads(done.stdout.strip().splitlines()[-1])
        del case["nodes"]
        print(f"{case['name']:<24} {case['simgrid_ends_s']}")
    reference = {
        "about": "Finish times from SimGrid itself, by scripts/simgrid_reference.py",
        "simgrid_version": version,
        "seed": args.seed,
        "common_flags": COMMON_FLAGS,
        "cases": drawn,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(reference, indent=1) + "\n")
    print(f"{len(drawn)} cases written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
