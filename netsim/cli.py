"""The ``netsim`` command: run (or resume) a scenario or sweep, plot, compare or verify stored
results, list what is available, run the benchmark.

Every fault a user can meet ends in one line on stderr, ``netsim: error: ...``, naming the file,
directory or trial and what to do, and an exit status: 2 for input the command refuses, 1 for a
fault met while working (a full disk, a directory another run is writing, a worker process
killed, a damaged run), 130 for Ctrl-C. Warnings (a lock taken over, a damaged part moved aside)
are one line each, ``netsim: warning: ...``."""

from __future__ import annotations

import argparse
import dataclasses
import errno
import inspect
import re
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from algorithms import ALGORITHMS
from netsim.bench import SUITES as BENCH_SUITES
from netsim.builders import TOPOLOGIES
from netsim.catalog import find_scenario, load_scenario, load_script, scenario_names
from netsim.executors import EXECUTORS, WorkerLost
from netsim.lock import RunLocked
from netsim.network import MODELS
from netsim.patterns import PATTERNS
from netsim.patterns.gossip import COMMUNICATION_GRAPHS, MIXING
from netsim.results import Results
from netsim.runner import run
from netsim.store import DamagedRun, RunStore


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="netsim", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run_parser = commands.add_parser(
        "run",
        aliases=["sweep"],
        help="run a scenario or sweep (a .py or .toml file, or the name of one in scenarios/)",
        description="Run every unfinished trial; rerun the same command to resume an interrupted run.",
    )
    run_parser.add_argument("scenario", help="a scenario or sweep file, or a name in scenarios/")
    run_parser.add_argument("--trials", type=_positive, help="trials per variant")
    run_parser.add_argument("--episodes", type=_positive, help="episodes per trial")
    run_parser.add_argument("--seed", type=_non_negative, help="the scenario's seed")
    run_parser.add_argument("--out", help="results directory (default runs/SCENARIO)")
    run_parser.add_argument("--backend", choices=list(EXECUTORS), default="processes")
    run_parser.add_argument(
        "--workers", type=_positive, help="worker processes, or local Ray CPUs (default: cores)"
    )
    run_parser.add_argument("--address", help="the Ray cluster to use (--backend ray), e.g. auto")
    run_parser.add_argument(
        "--rollout-workers",
        type=_positive,
        default=1,
        help="threads (MuJoCo Ant's) or processes each trial spreads its batches of episodes "
        "over (default 1); changes no result",
    )
    run_parser.add_argument(
        "--quick", action="store_true", help="the scenario's smoke-sized form (its QUICK)"
    )
    run_parser.add_argument(
        "--force",
        action="store_true",
        help="run even if the run's estimated memory exceeds what the machine has available",
    )
    run_parser.add_argument(
        "--reuse",
        action="append",
        metavar="DIR",
        help="copy the trials another run directory finished with the same variant, episodes and "
        "seed instead of running them (repeatable)",
    )
    run_parser.add_argument(
        "--stop-starting-after",
        type=_duration,
        metavar="DURATION",
        help="start no trial after this much wall time, e.g. 2h30m, 45m, 90s; running trials "
        "finish and are stored, and the same command resumes",
    )

    plot_parser = commands.add_parser("plot", help="draw the plots of a results directory")
    plot_parser.add_argument("directory", help="a results directory (finished or not)")
    plot_parser.add_argument(
        "--estimator",
        help="what each curve's line and band show across trials: mean-ci (the default: the mean "
        "and its 95%% bootstrap confidence interval), median-iqr (the median and the 25th-75th "
        "percentile) or mean-p10-p90 (the mean and the 10th-90th percentile, as the report)",
    )

    status_parser = commands.add_parser(
        "status",
        help="how far a run directory has got: trials finished per variant, what a trial took, "
        "the computing left, and the trials an interrupted run left under way",
    )
    status_parser.add_argument("directory", help="a results directory (finished or not)")

    verify_parser = commands.add_parser(
        "verify",
        help="check every part of a run directory against its record; exit 0 if whole, 1 saying "
        "what is wrong",
    )
    verify_parser.add_argument("directory", help="a results directory (finished or not)")

    compare_parser = commands.add_parser(
        "compare",
        help="compare the variants of a results directory over windows of episodes, and trial "
        "by trial against a baseline",
    )
    compare_parser.add_argument("directory", help="a results directory (finished or not)")
    compare_parser.add_argument(
        "--windows",
        type=_windows,
        help="episode windows, e.g. 0-9,10-49,50-199 (default: the run's episodes in quarters)",
    )
    compare_parser.add_argument("--baseline", help="the variant to pair every other one against")
    compare_parser.add_argument(
        "--from-episode",
        type=_non_negative,
        default=0,
        help="paired comparison (and --rise) from this episode",
    )
    compare_parser.add_argument(
        "--rise",
        type=_non_negative_float,
        help="also each variant's frequency in rounds where a trial's reward rose by more than "
        "RISE over the last --lag episodes, against rounds where it was flat (within --flat)",
    )
    compare_parser.add_argument(
        "--lag", type=_positive, help="--rise: episodes the rise is taken over (default 10)"
    )
    compare_parser.add_argument(
        "--flat",
        type=_non_negative_float,
        help="--rise: a flat round's largest change (default 1)",
    )

    commands.add_parser(
        "list", help="list algorithms, network models, environments, topologies and scenarios"
    )

    bench_parser = commands.add_parser(
        "bench",
        help="the benchmark suite: the simulator against bare and naive loops (learning), each "
        "network model's cost per event (network), a trial at 100 to 10,000 agents (scale), or all "
        "three; "
        "or MuJoCo Ant's rollouts (rollout), or an Ant-v5 step against the raw physics (ant)",
    )
    bench_parser.add_argument("suite", nargs="?", choices=BENCH_SUITES, default="all")
    bench_parser.add_argument("--repeats", type=_positive, help="timed runs of each contender")
    bench_parser.add_argument(
        "--agents",
        type=_positive,
        help="learning: n (default 50); rollout: n (default 12); ant: n (default 50)",
    )
    bench_parser.add_argument(
        "--episodes", type=_positive, help="learning: timed episodes (default 10)"
    )
    bench_parser.add_argument(
        "--warmup", type=_non_negative, help="learning: untimed training episodes (default 100)"
    )
    bench_parser.add_argument(
        "--sizes", type=_sizes, help="scale: agent counts, e.g. 100,1000,10000 (the default)"
    )
    bench_parser.add_argument("--rounds", type=_positive, help="scale: rounds (default 10)")

    args = parser.parse_args(argv)
    if args.command == "compare" and args.rise is None:
        alone = [flag for flag in ("lag", "flat") if getattr(args, flag) is not None]
        if alone:
            parser.error(f"--{' and --'.join(alone)} only apply with --rise")
    with warnings.catch_warnings():
        warnings.showwarning = _warn
        try:
            return _command(args)
        except KeyboardInterrupt:
            stored = " (the trials finished so far are stored)" if args.command != "bench" else ""
            print(f"netsim: interrupted{stored}", file=sys.stderr)
            return 130
        except (RunLocked, DamagedRun, WorkerLost) as error:
            print(f"netsim: error: {error}", file=sys.stderr)
            return 1
        except OSError as error:
            if error.errno is None:  # raised by netsim with its own message
                print(f"netsim: error: {error.args[0]}", file=sys.stderr)
                return 2
            print(f"netsim: error: {_os_fault(error)}", file=sys.stderr)
            return 1
        except (ValueError, KeyError) as error:
            print(f"netsim: error: {error.args[0]}", file=sys.stderr)
            return 2


def _command(args: argparse.Namespace) -> int:
    if args.command in ("run", "sweep"):
        return _run(args)
    if args.command == "plot":
        return _plot(Results(args.directory), args.estimator)
    if args.command == "compare":
        return _compare(args)
    if args.command == "status":
        return _status(Results(args.directory))
    if args.command == "verify":
        return _verify(args.directory)
    if args.command == "list":
        return _list()
    return _bench(args)


def _warn(message: Warning | str, *_: object, **__: object) -> None:
    print(f"netsim: warning: {message}", file=sys.stderr)


def _os_fault(error: OSError) -> str:
    """What went wrong with the file system, naming the path, and what to do."""
    path = error.filename if error.filename is not None else "a file"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"no space left on the device (or quota) writing {path}; free some space and run the "
            "same command again: the trials finished so far are stored"
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied: {path}; choose a directory you may write (--out), or fix it"
    if error.errno == errno.EROFS:
        return f"{path} is on a read-only file system; choose another directory (--out)"
    if error.errno == errno.ENOTDIR:
        return f"{path}: part of this path is a file, not a directory; choose another path"
    if error.errno == errno.EEXIST:
        return f"{path} exists and is not a directory; choose another path"
    return f"{error.strerror or error}: {path}"


def _bench(args: argparse.Namespace) -> int:
    from netsim.bench import main as bench

    given = {
        "learning": {"n_agents": args.agents, "episodes": args.episodes, "warmup": args.warmup},
        "network": {},
        "scale": {"sizes": args.sizes, "rounds": args.rounds},
        "rollout": {"n_agents": args.agents},
        "ant": {"n_agents": args.agents},
    }
    options = {
        suite: {
            name: value
            for name, value in {**settings, "repeats": args.repeats}.items()
            if value is not None
        }
        for suite, settings in given.items()
    }
    return bench(args.suite, options)


def _run(args: argparse.Namespace) -> int:
    script = load_script(args.scenario)
    if script is not None:
        return script(_script_arguments(args))
    scenario = load_scenario(args.scenario, quick=args.quick).with_overrides(
        trials=args.trials, episodes=args.episodes, seed=args.seed
    )
    print(
        f"{scenario.name}: {len(scenario.variants)} variants x {scenario.trials} trials "
        f"x {scenario.episodes} episodes"
    )
    results = run(
        scenario,
        args.out,
        backend=args.backend,
        workers=args.workers,
        address=args.address,
        plots=False,
        reuse=args.reuse or (),
        stop_starting_after_s=args.stop_starting_after,
        rollout_workers=args.rollout_workers,
        force=args.force,
    )
    print(f"results: {results.directory.resolve()}")
    if not results.complete and args.stop_starting_after is not None:
        print(
            f"stopped starting trials after {args.stop_starting_after:g} s; "
            "run the same command again to go on"
        )
    return _plot(results)


def _script_arguments(args: argparse.Namespace) -> list[str]:
    """The ``run`` options given on the command line, as arguments for a script scenario (which
    refuses those it does not take)."""
    given = {
        name: value
        for name, value in vars(args).items()
        if name not in ("command", "scenario") and value not in (None, False)
    }
    if given.get("backend") == "processes":
        del given["backend"]  # the default, not asked for
    if given.get("rollout_workers") == 1:
        del given["rollout_workers"]  # likewise
    arguments: list[str] = []
    for name, value in given.items():
        flag = "--" + name.replace("_", "-")
        if value is True:
            arguments.append(flag)
        else:
            for each in value if isinstance(value, list) else [value]:
                arguments += [flag, str(each)]
    return arguments


def _plot(results: Results, estimator: str | None = None) -> int:
    _say_if_unfinished(results, "plotting")
    for plot in results.plot(estimator=estimator):
        print(f"plot:    {plot.resolve()}")
    return 0


def _say_if_unfinished(results: Results, doing: str) -> None:
    if not results.complete:
        print(f"{results.directory}: not every trial has finished; {doing} those that have")


def _verify(directory: str) -> int:
    store = RunStore(directory)
    problems = store.verify()
    finished, trials = len(store.finished()), len(store.units())
    for problem in problems:
        print(f"{Path(directory) / problem}")
    if problems:
        print(
            f"{directory}: {len(problems)} problem(s); running the same command again moves damaged "
            "parts to damaged/ and computes their trials again"
        )
        return 1
    print(f"{directory}: whole ({finished} of {trials} trials finished, each matching its record)")
    return 0


def _status(results: Results) -> int:
    damaged = results.store.problems()
    if damaged:
        print(f"{results.directory}: damaged parts, computed again when the run goes on:")
        for part, problem in damaged.items():
            print(f"  {part}: {problem}")
    under_way = results.under_way()
    progress = results.progress(under_way)
    finished, trials = progress["finished"].sum(), progress["trials"].sum()
    print(f"{results.directory}: {finished} of {trials} trials finished")
    shown = progress[["variant", "finished", "trials"]].assign(
        minutes_per_trial=progress["wall_s_per_trial"] / 60,
        minutes_left=progress["remaining_wall_s"] / 60,
    )
    print(shown.to_string(index=False, float_format=lambda value: f"{value:.1f}"))
    hours = progress["remaining_wall_s"].sum(skipna=False) / 3600
    if finished < trials and np.isnan(hours):
        print("left: unknown (no finished trial recorded what it took)")
    elif finished < trials:
        print(
            f"left: about {hours:.1f} h of trial time (one core each), from the finished trials' "
            "wall times less what the journals hold; divide by the workers that run it"
        )
    if len(under_way):
        print("under way (batches kept in their rollout journals, replayed when run again):")
        shown = under_way[["variant", "trial", "batches_kept"]].assign(
            minutes_kept=under_way["wall_s_kept"] / 60
        )
        print(shown.to_string(index=False, float_format=lambda value: f"{value:.1f}"))
    return 0


def _compare(args: argparse.Namespace) -> int:
    from analysis import frequency_against_rise, paired_comparison, window_means
    from analysis.compare import FLAT_CHANGE, RISE_LAG

    results = Results(args.directory)
    _say_if_unfinished(results, "comparing")
    table = results.to_pandas()
    edges = np.linspace(0, table["episode"].max() + 1, 5).astype(int)
    quarters = [(int(a), int(b) - 1) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]
    windows = window_means(table, args.windows or quarters)
    print(windows.round(4).to_string(index=False))
    if args.baseline is not None:
        print(f"\npaired by trial against {args.baseline!r}, episodes {args.from_episode} on:")
        paired = paired_comparison(table, args.baseline, args.from_episode)
        print(paired.to_string(index=False, float_format=lambda value: f"{value:.3g}"))
    if args.rise is not None:
        lag = RISE_LAG if args.lag is None else args.lag
        flat = FLAT_CHANGE if args.flat is None else args.flat
        print(
            f"\nfrequency where a trial's reward rose by > {args.rise:g} over the last {lag} "
            f"episodes, and where it was flat (within {flat:g}), episodes "
            f"{max(lag, args.from_episode)} on:"
        )
        tracking = frequency_against_rise(
            table, lag=lag, rise=args.rise, flat=flat, from_episode=args.from_episode
        )
        print(tracking.round(3).to_string(index=False))
    return 0


def _list() -> int:
    print("algorithms (sides: central, peers):")
    for name in ALGORITHMS.names():
        algorithm = ALGORITHMS[name]
        print(f"  {name:<20} {algorithm.summary} [{', '.join(algorithm.sides)}]")
    print("communication patterns (pattern = { name = NAME, ... }):")
    for name, pattern in PATTERNS.items():
        fields = ", ".join(
            f"{field.name}={field.default!r}" for field in dataclasses.fields(pattern.settings_type)
        )
        print(f"  {name:<20} {pattern.side} side; {pattern.settings_type.__name__}({fields})")
    print(f"  communication graphs (gossip): {', '.join(COMMUNICATION_GRAPHS)}")
    print(f"  mixing rules (gossip): {', '.join(MIXING)}")
    print("network models:")
    for name, model in sorted(MODELS.items()):
        print(f"  {name:<20} {(model.__doc__ or '').strip().splitlines()[0]}")
    print("environments:")
    for env_id in environments():
        print(f"  {env_id}")
    print("topologies (config files: topology = { builder = NAME, ... }):")
    for name, builder in TOPOLOGIES.items():
        signature = inspect.signature(builder).replace(return_annotation=inspect.Signature.empty)
        print(f"  {name}{signature}".replace("'", ""))
    print("  or any networkx graph: nodes with role learner/agent/router; edges with")
    print("  bandwidth_bps and latency_s, optional loss and outages [(start_s, end_s), ...]")
    print("scenarios:")
    for name in scenario_names():
        print(f"  {name:<20} {find_scenario(name)}")
    return 0


def environments() -> list[str]:
    """The Gymnasium ids netsim is built and tested for, and every registered ``netsim/`` one."""
    import gymnasium as gym

    return [
        "CartPole-v1",
        *sorted(env_id for env_id in gym.registry if env_id.startswith("netsim/")),
    ]


def _windows(text: str) -> tuple[tuple[int, int], ...]:
    try:
        return tuple(
            (int(first), int(last)) for first, last in (part.split("-") for part in text.split(","))
        )
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give windows as FIRST-LAST episode pairs, e.g. 0-9,10-49"
        ) from None


def _sizes(text: str) -> tuple[int, ...]:
    sizes = tuple(_positive(part) for part in text.split(","))
    if len(sizes) < 2:
        raise argparse.ArgumentTypeError(f"{text!r}: give at least two sizes, e.g. 100,1000")
    return sizes


_DURATION = re.compile(
    r"(?:(?P<h>\d+(?:\.\d*)?)h)?(?:(?P<m>\d+(?:\.\d*)?)m)?(?:(?P<s>\d+(?:\.\d*)?)s?)?"
)


def _duration(text: str) -> float:
    """Seconds in ``2h30m``, ``45m``, ``90s`` or ``90``."""
    match = _DURATION.fullmatch(text.strip())
    if not text.strip() or match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration such as 2h30m, 45m or 90s")
    hours, minutes, seconds = (float(match[part] or 0) for part in "hms")
    total = 3600 * hours + 60 * minutes + seconds
    if total <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: the duration must be positive")
    return total


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


def _non_negative_float(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{value} must be a number at least 0")
    return value


if __name__ == "__main__":
    sys.exit(main())
