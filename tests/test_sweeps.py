"""Runs and sweeps that survive: executors agree, parts are atomic, a killed run resumes, a
directory holding other results is refused, a run reuses another's trials and stops starting
trials on time."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from test_simulation import small_scenario  # the same scenario: every round policy, env, model

import netsim
import netsim.cli
from netsim import Scenario, Variant, runner, star
from netsim.catalog import load_scenario
from netsim.executors import Processes, Ray, Serial
from netsim.store import RunStore

KEYS = ["variant", "trial", "episode", "agent"]


def quiet_run(scenario, out, **options) -> netsim.Results:
    return netsim.run(scenario, out, progress=False, plots=False, **options)


def sorted_table(results: netsim.Results, name: str) -> pd.DataFrame:
    table = results.table(name)
    keys = [key for key in KEYS if key in table.columns]
    return table.sort_values(keys, kind="stable").reset_index(drop=True)


@pytest.fixture(scope="module")
def local_ray():
    import ray  # the ray extra is part of the test install: this test is never skipped

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def test_serial_worker_processes_and_ray_give_identical_tables(tmp_path, local_ray):
    serial = quiet_run(small_scenario(), tmp_path / "serial", backend="serial")
    processes = quiet_run(small_scenario(), tmp_path / "processes", workers=2)
    on_ray = quiet_run(small_scenario(), tmp_path / "ray", backend="ray")
    assert serial.tables() == processes.tables() == on_ray.tables()
    assert {"metrics", "links"} <= set(serial.tables())
    assert serial.to_pandas().resent_wire_bytes.sum() > 0  # the lossy variant drew its resends
    for name in serial.tables():
        expected = sorted_table(serial, name)
        pd.testing.assert_frame_equal(sorted_table(processes, name), expected)
        pd.testing.assert_frame_equal(sorted_table(on_ray, name), expected)
    other_seed = quiet_run(small_scenario(seed=12), tmp_path / "other", backend="serial")
    assert not serial.to_pandas().reward.equals(other_seed.to_pandas().reward)


def request_of(*units) -> dict:
    """A request for ``units``, as a store needs one: every unit with its part name."""
    return {"units": [{"part": netsim.store.part_name(unit)} for unit in units]}


def test_every_table_is_labelled_and_read_back_in_variant_then_trial_order(tmp_path):
    store = RunStore.open(tmp_path, request_of((0, 0), (0, 1), (1, 0)), {})
    for unit in [(1, 0), (0, 1), (0, 0)]:  # completion order differs from unit order
        variant, trial = unit
        store.write(
            unit,
            {
                "metrics": pd.DataFrame({"variant": [variant], "trial": [trial], "x": [1.0]}),
                "links": pd.DataFrame({"variant": [variant] * 2, "trial": [trial] * 2}),
            },
        )
    assert store.table_names() == ["links", "metrics"]
    assert store.read("metrics")[["variant", "trial"]].values.tolist() == [[0, 0], [0, 1], [1, 0]]
    assert len(store.read("links")) == 6
    with pytest.raises(KeyError, match=r"no table 'messages'; tables: \['links', 'metrics'\]"):
        store.read("messages")
    with pytest.raises(FileExistsError, match="already stored"):
        store.write((0, 0), {"metrics": pd.DataFrame({"x": [2.0]})})


def test_a_partial_part_is_never_read_and_is_removed_on_resume(tmp_path):
    store = RunStore.open(tmp_path, request_of((0, 0), (0, 1)), {})
    store.write((0, 0), {"metrics": pd.DataFrame({"x": [1.0]})})
    store.close()
    partial = tmp_path / "parts" / ".partial-v0000-t0001-abc"
    partial.mkdir()
    (partial / "metrics.parquet").write_bytes(b"truncated, not parquet")
    assert store.finished() == {(0, 0)}
    assert store.read("metrics").x.tolist() == [1.0]
    RunStore.open(tmp_path, request_of((0, 0), (0, 1)), {}).close()
    assert not partial.exists()
    assert (tmp_path / "parts" / "v0000-t0000" / "metrics.parquet").is_file()


def test_a_rerun_skips_finished_trials_and_records_each_session(tmp_path):
    first = quiet_run(small_scenario(), tmp_path, workers=1)
    part = tmp_path / "parts" / "v0001-t0001" / "metrics.parquet"
    written = part.stat().st_mtime_ns
    shutil.rmtree(tmp_path / "parts" / "v0000-t0001")  # as if that trial had not finished
    second = quiet_run(small_scenario(), tmp_path, workers=1)
    assert part.stat().st_mtime_ns == written
    assert second.complete
    pd.testing.assert_frame_equal(second.to_pandas(), first.to_pandas())
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert len(manifest["sessions"]) == 2
    session = manifest["sessions"][0]
    assert session["versions"]["netsim"] and session["versions"]["torch"]
    assert "git_commit" in session and session["backend"] == "processes"
    assert manifest["request"]["units"][1] == {
        "part": "v0000-t0001",
        "variant": "es",
        "trial": 1,
        "seed": {"entropy": 11, "spawn_key": [1]},
    }


def test_a_directory_holding_another_configuration_is_refused_and_kept(tmp_path):
    quiet_run(small_scenario(), tmp_path, workers=1)
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    with pytest.raises(
        FileExistsError, match=rf"{tmp_path} holds results of a different .*episodes"
    ):
        quiet_run(small_scenario(episodes=3), tmp_path, workers=1)
    after = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    assert after == before
    stranger = tmp_path / "elsewhere"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("mine")
    with pytest.raises(FileExistsError, match="not empty and holds no manifest.json"):
        quiet_run(small_scenario(), stranger, workers=1)
    assert [path.name for path in stranger.iterdir()] == ["notes.txt"]


def many_variants(count: int) -> Scenario:
    """A scenario whose request, as a run directory records it, runs to thousands of characters."""
    graph = star(2, 1e6)
    return Scenario("mine", [Variant(f"ES {i}", "es", graph) for i in range(count)], episodes=1)


def test_a_refusal_is_one_short_line_saying_why_and_what_to_do(tmp_path):
    quiet_run(many_variants(2), tmp_path, workers=1)
    with pytest.raises(FileExistsError) as refused:
        quiet_run(many_variants(40), tmp_path, workers=1)
    message = str(refused.value)
    assert len(message) < 300 and "\n" not in message, message
    assert message.startswith(f"{tmp_path} holds results of a different configuration")
    assert "variants: 2 stored, 40 now" in message and "--out" in message


def test_the_command_line_refuses_a_directory_of_another_run_in_one_line(tmp_path, capsys):
    config = tmp_path / "grid.toml"
    out = tmp_path / "out"
    arguments = ["run", str(config), "--out", str(out), "--backend", "serial"]
    for episodes in (1, 2):
        config.write_text(
            f'name = "cli"\nepisodes = {episodes}\ntrials = 1\n[[variants]]\nname = "v"\n'
            'algorithm = "es"\ntopology = { builder = "star", n_agents = 2, bandwidth_bps = 1e6 }\n'
        )
        status = netsim.cli.main(arguments)
    assert status != 0
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith(f"netsim: error: {out} holds results of a different configuration")
    assert "episodes: stored 1, now 2" in error and "--out" in error and len(error) < 300


def test_a_sweep_killed_mid_run_resumes_to_the_uninterrupted_table(tmp_path):
    scenario_file = tmp_path / "slow.py"
    scenario_file.write_text(
        "import netsim\n"
        "SCENARIO = netsim.Scenario('slow', [netsim.Variant('es', 'es', netsim.star(4, 1e6))],\n"
        "                           episodes=120, trials=6, seed=3)\n"
    )
    out = tmp_path / "out"
    command = [sys.executable, "-m", "netsim.cli", "run", str(scenario_file), "--out", str(out)]
    job = subprocess.Popen(
        [*command, "--backend", "serial"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    parts = out / "parts"
    deadline = time.monotonic() + 120
    while not (parts.is_dir() and list(parts.glob("v*-t*"))):
        assert job.poll() is None and time.monotonic() < deadline, "the sweep never wrote a part"
        time.sleep(0.01)
    os.killpg(job.pid, signal.SIGKILL)  # the whole job, as a batch scheduler kills it
    job.wait()
    interrupted = RunStore(out).finished()
    assert 1 <= len(interrupted) < 6
    for unit in interrupted:  # every part under a final name is whole
        pd.read_parquet(parts / netsim.store.part_name(unit) / "metrics.parquet")

    subprocess.run(command, check=True, capture_output=True)  # the same command, run again
    assert not list(parts.glob(".partial-*"))
    resumed = netsim.Results(out)
    assert resumed.complete
    assert len(json.loads((out / "manifest.json").read_text())["sessions"]) == 2
    whole = quiet_run(load_scenario(str(scenario_file)), tmp_path / "whole", backend="serial")
    pd.testing.assert_frame_equal(sorted_table(resumed, "metrics"), sorted_table(whole, "metrics"))


def test_an_unknown_backend_or_misplaced_address_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown backend 'dask'; known: processes, ray, serial"):
        quiet_run(small_scenario(), tmp_path, backend="dask")
    with pytest.raises(ValueError, match="address 'auto' is for the ray backend"):
        quiet_run(small_scenario(), tmp_path, address="auto")
    assert not tmp_path.joinpath("manifest.json").exists()


def test_plot_draws_a_stored_run_and_names_a_directory_that_is_not_one(tmp_path, capsys):
    quiet_run(small_scenario(trials=1), tmp_path / "run", backend="serial")
    assert netsim.cli.main(["plot", str(tmp_path / "run")]) == 0
    assert (tmp_path / "run" / "plots" / "panels.png").stat().st_size > 0
    assert (tmp_path / "run" / "plots" / "panels.pdf").stat().st_size > 0
    assert netsim.cli.main(["plot", str(tmp_path)]) == 2
    assert f"{tmp_path} holds no manifest.json: not a netsim run" in capsys.readouterr().err
    assert netsim.cli.main(["plot", str(tmp_path / "run"), "--estimator", "median-iqr"]) == 0
    assert netsim.cli.main(["plot", str(tmp_path / "run"), "--estimator", "mean-sd"]) == 2
    assert "netsim: error: estimator 'mean-sd' is unknown" in capsys.readouterr().err


def test_compare_prints_window_means_and_a_paired_comparison(tmp_path, capsys):
    quiet_run(small_scenario(), tmp_path / "run", backend="serial")
    arguments = ["compare", str(tmp_path / "run"), "--windows", "0-1,2-3", "--baseline", "es"]
    assert netsim.cli.main(arguments) == 0
    out = capsys.readouterr().out
    assert "reward_mean" in out and "paired by trial against 'es', episodes 0 on:" in out
    assert "espc" in out and "wilcoxon_p" in out and "not every trial" not in out
    assert netsim.cli.main(["compare", str(tmp_path / "run"), "--rise", "0", "--lag", "1"]) == 0
    out = capsys.readouterr().out
    assert "rose by > 0 over the last 1 episodes, and where it was flat (within 1)" in out
    assert "rising_frequency" in out and "correlation" in out
    assert netsim.cli.main(["compare", str(tmp_path / "run"), "--rise", "5", "--lag", "9"]) == 2
    assert "no round from episode 9 on (lag 9)" in capsys.readouterr().err
    assert netsim.cli.main(["compare", str(tmp_path / "run"), "--baseline", "nope"]) == 2
    assert "no variant 'nope'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        netsim.cli.main(["compare", str(tmp_path / "run"), "--windows", "0-a"])
    with pytest.raises(SystemExit):
        netsim.cli.main(["compare", str(tmp_path / "run"), "--rise", "-1"])
    with pytest.raises(SystemExit):
        netsim.cli.main(["compare", str(tmp_path / "run"), "--lag", "3", "--flat", "2"])
    assert "--lag and --flat only apply with --rise" in capsys.readouterr().err
    assert netsim.cli.main(["compare", str(tmp_path / "run"), "--rise", "0"]) == 2  # lag 10
    assert "no round from episode 10 on (lag 10): the last is 3" in capsys.readouterr().err


def counting_trials(monkeypatch) -> list[tuple[str, int]]:
    """Patch the runner to note each (variant, trial) it actually computes."""
    computed: list[tuple[str, int]] = []
    original = netsim.runner.run_trial

    def run_trial(scenario, unit, **options):
        computed.append((scenario.variants[unit[0]].name, unit[1]))
        return original(scenario, unit, **options)

    monkeypatch.setattr(netsim.runner, "run_trial", run_trial)
    return computed


def test_reuse_copies_only_the_same_computation_and_gives_a_fresh_run_s_tables(
    tmp_path, monkeypatch
):
    es, espc, fair, *_ = small_scenario().variants
    first = small_scenario(variants=[es, espc], trials=2)
    quiet_run(first, tmp_path / "first", backend="serial")
    # the same es at another index, espc renamed (its tables carry the name), fair is new
    second = small_scenario(variants=[fair, es, replace(espc, name="espc m=2")], trials=3)
    computed = counting_trials(monkeypatch)
    reused = quiet_run(second, tmp_path / "second", backend="serial", reuse=[tmp_path / "first"])
    assert sorted(computed) == sorted(
        [("es fair lossy", t) for t in range(3)] + [("es", 2)] + [("espc m=2", t) for t in range(3)]
    )
    for trial in range(2):  # v0000 of the first run is v0001 of the second
        source = tmp_path / "first" / "parts" / f"v0000-t000{trial}" / "metrics.parquet"
        copy = tmp_path / "second" / "parts" / f"v0001-t000{trial}" / "metrics.parquet"
        assert copy.read_bytes() == source.read_bytes()
        timing = source.with_name("timing.json")  # what it took, as it was measured then
        assert copy.with_name("timing.json").read_text() == timing.read_text()
    manifest = json.loads((tmp_path / "second" / "manifest.json").read_text())
    assert manifest["sessions"][0]["reuse"] == [str(tmp_path / "first")]
    fresh = quiet_run(second, tmp_path / "fresh", backend="serial")
    for name in fresh.tables():
        pd.testing.assert_frame_equal(sorted_table(reused, name), sorted_table(fresh, name))

    computed.clear()  # other episodes or another seed are other computations
    quiet_run(
        replace(first, episodes=3), tmp_path / "e3", backend="serial", reuse=[tmp_path / "first"]
    )
    quiet_run(
        replace(first, seed=12), tmp_path / "s12", backend="serial", reuse=[tmp_path / "first"]
    )
    assert len(computed) == 8
    with pytest.raises(FileNotFoundError, match=r"nowhere holds no manifest.json"):
        quiet_run(first, tmp_path / "third", reuse=[tmp_path / "nowhere"])
    assert not (tmp_path / "third").exists()


def test_no_trial_starts_after_the_limit_and_the_same_call_goes_on(tmp_path, monkeypatch, capsys):
    clock = [0.0]  # each trial takes one second of a fake wall clock

    class FakeTime:  # the runner's clock for its limit; its trials still time themselves
        perf_counter, process_time = time.perf_counter, time.process_time

        @staticmethod
        def monotonic() -> float:
            return clock[0]

    original = netsim.runner.run_trial

    def one_second_trial(scenario, unit, **options):
        clock[0] += 1.0
        return original(scenario, unit, **options)

    monkeypatch.setattr(netsim.runner, "time", FakeTime)
    monkeypatch.setattr(netsim.runner, "run_trial", one_second_trial)
    scenario = small_scenario(variants=small_scenario().variants[:3], trials=2)  # 6 trials
    cut = quiet_run(scenario, tmp_path / "cut", backend="serial", stop_starting_after_s=1.5)
    assert len(RunStore(tmp_path / "cut").finished()) == 2  # started at 0 and 1 s
    assert not cut.complete
    times = cut.trial_times()  # each part records what it took; trial 0 of each variant first
    assert times[["variant", "trial"]].values.tolist() == [["es", 0], ["espc", 0]]
    assert (times.wall_s > 0).all() and (times.cpu_s > 0).all() and times.host.notna().all()
    progress = cut.progress().set_index("variant")
    assert progress.finished.tolist() == [1, 1, 0] and (progress.trials == 2).all()
    assert progress.remaining_wall_s.tolist() == pytest.approx(
        [*times.wall_s, 2 * times.wall_s.mean()]  # no es fair lossy timed: the mean
    )
    assert netsim.cli.main(["status", str(tmp_path / "cut")]) == 0
    printed = capsys.readouterr().out
    assert "2 of 6 trials finished" in printed and "left: about" in printed
    assert netsim.cli.main(["compare", str(tmp_path / "cut"), "--windows", "0-3"]) == 0
    assert "not every trial has finished; comparing those that have" in capsys.readouterr().out
    resumed = quiet_run(scenario, tmp_path / "cut", backend="serial")
    whole = quiet_run(scenario, tmp_path / "whole", backend="serial")
    assert resumed.complete
    pd.testing.assert_frame_equal(sorted_table(resumed, "metrics"), sorted_table(whole, "metrics"))
    with pytest.raises(ValueError, match="stop_starting_after_s = 0 must be > 0"):
        quiet_run(scenario, tmp_path / "zero", stop_starting_after_s=0)


@pytest.mark.parametrize("executor", ["serial", "processes", "ray"])
def test_an_executor_takes_an_item_only_when_a_worker_is_free(executor, request):
    if executor == "ray":
        request.getfixturevalue("local_ray")
    chosen = {"serial": Serial(), "processes": Processes(2), "ray": Ray(workers=2)}[executor]
    taken: list[int] = []

    def items():
        for item in range(-6, 0):
            taken.append(item)
            yield item

    results = chosen.map_unordered(abs, items())
    first_item, first_result = next(results)
    assert first_result == abs(first_item)
    assert len(taken) <= {"serial": 1, "processes": 3, "ray": 3}[executor]
    assert sorted([(first_item, first_result), *results]) == [(i, -i) for i in range(-6, 0)]


def test_the_cli_takes_a_duration_and_refuses_a_malformed_one(tmp_path, capsys):
    with pytest.raises(SystemExit):
        netsim.cli.main(["run", "quickstart", "--stop-starting-after", "2 hours"])
    assert "'2 hours' is not a duration such as 2h30m" in capsys.readouterr().err
    assert netsim.cli._duration("2h30m") == 9000 and netsim.cli._duration("90") == 90


@pytest.mark.parametrize("name", ["fig4_6_ant", "fig4_9_ant_m", "fig4_11_ant_k"])
def test_a_run_directory_recorded_before_the_role_free_core_is_the_same_request_today(name):
    """Its variants' ``rounds`` and configs' ``rollout_workers``, brought to today's form, are
    what the same scenario asks for now: such a run resumes, and its trials can be reused."""
    scenario = load_scenario(name)
    units = [(v, t) for v in range(len(scenario.variants)) for t in range(scenario.trials)]
    wanted = json.loads(json.dumps(runner._request(scenario, units), default=str))
    stored = RunStore(Path(__file__).parents[1] / "results" / name).request
    assert "rounds" in stored["scenario"]["variants"][0]  # recorded in the old form
    assert runner.upgrade_request(stored) == wanted


def test_a_setting_an_algorithm_gained_since_a_run_was_recorded_takes_its_default():
    """A stored request without ES's ``fitness`` is today's request with the default ``raw``, so
    the run resumes; one recorded with another value keeps it, so a different run is refused."""
    scenario = Scenario("gained", [Variant("ES", "es", star(2, 1e6))], episodes=2, trials=1)
    today = json.loads(json.dumps(runner._request(scenario, [(0, 0)]), default=str))
    older = json.loads(json.dumps(today))
    del older["scenario"]["variants"][0]["config"]["fitness"]
    assert runner.upgrade_request(older) == today
    ranked = json.loads(json.dumps(today))
    ranked["scenario"]["variants"][0]["config"]["fitness"] = "ranks"
    assert runner.upgrade_request(ranked) != today


def test_rollout_workers_change_neither_a_runs_identity_nor_its_results(tmp_path):
    variant = Variant("ES", "es", star(2, 1e6), env="Pendulum-v1", config={"hidden": (4,)})
    scenario = Scenario("pooled", [variant], episodes=2, trials=2, seed=3)
    one = tmp_path / "one"
    quiet_run(scenario, one, backend="serial")
    resumed = quiet_run(scenario, one, backend="serial", rollout_workers=2)
    assert resumed.complete  # not refused: the same request, nothing to run again
    reused = quiet_run(scenario, tmp_path / "two", backend="serial", reuse=[one], rollout_workers=2)
    serial = quiet_run(scenario, tmp_path / "three", backend="serial")
    assert reused.to_pandas().equals(serial.to_pandas())
    assert resumed.to_pandas().equals(serial.to_pandas())
    sessions = json.loads((one / "manifest.json").read_text())["sessions"]
    assert [session["rollout_workers"] for session in sessions] == [1, 2]
