"""Comparing variants over windows of episodes, and trial by trial.

Variants of a scenario share their trials' seeds: trial t of every variant starts from the same
policy and draws the same noise (common random numbers, :class:`netsim.Scenario`). So trials pair,
and a paired test can separate variants whose 10th-90th percentile bands overlap because trials
differ more from each other than variants do. On a trial's *window mean* (the mean of its per-round
``mu_reward``, :func:`analysis.aggregate.per_trial`, over episodes a..b):

- :func:`window_means`: per variant and window, the mean, 10th and 90th percentile across trials of
  the window means (percentiles as ``numpy.percentile``), and the mean frequency and message size;
  :func:`time_window_means` the same over windows of simulated seconds;
- :func:`paired_comparison`: per variant against a baseline, over episodes ``from_episode`` to the
  end: the trials in which it is better, worse, or equal, the median of the paired differences,
  the two-sided Wilcoxon signed-rank p-value on them (``scipy.stats.wilcoxon``; NaN when every
  difference is 0), and for contrast the unpaired two-sided Mann-Whitney U p-value
  (``scipy.stats.mannwhitneyu``) that ignores the pairing;
- :func:`frequency_against_rise`: per variant, whether its report frequency follows its own
  reward's rises, the report's "communication tracks the learning as k increases" (report 4.9,
  figures 4.10 and 4.11).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from analysis.aggregate import per_trial


def window_means(df: pd.DataFrame, windows: Sequence[tuple[int, int]]) -> pd.DataFrame:
    """One row per (variant, window): ``first``, ``last`` (episodes, inclusive), ``trials``,
    ``reward_mean``, ``reward_p10``, ``reward_p90``, ``frequency``, ``size_bytes``."""
    rounds = per_trial(df)
    rows = []
    for variant, group in rounds.groupby("variant", sort=False):
        for first, last in windows:
            if first > last:
                raise ValueError(f"window {first}-{last} is empty: give first <= last")
            inside = group[group["episode"].between(first, last)]
            if inside.empty:
                raise ValueError(f"variant {variant!r} has no episode in window {first}-{last}")
            rows.append({"variant": variant, "first": first, "last": last, **_window(inside)})
    return pd.DataFrame(rows)


def time_window_means(df: pd.DataFrame, windows_s: Sequence[tuple[float, float]]) -> pd.DataFrame:
    """As :func:`window_means`, over windows of simulated time: one row per (variant, window)
    with ``from_s``, ``to_s`` and the same columns, over the rounds that ended after ``from_s``
    and by ``to_s`` (the learner's rounds, :func:`per_trial` by ``policy_version``; a round ends
    when its last counted report arrives). A trial with no round ending in a window is left out
    of it; a variant with none (it finished sooner, or had not finished a round by then) has
    ``trials`` 0 and NaN means."""
    rounds = per_trial(df, by="policy_version")
    rows = []
    for variant, group in rounds.groupby("variant", sort=False):
        for from_s, to_s in windows_s:
            if not from_s < to_s:
                raise ValueError(f"window {from_s:g}-{to_s:g} s is empty: give from < to")
            ends = group["round_end_s"]
            inside = group[(ends > from_s) & (ends <= to_s)]
            rows.append({"variant": variant, "from_s": from_s, "to_s": to_s, **_window(inside)})
    return pd.DataFrame(rows)


def _window(inside: pd.DataFrame) -> dict[str, float]:
    """The columns :func:`window_means` gives a window, from its rounds (NaN when none)."""
    per_trial_mean = inside.groupby("trial")["mu_reward"].mean().to_numpy()
    some = len(per_trial_mean) > 0
    return {
        "trials": len(per_trial_mean),
        "reward_mean": per_trial_mean.mean() if some else np.nan,
        "reward_p10": np.percentile(per_trial_mean, 10) if some else np.nan,
        "reward_p90": np.percentile(per_trial_mean, 90) if some else np.nan,
        "frequency": inside["frequency"].mean(),
        "size_bytes": inside["size_bytes"].mean(),
    }


def paired_comparison(df: pd.DataFrame, baseline: str, from_episode: int = 0) -> pd.DataFrame:
    """One row per variant other than ``baseline``: ``trials`` (paired), ``better``, ``worse``,
    ``equal``, ``median_difference``, ``wilcoxon_p``, ``mann_whitney_p`` (module docstring)."""
    rounds = per_trial(df)
    rounds = rounds[rounds["episode"] >= from_episode]
    means = rounds.pivot_table("mu_reward", index="trial", columns="variant", sort=False)
    if baseline not in means:
        known = ", ".join(map(repr, means.columns))
        raise ValueError(f"no variant {baseline!r} in the results; known: {known}")
    rows = []
    for variant in means.columns:
        if variant == baseline:
            continue
        pair = means[[variant, baseline]].dropna()
        difference = pair[variant] - pair[baseline]
        rows.append(
            {
                "variant": variant,
                "trials": len(pair),
                "better": int((difference > 0).sum()),
                "worse": int((difference < 0).sum()),
                "equal": int((difference == 0).sum()),
                "median_difference": difference.median(),
                "wilcoxon_p": (
                    stats.wilcoxon(pair[variant], pair[baseline]).pvalue
                    if (difference != 0).any()
                    else np.nan
                ),
                "mann_whitney_p": stats.mannwhitneyu(pair[variant], pair[baseline]).pvalue,
            }
        )
    return pd.DataFrame(rows)


RISE_LAG = 10
""":func:`frequency_against_rise`'s default lag: episodes a rise is taken over."""
FLAT_CHANGE = 1.0
""":func:`frequency_against_rise`'s default flat: a flat round's largest change of reward."""


def frequency_against_rise(
    df: pd.DataFrame,
    lag: int = RISE_LAG,
    rise: float = 50.0,
    flat: float = FLAT_CHANGE,
    from_episode: int = 0,
) -> pd.DataFrame:
    """One row per variant: its frequency in rounds where its reward was rising, against flat.

    With trial l's rounds k (:func:`per_trial`), the reward's rise over the last ``lag`` episodes
    is ``delta_l(k) = mu_reward_l(k) - mu_reward_l(k - lag)``, defined for ``k >= lag``. Over the
    rounds with ``k >= max(lag, from_episode)`` of every trial (``rounds`` of them):

    - ``rising_frequency``: the mean ``frequency`` over the ``rising_rounds`` with ``delta > rise``;
    - ``flat_frequency``: the mean ``frequency`` over the ``flat_rounds`` with ``|delta| <= flat``;
    - ``correlation``: Pearson's correlation of ``frequency`` with ``delta`` over all ``rounds``
      (NaN when either is constant, as ES's frequency of 1 is).

    A mean over no round is NaN. The report's reason for the effect (4.9): a new utility enters its
    own window's mean and variance with weight 1/k, so with a larger k, during a rise, it stands
    further above them and is sent more often.
    """
    if lag < 1:
        raise ValueError(f"lag is {lag}; the rise is taken over lag >= 1 episodes")
    if rise < 0 or flat < 0:
        raise ValueError(f"rise ({rise}) and flat ({flat}) are reward changes: give them >= 0")
    rounds = per_trial(df)
    rounds["delta"] = rounds["mu_reward"] - rounds.groupby(["variant", "trial"], sort=False)[
        "mu_reward"
    ].shift(lag)
    start = max(lag, from_episode)
    counted = rounds[(rounds["episode"] >= start) & rounds["delta"].notna()]
    if counted.empty:
        last = rounds["episode"].max()
        raise ValueError(f"no round from episode {start} on (lag {lag}): the last is {last}")
    rows = []
    for variant, group in counted.groupby("variant", sort=False):
        rising = group[group["delta"] > rise]
        level = group[group["delta"].abs() <= flat]
        constant = group["frequency"].nunique() < 2 or group["delta"].nunique() < 2
        rows.append(
            {
                "variant": variant,
                "rounds": len(group),
                "rising_rounds": len(rising),
                "rising_frequency": rising["frequency"].mean(),
                "flat_rounds": len(level),
                "flat_frequency": level["frequency"].mean(),
                "correlation": np.nan if constant else group["frequency"].corr(group["delta"]),
            }
        )
    return pd.DataFrame(rows)
