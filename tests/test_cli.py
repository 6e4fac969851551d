"""The ``netsim`` command's first hour: help and the listing answer at once, the listing tells every
setting, and what it lists is what the code runs."""

import ast
import dataclasses
import importlib
import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import netsim
import netsim.cli
from algorithms import ALGORITHMS, BUILT_IN
from analysis import per_trial, time_window_means, window_means
from netsim.listing import algorithm_entries, environments, settings_of
from netsim.patterns import PATTERNS
from netsim.store import RunStore

HEAVY = ("torch", "pandas", "matplotlib", "gymnasium", "scipy", "pyarrow", "ray", "mujoco")

STARTUP = textwrap.dedent(
    """
    import contextlib, io, json, sys, time
    started = time.perf_counter()
    import netsim.cli
    imported_s = time.perf_counter() - started
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            netsim.cli.main(["--help"])
        except SystemExit:
            pass
        after_help = sorted(sys.modules)
        netsim.cli.main(["list"])
    print(json.dumps({"imported_s": imported_s, "after_help": after_help,
                      "after_list": sorted(sys.modules)}))
    """
)


def test_help_and_list_load_no_heavy_library():
    done = subprocess.run(
        [sys.executable, "-c", STARTUP], capture_output=True, text=True, check=True
    )
    loaded = json.loads(done.stdout)
    print(f"\nimport netsim.cli took {loaded['imported_s'] * 1000:.0f} ms")  # a benchmark print
    for moment in ("after_help", "after_list"):
        heavy = {name.split(".")[0] for name in loaded[moment]} & set(HEAVY)
        assert heavy == set(), f"{moment}: {sorted(heavy)}"


def test_the_listed_environments_are_registered_with_gymnasium_once_netsim_is_imported():
    import gymnasium as gym

    import netsim.envs  # noqa: F401  (registers them)

    listed = environments()
    assert {"CartPole-v1", "Ant-v5", "netsim/Ant-v4-like"} <= set(listed)
    assert all(env_id in gym.registry for env_id in listed)
    assert listed["netsim/Ant-v4-like"] == "needs the mujoco extra" and listed["CartPole-v1"] == ""


def test_every_public_name_of_netsim_is_there_when_asked_for():
    for name in netsim.__all__:
        assert getattr(netsim, name) is not None
    assert set(netsim.__all__) <= set(dir(netsim))
    with pytest.raises(AttributeError, match="no attribute 'Scenaro'"):
        netsim.Scenaro  # noqa: B018


def test_the_listed_algorithms_are_the_registered_ones_with_their_settings():
    entries = algorithm_entries()
    shipped = [getattr(importlib.import_module(module), name).name for module, name in BUILT_IN]
    assert [entry.name for entry in entries] == sorted(shipped)  # not those a test registers
    for entry in entries:
        algorithm = ALGORITHMS[entry.name]
        assert entry.summary == algorithm.summary
        assert entry.sides == algorithm.sides
        assert entry.config == algorithm.config_type.__name__
        _assert_settings_are_the_dataclass(entry.settings, algorithm.config_type)


@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_the_listed_pattern_settings_are_the_dataclass(pattern):
    settings = PATTERNS[pattern].settings_type
    _assert_settings_are_the_dataclass(
        settings_of(settings.__module__, settings.__name__), settings
    )


def _assert_settings_are_the_dataclass(settings, config_type):
    fields = [field for field in dataclasses.fields(config_type) if field.init]
    assert [setting.name for setting in settings] == [field.name for field in fields]
    for setting, field in zip(settings, fields, strict=True):
        default = (
            field.default_factory()
            if field.default_factory is not dataclasses.MISSING
            else field.default
        )
        assert ast.literal_eval(setting.default) == default, setting
        assert setting.meaning, f"{config_type.__name__}.{setting.name} has no docstring"


def test_list_shows_each_algorithms_settings_with_defaults_and_meanings(capsys):
    assert netsim.cli.main(["list"]) == 0
    listing = capsys.readouterr().out
    espc = listing[listing.index("  espc ") : listing.index("communication patterns")]
    assert "m = 25" in espc and "Expected number of agents that report each episode" in espc
    assert "sigma = 0.05" in espc  # ES's settings, inherited
    assert "tau = 1" in listing and "Averaging period" in listing  # gossip's
    assert re.search(r"\n  quickstart +\[quick\] Quickstart: ES n=25", listing)
    scenarios = listing[listing.index("scenarios (") :].splitlines()[1:]
    for name_line, path_line in zip(scenarios[0::2], scenarios[1::2], strict=True):
        column = len(path_line) - len(path_line.lstrip())
        assert name_line[column - 1] == " " != name_line[column], "summary and path align"
    assert re.search(r"\n  bandwidth_sweep +\[quick\] Which algorithm wins on my network\?\n", listing)
    assert re.search(r"\n  fig3_4_simple_grid +Figure 3\.4: DQL", listing)  # no quick form


def tiny_scenario(trials: int = 2) -> netsim.Scenario:
    network = netsim.star(2, bandwidth_bps=1e6)
    variants = [
        netsim.Variant("es", "es", network),
        netsim.Variant("espc", "espc", network, config={"m": 1}),
    ]
    return netsim.Scenario("tiny", variants, episodes=4, trials=trials, seed=0)


def test_status_says_why_there_is_no_estimate_before_any_trial_has_finished(tmp_path, capsys):
    out = tmp_path / "run"
    netsim.run(tiny_scenario(), out, backend="serial", progress=False, stop_starting_after_s=1e-9)
    assert netsim.cli.main(["status", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "0 of 4 trials finished" in printed
    assert "left: 4 trials; no estimate of their time yet" in printed
    assert netsim.cli.main(["plot", str(out)]) == 0
    assert "no trial has finished yet; nothing to plot" in capsys.readouterr().out


def test_status_spells_a_short_estimate_in_seconds_not_as_zero_hours(tmp_path, capsys):
    netsim.run(tiny_scenario(trials=1), tmp_path / "one", backend="serial", progress=False)
    out = tmp_path / "run"  # trial 0 of each variant taken from the first run, trial 1 left
    netsim.run(
        tiny_scenario(), out, backend="serial", progress=False, plots=False,
        reuse=[tmp_path / "one"], stop_starting_after_s=1e-9,
    )  # fmt: skip
    assert netsim.cli.main(["status", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2 of 4 trials finished" in printed
    assert re.search(r"left: about \d+ s of trial time", printed), printed


def test_compare_by_time_windows_the_rounds_by_when_they_ended(tmp_path, capsys):
    out = tmp_path / "run"
    results = netsim.run(tiny_scenario(), out, backend="serial", progress=False, plots=False)
    table = results.to_pandas()
    whole = window_means(table, [(0, 3)]).set_index("variant")
    timed = time_window_means(table, [(0.0, float("inf"))]).set_index("variant")
    pd.testing.assert_frame_equal(  # every round once: the episodes' means, barrier rounds
        timed.drop(columns=["from_s", "to_s"]), whole.drop(columns=["first", "last"])
    )
    first_end_s = per_trial(table)["round_end_s"].min()
    before = time_window_means(table, [(0.0, first_end_s / 2)])
    assert (before["trials"] == 0).all() and before["reward_mean"].isna().all()

    assert netsim.cli.main(["compare", str(out), "--by", "time"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].split()[:4] == ["variant", "from_s", "to_s", "trials"]
    assert len(printed) == 1 + 4 * 2  # the run's time in quarters, for each variant
    window = f"0-{first_end_s / 2},{first_end_s / 2}-1e9"
    assert netsim.cli.main(["compare", str(out), "--by", "time", "--windows", window]) == 0
    empty_window = capsys.readouterr().out.splitlines()[1].split()
    assert empty_window[3:5] == ["0", "-"]  # no round ended in it: no trials, no mean
    assert netsim.cli.main(["compare", str(out), "--windows", "0-1.5"]) == 2
    assert "episode windows are whole numbers, not 0-1.5" in capsys.readouterr().err


TINY_TOML = """
name = "tiny"
episodes = 3
trials = 2
seed = 0
[[variants]]
name = "es"
algorithm = "es"
topology = { builder = "star", n_agents = 2, bandwidth_bps = 1e6 }
[[variants]]
name = "es slow"
algorithm = "es"
topology = { builder = "star", n_agents = 2, bandwidth_bps = 1e4 }
"""


def test_ctrl_c_says_what_is_stored_and_how_to_go_on(tmp_path, monkeypatch, capsys):
    config, out = tmp_path / "tiny.toml", tmp_path / "run"
    config.write_text(TINY_TOML)
    command = ["run", str(config), "--out", str(out), "--backend", "serial"]
    write = RunStore.write

    def ctrl_c_after_the_first(store, *arguments, **options):
        write(store, *arguments, **options)
        monkeypatch.setattr(RunStore, "write", interrupted)

    def interrupted(*_, **__):
        raise KeyboardInterrupt

    monkeypatch.setattr(RunStore, "write", ctrl_c_after_the_first)
    assert netsim.cli.main(command) == 130
    said = capsys.readouterr().err.strip().splitlines()[-2:]
    assert said == [
        f"netsim: interrupted; 1 of 4 trials are stored in {out}",
        f"netsim: to go on, run: netsim {shlex.join(command)}",
    ]
    monkeypatch.setattr(RunStore, "write", write)
    assert netsim.cli.main(command) == 0
    assert f"tiny: 1 of 4 trials already stored in {out}; going on with the other 3" in (
        capsys.readouterr().out
    )
    assert netsim.Results(out).complete


REPORTING_FILE = """
import sys

import netsim
import netsim.cli

network = netsim.star(2, bandwidth_bps=1e6)
SCENARIO = netsim.Scenario("full", [netsim.Variant("es", "es", network)], episodes=6, trials=2)
QUICK = netsim.Scenario("smoke", [netsim.Variant("es", "es", network)], episodes=3, trials=1)


def report(results, quick):
    rows = len(results.to_pandas())
    print(f"report: {'quick' if quick else 'full'} form, {rows} rows")


if __name__ == "__main__":
    sys.exit(netsim.cli.main(["run", __file__, *sys.argv[1:]]))
"""


def test_a_scenario_file_reports_the_same_run_as_a_script_or_by_netsim_run(tmp_path, capsys):
    path = tmp_path / "study.py"
    path.write_text(REPORTING_FILE)
    options = ["--quick", "--backend", "serial"]
    assert netsim.cli.main(["run", str(path), *options, "--out", str(tmp_path / "a")]) == 0
    by_command = capsys.readouterr().out
    script = subprocess.run(
        [sys.executable, str(path), *options, "--out", str(tmp_path / "b")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(netsim.__file__).parents[1])},
    )
    assert script.returncode == 0, script.stderr
    assert "report: quick form, 6 rows" in by_command  # 3 episodes x 2 agents
    assert by_command.replace(str(tmp_path / "a"), "OUT") == script.stdout.replace(
        str(tmp_path / "b"), "OUT"
    )


def test_custom_topologys_quick_form_reports_a_target_it_reaches(tmp_path, capsys):
    out = tmp_path / "run"
    assert netsim.cli.main(["run", "custom_topology", "--quick", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "to a reward of -8 (the quick form's; the full form's is -5.5):" in printed
    table = printed[printed.index("to a reward of") :].splitlines()[2:]
    assert len(table) == 5 and "final_reward" in printed
    reached = [row for row in table if "inf" not in row]
    assert reached, table


def test_list_from_a_file_shows_the_algorithm_it_registers(tmp_path):
    guide = (Path(__file__).resolve().parent.parent / "docs" / "extending.md").read_text()
    coin = re.search(r"```python\n(# my_algorithm\.py.*?)```", guide, re.S).group(1)
    (tmp_path / "my_algorithm.py").write_text(coin)
    done = subprocess.run(
        [sys.executable, "-m", "netsim.cli", "list", "--from", str(tmp_path / "my_algorithm.py")],
        capture_output=True,
        text=True,
        check=True,
    )
    algorithms = done.stdout[: done.stdout.index("communication patterns")]
    assert "  coin                 coin flips [central]" in algorithms
    assert "p_report = 0.5  Each agent's chance of reporting after an episode." in algorithms
    assert algorithms.index("  espc ") < algorithms.index("  coin ")  # after the shipped ones


def test_list_from_a_missing_file_says_which(capsys, tmp_path):
    assert netsim.cli.main(["list", "--from", str(tmp_path / "nowhere.py")]) == 2
    assert f"list --from {tmp_path / 'nowhere.py'}: no such file" in capsys.readouterr().err
