"""Checks of numeric settings, shared by every settings dataclass, builder and topology, so that
each refuses bad input alike and names the setting.

A *number* is an ``int``, a ``float`` or a numpy integer or floating scalar (``np.float32``,
``np.int64``), finite, never a bool (``True`` is not 1 bit/s) nor a string (``"1e6"``); an
*integer* is an ``int`` or numpy integer scalar, or a float with no fractional part (``2.0``),
never a bool. Both come back as Python ``float`` / ``int``, so that what a run records is plain
JSON. The message of what they raise starts with the setting's name::

    ComputeSettings.update_time_s = inf must be a finite number
    scenario 'x': episodes = 2.5 must be an integer
"""

from __future__ import annotations

import math
import numbers

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
