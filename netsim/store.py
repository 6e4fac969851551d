"""A run directory: a manifest and one atomically written, self-checking part per finished unit of
work.

Layout::

    DIR/manifest.json                  what was asked for (compared on resume) and every session
    DIR/.lock                          names the process writing the run (see :mod:`netsim.lock`)
    DIR/parts/v0003-t0012/metrics.parquet
    DIR/parts/v0003-t0012/links.parquet   ... one Parquet file per table the unit returned
    DIR/parts/v0003-t0012/timing.json     what computing it took (wall and CPU seconds, host)
    DIR/parts/v0003-t0012/record.json     the part's record: each file's bytes and SHA-256, each
                                          table's rows; written last
    DIR/parts/.partial-v0003-t0012-*/     a part being written (never read; removed on resume)
    DIR/damaged/v0003-t0012/              a part found damaged on resume, moved aside (its unit
                                          is run again)
    DIR/journal/v0003-t0012/*.npz         an unfinished unit's rollout journal (removed once the
                                          unit is stored; see :mod:`netsim.journal`)

Contracts:

* A unit of work is ``(variant index, trial)``; its part is named from those two numbers alone, so
  the same unit always lands in the same place whatever ran it and in whatever order.
* A part is written into a temporary directory, its record last (atomically), then the directory
  is renamed to its final name (one ``rename``, atomic on POSIX). Readers only look at final names.
* A part is *finished* only when it proves itself: its record lists exactly the files it holds,
  with their sizes (checked whenever the store is listed: :meth:`RunStore.finished`) and SHA-256
  digests (checked whenever a file is read, when a run resumes, when a part is copied by
  ``reuse``, and by :meth:`RunStore.verify`). Anything else is *damaged*: named with what is wrong
  (:meth:`RunStore.problems`), never counted as finished, moved aside to ``damaged/`` and computed
  again when the run resumes, and :meth:`RunStore.read` raises :class:`DamagedRun` naming it
  rather than return fewer rows.
* Run directories made before parts carried records (manifest ``format`` 1; today's is
  :data:`FORMAT`, 2) keep being read: there a part without a record is taken as finished when each
  of its Parquet files opens (its footer, written last, is whole), it holds every table its
  variant's other parts hold, and its metrics table has one row per (episode, agent), episodes x
  ``n_agents`` as the request records them. Parts a later session writes into such a directory
  carry records, and are checked by them. A record-less part of a format-2 directory is damaged.
* The store is generic over table names: whatever tables a unit returns are stored and read back
  by name, concatenated over units in (variant, trial) order.
* :meth:`RunStore.open` refuses, with a :class:`FileExistsError` naming the directory, a directory
  whose manifest records a different request, or a non-empty directory with no manifest (what a
  start that failed leaves, the lock file, a partial manifest and an empty ``parts/``, does not
  count); nothing in it is touched. It takes the directory's lock (:class:`netsim.lock.RunLock`,
  refused at once with :class:`netsim.lock.RunLocked` naming the holder if another process holds
  it) and holds it until :meth:`RunStore.close`: one process writes a store at a time, and
  leftovers are cleaned only under the lock. The writer is the driver (workers return their
  tables to it, so a cluster's workers need no shared file system); the one exception is a unit's
  journal, written by the worker computing the unit, which therefore needs the driver's file
  system (the runner keeps none on a Ray cluster).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import reprlib
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeAlias

import pandas as pd
import pyarrow.parquet as pq

from netsim.atomic import PARTIAL_PREFIX, write_atomically
from netsim.lock import LOCK_FILE, RunLock

MANIFEST_FILE = "manifest.json"
PARTS_DIR = "parts"
JOURNAL_DIR = "journal"
DAMAGED_DIR = "damaged"
TIMING_FILE = "timing.json"
RECORD_FILE = "record.json"
FORMAT = 2
"""The manifest format this code writes: 2, every part carries a record (1: parts had none)."""

_PART_NAME = re.compile(r"v(\d+)-t(\d+)")
_TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

Unit: TypeAlias = tuple[int, int]
"""A unit of work: (variant index, trial)."""

Record: TypeAlias = dict[str, dict[str, Any]]
"""A part's files by name, each with ``bytes`` and ``sha256`` (None for a format-1 part, which
recorded none) and, for a table, ``rows``."""


class DamagedRun(ValueError):
    """A run directory holds damaged parts where a whole one was needed; the message names each
    part and what is wrong with it."""


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
    """An existing run directory (one holding a manifest), for reading; :meth:`open` gives one
    that may also be written."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self._parts = self.directory / PARTS_DIR
        self._lock: RunLock | None = None
        self.journals = self.directory.absolute() / JOURNAL_DIR
        """Where unit (v, t)'s rollout journal is kept, as ``journals / part_name((v, t))``;
        absolute, so that worker processes with another working directory find it."""
        manifest = self.directory / MANIFEST_FILE
        if not manifest.is_file():
            raise FileNotFoundError(f"{self.directory} holds no {MANIFEST_FILE}: not a netsim run")
        try:
            self.manifest: dict[str, Any] = json.loads(manifest.read_text())
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ValueError(f"{manifest} is not valid JSON: {error}") from None
        if not isinstance(self.manifest, dict) or not isinstance(
            self.manifest.get("request"), dict
        ):
            raise ValueError(f"{manifest} records no request: it is not a netsim run's manifest")

    @classmethod
    def open(
        cls,
        directory: str | Path,
        request: Mapping[str, Any],
        session: Mapping[str, Any],
        upgrade: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> RunStore:
        """The store in ``directory`` for ``request`` (JSON-ready: the resolved config, seeds,
        units), created if absent, holding the directory's lock until :meth:`close` (also a
        context manager); ``session`` (who runs it, where, with what) is appended to the
        manifest's ``sessions``. Under the lock, leftover partial parts and the journals of
        finished units are removed, and damaged parts are moved to ``damaged/`` with a warning
        naming each (their units are then unfinished).

        A stored request is first brought to today's form by ``upgrade`` (given), and kept in that
        form when it then equals ``request``.

        Raises :class:`FileExistsError` if the directory holds another request's results, or
        files but no manifest; :class:`NotADirectoryError` if it is a file;
        :class:`netsim.lock.RunLocked` if another process is writing it."""
        directory = Path(directory)
        wanted = json.loads(json.dumps(request, default=str))
        if directory.exists() and not directory.is_dir():
            raise NotADirectoryError(f"{directory} is a file, not a directory for a run's results")
        if not (directory / MANIFEST_FILE).exists():
            _refuse_unless_empty(directory)
        directory.mkdir(parents=True, exist_ok=True)
        lock = RunLock.acquire(directory)
        try:
            store = cls._open_locked(directory, wanted, session, upgrade)
        except BaseException:
            lock.release()
            raise
        store._lock = lock
        return store

    @classmethod
    def _open_locked(
        cls,
        directory: Path,
        wanted: dict[str, Any],
        session: Mapping[str, Any],
        upgrade: Callable[[dict[str, Any]], dict[str, Any]] | None,
    ) -> RunStore:
        """:meth:`open`'s work once the lock is held."""
        if (directory / MANIFEST_FILE).exists():
            store = cls(directory)
            stored = store.manifest["request"]
            if upgrade is not None:
                stored = upgrade(stored)
            difference = _first_difference(stored, wanted, "request")
            if difference:
                raise FileExistsError(
                    f"{directory} holds results of a different configuration ({difference}); "
                    f"{ANOTHER_DIRECTORY}"
                )
            manifest = {**store.manifest, "request": wanted}
        else:
            _refuse_unless_empty(directory)  # again, now that no other run can be starting
            manifest = {"format": FORMAT, "request": wanted, "sessions": []}
        manifest.setdefault("sessions", []).append(json.loads(json.dumps(session, default=str)))
        write_atomically(directory / MANIFEST_FILE, json.dumps(manifest, indent=2).encode())
        (directory / PARTS_DIR).mkdir(exist_ok=True)
        for leftover in (directory / PARTS_DIR).glob(PARTIAL_PREFIX + "*"):
            shutil.rmtree(leftover)
        store = cls(directory)
        for part, problem in store.problems(full=True).items():
            if _PART_NAME.fullmatch(part) and unit_of(part) in store.units():
                moved = store._move_aside(part)
                warnings.warn(
                    f"{directory}: part {part} is damaged ({problem}); moved to {moved}, and its "
                    "trial will be run again",
                    stacklevel=3,
                )
        for unit in store.finished():
            shutil.rmtree(store.journals / part_name(unit), ignore_errors=True)
        return store

    def close(self) -> None:
        """Release the directory's lock, if this store holds it; a store that does not cannot
        write."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def request(self) -> dict[str, Any]:
        """What this run directory was created for (see :meth:`open`)."""
        return self.manifest["request"]

    def units(self) -> set[Unit]:
        """Every unit the request asks for (its ``units``, each with a ``part`` name)."""
        listed = self.request.get("units", [])
        return {unit_of(entry["part"]) for entry in listed} if isinstance(listed, list) else set()

    def finished(self) -> set[Unit]:
        """The units of the request whose part is whole, as far as the sizes its record gives
        show (the digests are checked on reading, resuming and :meth:`verify`)."""
        problems = self.problems()
        return {unit for unit in self._present() if part_name(unit) not in problems} & self.units()

    def unfinished(self) -> set[Unit]:
        """The units of the request with no finished part."""
        return self.units() - self.finished()

    def problems(self, *, full: bool = False) -> dict[str, str]:
        """What is wrong with each part under a final name that is not whole, by part name: a
        file missing, of another size than its record says, or (``full``: every file's SHA-256
        is computed) with other contents; a record missing or unreadable; files it does not
        list; or a part of a unit the request does not have."""
        found: dict[str, str] = {}
        units = self.units()
        present = self._present()
        legacy_tables = self._legacy_tables(present)
        for unit, folder in sorted(present.items()):
            if unit not in units:
                found[folder.name] = f"not a trial of this run (it has {len(units)} trials)"
                continue
            problem = self._check(unit, folder, full, legacy_tables)[1]
            if problem is not None:
                found[folder.name] = problem
        return found

    def verify(self) -> list[str]:
        """Every way the run directory is not whole, each a sentence naming the part or file
        (empty when whole): :meth:`problems` with every digest checked, and partial parts left by
        a run that was killed (or is writing now)."""
        said = [
            f"{PARTS_DIR}/{part}: {problem}" for part, problem in self.problems(full=True).items()
        ]
        if self._parts.is_dir():
            said += [
                f"{PARTS_DIR}/{path.name}: a part still being written, or left by a run that was "
                "killed (removed when the run goes on)"
                for path in sorted(self._parts.glob(PARTIAL_PREFIX + "*"))
            ]
        return said

    def write(
        self,
        unit: Unit,
        tables: Mapping[str, pd.DataFrame],
        timing: Mapping[str, Any] | None = None,
    ) -> None:
        """Store ``unit``'s tables as its part, atomically, with what computing it took
        (``timing``, e.g. wall and CPU seconds, kept as ``timing.json``) and its record; a unit
        is written once. Its journal, no longer needed, is then removed."""
        for name in tables:
            if not _TABLE_NAME.fullmatch(name):
                raise ValueError(f"table name {name!r} is not an identifier")
        files: dict[str, bytes] = {}
        rows: dict[str, int] = {}
        for name, frame in tables.items():
            buffer = io.BytesIO()
            frame.to_parquet(buffer, index=False)
            files[f"{name}.parquet"], rows[f"{name}.parquet"] = buffer.getvalue(), len(frame)
        if timing is not None:
            files[TIMING_FILE] = json.dumps(timing, default=str).encode()
        self._store(unit, files, rows)
        shutil.rmtree(self.journals / part_name(unit), ignore_errors=True)

    def copy_from(self, source: RunStore, source_unit: Unit, unit: Unit) -> None:
        """Store ``source``'s finished part of ``source_unit`` (its tables and timing) as this
        store's part of ``unit``, atomically, as :meth:`write` stores one, after checking every
        file it copies against the source's record (:class:`DamagedRun` if one differs). The
        caller vouches that they are the same computation: see
        :func:`netsim.runner.reusable_parts`."""
        origin = source._parts / part_name(source_unit)
        if not origin.is_dir():  # a final name is a finished part
            raise FileNotFoundError(f"{origin} is not a finished part")
        record, problem = source._check(
            source_unit, origin, True, source._legacy_tables(source._present())
        )
        if problem is not None:
            raise DamagedRun(f"{origin}, to be reused, is damaged: {problem}")
        files = {name: (origin / name).read_bytes() for name in record}
        for name, data in files.items():
            digest = record[name]["sha256"]
            if digest is not None and hashlib.sha256(data).hexdigest() != digest:
                raise DamagedRun(f"{origin / name}, to be reused, changed as it was copied")
        rows = {name: entry["rows"] for name, entry in record.items() if "rows" in entry}
        self._store(unit, files, rows)

    def _store(self, unit: Unit, files: Mapping[str, bytes], rows: Mapping[str, int]) -> None:
        """Write ``files`` (by name) as ``unit``'s part with their record, atomically."""
        if self._lock is None:
            raise RuntimeError(f"{self.directory}: write through the store RunStore.open returns")
        record = {
            name: {
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                **({"rows": rows[name]} if name in rows else {}),
            }
            for name, data in files.items()
        }
        with self._new_part(unit) as folder:
            for name, data in files.items():
                (folder / name).write_bytes(data)
            document = {"part": part_name(unit), "files": record}
            write_atomically(folder / RECORD_FILE, json.dumps(document, indent=1).encode())

    @contextmanager
    def _new_part(self, unit: Unit) -> Iterator[Path]:
        """A temporary folder to fill with ``unit``'s part, renamed to its final name (one atomic
        ``rename``) once the ``with`` block ends without an error, and removed if it raises."""
        final = self._parts / part_name(unit)
        if final.exists():
            raise FileExistsError(f"{final} exists: unit {unit} was already stored")
        temporary = Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}{final.name}-", dir=self._parts))
        try:
            yield temporary
            temporary.chmod(0o755)  # mkdtemp's 0o700 would hide results from a shared file system
            temporary.rename(final)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise

    def _move_aside(self, part: str) -> Path:
        """Move damaged part ``part`` into ``damaged/``, under a name no other holds there."""
        aside = self.directory / DAMAGED_DIR
        aside.mkdir(exist_ok=True)
        target, number = aside / part, 1
        while target.exists():
            number += 1
            target = aside / f"{part}-{number}"
        (self._parts / part).rename(target)
        return target.relative_to(self.directory)

    def _present(self) -> dict[Unit, Path]:
        """Every folder under a final part name, by unit."""
        if not self._parts.is_dir():
            return {}
        return {
            unit_of(path.name): path
            for path in self._parts.iterdir()
            if _PART_NAME.fullmatch(path.name) and path.is_dir()
        }

    def _legacy(self, folder: Path) -> bool:
        """Whether ``folder`` is a part a format-1 run stored without a record."""
        return self.manifest.get("format", 1) < 2 and not (folder / RECORD_FILE).exists()

    def _legacy_tables(self, present: Mapping[Unit, Path]) -> dict[int, set[str]]:
        """Per variant index, every table some record-less part of a format-1 run holds."""
        tables: dict[int, set[str]] = {}
        for (variant, _), folder in present.items():
            if self._legacy(folder):
                tables.setdefault(variant, set()).update(
                    path.name for path in folder.glob("*.parquet")
                )
        return tables

    def _check(
        self, unit: Unit, folder: Path, full: bool, legacy_tables: Mapping[int, set[str]]
    ) -> tuple[Record, str | None]:
        """``folder``'s record (a format-1 part's as found), and what is wrong with it, if
        anything; ``full`` checks every file's SHA-256 too."""
        if self._legacy(folder):
            return self._check_legacy(unit, folder, legacy_tables.get(unit[0], set()))
        try:
            document = json.loads((folder / RECORD_FILE).read_text())
            record: Record = document["files"]
            assert isinstance(record, dict) and all(
                isinstance(entry, dict) and {"bytes", "sha256"} <= set(entry)
                for entry in record.values()
            )
        except FileNotFoundError:
            return {}, f"it has no {RECORD_FILE}: it was not finished, or it was tampered with"
        except (OSError, ValueError, KeyError, TypeError, AssertionError):
            return {}, f"its {RECORD_FILE} is unreadable"
        if document.get("part") != folder.name:
            return {}, f"its {RECORD_FILE} is that of part {document.get('part')!r}"
        held = {path.name for path in folder.iterdir()} - {RECORD_FILE}
        missing, extra = sorted(set(record) - held), sorted(held - set(record))
        if missing:
            return record, f"{', '.join(missing)} missing"
        if extra:
            return record, f"holds {', '.join(extra)}, which its record does not list"
        for name, entry in record.items():
            size = (folder / name).stat().st_size
            if size != entry["bytes"]:
                return record, f"{name} has {size} bytes, its record says {entry['bytes']}"
            if full and _sha256(folder / name) != entry["sha256"]:
                return record, f"{name}'s contents differ from its record (SHA-256)"
        return record, None

    def _check_legacy(
        self, unit: Unit, folder: Path, tables: set[str]
    ) -> tuple[Record, str | None]:
        """A format-1 part's record as found, and what is wrong with it (see the module
        docstring)."""
        record: Record = {}
        for path in sorted(folder.iterdir()):
            entry: dict[str, Any] = {"bytes": path.stat().st_size, "sha256": None}
            if path.suffix == ".parquet":
                try:
                    entry["rows"] = pq.read_metadata(path).num_rows
                except (OSError, ValueError) as error:
                    return record, f"{path.name} is not a whole Parquet file ({error})"
            record[path.name] = entry
        missing = sorted(tables - set(record))
        if missing:
            return record, f"{', '.join(missing)} missing (its variant's other parts hold it)"
        if "metrics.parquet" not in record:
            return record, "metrics.parquet missing"
        scenario = self.request.get("scenario", {})
        try:
            expected = scenario["episodes"] * scenario["variants"][unit[0]]["n_agents"]
        except (KeyError, IndexError, TypeError):
            return record, None  # the request does not say: the files opening must do
        rows = record["metrics.parquet"]["rows"]
        if rows != expected:
            return record, f"metrics.parquet has {rows} rows, not episodes x agents = {expected}"
        return record, None

    def timings(self) -> pd.DataFrame:
        """What each finished unit that recorded it took: columns ``variant`` (index), ``trial``
        and the keys of its ``timing`` (see :meth:`write`); :class:`DamagedRun` if a timing file
        differs from its part's record."""
        rows = []
        for unit in sorted(self.finished()):
            folder = self._parts / part_name(unit)
            if (folder / TIMING_FILE).is_file():
                data = self._checked_bytes(folder, TIMING_FILE)
                rows.append({"variant": unit[0], "trial": unit[1], **json.loads(data)})
        return pd.DataFrame(rows, columns=None if rows else ["variant", "trial"])

    def _checked_bytes(self, folder: Path, name: str) -> bytes:
        """File ``name`` of part ``folder``, checked against the digest its record gives (if it
        has a record)."""
        data = (folder / name).read_bytes()
        if (folder / RECORD_FILE).exists():
            record = json.loads((folder / RECORD_FILE).read_text())["files"]
            if hashlib.sha256(data).hexdigest() != record[name]["sha256"]:
                raise DamagedRun(
                    f"{self.directory} holds a damaged part ({folder.name}: {name}'s contents "
                    "differ from its record (SHA-256)); run the same command again to compute it "
                    "again (`netsim verify` lists what is wrong)"
                )
        return data

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
        return sorted(
            {
                path.stem
                for unit in self.finished()
                for path in (self._parts / part_name(unit)).glob("*.parquet")
            }
        )

    def read(self, table: str) -> pd.DataFrame:
        """Table ``table`` of every finished unit, concatenated in (variant, trial) order, each
        file checked against its part's record as it is read. Raises :class:`DamagedRun` naming
        every damaged part of the request's units (the run is then to be resumed, which computes
        them again), and KeyError if no part holds the table."""
        present = {unit: folder for unit, folder in self._present().items() if unit in self.units()}
        legacy_tables = self._legacy_tables(present)
        frames, damaged = [], []
        for unit, folder in sorted(present.items()):
            record, problem = self._check(unit, folder, False, legacy_tables)
            entry = record.get(f"{table}.parquet")
            if problem is None and entry is not None:
                data = (folder / f"{table}.parquet").read_bytes()
                if entry["sha256"] not in (None, hashlib.sha256(data).hexdigest()):
                    problem = f"{table}.parquet's contents differ from its record (SHA-256)"
                else:
                    frames.append(pd.read_parquet(io.BytesIO(data)))
            if problem is not None:
                damaged.append(f"{folder.name}: {problem}")
        if damaged:
            raise DamagedRun(
                f"{self.directory} holds damaged parts ({'; '.join(damaged)}); run the same "
                "command again to compute them again (`netsim verify` lists what is wrong)"
            )
        if not frames:
            raise KeyError(
                f"{self.directory} holds no table {table!r}; tables: {self.table_names()}"
            )
        return pd.concat(frames, ignore_index=True)


def _refuse_unless_empty(directory: Path) -> None:
    """Raise :class:`FileExistsError` if ``directory`` holds anything but what a start that
    failed before writing its manifest leaves (the lock file, a partial manifest, an empty
    ``parts/``), which a new start overwrites or reuses."""
    if not directory.is_dir():
        return
    leftovers = {LOCK_FILE, f"{PARTIAL_PREFIX}{MANIFEST_FILE}", PARTS_DIR}
    held = list(directory.iterdir())
    if any(
        path.name not in leftovers
        or (path.name == PARTS_DIR and (not path.is_dir() or any(path.iterdir())))
        for path in held
    ):
        raise FileExistsError(
            f"{directory} is not empty and holds no {MANIFEST_FILE}, so no run of netsim's; "
            f"{ANOTHER_DIRECTORY}"
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


ANOTHER_DIRECTORY = (
    "choose another output directory (netsim run --out DIR; netsim.run(scenario, out)) "
    "or remove this one"
)
"""How a refused run directory's message ends: what to do instead."""

_SHOWN = reprlib.Repr()
"""How a differing value is shown in a refusal: short enough to keep the message one line."""
_SHOWN.maxstring = _SHOWN.maxother = 40
_SHOWN.maxlist = _SHOWN.maxdict = 3
_SHOWN.maxlevel = 2


def _first_difference(stored: Any, wanted: Any, where: str) -> str | None:
    """Where two JSON values first differ, in a few words: ``request.scenario.episodes:
    stored 4, now 3``; lists of different lengths by their lengths; long values abridged."""
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
    if isinstance(stored, list) and isinstance(wanted, list):
        return f"{where}: {len(stored)} stored, {len(wanted)} now"
    if stored == wanted:
        return None
    return f"{where}: stored {_SHOWN.repr(stored)}, now {_SHOWN.repr(wanted)}"
