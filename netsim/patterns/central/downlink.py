"""How the learner's policy crosses to an agent (``CentralSettings.downlink``).

* ``full``: the policy payload as the algorithm encodes it, every time (the report's model).
* ``delta``: the entries of the float32 policy whose bits changed since the version the agent
  holds, or the whole policy when that is smaller or the agent holds none: k uint32 indices and
  k float32 values against n float32 (a delta is sent when k < n / 2). A Q table that a round's
  samples touch in a few cells, or a policy an aggregation left alone, costs a few bytes.
* ``replay``: the reports the learner updated from since the version the agent holds, with which
  the agent repeats the learner's updates itself (the ES paper's workers share only scalars and
  replay the update from the shared seeds; Salimans et al. 2017). Repeating needs the learner's
  whole state (:meth:`Learner.state_payload`: the policy and any optimiser state the update
  reads), which an agent gets once. Per message, the smallest that works: to an agent that holds
  a state, the replay, or the state again if that is smaller (an agent that missed many rounds);
  to one that holds none, the state if the last update's replay was smaller than the policy (the
  state then pays for itself), else the policy alone. So where an update's reports outweigh the
  policy (ES with many agents and a small network) it is the full downlink. A replaying agent
  spends ``update_time_s`` of simulated compute per update it repeats; k reports of an update
  cost 4 + sum (4 + len) bytes.

With a lossy codec (``CentralSettings.codec``; the ``full`` downlink only), the learner keeps
one estimate of its policy that every agent shares, float32: the first version broadcast as it is,
each later one as the codec's encoding c_v of the change since the last estimate,

    e_v = e_u + D(c_v),   c_v = C(theta_v - e_u)   (u the last version broadcast before v)

so what the codec leaves out stays in theta - e and goes with a later broadcast (error feedback
at the learner, as in compressed-downlink SGD: Tang et al. 2019, DoubleSqueeze). Agents play e_v.
An agent holding e_b is sent c_u for every broadcast u in (b, v], or e_v in full when that is
smaller or it holds nothing, and adds them up itself, in the learner's order: its copy is e_v to
the bit.

Every message but ``full``'s (without a codec) starts with a tag (1 byte) and the base version plus one (uint32;
0: the agent held none): 5 bytes. The base is the newest version the learner knows the agent
received (a transport's acknowledgements tell it); an agent keeps every version a message still in
flight may be based on, so a message that overtakes another is decoded from its own base. After
every delivery the agent's copy of the policy is checked against the learner's version, bit for
bit (a replay that is not exact, an update that is not a function of the state and the reports,
raises).
"""

from __future__ import annotations

import copy
import struct
from collections import Counter
from collections.abc import Sequence
from typing import Literal, get_args

import numpy as np

from algorithms.base import Learner
from netsim.codecs import Codec, NoCodec

Downlink = Literal["full", "delta", "replay"]
DOWNLINKS: list[str] = list(get_args(Downlink))
HEADER = struct.Struct("<BI")
"""A message's tag and its base version plus one (0: the agent held none)."""
FULL, DELTA, REPLAY, STATE, CODED = 0, 1, 2, 3, 4
LENGTH = struct.Struct("<I")


class Downlinks:
    """The policy messages of one trial, and what each agent holds of the policy."""

    def __init__(
        self,
        kind: Downlink,
        n_agents: int,
        learner: Learner | None,
        codec: Codec | None = None,
        rng: np.random.Generator | None = None,
    ) -> None:
        """``learner`` is read by ``replay`` only (its state, and copies of it to replay from);
        ``codec`` codes the ``full`` downlink, drawing any randomness it needs from ``rng``."""
        if kind == "replay" and learner is None:
            raise ValueError("the replay downlink needs the learner whose updates it repeats")
        codec = codec or NoCodec()
        self.coded = not codec.lossless
        if self.coded and (kind != "full" or rng is None):
            raise ValueError("a lossy codec codes the full downlink, with a random generator")
        self.kind = kind
        self.plain = kind == "full" and not self.coded
        """The policy crosses as it is: nothing to track."""
        self.learner = learner
        self.codec, self.rng = codec, rng
        self.estimate: tuple[int, np.ndarray] | None = None
        """Coded: the last version broadcast and the agents' shared estimate of it (float32)."""
        self.steps: dict[int, bytes] = {}
        """Coded: each broadcast's encoding c_v, by version, while an agent may still need it."""
        self.held: list[dict[int, bytes]] = [{} for _ in range(n_agents)]
        """Each agent's received versions that a message in flight may be based on."""
        self.newest = np.full(n_agents, -1, dtype=np.int64)
        """Each agent's newest received version (-1: none)."""
        self._in_flight: list[Counter[int]] = [Counter() for _ in range(n_agents)]
        """Each agent's messages in flight, by base version."""
        self.updates: dict[int, list[bytes]] = {}
        """``replay``: the reports of the update from version v to v + 1, by v."""
        self.replicas: dict[int, Learner] = {}
        """``replay``: the learner's state at the versions agents hold or are being sent."""
        self._pinned: Counter[int] = Counter({-1: n_agents})
        """``replay``: why each version's replica is kept: one count per agent that holds it as
        its newest, per message in flight based on it, and per message in flight to it."""
        self.has_state = np.zeros(n_agents, dtype=bool)
        """``replay``: whether the agent's newest version came with the learner's state (it can
        replay from it) or as a policy alone."""

    def policy(self, version: int, payload: bytes) -> bytes:
        """What the agents play at ``version``, whose policy is ``payload``: the policy itself, or
        under a lossy codec the shared estimate of it (made when the version is first sent)."""
        if not self.coded:
            return payload
        if self.estimate is None or self.estimate[0] != version:
            values = np.frombuffer(_float32s(payload, "codec"), dtype="<f4")
            if self.estimate is None:
                estimate = values.copy()
            else:
                data = self.codec.encode(values - self.estimate[1], self.rng)
                estimate = self.estimate[1] + self.codec.decode(data, len(values))
                self.steps[version] = data
            self.estimate = (version, estimate)
        return self.estimate[1].tobytes()

    def updated(self, version: int, reports: Sequence[bytes]) -> None:
        """The learner went from ``version`` to the next with ``reports``."""
        if self.kind == "replay":
            self.updates[version] = list(reports)

    def message(self, agent: int, version: int, payload: bytes) -> bytes:
        """What carries ``payload``, the learner's ``version``, to ``agent``."""
        if self.plain:
            return payload
        base = int(self.newest[agent])
        self._in_flight[agent][base] += 1
        if self.coded:
            return self._coded(base, version, payload)
        if self.kind == "delta":
            return self._delta(agent, base, payload)
        assert self.learner is not None  # __init__ refuses replay without one
        self._pinned.update((base, version))
        policy = HEADER.pack(FULL, base + 1) + payload
        state = HEADER.pack(STATE, base + 1) + self.learner.state_payload()
        if base >= 0 and self.has_state[agent]:
            replay = HEADER.pack(REPLAY, base + 1) + _updates(
                [self.updates[v] for v in range(base, version)]
            )
            if len(replay) <= len(state):
                return replay
        else:
            last = self.updates.get(version - 1)
            if last is None or HEADER.size + len(_updates([last])) >= len(policy):
                return policy
        if version not in self.replicas:
            self.replicas[version] = copy.deepcopy(self.learner)
        return state

    def _coded(self, base: int, version: int, estimate: bytes) -> bytes:
        full = HEADER.pack(FULL, base + 1) + estimate
        if base < 0:
            return full
        chain = HEADER.pack(CODED, base + 1) + _updates(
            [[self.steps[v] for v in sorted(self.steps) if base < v <= version]]
        )
        return chain if len(chain) < len(full) else full

    def _delta(self, agent: int, base: int, payload: bytes) -> bytes:
        _float32s(payload, "delta downlink")
        if base < 0:
            return HEADER.pack(FULL, 0) + payload
        old = np.frombuffer(self.held[agent][base], dtype="<u4")
        new = np.frombuffer(payload, dtype="<u4")
        changed = np.flatnonzero(old != new).astype("<u4")
        if 2 * len(changed) >= len(new):
            return HEADER.pack(FULL, base + 1) + payload
        values = np.frombuffer(payload, dtype="<f4")[changed]
        return HEADER.pack(DELTA, base + 1) + changed.tobytes() + values.tobytes()

    def ended(
        self, agent: int, version: int, data: bytes, delivered: bool
    ) -> tuple[bytes | None, int]:
        """``data`` for ``version`` reached ``agent`` or was lost: the agent's copy of the policy
        after it (None if lost), and how many updates it repeated to get it."""
        if self.plain:
            return (data if delivered else None), 0
        tag, base_plus_one = HEADER.unpack_from(data)
        base = base_plus_one - 1
        self._in_flight[agent][base] -= 1
        if self.kind == "replay":
            self._pinned.subtract((base, version))
        policy, replayed = None, 0
        if delivered:
            body = data[HEADER.size :]
            if tag == FULL:
                policy = body
            elif tag == DELTA:
                k = len(body) // 8
                values = np.frombuffer(self.held[agent][base], dtype="<f4").copy()
                values[np.frombuffer(body[: 4 * k], dtype="<u4")] = np.frombuffer(
                    body[4 * k :], "<f4"
                )
                policy = values.tobytes()
            elif tag == CODED:
                values = np.frombuffer(self.held[agent][base], dtype="<f4")
                for step in _records(body):
                    values = values + self.codec.decode(step, len(values))
                policy = values.tobytes()
            else:
                if tag == REPLAY:
                    replayed = version - base
                    self._replay(base, version)
                policy = self.replicas[version].policy_payload()
            self.held[agent][version] = policy
            if version > self.newest[agent]:
                if self.kind == "replay":
                    self._pinned.subtract((int(self.newest[agent]),))
                    self._pinned.update((version,))
                self.newest[agent] = version
                self.has_state[agent] = tag in (REPLAY, STATE)
        self._forget(agent)
        return policy, replayed

    def _replay(self, base: int, version: int) -> None:
        """The learner's state at ``version``, repeated from its state at ``base``; an agent
        replaying the same updates from the same state gets the same, so it is made once."""
        if version in self.replicas:
            return
        replica = copy.deepcopy(self.replicas[base])
        for v in range(base, version):
            replica.update(self.updates[v])
        self.replicas[version] = replica

    def _forget(self, agent: int) -> None:
        """Drop the versions no message in flight is based on and nobody holds as its newest."""
        bases = {base for base, count in self._in_flight[agent].items() if count > 0}
        for kept in list(self.held[agent]):
            if kept != self.newest[agent] and kept not in bases:
                del self.held[agent][kept]
        if self.coded:
            holding = self.newest[self.newest >= 0]
            oldest = int(holding.min()) if len(holding) == len(self.newest) else -1
            for version in [v for v in self.steps if v <= oldest]:
                del self.steps[version]
        if self.kind == "replay":
            self._pinned = +self._pinned  # drops the versions nothing pins any more
            needed = set(self._pinned) - {-1}
            for version in [v for v in self.replicas if v not in needed]:
                del self.replicas[version]
            oldest = min(needed, default=0)
            for version in [v for v in self.updates if v < oldest]:
                del self.updates[version]


def _updates(updates: Sequence[Sequence[bytes]]) -> bytes:
    """The reports of consecutive updates: per update its count, then each report's length and
    bytes."""
    parts = []
    for reports in updates:
        parts.append(LENGTH.pack(len(reports)))
        for report in reports:
            parts.extend((LENGTH.pack(len(report)), report))
    return b"".join(parts)


def _records(body: bytes) -> list[bytes]:
    """The reports of the one update :func:`_updates` wrote into ``body``."""
    (count,) = LENGTH.unpack_from(body)
    records, at = [], LENGTH.size
    for _ in range(count):
        (length,) = LENGTH.unpack_from(body, at)
        records.append(body[at + LENGTH.size : at + LENGTH.size + length])
        at += LENGTH.size + length
    return records


def _float32s(payload: bytes, what: str) -> bytes:
    """``payload``, which the ``what`` reads as float32 values; raises if it cannot be."""
    if len(payload) % 4:
        raise ValueError(
            f"the {what} needs a policy of float32 values; this one is {len(payload)} bytes"
        )
    return payload
