"""docs/benchmarks.md's measurements are what scripts/benchmarks_page.py writes from the benchmark
runs kept in docs/data/benchmarks/, and ``netsim bench --record`` keeps a run the page can show."""

import json
from pathlib import Path

import pytest
from page_scripts import load_script

from netsim.cli import main as cli

ROOT = Path(__file__).resolve().parent.parent


def page_script():
    return load_script("benchmarks_page.py")


def test_the_page_is_what_the_kept_runs_give():
    page = (ROOT / "docs" / "benchmarks.md").read_text()
    assert page == page_script().render(page), "run: python scripts/benchmarks_page.py"


def test_a_recorded_run_keeps_its_ratios_printout_and_machine_and_the_page_shows_them(
    tmp_path, capsys, monkeypatch
):
    import netsim.bench as bench

    growth = "network: per event n=20 / n=10"
    monkeypatch.setitem(bench.GOALS, growth, ("<=", 1e9))
    record = tmp_path / "kept" / "network.json"
    small = {"small": 10, "large": 20, "agents_per_edge": 10, "repeats": 1}
    bench.main("network", {"network": small}, record)
    shown = capsys.readouterr().out
    kept = json.loads(record.read_text())
    assert kept["suite"] == "network" and kept["cores"] >= 1 and kept["options"]["network"] == small
    assert kept["printed"] in shown and "ratios:" in kept["printed"]
    assert kept["goals"] == {growth: ["<=", 1e9]}
    block = page_script().measured(record.parent)
    assert block.startswith("### `netsim bench network`")
    for name, ratio in kept["ratios"].items():
        assert f"| {name} | {ratio:.3f}x |" in block
    assert f"| {growth} | {kept['ratios'][growth]:.3f}x | <= 1e+09 | met |" in block
    assert kept["printed"].rstrip("\n") in block


def test_the_cli_passes_record_to_the_suite(monkeypatch, tmp_path):
    import netsim.bench as bench

    calls = []
    monkeypatch.setattr(bench, "main", lambda *args: calls.append(args) or 0)
    assert cli(["bench", "ant", "--agents", "3", "--record", str(tmp_path / "a.json")]) == 0
    ((suite, options, record),) = calls
    assert (suite, options["ant"], record) == ("ant", {"n_agents": 3}, tmp_path / "a.json")


def test_a_kept_run_of_an_unknown_suite_is_refused(tmp_path):
    (tmp_path / "x.json").write_text(json.dumps({"suite": "speed"}))
    with pytest.raises(ValueError, match="unknown suite 'speed'"):
        page_script().measured(tmp_path)


def test_a_record_path_that_cannot_be_written_is_refused_before_the_run(
    monkeypatch, tmp_path, capsys
):
    import netsim.bench as bench

    monkeypatch.setattr(bench, "_run", lambda *args: pytest.fail("the suite ran"))
    assert cli(["bench", "network", "--record", str(tmp_path)]) != 0
    assert f"is a directory, not a file: {tmp_path}" in capsys.readouterr().err
