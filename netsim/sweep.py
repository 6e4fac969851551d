"""Grid expansion: every variant of a config crossed with every combination of a grid's values.

Works on plain config tables (as read from TOML), before validation: a grid key is a dotted path
into a variant's table (``algorithm``, ``env``, ``config.m``, ``topology.bandwidth_bps``,
``network.framing.mtu_bytes``, ...) and its value the list of values to take. Points are ordered
variant first, then the grid's keys in the order given, the last varying fastest, and each point is
named ``"{variant name} {key}={value}, ..."`` with the key's last component (the whole dotted key
where last components would repeat). The points are validated afterwards like any variant.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Mapping, Sequence
from typing import Any


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``override`` laid over it; tables present in both are merged recursively."""
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def expand(
    variants: Sequence[Mapping[str, Any]], grid: Mapping[str, Sequence[Any]]
) -> list[dict[str, Any]]:
    """Every variant at every point of ``grid``; without a grid, the variants unchanged.

    Raises :class:`ValueError` naming the grid key that is not a dotted path of names, has no
    values, or runs through a value that is not a table."""
    for key, values in grid.items():
        if not all(part.isidentifier() for part in str(key).split(".")):
            raise ValueError(f"grid key {key!r} is not a dotted path of field names")
        if isinstance(values, str | Mapping) or not isinstance(values, Sequence) or not values:
            raise ValueError(f"grid key {key!r}: give a non-empty list of values, not {values!r}")
    keys = list(grid)
    labels = _labels(keys)
    points = []
    for variant in variants:
        for values in itertools.product(*(grid[key] for key in keys)):
            point = copy.deepcopy(dict(variant))
            for key, value in zip(keys, values, strict=True):
                _set(point, key, value)
            if keys and isinstance(point.get("name"), str):
                settings = ", ".join(
                    f"{label}={_format(value)}" for label, value in zip(labels, values, strict=True)
                )
                point["name"] = f"{point['name']} {settings}"
            points.append(point)
    return points


def _set(table: dict[str, Any], key: str, value: Any) -> None:
    *parents, last = key.split(".")
    for index, part in enumerate(parents):
        child = table.setdefault(part, {})
        if not isinstance(child, dict):
            path = ".".join(parents[: index + 1])
            raise ValueError(f"grid key {key!r}: {path} = {child!r} is not a table")
        table = child
    table[last] = copy.deepcopy(value)


def _labels(keys: list[str]) -> list[str]:
    lasts = [key.rsplit(".", 1)[-1] for key in keys]
    return [last if lasts.count(last) == 1 else key for key, last in zip(keys, lasts, strict=True)]


def _format(value: Any) -> str:
    return format(value, "g") if isinstance(value, float) else str(value)
