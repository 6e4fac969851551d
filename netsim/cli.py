"""The ``netsim`` command: run a scenario, list what is available, run the benchmark."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from algorithms import ALGORITHMS
from netsim.catalog import load_scenario, scenario_names
from netsim.network import MODELS
from netsim.runner import run


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="netsim", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run_parser = commands.add_parser("run", help="run a scenario file or named scenario")
    run_parser.add_argument("scenario", help="a scenario file, or the name of one in scenarios/")
    run_parser.add_argument("--trials", type=_positive, help="trials per variant")
    run_parser.add_argument("--episodes", type=_positive, help="episodes per trial")
    run_parser.add_argument("--seed", type=_non_negative, help="the scenario's seed")
    run_parser.add_argument("--out", help="results directory (default runs/SCENARIO)")
    run_parser.add_argument("--workers", type=_positive, help="worker processes (default: cores)")

    commands.add_parser("list", help="list algorithms, network models and scenarios")

    bench_parser = commands.add_parser(
        "bench",
        help="time the simulator against bare loops (learning), or the fair model's scaling "
        "(network)",
    )
    bench_parser.add_argument(
        "suite", nargs="?", choices=("learning", "network"), default="learning"
    )
    bench_parser.add_argument("--episodes", type=_positive, default=200, help="learning only")
    bench_parser.add_argument("--agents", type=_positive, default=50, help="learning only")
    bench_parser.add_argument("--repeats", type=_positive, default=3)

    args = parser.parse_args(argv)
    try:
        if args.command == "run":
            return _run(args)
        if args.command == "list":
            return _list()
        if args.suite == "network":
            from netsim.bench_network import main as bench_network

            return bench_network(repeats=args.repeats)
        from netsim.bench import main as bench

        return bench(args.episodes, args.agents, args.repeats)
    except (ValueError, FileExistsError, FileNotFoundError) as error:
        print(f"netsim: error: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario).with_overrides(
        trials=args.trials, episodes=args.episodes, seed=args.seed
    )
    print(
        f"{scenario.name}: {len(scenario.variants)} variants x {scenario.trials} trials "
        f"x {scenario.episodes} episodes"
    )
    results = run(scenario, args.out, workers=args.workers)
    print(f"results: {results.directory.resolve()}")
    for plot in sorted((results.directory / "plots").glob("*.png")):
        print(f"plot:    {plot.resolve()}")
    return 0


def _list() -> int:
    print("algorithms:")
    for name in ALGORITHMS.names():
        print(f"  {name:<20} {ALGORITHMS[name].summary}")
    print("network models:")
    for name, model in sorted(MODELS.items()):
        print(f"  {name:<20} {(model.__doc__ or '').strip().splitlines()[0]}")
    print("topologies:")
    print("  star                 netsim.star(n_agents, bandwidth_bps, latency_s, router=...)")
    print("  any networkx graph   nodes with role learner/agent/router; edges with")
    print("                       bandwidth_bps and latency_s")
    print("scenarios:")
    for name in scenario_names():
        print(f"  {name}")
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} must be at least 0")
    return value


if __name__ == "__main__":
    sys.exit(main())
