"""The figure style (analysis/style.py) and the estimators behind lines and bands
(analysis/estimators.py), on small hand-made tables.

The results table: variants "fast", "copy" (the same metrics as "fast", as a run's bandwidths are
under barrier rounds against episodes) and "slow"; 3 trials of 4 episodes, one agent; in trial l,
episode k the reward is (k + 1) * (l + 1), times 2 for "slow".
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from analysis import style
from analysis.aggregate import reward_against_time, summarise
from analysis.estimators import ESTIMATORS, estimate
from analysis.network_plots import link_load_figure
from analysis.plots import Panel, curves_figure, plot_run

TRIALS, EPISODES = 3, 4


def _results(variants=("fast", "copy", "slow")) -> pd.DataFrame:
    rows = []
    for variant in variants:
        scale = 2.0 if variant == "slow" else 1.0
        for trial in range(TRIALS):
            for episode in range(EPISODES):
                rows.append(
                    {
                        "variant": variant,
                        "trial": trial,
                        "episode": episode,
                        "agent": 0,
                        "reward": scale * (episode + 1) * (trial + 1),
                        "sent": 1,
                        "payload_bytes": 100,
                        "wire_bytes": 140,
                        "control_wire_bytes": 0,
                        "downlink_wire_bytes": 500,
                        "resent_wire_bytes": 0,
                        "sim_time_s": scale * (episode + 1),
                        "policy_version": episode,
                    }
                )
    return pd.DataFrame(rows)


def _reward_figure(df: pd.DataFrame, palette: style.Palette, estimator: str = "mean-ci") -> Figure:
    panel = Panel("reward.png", "Reward", "return", summarise(df, "reward", estimator))
    return curves_figure([panel], palette, estimator, style.COLUMN_IN)


def _legend_colours(fig: Figure) -> dict[str, str]:
    """Each legend entry's colour, by the name that starts its label."""
    (legend,) = fig.legends
    return {
        text.get_text().split(" (")[0]: line.get_color()
        for text, line in zip(legend.get_texts(), legend.legend_handles, strict=True)
    }


def test_a_variant_keeps_its_colour_in_every_figure_of_a_run() -> None:
    df = _results()
    palette = style.Palette(["fast", "copy", "slow"])  # the run's order
    every = _legend_colours(_reward_figure(df, palette))
    alone = _reward_figure(df[df["variant"] == "slow"], palette)  # a figure of "slow" only
    assert _legend_colours(alone) == {"slow": every["slow"]}
    assert [line.get_color() for line in alone.axes[0].lines] == [every["slow"]]
    assert len(set(every.values())) == 3


def test_a_curve_on_another_is_dashed_over_it_and_the_legend_says_so() -> None:
    fig = _reward_figure(_results(), style.Palette(["fast", "copy", "slow"]))
    (ax,) = fig.axes
    styles = [line.get_linestyle() for line in ax.lines]
    assert styles == ["-", "--", "-"]  # "copy" dashed, so "fast" shows in its gaps
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == 2  # one band each
    labels = [text.get_text() for text in fig.legends[0].get_texts()]
    assert labels == ["fast", "copy (= fast)", "slow"]


@pytest.mark.parametrize(
    ("estimator", "band"),
    [
        ("mean-ci", "95% bootstrap CI of the mean"),
        ("median-iqr", "25th-75th percentile"),
        ("mean-p10-p90", "10th-90th percentile"),
    ],
)
def test_the_legend_states_the_band_and_the_trial_count(estimator: str, band: str) -> None:
    fig = _reward_figure(_results(), style.Palette(), estimator)
    title = fig.legends[0].get_title().get_text()
    assert f"band: {band}" in title and f"of {TRIALS} trials" in title


def test_the_legend_lies_outside_every_axes() -> None:
    df = _results()
    panels = [
        Panel(f"{m}.png", m, m, summarise(df, m, "mean-p10-p90")) for m in ("reward", "frequency")
    ]
    fig = curves_figure(panels, style.Palette(), "mean-p10-p90", style.PAGE_IN)
    fig.draw_without_rendering()
    legend = fig.legends[0].get_window_extent()
    assert all(not legend.overlaps(ax.get_window_extent()) for ax in fig.axes)


def test_save_writes_a_pdf_beside_the_png(tmp_path: Path) -> None:
    fig = _reward_figure(_results(), style.Palette())
    assert style.save(fig, tmp_path / "reward.png") == tmp_path / "reward.png"
    assert (tmp_path / "reward.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "reward.pdf").read_bytes()[:5] == b"%PDF-"
    with pytest.raises(ValueError, match="'.*reward.svg' must end in .png"):
        style.save(fig, tmp_path / "reward.svg")


def test_plot_run_takes_an_estimator_by_name_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    written = plot_run(_results(), tmp_path, estimator="median-iqr")
    assert all(path.with_suffix(".pdf").is_file() for path in written)
    with pytest.raises(ValueError, match=r"estimator 'mean-sd' is unknown; choose one of \["):
        plot_run(_results(), tmp_path, estimator="mean-sd")


def test_the_estimators_lines_and_bands() -> None:
    df = _results()
    median = summarise(df, "reward", "median-iqr").set_index(["variant", "episode"])
    values = [4.0, 8.0, 12.0]  # "fast", episode 3, trials 0..2
    row = median.loc[("fast", 3)]
    assert (row["centre"], row["low"], row["high"]) == (8.0, 6.0, 10.0)
    ci = summarise(df, "reward", "mean-ci").set_index(["variant", "episode"]).loc[("fast", 3)]
    assert ci["centre"] == pytest.approx(np.mean(values))
    assert min(values) <= ci["low"] < ci["centre"] < ci["high"] <= max(values)
    assert row["trials"] == TRIALS


def test_the_bootstrap_interval_narrows_with_more_trials_and_is_the_value_when_all_agree() -> None:
    def interval(trials: int, spread: bool) -> pd.Series:
        bimodal = [10.0 if (t % 2 or not spread) else 500.0 for t in range(trials)]
        frame = pd.DataFrame({"point": 0, "value": bimodal})
        return estimate(frame, ["point"], "value", "mean-ci").iloc[0]

    few, many = interval(10, True), interval(40, True)
    assert many["high"] - many["low"] < few["high"] - few["low"]
    same = interval(10, False)
    assert (same["low"], same["centre"], same["high"]) == (10.0, 10.0, 10.0)


def test_equal_points_get_equal_intervals_wherever_they_sit() -> None:
    # more points than one bootstrap chunk: the same values must give the same interval
    frame = pd.DataFrame(
        {"point": np.repeat(np.arange(1500), 5), "value": np.tile([1.0, 2.0, 4.0, 8.0, 9.0], 1500)}
    )
    out = estimate(frame, ["point"], "value", "mean-ci")
    assert out["low"].nunique() == 1 and out["high"].nunique() == 1


def test_a_point_of_one_trial_has_no_band_and_a_nan_has_no_line() -> None:
    frame = pd.DataFrame({"point": [0, 1, 1], "value": [3.0, 1.0, np.nan]})
    out = estimate(frame, ["point"], "value", "mean-ci").set_index("point")
    assert out.loc[0, "centre"] == 3.0 and np.isnan(out.loc[0, ["low", "high"]]).all()
    assert np.isnan(out.loc[1, ["centre", "low", "high"]]).all()


def test_reward_against_time_takes_the_estimator() -> None:
    curve = reward_against_time(_results(), time_s=np.array([4.0]), estimator="median-iqr")
    fast = curve[curve["variant"] == "fast"].iloc[0]
    assert (fast["centre"], fast["low"], fast["high"]) == (8.0, 6.0, 10.0)  # episode 3 by 4 s


def test_every_estimator_is_named_in_the_plot_command_help(capsys) -> None:
    import netsim.cli

    with pytest.raises(SystemExit):
        netsim.cli.main(["plot", "--help"])
    text = re.sub(r"-\n\s*", "-", capsys.readouterr().out)  # argparse may wrap at a hyphen
    assert all(name in text for name in ESTIMATORS)


def test_a_link_has_one_colour_in_every_panel() -> None:
    rows = []
    for variant, links in (("v1", {("a", "b"): 0.8, ("b", "a"): 0.4}), ("v2", {("b", "a"): 0.6})):
        for (src, dst), utilisation in links.items():
            for trial in range(2):
                for start in range(3):
                    rows.append(
                        {
                            "variant": variant,
                            "trial": trial,
                            "src": src,
                            "dst": dst,
                            "start_s": float(start),
                            "carried_bytes": 1000 * utilisation,
                            "utilisation": utilisation + 0.01 * trial,
                        }
                    )
    fig = link_load_figure(pd.DataFrame(rows), links=2)
    colours = _legend_colours(fig)
    first, second = fig.axes[:2]
    assert colours["b -> a"] in {line.get_color() for line in first.lines}
    assert [line.get_color() for line in second.lines] == [colours["b -> a"]]
    assert colours["a -> b"] != colours["b -> a"]
