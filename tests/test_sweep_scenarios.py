"""The issue-6 scenarios: each has a smoke-sized quick form, and a sweep's points table names every
variant once with its swept value."""

from __future__ import annotations

import pytest

from netsim.catalog import REPO_SCENARIOS, _import, load_scenario

SWEEPS = ("bandwidth_sweep", "latency_sweep", "lossy_links", "edge_cloud", "downlinks", "lossy_codecs")
QUICK_BUDGET = 14 * 30
"""The most variant-trial-episodes a quick form may run (each about a minute on 2 cores)."""


@pytest.mark.parametrize("name", [*SWEEPS, "custom_topology", "stragglers"])
def test_each_scenario_has_a_small_quick_form(name: str) -> None:
    full, quick = load_scenario(name), load_scenario(name, quick=True)
    assert quick.name != full.name  # their runs go to different directories
    assert len(quick.variants) * quick.trials * quick.episodes <= QUICK_BUDGET
    assert full.episodes == 200


@pytest.mark.parametrize("name", SWEEPS)
def test_a_sweeps_points_name_each_variant_with_its_value(name: str) -> None:
    module = _import(REPO_SCENARIOS / f"{name}.py")
    for scenario, points in ((module.SCENARIO, module.POINTS), (module.QUICK, module.QUICK_POINTS)):
        assert list(points["variant"]) == [variant.name for variant in scenario.variants]
        per_series = points.groupby("series")["value"].apply(list)
        assert all(values == per_series.iloc[0] for values in per_series)
        assert points.groupby("series")["env"].nunique().eq(1).all()


def test_the_bandwidth_sweep_spans_10_kbits_to_1_gbits_on_every_access_link() -> None:
    module = _import(REPO_SCENARIOS / "bandwidth_sweep.py")
    assert sorted(set(module.POINTS["value"])) == pytest.approx([1e4, 1e5, 1e6, 1e7, 1e8, 1e9])
    for variant, value in zip(module.SCENARIO.variants, module.POINTS["value"], strict=True):
        access = {data["bandwidth_bps"] for _, _, data in variant.topology.edges(data=True)}
        assert access == {value}
    assert "DQL, Simple Grid @ 10 kbit/s" in set(module.POINTS["variant"])
