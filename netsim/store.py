"""A run directory: a manifest and one atomically written part per finished unit of work.

Layout::

    DIR/manifest.json                  what was asked for (compared on resume) and every session
    DIR/parts/v0003-t0012/metrics.parquet
    DIR/parts/v0003-t0012/links.parquet   ... one Parquet file per table the unit returned
    DIR/parts/v0003-t0012/timing.json     what computing it took (wall and CPU seconds, host)
    DIR/parts/.partial-v0003-t0012-*/     a part being written (never read; removed on resume)
    DIR/journal/v0003-t0012/*.npz         an unfinished unit's rollout journal (removed once the
                                          unit is stored; see :mod:`netsim.journal`)

Contracts:

* A unit of work is ``(variant index, trial)``; its part is named from those two numbers alone, so
  the same unit always lands in the same place whatever ran it and in whatever order.
* A part is written into a temporary directory, then renamed to its final name (one ``rename``,
  atomic on POSIX): a reader sees all of a unit's tables or none. Readers only look at final names.
* The store is generic over table names: whatever tables a unit returns are stored and read back
  by name, concatenated over units in (variant, trial) order.
* :meth:`RunStore.open` refuses, with a :class:`FileExistsError` naming the directory, a directory
  whose manifest records a different request, or a non-empty directory with no manifest; nothing
  in it is touched. One process writes a store at a time (the driver: workers return their tables
  to it, so a cluster's workers need no shared file system); the one exception is a unit's
  journal, written by the worker computing the unit, which therefore needs the driver's file
  system (the runner keeps none on a Ray cluster).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeAlias

import pandas as pd

from netsim.atomic import PARTIAL_PREFIX, write_atomically

MANIFEST_FILE = "manifest.json"
PARTS_DIR = "parts"
JOURNAL_DIR = "journal"
TIMING_FILE = "timing.json"

_PART_NAME = re.compile(r"v(\d+)-t(\d+)")
_TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

Unit: TypeAlias = tuple[int, int]
"""A unit of work: (variant index, trial)."""


def part_name(unit: Unit) -> str:
    """The directory name of ``unit``'s part, e.g. ``v0003-t0012``."""
    variant, trial = unit
    return f"v{variant:04d}-t{trial:04d}"


def unit_of(part: str) -> Unit:
    """The unit whose part is called ``part`` (the inverse of :func:`part_name`)."""
    match = _PART_NAME.fullmatch(part)
    if match is None:
        raise ValueError(f"{part!r} is not a part name such as 'v0003-t0012'")
    return int(match[1]), int(match[2])


class RunStore:
    """An existing run directory (one holding a manifest)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self._parts = self.directory / PARTS_DIR
        self.journals = self.directory.absolute() / JOURNAL_DIR
        """Where unit (v, t)'s rollout journal is kept, as ``journals / part_name((v, t))``;
        absolute, so that worker processes with another working directory find it."""
        manifest = self.directory / MANIFEST_FILE
        if not manifest.is_file():
            raise FileNotFoundError(f"{self.directory} holds no {MANIFEST_FILE}: not a netsim run")
        try:
            self.manifest: dict[str, Any] = json.loads(manifest.read_text())
        except json.JSONDecodeError as error:
            raise ValueError(f"{manifest} is not valid JSON: {error}") from None

    @classmethod
    def open(
        cls,
        directory: str | Path,
        request: Mapping[str, Any],
        session: Mapping[str, Any],
        upgrade: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> RunStore:
        """The store in ``directory`` for ``request`` (JSON-ready: the resolved config, seeds,
        units), created if absent; ``session`` (who runs it, where, with what) is appended to the
        manifest's ``sessions``. Leftover partial parts, and the journals of finished units, are
        removed.

        A stored request is first brought to today's form by ``upgrade`` (given), and kept in that
        form when it then equals ``request``.

        Raises :class:`FileExistsError` if the directory holds another request's results, or
        files but no manifest."""
        directory = Path(directory)
        wanted = json.loads(json.dumps(request, default=str))
        if (directory / MANIFEST_FILE).exists():
            store = cls(directory)
            stored = store.manifest.get("request")
            if upgrade is not None and isinstance(stored, dict):
                stored = upgrade(stored)
            difference = _first_difference(stored, wanted, "request")
            if difference:
                raise FileExistsError(
                    f"{directory} holds results of a different configuration ({difference}); "
                    "choose another output directory or remove this one"
                )
            manifest = {**store.manifest, "request": wanted}
        else:
            if directory.exists() and any(directory.iterdir()):
                raise FileExistsError(
                    f"{directory} is not empty and holds no {MANIFEST_FILE}; "
                    "choose an empty or new output directory"
                )
            manifest = {"format": 1, "request": wanted, "sessions": []}
        manifest.setdefault("sessions", []).append(json.loads(json.dumps(session, default=str)))
        (directory / PARTS_DIR).mkdir(parents=True, exist_ok=True)
        write_atomically(directory / MANIFEST_FILE, json.dumps(manifest, indent=2).encode())
        for leftover in (directory / PARTS_DIR).glob(PARTIAL_PREFIX + "*"):
            shutil.rmtree(leftover)
        store = cls(directory)
        for unit in store.finished():
            shutil.rmtree(store.journals / part_name(unit), ignore_errors=True)
        return store

    @property
    def request(self) -> dict[str, Any]:
        """What this run directory was created for (see :meth:`open`)."""
        return self.manifest["request"]

    def finished(self) -> set[Unit]:
        """The units whose part is complete."""
        return {
            unit_of(path.name)
            for path in self._parts.glob("v*-t*")
            if _PART_NAME.fullmatch(path.name) and path.is_dir()
        }

    def unfinished(self) -> set[Unit]:
        """The units of the request (:meth:`open`'s ``request["units"]``) with no finished part."""
        units = {unit_of(entry["part"]) for entry in self.request.get("units", [])}
        return units - self.finished()

    def write(
        self,
        unit: Unit,
        tables: Mapping[str, pd.DataFrame],
        timing: Mapping[str, Any] | None = None,
    ) -> None:
        """Store ``unit``'s tables as its part, atomically, with what computing it took
        (``timing``, e.g. wall and CPU seconds, kept as ``timing.json``); a unit is written once.
        Its journal, no longer needed, is then removed."""
        for name in tables:
            if not _TABLE_NAME.fullmatch(name):
                raise ValueError(f"table name {name!r} is not an identifier")
        with self._new_part(unit) as folder:
            for name, frame in tables.items():
                frame.to_parquet(folder / f"{name}.parquet", index=False)
            if timing is not None:
                (folder / TIMING_FILE).write_text(json.dumps(timing, default=str))
        shutil.rmtree(self.journals / part_name(unit), ignore_errors=True)

    def copy_from(self, source: RunStore, source_unit: Unit, unit: Unit) -> None:
        """Store ``source``'s finished part of ``source_unit`` (its tables and timing) as this
        store's part of ``unit``, atomically, as :meth:`write` stores one. The caller vouches that
        they are the same computation: see :func:`netsim.runner.reusable_parts`."""
        origin = source._parts / part_name(source_unit)
        if not origin.is_dir():  # a final name is a finished part
            raise FileNotFoundError(f"{origin} is not a finished part")
        with self._new_part(unit) as folder:
            for file in origin.iterdir():
                shutil.copyfile(file, folder / file.name)

    @contextmanager
    def _new_part(self, unit: Unit) -> Iterator[Path]:
        """A temporary folder to fill with ``unit``'s part, renamed to its final name (one atomic
        ``rename``) once the ``with`` block ends without an error."""
        final = self._parts / part_name(unit)
        if final.exists():
            raise FileExistsError(f"{final} exists: unit {unit} was already stored")
        temporary = Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}{final.name}-", dir=self._parts))
        yield temporary
        temporary.chmod(0o755)  # mkdtemp's 0o700 would hide results from a shared file system
        temporary.rename(final)

    def timings(self) -> pd.DataFrame:
        """What each finished unit that recorded it took: columns ``variant`` (index), ``trial``
        and the keys of its ``timing`` (see :meth:`write`)."""
        rows = []
        for unit in sorted(self.finished()):
            path = self._parts / part_name(unit) / TIMING_FILE
            if path.is_file():
                rows.append({"variant": unit[0], "trial": unit[1], **json.loads(path.read_text())})
        return pd.DataFrame(rows, columns=None if rows else ["variant", "trial"])

    def journalled(self) -> dict[Unit, Path]:
        """The unfinished units with a journal, and each one's journal folder."""
        unfinished = self.unfinished()
        folders = {
            unit_of(folder.name): folder
            for folder in (self.journals.glob("v*-t*") if self.journals.is_dir() else [])
            if _PART_NAME.fullmatch(folder.name)
        }
        return {unit: folder for unit, folder in sorted(folders.items()) if unit in unfinished}

    def table_names(self) -> list[str]:
        """Every table name some finished part holds."""
        return sorted({path.stem for path in self._parts.glob("v*-t*/*.parquet")})

    def read(self, table: str) -> pd.DataFrame:
        """Table ``table`` of every finished unit, concatenated in (variant, trial) order."""
        files = [
            self._parts / part_name(unit) / f"{table}.parquet" for unit in sorted(self.finished())
        ]
        frames = [pd.read_parquet(path) for path in files if path.is_file()]
        if not frames:
            raise KeyError(
                f"{self.directory} holds no table {table!r}; tables: {self.table_names()}"
            )
        return pd.concat(frames, ignore_index=True)


def _first_difference(stored: Any, wanted: Any, where: str) -> str | None:
    """Where two JSON values first differ, e.g. ``request.scenario.episodes: 4 != 3``."""
    if isinstance(stored, dict) and isinstance(wanted, dict):
        for key in sorted(set(stored) | set(wanted)):
            found = _first_difference(stored.get(key), wanted.get(key), f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(stored, list) and isinstance(wanted, list) and len(stored) == len(wanted):
        for index, (old, new) in enumerate(zip(stored, wanted, strict=True)):
            found = _first_difference(old, new, f"{where}[{index}]")
            if found:
                return found
        return None
    return None if stored == wanted else f"{where}: stored {stored!r}, now {wanted!r}"
