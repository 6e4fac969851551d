"""One trial of one variant: build the network, the algorithm's side its pattern drives, the
pattern's processes; run."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import simpy

from algorithms import ALGORITHMS, Problem
from algorithms.base import derive_seed
from netsim.journal import RolloutJournal
from netsim.network import Network
from netsim.patterns import Trial, pattern_of
from netsim.scenario import Variant

TABLES = ("metrics", "consensus", "links", "messages", "link_load")
"""The tables a trial produces, by name: ``metrics``, one row per (episode, agent), and, where the
pattern has one (``gossip``), ``consensus``, one row per (round, agent) (see the patterns'
recorders); ``links``, one row per directed link (:meth:`Network.link_table`); ``messages``, one row
per message, only when the variant's network settings ask for a trace; ``link_load``, one row per
(directed link, time bin), only when they ask for it (``load_bin_s``, :meth:`Network.load_table`).
``docs/tables.md`` describes every column."""

GC_YOUNG_THRESHOLD = 20_000
"""Allocations between collections of the youngest generation while a trial runs (Python's
default is 700). A large trial keeps hundreds of thousands of objects alive (topology, agents,
events in flight), and the default makes the collector sweep them over and over: a third of the
time of a 10,000-agent trial, for no memory saved."""

GC_FULL_THRESHOLD = 1_000
"""Collections of the middle generation between full collections while a trial runs (Python's
default is 10, and it then also waits until the objects that survived since the last full
collection are a quarter of those it kept). A trial keeps most of what it makes until it ends
(records, messages, flows), and a full collection traverses every object in the process: in a
100,000-agent trial of five rounds, twelve of them took 22 of 193 CPU seconds, and with this
threshold three took 2, at the same peak memory (scripts/gc_full.py). Cycles that die after
reaching the oldest generation wait for the first full collection after the trial."""

NETWORK_SEED_KEY = 1_000
"""The child of a trial's seed that drives the network (packet loss); the algorithms use 0-999."""
PATTERN_SEED_KEY = 1_001
"""The child of a trial's seed that drives the pattern's own randomness (a codec's rounding)."""


def simulate(
    variant: Variant,
    episodes: int,
    seed: np.random.SeedSequence,
    journal: RolloutJournal | None = None,
    rollout_workers: int = 1,
) -> dict[str, pd.DataFrame]:
    """The tables of one trial of ``variant``, by name (see :data:`TABLES`); its agents keep their
    costly batches in ``journal`` and replay those it holds (:mod:`netsim.journal`), and may
    spread their rollouts over ``rollout_workers`` threads or processes
    (:attr:`Problem.rollout_workers`)."""
    problem = Problem(variant.env, variant.n_agents, seed, journal, rollout_workers)
    side = pattern_of(variant.settings).make_side(
        ALGORITHMS[variant.algorithm], variant.resolved_config(), problem
    )
    return simulate_from(variant, episodes, seed, side)


def simulate_from(
    variant: Variant, episodes: int, seed: np.random.SeedSequence, side: Any
) -> dict[str, pd.DataFrame]:
    """The tables of ``episodes`` rounds of ``variant`` played by ``side``, the algorithm's side
    its pattern drives (``(learner, agents)`` for ``central``, peers for ``gossip``), as it is
    (the benchmark starts it from a trained policy); ``seed`` drives the network."""
    topology = variant.validated_topology
    env = simpy.Environment()
    settings = variant.network
    network = Network(
        env,
        topology,
        settings.model,
        settings.framing,
        on_outage=settings.on_outage,
        seed=derive_seed(seed, NETWORK_SEED_KEY),
        trace=settings.trace,
        load_bin_s=settings.load_bin_s,
        tcp=settings.tcp,
    )
    trial = Trial(env, network, variant.compute, episodes, derive_seed(seed, PATTERN_SEED_KEY))
    pattern = pattern_of(variant.settings)(trial, variant.settings, side)
    pattern.start()
    with fewer_collections():
        env.run()
    tables = {**pattern.tables(), "links": network.link_table()}
    for name, table in (("messages", network.trace_table()), ("link_load", network.load_table())):
        if table is not None:
            tables[name] = table
    return tables


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often inside the block (see
    :data:`GC_YOUNG_THRESHOLD` and :data:`GC_FULL_THRESHOLD`); its thresholds are restored
    after."""
    thresholds = gc.get_threshold()
    gc.set_threshold(
        max(GC_YOUNG_THRESHOLD, thresholds[0]),
        thresholds[1],
        max(GC_FULL_THRESHOLD, thresholds[2]),
    )
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
