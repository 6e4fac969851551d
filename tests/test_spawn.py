"""Under the ``spawn`` start method (macOS's and Windows' default) every worker process imports
the script that started the run: a script whose ``netsim.run`` is under
``if __name__ == "__main__":`` runs, and one without the guard is refused saying what to add,
rather than with a ``BrokenProcessPool`` or a worker "killed by the system"."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]

SCENARIO = """\
import multiprocessing

import netsim

multiprocessing.set_start_method("spawn", force=True)
scenario = netsim.Scenario(
    "spawned", [netsim.Variant("ES", "es", netsim.star(2, 1e6))], episodes=2, trials=2
)
"""


def run_script(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    """``text`` run as the script ``mine.py`` in ``tmp_path``, importing this checkout's netsim."""
    (tmp_path / "mine.py").write_text(text)
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "mine.py"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_guarded_script_runs_under_spawn(tmp_path):
    done = run_script(
        tmp_path,
        SCENARIO + 'if __name__ == "__main__":\n'
        '    results = netsim.run(scenario, "out", workers=2, progress=False, plots=False)\n'
        "    print(len(results.to_pandas()))\n",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(2 * 2 * 2)]  # trials x episodes x agents


def test_an_unguarded_script_is_told_to_add_the_guard(tmp_path):
    done = run_script(
        tmp_path, SCENARIO + 'netsim.run(scenario, "out", workers=2, progress=False, plots=False)\n'
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("netsim.executors.MainNotGuarded: worker processes could not start")
    assert "'spawn' start method" in last and str(tmp_path / "mine.py") in last
    assert last.endswith('if __name__ == "__main__":')
    assert "BrokenProcessPool" not in done.stderr and "killed" not in done.stderr
