"""A run kept as a per-round summary (analysis/summaries.py) holds what the run's own per-round
table holds, and refuses an unfinished run."""

import json

import pandas as pd
import pytest

import netsim
from analysis import per_trial, time_to_target
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


def test_time_to_target_of_a_stored_summary_is_that_of_the_run(tmp_path):
    results = netsim.run(tiny(), tmp_path / "run", backend="serial", progress=False, plots=False)
    store_summary(tmp_path / "run", tmp_path / "kept")
    kept = pd.read_parquet(tmp_path / "kept" / "rounds.parquet")
    target = -9.99  # reached by some trials within 4 episodes, smoothed over 2
    wanted = time_to_target(results.to_pandas(), target, window=2)
    assert wanted["reached"].any()
    got = time_to_target(kept, target, window=2, agents={"DQL": 3})
    pd.testing.assert_frame_equal(got, wanted)
    with pytest.raises(ValueError, match="give time_to_target agents="):
        time_to_target(kept, target)
    with pytest.raises(ValueError, match="no number of agents for variant 'DQL'"):
        time_to_target(kept, target, agents={"ES": 3})


def test_an_unfinished_run_is_refused(tmp_path):
    scenario = tiny()
    netsim.run(
        scenario, tmp_path / "run", backend="serial", progress=False, plots=False,
        stop_starting_after_s=1e-6,
    )  # fmt: skip
    with pytest.raises(SystemExit, match="is not finished"):
        store_summary(tmp_path / "run", tmp_path / "kept")
