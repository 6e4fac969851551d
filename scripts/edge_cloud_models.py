"""The edge-cloud sweep (``scenarios/edge_cloud.py``) under several bandwidth models: time to target.

Runs the scenario as it is (35 variants, 5 trials of 200 episodes) once per model, into
``OUT/<model>`` (a run resumes if run again), stores every trial's outcome in
``docs/data/network-models/edge_cloud_models.csv`` (one row per model, variant and trial: its
series and backhaul bandwidth, whether and when it reached its target, in how many episodes, and
the trial's CPU and wall seconds; the rows of models not run this time are kept), and prints, for
every series and backhaul bandwidth, the median simulated time to the target under each model
and its ratio to the first model's. ``scripts/network_models_page.py`` writes the page's tables
from the stored CSV. About 12 minutes on one core for ``fair`` and ``lv08``, 7 more for ``cm02``.

    python scripts/edge_cloud_models.py [--models fair cm02 lv08] [--out runs/edge_cloud_models]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import pandas as pd

import netsim

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scenarios"))
import edge_cloud  # noqa: E402  (a scenario file, found beside this script's folder)

from analysis.targets import time_to_target  # noqa: E402

STORED = ROOT / "docs" / "data" / "network-models" / "edge_cloud_models.csv"
"""Every model's per-trial outcomes on the edge-cloud sweep."""


def under(model: str) -> netsim.Scenario:
    """The edge-cloud scenario with every variant's network model set to ``model``."""
    scenario = edge_cloud.SCENARIO
    variants = [
        dataclasses.replace(v, network=dataclasses.replace(v.network, model=model))
        for v in scenario.variants
    ]
    return dataclasses.replace(scenario, name=f"edge_cloud_{model}", variants=variants)


def outcomes(results: netsim.Results, model: str) -> pd.DataFrame:
    """One row per variant and trial of a finished run under ``model``: ``model``, ``variant``,
    ``series``, ``value``, ``trial``, ``reached``, ``time_s`` and ``episodes`` to the series'
    target (:func:`analysis.targets.time_to_target`, inf when never), ``cpu_s`` and ``wall_s``."""
    metrics = results.to_pandas()
    points = edge_cloud.POINTS
    reached = pd.concat(
        [
            time_to_target(metrics[metrics["variant"].isin(group["variant"])], target)
            for target, group in points.groupby("target", sort=False)
        ],
        ignore_index=True,
    )
    times = results.trial_times()[["variant", "trial", "cpu_s", "wall_s"]]
    table = points[["variant", "series", "value"]].merge(reached, on="variant")
    table = table.merge(times, on=["variant", "trial"])
    columns = ["variant", "series", "value", "trial", "reached", "time_s", "episodes"]
    return table[[*columns, "cpu_s", "wall_s"]].assign(model=model)[
        ["model", *columns, "cpu_s", "wall_s"]
    ]


def store(table: pd.DataFrame) -> None:
    """Write ``table`` into :data:`STORED`, in place of the stored rows of its models."""
    if STORED.exists():
        kept = pd.read_csv(STORED)
        table = pd.concat([kept[~kept["model"].isin(table["model"])], table], ignore_index=True)
    STORED.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(STORED, index=False)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["fair", "lv08"])
    parser.add_argument("--out", type=Path, default=Path("runs/edge_cloud_models"))
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    tables = []
    for model in args.models:
        results = netsim.run(
            under(model), args.out / model, workers=args.workers, plots=False, progress=False
        )
        tables.append(outcomes(results, model))
    table = pd.concat(tables, ignore_index=True)
    store(table)
    medians = table.groupby(["series", "value", "model"], sort=False)["time_s"].median()
    wide = medians.unstack("model")[args.models]
    first = args.models[0]
    for model in args.models[1:]:
        wide[f"{model} / {first}"] = wide[model] / wide[first]
    with pd.option_context("display.width", 200, "display.max_rows", 100):
        print(wide.round(2).to_string())
    print(f"stored {STORED}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
