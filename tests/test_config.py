"""TOML scenario and sweep configs: grids expand, and bad input is named by file and field."""

import copy
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netsim
import netsim.cli
from netsim.catalog import load_scenario, load_script
from netsim.config import ConfigError, load_config, scenario_from_dict, scenario_from_toml
from netsim.sweep import expand

VALID = {
    "name": "tiny",
    "episodes": 3,
    "trials": 2,
    "defaults": {"topology": {"builder": "star", "n_agents": 4, "bandwidth_bps": 1e6}},
    "variants": [
        {"name": "ES", "algorithm": "es", "config": {"sigma": 0.1, "hidden": [4]}},
        {
            "name": "ESPC",
            "algorithm": "espc",
            "config": {"m": 2},
            "network": {"framing": {"mtu_bytes": 576}},
            "compute": {"step_time_s": 0.002},
        },
    ],
    "grid": {"topology.latency_s": [0.0, 0.05], "env": ["CartPole-v1"]},
}


def with_change(path: str, value) -> dict:
    """VALID with the value at dotted ``path`` (list items by index) replaced."""
    data = copy.deepcopy(VALID)
    *parents, last = path.split(".")
    table = data
    for part in parents:
        table = table[int(part)] if isinstance(table, list) else table[part]
    table[int(last) if isinstance(table, list) else last] = value
    return data


def test_the_shipped_sweep_crosses_each_variant_with_every_bandwidth():
    scenario = load_scenario("cartpole_bandwidth_grid")
    assert [variant.name for variant in scenario.variants] == [
        f"{label} bandwidth_bps={bandwidth}"
        for label in ("ES n=20", "ESPC n=20 m=10")
        for bandwidth in ("16000", "128000", "1e+06")
    ]
    access = [variant.topology.edges["router", "agent-0"] for variant in scenario.variants]
    assert [edge["bandwidth_bps"] for edge in access] == [16e3, 128e3, 1e6] * 2
    assert scenario.variants[3].resolved_config().m == 10


def test_a_config_builds_every_field_including_nested_settings():
    scenario = scenario_from_dict(VALID)
    assert [variant.name for variant in scenario.variants] == [
        "ES latency_s=0, env=CartPole-v1",
        "ES latency_s=0.05, env=CartPole-v1",
        "ESPC latency_s=0, env=CartPole-v1",
        "ESPC latency_s=0.05, env=CartPole-v1",
    ]
    es, espc = scenario.variants[1], scenario.variants[3]
    assert es.resolved_config().hidden == (4,) and es.resolved_config().sigma == 0.1
    assert es.topology.edges["learner", "agent-3"]["latency_s"] == 0.05
    assert espc.network.framing.mtu_bytes == 576 and espc.compute.step_time_s == 0.002
    assert scenario.episodes == 3 and scenario.trials == 2 and scenario.seed == 0


def test_grid_labels_use_the_whole_key_only_where_last_components_repeat():
    points = expand(
        [{"name": "v"}], {"topology.latency_s": [1], "compute.latency_s": [2], "env": ["E"]}
    )
    assert points[0]["name"] == "v topology.latency_s=1, compute.latency_s=2, env=E"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            with_change("trials", 0),
            r"tiny\.toml: scenario 'tiny': trials = 0 must be an integer >= 1",
        ),
        (with_change("episodes", "ten"), r"tiny\.toml: episodes: expected int, not str 'ten'"),
        (with_change("episodes", True), r"tiny\.toml: episodes: expected an integer, not True"),
        (
            {**VALID, "trails": 3},
            r"tiny\.toml: unknown key 'trails' \(did you mean 'trials'\?\)",
        ),
        (
            with_change("defaults.topology.bandwith_bps", 1),
            r"variant 'ES .*'\.topology: unknown key 'bandwith_bps' \(did you mean 'bandwidth_bps'",
        ),
        (
            with_change("variants.0.config.sigam", 1),
            r"variant 'ES .*'\.config: unknown key 'sigam' \(did you mean 'sigma'\?\)",
        ),
        (
            with_change("variants.0.config.sigma", -1.0),
            r"tiny\.toml: variant 'ES .*'\.config\.sigma = -1\.0 is invalid",
        ),
        (
            with_change("variants.0.config.hidden", ["wide"]),
            r"variant 'ES .*'\.config\.hidden\[0\]: expected int, not str 'wide'",
        ),
        (
            with_change("variants.0.config.optimizer", "adma"),
            r"config\.optimizer: 'adma' is not one of 'adam', 'momentum'",
        ),
        (
            with_change("variants.1.config.m", 9),
            r"variant 'ESPC .*': ESPC m = 9 exceeds the number of agents n = 4",
        ),
        (
            with_change("variants.0.algorithm", "espcc"),
            r"variant 'ES .*'\.algorithm: unknown algorithm 'espcc' \(did you mean 'espc'\?\)",
        ),
        (
            with_change("variants.1.network.framing", {"mtu_byte": 9}),
            r"network\.framing: unknown key 'mtu_byte' \(did you mean 'mtu_bytes'\?\)",
        ),
        (
            with_change("defaults.topology.builder", "stra"),
            r"topology\.builder: unknown topology builder 'stra' \(did you mean 'star'\?\)",
        ),
        (
            with_change("defaults.topology.n_agents", 0),
            r"topology: star: n_agents = 0 must be an integer >= 1",
        ),
        (
            with_change("defaults.topology", {"builder": "star", "n_agents": 4}),
            r"topology: missing required field\(s\): bandwidth_bps",
        ),
        (
            with_change("grid.env", []),
            r"tiny\.toml: grid key 'env': give a non-empty list of values",
        ),
        ({**VALID, "variants": []}, r"variants: give at least one \[\[variants\]\] table"),
        (with_change("variants.0", "es"), r"variants\[0\]: expected a table, not str 'es'"),
    ],
)
def test_bad_configs_are_refused_naming_the_file_and_the_field(data, message):
    with pytest.raises(ConfigError, match=message):
        scenario_from_dict(data, "tiny.toml")


def test_a_toml_syntax_error_names_the_file_and_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('name = "x"\nepisodes = = 3\n')
    with pytest.raises(ConfigError, match=rf"{path}: not valid TOML: .*line 2"):
        load_config(path)


SCALARS = (
    st.integers(-3, 60)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.booleans()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value, prefix=()):
    """Every path (a tuple of keys and indices) into nested tables and lists."""
    yield prefix
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, child in items:
        yield from _paths(child, (*prefix, key))


KNOWN_KEYS = [
    "name",
    "algorithm",
    "topology",
    "config",
    "m",
    "k",
    "builder",
    "n_agents",
    "bandwidth_bps",
    "grid",
]


@st.composite
def mutated_configs(draw):
    """VALID with a few values replaced, keys dropped or keys added (known names or noise)."""
    data = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(list(_paths(data))[1:]))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "drop", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(VALUES)
        elif action == "drop" and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent[path[-1]], dict):
            key = draw(st.sampled_from(KNOWN_KEYS) | st.text(max_size=8))
            parent[path[-1]][key] = draw(VALUES)
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_configs())
def test_a_fuzzed_config_is_either_a_scenario_or_a_config_error(data):
    try:
        scenario = scenario_from_dict(data, "fuzz.toml")
    except ConfigError as error:
        assert str(error).startswith("fuzz.toml: ")
    else:
        assert isinstance(scenario, netsim.Scenario)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_fuzzed_toml_text_is_either_a_scenario_or_a_config_error(text):
    try:
        scenario_from_toml(text, "fuzz.toml")
    except ConfigError as error:
        assert str(error).startswith("fuzz.toml: ")


def test_cli_reports_a_bad_config_without_a_traceback_and_writes_nothing(tmp_path):
    config = tmp_path / "typo.toml"
    config.write_text(
        'name = "typo"\n[[variants]]\nname = "ES"\nalgorithm = "es"\n'
        'topology = { builder = "star", n_agents = 2, bandwdth_bps = 1e6 }\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", "netsim.cli", "sweep", str(config), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert f"{config}: variant 'ES'.topology: unknown key 'bandwdth_bps'" in done.stderr
    assert "did you mean 'bandwidth_bps'?" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_cli_lists_environments_topologies_and_toml_scenarios():
    done = subprocess.run(
        [sys.executable, "-m", "netsim.cli", "list"], capture_output=True, text=True, check=True
    )
    assert "environments:\n  CartPole-v1\n" in done.stdout
    assert "  two_tier(n_agents: int, n_edges: int, access_bandwidth_bps: PerAgent" in done.stdout
    assert "cartpole_bandwidth_grid.toml" in done.stdout and "quickstart.py" in done.stdout


def test_every_shipped_scenario_loads_and_helper_modules_are_not_listed():
    from netsim.catalog import _import, find_scenario, scenario_names

    names = scenario_names()
    assert {"fig3_4_simple_grid", "fig3_5_frozen_lake", "quickstart"} <= set(names)
    assert not [name for name in names if name.startswith("_")]
    for name in names:
        if load_script(name) is None:
            full = load_scenario(name)
            assert full.variants
            path = find_scenario(name)
            if path.suffix == ".py" and hasattr(_import(path), "QUICK"):
                quick = load_scenario(name, quick=True)
                assert quick.variants and quick.name != full.name  # its own results folder
    lake = load_scenario("fig3_5_frozen_lake")
    assert lake.cumulative_reward and lake.trials == 100 and lake.episodes == 1000
    assert {variant.env for variant in lake.variants} == {"netsim/FrozenLake5x5-v0"}


QUICK_FILE = """
import netsim
import netsim.cli
network = netsim.star(2, bandwidth_bps=1e6)
SCENARIO = netsim.Scenario("full", [netsim.Variant("ES", "es", network)], episodes=50)
QUICK = netsim.Scenario("smoke", [netsim.Variant("ES", "es", network)], episodes=2, trials=1)
"""

SCRIPT_FILE = """
import argparse
from pathlib import Path

def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    Path(args.out).write_text("quick" if args.quick else "full")
    return 3
"""


def test_quick_picks_a_scenario_files_smoke_form_and_says_when_there_is_none(tmp_path):
    path = tmp_path / "study.py"
    path.write_text(QUICK_FILE)
    assert load_scenario(str(path)).name == "full"
    assert load_scenario(str(path), quick=True).name == "smoke"
    bare = tmp_path / "bare.py"
    bare.write_text(QUICK_FILE.split("QUICK")[0])
    with pytest.raises(ValueError, match=r"bare.py defines no quick form"):
        load_scenario(str(bare), quick=True)
    with pytest.raises(ValueError, match=r"config file has no quick form"):
        load_scenario("cartpole_bandwidth_grid", quick=True)


def test_a_script_scenario_runs_its_main_with_the_options_given(tmp_path):
    path = tmp_path / "monte_carlo.py"
    path.write_text(SCRIPT_FILE)
    out = tmp_path / "written.txt"
    assert netsim.cli.main(["run", str(path), "--quick", "--out", str(out)]) == 3
    assert out.read_text() == "quick"
    with pytest.raises(ValueError, match=r"monte_carlo.py is a script \(it defines main\)"):
        load_scenario(str(path))
    with pytest.raises(SystemExit):  # the script's own parser refuses what it does not take
        netsim.cli.main(["run", str(path), "--out", str(out), "--episodes", "3"])


def test_a_variants_own_error_names_it_once():
    text = """
name = "bad"
[[variants]]
name = "espc"
algorithm = "espc"
config = { m = 9 }
topology = { builder = "star", n_agents = 4, bandwidth_bps = 1e6 }
"""
    with pytest.raises(netsim.ConfigError) as raised:
        netsim.config.scenario_from_toml(text, "bad.toml")
    assert str(raised.value) == (
        "bad.toml: variant 'espc': ESPC m = 9 exceeds the number of agents n = 4"
    )
