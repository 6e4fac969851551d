"""docs/studies.md is what scripts/studies_page.py writes from the runs stored in
docs/data/studies/: no number on it is typed by hand, every figure it shows exists, and every
stored run is a run of its scenario as the repository defines it today."""

import json
import re
from pathlib import Path

import pytest
from page_scripts import load_script

ROOT = Path(__file__).resolve().parent.parent


def page_script():
    return load_script("studies_page.py")


def test_the_page_is_what_the_stored_runs_give():
    page = (ROOT / "docs" / "studies.md").read_text()
    assert page == page_script().render(), "run: python scripts/studies_page.py"


def test_every_figure_on_the_page_is_stored():
    page = (ROOT / "docs" / "studies.md").read_text()
    figures = re.findall(r"\]\((figures/[^)]+)\)", page)
    assert len(figures) >= 6
    for figure in figures:
        assert (ROOT / "docs" / figure).stat().st_size > 0


@pytest.mark.parametrize("study", page_script().STUDIES)
def test_a_stored_run_is_of_the_scenario_as_defined(study):
    stored = json.loads((ROOT / "docs" / "data" / "studies" / study / "scenario.json").read_text())
    scenario = page_script().scenario(study).SCENARIO
    assert [variant["name"] for variant in stored["variants"]] == [
        variant.name for variant in scenario.variants
    ]
    assert (stored["episodes"], stored["trials"]) == (scenario.episodes, scenario.trials)
