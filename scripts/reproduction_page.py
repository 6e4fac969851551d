"""Write docs/reproduction.md, and redraw its figures, from the stored results of the report's runs.

Every number on the page is computed here from what ``results/`` holds; the prose around the
numbers, and the verdict on each of the report's findings, are kept in ``scripts/reproduction/``
(``page.py``, ``grids.py``, ``cartpole.py``, ``ant.py``) and were written against these stored results. What is stored:

- the Ant runs (figures 4.6, 4.9, 4.11): whole run directories, ``results/fig4_*_ant*``;
- every other simulated figure (3.4, 3.5, 4.2, 4.3, 4.5, 4.8, 4.10): its per-round summary,
  ``results/NAME/rounds.parquet`` (``analysis.per_trial`` of the run's metrics table, one row per
  variant, trial and episode, without ``cumulative_reward``, which is its running sum), with the
  scenario as run (``scenario.json``) and its trials' times (``trial_times.csv``);
- the two scripted figures (4.1, 4.7): the tables the scenario scripts write;
- the sensitivity studies (``scripts/reproduction/sensitivity.py``): each scenario's
  per-round summary, ``results/sensitivity_*``, as the figures';
- ``results/run_times.csv``: each run's wall time, CPU time and peak memory as ``/usr/bin/time -v``
  measured them, with the command.

With ``--runs DIR`` (the run directories, as ``netsim run NAME --out DIR/NAME`` writes them) and
``--times DIR`` (``DIR/NAME.time``, the ``/usr/bin/time -v`` output of each run) the script first
stores those; with ``--figures`` it redraws the page's figures into ``docs/figures/`` with today's
plotting code; it always rewrites the page. ``tests/test_reproduction_page.py`` checks that the page
is what the stored results give.

    for NAME in fig3_4_simple_grid ...; do /usr/bin/time -v -o times/NAME.time netsim run NAME --out runs/NAME; done
    python scripts/reproduction_page.py --runs runs --times times --figures
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from reproduction import ant_v4, common, fitness, page, sensitivity  # noqa: E402
from reproduction.common import RESULTS, SCRIPTED, SIMULATED  # noqa: E402

from analysis.markdown import Store, page_main  # noqa: E402

PAGE = ROOT / "docs" / "reproduction.md"
FIGURES = ROOT / "docs" / "figures"


def collect(runs: Path) -> None:
    """Store each simulated figure's per-round summary, scenario and trial times from its run
    directory in ``runs``, and each scripted figure's tables; a figure with no directory in
    ``runs`` keeps what is stored of it."""
    from analysis.summaries import store_summary

    for name in (*SIMULATED, *sensitivity.STUDIES):
        if not (runs / name).is_dir():
            print(f"no {runs / name}: {name} keeps what is stored")
            continue
        store_summary(runs / name, RESULTS / name)
    for name, files in SCRIPTED.items():
        if not (runs / name).is_dir():
            print(f"no {runs / name}: {name} keeps what is stored")
            continue
        (RESULTS / name).mkdir(parents=True, exist_ok=True)
        for file in files:
            shutil.copyfile(runs / name / file, RESULTS / name / file)


def time_field(text: str, label: str) -> str:
    """The value of ``label`` in a ``/usr/bin/time -v`` report."""
    return re.search(rf"{re.escape(label)}: (.*)", text).group(1).strip()


def collect_times(times: Path) -> None:
    """Store in ``results/run_times.csv`` the measures of the ``/usr/bin/time -v`` outputs
    ``times/NAME.time``; a run with no finished measurement there keeps its stored row."""
    import pandas as pd

    rows = []
    for path in sorted(times.glob("*.time")):
        if path.stem not in (*SIMULATED, *SCRIPTED, *sensitivity.STUDIES):
            continue
        text = path.read_text()
        if "Elapsed (wall clock)" not in text:
            print(f"{path} holds no finished measurement: left out")
            continue

        wall = [
            float(part)
            for part in time_field(text, "Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
        ]
        rows.append(
            {
                "name": path.stem,
                "command": time_field(text, "Command being timed")
                .strip('"')
                .replace("/work/main/.venv/bin/python -m netsim.cli", "netsim"),
                "wall_s": sum(value * 60**power for power, value in enumerate(reversed(wall))),
                "cpu_s": float(time_field(text, "User time (seconds)"))
                + float(time_field(text, "System time (seconds)")),
                "peak_rss_mb": round(
                    int(time_field(text, "Maximum resident set size (kbytes)")) / 1024
                ),
            }
        )
    stored = pd.read_csv(RESULTS / "run_times.csv")
    measured = pd.DataFrame(rows, columns=stored.columns)
    kept = stored[~stored["name"].isin(measured["name"])]
    pd.concat([kept, measured], ignore_index=True).to_csv(RESULTS / "run_times.csv", index=False)


def redraw(names: list[str] | None = None) -> None:
    """Draw the figures of ``names`` (default: every figure on the page) into ``docs/figures/``
    from the stored results, PNG and PDF, with the report's band: the mean and the 10th-90th
    percentile across trials (the page says so)."""
    from analysis import plot_run

    if names is None:
        names = [*SIMULATED, *common.ANT, *SCRIPTED]
        sensitivity.draw(FIGURES)
        fitness.redraw()
        ant_v4.draw(FIGURES)
    for name in [name for name in names if name not in SCRIPTED]:
        prefix = "_".join(name.split("_")[:2])
        with tempfile.TemporaryDirectory() as folder:
            plot_run(
                common.rounds(name),
                Path(folder),
                cumulative=common.cumulative(name),
                estimator="mean-p10-p90",
            )
            for figure in ("panels", "reward_vs_time"):
                for suffix in (".png", ".pdf"):
                    shutil.copyfile(
                        Path(folder) / f"{figure}{suffix}", FIGURES / f"{prefix}_{figure}{suffix}"
                    )
    for name in [name for name in names if name in SCRIPTED]:
        common.script(name).plot(common.csv(name, SCRIPTED[name][0]), FIGURES / f"{name}.png")


def render() -> str:
    """The page's text from the stored results."""
    return "\n\n".join(page.sections()) + "\n"


def main(argv: list[str]) -> int:
    stores = [
        Store("runs", "the folder holding the run directories", collect, redraws=False),
        Store("times", "the folder holding each run's NAME.time", collect_times, redraws=False),
    ]
    return page_main(argv, __doc__.splitlines()[0], PAGE, render, stores, redraw)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
