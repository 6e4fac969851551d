"""How the learner's policy crosses to an agent (``CentralSettings.downlink``).

* ``full``: the policy payload as the algorithm encodes it, every time (the report's model).
* ``delta``: the entries of the float32 policy that changed since the version the agent holds,
  or the whole policy when that is smaller or the agent holds none. A message is

      tag (1 byte: 0 full, 1 delta) | base version + 1 (uint32; 0: none) | payload

  where a full payload is the policy's bytes and a delta's is k uint32 indices followed by the k
  float32 values at them: 5 + 4 n bytes in full against 5 + 8 k as a delta (k entries changed of
  n), so a delta is sent when k < n / 2. An entry counts as changed when its bits differ (exact,
  so the agent's copy is the learner's policy, bit for bit, after every delivery: checked on every
  one). A Q table that a round's samples touch in a few cells, or a policy an aggregation left
  alone, costs a few bytes instead of the whole.

The base is the newest version the learner knows the agent received (a transport's
acknowledgements tell it); an agent keeps every version a message still in flight may be based on,
so a message that arrives after a newer one is still decoded from its own base.
"""

from __future__ import annotations

import struct
from collections import Counter
from typing import Literal, get_args

import numpy as np

Downlink = Literal["full", "delta"]
DOWNLINKS: list[str] = list(get_args(Downlink))
HEADER = struct.Struct("<BI")
"""A delta downlink message's tag and its base version plus one (0: the agent held none)."""
FULL, DELTA = 0, 1


class Downlinks:
    """The policy messages of one trial, and what each agent holds of the policy."""

    def __init__(self, kind: Downlink, n_agents: int) -> None:
        self.kind = kind
        self.held: list[dict[int, bytes]] = [{} for _ in range(n_agents)]
        """Each agent's received versions that a message in flight may be based on."""
        self.newest = np.full(n_agents, -1, dtype=np.int64)
        """Each agent's newest received version (-1: none)."""
        self._in_flight: list[Counter[int]] = [Counter() for _ in range(n_agents)]
        """Each agent's messages in flight, by base version."""

    def message(self, agent: int, version: int, payload: bytes) -> bytes:
        """What carries ``payload``, the learner's ``version``, to ``agent``."""
        if self.kind == "full":
            return payload
        base = int(self.newest[agent])
        self._in_flight[agent][base] += 1
        if base < 0:
            return HEADER.pack(FULL, 0) + payload
        old = np.frombuffer(self.held[agent][base], dtype="<u4")
        new = np.frombuffer(payload, dtype="<u4")
        changed = np.flatnonzero(old != new).astype("<u4")
        if 2 * len(changed) >= len(new):
            return HEADER.pack(FULL, base + 1) + payload
        values = np.frombuffer(payload, dtype="<f4")[changed]
        return HEADER.pack(DELTA, base + 1) + changed.tobytes() + values.tobytes()

    def ended(self, agent: int, version: int, data: bytes, delivered: bool) -> bytes | None:
        """``data`` for ``version`` reached ``agent`` or was lost; the agent's copy of the policy
        after it (None if lost)."""
        if self.kind == "full":
            return data if delivered else None
        tag, base_plus_one = HEADER.unpack_from(data)
        base = base_plus_one - 1
        in_flight = self._in_flight[agent]
        in_flight[base] -= 1
        copy = None
        if delivered:
            body = data[HEADER.size :]
            if tag == FULL:
                copy = body
            else:
                k = len(body) // 8
                values = np.frombuffer(self.held[agent][base], dtype="<f4").copy()
                values[np.frombuffer(body[: 4 * k], dtype="<u4")] = np.frombuffer(
                    body[4 * k :], "<f4"
                )
                copy = values.tobytes()
            self.held[agent][version] = copy
            self.newest[agent] = max(self.newest[agent], version)
        needed = {base for base, count in in_flight.items() if count > 0}
        for kept in list(self.held[agent]):
            if kept != self.newest[agent] and kept not in needed:
                del self.held[agent][kept]
        return copy
