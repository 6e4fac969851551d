"""A sweep's learning speed against the swept network setting, and the rankings it implies.

A sweep's *points* table has one row per variant: ``variant``, ``series`` (the curve it belongs
to: an algorithm on an environment), ``env`` (series are ranked only against series of the same
environment), ``value`` (the swept setting, e.g. access bandwidth in bit/s) and ``target`` (the
reward its series must reach). The scenario that builds the sweep writes it (see
``scenarios/_sweep.py``); nothing is parsed from variant names.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.targets import target_summary, time_to_target

POINT_COLUMNS = ("variant", "series", "env", "value", "target")


def sweep_summary(
    df: pd.DataFrame,
    points: pd.DataFrame,
    window: int = 5,
    agents: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """:func:`analysis.targets.target_summary` of every variant of ``points`` (each against its own
    target, smoothed over ``window`` rounds), with its ``series``, ``env`` and ``value``; in the
    order of ``points``. Variants of ``points`` missing from ``df`` are left out. ``df`` is a
    metrics table or a per-round summary, which needs ``agents``
    (:func:`analysis.targets.time_to_target`)."""
    missing = set(POINT_COLUMNS) - set(points.columns)
    if missing:
        raise ValueError(f"the points table lacks columns {sorted(missing)}")
    reached = [
        time_to_target(df[df["variant"].isin(group["variant"])], target, window, agents)
        for target, group in points.groupby("target", sort=False)
    ]
    summary = target_summary(pd.concat(reached, ignore_index=True))
    return points.merge(summary, on="variant", how="inner")


def rankings(summary: pd.DataFrame) -> pd.DataFrame:
    """Per (env, value) of a :func:`sweep_summary`, every series ranked by its median time to
    target (``rank_by_time``) and by its median episodes to target (``rank_by_episodes``), 1 the
    fastest; ties, including series that never reach the target (``inf``), share the lower rank.
    Columns: env, value, series, reached, trials, time_s_median, episodes_median, wire_bytes_median,
    rank_by_time, rank_by_episodes, sorted by env, value and rank by time."""
    groups = summary.groupby(["env", "value"], sort=False)
    ranked = summary.assign(
        rank_by_time=groups["time_s_median"].rank(method="min").astype(int),
        rank_by_episodes=groups["episodes_median"].rank(method="min").astype(int),
    )
    columns = [
        "env",
        "value",
        "series",
        "reached",
        "trials",
        "time_s_median",
        "episodes_median",
        "wire_bytes_median",
        "rank_by_time",
        "rank_by_episodes",
    ]
    return ranked[columns].sort_values(["env", "value", "rank_by_time"], kind="stable")
