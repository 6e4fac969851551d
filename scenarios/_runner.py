"""Run a scenario file as ``netsim run`` does, then hand its results to the file's own report: a
helper module, not a scenario."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

import netsim


def run_scenario_file(
    path: str, argv: Sequence[str], full: netsim.Scenario, quick: netsim.Scenario
) -> tuple[int, netsim.Scenario, netsim.Results | None]:
    """``netsim run path *argv``: its exit status, the scenario it ran (``quick`` with
    ``--quick``, else ``full``), and that run's results (in ``--out`` or ``runs/NAME``), None if
    it failed."""
    from netsim.cli import main as netsim_main

    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out")
    options, _ = parser.parse_known_args(argv)
    scenario = quick if options.quick else full
    status = netsim_main(["run", path, *argv])
    if status:
        return status, scenario, None
    return status, scenario, netsim.Results(options.out or Path("runs") / scenario.name)


def run_and_report(
    path: str,
    argv: Sequence[str],
    full: tuple[netsim.Scenario, pd.DataFrame],
    quick: tuple[netsim.Scenario, pd.DataFrame],
    report: Callable[[Path, pd.DataFrame], list[Path]],
) -> int:
    """``netsim run path *argv`` on the full or (``--quick``) the quick form, each a scenario and
    its points table; then ``report(run directory, points)``, printing every file it wrote. The
    run's exit status."""
    status, ran, results = run_scenario_file(path, argv, full[0], quick[0])
    if results is not None:
        points = quick[1] if ran is quick[0] else full[1]
        for written in report(Path(results.directory), points):
            print(f"report:  {written.resolve()}")
    return status
