"""The edge-cloud sweep (``scenarios/edge_cloud.py``) under two bandwidth models: time to target.

Runs the scenario as it is (35 variants, 5 trials of 200 episodes) once per model, into
``OUT/<model>``, and prints, for every series and backhaul bandwidth, the median simulated time and
episodes to the target under each model and their ratio. About 12 minutes on one core for both.

    python scripts/edge_cloud_models.py [--models fair lv08] [--out runs/edge_cloud_models]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import pandas as pd

import netsim

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scenarios"))
import edge_cloud  # noqa: E402  (a scenario file, found beside this script's folder)

from analysis.sweep import sweep_summary  # noqa: E402


def under(model: str) -> netsim.Scenario:
    """The edge-cloud scenario with every variant's network model set to ``model``."""
    scenario = edge_cloud.SCENARIO
    variants = [
        dataclasses.replace(v, network=dataclasses.replace(v.network, model=model))
        for v in scenario.variants
    ]
    return dataclasses.replace(scenario, name=f"edge_cloud_{model}", variants=variants)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs=2, default=["fair", "lv08"])
    parser.add_argument("--out", type=Path, default=Path("runs/edge_cloud_models"))
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    summaries = {}
    for model in args.models:
        results = netsim.run(
            under(model), args.out / model, workers=args.workers, plots=False, progress=False
        )
        summary = sweep_summary(results.to_pandas(), edge_cloud.POINTS)
        summaries[model] = summary.set_index(["series", "value"])
    first, second = args.models
    columns = {}
    for measure in ("time_s_median", "episodes_median"):
        for model in args.models:
            columns[f"{measure.removesuffix('_median')} {model}"] = summaries[model][measure]
    table = pd.DataFrame(columns)
    table[f"time {second} / {first}"] = table[f"time_s {second}"] / table[f"time_s {first}"]
    reached = (
        summaries[first]["reached"].astype(str) + "/" + summaries[second]["reached"].astype(str)
    )
    table["reached"] = reached + " of " + summaries[first]["trials"].astype(str)
    with pd.option_context("display.width", 200, "display.max_rows", 100):
        print(table.round(2).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
