"""A run kept as a per-round summary (analysis/summaries.py) holds what the run's own per-round
table holds, and refuses an unfinished run."""

import json

import pandas as pd
import pytest

import netsim
from analysis import per_trial
from analysis.summaries import store_summary


def tiny() -> netsim.Scenario:
    """DQL on Simple Grid: two trials of four episodes."""
    return netsim.Scenario(
        "tiny",
        [netsim.Variant("DQL", "dql", netsim.star(3, 1e5, 0.01), env="netsim/SimpleGrid-v0")],
        episodes=4,
        trials=2,
        seed=3,
    )


def test_a_stored_summary_is_the_runs_per_round_table(tmp_path):
    scenario = tiny()
    results = netsim.run(scenario, tmp_path / "run", backend="serial", progress=False, plots=False)
    store_summary(tmp_path / "run", tmp_path / "kept")
    kept = pd.read_parquet(tmp_path / "kept" / "rounds.parquet")
    wanted = per_trial(results.to_pandas()).drop(columns="cumulative_reward")
    pd.testing.assert_frame_equal(kept, wanted)
    assert json.loads((tmp_path / "kept" / "scenario.json").read_text()) == json.loads(
        json.dumps(results.config)
    )
    assert len(pd.read_csv(tmp_path / "kept" / "trial_times.csv")) == 2


def test_an_unfinished_run_is_refused(tmp_path):
    scenario = tiny()
    netsim.run(
        scenario, tmp_path / "run", backend="serial", progress=False, plots=False,
        stop_starting_after_s=1e-6,
    )  # fmt: skip
    with pytest.raises(SystemExit, match="is not finished"):
        store_summary(tmp_path / "run", tmp_path / "kept")
