"""The pages' shared wording (analysis/markdown.py): one form for a bandwidth or a latency, and
one main() for every script that writes a page from stored results."""

from pathlib import Path

import numpy as np
import pytest

from analysis.markdown import Store, page_main, si


@pytest.mark.parametrize(
    ("value", "unit", "words"),
    [
        (1e4, "bit/s", "10 kbit/s"),
        (1.5e6, "bit/s", "1.5 Mbit/s"),
        (123_456.0, "bit/s", "123 kbit/s"),
        (1e9, "bit/s", "1 Gbit/s"),
        (0.01, "s", "10 ms"),
        (10.0, "s", "10 s"),
        (500.0, "bit/s", "500 bit/s"),
    ],
)
def test_si_gives_three_significant_figures_with_a_prefix(value, unit, words):
    assert si(value, unit) == words


def test_si_refuses_a_value_that_is_not_finite():
    with pytest.raises(ValueError, match="si\\(\\) takes a finite value, not inf"):
        si(np.inf)


def script(tmp_path: Path):
    """A page script's pieces that record what page_main asked of them."""
    calls: list[tuple[str, object]] = []
    page = tmp_path / "page.md"
    stores = [
        Store("runs", "runs", lambda folder: calls.append(("runs", folder))),
        Store("times", "times", lambda folder: calls.append(("times", folder)), redraws=False),
    ]

    def main(argv: list[str]) -> int:
        return page_main(
            argv, "a page", page, lambda: "text\n", stores, lambda: calls.append(("draw", None))
        )

    return main, calls, page


@pytest.mark.parametrize(
    ("argv", "wanted"),
    [
        ([], []),
        (["--figures"], [("draw", None)]),
        (["--runs", "R"], [("runs", Path("R")), ("draw", None)]),
        (["--times", "T"], [("times", Path("T"))]),
        (
            ["--times", "T", "--runs", "R"],
            [("runs", Path("R")), ("times", Path("T")), ("draw", None)],
        ),
    ],
)
def test_page_main_stores_what_it_is_given_redraws_after_a_run_and_writes_the_page(
    tmp_path, argv, wanted
):
    main, calls, page = script(tmp_path)
    assert main(argv) == 0
    assert calls == wanted
    assert page.read_text() == "text\n"
