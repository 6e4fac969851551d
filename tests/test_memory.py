"""A run too large for the machine is refused before it starts, from the estimate of
:mod:`netsim.memory`, in one line naming the estimate and the memory available, unless the user
insists; the shipped scenarios are never refused on a machine of 4 GB."""

import time
from types import SimpleNamespace

import pytest

import netsim
import netsim.cli
from netsim import memory
from netsim.catalog import load_scenario, scenario_names
from netsim.executors import Processes, Ray, Serial

GRID = "netsim/SimpleGrid-v0"


def small(episodes: int = 2, trials: int = 2) -> netsim.Scenario:
    variants = [
        netsim.Variant("two", "dql", netsim.star(2, 1e6), env=GRID),
        netsim.Variant("five", "dql", netsim.star(5, 1e6), env=GRID),
    ]
    return netsim.Scenario("small", variants, episodes=episodes, trials=trials)


def quiet_run(scenario, out, **options) -> netsim.Results:
    return netsim.run(scenario, out, backend="serial", progress=False, plots=False, **options)


def test_the_estimate_is_the_model_its_module_states():
    rows = 4 * 3 * (2 + 5)
    trial = 5 * memory.AGENT_BYTES + 3 * 5 * memory.ROW_TRIAL_BYTES
    assert memory.estimate_bytes(small(3, 4), 2) == rows * memory.ROW_HELD_BYTES + 2 * trial


def test_trials_at_a_time_follow_the_executor():
    assert memory.concurrent_trials(Serial(), 10) == 1
    assert memory.concurrent_trials(Processes(8), 3) == 3
    assert memory.concurrent_trials(Processes(2), 10) == 2
    assert memory.concurrent_trials(Ray(4), 10) == 4
    assert memory.concurrent_trials(Ray(4, "auto"), 10) == 0  # a cluster's trials run there


def test_the_issues_examples_are_estimated_beyond_a_large_machine():
    """10^6 agents (which reached 5 GB before writing anything) and 10^9 episodes (4 GB in
    29 s), estimated without building them."""
    million = SimpleNamespace(variants=[SimpleNamespace(n_agents=10**6)], trials=1, episodes=1)
    billion = SimpleNamespace(variants=[SimpleNamespace(n_agents=2)], trials=1, episodes=10**9)
    assert memory.estimate_bytes(million, 1) > 10e9  # measured: 14 kB per agent at 10^5
    assert memory.estimate_bytes(billion, 1) > 1e12


def test_a_run_too_large_is_refused_at_once_with_the_estimate_and_nothing_written(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(memory, "available_bytes", lambda: 4 * 10**9)
    out = tmp_path / "out"
    started = time.monotonic()
    with pytest.raises(memory.TooLarge) as raised:
        quiet_run(small(episodes=10**9), out)
    assert time.monotonic() - started < 1
    message = str(raised.value)
    assert "scenario 'small' would need about" in message and " TB of memory" in message
    assert "14,000,000,000 metrics rows" in message and "more than the 4.0 GB" in message
    assert "--force" in message and "\n" not in message
    assert not out.exists()


def test_force_runs_what_the_estimate_refuses(tmp_path, monkeypatch):
    monkeypatch.setattr(memory, "available_bytes", lambda: 1000)
    with pytest.raises(memory.TooLarge, match="more than the 1 kB this machine has available"):
        quiet_run(small(), tmp_path / "refused")
    assert not (tmp_path / "refused").exists()
    assert quiet_run(small(), tmp_path / "forced", force=True).complete


def test_unknown_memory_refuses_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(memory, "available_bytes", lambda: None)
    assert quiet_run(small(), tmp_path / "out").complete


CONFIG = """name = "cli"
episodes = {episodes}
trials = 1
[[variants]]
name = "v"
algorithm = "dql"
env = "netsim/SimpleGrid-v0"
topology = {{ builder = "star", n_agents = 2, bandwidth_bps = 1e6 }}
"""


def test_the_command_line_refuses_in_one_line_and_insists_with_force(tmp_path, capsys, monkeypatch):
    big = tmp_path / "big.toml"
    big.write_text(CONFIG.format(episodes=10**9))
    out = tmp_path / "out"
    assert netsim.cli.main(["run", str(big), "--out", str(out), "--backend", "serial"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("netsim: error: scenario 'cli' would need about ")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err + captured.out
    assert "--force" in captured.err and not out.exists()

    monkeypatch.setattr(memory, "available_bytes", lambda: 1000)
    tiny = tmp_path / "tiny.toml"
    tiny.write_text(CONFIG.format(episodes=2))
    arguments = ["run", str(tiny), "--out", str(out), "--backend", "serial"]
    assert netsim.cli.main(arguments) == 2 and not out.exists()
    assert netsim.cli.main([*arguments, "--force"]) == 0
    assert netsim.Results(out).complete


def test_the_shipped_scenarios_are_never_refused_on_a_4_gb_machine():
    """Every shipped scenario and its quick form, at up to 64 trials at a time, is estimated
    below 2 GB: half of a 4 GB machine, the rest left to the processes' interpreters."""
    estimates = {}
    for name in scenario_names():
        for quick in (False, True):
            try:
                scenario = load_scenario(name, quick=quick)
            except ValueError:  # a script, or no quick form
                continue
            units = len(scenario.variants) * scenario.trials
            estimates[name, quick] = memory.estimate_bytes(scenario, min(64, units))
    assert len(estimates) >= 20
    assert max(estimates.values()) < 2e9, max(estimates.items(), key=lambda item: item[1])


def test_available_memory_is_memavailable_else_the_physical_memory(tmp_path, monkeypatch):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       4000000 kB\nMemAvailable:   3000000 kB\n")
    monkeypatch.setattr(memory, "MEMINFO", meminfo)
    assert memory.available_bytes() == 3000000 * 1024
    monkeypatch.setattr(memory, "MEMINFO", tmp_path / "none")
    assert memory.available_bytes() > 0
