"""Central or decentralised: the learner-link bandwidth below which gossip reaches a target first.

A run holds, per problem (environment), central variants at learner-link bandwidths
B_1 < ... < B_m and gossip variants that never cross the learner link (the points table's ``form``
is ``central`` or the graph's name, its ``value`` the bandwidth, NaN for gossip). Times to target
are those of :mod:`analysis.targets` (the mean agent's; for gossip also the worst agent's).

- **Measured crossover**, per gossip form: T_c(B_j) is the central form's median time to target
  at B_j, T_g the gossip form's. B* is where log T_c crosses log T_g, interpolated linearly in
  log B between the two sweep points that bracket it; none when T_c stays on one side of T_g over
  the whole sweep, or is infinite (fewer than half the trials reached the target) where it matters.
- **Predicted crossover**, from message sizes and link rates. Under barrier rounds the central form
  plays the same rounds at any B; every message of a round crosses the learner link, one after
  another in the worst case, so T_c(B) ~= T_0 + 8 W / B, where W is the bytes on the wire to
  target (the central median at the widest link: every policy down and report up, headers
  included) and T_0 the rest of the time, T_c(B_m) - 8 W / B_m. Then
  B*_pred = 8 W / (T_g - T_0), none if T_g <= T_0 (gossip is slower even with an infinitely fast
  learner link).

The prediction overstates the link's cost where the round's messages overlap with compute (a
report that crosses while other agents still play costs nothing extra) and ignores latency's and
the router's share; where it and the measurement differ, that is why.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

import netsim
from analysis import style
from analysis.estimators import trial_count
from analysis.sweep import sweep_summary
from analysis.targets import worst_agent_time_to_target

POINT_COLUMNS = ("variant", "series", "env", "target", "value", "form")


def measured_crossover(bandwidths: np.ndarray, central_s: np.ndarray, gossip_s: float) -> float:
    """B* where the central times (at increasing ``bandwidths``) cross ``gossip_s``, by log-log
    interpolation between the bracketing points; NaN if they do not cross (module docstring)."""
    if not np.isfinite(gossip_s):
        return np.nan
    for j in range(len(bandwidths) - 1):
        slow, fast = central_s[j], central_s[j + 1]
        if np.isfinite(fast) and slow >= gossip_s >= fast and slow > fast:
            if not np.isfinite(slow):
                return np.nan
            share = (np.log(slow) - np.log(gossip_s)) / (np.log(slow) - np.log(fast))
            low, high = np.log(bandwidths[j]), np.log(bandwidths[j + 1])
            return float(np.exp(low + share * (high - low)))
    return np.nan


def form_summary(metrics: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.sweep.sweep_summary` of every variant of ``points``, with its ``form``."""
    missing = set(POINT_COLUMNS) - set(points.columns)
    if missing:
        raise ValueError(f"the points table lacks columns {sorted(missing)}")
    return sweep_summary(metrics, points.drop(columns="form")).merge(
        points[["variant", "form"]], on="variant"
    )


def crossover_table(metrics: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """One row per (env, gossip form) of a :func:`form_summary`: the gossip median time to target
    with its 10-90 band and the worst agent's median (from ``metrics``), the central form's T_0
    and W at the widest link, and the measured and predicted crossovers (module docstring)."""
    rows = []
    for env, rows_of_env in summary.groupby("env", sort=False):
        central = rows_of_env[rows_of_env["form"] == "central"].sort_values("value")
        if central.empty:
            continue
        bandwidths = central["value"].to_numpy(dtype=float)
        times = central["time_s_median"].to_numpy(dtype=float)
        widest = central.iloc[-1]
        wire_bits = 8 * float(widest["wire_bytes_median"])
        widest_s = float(widest["time_s_median"])
        rest_s = widest_s - wire_bits / bandwidths[-1] if np.isfinite(widest_s) else np.nan
        for _, gossip in rows_of_env[rows_of_env["form"] != "central"].iterrows():
            of_form = metrics[metrics["variant"] == gossip["variant"]]
            worst = worst_agent_time_to_target(of_form, gossip["target"])["time_s"]
            gossip_s = float(gossip["time_s_median"])
            faster = np.isfinite(gossip_s) and gossip_s > rest_s
            predicted = wire_bits / (gossip_s - rest_s) if faster else np.nan
            rows.append(
                {
                    "env": env,
                    "gossip": gossip["form"],
                    "trials": int(gossip["trials"]),
                    "gossip_reached": int(gossip["reached"]),
                    "gossip_time_s_p10": gossip["time_s_p10"],
                    "gossip_time_s_median": gossip_s,
                    "gossip_time_s_p90": gossip["time_s_p90"],
                    "gossip_worst_agent_time_s_median": float(
                        np.quantile(worst, 0.5, method="inverted_cdf")
                    ),
                    "gossip_episodes_median": gossip["episodes_median"],
                    "central_reached": int(central["reached"].min()),
                    "central_episodes_median": float(widest["episodes_median"]),
                    "central_rest_s": rest_s,
                    "central_wire_bytes_median": float(widest["wire_bytes_median"]),
                    "crossover_measured_bps": measured_crossover(bandwidths, times, gossip_s),
                    "crossover_predicted_bps": predicted,
                }
            )
    return pd.DataFrame(rows)


def crossover_figure(central: pd.DataFrame, table: pd.DataFrame) -> Figure:
    """Per env, time to target against the learner link: the central form's median and 10-90
    band (``central``: env, value, trials, time_s_p10 / _median / _p90, as :func:`report` writes
    it to ``central.csv``), its predicted curve T_0 + 8 W / B (dashed), and each gossip form's
    median (``table``, a :func:`crossover_table`) as a horizontal line over its band (cut at twice
    the largest finite time: a 90th percentile of "never" reaches the top); crossovers marked on
    the gossip form's line. Each form has one look in every panel; the legend below says how many
    trials of each form reached the target in each env."""
    return _crossover_figure(central, table)


_MEASURED, _PREDICTED = "v", "x"


@style.styled
def _crossover_figure(central: pd.DataFrame, table: pd.DataFrame) -> Figure:
    envs = list(pd.unique(central["env"]))
    palette = style.Palette(["central", *pd.unique(table["gossip"])])
    fig = style.figure(style.COLUMN_IN if len(envs) == 1 else style.PAGE_IN)
    axes = fig.subplots(1, len(envs), squeeze=False)[0]
    for ax, env in zip(axes, envs, strict=True):
        of_central = central[central["env"] == env].sort_values("value")
        bandwidths = of_central["value"].to_numpy(dtype=float)
        look = palette["central"]
        ax.plot(bandwidths, of_central["time_s_median"], color=look.colour, marker=look.marker)
        ax.fill_between(
            bandwidths,
            of_central["time_s_p10"],
            of_central["time_s_p90"],
            alpha=style.BAND_ALPHA,
            color=look.colour,
            linewidth=0,
        )
        of_env = table[table["env"] == env]
        spans = np.concatenate(
            [
                of_central[["time_s_p10", "time_s_median", "time_s_p90"]]
                .to_numpy(dtype=float)
                .ravel(),
                of_env[["gossip_time_s_p10", "gossip_time_s_median"]].to_numpy(dtype=float).ravel(),
            ]
        )
        top = 2 * float(np.max(spans[np.isfinite(spans)], initial=1.0))
        if not of_env.empty:
            first = of_env.iloc[0]
            grid = np.logspace(np.log10(bandwidths[0]), np.log10(bandwidths[-1]), 100)
            predicted = first["central_rest_s"] + 8 * first["central_wire_bytes_median"] / grid
            ax.plot(grid, predicted, "--", color=look.colour, linewidth=0.8)
        for _, gossip in of_env.iterrows():
            level = palette[gossip["gossip"]]
            ax.plot(bandwidths[[0, -1]], [gossip["gossip_time_s_median"]] * 2, color=level.colour)
            ax.axhspan(
                gossip["gossip_time_s_p10"],
                min(gossip["gossip_time_s_p90"], top),
                alpha=style.BAND_ALPHA / 2,
                color=level.colour,
                linewidth=0,
            )
            for column, marker in (
                ("crossover_measured_bps", _MEASURED),
                ("crossover_predicted_bps", _PREDICTED),
            ):
                if np.isfinite(gossip[column]):
                    ax.plot(
                        gossip[column], gossip["gossip_time_s_median"], marker, color=level.colour
                    )
        ax.set(title=env, xlabel="learner link bandwidth (bit/s)", ylabel="time to target (s)")
        ax.set_xscale("log")
        times = of_central[["time_s_median", "time_s_p10"]].to_numpy(dtype=float)
        if np.isfinite(times).any():
            ax.set_yscale("log")
            ax.set_ylim(top=top)
    _crossover_legend(fig, central, table, palette)
    return fig


def _crossover_legend(
    fig: Figure, central: pd.DataFrame, table: pd.DataFrame, palette: style.Palette
) -> None:
    """The forms, each with its trials that reached the target per env, and the markers."""

    def reached(rows: pd.DataFrame, done: str, of: str) -> str:
        return ", ".join(f"{row['env']} {row[done]}/{row[of]}" for _, row in rows.iterrows())

    look = palette["central"]
    ends = central.sort_values("value").groupby("env", sort=False).tail(1)
    handles = [style.handle(look, marker=True), style.handle(look._replace(linestyle="--"))]
    labels = [
        f"central, measured (reached at the widest link: {reached(ends, 'reached', 'trials')})",
        "central, predicted T_0 + 8 W / B",
    ]
    for form, rows in table.groupby("gossip", sort=False):
        handles.append(style.handle(palette[form]))
        labels.append(f"gossip {form} (reached: {reached(rows, 'gossip_reached', 'trials')})")
    for marker, what in ((_MEASURED, "measured"), (_PREDICTED, "predicted")):
        handles.append(Line2D([], [], color="black", linestyle="", marker=marker))
        labels.append(f"{what} crossover")
    trials = trial_count(pd.concat([central["trials"], table["trials"]]))
    title = (
        f"line: median time to target of {trials} (a trial that never reaches it counts as "
        "infinite); band: 10th-90th percentile"
    )
    style.legend_below(fig, handles, labels, title)


def report(directory: str | Path, points: pd.DataFrame) -> list[Path]:
    """Write ``crossover.csv`` (:func:`crossover_table`), ``central.csv`` (the central form's
    measured and predicted time to target at each bandwidth) and ``crossover.png`` into the
    run's ``plots/``; returns their paths."""
    metrics = netsim.Results(directory).to_pandas()
    points = points[points["variant"].isin(metrics["variant"].unique())]
    out = Path(directory) / "plots"
    out.mkdir(parents=True, exist_ok=True)
    summary = form_summary(metrics, points)
    table = crossover_table(metrics, summary)
    central = summary[summary["form"] == "central"][
        ["env", "value", "reached", "trials", "time_s_p10", "time_s_median", "time_s_p90"]
    ].merge(
        table[["env", "central_rest_s", "central_wire_bytes_median"]].drop_duplicates(),
        on="env",
        how="left",
    )
    central["time_s_predicted"] = (
        central["central_rest_s"] + 8 * central["central_wire_bytes_median"] / central["value"]
    )
    table.to_csv(out / "crossover.csv", index=False)
    central.to_csv(out / "central.csv", index=False)
    return [
        out / "crossover.csv",
        out / "central.csv",
        style.save(crossover_figure(central, table), out / "crossover.png"),
    ]
