"""The fitness-shaping scenarios: every shaping's ES and ESPC, trials paired by seed, and
raw-return variants that are the same computation as figure 4.5's (so its stored trials are
theirs) and Ant trials seeded as figure 4.6's stored run (so its raw trials pair with them)."""

import json
from pathlib import Path

from netsim.catalog import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def test_cart_pole_runs_es_and_espc_under_each_shaping_at_figure_4_5_s_settings():
    study = load_scenario("fitness_shaping")
    assert [v.name for v in study.variants] == [
        f"{a} {f}" for f in ("raw", "centred", "ranks") for a in ("ES", "ESPC")
    ]
    assert [v.resolved_config().fitness for v in study.variants] == [
        f for f in ("raw", "centred", "ranks") for _ in range(2)
    ]
    assert (study.trials, study.episodes, study.seed) == (20, 200, 0)
    figure = {v.name: v for v in load_scenario("fig4_5_cartpole").variants}
    for mine, theirs in [("ES raw", "ES n=50"), ("ESPC raw", "ESPC n=50 m=25")]:
        variant = next(v for v in study.variants if v.name == mine)
        assert variant.resolved_config() == figure[theirs].resolved_config()
        assert variant.n_agents == figure[theirs].n_agents == 50


def test_ant_pairs_with_the_stored_raw_return_run():
    """Trial t has the seed of the stored figure 4.6 run's trial t, and each variant is that run's
    ES n = 50 or ESPC with ranked returns: its settings otherwise as stored."""
    import dataclasses

    study = load_scenario("fitness_shaping_ant")
    stored = json.loads((ROOT / "results" / "fig4_6_ant" / "manifest.json").read_text())
    stored = stored["request"]["scenario"]
    assert study.seed == stored["seed"]
    raw = {v["name"]: v for v in stored["variants"]}
    pairs = {"ES ranks": "ES n=50", "ESPC ranks": "ESPC n=50 m=25"}
    assert [v.name for v in study.variants] == list(pairs)
    for variant in study.variants:
        theirs = raw[pairs[variant.name]]
        config = json.loads(json.dumps(dataclasses.asdict(variant.resolved_config())))
        assert config.pop("fitness") == "ranks"
        assert config == {key: theirs["config"][key] for key in config}
        assert (variant.env, variant.n_agents) == (theirs["env"], theirs["n_agents"])
