"""The report's metrics (docs/design.md, "Metrics"; report 3.2) from a results table.

The results table has one row per (variant, trial, episode, agent) with at least the columns
``variant``, ``trial``, ``episode``, ``agent``, ``reward``, ``sent``, ``payload_bytes``,
``wire_bytes``, ``control_wire_bytes``, ``downlink_wire_bytes``, ``resent_wire_bytes`` and
``sim_time_s``. Every function keeps the variants in the
order they first appear in the table; trials and episodes come out in ascending order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.estimators import DEFAULT_ESTIMATOR, check_estimator, estimate

METRICS: dict[str, str] = {
    "reward": "mu_reward",
    "frequency": "frequency",
    "size_bytes": "size_bytes",
    "cumulative_reward": "cumulative_reward",
}
"""The metrics ``summarise`` knows, each mapped to the per-trial column it summarises."""

ROUNDS = ("episode", "policy_version")
"""What :func:`per_trial` can group a trial's rows by: the agents' episodes, or the learner's
versions they played."""


def per_trial(df: pd.DataFrame, by: str = "episode") -> pd.DataFrame:
    """One row per (variant, trial, round): the round's metrics within that trial.

    A round is an ``episode`` (the report's x-axis), or with ``by="policy_version"`` a learner
    version: the rows of agents that played it. The two agree under the ``barrier`` and
    ``deadline`` round policies; under ``async`` an agent's k-th episode may be played on any
    version, so curves against the learner's clock (simulated time, targets) go by version. A
    table with no learner versions (the gossip pattern's: each agent plays its own parameters),
    or a variant with none in a table that holds central variants too, is grouped by ``episode``
    either way, its round ending when its last agent finishes it.

    With the rows i = 1..n of a round (its agents):

    - ``mu_reward = mean_i reward_i`` (the discounted return sum_t gamma^t r_t, averaged over the
      agents that played: a row whose episode was not played, reward NaN, is left out),
    - ``frequency = (1/n) sum_i c_i`` (``sent``: messages per agent per episode),
    - ``size_bytes = (1/n) sum_i payload_bytes_i`` (0 for an agent that sent nothing),
    - ``round_end_s = max_i sim_time_s_i`` over the rows whose uplink was not ``late`` (when the
      round's last uplink that counted reached the learner; under ``barrier`` every one counts),
    - ``played = the number of rows with a reward`` (episodes played in the round),
    - ``uplink_wire_bytes = sum_i (wire_bytes_i + control_wire_bytes_i)`` (reports and
      "nothing to send" notices on the wire, headers included),
    - ``total_wire_bytes = sum_i (wire_bytes_i + control_wire_bytes_i + downlink_wire_bytes_i +
      params_wire_bytes_i + resent_wire_bytes_i)`` (every message of the round once, end to end,
      every direction, with the resent copies of lost packets; a central table has no
      ``params_wire_bytes`` and a gossip one no ``downlink_wire_bytes``: an absent column counts
      0; under gossip "uplink" is the reports and notices sent to peers),
    - ``cumulative_reward = sum_{j <= k} mu_reward(j)`` (running sum over the trial's rounds).

    A table that is already this function's output (it has ``mu_reward`` and no ``agent`` column,
    e.g. a stored per-round summary) is returned as it is, with ``cumulative_reward`` added if it
    was left out, so every function here, and the plots, also take such a summary; its rounds stay
    as they were grouped (by episode, for a stored summary: the same rounds as by version under
    barrier rounds).
    """
    if by not in ROUNDS:
        raise ValueError(f"per_trial groups by one of {ROUNDS}, not {by!r}")
    if "mu_reward" in df and "agent" not in df:
        rounds = df.copy()
        if "cumulative_reward" not in rounds:
            rounds["cumulative_reward"] = rounds.groupby(["variant", "trial"], sort=False)[
                "mu_reward"
            ].cumsum()
        return rounds
    if by not in df:
        by = "episode"

    def column(name: str) -> pd.Series:
        """A column one pattern's table has and another's lacks: 0 where absent."""
        return df[name].fillna(0) if name in df else pd.Series(0, index=df.index)

    uplink = df["wire_bytes"] + df["control_wire_bytes"]
    frame = _ordered(df).assign(
        uplink_wire_bytes=uplink,
        total_wire_bytes=uplink
        + column("downlink_wire_bytes")
        + column("params_wire_bytes")
        + df["resent_wire_bytes"],
        on_time_s=df["sim_time_s"].where(column("late") == 0),
    )
    if by != "episode":  # a gossip variant beside central ones: its rows have no version
        learnerless = df[by].isna().groupby(df["variant"], observed=True).transform("all")
        frame[by] = df[by].where(~learnerless, df["episode"])
    rounds = frame.groupby(["variant", "trial", by], observed=True).agg(
        mu_reward=("reward", "mean"),
        frequency=("sent", "mean"),
        size_bytes=("payload_bytes", "mean"),
        round_end_s=("on_time_s", "max"),
        played=("reward", "count"),
        uplink_wire_bytes=("uplink_wire_bytes", "sum"),
        total_wire_bytes=("total_wire_bytes", "sum"),
    )
    rounds = rounds.reset_index()
    rounds["cumulative_reward"] = rounds.groupby(["variant", "trial"], observed=True)[
        "mu_reward"
    ].cumsum()
    return _unordered(rounds)


def summarise(df: pd.DataFrame, metric: str, estimator: str = DEFAULT_ESTIMATOR) -> pd.DataFrame:
    """One row per (variant, episode): ``trials``, and ``centre``, ``low`` and ``high`` of
    ``metric`` across trials by ``estimator`` (:mod:`analysis.estimators`; by default the mean and
    its 95% bootstrap confidence interval).

    ``metric`` is one of :data:`METRICS`. The values summarised in episode k are x_l(k), the
    per-trial value of trial l (see :func:`per_trial`; for "reward" it is mu_reward of trial l).
    "cumulative_reward" is the running sum over episodes within each trial, summarised the same
    way (used for Frozen Lake).
    """
    if metric not in METRICS:
        raise ValueError(f"metric {metric!r} is unknown; choose one of {sorted(METRICS)}")
    rounds = _ordered(per_trial(df))
    summary = estimate(rounds, ["variant", "episode"], METRICS[metric], estimator)
    return _unordered(summary)


def reward_against_time(
    df: pd.DataFrame,
    points: int = 200,
    time_s: np.ndarray | None = None,
    estimator: str = DEFAULT_ESTIMATOR,
) -> pd.DataFrame:
    """Reward against simulated time: columns ``variant``, ``time_s``, ``trials``, ``centre``,
    ``low``, ``high``.

    Every trial's curve is resampled on one time grid, so trials (and, with ``time_s``, variants)
    can be compared point by point. The grid is ``time_s`` (ascending simulated seconds) for every
    variant if given; else, per variant, ``points`` equally spaced times from 0 to T, T the largest
    final ``round_end_s`` over the variant's trials. Trial l's reward at time t is the step function
    ``r_l(t) = mu_reward`` of the latest round with ``round_end_s <= t`` (NaN before its first round
    ends); a trial that has finished all its rounds keeps its last reward, as its final policy
    would, so a fast trial (short episodes) does not cut the others' curves short. Rounds are the
    learner's versions (:func:`per_trial` ``by="policy_version"``). ``centre``, ``low`` and
    ``high`` are taken over r_1(t)..r_L(t) by ``estimator`` as in :func:`summarise`; they are NaN
    at times before every trial has finished a round.
    """
    if time_s is None and points < 2:
        raise ValueError(f"points is {points}; it must be >= 2")
    check_estimator(estimator)
    rounds = per_trial(df, by="policy_version")
    curves = []
    for name in rounds["variant"].unique():
        variant = rounds[rounds["variant"] == name]
        grid = np.linspace(0.0, variant["round_end_s"].max(), points) if time_s is None else time_s
        grid = np.asarray(grid, dtype=float)
        for trial, of_trial in variant.groupby("trial"):
            curves.append(
                pd.DataFrame(
                    {
                        "variant": name,
                        "trial": trial,
                        "time_s": grid,
                        "reward": _step_curve(of_trial, grid),
                    }
                )
            )
    trials = pd.concat(curves, ignore_index=True)
    return estimate(trials, ["variant", "time_s"], "reward", estimator)


def _step_curve(trial: pd.DataFrame, time_s: np.ndarray) -> np.ndarray:
    """mu_reward of the latest round of ``trial`` ended by each time in ``time_s``, else NaN."""
    finished = trial.sort_values("round_end_s", kind="stable")
    ends = finished["round_end_s"].to_numpy()
    rewards = np.append(np.nan, finished["mu_reward"].to_numpy())
    return rewards[np.searchsorted(ends, time_s, side="right")]


def _ordered(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with ``variant`` a categorical in order of first appearance, kept by grouping."""
    order = pd.unique(df["variant"])
    return df.assign(variant=pd.Categorical(df["variant"], categories=order, ordered=True))


def _unordered(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with ``variant`` back to plain strings (the row order keeps the variant order)."""
    return df.assign(variant=df["variant"].astype(str))
