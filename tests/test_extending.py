"""The examples of docs/extending.md run as written, each as the user's own file, and print what
they should."""

import ast
import re
import subprocess
import sys
from pathlib import Path

PAGE = Path(__file__).parents[1] / "docs" / "extending.md"


def examples() -> dict[str, str]:
    """The page's Python blocks by the file name each names in its first line."""
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(), flags=re.DOTALL)
    return {re.match(r"# (\S+\.py)", block)[1]: block for block in blocks}


def run(tmp_path: Path, name: str) -> str:
    (tmp_path / name).write_text(examples()[name])
    done = subprocess.run(
        [sys.executable, name], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_page_has_an_algorithm_a_model_and_a_pattern():
    assert sorted(examples()) == ["my_algorithm.py", "my_model.py", "my_pattern.py"]


def test_a_users_algorithm_runs_by_name(tmp_path):
    share = float(run(tmp_path, "my_algorithm.py").split(":")[1])
    assert 0.1 < share < 0.4  # about p_report = 0.25 of 160 agent-episodes


def test_a_users_bandwidth_model_runs_by_name(tmp_path):
    fair, unshared = run(tmp_path, "my_model.py").splitlines()
    assert fair == "fair: [2.01, 2.01]" and unshared == "unshared: [1.01, 1.01]"


def test_a_users_pattern_runs_by_name(tmp_path):
    ends = ast.literal_eval(run(tmp_path, "my_pattern.py").split("rounds end at")[1].strip())
    assert len(ends) == 3 and ends == sorted(ends)
    assert ends[0] > 4 * 2 * 0.01  # four agents served in turn, each a round trip of latencies
