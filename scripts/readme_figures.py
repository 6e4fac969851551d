"""Redraw the README's figures into ``docs/figures/`` (PNG, a PDF beside each) from the runs its
numbers come from, in the figure style (``analysis/style.py``).

    python scenarios/bandwidth_sweep.py --out runs/bandwidth_sweep   # likewise latency_sweep,
    ...                                                              # lossy_links, edge_cloud,
    netsim run stragglers --out runs/stragglers                      # and stragglers
    python scripts/readme_figures.py --runs runs [FIGURE ...]

FIGURE is one of :data:`FIGURES` (default: every one whose run is in ``--runs``): each sweep's
figure (time, episodes and bytes to target against the swept setting) and the bandwidth sweep's
Pareto view, the stragglers study's reward against simulated time, and the edge-cloud network's
link utilisation over time (:data:`LINK_LOAD_VARIANTS`, each with its 3 busiest links).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from matplotlib.figure import Figure

ROOT = Path(__file__).resolve().parent.parent
FIGURES_DIR = ROOT / "docs" / "figures"
SWEEPS = ("bandwidth_sweep", "latency_sweep", "lossy_links", "edge_cloud")
LINK_LOAD_VARIANTS = (
    "DQL, Simple Grid @ 100 kbit/s",
    "DAVIA, Simple Grid @ 100 kbit/s",
    "ES, Cart Pole @ 100 kbit/s",
)
"""The edge-cloud variants whose link utilisation the README shows (backhaul at 100 kbit/s)."""


def _sweep(runs: Path, name: str, pareto: bool = False) -> Figure:
    """The sweep ``name``'s figure (or its Pareto view) from its run in ``runs``."""
    import netsim
    from analysis.network_plots import pareto_figure, sweep_figure
    from analysis.style import Palette
    from analysis.sweep import sweep_summary
    from analysis.targets import final_reward_and_bytes
    from netsim.catalog import _import

    module = _import(ROOT / "scenarios" / f"{name}.py")
    metrics = netsim.Results(runs / name).to_pandas()
    palette = Palette(module.POINTS["series"])
    if pareto:
        final = final_reward_and_bytes(metrics).merge(module.POINTS, on="variant")
        return pareto_figure(final, palette)
    return sweep_figure(sweep_summary(metrics, module.POINTS), module.VALUE_LABEL, palette)


def _stragglers(runs: Path) -> Figure:
    import netsim
    from analysis.plots import reward_vs_time_figure
    from analysis.style import Palette

    results = netsim.Results(runs / "stragglers")
    order = [variant["name"] for variant in results.config["variants"]]
    return reward_vs_time_figure(results.to_pandas(), Palette(order))


def _link_load(runs: Path) -> Figure:
    import netsim
    from analysis.network_plots import link_load_figure

    load = netsim.Results(runs / "edge_cloud").table("link_load")
    return link_load_figure(load, links=3, variants=LINK_LOAD_VARIANTS)


FIGURES: dict[str, tuple[str, Callable[[Path], Figure]]] = {
    **{name: (name, lambda runs, name=name: _sweep(runs, name)) for name in SWEEPS},
    "bandwidth_sweep_pareto": (
        "bandwidth_sweep",
        lambda runs: _sweep(runs, "bandwidth_sweep", pareto=True),
    ),
    "stragglers_reward_vs_time": ("stragglers", _stragglers),
    "edge_cloud_link_load": ("edge_cloud", _link_load),
}
"""Each figure's file name (without ``.png``): the run it needs and how it is drawn."""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=Path, required=True, help="the folder holding the runs")
    parser.add_argument("figures", nargs="*", help=f"of {', '.join(FIGURES)}")
    options = parser.parse_args(argv)
    unknown = [name for name in options.figures if name not in FIGURES]
    if unknown:
        parser.error(f"figure {unknown[0]!r} is unknown; choose one of {', '.join(FIGURES)}")
    sys.path.insert(0, str(ROOT / "scenarios"))
    from analysis.style import save

    chosen = options.figures or [
        name for name, (run, _) in FIGURES.items() if (options.runs / run).is_dir()
    ]
    for name in chosen:
        run, draw = FIGURES[name]
        if not (options.runs / run).is_dir():
            print(f"readme_figures: error: {options.runs / run} is not a run", file=sys.stderr)
            return 2
        print(f"drew {save(draw(options.runs), FIGURES_DIR / f'{name}.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
