"""The ``central`` pattern: a learner and its agents, in rounds ended by a round policy."""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import TYPE_CHECKING

from algorithms.base import AgentPool, Learner
from algorithms.registry import Registry
from netsim.patterns.base import Pattern, Trial
from netsim.patterns.central.asynchronous import AsyncRounds
from netsim.patterns.central.barrier import BarrierRounds
from netsim.patterns.central.deadline import DeadlineRounds
from netsim.patterns.central.recorder import Recorder
from netsim.patterns.central.rounds import CentralParts, Rounds
from netsim.patterns.central.settings import POLICIES, CentralSettings
from netsim.topology import Topology

if TYPE_CHECKING:
    import pandas as pd

ROUND_POLICIES: Registry[type[Rounds]] = Registry("central round policy")
"""The learner's process for each round policy a :class:`CentralSettings` names."""
for _name, _rounds in zip(POLICIES, (BarrierRounds, DeadlineRounds, AsyncRounds), strict=True):
    ROUND_POLICIES.register(_name, _rounds)


class Central(Pattern):
    """Report Algorithm 2: the learner sends its policy down to every agent, each agent plays and
    reports up, the learner updates; :class:`CentralSettings` chooses how a round ends."""

    settings_type = CentralSettings
    side = "central"

    @classmethod
    def pairs(
        cls, settings: CentralSettings, topology: Topology
    ) -> Iterator[tuple[Hashable, Hashable]]:
        """The learner to every agent and back."""
        learner = topology.learner
        if learner is None:
            raise ValueError("the central pattern needs a node with role 'learner'; there is none")
        for agent in topology.agents:
            yield learner, agent
            yield agent, learner

    def __init__(
        self, trial: Trial, settings: CentralSettings, side: tuple[Learner, AgentPool]
    ) -> None:
        learner, agents = side
        self.trial = trial
        self.recorder = Recorder(trial.episodes, trial.topology.n_agents)
        parts = CentralParts(trial, learner, agents, self.recorder)
        self.rounds = ROUND_POLICIES[settings.policy](parts, settings)

    def start(self) -> None:
        self.trial.env.process(self.rounds.learner_process(self.trial.episodes))

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"metrics": self.recorder.to_frame()}
