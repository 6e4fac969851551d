"""Write the computed parts of docs/network-models.md from netsim's constants and stored results.

The page is prose kept in the page itself; what is computed sits between the markers
``<!-- computed: NAME -->`` and ``<!-- end: NAME -->`` and is rewritten here, every time:

- ``tcp-parameters``: the TCP models' constants, read from :class:`netsim.network.TcpParameters`
  (CM02's defaults) and :data:`netsim.network.LV08`;
- ``simgrid-check``: how many SimGrid reference cases and transfers ``tests/data/
  simgrid_tcp_cases.json`` holds (``scripts/simgrid_reference.py`` writes it, from SimGrid itself)
  and how closely netsim's finish times agree with them, recomputed here with
  :func:`netsim.time_transfers` (``tests/test_network_tcp.py`` asks for 1e-6);
- ``edge-cloud``: the edge-cloud sweep under each model, from
  ``docs/data/network-models/edge_cloud_models.csv`` (``scripts/edge_cloud_models.py`` stores it).

``tests/test_network_models_page.py`` checks that the page is what these give.

    python scripts/edge_cloud_models.py --models fair cm02 lv08 --out runs/edge_cloud_models
    python scripts/network_models_page.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.markdown import computed_blocks, page_main, si, table

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "network-models.md"
CASES = ROOT / "tests" / "data" / "simgrid_tcp_cases.json"
EDGE_CLOUD = ROOT / "docs" / "data" / "network-models" / "edge_cloud_models.csv"
TOLERANCE = 1e-6
"""The relative difference from SimGrid's finish times the tests accept."""
PARAMETERS = {
    "tcp_gamma_bytes": "`network/TCP-gamma`, `src/kernel/resource/NetworkModel.cpp`",
    "latency_factor": "`network/latency-factor`, set per model in `network_cm02.cpp`",
    "bandwidth_factor": "`network/bandwidth-factor`, set per model in `network_cm02.cpp`",
    "weight_s_bytes": "`network/weight-S`, `NetworkModel.cpp`, set per model in `network_cm02.cpp`",
    "cross_traffic": "`network/crosstraffic` (on by default, `NetworkModel.cpp`) times the 0.05 "
    "written in `NetworkCm02Model::comm_action_expand_constraints`",
}
"""Each TCP parameter's SimGrid name and where SimGrid defines it."""


def constant(value: float) -> str:
    """A constant as SimGrid writes it: integers with thousands separators."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def tcp_parameters() -> str:
    """The constants of ``cm02`` (its defaults) and ``lv08``."""
    from netsim.network import LV08, TcpParameters

    cm02 = TcpParameters()
    rows = [
        [f"`{name}`", constant(getattr(cm02, name)), constant(getattr(LV08, name)), where]
        for name, where in PARAMETERS.items()
    ]
    return table(["parameter", "CM02", "LV08", "SimGrid's name and where it is defined"], rows)


def simgrid_check() -> str:
    """The reference cases' size and netsim's largest relative difference from them."""
    import networkx as nx

    import netsim
    from netsim.network import TcpParameters

    reference = json.loads(CASES.read_text(encoding="utf-8"))
    worst, transfers = 0.0, 0
    for case in reference["cases"]:
        graph = nx.Graph()
        for u, v, bandwidth_bps, latency_s in case["edges"]:
            graph.add_edge(u, v, bandwidth_bps=bandwidth_bps, latency_s=latency_s)
        tcp = None if case["tcp"] is None else TcpParameters(**case["tcp"])
        moved = [tuple(transfer) for transfer in case["transfers"]]
        ends = np.array(netsim.time_transfers(graph, moved, case["model"], tcp=tcp))
        wanted = np.array(case["simgrid_ends_s"])
        worst = max(worst, float(np.max(np.abs(ends - wanted) / np.abs(wanted))))
        transfers += len(moved)
    models = sorted({case["model"].upper() for case in reference["cases"]})
    return (
        f"`tests/data/simgrid_tcp_cases.json` holds {len(reference['cases'])} cases, {transfers} "
        f"transfers, under {' and '.join(models)}, timed in SimGrid "
        f"{reference['simgrid_version']}. netsim's finish times agree with SimGrid's to "
        f"{worst:.1g} relative (the largest difference over all transfers); the tests ask for "
        f"{TOLERANCE:.0e}.".replace("e-0", "e-")
    )


def medians(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Median simulated time to target per (series, value, model), by the inverted empirical CDF
    (a trial that never reaches the target is inf, so is the median when fewer than half do)."""
    return (
        outcomes.groupby(["series", "value", "model"], sort=False)["time_s"]
        .agg(lambda times: float(np.quantile(times, 0.5, method="inverted_cdf")))
        .unstack("model")
    )


def edge_cloud() -> str:
    """The edge-cloud sweep under each stored model: the table at the slowest and fastest
    backhaul, and what the models' differences come to."""
    from netsim.network import LV08

    sys.path.insert(0, str(ROOT / "scenarios"))
    import edge_cloud as scenario

    outcomes = pd.read_csv(EDGE_CLOUD)
    models = [m for m in ("fair", "cm02", "lv08") if m in set(outcomes["model"])]
    times = medians(outcomes)[models]
    values = sorted(outcomes["value"].unique())
    slow, fast = values[0], values[-1]
    finite = times[np.isfinite(times).all(axis=1)]
    reaching = list(dict.fromkeys(finite.index.get_level_values("series")))
    rows = []
    for series in reaching:
        for value in (slow, fast):
            cells = times.loc[(series, value)]
            rows.append(
                [series, si(value), *(f"{cells[m]:.2f}" for m in models)]
                + [f"{cells['lv08'] / cells['fair']:.2f}"]
            )
    header = ["series", "backhaul", *(f"`{m}`" for m in models), "`lv08` / `fair`"]
    never = [s for s in dict.fromkeys(times.index.get_level_values("series")) if s not in reaching]
    counts = outcomes.groupby(["series", "model"])["reached"].sum()
    per_series = outcomes.groupby(["series", "model"])["reached"].size()
    never_text = "; ".join(
        f"{series} reaches the target in "
        + listing_counts(
            [int(counts[(series, m)]) for m in models],
            int(per_series[(series, models[0])] / len(values)),
            len(values),
        )
        for series in never
    )
    by_model = {m: outcomes[outcomes["model"] == m].set_index(["variant", "trial"]) for m in models}
    fair = by_model["fair"]
    same_episodes = all(
        (fair["episodes"] == by_model[m].loc[fair.index, "episodes"]).all() for m in models
    )
    ratios = finite["lv08"] / finite["fair"]
    grid = [s for s in reaching if "Simple Grid" in s]
    pole = [s for s in reaching if "Cart Pole" in s]
    above = ratios[[(s, v) for s in grid for v in values if v >= 1e6]]
    at_slow = ratios[[(s, slow) for s in grid]]
    latency_s = scenario.ACCESS_LATENCY_S + scenario.BACKHAUL_LATENCY_S
    extra_s = (LV08.latency_factor - 1) * latency_s
    text = [
        f"Median simulated seconds to the target reward ({len(outcomes) // len(models)} trials per "
        f"model; {', '.join(si(v) for v in values[1:-1])} lie between):",
        "",
        table(header, rows),
        "",
        f"({never_text}: their medians are infinite.) The episodes to the target, and which "
        "trials reach it, "
        + ("do not change" if same_episodes else "change")
        + ": with barrier rounds the network decides when an update happens, not what it is.",
    ]
    if "cm02" in models:
        cm02 = by_model["cm02"]
        equal = int((cm02["time_s"] == fair.loc[cm02.index, "time_s"]).sum())
        text += [
            "",
            f"`cm02` gives `fair`'s times exactly in {equal} of {len(cm02)} trials"
            + (
                ": every agent has the same round trip, so the shares are equal; the window "
                f"({LV08.tcp_gamma_bytes / 2**20:g} MiB over {2 * latency_s * 1e3:g} ms, "
                f"{si(8 * LV08.tcp_gamma_bytes / (2 * latency_s))}) is far above the "
                f"{si(scenario.ACCESS_BANDWIDTH_BPS)} access links; and the ACKs load the "
                "opposite direction, idle while a broadcast or the reports cross."
                if equal == len(cm02)
                else "."
            ),
        ]
    episodes = (
        outcomes[outcomes["model"] == "fair"]
        .groupby(["series", "value"], sort=False)["episodes"]
        .agg(lambda e: float(np.quantile(e, 0.5, method="inverted_cdf")))
    )
    slow_start = [
        episodes[(s, fast)]
        * 2
        * extra_s
        / (finite.loc[(s, fast), "lv08"] - finite.loc[(s, fast), "fair"])
        for s in grid
    ]
    text += [
        "",
        "All of `lv08`'s difference is its corrections, and "
        + ("almost all" if min(slow_start) > 0.95 else "most" if min(slow_start) > 0.5 else "part")
        + " of it is slow start: "
        + f"{LV08.latency_factor:g} times the {latency_s * 1e3:g} ms route latency is "
        f"{LV08.latency_factor * latency_s * 1e3:.0f} ms, so every message pays {extra_s:.2g} s "
        f"more, {2 * extra_s:.2g} s more a round (one message down, one up): over the median "
        f"episodes to the target, {share(min(slow_start), max(slow_start))} of the grid "
        f"algorithms' extra time at {si(fast)}. For the grid "
        f"algorithms, whose rounds are short, that multiplies the time to target by "
        f"{above.min():.2g} to {above.max():.2g} from {si(1e6)} up (latency-bound) and by "
        f"{at_slow.min():.2g} to {at_slow.max():.2g} at {si(slow)} (where bandwidth counts more)"
        + "".join(
            f"; for {s}, whose rounds are longer (episodes of up to 500 steps of 1 ms), by "
            f"{ratios[(s, fast)]:.2g} at {si(fast)} and {ratios[(s, slow)]:.2g} at {si(slow)}"
            for s in pole
        )
        + ". The sharing effects `cm02` adds would show on a sweep whose agents sit at different "
        "distances from the router, or whose broadcasts are large over long, fast links.",
    ]
    cost = outcomes.groupby("model")[["cpu_s", "wall_s"]].sum() / 60
    text += [
        "",
        "Each model's run took "
        + ", ".join(f"{cost.loc[m, 'cpu_s']:.1f} min of CPU for `{m}`" for m in models)
        + " (summed over its trials).",
    ]
    return "\n".join(text)


def share(low: float, high: float) -> str:
    """A range of shares as percentages, or the one they round to."""
    low_text, high_text = f"{low:.0%}", f"{high:.0%}"
    return low_text if low_text == high_text else f"{low_text} to {high_text}"


def listing_counts(counts: list[int], trials: int, values: int) -> str:
    """How many of a series' trials reached its target under each model, per value."""
    per_value = [count / values for count in counts]
    if len(set(per_value)) == 1:
        return f"{per_value[0]:g} of {trials} trials under every model"
    return ", ".join(f"{count:g}" for count in per_value) + f" of {trials} trials"


BLOCKS = {
    "tcp-parameters": tcp_parameters,
    "simgrid-check": simgrid_check,
    "edge-cloud": edge_cloud,
}
"""Each computed block of the page, and what writes it."""


def render(text: str | None = None) -> str:
    """The page (``text``, by default the page as it is) with every computed block rewritten."""
    return computed_blocks(PAGE.read_text() if text is None else text, BLOCKS, PAGE.name)


def main(argv: list[str]) -> int:
    return page_main(argv, __doc__.splitlines()[0], PAGE, render)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
