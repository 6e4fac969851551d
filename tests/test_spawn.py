"""Under the ``spawn`` and ``forkserver`` start methods (macOS's and Windows' default; Linux's from
Python 3.14) worker processes import the script that started the run: one whose ``netsim.run`` is
not under ``if __name__ == "__main__":`` is refused saying what to add, rather than with a
``BrokenProcessPool`` or a worker "killed by the system". (A guarded script runs: the README's
first run does so under ``spawn`` in test_docs.py.)"""

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

UNGUARDED = """\
import multiprocessing

import netsim

multiprocessing.set_start_method({method!r}, force=True)
scenario = netsim.Scenario(
    "spawned", [netsim.Variant("ES", "es", netsim.star(2, 1e6))], episodes=2, trials=2
)
netsim.run(scenario, "out", workers=2, progress=False, plots=False)
"""


@pytest.mark.parametrize(
    "method",
    [
        pytest.param(
            method,
            marks=pytest.mark.skipif(
                method not in multiprocessing.get_all_start_methods(), reason=f"no {method} here"
            ),
        )
        for method in ("spawn", "forkserver")
    ],
)
def test_an_unguarded_script_is_told_to_add_the_guard(method, tmp_path):
    (tmp_path / "mine.py").write_text(UNGUARDED.format(method=method))
    done = subprocess.run(
        [sys.executable, "mine.py"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # this checkout's netsim
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("netsim.executors.MainNotGuarded: worker processes could not start")
    assert f"{method!r} start method" in last and str(tmp_path / "mine.py") in last
    assert last.endswith('if __name__ == "__main__":')
    assert "BrokenProcessPool" not in done.stderr and "killed" not in done.stderr
