"""Checks of numeric settings, shared by every settings dataclass, builder and topology, and by
the algorithms' config dataclasses (:func:`check_fields`), so that each refuses bad input alike and
names the setting. It lives in ``algorithms/`` because the algorithms import nothing from
``netsim/`` (docs/design.md, "Layers"); netsim uses it from here.

A *number* is an ``int``, a ``float`` or a numpy integer or floating scalar (``np.float32``,
``np.int64``), finite, never a bool (``True`` is not 1 bit/s) nor a string (``"1e6"``); an
*integer* is an ``int`` or numpy integer scalar, or a float with no fractional part (``2.0``),
never a bool. Both come back as Python ``float`` / ``int``, so that what a run records is plain
JSON. The message of what they raise starts with the setting's name::

    ComputeSettings.update_time_s = inf must be a finite number
    scenario 'x': episodes = 2.5 must be an integer
"""

from __future__ import annotations

import dataclasses
import functools
import math
import numbers
import typing
from typing import Any

import numpy as np


def number(
    value: object,
    name: str,
    *,
    minimum: float | None = None,
    above: float | None = None,
    below: float | None = None,
) -> float:
    """``value`` as a float, checked to be a finite number (see the module docstring) that is
    ``>= minimum``, ``> above`` and ``< below`` where given; else a ValueError (TypeError for a
    value that is no number at all) whose message starts with ``name``."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} = {value!r} must be a number, not {type(value).__name__}")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{name} = {value!r} must be a finite number")
    if minimum is not None and not result >= minimum:
        raise ValueError(f"{name} = {value!r} must be >= {minimum:g}")
    if above is not None and not result > above:
        raise ValueError(f"{name} = {value!r} must be > {above:g}")
    if below is not None and not result < below:
        raise ValueError(f"{name} = {value!r} must be < {below:g}")
    return result


def integer(value: object, name: str, *, minimum: int | None = None) -> int:
    """``value`` as an int, checked to be an integer (see the module docstring) ``>= minimum``
    where given; else a ValueError (TypeError for a value that is no number at all) whose message
    starts with ``name``."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_):
        if isinstance(value, numbers.Integral):
            result = int(value)
        elif math.isfinite(float(value)) and float(value).is_integer():
            result = int(float(value))
        else:
            raise ValueError(f"{name} = {value!r} must be an integer")
    else:
        raise TypeError(f"{name} = {value!r} must be an integer, not {type(value).__name__}")
    if minimum is not None and result < minimum:
        raise ValueError(f"{name} = {value!r} must be an integer >= {minimum}")
    return result


def check_fields(config: Any) -> None:
    """Check every field of dataclass ``config`` whose type hint is ``float``, ``int`` or
    ``tuple[int, ...]`` to be a number, an integer or a sequence of integers (see the module
    docstring), and set a numpy scalar (or an integer given as ``2.0``) to the plain Python value;
    a plain ``int`` or ``float`` is kept as given, so what a run records does not change. Raises
    as :func:`number` and :func:`integer` do, naming ``ConfigName.field``. Call it first in a
    frozen config's ``__post_init__``, before comparing the fields with their bounds (which
    :func:`algorithms.base.require_valid` then reports)."""
    kind = type(config).__name__
    for name, hint in _numeric_fields(type(config)).items():
        value, label = getattr(config, name), f"{kind}.{name}"
        if hint is float:
            checked: object = number(value, label)
            keep = type(value) in (int, float)
        elif hint is int:
            checked = integer(value, label)
            keep = type(value) is int
        else:  # tuple[int, ...]
            if isinstance(value, str | bytes) or not isinstance(value, typing.Iterable):
                raise TypeError(f"{label} = {value!r} must be a sequence of integers")
            checked = tuple(integer(item, f"{label}[{i}]") for i, item in enumerate(value))
            keep = False
        if not keep:
            object.__setattr__(config, name, checked)


@functools.cache
def _numeric_fields(config_type: type) -> dict[str, Any]:
    """The fields of ``config_type`` that :func:`check_fields` checks, with their type hints."""
    hints = typing.get_type_hints(config_type)
    return {
        field.name: hints[field.name]
        for field in dataclasses.fields(config_type)
        if hints.get(field.name) in (float, int, tuple[int, ...])
    }
