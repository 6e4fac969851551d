"""The ``netsim`` command: run (or resume) a scenario or sweep, plot, compare or verify stored
results, list what is available, run the benchmark.

Every fault a user can meet ends in one line on stderr, ``netsim: error: ...``, naming the file,
directory or trial and what to do, and an exit status: 2 for input the command refuses, 1 for a
fault met while working (a full disk, a directory another run is writing, a worker process
killed, a damaged run), 130 for Ctrl-C, which during a run says in two lines how many trials are
stored where and the command that goes on from them. Warnings (a lock taken over, a damaged part
moved aside) are one line each, ``netsim: warning: ...``."""

from __future__ import annotations

import argparse
import errno
import re
import shlex
import sys
import warnings
from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from netsim.bench import SUITES as BENCH_SUITES
from netsim.executors import EXECUTORS

if TYPE_CHECKING:
    import pandas as pd

    from netsim.results import Results

# Each command imports what it works with when it runs (PyTorch, pandas, Matplotlib, SciPy take
# seconds to load), so that ``netsim --help`` and ``netsim list`` answer at once.

Command = Callable[[argparse.Namespace], int]
Windows = tuple[tuple[float, float], ...]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); the exit status (module
    docstring)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "compare" and args.rise is None:
        alone = [flag for flag in ("lag", "flat") if getattr(args, flag) is not None]
        if alone:
            parser.error(f"--{' and --'.join(alone)} only apply with --rise")
    with warnings.catch_warnings():
        warnings.showwarning = _warn
        try:
            return _command(args)
        except KeyboardInterrupt as interrupt:
            print(_interrupted(interrupt, args.command, argv), file=sys.stderr)
            return 130
        except Exception as error:
            explained = _explained(error)
            if explained is None:
                raise
            status, message = explained
            print(f"netsim: error: {message}", file=sys.stderr)
            return status


def _command(args: argparse.Namespace) -> int:
    """Run the command ``args`` were parsed for (each subparser sets its ``handler``)."""
    handler: Command = args.handler
    return handler(args)


def _interrupted(interrupt: KeyboardInterrupt, command: str, argv: list[str]) -> str:
    """What Ctrl-C left, in one or two lines: for a run, what is stored and the command that
    goes on from there."""
    if command not in ("run", "sweep"):
        return "netsim: interrupted"
    from netsim.runner import Interrupted

    kept = (
        str(interrupt)
        if isinstance(interrupt, Interrupted)
        else "the trials finished so far are stored"
    )
    return f"netsim: interrupted; {kept}\nnetsim: to go on, run: netsim {shlex.join(argv)}"


def _explained(error: Exception) -> tuple[int, str] | None:
    """The exit status and one-line message of a fault netsim explains to a user; None for one
    it does not (a bug, shown with its traceback)."""
    from netsim.executors import WorkerLost
    from netsim.lock import RunLocked
    from netsim.store import DamagedRun

    if isinstance(error, RunLocked | DamagedRun | WorkerLost):
        return 1, str(error)
    if isinstance(error, OSError):
        if error.errno is None:  # raised by netsim with its own message
            return 2, str(error.args[0])
        return 1, _os_fault(error)
    if isinstance(error, ValueError | KeyError):
        return 2, str(error.args[0])
    return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="netsim", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for add in (_add_run, _add_plot, _add_status, _add_verify, _add_compare, _add_list, _add_bench):
        add(commands)
    return parser


def _add_run(commands: argparse._SubParsersAction) -> None:
    run_parser = commands.add_parser(
        "run",
        aliases=["sweep"],
        help="run a scenario or sweep (a .py or .toml file, or the name of one in scenarios/)",
        description="Run every unfinished trial; rerun the same command to resume an interrupted run.",
    )
    run_parser.set_defaults(handler=_run)
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


def _add_plot(commands: argparse._SubParsersAction) -> None:
    plot_parser = commands.add_parser("plot", help="draw the plots of a results directory")
    plot_parser.set_defaults(handler=lambda args: _plot(_results(args.directory), args.estimator))
    plot_parser.add_argument("directory", help="a results directory (finished or not)")
    plot_parser.add_argument(
        "--estimator",
        help="what each curve's line and band show across trials: mean-ci (the default: the mean "
        "and its 95%% bootstrap confidence interval), median-iqr (the median and the 25th-75th "
        "percentile) or mean-p10-p90 (the mean and the 10th-90th percentile, as the report)",
    )


def _add_status(commands: argparse._SubParsersAction) -> None:
    status_parser = commands.add_parser(
        "status",
        help="how far a run directory has got: trials finished per variant, what a trial took, "
        "the computing left, and the trials an interrupted run left under way",
    )
    status_parser.set_defaults(handler=lambda args: _status(_results(args.directory)))
    status_parser.add_argument("directory", help="a results directory (finished or not)")


def _add_verify(commands: argparse._SubParsersAction) -> None:
    verify_parser = commands.add_parser(
        "verify",
        help="check every part of a run directory against its record; exit 0 if whole, 1 saying "
        "what is wrong",
    )
    verify_parser.set_defaults(handler=lambda args: _verify(args.directory))
    verify_parser.add_argument("directory", help="a results directory (finished or not)")


def _add_compare(commands: argparse._SubParsersAction) -> None:
    compare_parser = commands.add_parser(
        "compare",
        help="compare the variants of a results directory over windows of episodes or of "
        "simulated time, and trial by trial against a baseline",
    )
    compare_parser.set_defaults(handler=_compare)
    compare_parser.add_argument("directory", help="a results directory (finished or not)")
    compare_parser.add_argument(
        "--by",
        choices=["episode", "time"],
        default="episode",
        help="window the run by episode (the default) or by simulated seconds: a round counts "
        "in the window its learner's round ended in",
    )
    compare_parser.add_argument(
        "--windows",
        type=_windows,
        help="episode windows, e.g. 0-9,10-49,50-199 (inclusive), or with --by time seconds, "
        "e.g. 0-30,30-120 (after FIRST, up to LAST) (default: the run in quarters)",
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


def _add_list(commands: argparse._SubParsersAction) -> None:
    list_parser = commands.add_parser(
        "list", help="list algorithms, network models, environments, topologies and scenarios"
    )
    list_parser.set_defaults(handler=lambda args: _list(args.imported))
    list_parser.add_argument(
        "--from",
        dest="imported",
        nargs="+",
        type=Path,
        default=[],
        metavar="FILE",
        help="import these Python files first, and list the algorithms, network models and "
        "patterns they register too",
    )


def _add_bench(commands: argparse._SubParsersAction) -> None:
    bench_parser = commands.add_parser(
        "bench",
        help="the benchmark suite: the simulator against bare and naive loops (learning), each "
        "network model's cost per event (network), a trial at 100 to 10,000 agents (scale), or all "
        "three; "
        "or the fair model's filling, exact against vectorised (filling), "
        "or MuJoCo Ant's rollouts (rollout), or an Ant-v5 step against the raw physics (ant)",
    )
    bench_parser.set_defaults(handler=_bench)
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
        "--sizes",
        type=_sizes,
        help="scale: agent counts, e.g. 100,1000,10000 (the default); filling: concurrent "
        "transfers (default 1000,10000)",
    )
    bench_parser.add_argument("--rounds", type=_positive, help="scale: rounds (default 10)")
    bench_parser.add_argument(
        "--record",
        type=Path,
        metavar="FILE",
        help="also keep the run (ratios, goals, what it printed, the machine and commit) in FILE "
        "as JSON; docs/data/benchmarks/SUITE.json is what docs/benchmarks.md is written from "
        "(python scripts/benchmarks_page.py)",
    )


def _results(directory: str) -> Results:
    from netsim.results import Results

    return Results(directory)


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
        "filling": {"sizes": args.sizes},
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
    return bench(args.suite, options, args.record)


def _run(args: argparse.Namespace) -> int:
    from netsim.catalog import load_report, load_scenario, load_script
    from netsim.runner import run

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
    _plot(results)
    report = load_report(args.scenario)
    if report is not None and results.store.finished():
        report(results, args.quick)
    return 0


def _script_arguments(args: argparse.Namespace) -> list[str]:
    """The ``run`` options given on the command line, as arguments for a script scenario (which
    refuses those it does not take)."""
    given = {
        name: value
        for name, value in vars(args).items()
        if name not in ("command", "handler", "scenario") and value not in (None, False)
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
    if not results.store.finished():
        print(f"{results.directory}: no trial has finished yet; nothing to plot")
        return 0
    _say_if_unfinished(results, "plotting")
    for plot in results.plot(estimator=estimator):
        print(f"plot:    {plot.resolve()}")
    return 0


def _say_if_unfinished(results: Results, doing: str) -> None:
    if not results.complete:
        print(f"{results.directory}: not every trial has finished; {doing} those that have")


def _verify(directory: str) -> int:
    from netsim.store import RunStore

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
        per_trial=progress["wall_s_per_trial"].map(_spell_seconds),
        left=progress["remaining_wall_s"].map(_spell_seconds),
    )
    print(shown.to_string(index=False))
    print(_left(progress["remaining_wall_s"].sum(skipna=False), finished, trials))
    if len(under_way):
        print("under way (batches kept in their rollout journals, replayed when run again):")
        shown = under_way[["variant", "trial", "batches_kept"]].assign(
            computed=under_way["wall_s_kept"].map(_spell_seconds)
        )
        print(shown.to_string(index=False))
    return 0


def _left(remaining_s: float, finished: int, trials: int) -> str:
    """What is left of a run, in words: the estimate, or why there is none."""
    if finished == trials:
        return "left: nothing; every trial has finished"
    if np.isnan(remaining_s):
        return (
            f"left: {trials - finished} trials; no estimate of their time yet, as no finished "
            "trial recorded what it took (ask again once one has finished)"
        )
    return (
        f"left: about {_spell_seconds(remaining_s)} of trial time (one core each), from the "
        "finished trials' wall times less what the journals hold; divide by the workers that "
        "run it"
    )


def _spell_seconds(seconds: float) -> str:
    """``seconds`` in the unit a reader takes in at once: ``40 s``, ``12 min``, ``3.2 h``; ``-``
    when not known."""
    if np.isnan(seconds):
        return "-"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _compare(args: argparse.Namespace) -> int:
    from analysis import frequency_against_rise, paired_comparison
    from analysis.compare import FLAT_CHANGE, RISE_LAG

    results = _results(args.directory)
    _say_if_unfinished(results, "comparing")
    table = results.to_pandas()
    windows = (
        _time_windows(table, args.windows)
        if args.by == "time"
        else _episode_windows(table, args.windows)
    )
    print(windows.round(4).to_string(index=False, na_rep="-"))
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


def _episode_windows(table: pd.DataFrame, given: Windows | None) -> pd.DataFrame:
    """The window means over ``given`` episode windows, by default the run's in quarters."""
    from analysis import window_means

    if given is None:
        edges = np.linspace(0, table["episode"].max() + 1, 5).astype(int)
        return window_means(table, [(int(a), int(b) - 1) for a, b in pairwise(edges) if b > a])
    fractional = [f"{a:g}-{b:g}" for a, b in given if not (a.is_integer() and b.is_integer())]
    if fractional:
        raise ValueError(
            f"episode windows are whole numbers, not {', '.join(fractional)} (--by time takes "
            "seconds)"
        )
    return window_means(table, [(int(a), int(b)) for a, b in given])


def _time_windows(table: pd.DataFrame, given: Windows | None) -> pd.DataFrame:
    """The window means over ``given`` windows of simulated seconds, by default the time the
    run's last round ended by, in quarters."""
    from analysis import time_window_means
    from analysis.aggregate import per_trial

    if given is None:
        end_s = per_trial(table, by="policy_version")["round_end_s"].max()
        edges = np.linspace(0.0, end_s, 5)
        given = tuple((float(a), float(b)) for a, b in pairwise(edges) if b > a)
    return time_window_means(table, given)


def _list(imported: list[Path]) -> int:
    from netsim.listing import lines

    for line in lines(imported):
        print(line)
    return 0


def _windows(text: str) -> Windows:
    try:
        return tuple(
            (float(first), float(last))
            for first, last in (part.split("-") for part in text.split(","))
        )
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give windows as FIRST-LAST pairs, e.g. 0-9,10-49 (episodes) or "
            "0-2.5,2.5-10 (seconds, --by time)"
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
