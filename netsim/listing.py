"""What ``netsim list`` prints: algorithms and their settings, communication patterns and theirs,
network models, environments, topology builders and scenarios.

It must answer at once, so it imports no module that loads PyTorch, pandas, SciPy or Gymnasium.
The algorithms are described from their modules' source, read with :mod:`ast` and never run
(their modules import PyTorch): the :class:`algorithms.Algorithm` each assigns (name, summary,
sides) and its config dataclass's fields, base classes' first, as a dataclass orders them. A
setting's default is shown as its source gives it, and its meaning is the first sentence of the
docstring under it (the house style: every config field has one). Field docstrings exist only
in the source, so the patterns' settings are read the same way.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import inspect
import re
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from algorithms import BUILT_IN


@dataclasses.dataclass(frozen=True)
class Setting:
    """One field of a settings dataclass, as its source declares it."""

    name: str
    default: str | None
    """The default's source text (``0.05``, ``(8, 8)``, ``'adam'``); None: it must be given."""
    meaning: str
    """The first sentence of the field's docstring ("" if it has none)."""


@dataclasses.dataclass(frozen=True)
class AlgorithmEntry:
    """A shipped algorithm as its module's source declares it."""

    name: str
    summary: str
    sides: tuple[str, ...]
    config: str
    """The name of its config dataclass."""
    settings: tuple[Setting, ...]


def algorithm_entries() -> list[AlgorithmEntry]:
    """The shipped algorithms (:data:`algorithms.BUILT_IN`), sorted by name."""
    return sorted((_algorithm(module, name) for module, name in BUILT_IN), key=lambda a: a.name)


def registered_entries() -> list[AlgorithmEntry]:
    """The algorithms registered beside the shipped ones (by a file ``netsim list --from``
    imported), in the order they were registered; their settings read from their config
    dataclass's source where it has one, else from its fields (no meanings). This one imports
    :data:`algorithms.ALGORITHMS`, and so PyTorch."""
    from algorithms import ALGORITHMS

    shipped = {entry.name for entry in algorithm_entries()}
    entries = []
    for name, algorithm in ALGORITHMS.items():
        if name in shipped:
            continue
        config = algorithm.config_type
        try:
            settings = settings_of(config.__module__, config.__name__)
        except (LookupError, OSError, SyntaxError):
            settings = tuple(_field_setting(field) for field in dataclasses.fields(config))
        sides = tuple(
            side
            for side, kind in (("central", algorithm.learner_type), ("peers", algorithm.peers_type))
            if kind is not None
        )
        entries.append(AlgorithmEntry(name, algorithm.summary, sides, config.__name__, settings))
    return entries


def _field_setting(field: dataclasses.Field) -> Setting:
    """A setting from a dataclass field alone: its default's repr, no meaning."""
    if field.default is not dataclasses.MISSING:
        default: str | None = repr(field.default)
    elif field.default_factory is not dataclasses.MISSING:
        default = repr(field.default_factory())
    else:
        default = None
    return Setting(field.name, default, "")


def environments() -> dict[str, str]:
    """The Gymnasium ids netsim is built and tested for, each with what it needs beyond netsim's
    own dependencies: Cart Pole, the grid worlds that :mod:`netsim.envs` registers, and MuJoCo
    Ant, Gymnasium's and the forms of it :mod:`netsim.envs` registers (read from its source:
    registering them imports Gymnasium)."""
    worlds, ants = (_literal("netsim.envs", name) for name in ("GRID_WORLDS", "ANT_FORMS"))
    mujoco = "needs the mujoco extra"
    return {
        "CartPole-v1": "",
        **dict.fromkeys(sorted(worlds), ""),
        **dict.fromkeys(["Ant-v5", *ants], mujoco),
    }


def _literal(module: str, name: str) -> Any:
    """The value of the literal ``module`` assigns to ``name``, read from its source."""
    return ast.literal_eval(
        next(
            node.value
            for node in _tree(module).body
            if isinstance(node, ast.Assign) and [_name(t) for t in node.targets] == [name]
        )
    )


def scenario_summary(path: Path, width: int = 100) -> tuple[str, bool]:
    """A scenario file's first sentence (a Python file's docstring, a TOML file's first comment),
    cut at a word to about ``width`` characters, and whether it defines a quick form (assigns
    ``QUICK``); read, never run."""
    text = path.read_text()
    if path.suffix == ".toml":
        comments = [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")]
        return _cut(comments[0] if comments else "", width), False
    tree = ast.parse(text, str(path))
    quick = any(
        isinstance(node, ast.Assign)
        and any(
            isinstance(target, ast.Name | ast.Tuple)
            and "QUICK" in {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
            for target in node.targets
        )
        for node in tree.body
    )
    return _cut(_first_sentence(ast.get_docstring(tree) or ""), width), quick


def _cut(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    return text[: text.rfind(" ", 0, width - 3)] + " ..."


def settings_of(module: str, class_name: str) -> tuple[Setting, ...]:
    """The fields of dataclass ``class_name`` defined in ``module``, read from source: those of
    its base classes first (followed through the module's ``from X import Y``), a field a class
    declares again keeping its first place and taking the new default and meaning."""
    tree = _tree(module)
    found = _class(tree, class_name)
    if found is None:
        home = _imported_from(tree, class_name)
        if home is None:
            raise LookupError(f"{module} neither defines nor imports {class_name}")
        return settings_of(home, class_name)
    fields: dict[str, Setting] = {}
    for base in found.bases:
        if isinstance(base, ast.Name) and base.id != "object":
            fields.update({s.name: s for s in settings_of(module, base.id)})
    fields.update({setting.name: setting for setting in _own_fields(found)})
    return tuple(fields.values())


def lines(imported: Sequence[Path] = ()) -> Iterator[str]:
    """The listing, line by line; with ``imported``, those Python files are imported first, so
    that the algorithms, models and patterns they register are listed too (their algorithms
    after the shipped ones)."""
    from netsim.builders import TOPOLOGIES
    from netsim.catalog import _import, find_scenario, scenario_names
    from netsim.network import MODELS
    from netsim.patterns import PATTERNS
    from netsim.patterns.gossip import COMMUNICATION_GRAPHS, MIXING

    for path in imported:
        if not path.is_file():
            raise FileNotFoundError(f"list --from {path}: no such file")
        _import(path.resolve())
    registered = registered_entries() if imported else []
    yield "algorithms [sides] (settings: a variant's config = { NAME = VALUE, ... }):"
    for entry in [*algorithm_entries(), *registered]:
        yield f"  {entry.name:<20} {entry.summary} [{', '.join(entry.sides)}]"
        yield from _settings_lines(entry.settings)
    yield "communication patterns (a variant's pattern = { name = NAME, SETTING = VALUE, ... }):"
    for name, pattern in PATTERNS.items():
        settings = pattern.settings_type
        yield f"  {name:<20} {pattern.side} side; {settings.__name__}"
        yield from _settings_lines(settings_of(settings.__module__, settings.__name__))
    yield f"  communication graphs (gossip): {', '.join(COMMUNICATION_GRAPHS)}"
    yield f"  mixing rules (gossip): {', '.join(MIXING)}"
    yield "network models:"
    for name, model in sorted(MODELS.items()):
        yield f"  {name:<20} {(model.__doc__ or '').strip().splitlines()[0]}"
    yield "environments:"
    for env_id, needs in environments().items():
        yield f"  {env_id:<20} {needs}".rstrip()
    yield "topologies (config files: topology = { builder = NAME, ... }):"
    for name, builder in TOPOLOGIES.items():
        signature = inspect.signature(builder).replace(return_annotation=inspect.Signature.empty)
        yield f"  {name}{signature}".replace("'", "")
    yield "  or any networkx graph: nodes with role learner/agent/router; edges with"
    yield "  bandwidth_bps and latency_s, optional loss and outages [(start_s, end_s), ...]"
    yield "scenarios (netsim run NAME; [quick]: it has a smoke form, netsim run NAME --quick):"
    names = scenario_names()
    width = max([20, *map(len, names)])
    for name in names:
        path = find_scenario(name)
        summary, quick = scenario_summary(path)
        yield f"  {name:<{width}} {'[quick] ' if quick else ''}{summary}".rstrip()
        yield f"  {'':<{width}} {path}"


def _settings_lines(settings: tuple[Setting, ...]) -> Iterator[str]:
    width = max((len(_assignment(setting)) for setting in settings), default=0)
    for setting in settings:
        yield f"      {_assignment(setting):<{width}}  {setting.meaning}".rstrip()


def _assignment(setting: Setting) -> str:
    return f"{setting.name} = {setting.default if setting.default is not None else '(required)'}"


def _algorithm(module: str, name: str) -> AlgorithmEntry:
    tree = _tree(module)
    call = next(
        (
            node.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and [_name(target) for target in node.targets] == [name]
            and isinstance(node.value, ast.Call)
            and _name(node.value.func) == "Algorithm"
        ),
        None,
    )
    if call is None:
        raise LookupError(f"{module} assigns no {name} = Algorithm(...)")
    given = {keyword.arg: keyword.value for keyword in call.keywords}
    sides = tuple(
        side
        for side, keyword in (("central", "learner_type"), ("peers", "peers_type"))
        if keyword in given and _name(given[keyword]) not in (None, "None")
    )
    config = _name(given["config_type"]) or ""
    return AlgorithmEntry(
        name=ast.literal_eval(given["name"]),
        summary=ast.literal_eval(given["summary"]),
        sides=sides,
        config=config,
        settings=settings_of(module, config),
    )


def _own_fields(definition: ast.ClassDef) -> Iterator[Setting]:
    body = definition.body
    for index, node in enumerate(body):
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            continue
        if "ClassVar" in ast.unparse(node.annotation):
            continue
        following = body[index + 1] if index + 1 < len(body) else None
        doc = (
            following.value.value
            if isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
            else ""
        )
        yield Setting(node.target.id, _default(node.value), _first_sentence(doc))


def _default(value: ast.expr | None) -> str | None:
    """The source of a field's default; ``field(default=X)`` is X, ``field(default_factory=F)``
    is ``F()`` (``{}`` for ``dict``, and so on), and a ``field()`` with neither has none."""
    if value is None:
        return None
    if isinstance(value, ast.Call) and _name(value.func) in ("field", "dataclasses.field"):
        given = {keyword.arg: keyword.value for keyword in value.keywords}
        if "default" in given:
            return ast.unparse(given["default"])
        if "default_factory" in given:
            factory = ast.unparse(given["default_factory"])
            return {"dict": "{}", "list": "[]", "tuple": "()"}.get(factory, f"{factory}()")
        return None
    return ast.unparse(value)


def _first_sentence(doc: str) -> str:
    """The docstring's first sentence on one line, its reST markup (``code``, :data:`~x.NAME`)
    as plain text."""
    text = " ".join(inspect.cleandoc(doc).split())
    text = re.sub(r":\w+:`~?(?:[\w.]*\.)?([^`.]+)`", r"\1", text).replace("``", "")
    match = re.match(r"(.+?[.?!])(?=\s+[A-Z(]|$)", text)
    return match.group(1) if match else text


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant) and node.value is None:
        return "None"
    if isinstance(node, ast.Attribute):
        return ast.unparse(node)
    return None


def _class(tree: ast.Module, name: str) -> ast.ClassDef | None:
    return next(
        (node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == name), None
    )


def _imported_from(tree: ast.Module, name: str) -> str | None:
    for node in tree.body:
        if (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and any((alias.asname or alias.name) == name for alias in node.names)
        ):
            return node.module
    return None


@cache
def _tree(module: str) -> ast.Module:
    """The parsed source of ``module``, found without importing it (only its package is)."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise LookupError(f"no module {module}")
    return ast.parse(Path(spec.origin).read_text(), spec.origin)
