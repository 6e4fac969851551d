"""One trial of one variant: build the network, the algorithm's two halves, the processes; run."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

import numpy as np
import pandas as pd
import simpy

from algorithms import ALGORITHMS, Problem
from algorithms.base import AgentPool, Learner, derive_seed
from algorithms.journal import RolloutJournal
from netsim.network import Network
from netsim.recorder import Recorder
from netsim.rounds import TrialParts, make_rounds
from netsim.scenario import Variant

TABLES = ("metrics", "links", "messages", "link_load")
"""The tables a trial produces, by name: ``metrics``, one row per (episode, agent); ``links``, one
row per directed link (:meth:`Network.link_table`); ``messages``, one row per message, only when the
variant's network settings ask for a trace; ``link_load``, one row per (directed link, time bin),
only when they ask for it (``load_bin_s``, :meth:`Network.load_table`)."""

GC_YOUNG_THRESHOLD = 20_000
"""Allocations between collections of the youngest generation while a trial runs (Python's
default is 700). A large trial keeps hundreds of thousands of objects alive (topology, agents,
events in flight), and the default makes the collector sweep them over and over: a third of the
time of a 10,000-agent trial, for no memory saved."""

NETWORK_SEED_KEY = 1_000
"""The child of a trial's seed that drives the network (packet loss); the algorithms use 0-999."""


def simulate(
    variant: Variant,
    episodes: int,
    seed: np.random.SeedSequence,
    journal: RolloutJournal | None = None,
) -> dict[str, pd.DataFrame]:
    """The tables of one trial of ``variant``, by name (see :data:`TABLES`); its agents keep their
    costly batches in ``journal`` and replay those it holds (:mod:`algorithms.journal`)."""
    algorithm = ALGORITHMS[variant.algorithm]
    config = variant.resolved_config()
    problem = Problem(variant.env, variant.n_agents, seed, journal)
    learner, agents = (
        algorithm.learner_type(config, problem),
        algorithm.agents_type(config, problem),
    )
    return simulate_from(variant, episodes, seed, learner, agents)


def simulate_from(
    variant: Variant,
    episodes: int,
    seed: np.random.SeedSequence,
    learner: Learner,
    agents: AgentPool,
) -> dict[str, pd.DataFrame]:
    """The tables of ``episodes`` rounds of ``variant`` played by ``learner`` and ``agents`` as
    they are (the benchmark starts them from a trained policy); ``seed`` drives the network."""
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
    recorder = Recorder(episodes, topology.n_agents)
    parts = TrialParts(env, network, learner, agents, recorder, variant.compute)
    rounds = make_rounds(parts, variant.rounds)
    env.process(rounds.learner_process(episodes))
    with fewer_collections():
        env.run()
    tables = {"metrics": recorder.to_frame(), "links": network.link_table()}
    for name, table in (("messages", network.trace_table()), ("link_load", network.load_table())):
        if table is not None:
            tables[name] = table
    return tables


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often inside the block (see
    :data:`GC_YOUNG_THRESHOLD`); its thresholds are restored after."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(GC_YOUNG_THRESHOLD, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
