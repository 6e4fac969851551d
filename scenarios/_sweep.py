"""One network setting swept over a range of values for every algorithm: a helper module, not a
scenario.

A sweep's variants are the pairs (series, value): a *series* is one curve of the sweep figure (an
algorithm on an environment, with its own target reward), the *value* the swept setting (access
bandwidth, latency, loss, ...). Every variant is named ``"{series} @ {value label}"``, and
:func:`sweep` returns beside the scenario its *points* table, one row per variant with columns
``variant``, ``series``, ``env``, ``value`` and ``target``: the figure code (:mod:`analysis.sweep`) reads
the swept value from there, never from the name.

The algorithms the sweeps compare: DQL, EBCDQL, DAVIA, ES and ESPC on Simple Grid (the report's section
3.3.2 settings: n = 5, gamma = 0.9) and ES and ESPC on Cart Pole (section 4.7: n = 50, m = 25,
k = 5). Choices of ours, where the report gives none: ESPC on Simple Grid takes m = 2 of n = 5
(about the report's m / n = 1/2 of Cart Pole) and k = 5; the target rewards are -5.5 on Simple Grid
(the optimum is -5.217, the floor -10) and 195 on Cart Pole (the "solved" level of CartPole-v0).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
from _grid_comparison import ES_ON_GRIDS, GAMMA

import netsim


@dataclass(frozen=True)
class Series:
    """One curve of a sweep: an algorithm on an environment, and the reward it must reach."""

    label: str
    algorithm: str
    env: str
    n_agents: int
    target: float
    config: dict[str, Any] = field(default_factory=dict)
    pattern: netsim.PatternSettings = field(default_factory=netsim.CentralSettings)
    """How the series' agents communicate (central barrier rounds, full downlink, by default)."""


GRID = "netsim/SimpleGrid-v0"
GRID_TARGET = -5.5
CARTPOLE_TARGET = 195.0

SERIES = (
    Series("DQL, Simple Grid", "dql", GRID, 5, GRID_TARGET, {"gamma": GAMMA}),
    Series("EBCDQL, Simple Grid", "ebcdql", GRID, 5, GRID_TARGET, {"gamma": GAMMA}),
    Series("DAVIA, Simple Grid", "davia", GRID, 5, GRID_TARGET, {"gamma": GAMMA}),
    Series("ES, Simple Grid", "es", GRID, 5, GRID_TARGET, ES_ON_GRIDS),
    Series("ESPC, Simple Grid", "espc", GRID, 5, GRID_TARGET, {**ES_ON_GRIDS, "m": 2, "k": 5}),
    Series("ES, Cart Pole", "es", "CartPole-v1", 50, CARTPOLE_TARGET),
    Series("ESPC, Cart Pole", "espc", "CartPole-v1", 50, CARTPOLE_TARGET, {"m": 25, "k": 5}),
)
"""The algorithms every sweep compares."""


def sweep(
    name: str,
    values: Sequence[float],
    network: Callable[[int, float], nx.Graph],
    label: Callable[[float], str],
    *,
    series: Sequence[Series] = SERIES,
    settings: Callable[[float], netsim.NetworkSettings] | None = None,
    episodes: int,
    trials: int,
) -> tuple[netsim.Scenario, pd.DataFrame]:
    """A scenario of every series at every value, and its points table (see the module docstring).

    ``network(n_agents, value)`` builds a variant's graph, ``label(value)`` names the value, and
    ``settings(value)`` (default: the defaults) gives its network settings."""
    variants, points = [], []
    for line in series:
        for value in values:
            variant = f"{line.label} @ {label(value)}"
            variants.append(
                netsim.Variant(
                    variant,
                    line.algorithm,
                    network(line.n_agents, value),
                    env=line.env,
                    config=line.config,
                    network=settings(value) if settings else netsim.NetworkSettings(),
                    pattern=line.pattern,
                )
            )
            points.append((variant, line.label, line.env, value, line.target))
    scenario = netsim.Scenario(name, variants, episodes=episodes, trials=trials, seed=0)
    return scenario, pd.DataFrame(points, columns=["variant", "series", "env", "value", "target"])


def figures(
    directory: str | Path, metrics: pd.DataFrame, points: pd.DataFrame, value_label: str
) -> list[Path]:
    """Draw a finished (or partly finished) sweep's figures from its ``metrics`` table into
    ``directory/plots``: ``sweep.png``
    (time, episodes and bytes to target against the swept value), ``pareto.png`` (final reward
    against bytes), each with a PDF beside it, and ``rankings.csv``
    (:func:`analysis.sweep.rankings`); returns their paths."""
    from analysis.network_plots import pareto_figure, sweep_figure
    from analysis.style import Palette, save
    from analysis.sweep import rankings, sweep_summary
    from analysis.targets import final_reward_and_bytes

    out = Path(directory) / "plots"
    out.mkdir(parents=True, exist_ok=True)
    summary = sweep_summary(metrics, points)
    ranks = rankings(summary)
    ranks.to_csv(out / "rankings.csv", index=False)
    final = final_reward_and_bytes(metrics).merge(points, on="variant")
    palette = Palette(points["series"])  # each series one look in both figures
    return [
        save(sweep_figure(summary, value_label, palette), out / "sweep.png"),
        save(pareto_figure(final, palette), out / "pareto.png"),
        out / "rankings.csv",
    ]


def report(
    results: netsim.Results,
    points: pd.DataFrame,
    value_label: str,
    extra: Callable[[Path, pd.DataFrame, str, pd.DataFrame], list[Path]] | None = None,
) -> None:
    """A sweep file's ``report``: draw :func:`figures` for ``results``, a run of the sweep whose
    points table is ``points``, and ``extra(directory, points, value_label, metrics)``'s if
    given (the run's table, read once for both), and print where they went."""
    metrics = results.to_pandas()
    drawn = figures(results.directory, metrics, points, value_label)
    if extra is not None:
        drawn += extra(results.directory, points, value_label, metrics)
    for figure in drawn:
        print(f"figure:  {figure.resolve()}")
