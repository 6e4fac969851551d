"""Run a scenario (or a sweep: a scenario whose variants are a grid's points) into a run directory.

The units of work are every (variant, trial) pair. Each unit's tables are stored as soon as it
finishes (see :mod:`netsim.store`), so running the same scenario into the same directory again
skips the finished units and runs the rest; a directory holding another configuration's results is
refused. Trial t of every variant is seeded with ``SeedSequence(seed, spawn_key=(t,))``, so a
unit's result depends on neither the executor nor the order in which units complete.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from netsim.executors import make_executor
from netsim.provenance import provenance
from netsim.results import Results
from netsim.scenario import Scenario
from netsim.simulation import simulate
from netsim.store import RunStore, Unit, part_name


def trial_seed(scenario_seed: int, trial: int) -> np.random.SeedSequence:
    """The seed of trial ``trial``: the same for every variant, executor and completion order."""
    return np.random.SeedSequence(scenario_seed, spawn_key=(trial,))


def run_trial(scenario: Scenario, unit: Unit) -> dict[str, pd.DataFrame]:
    """The tables of one trial of one variant, by name, each labelled with variant, algorithm and
    trial in its first columns."""
    _one_thread()
    variant_index, trial = unit
    variant = scenario.variants[variant_index]
    tables = simulate(variant, scenario.episodes, trial_seed(scenario.seed, trial))
    for frame in tables.values():
        frame.insert(0, "variant", variant.name)
        frame.insert(1, "algorithm", variant.algorithm)
        frame.insert(2, "trial", trial)
    return tables


def run(
    scenario: Scenario,
    out: str | Path | None = None,
    *,
    backend: str = "processes",
    workers: int | None = None,
    address: str | None = None,
    progress: bool = True,
    plots: bool = True,
) -> Results:
    """Run every unfinished trial of every variant into ``out`` (default ``runs/NAME``) and draw
    the plots.

    ``backend`` is ``serial``, ``processes`` (default: ``workers`` processes, one per core by
    default; one worker runs in this process) or ``ray`` (``address`` of an existing cluster, or a
    local instance); see :mod:`netsim.executors`."""
    directory = Path(out) if out is not None else Path("runs") / scenario.name
    executor = make_executor(backend, workers, address)
    units = [(v, t) for v in range(len(scenario.variants)) for t in range(scenario.trials)]
    session = {**provenance(), "backend": backend, "workers": workers, "address": address}
    store = RunStore.open(directory, _request(scenario, units), session)
    finished = store.finished()
    todo = [unit for unit in units if unit not in finished]
    with tqdm(
        total=len(units),
        initial=len(units) - len(todo),
        desc=scenario.name,
        unit="trial",
        disable=not progress,
    ) as bar:
        for unit, tables in executor.map_unordered(partial(run_trial, scenario), todo):
            store.write(unit, tables)
            bar.update()
    results = Results(directory)
    if plots:
        results.plot()
    return results


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
