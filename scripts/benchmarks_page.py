"""Write the measurements on docs/benchmarks.md from the benchmark runs kept in docs/data/benchmarks/.

The page is prose kept in the page itself; the block between ``<!-- computed: measured -->`` and
``<!-- end: measured -->`` is rewritten here from every kept run (``netsim bench SUITE --record
docs/data/benchmarks/SUITE.json``), suites in the order ``netsim bench`` lists them: each run's
ratios beside their goals, the machine, load and commit it ran on, and what it printed.
``tests/test_benchmarks_page.py`` checks that the page is what the kept runs give.

    netsim bench learning --record docs/data/benchmarks/learning.json
    python scripts/benchmarks_page.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from analysis.markdown import computed_blocks, page_main, table

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "benchmarks.md"
KEPT = ROOT / "docs" / "data" / "benchmarks"


def kept_runs(directory: Path = KEPT) -> list[dict[str, Any]]:
    """The runs kept in ``directory``, in the order of ``netsim bench``'s suites."""
    from netsim.bench import SUITES

    runs = [json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))]
    for run in runs:
        if run.get("suite") not in SUITES:
            raise ValueError(f"{directory}: a kept run of unknown suite {run.get('suite')!r}")
    return sorted(runs, key=lambda run: SUITES.index(run["suite"]))


def measured(directory: Path = KEPT) -> str:
    """Every kept run: its ratios and goals, where and when it ran, and its printout."""
    from netsim.bench import goal, met

    runs = kept_runs(directory)
    if not runs:
        return "(No run is kept yet.)"
    text: list[str] = []
    for run in runs:
        commit = run["git_commit"][:7] if run.get("git_commit") else "outside git"
        before, after = run["load_average_before"][0], run["load_average_after"][0]
        rows = [
            [name, f"{ratio:.3f}x", goal(name), met(name, ratio)]
            for name, ratio in run["ratios"].items()
        ]
        text += [
            f"### `netsim bench {run['suite']}`",
            "",
            f"Options: {suite_options(run)}. Run {run['started'][:10]} at commit `{commit}`"
            + (" (with uncommitted changes)" if run.get("git_dirty") else "")
            + f", {run['cores']} cores, one-minute load average {before:.2f} before and "
            f"{after:.2f} after, Python {run['python']}.",
            "",
            table(["ratio", "measured", "goal", ""], rows),
            "",
            "What it printed:",
            "",
            "```text",
            run["printed"].rstrip("\n"),
            "```",
            "",
        ]
    return "\n".join(text).rstrip("\n")


def suite_options(run: dict[str, Any]) -> str:
    """The options the run's suite was given, as ``netsim bench`` takes them, or "the defaults"."""
    given = run["options"].get(run["suite"], {})
    if not given:
        return "the defaults"
    return ", ".join(
        f"{name} = {','.join(map(str, value)) if isinstance(value, list) else value}"
        for name, value in given.items()
    )


def render(text: str | None = None, directory: Path = KEPT) -> str:
    """The page (``text``, by default the page as it is) with its measurements rewritten."""
    page = PAGE.read_text() if text is None else text
    return computed_blocks(page, {"measured": lambda: measured(directory)}, PAGE.name)


def main(argv: list[str]) -> int:
    return page_main(argv, __doc__.splitlines()[0], PAGE, render)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
