"""A finished run kept in the repository as a per-round summary: a few MB where its run directory
is tens, and every function of :mod:`analysis` and the plots take it in place of the full table
(:func:`analysis.per_trial` passes a per-round table through)."""

from __future__ import annotations

import json
from pathlib import Path


def store_summary(directory: Path, target: Path) -> None:
    """Store the finished run in ``directory`` as a per-round summary in ``target``:
    ``rounds.parquet`` (``analysis.per_trial`` of its metrics, ``cumulative_reward`` left out),
    ``scenario.json`` and ``trial_times.csv``."""
    import netsim
    from analysis.aggregate import per_trial

    results = netsim.Results(directory)
    if not results.complete:
        raise SystemExit(f"{directory} is not finished: run it to the end first")
    target.mkdir(parents=True, exist_ok=True)
    rounds = per_trial(results.to_pandas()).drop(columns="cumulative_reward")
    rounds.to_parquet(target / "rounds.parquet", compression="zstd", compression_level=19)
    (target / "scenario.json").write_text(json.dumps(results.config, indent=1) + "\n")
    results.trial_times().to_csv(target / "trial_times.csv", index=False)
