"""The analysis package against a small hand-made results table whose metrics are known by hand.

Two variants ("zeta" first, so that alphabetical order would differ), 3 trials, 4 episodes,
2 agents. In trial l, episode k:
- agent rewards are MEAN_REWARD[v][l][k] -/+ 1.5, so their mean is MEAN_REWARD[v][l][k];
- agent 0 always sends, agent 1 sends when k + l is even; a report carries 100 (l + 1) payload bytes
  and 40 header bytes, a "nothing to send" notice 8 bytes;
- the round ends at (k + 1) * ROUND_SCALE_S[l] * TIME_SCALE[v] seconds; the other agent's report
  arrives at 0.9 of that;
- each agent downloads 500 wire bytes of policy per round, and agent i resends 5 i bytes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.aggregate import per_trial, reward_against_time, summarise
from analysis.compare import frequency_against_rise, paired_comparison, window_means
from analysis.network_plots import pareto_figure, sweep_figure
from analysis.plots import plot_run
from analysis.sweep import rankings, sweep_summary
from analysis.targets import (
    final_reward_and_bytes,
    pareto_front,
    target_summary,
    time_to_target,
    worst_agent_time_to_target,
)

MEAN_REWARD = {
    "zeta": [[1.0, 2.0, 3.0, 4.0], [3.0, 5.0, 7.0, 9.0], [2.0, 2.0, 2.0, 8.0]],
    "alpha": [[0.0, 0.0, 0.0, 0.0], [10.0, 20.0, 30.0, 40.0], [-1.0, -2.0, -3.0, -4.0]],
}
ROUND_SCALE_S = [1.0, 2.0, 1.5]
TIME_SCALE = {"zeta": 1.0, "alpha": 10.0}
AGENT_OFFSET = [-1.5, 1.5]
TRIALS, EPISODES, AGENTS = 3, 4, 2


def _row(variant: str, trial: int, episode: int, agent: int) -> dict[str, object]:
    sent = agent == 0 or (episode + trial) % 2 == 0
    payload = 100 * (trial + 1) if sent else 0
    round_end_s = (episode + 1) * ROUND_SCALE_S[trial] * TIME_SCALE[variant]
    last_agent = episode % 2
    return {
        "variant": variant,
        "algorithm": "es",
        "trial": trial,
        "episode": episode,
        "agent": agent,
        "reward": MEAN_REWARD[variant][trial][episode] + AGENT_OFFSET[agent],
        "steps": 10,
        "sent": np.int8(sent),
        "payload_bytes": payload,
        "wire_bytes": payload + 40 if sent else 0,
        "control_wire_bytes": 0 if sent else 8,
        "downlink_wire_bytes": 500,
        "resent_wire_bytes": 5 * agent,
        "sim_time_s": round_end_s if agent == last_agent else 0.9 * round_end_s,
        "policy_version": episode,
    }


@pytest.fixture
def table() -> pd.DataFrame:
    rows = [
        _row(variant, trial, episode, agent)
        for variant in MEAN_REWARD
        for trial in range(TRIALS)
        for episode in range(EPISODES)
        for agent in range(AGENTS)
    ]
    return pd.DataFrame(rows)


def _summary_of(summary: pd.DataFrame, variant: str) -> pd.DataFrame:
    return summary[summary["variant"] == variant].set_index("episode")


def test_per_trial_means_are_the_agent_means(table: pd.DataFrame) -> None:
    rounds = per_trial(table)
    assert len(rounds) == 2 * TRIALS * EPISODES
    zeta_1 = rounds[(rounds["variant"] == "zeta") & (rounds["trial"] == 1)].set_index("episode")
    np.testing.assert_allclose(zeta_1["mu_reward"], [3.0, 5.0, 7.0, 9.0])
    # trial 1: agent 1 sends when the episode is odd; 200 payload bytes per report
    np.testing.assert_allclose(zeta_1["frequency"], [0.5, 1.0, 0.5, 1.0])
    np.testing.assert_allclose(zeta_1["size_bytes"], [100.0, 200.0, 100.0, 200.0])
    np.testing.assert_allclose(zeta_1["uplink_wire_bytes"], [248, 480, 248, 480])
    np.testing.assert_allclose(zeta_1["round_end_s"], [2.0, 4.0, 6.0, 8.0])


def test_summarise_matches_numpy_over_trials(table: pd.DataFrame) -> None:
    for variant, per_trial_rewards in MEAN_REWARD.items():
        expected = np.array(per_trial_rewards)  # trials x episodes
        got = _summary_of(summarise(table, "reward", "mean-p10-p90"), variant)
        np.testing.assert_allclose(got["centre"], expected.mean(axis=0))
        np.testing.assert_allclose(got["low"], np.percentile(expected, 10, axis=0))
        np.testing.assert_allclose(got["high"], np.percentile(expected, 90, axis=0))


def test_summarise_percentiles_interpolate_linearly(table: pd.DataFrame) -> None:
    # zeta, episode 3: trials give 4, 9, 8 -> sorted 4, 8, 9; p10 at rank 0.2, p90 at rank 1.8
    got = _summary_of(summarise(table, "reward", "mean-p10-p90"), "zeta").loc[3]
    assert got["centre"] == pytest.approx(7.0)
    assert got["low"] == pytest.approx(4.8)
    assert got["high"] == pytest.approx(8.8)


def test_summarise_frequency_and_size(table: pd.DataFrame) -> None:
    # episode 0: trials 0, 2 have both agents sending, trial 1 only agent 0
    frequency = _summary_of(summarise(table, "frequency", "mean-p10-p90"), "alpha").loc[0]
    assert frequency["centre"] == pytest.approx((1.0 + 0.5 + 1.0) / 3)
    size = _summary_of(summarise(table, "size_bytes", "mean-p10-p90"), "alpha").loc[0]
    assert size["centre"] == pytest.approx((100.0 + 100.0 + 300.0) / 3)
    assert size["low"] == pytest.approx(100.0)
    assert size["high"] == pytest.approx(np.percentile([100.0, 100.0, 300.0], 90))


def test_cumulative_reward_is_the_running_sum_per_trial(table: pd.DataFrame) -> None:
    # zeta running sums: [1, 3, 6, 10], [3, 8, 15, 24], [2, 4, 6, 14]
    got = _summary_of(summarise(table, "cumulative_reward", "mean-p10-p90"), "zeta")
    np.testing.assert_allclose(got["centre"], [2.0, 5.0, 9.0, 16.0])
    assert got.loc[3, "high"] == pytest.approx(np.percentile([10.0, 24.0, 14.0], 90))


def test_unknown_metric_is_refused(table: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="'bytes'"):
        summarise(table, "bytes")


def test_variants_keep_their_order_of_first_appearance(table: pd.DataFrame) -> None:
    assert list(per_trial(table)["variant"].unique()) == ["zeta", "alpha"]
    assert list(summarise(table, "reward", "mean-p10-p90")["variant"].unique()) == ["zeta", "alpha"]
    assert list(reward_against_time(table, points=5)["variant"].unique()) == ["zeta", "alpha"]


def test_reward_against_time_is_the_latest_finished_round(table: pd.DataFrame) -> None:
    # zeta rounds end at [1, 2, 3, 4], [2, 4, 6, 8], [1.5, 3, 4.5, 6]: grid 0..8 in steps of 1
    curve = reward_against_time(table, points=9, estimator="mean-p10-p90")
    zeta = curve[curve["variant"] == "zeta"].set_index("time_s")
    np.testing.assert_allclose(zeta.index, np.arange(0.0, 9.0, 1.0))
    # before trial 1's first round ends at 2 s, not every trial has a reward
    assert zeta.loc[[0.0, 1.0], ["centre", "low", "high"]].isna().all().all()
    assert zeta.loc[2.0, "centre"] == pytest.approx((2.0 + 3.0 + 2.0) / 3)
    assert zeta.loc[3.0, "centre"] == pytest.approx((3.0 + 3.0 + 2.0) / 3)
    # trial 0 finished at 4 s and keeps its last reward; the grid runs to the slowest trial's end
    assert zeta.loc[5.0, "centre"] == pytest.approx((4.0 + 5.0 + 2.0) / 3)
    at_end = [4.0, 9.0, 8.0]
    assert zeta.loc[8.0, "centre"] == pytest.approx(np.mean(at_end))
    assert zeta.loc[8.0, "low"] == pytest.approx(np.percentile(at_end, 10))
    assert zeta.loc[8.0, "high"] == pytest.approx(np.percentile(at_end, 90))


def test_reward_against_time_grid_is_per_variant(table: pd.DataFrame) -> None:
    curve = reward_against_time(table, points=9, estimator="mean-p10-p90")
    alpha = curve[curve["variant"] == "alpha"].set_index("time_s")
    np.testing.assert_allclose(alpha.index, np.arange(0.0, 90.0, 10.0))
    assert alpha.loc[20.0, "centre"] == pytest.approx((0.0 + 10.0 - 1.0) / 3)


@pytest.mark.parametrize("cumulative", [False, True])
def test_plot_run_writes_five_non_empty_pngs(
    table: pd.DataFrame, tmp_path: Path, cumulative: bool
) -> None:
    out_dir = tmp_path / "not" / "yet" / "there"
    written = plot_run(table, out_dir, cumulative=cumulative)
    names = ["reward.png", "frequency.png", "size.png", "reward_vs_time.png", "panels.png"]
    assert written == [out_dir / name for name in names]
    for path in written:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert path.stat().st_size > 1000


def test_reward_against_time_on_a_common_grid(table: pd.DataFrame) -> None:
    # alpha rounds end at [10, 20, 30, 40], [20, 40, 60, 80], [15, 30, 45, 60]
    curve = reward_against_time(
        table, time_s=np.array([0.0, 5.0, 10.0, 40.0]), estimator="mean-p10-p90"
    )
    zeta = curve[curve["variant"] == "zeta"].set_index("time_s")
    alpha = curve[curve["variant"] == "alpha"].set_index("time_s")
    np.testing.assert_allclose(alpha.index, zeta.index)
    assert zeta.loc[5.0, "centre"] == pytest.approx((4.0 + 5.0 + 2.0) / 3)
    assert np.isnan(alpha.loc[10.0, "centre"])  # trials 1 and 2 have not finished a round
    assert alpha.loc[40.0, "centre"] == pytest.approx((0.0 + 20.0 - 2.0) / 3)


def _round_bytes(trial: int, episode: int) -> int:
    """Wire bytes of one round of the fixture: two reports (or a report and a notice), two
    500-byte downloads and agent 1's 5 resent bytes."""
    report = 100 * (trial + 1) + 40
    second = report if (episode + trial) % 2 == 0 else 8
    return report + second + 1000 + 5


def test_per_trial_totals_every_wire_byte_of_a_round(table: pd.DataFrame) -> None:
    rounds = per_trial(table)
    zeta_1 = rounds[(rounds["variant"] == "zeta") & (rounds["trial"] == 1)]
    np.testing.assert_array_equal(zeta_1["total_wire_bytes"], [1253, 1485, 1253, 1485])


def test_time_to_target_is_the_first_round_whose_window_mean_reaches_it(
    table: pd.DataFrame,
) -> None:
    # window 2, target 3: zeta smoothed [nan, 1.5, 2.5, 3.5], [nan, 4, 6, 8], [nan, 2, 2, 5];
    # alpha [nan, 0, 0, 0], [nan, 15, 25, 35], [nan, -1.5, -2.5, -3.5]
    reached = time_to_target(table, target=3.0, window=2).set_index(["variant", "trial"])
    assert list(reached["reached"]) == [True, True, True, False, True, False]
    np.testing.assert_allclose(reached["episodes"], [4, 2, 4, np.inf, 2, np.inf])
    np.testing.assert_allclose(reached["time_s"], [4.0, 4.0, 6.0, np.inf, 40.0, np.inf])
    zeta_1_bytes = _round_bytes(1, 0) + _round_bytes(1, 1)
    assert reached.loc[("zeta", 1), "wire_bytes"] == zeta_1_bytes
    assert reached.loc[("zeta", 0), "wire_bytes"] == sum(_round_bytes(0, k) for k in range(4))


def test_a_window_of_one_is_the_raw_round_reward(table: pd.DataFrame) -> None:
    reached = time_to_target(table, target=3.0, window=1).set_index(["variant", "trial"])
    assert reached.loc[("zeta", 0), "time_s"] == 3.0  # rewards [1, 2, 3, 4]
    assert reached.loc[("zeta", 1), "time_s"] == 2.0  # [3, ...] reached in round 0, ending at 2 s
    with pytest.raises(ValueError, match="window"):
        time_to_target(table, target=3.0, window=0)


def test_target_summary_counts_the_trials_that_never_reach(table: pd.DataFrame) -> None:
    summary = target_summary(time_to_target(table, 3.0, window=2)).set_index("variant")
    assert list(summary.index) == ["zeta", "alpha"]
    assert summary.loc["zeta", ["trials", "reached"]].tolist() == [3, 3]
    assert summary.loc["alpha", ["trials", "reached"]].tolist() == [3, 1]
    # zeta times [4, 4, 6]: quantiles are observed values, the median is when half have reached
    assert summary.loc["zeta", ["time_s_p10", "time_s_median", "time_s_p90"]].tolist() == [4, 4, 6]
    # alpha times [40, inf, inf]: fewer than half reach it, so the median is inf
    alpha = summary.loc["alpha", ["time_s_p10", "time_s_median", "time_s_p90"]].tolist()
    assert alpha == [40.0, np.inf, np.inf]


def test_final_reward_and_bytes_per_trial(table: pd.DataFrame) -> None:
    final = final_reward_and_bytes(table, window=2).set_index(["variant", "trial"])
    assert final.loc[("zeta", 1), "final_reward"] == pytest.approx(8.0)  # mean of 7 and 9
    assert final.loc[("alpha", 2), "final_reward"] == pytest.approx(-3.5)
    assert final.loc[("zeta", 1), "wire_bytes"] == sum(_round_bytes(1, k) for k in range(4))
    everything = final_reward_and_bytes(table, window=100).set_index(["variant", "trial"])
    assert everything.loc[("zeta", 2), "final_reward"] == pytest.approx(3.5)  # all 4 rounds


def test_pareto_front_keeps_the_undominated_and_ties() -> None:
    points = pd.DataFrame(
        {
            "final_reward": [1.0, 2.0, 1.5, 0.5, 2.0, 3.0],
            "wire_bytes": [10.0, 20.0, 30.0, 10.0, 20.0, 100.0],
        },
        index=list("abcdef"),
    )
    # c is beaten by b (more reward, fewer bytes), d by a (same bytes, more reward); b and e tie
    assert pareto_front(points).to_dict() == dict(zip("abcdef", [1, 1, 0, 0, 1, 1], strict=True))
    # the same optimum, summed in another order, is the same reward: more bytes lose
    same = pd.DataFrame({"final_reward": [-5.217, -5.217 + 1e-13], "wire_bytes": [1.0, 2.0]})
    assert pareto_front(same).tolist() == [True, False]


def _points() -> pd.DataFrame:
    """The fixture's variants as a two-point sweep of one environment."""
    return pd.DataFrame(
        {
            "variant": ["zeta", "alpha"],
            "series": ["Z", "A"],
            "env": ["grid", "grid"],
            "value": [1e3, 1e3],
            "target": [3.0, 3.0],
        }
    )


def test_sweep_rankings_by_time_and_by_episodes(table: pd.DataFrame) -> None:
    summary = sweep_summary(table, _points(), window=2)
    assert list(summary["series"]) == ["Z", "A"]
    ranks = rankings(summary).set_index("series")
    # median time: zeta 4 s, alpha inf; median episodes: zeta 4, alpha inf
    assert ranks.loc["Z", ["rank_by_time", "rank_by_episodes"]].tolist() == [1, 1]
    assert ranks.loc["A", ["rank_by_time", "rank_by_episodes"]].tolist() == [2, 2]
    with pytest.raises(ValueError, match="lacks columns"):
        sweep_summary(table, _points().drop(columns="env"))


def test_sweep_ranks_by_time_and_by_episodes_can_differ(table: pd.DataFrame) -> None:
    # window 1: zeta reaches 1 in round 0 of every trial, at 1, 2 and 1.5 s; alpha reaches -1 in
    # round 0 of every trial too, but its rounds are 10 times longer: 10, 20 and 15 s
    points = _points().assign(target=[1.0, -1.0])
    ranks = rankings(sweep_summary(table, points, window=1)).set_index("series")
    assert ranks["episodes_median"].tolist() == [1.0, 1.0]
    assert ranks["time_s_median"].tolist() == [1.5, 15.0]
    assert ranks["rank_by_episodes"].tolist() == [1, 1]  # a tie shares the rank
    assert ranks["rank_by_time"].tolist() == [1, 2]


def test_sweep_and_pareto_figures_draw(table: pd.DataFrame, tmp_path: Path) -> None:
    # one series at two values, one of whose medians is inf (drawn on the top edge)
    line = _points().assign(series="S", value=[1e3, 1e4])
    summary = sweep_summary(table, line, window=2)
    final = final_reward_and_bytes(table).merge(_points(), on="variant")
    for fig in (sweep_figure(summary, "bandwidth"), pareto_figure(final)):
        path = tmp_path / "figure.png"
        fig.savefig(path)
        assert path.stat().st_size > 10_000


def test_window_means_are_per_trial_means_then_percentiles(table: pd.DataFrame) -> None:
    windows = window_means(table, [(0, 1), (2, 3)]).set_index(["variant", "first"])
    # zeta, episodes 0-1: trials' means 1.5, 4.0, 2.0
    zeta = windows.loc[("zeta", 0)]
    assert zeta["trials"] == 3 and zeta["last"] == 1
    assert zeta["reward_mean"] == pytest.approx(2.5)
    assert zeta["reward_p10"] == pytest.approx(1.6) and zeta["reward_p90"] == pytest.approx(3.6)
    # alpha, episodes 2-3: agent 1 sends when episode + trial is even
    alpha = windows.loc[("alpha", 2)]
    assert alpha["reward_mean"] == pytest.approx((0.0 + 35.0 - 3.5) / 3)
    assert alpha["frequency"] == pytest.approx(np.mean([1.0, 0.5, 0.5, 1.0, 1.0, 0.5]))
    with pytest.raises(ValueError, match="window 3-2 is empty"):
        window_means(table, [(3, 2)])


def test_paired_comparison_counts_trials_against_the_baseline(table: pd.DataFrame) -> None:
    paired = paired_comparison(table, baseline="zeta").set_index("variant").loc["alpha"]
    # per-trial means: zeta 2.5, 6.0, 3.5; alpha 0.0, 25.0, -2.5: differences -2.5, 19, -6
    assert (paired["trials"], paired["better"], paired["worse"], paired["equal"]) == (3, 1, 2, 0)
    assert paired["median_difference"] == pytest.approx(-2.5)
    # exact signed-rank test, n = 3: W+ = 3 (the rank of |19|); P(W+ <= 3) = 5/8, two-sided 1
    assert paired["wilcoxon_p"] == pytest.approx(1.0)
    assert 0 < paired["mann_whitney_p"] <= 1
    later = paired_comparison(table, baseline="zeta", from_episode=3).set_index("variant")
    # episode 3 alone: zeta 4, 9, 8; alpha 0, 40, -4
    assert later.loc["alpha", "median_difference"] == pytest.approx(-4.0)
    with pytest.raises(ValueError, match="no variant 'omega'"):
        paired_comparison(table, baseline="omega")


def test_frequency_against_rise_splits_rounds_by_the_rewards_change(table: pd.DataFrame) -> None:
    tracking = frequency_against_rise(table, lag=1, rise=1.5, flat=0.5).set_index("variant")
    # zeta's rises over one episode, episodes 1-3: trial 0 [1, 1, 1], 1 [2, 2, 2], 2 [0, 0, 6];
    # frequency is 1 when episode + trial is even, else 0.5
    deltas = [1, 1, 1, 2, 2, 2, 0, 0, 6]
    frequencies = [0.5, 1, 0.5, 1, 0.5, 1, 0.5, 1, 0.5]
    zeta = tracking.loc["zeta"]
    assert (zeta["rounds"], zeta["rising_rounds"], zeta["flat_rounds"]) == (9, 4, 2)
    assert zeta["rising_frequency"] == pytest.approx(0.75)  # trial 1's three rounds, trial 2's last
    assert zeta["flat_frequency"] == pytest.approx(0.75)  # trial 2, episodes 1 and 2
    assert zeta["correlation"] == pytest.approx(np.corrcoef(frequencies, deltas)[0, 1])
    # alpha's rises: trial 0 [0, 0, 0], 1 [10, 10, 10], 2 [-1, -1, -1]: nothing is within 0.5 of
    # flat but trial 0, and a fall is neither rising nor flat
    alpha = tracking.loc["alpha"]
    assert (alpha["rising_rounds"], alpha["flat_rounds"]) == (3, 3)
    assert alpha["rising_frequency"] == pytest.approx((1 + 0.5 + 1) / 3)
    later = frequency_against_rise(table, lag=2, rise=1.5, flat=0.5, from_episode=3)
    # episode 3 alone, rise over 2 episodes: zeta 2, 4, 6, all rising
    assert later.set_index("variant").loc["zeta", ["rounds", "rising_rounds"]].tolist() == [3, 3]


def test_frequency_against_rise_is_nan_where_it_cannot_be_measured(table: pd.DataFrame) -> None:
    constant = table.assign(sent=np.int8(1))  # everyone always sends, as under ES
    tracking = frequency_against_rise(constant, lag=1, rise=100.0).set_index("variant")
    assert np.isnan(tracking.loc["zeta", "correlation"])
    assert tracking.loc["zeta", "rising_rounds"] == 0
    assert np.isnan(tracking.loc["zeta", "rising_frequency"])
    with pytest.raises(ValueError, match="no round from episode 4 on"):
        frequency_against_rise(table, lag=4)
    with pytest.raises(ValueError, match="lag is 0"):
        frequency_against_rise(table, lag=0)
    with pytest.raises(ValueError, match="give them >= 0"):
        frequency_against_rise(table, rise=-1.0)


def test_the_worst_agent_reaches_the_target_when_the_last_agent_does():
    rows = pd.DataFrame(
        {
            "variant": "v",
            "trial": 0,
            "episode": [0, 1, 2, 0, 1, 2],
            "agent": [0, 0, 0, 1, 1, 1],
            "reward": [1.0, 5.0, 5.0, 1.0, 1.0, 5.0],
            "sim_time_s": [1.0, 2.0, 3.0, 1.5, 2.5, 3.5],
        }
    )
    worst = worst_agent_time_to_target(rows, target=5.0, window=1)
    assert worst[["reached", "time_s"]].values.tolist() == [[True, 3.5]]  # agent 1, at its 3.5 s
    never = worst_agent_time_to_target(rows, target=5.0, window=3)  # nobody averages 5 over 3
    assert never[["reached", "time_s"]].values.tolist() == [[False, np.inf]]


def test_a_stored_per_round_summary_gives_what_the_full_table_gives(table: pd.DataFrame) -> None:
    rounds = per_trial(table)
    pd.testing.assert_frame_equal(per_trial(rounds), rounds)
    stored = rounds.drop(columns="cumulative_reward")  # as results/NAME/rounds.parquet keeps it
    pd.testing.assert_frame_equal(per_trial(stored), rounds)
    pd.testing.assert_frame_equal(summarise(rounds, "reward"), summarise(table, "reward"))
    pd.testing.assert_frame_equal(window_means(rounds, [(0, 1)]), window_means(table, [(0, 1)]))
