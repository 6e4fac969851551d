"""docs/tables.md names every column of every table a trial stores, in order, and of each trial's
recorded timing: it is kept in step with the recorders, the network's tables and the runner."""

import re
from pathlib import Path

import averaging
import pytest

import netsim
import netsim.simulation
from netsim.runner import run_trial
from netsim.store import unit_of

DOC = Path(__file__).parents[1] / "docs" / "tables.md"


def documented() -> dict[str, list[str]]:
    """Each ``## `name` (qualifier)`` section's first-column names, by heading."""
    tables = {}
    for heading, body in re.findall(r"\n## (.+?)\n(.*?)(?=\n## |\Z)", DOC.read_text(), re.DOTALL):
        tables[heading.replace("`", "")] = re.findall(r"^\| `(\w+)` \|", body, re.MULTILINE)
    return tables


def stored(variant: netsim.Variant) -> dict[str, list[str]]:
    """The columns of every table of one trial of ``variant``, as the runner stores them."""
    scenario = netsim.Scenario("doc", [variant], episodes=2, trials=1)
    tables, _ = run_trial(scenario, unit_of("v0000-t0000"))
    return {name: list(table.columns) for name, table in tables.items()}


NETWORK = netsim.NetworkSettings(trace=True, load_bin_s=1.0)
LEADING = ["variant", "algorithm", "trial"]


@pytest.mark.parametrize(
    ("pattern", "variant"),
    [
        ("central", netsim.Variant("v", "es", netsim.star(2, 1e6), network=NETWORK)),
        (
            "gossip",
            netsim.Variant(
                "v", averaging.NAME, netsim.star(3, 1e6), network=NETWORK, pattern="gossip"
            ),
        ),
    ],
)
def test_every_stored_column_is_documented_in_order(pattern, variant):
    doc = documented()
    for name, columns in stored(variant).items():
        heading = f"{name} ({pattern} pattern)" if f"{name} ({pattern} pattern)" in doc else name
        assert columns == LEADING + doc[heading], heading


TIMING = "trial_times (each part's timing.json)"


def test_every_documented_table_is_one_a_trial_stores():
    names = {heading.split(" ")[0] for heading in documented() if heading != TIMING}
    assert names == set(netsim.simulation.TABLES) | {"metrics"}


def test_the_trial_times_are_documented_in_order(tmp_path):
    scenario = netsim.Scenario("doc", [netsim.Variant("v", "es", netsim.star(2, 1e6))], episodes=2)
    results = netsim.run(scenario, tmp_path, backend="serial", progress=False, plots=False)
    assert list(results.trial_times().columns) == documented()[TIMING]
