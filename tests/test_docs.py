"""Every code block of README.md and docs/*.md works as written, and every link resolves inside
the repository.

How each block is checked, by its language:

* ``python``: run as a script of its own (named by a first-line comment ``# NAME.py``, else
  ``example.py``) in a temporary directory, importing this checkout. Full-size studies are run
  shrunk, not as written: every ``episodes=`` and ``trials=`` keyword given as a number is set to
  :data:`EPISODES` and :data:`TRIALS` (the blocks show those as the parameters to shrink), so
  a block runs in seconds. A block of ``>>>`` lines is run as a doctest instead.
* ``toml``: a whole sweep config, loaded and validated by ``netsim.load_config``; not run.
* ``bash``: every ``netsim ...`` command (``.venv/bin/`` or not), and every
  ``python scenarios/NAME.py ...`` (which is ``netsim run scenarios/NAME.py ...``), is parsed by
  the command's own argument parser and the scenario it names is looked up; ``netsim list``, the
  one cheap command, is run. The set-up lines (``python3 -m venv``, ``pip install``) are CI's to
  run: .ci/run runs the README's test command verbatim.
* ``text``: a diagram or a listing; not checked.

One block, the README's first run, is also run under the ``spawn`` start method, as on macOS and
Windows, where worker processes import the script.
"""

import ast
import doctest
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import netsim
import netsim.cli
from netsim.catalog import find_scenario

ROOT = Path(__file__).parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LANGUAGES = {"python", "bash", "toml", "text"}
EPISODES, TRIALS = 3, 1

FENCE = re.compile(r"^```(\S*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks(language: str) -> list[tuple[str, str]]:
    """``(id, code)`` of every block in ``language``, the id naming its page and line."""
    found = []
    for page in PAGES:
        text = page.read_text()
        for match in FENCE.finditer(text):
            if match[1] == language:
                line = text.count("\n", 0, match.start()) + 1
                found.append((f"{page.relative_to(ROOT)}:{line}", match[2]))
    return found


def ids(found: list[tuple[str, str]]) -> list[str]:
    return [where for where, _ in found]


def test_every_block_names_a_language_the_test_knows():
    for page in PAGES:
        for match in FENCE.finditer(page.read_text()):
            assert match[1] in LANGUAGES, f"{page.name}: a block in {match[1]!r}"


class Shrink(ast.NodeTransformer):
    """Sets numeric ``episodes=`` and ``trials=`` keywords to the test's sizes."""

    sizes = {"episodes": EPISODES, "trials": TRIALS}

    def visit_keyword(self, node: ast.keyword) -> ast.keyword:
        if node.arg in self.sizes and isinstance(node.value, ast.Constant):
            node.value = ast.Constant(self.sizes[node.arg])
        return node


def script(code: str, tmp_path: Path) -> Path:
    """``code``, shrunk, written where a user would keep it; its path."""
    name = re.match(r"# (\w+\.py)", code)
    path = tmp_path / (name[1] if name else "example.py")
    path.write_text(ast.unparse(Shrink().visit(ast.parse(code))))
    return path


def run_python(arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


PYTHON = blocks("python")


@pytest.mark.parametrize("code", [code for _, code in PYTHON], ids=ids(PYTHON))
def test_a_python_block_runs(code, tmp_path, monkeypatch):
    if code.startswith(">>>"):
        monkeypatch.chdir(tmp_path)
        test = doctest.DocTestParser().get_doctest(code, {}, "block", None, 0)
        runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
        runner.run(test)
        assert runner.summarize(verbose=False).failed == 0
        return
    done = run_python([script(code, tmp_path).name], tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]


def test_the_readmes_first_run_runs_under_spawn(tmp_path):
    (first,) = [code for where, code in PYTHON if where.startswith("README.md")]
    path = script(first, tmp_path)
    start = (
        "import multiprocessing, runpy; multiprocessing.set_start_method('spawn'); "
        f"runpy.run_path({path.name!r}, run_name='__main__')"
    )
    done = run_python(["-c", start], tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "ESPC m=10" in done.stdout
    assert list((tmp_path / "runs" / "first" / "parts").iterdir())


def test_every_output_directory_of_the_examples_is_its_own():
    directories = [
        found
        for _, code in PYTHON
        for found in re.findall(r"netsim\.run\([^)]*?\"(runs/[^\"]+)\"", code)
    ]
    assert len(directories) == len(set(directories)) >= 2, directories


TOML = blocks("toml")


@pytest.mark.parametrize("code", [code for _, code in TOML], ids=ids(TOML))
def test_a_toml_block_is_a_valid_config(code, tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(code)
    assert netsim.load_config(path).variants


SETUP = re.compile(r"python3 -m venv |(\.venv/bin/)?(pip install|ruff|pytest)\b")
SCRIPT = re.compile(r"(\.venv/bin/)?python3? (scenarios/\w+\.py)(.*)")


def commands() -> list[tuple[str, list[str] | None]]:
    """Every command of the bash blocks but the set-up ones, as ``(id, argv)``: ``netsim``'s
    arguments, None for a command that is not netsim's."""
    found = []
    for where, code in blocks("bash"):
        for line in code.splitlines():
            for command in line.split("#")[0].split("&&"):
                command = command.strip()
                if not command or SETUP.match(command):
                    continue
                if scenario := SCRIPT.fullmatch(command):
                    argv = ["run", str(scenario[2]), *shlex.split(scenario[3])]
                elif command.startswith(("netsim ", ".venv/bin/netsim ")):
                    argv = shlex.split(command)[1:]
                else:
                    argv = None
                found.append((f"{where}: {command}", argv))
    return found


COMMANDS = [(where, argv) for where, argv in commands() if argv is not None]


def test_every_shell_command_is_set_up_or_netsims():
    assert [where for where, argv in commands() if argv is None] == []


@pytest.mark.parametrize("argv", [argv for _, argv in COMMANDS], ids=ids(COMMANDS))
def test_a_netsim_command_parses_and_names_a_scenario_that_exists(argv, monkeypatch):
    parsed = []
    monkeypatch.setattr(netsim.cli, "_command", lambda args: parsed.append(args) or 0)
    assert netsim.cli.main(argv) == 0
    (args,) = parsed
    if args.command in ("run", "sweep"):
        assert find_scenario(str(ROOT / args.scenario) if "/" in args.scenario else args.scenario)


CHEAP = [(where, argv) for where, argv in COMMANDS if argv[0] == "list"]


@pytest.mark.parametrize("argv", [argv for _, argv in CHEAP], ids=ids(CHEAP))
def test_a_cheap_command_runs(argv, capsys):
    assert netsim.cli.main(argv) == 0
    assert "quickstart" in capsys.readouterr().out


LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)[^)]*\)|<(?:a|img)\s[^>]*(?:href|src)=\"([^\"]+)\"")


def prose(text: str) -> str:
    """``text`` without its code blocks and code spans, where a bracket is no link."""
    return re.sub(r"`[^`\n]*`", "", FENCE.sub("", text))


def anchors(page: Path) -> set[str]:
    """The anchors GitHub gives ``page``'s headings."""
    headings = re.findall(r"^#+ (.+)$", FENCE.sub("", page.read_text()), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_every_link_resolves_inside_the_repository(page):
    for target in (a or b for a, b in LINK.findall(prose(page.read_text()))):
        assert not re.match(r"\w+:", target), f"{page.name} links outside the repository: {target}"
        assert not target.startswith("/"), f"{page.name}: an absolute path: {target}"
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.is_relative_to(ROOT), f"{page.name} links outside the repository: {target}"
        assert linked.exists(), f"{page.name} links to a file that does not exist: {target}"
        if anchor and linked.suffix == ".md":
            assert anchor in anchors(linked), f"{page.name}: no heading for {target}"
