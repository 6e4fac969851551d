"""docs/network-models.md's computed blocks are what scripts/network_models_page.py writes from
netsim's constants, the SimGrid reference cases and the stored edge-cloud runs under each model."""

from pathlib import Path

import pytest
from page_scripts import load_script

ROOT = Path(__file__).resolve().parent.parent


def page_script():
    return load_script("network_models_page.py")


def test_the_page_is_what_the_constants_and_stored_runs_give():
    page = (ROOT / "docs" / "network-models.md").read_text()
    assert page == page_script().render(page), "run: python scripts/network_models_page.py"


def test_a_page_without_a_computed_block_is_refused():
    with pytest.raises(ValueError, match="has no block <!-- computed: tcp-parameters -->"):
        page_script().render("# Network models\n")


def test_the_parameters_table_follows_the_constants(monkeypatch):
    from netsim import network

    script = page_script()
    monkeypatch.setattr(network, "LV08", network.TcpParameters(latency_factor=2.5))
    assert "| `latency_factor` | 1 | 2.5 |" in script.tcp_parameters()
