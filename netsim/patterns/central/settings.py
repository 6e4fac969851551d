"""The central pattern's settings: which round policy the learner runs, and its parameters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, get_args

from algorithms.checks import integer, number
from algorithms.registry import unknown_name_message
from netsim.codecs import Codec, make_codec
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
    """How the policy crosses to an agent: ``full`` every time; ``delta``, the entries that
    changed since the version the agent holds; ``replay``, the updates to repeat
    (:mod:`netsim.patterns.central.downlink`)."""
    codec: str = "none"
    """How the policy is coded on the ``full`` downlink (:data:`netsim.codecs.CODECS`): ``none``
    exactly; a lossy codec (``float16``, ``int8``, ``top-k``) as one broadcast of the change since
    the last version sent, which every agent adds to the same estimate, what it leaves out going
    later (error feedback; the agents play the estimate)."""
    codec_options: Mapping[str, Any] = field(default_factory=dict)
    """The policy codec's options: ``fraction`` for ``top-k``."""
    report_codec: str = "none"
    """How reports are coded on the uplink, where the algorithm's reports are float32 vectors
    (DAVIA's gradients): ``none`` exactly; a lossy codec with error feedback per agent
    (:class:`netsim.codecs.Residual`)."""
    report_codec_options: Mapping[str, Any] = field(default_factory=dict)
    """The report codec's options."""

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
        if not self.make_codec().lossless and self.downlink != "full":
            raise ValueError(
                f"CentralSettings.codec = {self.codec!r} codes the full downlink; the "
                f"{self.downlink} downlink is exact and takes no codec"
            )
        self.make_report_codec()

    def make_codec(self) -> Codec:
        """The codec the policy crosses with; raises naming a bad option."""
        return make_codec(self.codec, self.codec_options, "CentralSettings.codec")

    def make_report_codec(self) -> Codec:
        """The codec vector reports cross with; raises naming a bad option."""
        return make_codec(
            self.report_codec, self.report_codec_options, "CentralSettings.report_codec"
        )

    def check(self, n_agents: int) -> None:
        """Raise if these settings cannot run with ``n_agents`` agents."""
        if self.policy == "async" and self.updates_every > n_agents:
            raise ValueError(
                f"CentralSettings.updates_every = {self.updates_every} exceeds the "
                f"{n_agents} agents: the learner would never update"
            )
