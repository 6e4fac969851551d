"""Store the network studies' runs (the sweeps and stragglers of docs/studies.md) as per-round
summaries in ``docs/data/studies/NAME/`` (:func:`analysis.summaries.store_summary`), so the page's
numbers can be computed from what the repository holds, as docs/reproduction.md's are.

    python scenarios/bandwidth_sweep.py --out runs/bandwidth_sweep   # and the others below
    python scripts/store_studies.py --runs runs
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.summaries import store_summary

ROOT = Path(__file__).resolve().parent.parent
STUDIES = ("bandwidth_sweep", "latency_sweep", "lossy_links", "edge_cloud", "stragglers")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=Path, required=True, help="the folder of the run directories"
    )
    options = parser.parse_args(argv)
    for study in STUDIES:
        if not (options.runs / study).is_dir():
            print(f"no {options.runs / study}: {study} keeps what is stored")
            continue
        store_summary(options.runs / study, ROOT / "docs" / "data" / "studies" / study)
        print(f"stored {study}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
