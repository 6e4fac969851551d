"""docs/reproduction.md is what scripts/reproduction_page.py writes from the stored results in
results/: no number on it is typed by hand, every figure it shows exists, and the stored results of
a tabular figure are what today's code computes, to the bit."""

import dataclasses
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from page_scripts import load_script

import netsim
from analysis import per_trial
from netsim.catalog import _import

ROOT = Path(__file__).resolve().parent.parent


def page_script():
    return load_script("reproduction_page.py")


def test_the_page_is_what_the_stored_results_give():
    page = (ROOT / "docs" / "reproduction.md").read_text()
    assert page == page_script().render(), "run: python scripts/reproduction_page.py"


def test_every_figure_on_the_page_is_stored_and_every_stored_result_is_read():
    page = (ROOT / "docs" / "reproduction.md").read_text()
    figures = re.findall(r"\]\((figures/[^)]+)\)", page)
    assert len(figures) == 28  # panels and against-time for 10 simulated figures, 4.1 and 4.7,
    # the 3 tabular sensitivity studies', the 2 fitness-shaping and the Ant-v4-like figure
    for figure in figures:
        assert (ROOT / "docs" / figure).stat().st_size > 0
    stored = {path.name for path in (ROOT / "results").iterdir() if path.is_dir()}
    assert stored == {name for name in stored if f"results/{name}`" in page}


def test_a_stored_grid_trial_is_what_this_code_computes(tmp_path):
    """Trial 0 of figure 3.4's DQL, run again, is the stored one to the bit (every tabular agent
    draws from its own exploration stream; a change to any of them shows here)."""
    scenario = _import(ROOT / "scenarios" / "fig3_4_simple_grid.py").SCENARIO
    dql = dataclasses.replace(scenario, variants=[scenario.variants[0]], trials=1)
    results = netsim.run(dql, tmp_path / "run", backend="serial", progress=False, plots=False)
    again = per_trial(results.to_pandas()).drop(columns="cumulative_reward")
    stored = pd.read_parquet(ROOT / "results" / "fig3_4_simple_grid" / "rounds.parquet")
    stored = stored[(stored["variant"] == "DQL") & (stored["trial"] == 0)]
    pd.testing.assert_frame_equal(
        again.reset_index(drop=True), stored.reset_index(drop=True), check_exact=True
    )


SENSITIVITY = [
    "sensitivity_ebcdql_simple_grid",
    "sensitivity_ebcdql_windy_grid",
    "sensitivity_ebcdql_frozen_lake",
    "sensitivity_davia",
    "sensitivity_stay_lake",
]


@pytest.mark.parametrize("name", SENSITIVITY)
def test_a_stored_sensitivity_study_is_its_scenario_as_it_stands(name):
    """Each stored study ran the scenario file's variants, their settings (the stored config
    holds every setting, the scenario only those it changes), trials and episodes."""
    stored = json.loads((ROOT / "results" / name / "scenario.json").read_text())
    scenario = _import(ROOT / "scenarios" / f"{name}.py").SCENARIO
    assert (stored["name"], stored["trials"], stored["episodes"], stored["seed"]) == (
        scenario.name,
        scenario.trials,
        scenario.episodes,
        scenario.seed,
    )
    assert [(v["name"], v["algorithm"], v["env"]) for v in stored["variants"]] == [
        (v.name, v.algorithm, v.env) for v in scenario.variants
    ]
    for ran, variant in zip(stored["variants"], scenario.variants, strict=True):
        settings = json.loads(json.dumps(dict(variant.config)))  # tuples as JSON keeps them
        assert settings.items() <= ran["config"].items(), variant.name


def test_a_stored_sensitivity_trial_is_what_this_code_computes(tmp_path):
    """Trial 0 of the EBCDQL grid's floor 0.5, rho 0.5 point on Simple Grid, run again, is the
    stored one to the bit."""
    scenario = _import(ROOT / "scenarios" / "sensitivity_ebcdql_simple_grid.py").SCENARIO
    label = "EBCDQL floor=0.5 rho=0.5 beta=0.1"
    point = [variant for variant in scenario.variants if variant.name == label]
    one = dataclasses.replace(scenario, variants=point, trials=1)
    results = netsim.run(one, tmp_path / "run", backend="serial", progress=False, plots=False)
    again = per_trial(results.to_pandas()).drop(columns="cumulative_reward")
    stored = pd.read_parquet(ROOT / "results" / "sensitivity_ebcdql_simple_grid" / "rounds.parquet")
    stored = stored[(stored["variant"] == label) & (stored["trial"] == 0)]
    pd.testing.assert_frame_equal(
        again.reset_index(drop=True), stored.reset_index(drop=True), check_exact=True
    )
