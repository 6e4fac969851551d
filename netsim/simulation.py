"""One trial of one variant: build the network, the algorithm's two halves, the processes; run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import simpy

from algorithms import ALGORITHMS, Problem
from netsim.network import Network
from netsim.processes import BarrierRounds
from netsim.recorder import Recorder
from netsim.scenario import Variant

TABLES = ("metrics",)
"""The tables a trial produces, by name: ``metrics``, one row per (episode, agent)."""


def simulate(
    variant: Variant, episodes: int, seed: np.random.SeedSequence
) -> dict[str, pd.DataFrame]:
    """The tables of one trial of ``variant``, by name (see :data:`TABLES`)."""
    topology = variant.validated_topology
    algorithm = ALGORITHMS[variant.algorithm]
    config = variant.resolved_config()
    problem = Problem(variant.env, topology.n_agents, seed)
    env = simpy.Environment()
    recorder = Recorder(episodes, topology.n_agents)
    rounds = BarrierRounds(
        env,
        Network(env, topology, variant.network.model, variant.network.framing),
        algorithm.learner_type(config, problem),
        algorithm.agents_type(config, problem),
        recorder,
        variant.compute,
    )
    env.process(rounds.learner_process(episodes))
    env.run()
    return {"metrics": recorder.to_frame()}
