"""Run a scenario: every (variant, trial) pair, in worker processes, into a results directory.

A run directory holds ``config.json`` (the scenario with every setting resolved), ``metrics.parquet``
(one row per variant, trial, episode and agent) and ``plots/``. A directory that already holds a
different scenario's results is refused, never overwritten.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from netsim.results import CONFIG_FILE, METRICS_FILE, Results
from netsim.scenario import Scenario
from netsim.simulation import simulate


def trial_seed(scenario_seed: int, trial: int) -> np.random.SeedSequence:
    """The seed of trial ``trial``: the same for every variant, executor and completion order."""
    return np.random.SeedSequence(scenario_seed, spawn_key=(trial,))


def run_trial(scenario: Scenario, variant_index: int, trial: int) -> pd.DataFrame:
    """The rows of one trial of one variant, labelled with variant, algorithm and trial."""
    _one_thread()
    variant = scenario.variants[variant_index]
    frame = simulate(variant, scenario.episodes, trial_seed(scenario.seed, trial))["metrics"]
    frame.insert(0, "variant", variant.name)
    frame.insert(1, "algorithm", variant.algorithm)
    frame.insert(2, "trial", trial)
    return frame


def run(
    scenario: Scenario,
    out: str | Path | None = None,
    *,
    workers: int | None = None,
    progress: bool = True,
    plots: bool = True,
) -> Results:
    """Run every trial of every variant and store the results in ``out`` (default ``runs/NAME``).

    ``workers`` worker processes share the trials (default: one per core; 1 runs in this process).
    """
    directory = Path(out) if out is not None else Path("runs") / scenario.name
    config = scenario.to_dict()
    _claim(directory, config)
    units = [(v, t) for v in range(len(scenario.variants)) for t in range(scenario.trials)]
    workers = min(workers or os.cpu_count() or 1, len(units))
    bar = tqdm(total=len(units), desc=scenario.name, unit="trial", disable=not progress)
    frames: dict[tuple[int, int], pd.DataFrame] = {}
    if workers == 1:
        for unit in units:
            frames[unit] = run_trial(scenario, *unit)
            bar.update()
    else:
        with ProcessPoolExecutor(workers) as pool:
            futures = {pool.submit(run_trial, scenario, *unit): unit for unit in units}
            for future in as_completed(futures):
                frames[futures[future]] = future.result()
                bar.update()
    bar.close()
    table = pd.concat([frames[unit] for unit in units], ignore_index=True)
    temporary = directory / (METRICS_FILE + ".partial")
    table.to_parquet(temporary, index=False)
    temporary.replace(directory / METRICS_FILE)
    results = Results(directory)
    if plots:
        results.plot()
    return results


def _claim(directory: Path, config: dict) -> None:
    """Make ``directory`` this scenario's, refusing one that holds another scenario's results."""
    directory.mkdir(parents=True, exist_ok=True)
    stored = directory / CONFIG_FILE
    encoded = json.dumps(config, indent=2, default=str)
    if stored.exists() and json.loads(stored.read_text()) != json.loads(encoded):
        raise FileExistsError(
            f"{directory} holds results of a different scenario configuration; "
            "choose another output directory or remove it"
        )
    stored.write_text(encoded)


def _one_thread() -> None:
    """Small batched tensors run fastest, and trials in parallel fairest, on one thread each."""
    import torch

    torch.set_num_threads(1)
