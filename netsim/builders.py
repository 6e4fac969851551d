"""Topology builders: the common shapes as NetworkX graphs, ready for :class:`netsim.Topology`.

Every builder names its nodes ``learner`` (where it has one), ``agent-0`` ... ``agent-{n-1}`` and,
where it has them, ``router`` or ``edge-0`` ... Agents may be heterogeneous: a per-agent setting (an access link's
``bandwidth_bps``, ``latency_s`` or packet ``loss``) is given as

* one number, the same for every agent;
* a sequence of ``n_agents`` numbers, agent i taking the i-th;
* a distribution to draw ``n_agents`` values from with ``seed``: a frozen ``scipy.stats``
  distribution (``scipy.stats.lognorm(0.5, scale=1e6)``) or a mapping naming one
  (``{"distribution": "uniform", "loc": 1e5, "scale": 9e5}``), as a config file would.

The builders check only their own arguments; :class:`netsim.Topology` validates the graph.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeAlias

import networkx as nx
import numpy as np

from algorithms.checks import integer, number
from algorithms.registry import Registry

PerAgent: TypeAlias = float | Sequence[float] | Mapping[str, Any] | Any
"""A number, a sequence of one number per agent, or a distribution (see the module docstring)."""


def per_agent(
    value: PerAgent, n_agents: int, name: str, rng: np.random.Generator | None = None
) -> list[float]:
    """``value`` resolved to one float per agent, a distribution drawn from with ``rng``;
    ``name`` labels errors."""
    if isinstance(value, numbers.Real | bool | np.bool_ | str):
        return [number(value, name)] * n_agents
    given = value
    if isinstance(value, Mapping):
        value = _named_distribution(value, name)
    if hasattr(value, "rvs"):
        if rng is None:
            raise ValueError(f"{name} is drawn from a distribution, so the builder needs a seed")
        try:
            draws = value.rvs(size=n_agents, random_state=rng)
        except ValueError as error:  # scipy's own message names no setting
            raise ValueError(f"{name} = {given!r} cannot be drawn from: {error}") from None
        return [float(draw) for draw in np.atleast_1d(draws)]
    if isinstance(value, Sequence) and not isinstance(value, str):
        if len(value) != n_agents:
            raise ValueError(f"{name} has {len(value)} values for {n_agents} agents")
        return [number(item, f"{name}[{index}]") for index, item in enumerate(value)]
    raise TypeError(
        f"{name} = {value!r}: give a number, a list of one number per agent, or a distribution"
    )


def star(
    n_agents: int,
    bandwidth_bps: PerAgent,
    latency_s: PerAgent = 0.0,
    *,
    loss: PerAgent = 0.0,
    router: bool = False,
    backbone_bandwidth_bps: float | None = None,
    backbone_latency_s: float = 0.0,
    seed: int | None = None,
) -> nx.Graph:
    """A learner and ``n_agents`` agents, each on its own access link (``bandwidth_bps``,
    ``latency_s``, per agent).

    With ``router=True`` the access links meet at a router joined to the learner by one backbone link
    (``backbone_bandwidth_bps``, default the access bandwidth of agent 0), which every message then
    shares.
    """
    access = _access_links(
        "star", n_agents, seed, bandwidth_bps=bandwidth_bps, latency_s=latency_s, loss=loss
    )
    graph = _with_learner()
    hub = "learner"
    if router:
        hub = "router"
        graph.add_node("router", role="router")
        backbone = backbone_bandwidth_bps or access[0]["bandwidth_bps"]
        graph.add_edge("learner", "router", bandwidth_bps=backbone, latency_s=backbone_latency_s)
    for agent, link in enumerate(access):
        _add_agent(graph, agent, hub, link)
    return graph


def two_tier(
    n_agents: int,
    n_edges: int,
    access_bandwidth_bps: PerAgent,
    backhaul_bandwidth_bps: float,
    *,
    access_latency_s: PerAgent = 0.0,
    access_loss: PerAgent = 0.0,
    backhaul_latency_s: float = 0.0,
    seed: int | None = None,
) -> nx.Graph:
    """Agents on access links to ``n_edges`` edge routers, each joined to a cloud learner by its own
    backhaul link. Agent i sits behind router ``edge-{i * n_edges // n_agents}``: contiguous blocks
    of (nearly) equal size.
    """
    access = _access_links(
        "two_tier",
        n_agents,
        seed,
        access_bandwidth_bps=access_bandwidth_bps,
        access_latency_s=access_latency_s,
        access_loss=access_loss,
    )
    n_edges = _check_count("two_tier", "n_edges", n_edges)
    if n_edges > n_agents:
        raise ValueError(f"two_tier: n_edges = {n_edges} exceeds n_agents = {n_agents}")
    graph = _with_learner()
    for edge in range(n_edges):
        graph.add_node(f"edge-{edge}", role="router")
        graph.add_edge(
            "learner",
            f"edge-{edge}",
            bandwidth_bps=backhaul_bandwidth_bps,
            latency_s=backhaul_latency_s,
        )
    for agent, link in enumerate(access):
        _add_agent(graph, agent, f"edge-{agent * n_edges // n_agents}", link)
    return graph


def line(
    n_agents: int,
    bandwidth_bps: PerAgent,
    latency_s: PerAgent = 0.0,
    *,
    loss: PerAgent = 0.0,
    seed: int | None = None,
) -> nx.Graph:
    """The learner and the agents in a chain, ``learner - agent-0 - agent-1 - ...``: agent i's
    messages cross the links of every agent before it, which forward them. Link i (per agent)
    joins agent i to its predecessor.
    """
    access = _access_links(
        "line", n_agents, seed, bandwidth_bps=bandwidth_bps, latency_s=latency_s, loss=loss
    )
    graph = _with_learner()
    previous = "learner"
    for agent, link in enumerate(access):
        _add_agent(graph, agent, previous, link)
        previous = f"agent-{agent}"
    return graph


def peer_to_peer(
    links: nx.Graph | Sequence[tuple[int, int]],
    bandwidth_bps: float,
    latency_s: float = 0.0,
    *,
    loss: float = 0.0,
) -> nx.Graph:
    """Agents joined directly by peer-to-peer links, with no learner and no router: agent ``i`` is
    node ``i`` of ``links`` (a NetworkX graph on 0 .. n-1, e.g.
    ``networkx.random_regular_graph(4, 10, seed=1)``, or its edges as pairs), and every link has
    the same ``bandwidth_bps``, ``latency_s`` and ``loss``. A message between two agents that are
    not neighbours is forwarded by the agents on its route."""
    shape = links if isinstance(links, nx.Graph) else nx.Graph(list(links))
    n_agents = shape.number_of_nodes()
    if sorted(shape.nodes) != list(range(n_agents)):
        raise ValueError(
            f"peer_to_peer: the agents must be numbered 0 .. n-1; got nodes {sorted(shape.nodes)}"
        )
    graph = nx.Graph()
    graph.add_nodes_from((f"agent-{i}" for i in range(n_agents)), role="agent")
    for i, j in shape.edges:
        graph.add_edge(
            f"agent-{i}", f"agent-{j}", bandwidth_bps=bandwidth_bps, latency_s=latency_s, loss=loss
        )
    return graph


TOPOLOGIES: Registry[Callable[..., nx.Graph]] = Registry("topology builder")
"""Builders by name, for config files and ``netsim list``; ``TOPOLOGIES.register`` adds one."""
for _builder in (star, two_tier, line, peer_to_peer):
    TOPOLOGIES.register(_builder.__name__, _builder)


def build(name: str, **arguments: Any) -> nx.Graph:
    """The graph that builder ``name`` makes from ``arguments``."""
    return TOPOLOGIES[name](**arguments)


def _with_learner() -> nx.Graph:
    graph = nx.Graph()
    graph.add_node("learner", role="learner")
    return graph


def _access_links(
    builder: str, n_agents: int, seed: int | None, **settings: PerAgent
) -> list[dict[str, float]]:
    """The edge attributes of each agent's access link, from the builder's per-agent arguments
    (named as the builder names them; an ``access_`` prefix is dropped), drawn in the order given."""
    n_agents = _check_count(builder, "n_agents", n_agents)
    rng = None if seed is None else np.random.default_rng(seed)
    columns = {
        name.removeprefix("access_"): per_agent(value, n_agents, f"{builder}: {name}", rng)
        for name, value in settings.items()
    }
    return [{name: values[agent] for name, values in columns.items()} for agent in range(n_agents)]


def _add_agent(graph: nx.Graph, agent: int, attach_to: str, link: dict[str, float]) -> None:
    graph.add_node(f"agent-{agent}", role="agent")
    graph.add_edge(attach_to, f"agent-{agent}", **link)


def _check_count(builder: str, name: str, value: int) -> int:
    try:
        return integer(value, f"{builder}: {name}", minimum=1)
    except TypeError as error:
        raise ValueError(str(error)) from None


def _named_distribution(spec: Mapping[str, Any], name: str) -> Any:
    import scipy.stats  # a second to load: only when a distribution is named

    parameters = dict(spec)
    distribution = parameters.pop("distribution", None)
    family = getattr(scipy.stats, str(distribution), None)
    if not isinstance(family, scipy.stats.rv_continuous | scipy.stats.rv_discrete):
        raise ValueError(
            f"{name}: {distribution!r} is not a scipy.stats distribution "
            "(give {'distribution': 'uniform', 'loc': ..., 'scale': ...})"
        )
    try:
        return family(**parameters)
    except TypeError as error:
        raise ValueError(f"{name}: {distribution} does not take {parameters}: {error}") from None
