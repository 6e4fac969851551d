"""Scenario files, found by path or by name in a ``scenarios/`` folder.

A scenario file is one of:

* a Python file that defines ``SCENARIO``, a :class:`netsim.Scenario`, and optionally ``QUICK``, a
  smoke-sized form of it (``netsim run NAME --quick``), and ``report(results, quick)``, what
  ``netsim run`` does with the run's :class:`netsim.Results` after drawing the usual plots (print
  a table, draw a study's figures; ``quick``: the run was the quick form). Such a file runs
  itself as the command does, so that ``python NAME.py`` and ``netsim run NAME`` do and print
  the same::

      if __name__ == "__main__":
          sys.exit(netsim.cli.main(["run", __file__, *sys.argv[1:]]))

* a Python *script* that defines no ``SCENARIO`` but ``main(argv: list[str]) -> int``: a study that
  is not a simulation (a Monte Carlo of a communication condition, say), run by ``netsim run NAME``
  with the command's options passed on as arguments;
* a TOML scenario or sweep config (see :mod:`netsim.config`).

A scenario file is code: loading a Python one runs it, with your rights, as ``python FILE`` would.
Importing a Python file must not run anything: guard a script's own run with
``if __name__ == "__main__"``. A name is looked up as ``NAME.py``, then ``NAME.toml``, in each folder
in turn: ``./scenarios`` (the working directory's) first, then the shipped ones; a local file that
shadows a shipped scenario of the same name is used, with a warning naming both. A Python file may import helper modules beside it, whose names start with ``_`` so they are
not listed as scenarios.
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from algorithms.registry import unknown_name_message

if TYPE_CHECKING:
    from netsim.results import Results
    from netsim.scenario import Scenario

SUFFIXES = (".py", ".toml")

REPO_SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
"""The scenarios shipped beside the package (an editable install keeps them there)."""

Script = Callable[[Sequence[str]], int]
"""A script scenario's ``main``: its command-line arguments in, an exit status out."""

Report = Callable[["Results", bool], object]
"""A scenario file's ``report``: the run's results and whether it was the quick form in; what it
prints or draws is its own (what it returns is not used)."""


def scenario_folders() -> list[Path]:
    """Where names are looked up: ``./scenarios`` first, then the repository's."""
    folders = [Path.cwd() / "scenarios", REPO_SCENARIOS]
    return [folder for index, folder in enumerate(folders) if folder not in folders[:index]]


def scenario_names() -> list[str]:
    return sorted(
        {
            path.stem
            for folder in scenario_folders()
            if folder.is_dir()
            for path in folder.iterdir()
            if path.suffix in SUFFIXES and not path.stem.startswith("_")
        }
    )


def find_scenario(name_or_path: str) -> Path:
    """The file of scenario ``name_or_path``: an existing path, or a name in a scenarios folder."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    found = [
        folder / f"{name_or_path}{suffix}"
        for folder in scenario_folders()
        for suffix in SUFFIXES
        if (folder / f"{name_or_path}{suffix}").is_file()
    ]
    if not found:
        raise ValueError(
            unknown_name_message("scenario file or name", name_or_path, scenario_names())
        )
    shipped = [path for path in found if path.parent == REPO_SCENARIOS]
    if shipped and found[0].parent != REPO_SCENARIOS:
        warnings.warn(
            f"scenario {name_or_path!r}: {found[0]} (in the working directory's scenarios/) "
            f"shadows the shipped {shipped[0]}",
            stacklevel=2,
        )
    return found[0]


def load_scenario(name_or_path: str, *, quick: bool = False) -> Scenario:
    """The scenario a scenario file defines: a TOML config, or a Python file's ``SCENARIO`` (its
    ``QUICK`` when ``quick``)."""
    from netsim.config import load_config
    from netsim.scenario import Scenario

    path = find_scenario(name_or_path)
    if path.suffix == ".toml":
        if quick:
            raise ValueError(
                f"{path}: a config file has no quick form; shrink it with --trials and --episodes"
            )
        return load_config(path)
    module = _import(path)
    if not isinstance(getattr(module, "SCENARIO", None), Scenario):
        kind = (
            "is a script (it defines main), not" if callable(_main(module)) else "does not define"
        )
        raise ValueError(f"scenario file {path} {kind} SCENARIO = netsim.Scenario(...)")
    name = "QUICK" if quick else "SCENARIO"
    scenario = getattr(module, name, None)
    if not isinstance(scenario, Scenario):
        raise ValueError(f"scenario file {path} defines no quick form (QUICK = netsim.Scenario)")
    return scenario


def load_script(name_or_path: str) -> Script | None:
    """The ``main`` of a script scenario (a Python file with ``main`` and no ``SCENARIO``), or
    None for a scenario that simulates."""
    from netsim.scenario import Scenario

    path = find_scenario(name_or_path)
    if path.suffix != ".py":
        return None
    module = _import(path)
    if isinstance(getattr(module, "SCENARIO", None), Scenario):
        return None
    return _main(module)


def load_report(name_or_path: str) -> Report | None:
    """The ``report`` of a Python scenario file that defines one, else None."""
    path = find_scenario(name_or_path)
    if path.suffix != ".py":
        return None
    report = getattr(_import(path), "report", None)
    return report if callable(report) else None


def _main(module: ModuleType) -> Script | None:
    main = getattr(module, "main", None)
    return main if callable(main) else None


def _import(path: Path) -> ModuleType:
    """The module of Python file ``path``, imported once per process."""
    module_name = f"netsim_scenario_{path.stem}"
    loaded = sys.modules.get(module_name)
    if loaded is not None and Path(loaded.__file__ or "").resolve() == path.resolve():
        return loaded
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ValueError(f"cannot import scenario file {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # worker processes unpickle what it defines
    if str(path.parent) not in sys.path:
        sys.path.append(str(path.parent))  # its helper modules, as when run as a script
    spec.loader.exec_module(module)
    return module
