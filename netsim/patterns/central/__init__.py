"""The ``central`` pattern: one learner, n agents, rounds (report Algorithm 2; docs/design.md, "Communication patterns").

How the learner decides what to update from, and when, is its round policy:

* ``barrier`` (:mod:`~netsim.patterns.central.barrier`): wait for every agent; silent agents send
  a notice.
* ``deadline`` (:mod:`~netsim.patterns.central.deadline`): aggregate what arrived by a deadline;
  late reports dropped or carried into the next aggregation.
* ``async`` (:mod:`~netsim.patterns.central.asynchronous`): update after every k arrivals; agents
  play on the versions they last received, and each used report's staleness is recorded.

Every algorithm with a central side runs under every policy: a learner updates from whichever
reports it is given (:meth:`algorithms.base.Learner.update`), each report naming what it was
computed from.
"""

from netsim.patterns.central.pattern import ROUND_POLICIES, Central
from netsim.patterns.central.rounds import Rounds
from netsim.patterns.central.settings import CentralSettings

__all__ = ["ROUND_POLICIES", "Central", "CentralSettings", "Rounds"]
