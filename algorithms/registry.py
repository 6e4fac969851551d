"""One registry type for everything chosen by name: algorithms, bandwidth models, communication
patterns, topology builders and executors.

A registry is a read-only mapping from names to entries, filled by :meth:`Registry.register`, so a
user's own module can add an entry without editing netsim. Asking for an unknown name raises
:class:`UnknownName`, whose one-line message names the kind of thing, suggests the closest known
name and lists them all::

    unknown communication pattern 'gosip' (did you mean 'gossip'?); known: central, gossip
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar

Entry = TypeVar("Entry")


class UnknownName(KeyError, ValueError):
    """A name no entry of a registry has. A KeyError for the mapping protocol, a ValueError for
    callers that validate input; its message is one plain line."""

    def __str__(self) -> str:
        return str(self.args[0])


def unknown_name_message(kind: str, name: object, known: list[str]) -> str:
    """``unknown KIND 'NAME' (did you mean 'X'?); known: A, B, C``."""
    close = difflib.get_close_matches(str(name), known, n=1)
    suggestion = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {kind} {name!r}{suggestion}; known: {', '.join(known)}"


class Registry(Mapping[str, Entry], Generic[Entry]):
    """Entries of one kind by name, in the order they were registered."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        """What an entry is, for messages: ``"algorithm"``, ``"bandwidth model"``, ..."""
        self._entries: dict[str, Entry] = {}

    def register(self, name: str, entry: Entry) -> Entry:
        """Make ``entry`` reachable as ``name``; a name is registered once."""
        if not isinstance(name, str) or not name:
            raise ValueError(f"a {self.kind} is registered under a non-empty string, not {name!r}")
        if name in self._entries:
            raise ValueError(f"{self.kind} {name!r} is already registered")
        self._entries[name] = entry
        return entry

    def __getitem__(self, name: str) -> Entry:
        try:
            return self._entries[name]
        except (KeyError, TypeError):
            raise UnknownName(unknown_name_message(self.kind, name, self.names())) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def names(self) -> list[str]:
        """Every name, sorted."""
        return sorted(self._entries)
