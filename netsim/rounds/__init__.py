"""Round policies: how the learner decides what to update from, and when (DESIGN.md, "Round
policies"; SPEC.md section 5).

* ``barrier`` (:mod:`netsim.rounds.barrier`): wait for every agent; silent agents send a notice.
* ``deadline`` (:mod:`netsim.rounds.deadline`): aggregate what arrived by a deadline; late reports
  dropped or carried into the next aggregation.
* ``async`` (:mod:`netsim.rounds.asynchronous`): update after every k arrivals; agents play on the
  versions they last received, and each used report's staleness is recorded.

Every algorithm runs under every policy: a learner updates from whichever reports it is given
(:meth:`algorithms.base.Learner.update`), each report naming what it was computed from.
"""

from netsim.rounds.asynchronous import AsyncRounds
from netsim.rounds.barrier import BarrierRounds
from netsim.rounds.base import Rounds, TrialParts
from netsim.rounds.deadline import DeadlineRounds
from netsim.rounds.settings import RoundSettings

ROUND_POLICIES: dict[str, type[Rounds]] = {
    "barrier": BarrierRounds,
    "deadline": DeadlineRounds,
    "async": AsyncRounds,
}


def make_rounds(parts: TrialParts, settings: RoundSettings) -> Rounds:
    """The round policy ``settings`` names, driving ``parts``."""
    return ROUND_POLICIES[settings.policy](parts, settings)


__all__ = ["ROUND_POLICIES", "RoundSettings", "Rounds", "TrialParts", "make_rounds"]
