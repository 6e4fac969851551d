"""Write docs/studies.md, and draw its figures, from the stored results of netsim's own studies.

Every number on the page is computed here from what ``docs/data/studies/NAME/`` holds: each run's
per-round summary (:func:`analysis.summaries.store_summary`: ``rounds.parquet``, ``scenario.json``,
``trial_times.csv``) and, where the page needs what a per-round summary cannot give, a table the
run's own report computes: the stragglers' comparison (late reports and staleness, by learner
version) and their reward against time (``comparison.csv``, ``reward_vs_time.csv``), and the
edge-cloud network's link load for the variants the page shows (``link_load.parquet``). The
``downlinks`` run's size comes from ``docs/data/payloads/runs.csv``. The figures are drawn from the
same stored results into ``docs/figures/`` (PNG and PDF). With ``--runs DIR`` (a folder holding
run directories named as :data:`STUDIES`) the script first stores those runs and redraws the
figures; ``--figures`` redraws the figures from what is stored; it always rewrites the page.
``tests/test_studies_page.py`` checks that the page is what the stored results give.

    netsim run bandwidth_sweep --out runs/bandwidth_sweep   # and the others of STUDIES
    python scripts/studies_page.py --runs runs
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

from analysis.markdown import Store, number, page_main, seconds, si, table
from analysis.sweep import rankings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scenarios"))
from _sweep import GRID, GRID_TARGET  # noqa: E402  (a helper of the scenario files)

DATA = ROOT / "docs" / "data" / "studies"
FIGURES = ROOT / "docs" / "figures"
PAGE = ROOT / "docs" / "studies.md"
SWEEPS = ("bandwidth_sweep", "latency_sweep", "lossy_links", "edge_cloud")
STUDIES = ("quickstart", *SWEEPS, "stragglers", "custom_topology")
"""Every study whose run the page reads, by its scenario's name."""
LINK_LOAD_VARIANTS = (
    "DQL, Simple Grid @ 100 kbit/s",
    "DAVIA, Simple Grid @ 100 kbit/s",
    "ES, Cart Pole @ 100 kbit/s",
)
"""The edge-cloud variants whose link utilisation the page shows (backhaul at 100 kbit/s)."""
BUSIEST_LINKS = 3
"""Links shown per variant: its busiest directed links, by bytes carried over all trials."""


@cache
def scenario(study: str) -> ModuleType:
    """The study's scenario file, imported."""
    from netsim.catalog import _import

    return _import(ROOT / "scenarios" / f"{study}.py")


def collect(runs: Path) -> None:
    """Store each study's run found in ``runs`` (a study with none keeps what is stored): its
    per-round summary and, for ``stragglers`` and ``edge_cloud``, the tables the page needs
    beyond it."""
    import netsim
    from analysis.summaries import store_summary

    for study in STUDIES:
        directory = runs / study
        if not directory.is_dir():
            print(f"no {directory}: {study} keeps what is stored")
            continue
        store_summary(directory, DATA / study)
        if study == "stragglers":
            store_stragglers(netsim.Results(directory))
        if study == "edge_cloud":
            store_link_load(netsim.Results(directory))
        print(f"stored {study}")


def store_stragglers(results: object) -> None:
    """The stragglers study's comparison (its report's table: late reports and staleness need the
    agents' rows) and its reward against simulated time, both by learner version."""
    from analysis.aggregate import reward_against_time

    comparison = scenario("stragglers").comparison(results)
    comparison.rename_axis("variant").to_csv(DATA / "stragglers" / "comparison.csv")
    curves = reward_against_time(results.to_pandas())
    curves.to_csv(DATA / "stragglers" / "reward_vs_time.csv", index=False)


def store_link_load(results: object) -> None:
    """The link load of :data:`LINK_LOAD_VARIANTS`, their :data:`BUSIEST_LINKS` busiest links
    only: what :func:`analysis.network_plots.link_load_figure` draws of them."""
    load = results.table("link_load")
    load = load[load["variant"].isin(LINK_LOAD_VARIANTS)]
    link = load["src"] + " -> " + load["dst"]
    carried = load.groupby([load["variant"], link])["carried_bytes"].sum()
    busiest = carried.groupby(level=0, group_keys=False).nlargest(BUSIEST_LINKS).index
    kept = pd.MultiIndex.from_arrays([load["variant"], link]).isin(busiest)
    load[kept].reset_index(drop=True).to_parquet(
        DATA / "edge_cloud" / "link_load.parquet", compression="zstd", compression_level=19
    )


def rounds(study: str) -> pd.DataFrame:
    """The study's stored per-round summary."""
    return pd.read_parquet(DATA / study / "rounds.parquet")


def config(study: str) -> dict:
    """The study's scenario as run."""
    return json.loads((DATA / study / "scenario.json").read_text())


def agents(study: str) -> dict[str, int]:
    """Each variant's number of agents, as run."""
    return {variant["name"]: variant["n_agents"] for variant in config(study)["variants"]}


def sweep_summary(study: str) -> pd.DataFrame:
    """:func:`analysis.sweep.sweep_summary` of the sweep's stored run."""
    from analysis.sweep import sweep_summary as summary

    return summary(rounds(study), scenario(study).POINTS, agents=agents(study))


def draw_figures() -> None:
    """Draw the page's figures into ``docs/figures/`` (PNG and PDF) from the stored results: each
    sweep's figure and the bandwidth sweep's Pareto view, the stragglers' reward against time and
    the edge-cloud link load."""
    from analysis.network_plots import link_load_figure, pareto_figure, sweep_figure
    from analysis.plots import reward_curves_figure
    from analysis.style import Palette, save
    from analysis.targets import final_reward_and_bytes

    figures = {}
    for study in SWEEPS:
        module = scenario(study)
        palette = Palette(module.POINTS["series"])
        figures[study] = sweep_figure(sweep_summary(study), module.VALUE_LABEL, palette)
        if study == "bandwidth_sweep":
            final = final_reward_and_bytes(rounds(study)).merge(module.POINTS, on="variant")
            figures[f"{study}_pareto"] = pareto_figure(final, palette)
    order = [variant["name"] for variant in config("stragglers")["variants"]]
    curves = pd.read_csv(DATA / "stragglers" / "reward_vs_time.csv")
    figures["stragglers_reward_vs_time"] = reward_curves_figure(curves, Palette(order))
    load = pd.read_parquet(DATA / "edge_cloud" / "link_load.parquet")
    figures["edge_cloud_link_load"] = link_load_figure(
        load, links=BUSIEST_LINKS, variants=LINK_LOAD_VARIANTS
    )
    for name, figure in figures.items():
        print(f"drew {save(figure, FIGURES / f'{name}.png')}")


def round_table(study: str) -> pd.DataFrame:
    """The study's stored rounds, each with its ``duration_s`` (from the previous round's end, or
    from 0) and, per agent that played it, its ``report_bytes`` (the uplink's wire bytes) and its
    ``download_bytes`` (the rest: the policy download, with resent packets)."""
    table = rounds(study)
    ends = table.groupby(["variant", "trial"], sort=False)["round_end_s"]
    return table.assign(
        duration_s=table["round_end_s"] - ends.shift(1, fill_value=0.0),
        report_bytes=table["uplink_wire_bytes"] / table["played"],
        download_bytes=(table["total_wire_bytes"] - table["uplink_wire_bytes"]) / table["played"],
    )


def means(study: str) -> pd.DataFrame:
    """Per variant, the mean over all its rounds of :func:`round_table`'s measures."""
    columns = ["duration_s", "report_bytes", "download_bytes", "uplink_wire_bytes"]
    return round_table(study).groupby("variant", sort=False)[columns].mean()


def before_target(study: str, target: float) -> pd.Series:
    """Per variant, the mean duration of the rounds its trials played before reaching
    ``target`` (trials that never do left out)."""
    from analysis.targets import time_to_target

    table = round_table(study)
    reached = time_to_target(table, target, agents=agents(study))
    reached = reached[reached["reached"]][["variant", "trial", "episodes"]]
    table = table.merge(reached, on=["variant", "trial"])
    before = table[table["episode"] < table["episodes"]]
    return before.groupby("variant", sort=False)["duration_s"].mean()


def per_trial_targets(study: str, target: float) -> pd.DataFrame:
    """Every trial's time and episodes to ``target``."""
    from analysis.targets import time_to_target

    return time_to_target(rounds(study), target, agents=agents(study))


def name(series: str) -> str:
    """A series' algorithm: ``"DQL, Simple Grid"`` -> ``"DQL"``."""
    return series.split(",")[0]


def ms(value: float) -> str:
    """A short duration, in ms below 1 s."""
    return f"{value * 1e3:.3g} ms" if value < 1 else seconds(value)


def kb(value: float) -> str:
    """Bytes, in kB or MB."""
    return f"{value / 1e6:.3g} MB" if value >= 1e6 else f"{value / 1e3:.3g} kB"


def listing(parts: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def times_at(rows: pd.DataFrame, value: float) -> list[tuple[str, float]]:
    """(algorithm, median time) of the reaching series at ``value``, fastest first."""
    at = rows[(rows["value"] == value) & np.isfinite(rows["time_s_median"])]
    return [
        (name(r["series"]), r["time_s_median"])
        for _, r in at.sort_values("time_s_median", kind="stable").iterrows()
    ]


def run_line(study: str) -> str:
    """The run's size and its trials' summed CPU and wall time."""
    times = pd.read_csv(DATA / study / "trial_times.csv")
    run = config(study)
    return (
        f"`{study}`, {len(run['variants'])} variants x {run['trials']} trials x "
        f"{run['episodes']} episodes; {times['cpu_s'].sum() / 60:.1f} min of CPU and "
        f"{times['wall_s'].sum() / 60:.1f} min of wall time summed over its trials"
    )


def sweep_table(summary: pd.DataFrame, unit: Callable[[float], str]) -> str:
    """Median time to target per series (rows) and swept value (columns), with the trials that
    reached the target."""
    values = sorted(summary["value"].unique())
    rows = []
    for series, of_series in summary.groupby("series", sort=False):
        cells = of_series.set_index("value")
        rows.append(
            [series]
            + [
                f"{seconds(cells.loc[v, 'time_s_median'])} ({cells.loc[v, 'reached']}/"
                f"{cells.loc[v, 'trials']})"
                for v in values
            ]
        )
    return table(["series", *(unit(v) for v in values)], rows)


def percent(value: float) -> str:
    return f"{value:.3g}%"


def grid_findings(summary: pd.DataFrame) -> list[str]:
    """The bandwidth sweep on Simple Grid: episodes, times, which pairs swap, and why."""
    rows = summary[summary["env"] == GRID]
    values = sorted(rows["value"].unique())
    slow, fast = values[0], values[-1]
    at_fast = rows[rows["value"] == fast]
    reaching = at_fast[np.isfinite(at_fast["episodes_median"])].sort_values(
        "episodes_median", kind="stable"
    )
    trials = int(at_fast["trials"].iloc[0])
    episodes = ", ".join(
        f"{name(r['series'])} {number(r['episodes_median'])}" for _, r in reaching.iterrows()
    )
    all_reach = (reaching["reached"] == trials).all()
    never = at_fast[~np.isfinite(at_fast["episodes_median"])]
    never_text = (
        listing(
            [
                f"by {name(r['series'])} in "
                + (
                    f"{r['reached']} trial{'s' if r['reached'] > 1 else ''} of {trials}"
                    if r["reached"]
                    else "none"
                )
                for _, r in never.iterrows()
            ]
        )
        if len(never)
        else ""
    )
    by_episodes = [name(series) for series in reaching["series"]]
    swapped = {}
    for value in values:
        by_time = [algorithm for algorithm, _ in times_at(rows, value)]
        for i, first in enumerate(by_episodes):
            for second in by_episodes[i + 1 :]:
                if by_time.index(second) < by_time.index(first):
                    swapped.setdefault((first, second), []).append(value)

    def times(value: float) -> str:
        return ", ".join(f"{algorithm} {seconds(t)}" for algorithm, t in times_at(rows, value))

    text = (
        f"- **Simple Grid, by episodes**: {episodes} (medians"
        + (f"; all {trials} trials of each reach the target)" if all_reach else ")")
        + (f"; it is reached {never_text}" if never_text else "")
        + ". **By simulated time** "
    )
    if swapped:
        text += listing(
            [
                f"{second} comes before {first} at "
                + ("every bandwidth" if len(at) == len(values) else listing([si(v) for v in at]))
                for (first, second), at in swapped.items()
            ]
        )
    else:
        text += "the order is the same at every bandwidth"
    text += f": {times(fast)} at {si(fast)}; {times(slow)} at {si(slow)}."
    bullets = [text]
    for first, second in swapped:
        bullets.append(swap_reasons(rows, first, second, slow, fast))
    return bullets


def swap_reasons(rows: pd.DataFrame, first: str, second: str, slow: float, fast: float) -> str:
    """Why ``second`` (more episodes) reaches the target before ``first`` by time: its rounds
    before the target, its uplink, and the trials paired by seed."""
    study = "bandwidth_sweep"
    target = float(rows["target"].iloc[0])
    durations = before_target(study, target)
    sizes = means(study)
    per_trial = per_trial_targets(study, target)

    def variant(algorithm: str, value: float) -> str:
        return rows[(rows["series"].map(name) == algorithm) & (rows["value"] == value)][
            "variant"
        ].iloc[0]

    def ahead(value: float, measure: str) -> tuple[int, int]:
        a = per_trial[per_trial["variant"] == variant(second, value)].set_index("trial")[measure]
        b = per_trial[per_trial["variant"] == variant(first, value)].set_index("trial")[measure]
        return int((a < b).sum()), len(a)

    extra = (
        rows[rows["series"].map(name) == second]["episodes_median"].iloc[0]
        - rows[rows["series"].map(name) == first]["episodes_median"].iloc[0]
    )
    slow_ahead, n = ahead(slow, "time_s")
    fast_ahead, _ = ahead(fast, "time_s")
    episodes_ahead, _ = ahead(fast, "episodes")
    n_agents = agents(study)[variant(first, slow)]
    return (
        f"  Until they reach the target, {second}'s rounds last {ms(durations[variant(second, fast)])} "
        f"against {first}'s {ms(durations[variant(first, fast)])} on average at {si(fast)} and "
        f"{ms(durations[variant(second, slow)])} against {ms(durations[variant(first, slow)])} at "
        f"{si(slow)}, where its smaller uplink also counts "
        f"({sizes.loc[variant(second, slow), 'uplink_wire_bytes']:,.0f} against "
        f"{sizes.loc[variant(first, slow), 'uplink_wire_bytes']:,.0f} uplink wire bytes per round "
        f"from the {n_agents} agents, on average over all rounds): enough to pay for its {number(extra)} extra episodes. Paired by trial "
        f"(the variants share their trials' seeds), {second} reaches the target before {first} in "
        f"{slow_ahead} of {n} trials at {si(slow)} and {fast_ahead} of {n} at {si(fast)}, and in "
        f"fewer episodes in {episodes_ahead} of {n}"
        + (
            ": the swap is in the medians, not in every trial."
            if min(slow_ahead, fast_ahead) < n
            else "."
        )
    )


def bandwidth_findings(summary: pd.DataFrame) -> list[str]:
    """What low bandwidth changes, Cart Pole, and the bytes to target."""
    sizes = means("bandwidth_sweep")
    values = sorted(summary["value"].unique())
    slow, fast = values[0], values[-1]
    grid = summary[(summary["env"] == GRID) & np.isfinite(summary["time_s_median"])]

    def cell(rows: pd.DataFrame, algorithm: str, value: float) -> pd.Series:
        return rows[(rows["series"].map(name) == algorithm) & (rows["value"] == value)].iloc[0]

    fastest, slowest = times_at(grid, fast)[0][0], times_at(grid, fast)[-1][0]
    downloads = {
        name(series): sizes.loc[cell(grid, name(series), slow)["variant"], "download_bytes"]
        for series in pd.unique(grid["series"])
    }
    lead = {
        value: cell(grid, slowest, value)["time_s_median"]
        / cell(grid, fastest, value)["time_s_median"]
        for value in (fast, slow)
    }
    flat = max(
        rows[rows["value"] >= 1e7]["time_s_median"].max()
        / rows[rows["value"] >= 1e7]["time_s_median"].min()
        for _, rows in grid.groupby("series")
    )
    growth = {
        name(series): rows.set_index("value").loc[slow, "time_s_median"]
        / rows.set_index("value").loc[1e6, "time_s_median"]
        for series, rows in grid.groupby("series", sort=False)
    }

    def duration(algorithm: str, value: float) -> str:
        return ms(sizes.loc[cell(grid, algorithm, value)["variant"], "duration_s"])

    bullets = [
        "- **What low bandwidth changes** is the size of the gaps: each round pays for the policy "
        "download ("
        + ", ".join(f"{algorithm} {value:,.0f}" for algorithm, value in downloads.items())
        + f" wire bytes per agent), so at {si(slow)} a {slowest} round takes "
        f"{duration(slowest, slow)} on average over all {config('bandwidth_sweep')['episodes']} "
        f"against {fastest}'s {duration(fastest, slow)} ({duration(slowest, fast)} and "
        f"{duration(fastest, fast)} at {si(fast)}), and {fastest}'s lead over {slowest} grows "
        f"from {lead[fast]:.2f} times at {si(fast)} to {lead[slow]:.2f} times at {si(slow)}. "
        f"From 10 Mbit/s up time to target changes by at most {100 * (flat - 1):.2g}%; from "
        f"1 Mbit/s down to {si(slow)} it grows "
        + listing([f"{g:.2g}-fold for {algorithm}" for algorithm, g in growth.items()])
        + ": below 1 Mbit/s the network dominates."
    ]
    pole = summary[summary["env"] == "CartPole-v1"]
    es, espc = (pole[pole["series"].map(name) == a] for a in ("ES", "ESPC"))
    ranks = rankings(summary)
    pole_ranks = ranks[ranks["env"] == "CartPole-v1"].set_index(["series", "value"])
    es_first = all(
        pole_ranks.loc[(es["series"].iloc[0], v), measure]
        < pole_ranks.loc[(espc["series"].iloc[0], v), measure]
        for v in values
        for measure in ("rank_by_time", "rank_by_episodes")
    )

    def at(rows: pd.DataFrame, value: float) -> pd.Series:
        return rows[rows["value"] == value].iloc[0]

    es_slow, espc_slow = at(es, slow), at(espc, slow)
    es_sizes, espc_sizes = sizes.loc[es_slow["variant"]], sizes.loc[espc_slow["variant"]]
    trials = int(es_slow["trials"])
    bullets.append(
        "- **Cart Pole**: "
        + (
            "ES ranks before ESPC by both measures at every bandwidth"
            if es_first
            else "ES and ESPC do not rank the same way at every bandwidth"
        )
        + f" (median {number(es_slow['episodes_median'])} against "
        f"{number(espc_slow['episodes_median'])} episodes; {seconds(at(es, fast)['time_s_median'])} "
        f"against {seconds(at(espc, fast)['time_s_median'])} at {si(fast)}, "
        f"{seconds(es_slow['time_s_median'])} against {seconds(espc_slow['time_s_median'])} at "
        f"{si(slow)}; {es_slow['reached']} and {espc_slow['reached']} of {trials} trials reach "
        f"{pole['target'].iloc[0]:g} in {config('bandwidth_sweep')['episodes']} episodes). ESPC "
        f"sends fewer report bytes ({espc_sizes['report_bytes']:.3g} against "
        f"{es_sizes['report_bytes']:.3g} uplink wire bytes per agent and round) but every agent "
        f"still downloads the {es_sizes['download_bytes']:,.0f}-byte policy each round, so at "
        f"{si(slow)} its rounds take {ms(espc_sizes['duration_s'])} against ES's "
        f"{ms(es_sizes['duration_s'])}, and its bytes to target are "
        + (
            "no fewer"
            if espc_slow["wire_bytes_median"] >= es_slow["wire_bytes_median"]
            else "fewer"
        )
        + f" ({kb(espc_slow['wire_bytes_median'])} against {kb(es_slow['wire_bytes_median'])})"
        + (
            ": on a slow downlink, suppressing reports buys nothing under barrier rounds."
            if espc_slow["time_s_median"] >= es_slow["time_s_median"]
            else "."
        )
    )
    constant = grid.groupby("series", sort=False)["wire_bytes_median"].agg(["min", "max"])
    same = (constant["min"] == constant["max"]).all()
    bullets.append(
        "- **Bytes** to the target "
        + (
            "do not depend on bandwidth (barrier rounds): "
            if same
            else "barely depend on bandwidth: "
        )
        + ", ".join(
            f"{name(series)} {kb(row['min'])}" + ("" if same else f" to {kb(row['max'])}")
            for series, row in constant.sort_values("min").iterrows()
        )
        + " on Simple Grid."
    )
    return bullets


def other_sweeps_findings() -> list[str]:
    """Latency, loss and a shared backhaul, each in one bullet."""
    latency = sweep_summary("latency_sweep")
    grid = latency[(latency["env"] == GRID) & np.isfinite(latency["time_s_median"])]
    by_episodes = [
        name(s)
        for s in grid[grid["value"] == grid["value"].min()].sort_values(
            "episodes_median", kind="stable"
        )["series"]
    ]
    values = sorted(grid["value"].unique())
    same = [v for v in values if [a for a, _ in times_at(grid, v)] == by_episodes]
    differ = [v for v in values if v not in same]
    reference = 0.1 if 0.1 in values else values[-1]
    trials = int(latency["trials"].iloc[0])
    text = (
        f"- **Latency is different** (`latency_sweep`, {trials} trials): a round pays the access "
        "latency twice whatever it sends, so the ranking by time is the ranking by episodes "
        f"({', '.join(by_episodes)}) at {listing([si(v, 's') for v in same])}"
        + (
            f" ({', '.join(f'{a} {seconds(t)}' for a, t in times_at(grid, reference))} at "
            f"{si(reference, 's')})"
            if reference in same
            else ""
        )
        + (
            f", while at {listing([si(v, 's') for v in differ])} it is "
            + "; ".join(dict.fromkeys(", ".join(a for a, _ in times_at(grid, v)) for v in differ))
            + ", as on a fast link."
            if differ
            else "."
        )
    )
    lossy = sweep_summary("lossy_links")
    dql = lossy[lossy["series"] == "DQL, Simple Grid"].sort_values("value")
    low, high = dql.iloc[0], dql.iloc[-1]
    text += (
        f" **Loss** (`lossy_links`, 1 Mbit/s) costs bytes more than time: at {high['value']:.0%} "
        f"packet loss DQL needs {kb(high['wire_bytes_median'])} instead of "
        f"{kb(low['wire_bytes_median'])} at {low['value']:.1%} "
        f"(x {high['wire_bytes_median'] / low['wire_bytes_median']:.2f}: the resent packets) but only {seconds(high['time_s_median'])} instead of "
        f"{seconds(low['time_s_median'])}."
    )
    edge = sweep_summary("edge_cloud")
    reaching = edge[np.isfinite(edge["time_s_median"])]
    slow, fast = reaching["value"].min(), reaching["value"].max()
    grid_edge = reaching[reaching["env"] == GRID]
    slow_times, fast_times = times_at(grid_edge, slow), times_at(grid_edge, fast)
    fast_of = dict(fast_times)
    text += (
        f" A **shared backhaul** (`edge_cloud`, {int(edge['trials'].iloc[0])} trials) at "
        f"{si(slow)} per edge router: "
        + ", ".join(f"{a} {seconds(t)}" for a, t in slow_times)
        + f" ({', '.join(seconds(fast_of[a]) for a, _ in slow_times)} at {si(fast)}); "
        + "; ".join(
            f"{name(series)} on Cart Pole {seconds(rows.set_index('value').loc[slow, 'time_s_median'])} "
            f"({seconds(rows.set_index('value').loc[fast, 'time_s_median'])} at {si(fast)})"
            for series, rows in reaching[reaching["env"] == "CartPole-v1"].groupby(
                "series", sort=False
            )
        )
        + "."
    )
    return [text]


def demo_section() -> str:
    """The quickstart: what it runs and what each round pays on the slow access links."""
    sizes = means("quickstart")
    variants = list(sizes.index)
    pairs = []
    for variant in variants:
        label, speed = variant.split(" @ ")
        if speed == "32 kbit/s":
            pairs.append((label, variant, f"{label} @ 1 Mbit/s"))
    extra = {
        label: sizes.loc[slow, "duration_s"] - sizes.loc[fast, "duration_s"]
        for label, slow, fast in pairs
    }
    (download,) = set(sizes["download_bytes"].round())
    report = sizes["report_bytes"].max()
    slow_bps = 32e3
    predicted = 8 * (download + report) / slow_bps
    close = all(abs(x / predicted - 1) < 0.1 for x in extra.values())
    return "\n".join(
        [
            "## The demo",
            "",
            "`scenarios/quickstart.py` compares ES with n = 25, ES with n = 50 and ESPC with "
            "n = 50, m = 25 (report section 4.7 settings) on Cart Pole, each over a star network "
            "whose access links run at 1 Mbit/s or 32 kbit/s behind a router on a shared "
            "10 Mbit/s backbone. It prints where its results went: `runs/quickstart/` (its metrics "
            "table has one row per variant, trial, episode and agent) and `runs/quickstart/plots/` "
            "with the report's three panels (mean reward, messages per agent, message size, each "
            "the mean over trials with its 95% bootstrap confidence interval; `netsim plot DIR "
            "--estimator median-iqr` or `mean-p10-p90` for the median with its interquartile range "
            "or the report's 10th-90th percentile band) and reward against simulated time, each a "
            "PNG with a PDF beside it, sized for a one- or two-column paper. Under the barrier "
            "round policy, learning per episode does not depend on the network, so the two "
            "bandwidths' curves coincide against episode (drawn in interleaved dashes, the legend "
            'marking each "= " the one it lies on) and separate against simulated time: at '
            "32 kbit/s each round lasts longer on average by "
            + ", ".join(f"{seconds(x)} for {label}" for label, x in extra.items())
            + f" ({run_line('quickstart')})"
            + (
                f": about what an agent's {download:,.0f}-byte policy download and "
                f"{report:.3g}-byte report take at {si(slow_bps)} ({seconds(predicted)})."
                if close
                else "."
            ),
        ]
    )


def bandwidth_section() -> str:
    summary = sweep_summary("bandwidth_sweep")
    return "\n".join(
        [
            "## Which algorithm wins on my network?",
            "",
            BANDWIDTH_INTRO,
            "",
            f"What the run found ({run_line('bandwidth_sweep')}):",
            "",
            *grid_findings(summary),
            *bandwidth_findings(summary),
            *other_sweeps_findings(),
            "",
            "Median time to the target at every setting of each sweep, with the trials that "
            "reached it (never: fewer than half did):",
            "",
            *(
                part
                for study, unit in SWEEP_UNITS.items()
                for part in (f"`{study}`:", "", sweep_table(sweep_summary(study), unit), "")
            ),
        ]
    ).rstrip()


SWEEP_UNITS: dict[str, Callable[[float], str]] = {
    "bandwidth_sweep": si,
    "latency_sweep": lambda s: si(s, "s"),
    "lossy_links": lambda p: f"{p:.1%} loss",
    "edge_cloud": si,
}
"""How each sweep's table heads its swept values."""


def topology_section() -> str:
    from analysis.targets import target_summary

    summary = target_summary(per_trial_targets("custom_topology", GRID_TARGET))
    summary = summary.sort_values("time_s_median", kind="stable")
    reaching = summary[np.isfinite(summary["time_s_median"])]
    never = summary[~np.isfinite(summary["time_s_median"])]
    order = [
        f"{name(r['variant'])} ({seconds(r['time_s_median'])}, {number(r['episodes_median'])} "
        "episodes)"
        for _, r in reaching.iterrows()
    ]
    found = (
        f"on this network {order[0].replace(' (', ' reaches the target first (median ', 1)}"
        + (f", then {listing(order[1:])}" if order[1:] else "")
        + (f"; {listing([name(v) for v in never['variant']])} never do" if len(never) else "")
        + "."
    )
    return "\n".join(
        [
            "## On your own topology",
            "",
            TOPOLOGY_INTRO,
            "",
            f"`python scenarios/custom_topology.py` runs it ({run_line('custom_topology')}) and "
            f"prints that table: {found} {TOPOLOGY_AFTER}",
            "",
            scenarios_table(),
        ]
    )


def scenarios_table() -> str:
    """The network studies, what each varies, and what its stored run took."""
    payloads = pd.read_csv(ROOT / "docs" / "data" / "payloads" / "runs.csv").set_index("study")
    rows = []
    for study, varies in VARIES.items():
        if study in payloads.index:
            run = payloads.loc[study]
            size = f"{int(run['variants'])} x {int(run['trials'])} x {int(run['rounds'])}"
            cpu, wall = run["cpu_s"], run["wall_s"]
        else:
            run, times = config(study), pd.read_csv(DATA / study / "trial_times.csv")
            size = f"{len(run['variants'])} x {run['trials']} x {run['episodes']}"
            cpu, wall = times["cpu_s"].sum(), times["wall_s"].sum()
        shown = f"[`{study}`](figures/{study}.png)" if study in SWEEPS else f"`{study}`"
        rows.append([shown, varies, size, f"{cpu / 60:.1f} min", f"{wall / 60:.1f} min"])
    return (
        "The same study over other settings (each `python scenarios/NAME.py [--quick]`, figure "
        "and rankings in `runs/NAME/plots/`), with what its full form's stored run took, summed "
        "over its trials (on 2 worker processes a run's wall time is about half the sum):\n\n"
        + table(["scenario", "what varies", "variants x trials x episodes", "CPU", "wall"], rows)
    )


VARIES = {
    "bandwidth_sweep": "access bandwidth, 10 kbit/s to 1 Gbit/s",
    "latency_sweep": "access latency, 1 ms to 10 s, at 1 Mbit/s",
    "lossy_links": "packet loss on every access link, 0.1% to 30%",
    "edge_cloud": "backhaul bandwidth of a two-tier network (shared by 10 agents per edge "
    "router, fair model, link load recorded), 100 kbit/s to 1 Gbit/s",
    "downlinks": "access bandwidth 10 kbit/s to 1 Mbit/s, each algorithm with its policy sent "
    "in full or as a delta (DQL, EBCDQL) or updates to replay (ES, ESPC); see "
    "[payloads.md](payloads.md)",
    "custom_topology": "your graph: the example above",
}
"""The studies of the scenarios table, and what each varies."""


def stragglers_section() -> str:
    comparison = pd.read_csv(DATA / "stragglers" / "comparison.csv")
    run = config("stragglers")
    n_agents = run["variants"][0]["n_agents"]
    target = scenario("stragglers").TARGET
    rows = [
        [
            r["variant"],
            r["reached"],
            seconds(r["time_s"]),
            number(r["episodes"]),
            f"{r['final_reward']:.0f}",
            seconds(r["end_s"]),
            f"{r['late']:.1%}",
            f"{r['staleness_mean']:.2g} / {r['staleness_max']:.0f}",
        ]
        for _, r in comparison.iterrows()
    ]
    by = comparison.set_index("variant")
    played = rounds("stragglers").groupby("variant", sort=False)["played"].mean() / n_agents
    deadline = [v for v in by.index if "deadline" in v]
    asynchronous = [v for v in by.index if "async" in v]
    waiting = [v for v in by.index if "barrier" in v or "async" in v]
    skipped = 1 - played[deadline]
    espc_async, espc_barrier = (
        by.loc[next(v for v in by.index if v.startswith("ESPC") and policy in v)]
        for policy in ("async", "barrier")
    )
    es_reaching = [v for v in by.index if v.startswith("ES ") and np.isfinite(by.loc[v, "time_s"])]
    findings = (
        "Under `barrier` every round waits for the slowest agent's episode: a round lasts a "
        "straggler's episode. A deadline caps "
        "the round at 0.6 s + the update, and the slow agents skip the rounds they cannot make "
        f"(their rows have no reward): {skipped.min():.1%} to {skipped.max():.1%} of the "
        "agent-rounds. `async` never waits: the fast agents play on, the learner updates every "
        f"{n_agents // 2} arrivals, and the stragglers' reports come in up to "
        f"{by.loc[asynchronous, 'staleness_max'].max():.0f} versions stale."
    )
    if np.isfinite(espc_async["time_s"]) and np.isfinite(espc_barrier["time_s"]):
        findings += (
            f" ESPC under `async` reaches {target:g} "
            f"{espc_barrier['time_s'] / espc_async['time_s']:.2g} times sooner in simulated time "
            f"than under the barrier ({seconds(espc_async['time_s'])} against "
            f"{seconds(espc_barrier['time_s'])}) in {number(espc_async['episodes'])} episodes "
            f"per agent against {number(espc_barrier['episodes'])}"
        )
    if len(es_reaching) == 1:
        findings += (
            f", and {es_reaching[0]} is the only ES variant whose median trial reaches it within "
            f"{run['episodes']} episodes ({seconds(by.loc[es_reaching[0], 'time_s'])})."
        )
    else:
        findings += "."
    ends = (
        f"(The deadline variants' {run['episodes']} rounds end at "
        + span(by.loc[deadline, "end_s"])
        + "; "
        f"barrier and async runs take {span(by.loc[waiting, 'end_s'])}, medians over trials.) Under `deadline` and "
        "`async` a curve against time goes by the learner's versions (what the agents played), "
        "and a round ends with its last on-time report."
    )
    return "\n".join(
        [
            "## When some agents are slow: barrier, deadline or async?",
            "",
            STRAGGLERS_INTRO,
            f"Measured ({run_line('stragglers')}), medians over trials to a smoothed reward of "
            f"{target:g}:",
            "",
            table(
                [
                    "variant",
                    "reached",
                    f"time to {target:g}",
                    "episodes per agent",
                    "final reward",
                    "last round ends",
                    "reports late",
                    "staleness mean / max",
                ],
                rows,
            ),
            "",
            findings,
            "",
            "![Reward against simulated time under each round policy, with stragglers]"
            "(figures/stragglers_reward_vs_time.png)",
            "",
            ends,
            "",
            link_load_text(),
            "",
            "![Link utilisation over time on the edge-cloud network]"
            "(figures/edge_cloud_link_load.png)",
        ]
    )


def span(values: pd.Series) -> str:
    """The range of ``values`` in seconds, or the one value they round to."""
    low, high = seconds(values.min()), seconds(values.max())
    return low if low == high else f"{low} to {high}"


def share(value: float) -> str:
    """A utilisation, as a percentage to 2 significant figures."""
    return f"{100 * value:.2g}%"


def link_load_text() -> str:
    """The stored link load: each shown variant's busiest links and their mean utilisation."""
    load = pd.read_parquet(DATA / "edge_cloud" / "link_load.parquet")
    load = load.assign(link=load["src"] + " -> " + load["dst"])
    parts = []
    for variant in LINK_LOAD_VARIANTS:
        rows = load[load["variant"] == variant]
        mean = rows.groupby("link")["utilisation"].mean()
        peak = rows.groupby(["link", "start_s"])["utilisation"].mean().groupby("link").max()
        order = rows.groupby("link")["carried_bytes"].sum().sort_values(ascending=False).index
        parts.append(
            f"{name(variant)} ({variant.split(', ')[1].split(' @ ')[0]}): "
            + ", ".join(
                f"{link} {share(mean[link])} (at most {share(peak[link])})" for link in order
            )
        )
    trials = load["trial"].nunique()
    return (
        f"Link utilisation over time, from `edge_cloud` with every edge router's backhaul at "
        f"100 kbit/s (the {BUSIEST_LINKS} busiest directed links of three variants, mean over "
        f"{trials} trials, 1 s bins). Each link's utilisation averaged over its trials' bins, and "
        "the highest of its mean curve: " + "; ".join(parts) + "."
    )


BANDWIDTH_INTRO = """Against episodes, the algorithms rank the same on every network (under the `barrier` round policy
what is learnt per episode does not depend on it); against the network's clock they need not.
`scenarios/bandwidth_sweep.py` runs DQL, EBCDQL, DAVIA, ES and ESPC on Simple Grid (n = 5) and ES
and ESPC on Cart Pole (n = 50, m = 25) over a star whose access links run at 10 kbit/s, 100 kbit/s,
... 1 Gbit/s (10 ms latency), 10 trials of 200 episodes each, and draws, per algorithm against
bandwidth, the time, the episodes and the bytes on the wire it takes to reach a target reward
(-5.5 on Simple Grid, whose optimum is -5.217; 195 on Cart Pole):

```bash
.venv/bin/python scenarios/bandwidth_sweep.py            # run (or resume), then the figure
.venv/bin/python scenarios/bandwidth_sweep.py --quick    # the smoke form: 2 bandwidths, 1 trial, 30 episodes
```

![Time, episodes and bytes to the target against access bandwidth](figures/bandwidth_sweep.png)

*Time to target* is the first simulated instant at which a trial's mean reward over its agents,
averaged over the last 5 rounds, reaches the target; *bytes to target* every message's wire bytes
up to then (both directions, headers, notices and resent packets, once per message). A trial that
never gets there is counted (the legend says how many did) and sorts last: the line is the median
over trials, the time by which half of them have reached the target (a triangle on the top edge
when fewer than half ever do), the band the 10th to 90th percentile. `plots/rankings.csv` ranks
the algorithms of each environment at each bandwidth by median time and by median episodes, and
`plots/pareto.png` sets final reward against bytes."""
TOPOLOGY_INTRO = """Build the graph with NetworkX (node `role`s, edge `bandwidth_bps` and `latency_s`, optionally
`loss` and `outages`), run the algorithms over it, and ask the analysis package when each reached
the target. `scenarios/custom_topology.py` is the worked example: three agents on a campus behind
fibre, two in the field behind a lossy radio hop and a 256 kbit/s, 300 ms satellite link that is
down from 20 s to 30 s:

```python
import networkx as nx

import netsim
from analysis import target_summary, time_to_target

graph = nx.Graph()
graph.add_node("learner", role="learner")
for router in ("campus", "ground-station"):
    graph.add_node(router, role="router")
graph.add_edge("learner", "campus", bandwidth_bps=1e9, latency_s=0.002)
graph.add_edge("learner", "ground-station", bandwidth_bps=256e3, latency_s=0.3, outages=[(20, 30)])
for agent in range(5):
    graph.add_node(f"agent-{agent}", role="agent")
    if agent < 3:  # on the campus, behind fibre
        graph.add_edge("campus", f"agent-{agent}", bandwidth_bps=10e6, latency_s=0.001)
    else:  # in the field, behind a lossy radio hop
        graph.add_edge(
            "ground-station", f"agent-{agent}", bandwidth_bps=1e6, latency_s=0.005, loss=0.02
        )

settings = netsim.NetworkSettings(model="fair", load_bin_s=1.0)  # record link load in 1 s bins
scenario = netsim.Scenario(
    "field_station",
    [
        netsim.Variant(name, algorithm, graph, env="netsim/SimpleGrid-v0", network=settings)
        for name, algorithm in [("DQL", "dql"), ("EBCDQL", "ebcdql"), ("DAVIA", "davia")]
    ],
    episodes=200,
    trials=5,
)

if __name__ == "__main__":
    results = netsim.run(scenario, "runs/field_station")
    print(target_summary(time_to_target(results.to_pandas(), target=-5.5, window=5)))
    results.plot()  # ... and link_load.png: the busiest links' utilisation over time
```"""
TOPOLOGY_AFTER = """With `load_bin_s` set, a trial also gives the table `link_load` (bytes carried and
utilisation per directed link and time bin, exact under both bandwidth models), drawn by
`results.plot()`. The analysis functions, all on the metrics table or on a per-round summary
stored with `analysis.summaries.store_summary` (`time_to_target` then needs `agents=`, each
variant's number of agents): `time_to_target`, `target_summary`, `reward_against_time` (with
`time_s=` a common time grid for every variant), `final_reward_and_bytes` and `pareto_front`,
and for a sweep `sweep_summary` and `rankings` (`analysis.network_plots` draws them)."""
STRAGGLERS_INTRO = """`scenarios/stragglers.py` gives a fifth of 20 agents ten times the compute time per step (10 ms
against 1 ms) and runs ES and ESPC (m = 10) on Cart Pole under each round policy: `barrier`,
`deadline` at 0.6 s (late reports dropped, or carried into the next aggregation) and `async` with
k = 10 (`python scenarios/stragglers.py [--quick]` runs it and prints the table below)."""
DECENTRALISED = """## Central or decentralised?

The five algorithms also learn without a centre: give a variant
`pattern=netsim.GossipSettings("ring")` (or any other communication graph) and its agents gossip
over the same simulated links a learner would use. Three studies set the two side by side, each
`python scenarios/NAME.py [--quick]`: `central_vs_decentral` (the learner link's bandwidth below
which gossip reaches the target first, measured and predicted from the message sizes),
`disrupted_links` (peer links or the learner's link down up to 80% of the time) and `final_merge`
(one complete averaging round at the end of sparse gossip). Their figures, numbers and findings:
[decentralised.md](decentralised.md)."""
REPRODUCTION = """## Reproducing the report

[reproduction.md](reproduction.md) sets our runs of the report's figures beside its
findings, with the figures and where and why we differ. Each figure is a scenario:

```bash
.venv/bin/netsim run fig3_4_simple_grid   # DQL, EBCDQL, DAVIA, ES on Simple Grid (n = 5, 100 trials)
.venv/bin/netsim run fig3_5_frozen_lake   # the same on Frozen Lake 5x5
.venv/bin/netsim run fig3_4_simple_grid --trials 5 --out runs/try   # a smaller run
.venv/bin/netsim run fig4_1_pcomm         # ESPC: Monte Carlo of E[p_comm] against m (a script)
.venv/bin/netsim run fig4_7_first_episode # ESPC: p_comm on the first episode against m (a script)
.venv/bin/netsim run fig4_2_windy_grid    # DQL, EBCDQL, DAVIA, ES, ESPC, n = 30 (also fig4_3_frozen_lake)
.venv/bin/netsim run fig4_5_cartpole      # ES n = 25, 50 and ESPC n = 50, m = 25 (20 trials)
.venv/bin/netsim run fig4_8_cartpole_m    # ESPC with m = 5 .. 45 (also fig4_10_cartpole_k: k = 3, 10, 30)
.venv/bin/netsim run fig4_6_ant --quick   # the smoke form; also fig4_9_ant_m, fig4_11_ant_k
```

Every `fig4_*` scenario has a `--quick` smoke form. The Ant ones need MuJoCo:
`.venv/bin/pip install -e ".[mujoco]"`."""


HEADER = """# Studies

<!-- Written by scripts/studies_page.py from docs/data/studies/; do not edit by hand. -->

What netsim's own studies found: the demo, which algorithm reaches a target first on which
network, a topology of your own, stragglers, link load, central against decentralised learning,
and the commands that reproduce the report's figures. Each section names the command that
produces its numbers; the numbers here are computed by `scripts/studies_page.py` from those runs,
stored as per-round summaries in `docs/data/studies/`."""


def render() -> str:
    """The page's text from the stored results."""
    sections = [
        HEADER,
        demo_section(),
        bandwidth_section(),
        topology_section(),
        stragglers_section(),
        DECENTRALISED,
        REPRODUCTION,
    ]
    return "\n\n".join(sections) + "\n"


def main(argv: list[str]) -> int:
    runs = Store("runs", "the folder holding the studies' run directories", collect)
    return page_main(argv, __doc__.splitlines()[0], PAGE, render, [runs], draw_figures)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
