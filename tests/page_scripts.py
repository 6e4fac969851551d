"""The page scripts of ``scripts/`` loaded as modules, for the tests of the pages they write."""

import importlib.util
from pathlib import Path
from types import ModuleType

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def load_script(file_name: str) -> ModuleType:
    """``scripts/<file_name>``, freshly loaded (a test may patch what it reads)."""
    spec = importlib.util.spec_from_file_location(Path(file_name).stem, SCRIPTS / file_name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
