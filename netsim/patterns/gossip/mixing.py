"""Mixing weights: x_i <- sum_j W_ij x_j over agent i and those that send to it (docs/design.md, "Learning without a centre").

* ``metropolis-hastings`` (undirected graphs): W_ij = 1 / (1 + max(d_i, d_j)) for each neighbour j,
  W_ii = 1 - sum of the others; symmetric and doubly stochastic.
* ``uniform`` (undirected graphs): W_ij = 1 / (d_i + 1) for i itself and each neighbour j;
  doubly stochastic on a regular graph (a ring, a torus, a complete graph), row stochastic
  otherwise.
* ``push-sum`` (directed graphs; Kempe et al. 2003, as in stochastic gradient push, Assran et al.
  2019): agent j splits what it holds equally among itself and the d_j agents it sends to,
  W_ij = 1 / (d_j + 1) (d_j its out-degree): column stochastic. Each agent also keeps a weight
  w_i (1 at the start) that is mixed the same way, w_i <- sum_j W_ij w_j, and its parameters are
  the ratio of the two sums; in terms of the parameters z_j an algorithm holds,

      z_i <- sum_j (W_ij w_j / w_i') z_j,   w_i' = sum_j W_ij w_j,

  a convex combination whose fixed point is the plain average on any strongly connected graph.
  The weights are the pattern's (:mod:`netsim.patterns.gossip.pattern`); the rule gives W.
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


def push_sum(graph: nx.DiGraph) -> Weights:
    return [
        sorted((j, 1.0 / (graph.out_degree(j) + 1)) for j in [i, *graph.predecessors(i)])
        for i in sorted(graph.nodes)
    ]


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
MIXING.register("push-sum", push_sum)

FOR_DIRECTED = ("push-sum",)
"""The rules for directed graphs; the others are for undirected ones."""
