"""The payload studies' summary (analysis/payloads.py) and docs/payloads.md, which
scripts/payloads_page.py writes from the stored summaries: no number on it is typed by hand."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from page_scripts import load_script

import netsim
from analysis.payloads import payload_figure, payload_summary
from analysis.style import save

ROOT = Path(__file__).resolve().parent.parent


def metrics_of(forms):
    tables = []
    for form in forms:
        variant = netsim.Variant(
            f"DQL, {form}", "dql", netsim.star(3, 1e4, 0.01), env="netsim/SimpleGrid-v0",
            pattern=netsim.CentralSettings(downlink=form),
        )  # fmt: skip
        table = netsim.simulate(variant, 12, np.random.SeedSequence(0))["metrics"]
        tables.append(table.assign(variant=variant.name, trial=0))
    return pd.concat(tables, ignore_index=True)


def test_the_summary_splits_problem_and_form_and_means_the_bytes_per_agent_round(tmp_path):
    metrics = metrics_of(["full", "delta"])
    points = pd.DataFrame(
        {
            "variant": ["DQL, full", "DQL, delta"],
            "series": ["DQL, full", "DQL, delta"],
            "env": "netsim/SimpleGrid-v0",
            "value": 1e4,
            "target": -9.9,
        }
    )
    summary = payload_summary(metrics, points).set_index("variant")
    assert summary["problem"].tolist() == ["DQL", "DQL"]
    assert summary["form"].tolist() == ["full", "delta"]
    for variant, rows in metrics.groupby("variant"):
        assert summary.loc[variant, "policy_bytes"] == pytest.approx(
            rows["downlink_wire_bytes"].mean()
        )
        sent = rows["wire_bytes"] + rows["control_wire_bytes"]
        assert summary.loc[variant, "report_bytes"] == pytest.approx(sent.mean())
    assert summary.loc["DQL, delta", "policy_bytes"] < summary.loc["DQL, full", "policy_bytes"]
    assert (
        len(
            [
                ax
                for ax in payload_figure(summary.reset_index(), "bandwidth").axes
                if ax.get_visible()
            ]
        )
        == 1
    )
    never = summary.reset_index().assign(time_s_median=np.inf, time_s_p90=np.inf)
    save(payload_figure(never, "bandwidth"), tmp_path / "never.png")  # a panel with no median
    assert (tmp_path / "never.png").stat().st_size > 0
    with pytest.raises(ValueError, match="series 'DQL full' is not named 'PROBLEM, FORM'"):
        payload_summary(metrics, points.assign(series=["DQL full", "DQL, delta"]))


def page_script():
    return load_script("payloads_page.py")


def test_the_page_is_what_the_stored_summaries_give():
    page = (ROOT / "docs" / "payloads.md").read_text()
    assert page == page_script().render(), "run: python scripts/payloads_page.py"


def test_every_figure_on_the_page_is_stored():
    page = (ROOT / "docs" / "payloads.md").read_text()
    figures = re.findall(r"\]\((figures/[^)]+)\)", page)
    assert len(figures) == 2
    for figure in figures:
        assert (ROOT / "docs" / figure).stat().st_size > 0
