"""Whole trials: round timing, control traffic, determinism, and what a run refuses."""

import subprocess
import sys

import numpy as np
import pytest

import netsim
from netsim import CentralSettings, ComputeSettings, NetworkSettings, Scenario, Variant, star


def small_scenario(**changes) -> Scenario:
    lossy_star = star(4, 1e6, 0.01, router=True)
    lossy_star.edges["learner", "router"]["loss"] = 0.2
    settings = dict(
        name="small",
        variants=[
            Variant("es", "es", star(4, 1e6, 0.01)),
            Variant("espc", "espc", star(6, 64e3, 0.02, router=True), config={"m": 2, "k": 3}),
            Variant("es fair lossy", "es", lossy_star, network=NetworkSettings(model="fair")),
            Variant("ebcdql windy", "ebcdql", star(3, 1e6, 0.01), env="netsim/WindyGrid-v0"),
            Variant("davia lake", "davia", star(3, 1e6, 0.01), env="netsim/FrozenLake5x5-v0"),
            Variant(
                "espc deadline stragglers",
                "espc",
                star(5, 1e6, 0.01),
                config={"m": 2, "k": 3},
                compute=ComputeSettings(step_time_s={"distribution": "expon", "scale": 1e-3}),
                pattern=CentralSettings("deadline", deadline_s=0.035, late_reports="carry"),
            ),
            Variant(
                "dql async",
                "dql",
                star(4, 1e6, 0.01),
                env="netsim/SimpleGrid-v0",
                pattern=CentralSettings("async", updates_every=2),
            ),
        ],
        episodes=4,
        trials=2,
        seed=11,
    )
    settings.update(changes)
    return Scenario(**settings)


def test_a_round_takes_downlink_plus_compute_plus_uplink():
    bandwidth, latency, step_s = 1e5, 0.03, 0.002
    variant = Variant(
        "one",
        "es",
        star(1, bandwidth, latency),
        compute=ComputeSettings(step_time_s=step_s, update_time_s=0.5),
    )
    table = netsim.simulate(variant, 2, np.random.SeedSequence(0))["metrics"]
    params_wire = netsim.Framing().wire_bytes(4 * 130)  # 4-8-8-2 MLP: 40 + 72 + 18 float32
    report_wire = 52
    first, second = table.iloc[0], table.iloc[1]
    round_0 = (
        (params_wire * 8 / bandwidth + latency)
        + first.steps * step_s
        + (report_wire * 8 / bandwidth + latency)
    )
    assert first.downlink_wire_bytes == params_wire
    assert first.sim_time_s == pytest.approx(round_0)
    round_1 = (
        (params_wire * 8 / bandwidth + latency)
        + second.steps * step_s
        + (report_wire * 8 / bandwidth + latency)
    )
    assert second.sim_time_s == pytest.approx(round_0 + 0.5 + round_1)


def test_silent_agents_send_a_header_only_notice_counted_as_control():
    variant = Variant("espc", "espc", star(10, 1e6), config={"m": 2})
    table = netsim.simulate(variant, 6, np.random.SeedSequence(2))["metrics"]
    silent, reporting = table[table.sent == 0], table[table.sent == 1]
    assert len(silent) and len(reporting)
    assert (silent.control_wire_bytes == 40).all()
    assert (silent[["payload_bytes", "wire_bytes"]] == 0).all().all()
    assert (reporting.payload_bytes == 12).all() and (reporting.wire_bytes == 52).all()
    assert (reporting.control_wire_bytes == 0).all()
    assert table.sim_time_s.notna().all()  # every agent's uplink arrived, report or notice


def test_table_has_one_row_per_variant_trial_episode_and_agent(tmp_path):
    table = netsim.run(
        small_scenario(), tmp_path, workers=1, progress=False, plots=False
    ).to_pandas()
    assert len(table) == 2 * 4 * (4 + 6 + 4 + 3 + 3 + 5 + 4)  # trials x episodes x agents
    required = [
        "variant",
        "algorithm",
        "trial",
        "episode",
        "agent",
        "reward",
        "sent",
        "payload_bytes",
        "wire_bytes",
        "sim_time_s",
    ]
    assert set(required) <= set(table.columns)
    assert table.variant.unique().tolist() == [v.name for v in small_scenario().variants]
    rows = table.groupby(["variant", "trial", "episode"], sort=False).size()
    agents = {variant.name: variant.n_agents for variant in small_scenario().variants}
    assert (rows == rows.index.get_level_values("variant").map(agents)).all()
    assert len(rows) == len(agents) * 2 * 4


@pytest.mark.parametrize(
    ("variant", "message"),
    [
        (lambda: Variant("v", "dqn", star(2, 1e6)), "variant 'v': unknown algorithm 'dqn'"),
        (
            lambda: Variant("v", "espc", star(5, 1e6), config={"m": 6}),
            "variant 'v': ESPC m = 6 exceeds the number of agents n = 5",
        ),
        (
            lambda: Variant("v", "espc", star(5, 1e6), config={"m": 0}),
            "variant 'v': ESPC m = 0 must be at least 1",
        ),
        (lambda: Variant("v", "es", star(2, 0.0)), "variant 'v': edge .* has bandwidth_bps 0.0"),
        (lambda: Variant("v", "es", star(2, 1e6), env="NoSuchEnv-v0"), "variant 'v': .*NoSuchEnv"),
        (
            lambda: Variant(
                "v", "es", star(2, 1e6), network=netsim.NetworkSettings(model="teleport")
            ),
            "unknown network model 'teleport'",
        ),
    ],
)
def test_bad_variants_are_refused_naming_the_culprit(variant, message):
    with pytest.raises(ValueError, match=message):
        variant()


def test_espc_reports_near_m_over_n_on_cart_pole():
    variant = Variant("espc", "espc", star(50, 1e6), config={"m": 25, "k": 5})
    table = netsim.simulate(variant, 40, np.random.SeedSequence(5))["metrics"]
    assert 0.4 < table.sent.mean() < 0.65


def test_cli_runs_a_scenario_file_and_writes_plots(tmp_path):
    scenario = tmp_path / "tiny.py"
    scenario.write_text(
        "import netsim\n"
        "SCENARIO = netsim.Scenario('tiny', [netsim.Variant('es', 'es', netsim.star(3, 1e6))],\n"
        "                           episodes=20, trials=2)\n"
    )
    out = tmp_path / "out"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "netsim.cli",
            "run",
            str(scenario),
            "--episodes",
            "3",
            "--trials",
            "1",
            "--out",
            str(out),
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"results: {out.resolve()}" in done.stdout
    assert len(netsim.Results(out).to_pandas()) == 3 * 3
    assert (out / "plots" / "panels.png").stat().st_size > 0


def test_cli_names_an_unknown_scenario():
    done = subprocess.run(
        [sys.executable, "-m", "netsim.cli", "run", "no-such-scenario"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "unknown scenario file or name 'no-such-scenario'; known:" in done.stderr
    assert "quickstart" in done.stderr


def test_a_trial_collects_garbage_less_often_and_restores_the_thresholds_after():
    import gc

    from netsim.simulation import GC_FULL_THRESHOLD, GC_YOUNG_THRESHOLD, fewer_collections

    before = gc.get_threshold()
    with fewer_collections():
        young, middle, full = gc.get_threshold()
        assert young >= GC_YOUNG_THRESHOLD > before[0]
        assert (middle, full) == (before[1], max(GC_FULL_THRESHOLD, before[2]))
        assert full > before[2]
    assert gc.get_threshold() == before
