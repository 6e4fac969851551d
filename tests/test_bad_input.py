"""A catalogue of bad input: each case is refused with a known error type and a message that names
the culprit (the setting, the edge, the name with its close match); the cases a command line can
reach are run through ``netsim.cli.main``, which must print one line and no traceback."""

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

import netsim
import netsim.cli
import netsim.config
from algorithms import ALGORITHMS
from algorithms.es import ESConfig
from netsim.executors import make_executor

GRID = "netsim/SimpleGrid-v0"
INF, NAN = math.inf, math.nan


def variant(topology: nx.Graph | None = None, **settings) -> netsim.Variant:
    settings.setdefault("env", GRID)
    return netsim.Variant("v", "dql", topology or netsim.star(2, 1e6), **settings)


def scenario(**settings) -> netsim.Scenario:
    return netsim.Scenario(**{"name": "s", "variants": [variant()], "episodes": 2, **settings})


def edge(**attributes) -> nx.Graph:
    graph = netsim.star(2, 1e6)
    graph.edges["learner", "agent-1"].update(attributes)
    return graph


def multigraph() -> nx.MultiGraph:
    graph = nx.MultiGraph(netsim.star(2, 1e6))
    graph.add_edge("learner", "agent-0", bandwidth_bps=1e3, latency_s=0.0)
    return graph


def roleless() -> nx.Graph:
    graph = nx.Graph()
    graph.add_edge("a", "b", bandwidth_bps=1e6, latency_s=0.0)
    return graph


def transfer(size, start) -> list[float]:
    graph = nx.Graph()
    graph.add_edge("a", "b", bandwidth_bps=1e6, latency_s=0.0)
    return netsim.time_transfers(graph, [("a", "b", size, start)])


SECOND_VARIANT = """[[variants]]
name = "v"
algorithm = "dql"
env = "netsim/SimpleGrid-v0"
topology = { builder = "star", n_agents = 2, bandwidth_bps = 1e6 }"""


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], object]
    error: type[Exception]
    culprit: str
    """A piece of the message that names what is wrong."""
    toml: str | None = None
    """The same input in a config file's variant table (or ``name = ...`` line), where one can
    give it."""


Compute, Central, Network = netsim.ComputeSettings, netsim.CentralSettings, netsim.NetworkSettings

CASES = [
    # compute times
    Case(
        "update inf",
        lambda: Compute(update_time_s=INF),
        ValueError,
        "update_time_s = inf",
        "compute = { update_time_s = inf }",
    ),
    Case(
        "update nan",
        lambda: Compute(update_time_s=NAN),
        ValueError,
        "update_time_s",
        "compute = { update_time_s = nan }",
    ),
    Case(
        "update str",
        lambda: Compute(update_time_s="1e-3"),
        TypeError,
        "update_time_s",
        'compute = { update_time_s = "1e-3" }',
    ),
    Case(
        "update bool",
        lambda: Compute(update_time_s=True),
        TypeError,
        "update_time_s = True",
        "compute = { update_time_s = true }",
    ),
    Case(
        "update negative",
        lambda: Compute(update_time_s=-1),
        ValueError,
        "update_time_s = -1",
        "compute = { update_time_s = -1.0 }",
    ),
    Case(
        "step inf",
        lambda: Compute(step_time_s=INF),
        ValueError,
        "step_time_s = inf",
        "compute = { step_time_s = inf }",
    ),
    Case("step nan", lambda: Compute(step_time_s=NAN), ValueError, "step_time_s = nan"),
    Case("step bool", lambda: Compute(step_time_s=True), TypeError, "step_time_s = True"),
    Case(
        "step str",
        lambda: Compute(step_time_s="fast"),
        TypeError,
        "step_time_s = 'fast'",
        'compute = { step_time_s = "fast" }',
    ),
    Case(
        "step list inf",
        lambda: Compute(step_time_s=[1e-3, INF]),
        ValueError,
        "step_time_s[1] = inf",
        "compute = { step_time_s = [1e-3, inf] }",
    ),
    Case("step list str", lambda: Compute(step_time_s=[1e-3, "x"]), TypeError, "step_time_s[1]"),
    Case(
        "step negative",
        lambda: variant(compute=Compute(step_time_s=[1e-3, -1.0])),
        ValueError,
        "step_time_s of agent 1 is -1.0",
    ),
    Case("compute seed fraction", lambda: Compute(seed=1.5), ValueError, "seed = 1.5"),
    Case("compute seed negative", lambda: Compute(seed=-1), ValueError, "seed = -1"),
    # round policies
    Case(
        "deadline inf",
        lambda: Central("deadline", deadline_s=INF),
        ValueError,
        "deadline_s = inf",
        'pattern = { name = "central", policy = "deadline", deadline_s = inf }',
    ),
    Case(
        "deadline nan",
        lambda: Central("deadline", deadline_s=NAN),
        ValueError,
        "deadline_s = nan",
        'pattern = { name = "central", policy = "deadline", deadline_s = nan }',
    ),
    Case("deadline str", lambda: Central("deadline", deadline_s="1"), TypeError, "deadline_s"),
    Case("deadline bool", lambda: Central("deadline", deadline_s=True), TypeError, "deadline_s"),
    Case("deadline zero", lambda: Central("deadline", deadline_s=0), ValueError, "deadline_s = 0"),
    Case("deadline missing", lambda: Central("deadline"), ValueError, "deadline_s"),
    Case(
        "updates fraction",
        lambda: Central("async", updates_every=2.5),
        ValueError,
        "updates_every = 2.5",
    ),
    Case("updates bool", lambda: Central("async", updates_every=True), TypeError, "updates_every"),
    Case("updates zero", lambda: Central("async", updates_every=0), ValueError, "updates_every"),
    Case(
        "updates above n",
        lambda: variant(pattern=Central("async", updates_every=3)),
        ValueError,
        "updates_every = 3 exceeds",
    ),
    Case(
        "policy typo",
        lambda: Central("barier"),
        ValueError,
        "did you mean 'barrier'",
        'pattern = { name = "central", policy = "barier" }',
    ),
    Case(
        "late typo",
        lambda: Central("deadline", deadline_s=1, late_reports="cary"),
        ValueError,
        "did you mean 'carry'",
    ),
    # network settings
    Case(
        "load bin inf",
        lambda: Network(load_bin_s=INF),
        ValueError,
        "load_bin_s = inf",
        "network = { load_bin_s = inf }",
    ),
    Case(
        "load bin nan",
        lambda: Network(load_bin_s=NAN),
        ValueError,
        "load_bin_s = nan",
        "network = { load_bin_s = nan }",
    ),
    Case("load bin str", lambda: Network(load_bin_s="1"), TypeError, "load_bin_s"),
    Case("load bin bool", lambda: Network(load_bin_s=True), TypeError, "load_bin_s = True"),
    Case(
        "load bin zero",
        lambda: Network(load_bin_s=0),
        ValueError,
        "load_bin_s = 0",
        "network = { load_bin_s = 0.0 }",
    ),
    Case(
        "model typo",
        lambda: Network(model="fiar"),
        ValueError,
        "did you mean 'fair'",
        'network = { model = "fiar" }',
    ),
    Case(
        "outage policy typo",
        lambda: Network(on_outage="wiat"),
        ValueError,
        "did you mean 'wait'",
        'network = { on_outage = "wiat" }',
    ),
    Case("framing not one", lambda: Network(framing=1500), TypeError, "framing"),
    Case("mtu fraction", lambda: netsim.Framing(mtu_bytes=1500.5), ValueError, "mtu_bytes"),
    Case("header bool", lambda: netsim.Framing(header_bytes=True), TypeError, "header_bytes"),
    Case("header negative", lambda: netsim.Framing(header_bytes=-1), ValueError, "header_bytes"),
    # builders
    Case(
        "bandwidth bool",
        lambda: netsim.star(2, True),
        TypeError,
        "bandwidth_bps = True",
        'topology = { builder = "star", n_agents = 2, bandwidth_bps = true }',
    ),
    Case("bandwidth str", lambda: netsim.star(2, "1e6"), TypeError, "bandwidth_bps = '1e6'"),
    Case(
        "bandwidth inf",
        lambda: netsim.star(2, INF),
        ValueError,
        "bandwidth_bps = inf",
        'topology = { builder = "star", n_agents = 2, bandwidth_bps = inf }',
    ),
    Case("bandwidth nan", lambda: netsim.star(2, NAN), ValueError, "bandwidth_bps = nan"),
    Case("bandwidth list item", lambda: netsim.star(2, [1e6, "x"]), TypeError, "bandwidth_bps[1]"),
    Case(
        "bandwidth list length",
        lambda: netsim.star(2, [1e6]),
        ValueError,
        "bandwidth_bps has 1 values for 2 agents",
    ),
    Case(
        "agents fraction",
        lambda: netsim.star(2.5, 1e6),
        ValueError,
        "n_agents = 2.5",
        'topology = { builder = "star", n_agents = 2.5, bandwidth_bps = 1e6 }',
    ),
    Case("agents bool", lambda: netsim.star(True, 1e6), ValueError, "n_agents = True"),
    Case("agents zero", lambda: netsim.star(0, 1e6), ValueError, "n_agents = 0"),
    Case("edges fraction", lambda: netsim.two_tier(4, 2.5, 1e6, 1e9), ValueError, "n_edges = 2.5"),
    Case(
        "builder typo",
        lambda: netsim.builders.build("stra", n_agents=2),
        ValueError,
        "did you mean 'star'",
        'topology = { builder = "stra", n_agents = 2 }',
    ),
    # topologies
    Case(
        "edge bandwidth bool",
        lambda: variant(edge(bandwidth_bps=True)),
        ValueError,
        "edge ('learner', 'agent-1') has bandwidth_bps True",
    ),
    Case(
        "edge bandwidth str",
        lambda: variant(edge(bandwidth_bps="fast")),
        ValueError,
        "has bandwidth_bps 'fast'",
    ),
    Case("edge latency inf", lambda: variant(edge(latency_s=INF)), ValueError, "has latency_s inf"),
    Case(
        "edge latency negative",
        lambda: variant(netsim.star(2, 1e6, latency_s=-1)),
        ValueError,
        "has latency_s -1.0",
        'topology = { builder = "star", n_agents = 2, bandwidth_bps = 1e6, latency_s = -1.0 }',
    ),
    Case("edge loss one", lambda: variant(edge(loss=1.0)), ValueError, "has loss 1.0"),
    Case("edge loss nan", lambda: variant(edge(loss=NAN)), ValueError, "has loss nan"),
    Case(
        "outage endless",
        lambda: variant(edge(outages=[(5, INF)])),
        ValueError,
        "edge ('learner', 'agent-1') has outage",
    ),
    Case(
        "outages not pairs", lambda: variant(edge(outages="soon")), ValueError, "has outages 'soon'"
    ),
    Case("multigraph", lambda: variant(multigraph()), ValueError, "not MultiGraph"),
    Case("no role", lambda: variant(roleless()), ValueError, "node 'a' has role None"),
    # scenarios and variants
    Case(
        "episodes fraction",
        lambda: scenario(episodes=2.5),
        ValueError,
        "episodes = 2.5",
        "episodes = 2.5",
    ),
    Case("episodes zero", lambda: scenario(episodes=0), ValueError, "episodes = 0"),
    Case("trials bool", lambda: scenario(trials=True), TypeError, "trials = True"),
    Case("seed negative", lambda: scenario(seed=-1), ValueError, "seed = -1"),
    Case("seed str", lambda: scenario(seed="0"), TypeError, "seed = '0'"),
    Case(
        "name climbs",
        lambda: scenario(name="../../x"),
        ValueError,
        "scenario name '../../x'",
        'name = "../../x"',
    ),
    Case(
        "name absolute",
        lambda: scenario(name="/tmp/x"),
        ValueError,
        "scenario name '/tmp/x'",
        'name = "/tmp/x"',
    ),
    Case("name empty", lambda: scenario(name=""), ValueError, "scenario name ''"),
    Case("name dots", lambda: scenario(name=".."), ValueError, "scenario name '..'"),
    Case("no variants", lambda: scenario(variants=[]), ValueError, "has no variants"),
    Case("not a variant", lambda: scenario(variants=["dql"]), TypeError, "'dql' is not"),
    Case(
        "algorithm typo",
        lambda: netsim.Variant("v", "dqll", netsim.star(2, 1e6), env=GRID),
        ValueError,
        "did you mean 'dql'",
        'algorithm = "dqll"',
    ),
    Case(
        "env typo",
        lambda: variant(env="netsim/SimpleGrd-v0"),
        ValueError,
        "Did you mean: `SimpleGrid`",
    ),
    Case(
        "pattern typo",
        lambda: variant(pattern="gosip"),
        ValueError,
        "did you mean 'gossip'",
        'pattern = { name = "gosip" }',
    ),
    Case("tau fraction", lambda: netsim.GossipSettings(tau=1.5), ValueError, "tau = 1.5"),
    Case(
        "graph typo", lambda: netsim.GossipSettings(graph="rign"), ValueError, "did you mean 'ring'"
    ),
    Case(
        "mixing typo",
        lambda: netsim.GossipSettings(mixing="unifrom"),
        ValueError,
        "did you mean 'uniform'",
    ),
    # algorithm hyperparameters (each config dataclass, by name)
    Case(
        "es sigma inf",
        lambda: netsim.Variant("v", "es", netsim.star(2, 1e6), config={"sigma": INF}),
        ValueError,
        "ESConfig.sigma = inf",
    ),
    Case(
        "es learning rate str",
        lambda: ALGORITHMS["es"].make_config({"learning_rate": "0.1"}),
        TypeError,
        "ESConfig.learning_rate = '0.1'",
    ),
    Case("es gamma nan", lambda: ESConfig(gamma=NAN), ValueError, "ESConfig.gamma = nan"),
    Case("es sigma bool", lambda: ESConfig(sigma=True), TypeError, "ESConfig.sigma = True"),
    Case("es l2 inf", lambda: ESConfig(l2=INF), ValueError, "ESConfig.l2 = inf"),
    Case("es momentum nan", lambda: ESConfig(momentum=NAN), ValueError, "ESConfig.momentum"),
    Case("es hidden fraction", lambda: ESConfig(hidden=(8, 4.5)), ValueError, "ESConfig.hidden[1]"),
    Case("es hidden not a list", lambda: ESConfig(hidden=8), TypeError, "ESConfig.hidden = 8"),
    Case(
        "espc m fraction",
        lambda: ALGORITHMS["espc"].make_config({"m": 2.5}),
        ValueError,
        "ESPCConfig.m = 2.5",
    ),
    Case(
        "espc k bool",
        lambda: ALGORITHMS["espc"].make_config({"k": True}),
        TypeError,
        "ESPCConfig.k = True",
    ),
    Case(
        "dql alpha nan",
        lambda: variant(config={"alpha": NAN}),
        ValueError,
        "alpha = nan",
        "config = { alpha = nan }",
    ),
    Case(
        "dql gamma inf",
        lambda: variant(config={"gamma": INF}),
        ValueError,
        "gamma = inf",
        "config = { gamma = inf }",
    ),
    Case(
        "dql gamma str",
        lambda: variant(config={"gamma": "0.9"}),
        ValueError,
        "gamma = '0.9'",
        'config = { gamma = "0.9" }',
    ),
    Case(
        "tabular epsilon decay bool",
        lambda: variant(config={"epsilon_decay": True}),
        ValueError,
        "epsilon_decay = True",
        "config = { epsilon_decay = true }",
    ),
    Case(
        "ebcdql rho inf",
        lambda: ALGORITHMS["ebcdql"].make_config({"rho": INF}),
        ValueError,
        "EBCDQLConfig.rho = inf",
    ),
    Case(
        "davia horizon fraction",
        lambda: ALGORITHMS["davia"].make_config({"horizon": 1.5}),
        ValueError,
        "DAVIAConfig.horizon = 1.5",
    ),
    Case(
        "davia threshold inf",
        lambda: ALGORITHMS["davia"].make_config({"threshold": INF}),
        ValueError,
        "DAVIAConfig.threshold = inf",
    ),
    # config files: a nested error names its path once
    Case(
        "grid key empty",
        lambda: from_toml('[grid]\n"config.alpha" = []'),
        netsim.ConfigError,
        "bad.toml: grid key 'config.alpha': give a non-empty list",
        '[grid]\n"config.alpha" = []',
    ),
    Case(
        "grid key through a value",
        lambda: from_toml('[grid]\n"env.x" = [1]'),
        netsim.ConfigError,
        "bad.toml: grid key 'env.x'",
        '[grid]\n"env.x" = [1]',
    ),
    Case(
        "config bound in a file",
        lambda: from_toml("config = { alpha = 2.0 }"),
        netsim.ConfigError,
        "bad.toml: variant 'v'.config.alpha = 2.0 must be in (0, 1]",
        "config = { alpha = 2.0 }",
    ),
    Case(
        "nested dataclass in a file",
        lambda: from_toml("network = { framing = { mtu_bytes = 10 } }"),
        netsim.ConfigError,
        "bad.toml: variant 'v'.network.framing.mtu_bytes = 10 must exceed",
        "network = { framing = { mtu_bytes = 10 } }",
    ),
    Case(
        "distribution domain in a file",
        lambda: from_toml('compute = { step_time_s = { distribution = "lognorm", s = -1 } }'),
        netsim.ConfigError,
        "bad.toml: variant 'v': ComputeSettings.step_time_s = {'distribution': 'lognorm'",
        'compute = { step_time_s = { distribution = "lognorm", s = -1 } }',
    ),
    Case(
        "variant names repeat in a file",
        lambda: from_toml(SECOND_VARIANT),
        netsim.ConfigError,
        "bad.toml: scenario 'cli': variant names repeat: ['v']",
        SECOND_VARIANT,
    ),
    Case(
        "config file unreadable",
        lambda: netsim.load_config(Path(__file__).parent),
        netsim.ConfigError,
        f"{Path(__file__).parent}: cannot read: Is a directory",
    ),
    # what-if transfers
    Case("transfer size fraction", lambda: transfer(1.5, 0.0), ValueError, "size_bytes = 1.5"),
    Case("transfer size bool", lambda: transfer(True, 0.0), ValueError, "size_bytes = True"),
    Case("transfer start inf", lambda: transfer(1, INF), ValueError, "start_s = inf"),
    Case("transfer start str", lambda: transfer(1, "0"), ValueError, "start_s = '0'"),
    # running
    Case("workers zero", lambda: make_executor("processes", 0), ValueError, "workers = 0"),
    Case("workers fraction", lambda: make_executor("processes", 1.5), ValueError, "workers = 1.5"),
    Case(
        "backend typo", lambda: make_executor("procesess"), ValueError, "did you mean 'processes'"
    ),
    Case(
        "address without ray",
        lambda: make_executor("serial", None, "auto"),
        ValueError,
        "address 'auto' is for the ray backend",
    ),
    Case(
        "stop after inf",
        lambda: netsim.run(scenario(), stop_starting_after_s=INF),
        ValueError,
        "stop_starting_after_s = inf",
    ),
    Case(
        "stop after nan",
        lambda: netsim.run(scenario(), stop_starting_after_s=NAN),
        ValueError,
        "stop_starting_after_s = nan",
    ),
    Case(
        "a billion episodes",
        lambda: netsim.run(scenario(episodes=10**9), backend="serial"),
        ValueError,
        "scenario 's' would need about",
    ),
    Case(
        "rollout workers bool",
        lambda: netsim.run(scenario(), rollout_workers=True),
        TypeError,
        "rollout_workers = True",
    ),
]


def test_the_catalogue_is_large_and_its_names_unique():
    assert len(CASES) >= 60
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_is_refused_naming_the_culprit(case):
    with pytest.raises(case.error) as raised:
        case.make()
    assert case.culprit in str(raised.value)
    assert "\n" not in str(raised.value) and repeated_prefix(str(raised.value)) is None


def test_numpy_scalars_are_numbers_and_are_stored_as_plain_ones():
    graph = netsim.star(np.int64(2), np.float32(1e6), latency_s=np.float64(0.01))
    compute = Compute(step_time_s=np.float32(2e-3), update_time_s=np.float32(1e-3))
    deadline = Central("deadline", deadline_s=np.float32(0.5))
    network = Network(load_bin_s=np.int64(1))
    chosen = netsim.Variant(
        "v", "dql", graph, env=GRID, compute=compute, pattern=deadline, network=network
    )
    made = netsim.Scenario("np", [chosen], episodes=np.int64(3), trials=np.int32(1))
    assert made.episodes == 3 and type(made.episodes) is int
    assert type(compute.update_time_s) is float and type(network.load_bin_s) is float
    assert json.loads(json.dumps(made.to_dict()))["variants"][0]["compute"]["step_time_s"] == (
        pytest.approx(2e-3)
    )
    assert netsim.Scenario("whole", [chosen], episodes=4.0).episodes == 4


def test_algorithm_settings_take_numpy_scalars_and_keep_plain_numbers_as_given():
    config = ESConfig(sigma=np.float32(0.5), hidden=[np.int64(4), 4.0], gamma=1)
    assert type(config.sigma) is float and config.hidden == (4, 4)
    assert all(type(width) is int for width in config.hidden)
    assert type(config.gamma) is int  # recorded as given: a run directory's request is unchanged
    espc = ALGORITHMS["espc"].make_config({"m": np.int64(3), "k": 2.0})
    assert (espc.m, espc.k) == (3, 2) and type(espc.m) is int and type(espc.k) is int


CONFIG = """{name_line}
{episodes_line}
trials = 1
[[variants]]
name = "v"
{algorithm}
env = "netsim/SimpleGrid-v0"
{topology}
{extra}
"""


def config_text(line: str) -> str:
    """A small valid config with ``line`` put where it belongs (replacing the default)."""
    key = line.split("=", 1)[0].strip()
    fields = {
        "name_line": 'name = "cli"',
        "episodes_line": "episodes = 2",
        "algorithm": 'algorithm = "dql"',
        "topology": 'topology = { builder = "star", n_agents = 2, bandwidth_bps = 1e6 }',
        "extra": "",
    }
    slot = {
        "name": "name_line",
        "episodes": "episodes_line",
        "algorithm": "algorithm",
        "topology": "topology",
    }.get(key, "extra")
    fields[slot] = line
    return CONFIG.format(**fields)


def from_toml(line: str) -> netsim.Scenario:
    return netsim.config.scenario_from_toml(config_text(line), "bad.toml")


def repeated_prefix(message: str) -> str | None:
    """A part of ``message`` that repeats the part before it (``x.toml: x.toml: ...``,
    ``grid: grid key ...``, ``variant 'v': variant 'v'.config ...``), if any."""
    parts = message.split(": ")
    for before, after in zip(parts, parts[1:], strict=False):
        if after == before or after.startswith((f"{before} ", f"{before}.", f"{before}[")):
            return after
    return None


CLI_CASES = [case for case in CASES if case.toml is not None]


@pytest.mark.parametrize("case", CLI_CASES, ids=[case.name for case in CLI_CASES])
def test_a_bad_config_ends_in_one_line_at_the_command_line(case, tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(config_text(case.toml))
    out = tmp_path / "out"
    assert netsim.cli.main(["run", str(path), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert captured.err.startswith(f"netsim: error: {path}: ") and captured.err.count("\n") == 1
    assert case.culprit.split(" =")[0].removeprefix("bad.toml: ") in captured.err  # by name
    assert captured.err.count(str(path)) == 1 and repeated_prefix(captured.err) is None
    assert not out.exists()


def test_the_cli_cases_cover_every_kind_a_config_can_give():
    assert len(CLI_CASES) >= 20


@pytest.mark.parametrize(
    ("arguments", "culprit"),
    [
        (["run", "quickstrat"], "did you mean 'quickstart'"),
        (["run", "quickstart", "--workers", "0"], "0 must be at least 1"),
        (["run", "quickstart", "--backend", "dask"], "invalid choice: 'dask'"),
        (["run", "quickstart", "--stop-starting-after", "soon"], "'soon' is not a duration"),
        (["status", "{tmp}"], "holds no manifest.json"),
        (["verify", "{tmp}/nowhere"], "holds no manifest.json"),
        (["plot", "{tmp}/afile"], "holds no manifest.json"),
    ],
)
def test_bad_command_lines_end_in_one_line(arguments, culprit, tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    arguments = [argument.format(tmp=tmp_path) for argument in arguments]
    try:
        status = netsim.cli.main(arguments)
    except SystemExit as exit:  # argparse's own refusal
        status = exit.code
    assert status == 2
    captured = capsys.readouterr()
    assert culprit in captured.err and "Traceback" not in captured.err + captured.out
