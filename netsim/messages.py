"""Messages and their size on the wire.

A message's payload is the real encoded bytes an algorithm produced; its size on the wire adds one
header per packet:

    packets    = max(1, ceil(payload_bytes / (mtu_bytes - header_bytes)))
    wire_bytes = payload_bytes + packets * header_bytes

so an empty payload (a "nothing to send" notice) is one header-only packet.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from algorithms.checks import integer

IntOrArray = TypeVar("IntOrArray", int, np.ndarray)


class Kind(enum.StrEnum):
    """What a message is for, whoever sends it to whom; control traffic is never counted as a
    report. Its direction (up to the learner, down from it, or between peers) is the roles of its
    two ends, not its kind."""

    PARAMS = "params"
    """Parameters: the learner's policy to an agent, or an agent's own to a neighbour, to mix."""
    REPORT = "report"
    """An agent's z_i^k, to the learner or to a neighbour."""
    CONTROL = "control"
    """A header-only "nothing to send" notice, so that whoever waits for a report stops waiting."""


@dataclass(frozen=True)
class Framing:
    """Packetisation: maximum packet size and per-packet header, both in bytes."""

    mtu_bytes: int = 1500
    """Largest packet, header included (Ethernet's 1500 by default)."""
    header_bytes: int = 40
    """Per-packet header (IPv4 + TCP without options: 20 + 20)."""

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "header_bytes", integer(self.header_bytes, "Framing.header_bytes", minimum=0)
        )
        object.__setattr__(self, "mtu_bytes", integer(self.mtu_bytes, "Framing.mtu_bytes"))
        if self.mtu_bytes <= self.header_bytes:
            raise ValueError(
                f"Framing.mtu_bytes = {self.mtu_bytes} must exceed header_bytes = {self.header_bytes}"
            )

    def wire_bytes(self, payload_bytes: IntOrArray) -> IntOrArray:
        """Bytes on the wire for a payload of ``payload_bytes`` (or for each of an integer array
        of payload sizes)."""
        packets = -(-payload_bytes // (self.mtu_bytes - self.header_bytes))
        packets = packets + (packets == 0)  # an empty payload still takes one packet
        return payload_bytes + packets * self.header_bytes


@dataclass(slots=True)
class Message:
    """One message in flight or delivered."""

    src: Hashable
    dst: Hashable
    kind: Kind
    payload: bytes
    wire_bytes: int
    sent_at_s: float
    delivered_at_s: float = float("nan")
    """When it arrived, or when it was given up (``failed``)."""
    retransmitted_bytes: int = 0
    """Wire bytes resent for its lost packets."""
    failed: bool = False
    """True if an outage ended it before it arrived (the ``fail`` outage policy)."""
