"""Scenario files, found by path or by name in a ``scenarios/`` folder.

A scenario file is either a Python file that defines ``SCENARIO``, a :class:`netsim.Scenario`
(importing it must not run anything: guard a script's own run with ``if __name__ == "__main__"``),
or a TOML scenario or sweep config (see :mod:`netsim.config`). A name is looked up as ``NAME.py``,
then ``NAME.toml``, in each folder in turn. A Python scenario may import helper modules beside it,
whose names start with ``_`` so they are not listed as scenarios.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from netsim.config import load_config
from netsim.scenario import Scenario

SUFFIXES = (".py", ".toml")

REPO_SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
"""The scenarios shipped beside the package (an editable install keeps them there)."""


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
    for folder in scenario_folders():
        for suffix in SUFFIXES:
            candidate = folder / f"{name_or_path}{suffix}"
            if candidate.is_file():
                return candidate
    raise ValueError(
        f"no scenario file or name {name_or_path!r}; known names: {', '.join(scenario_names())}"
    )


def load_scenario(name_or_path: str) -> Scenario:
    """The scenario a scenario file defines: a TOML config, or a Python file's ``SCENARIO``."""
    path = find_scenario(name_or_path)
    if path.suffix == ".toml":
        return load_config(path)
    module_name = f"netsim_scenario_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ValueError(f"cannot import scenario file {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # worker processes unpickle what it defines
    if str(path.parent) not in sys.path:
        sys.path.append(str(path.parent))  # its helper modules, as when run as a script
    spec.loader.exec_module(module)
    scenario = getattr(module, "SCENARIO", None)
    if not isinstance(scenario, Scenario):
        raise ValueError(f"scenario file {path} does not define SCENARIO = netsim.Scenario(...)")
    return scenario
