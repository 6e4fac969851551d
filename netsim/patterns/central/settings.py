"""The central pattern's settings: which round policy the learner runs, and its parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal, get_args

from algorithms.checks import integer, number
from algorithms.registry import unknown_name_message
from netsim.patterns.base import PatternSettings
from netsim.patterns.central.downlink import DOWNLINKS, Downlink

Policy = Literal["barrier", "deadline", "async"]
LateReports = Literal["drop", "carry"]
POLICIES: list[str] = list(get_args(Policy))
LATE_REPORTS: list[str] = list(get_args(LateReports))


@dataclass(frozen=True)
class CentralSettings(PatternSettings):
    """A central learner and its agents: how the learner decides what to update from and when
    (see :mod:`netsim.patterns.central`)."""

    pattern: ClassVar[str] = "central"

    policy: Policy = "barrier"
    """``barrier``: wait for every agent; ``deadline``: aggregate what arrived ``deadline_s``
    after the broadcast; ``async``: update after every ``updates_every`` arrivals."""
    deadline_s: float | None = None
    """``deadline``: seconds from the broadcast to the aggregation (required, > 0)."""
    late_reports: LateReports = "drop"
    """``deadline``: a report that misses its round's deadline is dropped, or carried into the
    aggregation of the round in which it arrives."""
    updates_every: int = 1
    """``async``: k, the arrivals (reports or notices) per update; 1 <= k <= n."""
    downlink: Downlink = "full"
    """How the policy crosses to an agent: ``full`` every time, or ``delta``, the entries that
    changed since the version the agent holds (:mod:`netsim.patterns.central.downlink`)."""

    def __post_init__(self) -> None:
        if self.policy not in POLICIES:
            raise ValueError(unknown_name_message("central round policy", self.policy, POLICIES))
        if self.late_reports not in LATE_REPORTS:
            raise ValueError(
                unknown_name_message(
                    "CentralSettings.late_reports", self.late_reports, LATE_REPORTS
                )
            )
        if self.policy == "deadline":
            if self.deadline_s is None:
                raise ValueError("the deadline round policy needs deadline_s > 0, not None")
            deadline = number(self.deadline_s, "CentralSettings.deadline_s", above=0)
            object.__setattr__(self, "deadline_s", deadline)
        elif self.deadline_s is not None:
            raise ValueError(f"deadline_s is set but the round policy is {self.policy!r}")
        if self.downlink not in DOWNLINKS:
            raise ValueError(
                unknown_name_message("CentralSettings.downlink", self.downlink, DOWNLINKS)
            )
        every = integer(self.updates_every, "CentralSettings.updates_every", minimum=1)
        object.__setattr__(self, "updates_every", every)

    def check(self, n_agents: int) -> None:
        """Raise if these settings cannot run with ``n_agents`` agents."""
        if self.policy == "async" and self.updates_every > n_agents:
            raise ValueError(
                f"CentralSettings.updates_every = {self.updates_every} exceeds the "
                f"{n_agents} agents: the learner would never update"
            )
