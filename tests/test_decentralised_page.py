"""docs/decentralised.md is what scripts/decentralised_page.py writes from the stored summaries in
docs/data/decentralised/: no number on it is typed by hand, and every figure it shows exists."""

import re
from pathlib import Path

from page_scripts import load_script

ROOT = Path(__file__).resolve().parent.parent


def page_script():
    return load_script("decentralised_page.py")


def test_the_page_is_what_the_stored_summaries_give():
    page = (ROOT / "docs" / "decentralised.md").read_text()
    assert page == page_script().render(), "run: python scripts/decentralised_page.py"


def test_every_figure_on_the_page_is_stored():
    page = (ROOT / "docs" / "decentralised.md").read_text()
    figures = re.findall(r"\]\((figures/[^)]+)\)", page)
    assert len(figures) == 3
    for figure in figures:
        assert (ROOT / "docs" / figure).stat().st_size > 0
