"""The decentralised-learning scenarios: each quick form runs end to end, through the scenario
file's own report, in CI-sized time; the full forms are what docs/decentralised.md reports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.crossover import measured_crossover
from netsim.catalog import REPO_SCENARIOS, load_scenario

SCENARIOS = {
    "central_vs_decentral": ("crossover.csv", "central.csv", "crossover.png"),
    "disrupted_links": ("outcomes.csv", "outcomes.png"),
    "final_merge": ("outcomes.csv", "merge.csv", "outcomes.png"),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_quick_form_runs_and_reports(name: str, tmp_path: Path) -> None:
    quick = load_scenario(name, quick=True)
    assert len(quick.variants) * quick.trials * quick.episodes <= 100
    script = REPO_SCENARIOS / f"{name}.py"
    done = subprocess.run(
        [sys.executable, str(script), "--quick", "--out", str(tmp_path / name)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    plots = tmp_path / name / "plots"
    for report in SCENARIOS[name]:
        assert (plots / report).stat().st_size > 0
    table = pd.read_csv(plots / SCENARIOS[name][0])
    assert len(table) >= 2
    if name == "central_vs_decentral":  # the low quick target is reached by every form
        assert (table["gossip_reached"] == 1).all() and (table["central_reached"] == 1).all()
        assert (table["central_wire_bytes_median"] > 0).all()
    if name == "final_merge":
        merge = pd.read_csv(plots / "merge.csv")
        merged = merge[merge["variant"].str.endswith("ring + merge")]
        assert (merged["distance_after"] == 0).all() and (merged["distance_before"] > 0).all()


def test_the_measured_crossover_interpolates_in_log_log_between_the_bracketing_points() -> None:
    bandwidths = np.array([1e4, 1e5, 1e6])
    central = np.array([100.0, 10.0, 1.0])  # T proportional to 1/B
    assert measured_crossover(bandwidths, central, 10**1.5) == pytest.approx(10**4.5)
    assert np.isnan(measured_crossover(bandwidths, central, 0.5))  # central always slower
    assert np.isnan(measured_crossover(bandwidths, central, 200.0))  # central always faster
    assert np.isnan(measured_crossover(bandwidths, np.array([np.inf, 10.0, 1.0]), 20.0))
