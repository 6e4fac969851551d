"""Run a scenario (or a sweep: a scenario whose variants are a grid's points) into a run directory.

The units of work are every (variant, trial) pair. Each unit's tables are stored as soon as it
finishes (see :mod:`netsim.store`), so running the same scenario into the same directory again
skips the finished units and runs the rest; a directory holding another configuration's results is
refused. Trial t of every variant is seeded with ``SeedSequence(seed, spawn_key=(t,))``, so a
unit's result depends on neither the executor nor the order in which units complete.

Three things make a long study fit the time a researcher has:

* ``reuse``: a unit is a function of its variant, its episode count and its seed alone, so a
  finished unit of another run directory with the same three (as recorded in that directory's
  manifest) is copied instead of run again: a baseline shared by two figures, or a study that
  gained a variant, is computed once.
* ``stop_starting_after_s``: no unit starts once that much wall time has passed; the units
  running then finish and are stored, so a run cut into several sessions (a batch job's wall-time
  limit) loses no computation. Run the same command again to go on.
* the rollout journal: a trial's costly batches of episodes (MuJoCo Ant's) are kept in the run
  directory as they are computed (:mod:`netsim.journal`, :attr:`RunStore.journals`), so a trial
  that was killed (a session's end) replays them when it is run again, to the same result, and
  goes on from where it was; the journal is removed once the trial is stored. Workers of a Ray
  cluster (``address`` given) may not share the driver's file system, and keep none.
"""

from __future__ import annotations

import dataclasses
import json
import platform
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from tqdm import tqdm

from algorithms.checks import integer, number
from netsim.executors import WorkerLost, make_executor, refuse_while_importing_main
from netsim.journal import RolloutJournal
from netsim.memory import check_fits
from netsim.provenance import provenance
from netsim.results import Results
from netsim.scenario import Scenario
from netsim.simulation import simulate
from netsim.store import DamagedRun, RunStore, Unit, part_name, unit_of

Item = TypeVar("Item")


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped a run: ``stored`` of its ``trials`` trials are stored in ``directory``, and
    running it again goes on from there."""

    def __init__(self, directory: Path, stored: int, trials: int) -> None:
        super().__init__(f"{stored} of {trials} trials are stored in {directory}")
        self.directory, self.stored, self.trials = directory, stored, trials


def trial_seed(scenario_seed: int, trial: int) -> np.random.SeedSequence:
    """The seed of trial ``trial``: the same for every variant, executor and completion order."""
    return np.random.SeedSequence(scenario_seed, spawn_key=(trial,))


def run_trial(
    scenario: Scenario, unit: Unit, journals: Path | None = None, rollout_workers: int = 1
) -> tuple[dict[str, pd.DataFrame], dict[str, float | int | str]]:
    """The tables of one trial of one variant, by name, each labelled with variant, algorithm and
    trial in its first columns; and what computing it took: ``wall_s``, ``cpu_s`` (of the process
    that ran it; a rollout pool's worker processes are not counted), ``host``, and
    ``replayed_batches``: the batches taken from its rollout journal, ``journals``/PART (None:
    keep none; see :attr:`RunStore.journals`), whose seconds as measured when they were computed
    are counted in ``wall_s`` and ``cpu_s``. Its agents may spread their rollouts over
    ``rollout_workers`` threads or processes (:attr:`algorithms.base.Problem.rollout_workers`)."""
    _one_thread()
    wall, cpu = time.perf_counter(), time.process_time()
    variant_index, trial = unit
    variant = scenario.variants[variant_index]
    kept = RolloutJournal(journals / part_name(unit)) if journals is not None else None
    seed = trial_seed(scenario.seed, trial)
    tables = simulate(variant, scenario.episodes, seed, kept, rollout_workers)
    for frame in tables.values():
        frame.insert(0, "variant", variant.name)
        frame.insert(1, "algorithm", variant.algorithm)
        frame.insert(2, "trial", trial)
    timing: dict[str, float | int | str] = {
        "wall_s": time.perf_counter() - wall + (kept.replayed_wall_s if kept else 0.0),
        "cpu_s": time.process_time() - cpu + (kept.replayed_cpu_s if kept else 0.0),
        "host": platform.node(),
        "replayed_batches": kept.replayed if kept else 0,
    }
    return tables, timing


def run(
    scenario: Scenario,
    out: str | Path | None = None,
    *,
    backend: str = "processes",
    workers: int | None = None,
    address: str | None = None,
    progress: bool = True,
    plots: bool = True,
    reuse: Sequence[str | Path] = (),
    stop_starting_after_s: float | None = None,
    rollout_workers: int = 1,
    force: bool = False,
) -> Results:
    """Run every unfinished trial of every variant into ``out`` (default ``runs/NAME``) and draw
    the plots.

    ``backend`` is ``serial``, ``processes`` (default: ``workers`` processes, one per core by
    default; one worker runs in this process) or ``ray`` (``address`` of an existing cluster, or a
    local instance); see :mod:`netsim.executors`. Finished trials of the run directories in
    ``reuse`` that are the same computation are copied, not run (:func:`reusable_parts`); no
    trial starts after ``stop_starting_after_s`` seconds (the result is then incomplete, and the
    same call resumes it). A trial cut short replays what its rollout journal kept (see the
    module's documentation). ``rollout_workers`` > 1 lets each trial spread its batches of
    episodes over that many threads (MuJoCo Ant's; see :mod:`algorithms.ant`) or processes: like
    ``workers``, it is recorded with the session and changes no result, so it is no part of what
    a run directory is compared on.

    Before anything starts or is written, a run whose estimated memory exceeds what the machine
    has available is refused (:class:`netsim.memory.TooLarge`, naming both) unless ``force``; see
    :mod:`netsim.memory` for the estimate.

    Trials are taken trial by trial across the variants (every variant's trial 0, then every
    variant's trial 1, ...), so a run stopped early compares every variant on the same seeds.
    Ctrl-C while trials run raises :class:`Interrupted`, saying how many are stored; with
    ``progress``, a run that goes on says how many it found stored.

    Called at import by a worker process that imports the script that started it (the ``spawn``
    start method), it ends that process, and the run in the script raises
    :class:`netsim.executors.MainNotGuarded`: put the call under ``if __name__ == "__main__":``."""
    refuse_while_importing_main()
    if stop_starting_after_s is not None:
        stop_starting_after_s = number(stop_starting_after_s, "stop_starting_after_s", above=0)
    rollout_workers = integer(rollout_workers, "rollout_workers", minimum=1)
    started = time.monotonic()
    directory = Path(out) if out is not None else Path("runs") / scenario.name
    executor = make_executor(backend, workers, address)
    if not force:
        check_fits(scenario, executor)
    sources = [RunStore(source) for source in reuse]
    units = [(v, t) for v in range(len(scenario.variants)) for t in range(scenario.trials)]
    session = {
        **provenance(),
        "backend": backend,
        "workers": workers,
        "rollout_workers": rollout_workers,
        "address": address,
        "reuse": [str(source.directory) for source in sources],
    }
    with RunStore.open(directory, _request(scenario, units), session, upgrade_request) as store:
        stored = len(units) - len(store.unfinished())
        if progress and stored:
            rest = f"going on with the other {len(units) - stored}" if stored < len(units) else ""
            print(
                f"{scenario.name}: {stored} of {len(units)} trials already stored in {directory}"
                + (f"; {rest}" if rest else "")
            )
        for source in sources:
            taken = _copy_reusable(source, store)
            if progress:
                print(f"{scenario.name}: {taken} trials taken from {source.directory}")
        unfinished = store.unfinished()
        todo: Iterable[Unit] = sorted(unfinished, key=lambda unit: (unit[1], unit[0]))
        if stop_starting_after_s is not None:
            todo = _until(started + stop_starting_after_s, todo)
        with tqdm(
            total=len(units),
            initial=len(units) - len(unfinished),
            desc=scenario.name,
            unit="trial",
            disable=not progress,
        ) as bar:
            journals = None if backend == "ray" and address is not None else store.journals
            computed = executor.map_unordered(
                partial(run_trial, scenario, journals=journals, rollout_workers=rollout_workers),
                todo,
            )
            try:
                for unit, (tables, timing) in computed:
                    store.write(unit, tables, timing)  # which also removes the unit's journal
                    bar.update()
            except WorkerLost as lost:
                parts = ", ".join(part_name(unit) for unit in lost.items)
                raise WorkerLost(
                    lost.items,
                    f"a worker process ended (killed by the system: out of memory?) while "
                    f"computing trial(s) {parts} of {directory}; the trials finished before are "
                    "stored: run the same command again to go on",
                ) from None
            except KeyboardInterrupt:
                stored = len(units) - len(store.unfinished())
                raise Interrupted(directory, stored, len(units)) from None
    results = Results(directory)
    if plots:
        results.plot()
    return results


def reusable_parts(wanted: dict[str, Any], stored: dict[str, Any]) -> dict[Unit, Unit]:
    """The units of request ``wanted`` that request ``stored`` also holds, as a map from each
    wanted unit to the stored one: the same variant (every setting, its name included, as the
    tables carry it), the same episode count and the same seed. Both requests are as run
    directories record them (:attr:`RunStore.request`)."""
    stored_units = {
        _computation(stored, entry): unit_of(entry["part"]) for entry in stored["units"]
    }
    return {
        unit_of(entry["part"]): stored_units[key]
        for entry in wanted["units"]
        if (key := _computation(wanted, entry)) in stored_units
    }


def _copy_reusable(source: RunStore, store: RunStore) -> int:
    """Copy into ``store`` each unit it lacks that ``source`` finished as the same computation,
    each file checked against its record as it is copied (a damaged one is not copied, with a
    warning: its unit is then computed); how many were copied."""
    lacking, finished = store.unfinished(), source.finished()
    stored = upgrade_request(source.request)
    copies = {
        unit: source_unit
        for unit, source_unit in reusable_parts(store.request, stored).items()
        if unit in lacking and source_unit in finished
    }
    taken = 0
    for unit, source_unit in copies.items():
        try:
            store.copy_from(source, source_unit, unit)
        except DamagedRun as damaged:
            warnings.warn(f"not reused: {damaged}", stacklevel=3)
        else:
            taken += 1
    return taken


def upgrade_request(request: dict[str, Any]) -> dict[str, Any]:
    """A request as older run directories recorded it, in today's form: a variant's ``rounds``
    (its round policy) is its ``central`` pattern's settings; a config's ``rollout_workers``, an
    execution setting since, is no part of it; and settings added since take the value that
    behaved as before: network ``tcp`` None, central ``downlink`` ``full`` and codecs ``none``,
    gossip ``codec`` ``none``, and an algorithm's setting its config did not have its default (a
    new setting's default is the behaviour it had before: ES's ``fitness`` ``raw``, DAVIA's
    ``threshold_direction`` ``rising``). A request already in today's form is returned as it is."""
    upgraded = json.loads(json.dumps(request))
    for variant in upgraded.get("scenario", {}).get("variants", []):
        for name, default in _config_defaults(variant.get("algorithm")).items():
            variant.get("config", {}).setdefault(name, default)
        if "rounds" in variant:
            rounds = variant.pop("rounds")
            variant["pattern"] = {"name": "central", **rounds}
            variant["config"].pop("rollout_workers", None)
        variant.get("network", {}).setdefault("tcp", None)
        pattern = variant.get("pattern", {})
        if pattern.get("name") == "central":
            pattern.setdefault("downlink", "full")
            pattern.setdefault("report_codec", "none")
            pattern.setdefault("report_codec_options", {})
        if pattern.get("name") in ("central", "gossip"):
            pattern.setdefault("codec", "none")
            pattern.setdefault("codec_options", {})
    return upgraded


def _config_defaults(algorithm: object) -> dict[str, Any]:
    """Each setting of ``algorithm``'s config that has a default, with that default as a request
    records it (none for an algorithm not registered here)."""
    from algorithms import ALGORITHMS

    if not isinstance(algorithm, str) or algorithm not in ALGORITHMS:
        return {}
    defaults = {}
    for field in dataclasses.fields(ALGORITHMS[algorithm].config_type):
        if field.default is not dataclasses.MISSING:
            defaults[field.name] = field.default
        elif field.default_factory is not dataclasses.MISSING:
            defaults[field.name] = field.default_factory()
    return json.loads(json.dumps(defaults))


def _computation(request: dict[str, Any], entry: dict[str, Any]) -> str:
    """What a unit of ``request`` computes, as a comparable string."""
    scenario = request["scenario"]
    variant = scenario["variants"][unit_of(entry["part"])[0]]
    return json.dumps([variant, scenario["episodes"], entry["seed"]], sort_keys=True)


def _until(deadline: float, items: Iterable[Item]) -> Iterator[Item]:
    """``items`` up to the first one asked for at ``time.monotonic()`` >= ``deadline``."""
    for item in items:
        if time.monotonic() >= deadline:
            return
        yield item


def _request(scenario: Scenario, units: list[Unit]) -> dict[str, Any]:
    """What a run directory records and compares on resume: the resolved scenario and every unit
    with its part name and seed."""
    return {
        "scenario": scenario.to_dict(),
        "units": [
            {
                "part": part_name(unit),
                "variant": scenario.variants[unit[0]].name,
                "trial": unit[1],
                "seed": {"entropy": seed.entropy, "spawn_key": list(seed.spawn_key)},
            }
            for unit in units
            for seed in [trial_seed(scenario.seed, unit[1])]
        ],
    }


def _one_thread() -> None:
    """Small batched tensors run fastest, and trials in parallel fairest, on one thread each."""
    import torch

    torch.set_num_threads(1)
