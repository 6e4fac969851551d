"""What a curve's line and band say about a metric across trials: the estimator of a plot.

A curve point summarises the values x_1..x_L of L trials (one per trial; L may differ between
points, e.g. in an unfinished run). Three estimators, by name:

- ``mean-ci`` (the default): the line is the mean (1/L) sum_l x_l, the band its 95% bootstrap
  confidence interval (percentile method, 1,000 resamples of the L trials, seed 0, so a figure
  comes out the same every time it is drawn). With trials whose outcomes fall into two modes (Cart
  Pole: a trial either learns to balance, near 500, or stays near 10), the mean moves smoothly
  with the share of trials in the upper mode and the interval says how well the mean is known,
  narrowing as trials are added; the median instead jumps between the modes, and any percentile
  band that straddles them spans both whatever the trial count. A point of one trial has no band.
- ``median-iqr``: the line is the median, the band the 25th to 75th percentile (the
  interquartile range): what a typical trial does, not pulled by a few outliers.
- ``mean-p10-p90``: the report's (docs/design.md, "Metrics"): the mean and the 10th to 90th
  percentile of the trials, the spread of the trials themselves.

Percentiles are interpolated linearly between order statistics, as ``numpy.percentile`` does by
default. A point where any trial's value is NaN has a NaN line and band (nothing is drawn there).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats


class Estimator(NamedTuple):
    """A line and band over the trials (axis 0 of a trials x points matrix)."""

    line: str
    """What the line is, for the figure's note: "mean", "median"."""
    band: str
    """What the band is, for the figure's note."""
    compute: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]
    """(line, low, high) of each column of a trials x points matrix with no NaN."""


_CONFIDENCE = 0.95
_RESAMPLES = 1000
_CHUNK = 1024
"""Columns bootstrapped at once: bounds the resamples held in memory (resamples x trials x chunk)."""


def _mean_ci(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean = values.mean(axis=0)
    if values.shape[0] < 2:
        return mean, np.full_like(mean, np.nan), np.full_like(mean, np.nan)
    low, high = np.empty_like(mean), np.empty_like(mean)
    for start in range(0, values.shape[1], _CHUNK):
        columns = slice(start, start + _CHUNK)
        interval = stats.bootstrap(
            (values[:, columns],),
            np.mean,
            axis=0,
            vectorized=True,
            n_resamples=_RESAMPLES,
            confidence_level=_CONFIDENCE,
            method="percentile",
            # the same resamples for every chunk: equal columns get equal intervals
            random_state=np.random.default_rng(0),
        ).confidence_interval
        low[columns], high[columns] = interval.low, interval.high
    # a column whose trials all agree has a degenerate (NaN) interval: it is the value itself
    agree = values.min(axis=0) == values.max(axis=0)
    return mean, np.where(agree, mean, low), np.where(agree, mean, high)


def _percentiles(line: Callable[..., np.ndarray], low_q: float, high_q: float):
    def compute(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return (
            line(values, axis=0),
            np.percentile(values, low_q, axis=0),
            np.percentile(values, high_q, axis=0),
        )

    return compute


ESTIMATORS: dict[str, Estimator] = {
    "mean-ci": Estimator("mean", "95% bootstrap CI of the mean", _mean_ci),
    "median-iqr": Estimator("median", "25th-75th percentile", _percentiles(np.median, 25, 75)),
    "mean-p10-p90": Estimator("mean", "10th-90th percentile", _percentiles(np.mean, 10, 90)),
}
"""The estimators by name (module docstring)."""

DEFAULT_ESTIMATOR = "mean-ci"


def check_estimator(estimator: str) -> Estimator:
    """The estimator named ``estimator``; a ValueError naming it and the choices if it is unknown."""
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator {estimator!r} is unknown; choose one of {sorted(ESTIMATORS)}")
    return ESTIMATORS[estimator]


def estimate(
    values: pd.DataFrame, by: Sequence[str], column: str, estimator: str = DEFAULT_ESTIMATOR
) -> pd.DataFrame:
    """One row per group of ``values`` by the columns ``by`` (in order of first appearance), each
    row one trial's value in ``column``: the group's keys, ``trials`` (its rows), and ``centre``,
    ``low`` and ``high`` by ``estimator`` (module docstring)."""
    compute = check_estimator(estimator).compute
    keys, samples = [], []
    for key, group in values.groupby(list(by), sort=False, observed=True)[column]:
        keys.append(key)
        samples.append(group.to_numpy(dtype=float))
    rows = pd.DataFrame(keys, columns=list(by))
    rows["trials"] = [len(sample) for sample in samples]
    for name in ("centre", "low", "high"):
        rows[name] = np.nan
    # groups of equal size are estimated together, as the columns of one trials x groups matrix
    for size in pd.unique(rows["trials"]):
        where = np.flatnonzero(rows["trials"].to_numpy() == size)
        matrix = np.column_stack([samples[i] for i in where])
        complete = ~np.isnan(matrix).any(axis=0)
        if complete.any():
            line, low, high = compute(matrix[:, complete])
            rows.loc[where[complete], ["centre", "low", "high"]] = np.column_stack(
                [line, low, high]
            )
    return rows


def note(estimator: str, trials: Iterable[int]) -> str:
    """What a figure's lines and bands are, with the trials behind them: "line: mean of 10
    trials; band: 95% bootstrap CI of the mean" (a range such as "8-10 trials" where they differ)."""
    chosen = check_estimator(estimator)
    counts = list(trials)
    if not counts:
        return f"line: {chosen.line}; band: {chosen.band}"
    return f"line: {chosen.line} of {trial_count(counts)}; band: {chosen.band}"


def trial_count(trials: Iterable[int]) -> str:
    """How many trials a figure's curves hold: "10 trials", "1 trial", "8-10 trials"."""
    counts = sorted(set(int(n) for n in trials))
    if len(counts) > 1:
        return f"{counts[0]}-{counts[-1]} trials"
    return "1 trial" if counts == [1] else f"{counts[0]} trials"
