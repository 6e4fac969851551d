"""The central pattern's settings: which round policy the learner runs, and its parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal, get_args

from netsim.patterns.base import PatternSettings

Policy = Literal["barrier", "deadline", "async"]
LateReports = Literal["drop", "carry"]
POLICIES: tuple[str, ...] = get_args(Policy)
LATE_REPORTS: tuple[str, ...] = get_args(LateReports)


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

    def __post_init__(self) -> None:
        if self.policy not in POLICIES:
            raise ValueError(
                f"unknown central round policy {self.policy!r}; known: {', '.join(POLICIES)}"
            )
        if self.late_reports not in LATE_REPORTS:
            raise ValueError(
                f"CentralSettings.late_reports = {self.late_reports!r}; "
                f"known: {', '.join(LATE_REPORTS)}"
            )
        if self.policy == "deadline":
            if self.deadline_s is None or not self.deadline_s > 0:
                raise ValueError(
                    f"the deadline round policy needs deadline_s > 0, not {self.deadline_s!r}"
                )
        elif self.deadline_s is not None:
            raise ValueError(f"deadline_s is set but the round policy is {self.policy!r}")
        if not self.updates_every >= 1:
            raise ValueError(f"CentralSettings.updates_every = {self.updates_every!r} must be >= 1")

    def check(self, n_agents: int) -> None:
        """Raise if these settings cannot run with ``n_agents`` agents."""
        if self.policy == "async" and self.updates_every > n_agents:
            raise ValueError(
                f"CentralSettings.updates_every = {self.updates_every} exceeds the "
                f"{n_agents} agents: the learner would never update"
            )
