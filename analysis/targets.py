"""Learning speed on the network's clock: when, after how many episodes and after how many bytes on
the wire each trial reaches a target reward, and where each variant ends up for what it sent.

Definitions (docs/design.md, "Metrics": time and bytes to reach a target reward), on
the rounds of :func:`analysis.aggregate.per_trial` by learner version (the episodes, but under the
``async`` round policy the versions agents played), k = 0, 1, ... within a trial:

- the *smoothed reward* of round k is the mean of ``mu_reward`` over rounds k - w + 1 .. k (a
  trailing window of w = ``window`` rounds; undefined for the first w - 1 rounds, so one lucky
  round never counts);
- a trial *reaches* the target at the first round k whose smoothed reward is >= ``target``; then
  ``time_s`` = that round's ``round_end_s`` (simulated seconds), ``episodes`` = the episodes
  played in rounds 0..k per agent (k + 1 when every agent plays every round) and
  ``wire_bytes`` = the bytes on the wire of rounds 0..k (``total_wire_bytes``: every message's wire
  bytes once, end to end, both directions, control notices and resent packets included);
- a trial that never reaches it keeps ``reached = False`` and ``inf`` for all three: it is counted,
  never dropped, and it sorts after every trial that did.

Where agents learn apart (the gossip pattern: each holds its own parameters), the above is the
*mean agent*'s time; :func:`worst_agent_time_to_target` applies the same definition to each
agent's own rewards and its own clock (its row's ``sim_time_s``), and takes, per trial, the last
agent to reach the target: the worst agent's time, ``inf`` if any agent never does.

Across trials, :func:`target_summary` gives quantiles by the inverted empirical CDF (numpy's
``inverted_cdf``): the q-quantile is the smallest observed value with at least a fraction q of the
trials at or below it. So the median time is the time by which half the trials have reached the
target, and it is ``inf`` when fewer than half ever do; no interpolation mixes a finite time with
an ``inf``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.aggregate import per_trial

_MEASURES = ("time_s", "episodes", "wire_bytes")


def time_to_target(
    df: pd.DataFrame, target: float, window: int = 5, agents: Mapping[str, int] | None = None
) -> pd.DataFrame:
    """One row per (variant, trial): ``reached``, ``time_s``, ``episodes``, ``wire_bytes`` to reach
    ``target`` (see the module docstring), variants in order of first appearance.

    ``df`` is a metrics table or a per-round summary (:func:`analysis.aggregate.per_trial`'s
    output, as :mod:`analysis.summaries` stores it). A summary has no ``agent`` column, so it needs
    ``agents``: each variant's number of agents (its scenario's ``n_agents``), the divisor of the
    episodes per agent; a metrics table's own agents are counted and ``agents`` is ignored."""
    if window < 1:
        raise ValueError(f"window is {window}; it must be >= 1")
    rounds = per_trial(df, by="policy_version")
    if "agent" in df:
        agents_of = df.groupby(["variant", "trial"], sort=False)["agent"].nunique()
    else:
        agents_of = _summary_agents(rounds, agents)
    by_trial = rounds.groupby(["variant", "trial"], sort=False)
    per_agent = agents_of.reindex(pd.MultiIndex.from_frame(rounds[["variant", "trial"]])).to_numpy()
    smoothed = by_trial["mu_reward"].transform(lambda r: r.rolling(window).mean())
    rounds = rounds.assign(
        smoothed=smoothed,
        wire_bytes=by_trial["total_wire_bytes"].cumsum(),
        episodes=by_trial["played"].cumsum() / per_agent,
    )
    first = rounds[rounds["smoothed"] >= target].groupby(["variant", "trial"], sort=False).head(1)
    trials = rounds[["variant", "trial"]].drop_duplicates().reset_index(drop=True)
    hits = first.rename(columns={"round_end_s": "time_s"})[["variant", "trial", *_MEASURES]]
    table = trials.merge(hits, on=["variant", "trial"], how="left")
    table.insert(2, "reached", table["time_s"].notna())
    return table.fillna({measure: np.inf for measure in _MEASURES}).astype(
        {measure: float for measure in _MEASURES}
    )


def _summary_agents(rounds: pd.DataFrame, agents: Mapping[str, int] | None) -> pd.Series:
    """``agents`` of each (variant, trial) of the per-round summary ``rounds``."""
    variants = pd.unique(rounds["variant"])
    if agents is None:
        raise ValueError(
            "a per-round summary has no agent column: give time_to_target agents= (each "
            "variant's n_agents)"
        )
    missing = [variant for variant in variants if variant not in agents]
    if missing:
        raise ValueError(f"agents= has no number of agents for variant {missing[0]!r}")
    trials = rounds[["variant", "trial"]].drop_duplicates()
    index = pd.MultiIndex.from_frame(trials)
    return pd.Series([agents[variant] for variant in trials["variant"]], index=index)


def worst_agent_time_to_target(df: pd.DataFrame, target: float, window: int = 5) -> pd.DataFrame:
    """One row per (variant, trial): ``reached`` (every agent did) and ``time_s``, when the last of
    its agents reached ``target`` with its own smoothed reward (module docstring)."""
    if window < 1:
        raise ValueError(f"window is {window}; it must be >= 1")
    rows = df.sort_values(["variant", "trial", "agent", "episode"], kind="stable")
    by_agent = rows.groupby(["variant", "trial", "agent"], sort=False)["reward"]
    rows = rows.assign(smoothed=by_agent.transform(lambda r: r.rolling(window).mean()))
    reaching = rows["sim_time_s"].where(rows["smoothed"] >= target)
    first = reaching.groupby([rows["variant"], rows["trial"], rows["agent"]], sort=False).min()
    worst = first.fillna(np.inf).groupby(level=["variant", "trial"], sort=False).max()
    table = worst.rename("time_s").reset_index()
    table.insert(2, "reached", np.isfinite(table["time_s"]))
    return table


def target_summary(reached: pd.DataFrame) -> pd.DataFrame:
    """One row per variant of a :func:`time_to_target` table: ``trials``, ``reached`` (how many
    trials did), and ``{measure}_p10`` / ``_median`` / ``_p90`` of ``time_s``, ``episodes`` and
    ``wire_bytes`` across all its trials, by the inverted empirical CDF (module docstring)."""
    rows = []
    for variant, trials in reached.groupby("variant", sort=False):
        row: dict[str, object] = {
            "variant": variant,
            "trials": len(trials),
            "reached": int(trials["reached"].sum()),
        }
        for measure in _MEASURES:
            values = trials[measure].to_numpy()
            for name, q in (("p10", 0.1), ("median", 0.5), ("p90", 0.9)):
                row[f"{measure}_{name}"] = float(np.quantile(values, q, method="inverted_cdf"))
        rows.append(row)
    return pd.DataFrame(rows)


def final_reward_and_bytes(df: pd.DataFrame, window: int = 10) -> pd.DataFrame:
    """One row per (variant, trial): ``final_reward``, the mean ``mu_reward`` of the trial's last
    ``window`` rounds (all of them if it has fewer), and ``wire_bytes``, the bytes on the wire of
    all its rounds (``total_wire_bytes`` summed): the two axes of the Pareto view."""
    if window < 1:
        raise ValueError(f"window is {window}; it must be >= 1")
    rounds = per_trial(df)
    by_trial = rounds.groupby(["variant", "trial"], sort=False)
    return pd.DataFrame(
        {
            "final_reward": by_trial["mu_reward"].apply(lambda r: r.tail(window).mean()),
            "wire_bytes": by_trial["total_wire_bytes"].sum().astype(float),
        }
    ).reset_index()


def pareto_front(
    points: pd.DataFrame,
    reward: str = "final_reward",
    cost: str = "wire_bytes",
    tolerance: float = 1e-9,
) -> pd.Series:
    """Whether each row of ``points`` is on the Pareto front of high ``reward`` and low ``cost``:
    no other row has reward >= and cost <= with at least one strict. Rewards closer than
    ``tolerance`` times the largest absolute reward (at least ``tolerance``) count as equal, so
    that two means of the same optimum that differ in their last bits do not rank. Rows that tie
    on both are all on it. Returns a boolean Series aligned with ``points``."""
    r = points[reward].to_numpy(dtype=float)
    c = points[cost].to_numpy(dtype=float)
    slack = tolerance * max(1.0, float(np.abs(r).max(initial=0.0)))
    at_least_as_good = (r[None, :] >= r[:, None] - slack) & (c[None, :] <= c[:, None])
    strictly_better = (r[None, :] > r[:, None] + slack) | (c[None, :] < c[:, None])
    dominated = (at_least_as_good & strictly_better).any(axis=1)
    return pd.Series(~dominated, index=points.index, name="pareto")
