"""Scenario and sweep config files (TOML), validated into :class:`netsim.Scenario`.

A config file::

    name = "bandwidth_sweep"           # Scenario fields: name, episodes, trials, seed
    episodes = 40
    trials = 3

    [defaults]                         # optional: every variant starts from these
    env = "CartPole-v1"
    topology = { builder = "star", n_agents = 10, latency_s = 0.01 }

    [[variants]]                       # Variant fields: name, algorithm, env, config, topology,
    name = "ES"                        # network, compute, pattern
    algorithm = "es"
    pattern = { name = "central", policy = "async", updates_every = 5 }

    [[variants]]
    name = "ESPC m=5"
    algorithm = "espc"
    config = { m = 5, k = 5 }          # the algorithm's config dataclass's fields

    [grid]                             # optional: each variant at every combination
    "topology.bandwidth_bps" = [32e3, 1e6]

``topology`` names a builder of :data:`netsim.TOPOLOGIES` and its arguments; ``pattern`` names a
communication pattern of :data:`netsim.PATTERNS` and its settings dataclass's fields. Validation is
generic: the accepted keys and their types come from the dataclasses' fields and type hints (and a
builder's signature), so a field added to a dataclass is accepted without changes here. An unknown
key gets a close-match suggestion; a wrong type, a missing field, or a value its dataclass refuses
raises :class:`ConfigError` naming the file and the field's path, each once
(``sweep.toml: variant 'ES'.config.sigma = inf must be a finite number``; a dataclass's own
``ESConfig.sigma`` becomes the field's path in the file).
"""

from __future__ import annotations

import collections.abc
import dataclasses
import difflib
import enum
import inspect
import math
import tomllib
import types
import typing
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any, Literal, Union

import networkx as nx

from algorithms import ALGORITHMS
from algorithms.registry import unknown_name_message
from netsim.builders import TOPOLOGIES
from netsim.patterns import PATTERNS
from netsim.scenario import Scenario, Variant
from netsim.sweep import expand, merge

SECTIONS = ("defaults", "grid")
"""Top-level tables of a config file besides the :class:`Scenario` fields."""


class ConfigError(ValueError):
    """A config file is invalid; the message names the file and the field."""


class _Invalid(Exception):
    """A validation failure at ``where`` (a dotted field path), before the file is named."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(_at(where, message))


def _at(where: str, message: str) -> str:
    """``message`` prefixed with ``where``, naming it once: a message that already starts with it
    (a variant names itself as the config does; ``grid key ...`` under ``grid``; a file's name
    under that file's) is kept as it is, so that nested errors never repeat their prefix."""
    if not where or message == where:
        return message or where
    if any(message.startswith(f"{where}{after}") for after in (": ", ".", "[", " ")):
        return message
    return f"{where}: {message}"


def load_config(path: str | Path) -> Scenario:
    """The scenario a TOML config file describes."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as error:  # its own message would name the path again
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    return scenario_from_toml(text, str(path))


def scenario_from_toml(text: str, source: str = "<config>") -> Scenario:
    """The scenario TOML ``text`` describes; ``source`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{source}: not valid TOML: {error}") from None
    return scenario_from_dict(data, source)


def scenario_from_dict(data: Mapping[str, Any], source: str = "<config>") -> Scenario:
    """The scenario config table ``data`` describes (see the module docstring); ``source`` names
    it in errors."""
    try:
        data = _table(data, "")
        scenario_keys = list(inspect.signature(Scenario).parameters)
        _check_keys(data, [*scenario_keys, *SECTIONS], "")
        defaults = _table(data.get("defaults", {}), "defaults")
        grid = _table(data.get("grid", {}), "grid")
        listed = data.get("variants", [])
        if not isinstance(listed, list) or not listed:
            raise _Invalid("variants", "give at least one [[variants]] table")
        variants = [merge(defaults, _table(v, f"variants[{i}]")) for i, v in enumerate(listed)]
        try:
            points = expand(variants, grid)
        except ValueError as error:
            raise _Invalid("grid", str(error)) from None
        fields = {key: value for key, value in data.items() if key not in SECTIONS}
        return _apply(Scenario, {**fields, "variants": points}, "", {"variants": _variants})
    except _Invalid as error:
        raise ConfigError(_at(source, str(error))) from None


def _variants(points: list[dict[str, Any]], where: str) -> list[Variant]:
    return [
        _variant(
            point,
            f"variant {point['name']!r}"
            if isinstance(point.get("name"), str)
            else f"{where}[{index}]",
        )
        for index, point in enumerate(points)
    ]


def _variant(data: dict[str, Any], where: str) -> Variant:
    algorithm = data.get("algorithm")
    if isinstance(algorithm, str):
        _check_choice(algorithm, ALGORITHMS.names(), "algorithm", f"{where}.algorithm")

    def algorithm_config(value: Any, where: str) -> dict[str, Any]:
        """The overrides, checked against the algorithm's config dataclass."""
        config = _apply(ALGORITHMS[str(algorithm)].config_type, _table(value, where), where)
        return {key: getattr(config, key) for key in value}

    special = {"topology": _topology, "config": algorithm_config, "pattern": _pattern}
    return _apply(Variant, data, where, special)


def _pattern(value: Any, where: str) -> Any:
    """A pattern's settings from ``{name = NAME, SETTING = VALUE, ...}``."""
    arguments = dict(_table(value, where))
    name = arguments.pop("name", None)
    if not isinstance(name, str):
        raise _Invalid(f"{where}.name", f"name a pattern: one of {', '.join(PATTERNS)}")
    _check_choice(name, PATTERNS, "communication pattern", f"{where}.name")
    return _apply(PATTERNS[name].settings_type, arguments, where)


def _topology(value: Any, where: str) -> nx.Graph:
    """A builder's graph from ``{builder = NAME, ARGUMENT = VALUE, ...}``."""
    arguments = dict(_table(value, where))
    name = arguments.pop("builder", None)
    if not isinstance(name, str):
        raise _Invalid(f"{where}.builder", f"name a builder: one of {', '.join(TOPOLOGIES)}")
    _check_choice(name, TOPOLOGIES, "topology builder", f"{where}.builder")
    return _apply(TOPOLOGIES[name], arguments, where)


def _apply(
    function: Callable[..., Any],
    data: Mapping[str, Any],
    where: str,
    special: Mapping[str, Callable[[Any, str], Any]] | None = None,
) -> Any:
    """``function(**data)``, each value first checked against ``function``'s signature and type
    hints (or converted by ``special[name]``), in the signature's order; a dataclass is called
    with its init fields. What ``function`` raises as ValueError or TypeError is the config's
    fault, and is reported as such."""
    parameters = inspect.signature(function).parameters
    _check_keys(data, list(parameters), where)
    missing = [
        name
        for name, parameter in parameters.items()
        if parameter.default is inspect.Parameter.empty and name not in data
    ]
    if missing:
        raise _Invalid(where, f"missing required field(s): {', '.join(missing)}")
    hints = typing.get_type_hints(function)
    arguments = {}
    for name in parameters:
        if name in data:
            inner = f"{where}.{name}" if where else name
            convert = (special or {}).get(name)
            arguments[name] = (
                convert(data[name], inner)
                if convert
                else _convert(data[name], hints.get(name, Any), inner)
            )
    try:
        return function(**arguments)
    except (ValueError, TypeError) as error:
        message = str(error)
        own = f"{getattr(function, '__name__', '')}."
        if where and message.startswith(own):  # "ComputeSettings.step_time_s = inf ..." is
            message = f"{where}.{message[len(own) :]}"  # "variant 'v'.compute.step_time_s = ..."
        raise _Invalid(where, message) from None


def _convert(value: Any, hint: Any, where: str) -> Any:
    """``value`` checked against type ``hint`` (lists become tuples where a tuple is wanted)."""
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return value
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _apply(hint, _table(value, where), where)
    if origin in (Union, types.UnionType):
        arms = [arm for arm in arguments if arm is not type(None)]
        for arm in arms:
            try:
                return _convert(value, arm, where)
            except _Invalid:
                continue
        raise _Invalid(where, f"{value!r} is not {' or '.join(_describe(arm) for arm in arms)}")
    if origin is Literal:
        if any(value == choice and type(value) is type(choice) for choice in arguments):
            return value
        close = difflib.get_close_matches(str(value), [str(choice) for choice in arguments], 1)
        suggestion = f" (did you mean {close[0]!r}?)" if close else ""
        raise _Invalid(
            where, f"{value!r} is not one of {', '.join(map(repr, arguments))}{suggestion}"
        )
    if origin is tuple:
        items = _list(value, hint, where)
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            return tuple(_convert(v, arguments[0], f"{where}[{i}]") for i, v in enumerate(items))
        if len(items) != len(arguments):
            raise _Invalid(where, f"give {len(arguments)} values, not {len(items)}")
        return tuple(
            _convert(v, arm, f"{where}[{i}]")
            for i, (v, arm) in enumerate(zip(items, arguments, strict=True))
        )
    if origin in (list, collections.abc.Sequence):
        items = _list(value, hint, where)
        element = arguments[0] if arguments else Any
        return [_convert(v, element, f"{where}[{i}]") for i, v in enumerate(items)]
    if origin in (dict, collections.abc.Mapping):
        element = arguments[1] if arguments else Any
        return {k: _convert(v, element, f"{where}.{k}") for k, v in _table(value, where).items()}
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        if math.isnan(value):
            raise _Invalid(where, "nan is not a number")
        return float(value)
    if hint is int and isinstance(value, bool):
        raise _Invalid(where, f"expected an integer, not {value!r}")
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(value)
        except ValueError:
            choices = ", ".join(repr(member.value) for member in hint)
            raise _Invalid(where, f"{value!r} is not one of {choices}") from None
    if isinstance(hint, type) and isinstance(value, hint):
        return value
    raise _Invalid(where, f"expected {_describe(hint)}, not {type(value).__name__} {value!r}")


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise _Invalid(where, f"expected a table, not {type(value).__name__} {value!r}")
    return dict(value)


def _list(value: Any, hint: Any, where: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise _Invalid(where, f"expected {_describe(hint)}, not {type(value).__name__} {value!r}")
    return list(value)


def _check_keys(data: Mapping[str, Any], known: list[str], where: str) -> None:
    for key in data:
        if key not in known:
            raise _Invalid(where, unknown_name_message("key", key, known))


def _check_choice(value: str, known: Collection[str], what: str, where: str) -> None:
    if value not in known:
        raise _Invalid(where, unknown_name_message(what, value, list(known)))


def _describe(hint: Any) -> str:
    return hint.__name__ if isinstance(hint, type) else str(hint).replace("typing.", "")
