"""Mixing weights: x_i <- sum_j W_ij x_j over agent i and those that send to it (docs/design.md, "Learning without a centre").

* ``metropolis-hastings`` (undirected graphs): W_ij = 1 / (1 + max(d_i, d_j)) for each neighbour j,
  W_ii = 1 - sum of the others; symmetric and doubly stochastic.
* ``uniform``: W_ij = 1 / (d_i + 1) for i itself and each j that sends to i (d_i its in-degree).
  Doubly stochastic on a regular graph (a ring, a torus, a complete graph; the exponential graphs,
  where each agent sends to as many as it receives from), row stochastic otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import numpy as np

from algorithms.registry import Registry

Weights = list[list[tuple[int, float]]]
"""Row i: ``(j, W_ij)`` for i itself and every agent that sends to i, in increasing j."""


def metropolis_hastings(graph: nx.DiGraph) -> Weights:
    rows: Weights = []
    for i in sorted(graph.nodes):
        senders = sorted(graph.predecessors(i))
        row = [(j, 1.0 / (1 + max(graph.in_degree(i), graph.in_degree(j)))) for j in senders]
        row.append((i, 1.0 - sum(weight for _, weight in row)))
        rows.append(sorted(row))
    return rows


def uniform(graph: nx.DiGraph) -> Weights:
    rows: Weights = []
    for i in sorted(graph.nodes):
        members = sorted([i, *graph.predecessors(i)])
        rows.append([(j, 1.0 / len(members)) for j in members])
    return rows


def matrix(weights: Weights) -> np.ndarray:
    """W as a dense n x n matrix (for analysis and tests)."""
    n = len(weights)
    w = np.zeros((n, n))
    for i, row in enumerate(weights):
        for j, weight in row:
            w[i, j] = weight
    return w


MIXING: Registry[Callable[[nx.DiGraph], Weights]] = Registry("mixing rule")
"""Mixing rules by name: ``rule(graph) -> weights``."""
MIXING.register("metropolis-hastings", metropolis_hastings)
MIXING.register("uniform", uniform)

UNDIRECTED_ONLY = ("metropolis-hastings",)
"""Rules defined only where every edge goes both ways."""
