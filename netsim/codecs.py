"""Codecs for array payloads: what a vector of float32 values costs on the wire, and what arrives.

A codec turns a float32 vector into bytes and back. Lossless ``none`` sends the values as they
are; the others trade accuracy for size, as the decentralised-learning literature does to the
parameters its nodes exchange:

* ``float16``: each value rounded to the nearest half-precision float (IEEE 754 binary16):
  relative error at most 2^-11 for |x| in [2^-14, 65504], absolute error at most 2^-25 below it;
  larger values would overflow to inf, so the codec refuses them. 2 bytes a value.
* ``int8``: one float32 scale s = max|x| / 127, then each value as the int8
  q = floor(x / s + u), u ~ U[0, 1) (stochastic rounding, so E[q s] = x): error below s per value.
  4 + 1 bytes a value.
* ``top-k``: the k entries of largest magnitude (a ``fraction`` of the vector, at least one), as
  uint32 indices and float32 values, the rest 0. 8 bytes a sent entry.

A vector sent again and again from one node to another is a :class:`Stream`. Its first message
to arrive carries the vector in full (float32); after it, the receiver holds an estimate of the
sender's vector, and each message carries the codec's encoding of the change since what the
receiver will hold once the messages already on their way have arrived (the sender learns of each
delivery or loss, as a transport's acknowledgements tell it, so it always knows what the receiver
holds and what is still coming). What a lossy codec leaves out stays in the difference and goes
with a later message, and so does a lost message's part: error feedback (Seide et al. 2014;
Stich et al., NeurIPS 2018; CHOCO-gossip, Koloskova et al., ICML 2019), so nothing given is lost,
only delayed. A lossless codec sends the vector itself every time.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from algorithms.registry import Registry


class Codec(ABC):
    """A way of putting float32 vectors on the wire."""

    name: ClassVar[str]
    lossless: ClassVar[bool] = False

    @abstractmethod
    def encode(self, values: np.ndarray, rng: np.random.Generator) -> bytes:
        """``values`` (float32) as the bytes that cross the network."""

    @abstractmethod
    def decode(self, data: bytes, size: int) -> np.ndarray:
        """The float32 vector of length ``size`` that ``data`` carries."""


@dataclass(frozen=True)
class NoCodec(Codec):
    name: ClassVar[str] = "none"
    lossless: ClassVar[bool] = True

    def encode(self, values: np.ndarray, rng: np.random.Generator) -> bytes:
        return np.asarray(values, dtype="<f4").tobytes()

    def decode(self, data: bytes, size: int) -> np.ndarray:
        return _sized(np.frombuffer(data, dtype="<f4"), size)


@dataclass(frozen=True)
class Float16(Codec):
    name: ClassVar[str] = "float16"

    def encode(self, values: np.ndarray, rng: np.random.Generator) -> bytes:
        largest = float(np.max(np.abs(values), initial=0.0))
        if largest > float(np.finfo(np.float16).max):
            raise ValueError(f"the float16 codec cannot carry {largest:g}: above 65504")
        return np.asarray(values).astype("<f2").tobytes()

    def decode(self, data: bytes, size: int) -> np.ndarray:
        return _sized(np.frombuffer(data, dtype="<f2").astype(np.float32), size)


@dataclass(frozen=True)
class Int8(Codec):
    name: ClassVar[str] = "int8"

    def encode(self, values: np.ndarray, rng: np.random.Generator) -> bytes:
        scale = np.float32(float(np.max(np.abs(values), initial=0.0)) / 127)
        if scale == 0:
            return scale.tobytes() + np.zeros(len(values), dtype=np.int8).tobytes()
        scaled = np.asarray(values, dtype=np.float64) / scale
        q = np.clip(np.floor(scaled + rng.random(len(values))), -127, 127).astype(np.int8)
        return scale.astype("<f4").tobytes() + q.tobytes()

    def decode(self, data: bytes, size: int) -> np.ndarray:
        scale = np.frombuffer(data[:4], dtype="<f4")[0]
        q = np.frombuffer(data[4:], dtype=np.int8)
        return _sized((q.astype(np.float32) * scale).astype(np.float32), size)


@dataclass(frozen=True)
class TopK(Codec):
    name: ClassVar[str] = "top-k"
    fraction: float = 0.1
    """The share of entries sent, at least one."""

    def __post_init__(self) -> None:
        if not 0 < self.fraction <= 1:
            raise ValueError(f"top-k: fraction = {self.fraction!r} must be in (0, 1]")

    def encode(self, values: np.ndarray, rng: np.random.Generator) -> bytes:
        k = max(1, int(round(self.fraction * len(values))))
        chosen = np.sort(np.argpartition(-np.abs(values), k - 1)[:k]).astype("<u4")
        return chosen.tobytes() + np.asarray(values)[chosen].astype("<f4").tobytes()

    def decode(self, data: bytes, size: int) -> np.ndarray:
        k = len(data) // 8
        values = np.zeros(size, dtype=np.float32)
        values[np.frombuffer(data[: 4 * k], dtype="<u4")] = np.frombuffer(data[4 * k :], "<f4")
        return values


@dataclass(frozen=True, eq=False)
class Coded:
    """One message of a :class:`Stream`: its bytes, and what it adds to the receiver's estimate
    (the vector itself when it is ``full``)."""

    data: bytes
    values: np.ndarray
    full: bool


class Stream:
    """One sender's vector as one receiver holds it (module docstring). ``estimate`` is what the
    receiver holds, in float64 (None before the first message arrives).

    Messages may overlap: each is encoded against the estimate plus what the messages still on
    their way add to it, so two in flight never carry the same change twice. The receiver keeps
    the first full vector to arrive; a later one (sent while the first was on its way) is not
    needed and changes nothing, since the sender encodes against the first."""

    def __init__(self, codec: Codec, size: int, rng: np.random.Generator) -> None:
        self.codec, self.size, self.rng = codec, size, rng
        self.estimate: np.ndarray | None = None
        self._on_the_way: list[Coded] = []

    def send(self, values: np.ndarray) -> Coded:
        """The message that brings the receiver's estimate towards ``values``: the vector in full
        until one has arrived (or always, for a lossless codec), then the encoded change. Tell the
        stream how it ended with :meth:`arrived` or :meth:`lost`."""
        values = np.asarray(values, dtype=np.float32)
        if self.estimate is None or self.codec.lossless:
            coded = Coded(values.astype("<f4").tobytes(), values.astype(np.float64), full=True)
        else:
            promised = self.estimate + sum(
                (m.values for m in self._on_the_way if not m.full), np.zeros(self.size)
            )
            data = self.codec.encode((values - promised).astype(np.float32), self.rng)
            coded = Coded(data, self.codec.decode(data, self.size).astype(np.float64), full=False)
        self._on_the_way.append(coded)
        return coded

    def arrived(self, coded: Coded) -> np.ndarray:
        """The receiver's estimate once ``coded`` has arrived."""
        self._on_the_way.remove(coded)
        if coded.full:
            if self.estimate is None or self.codec.lossless:
                self.estimate = _sized(coded.values, self.size)
        else:
            assert self.estimate is not None  # a change is only sent once a full vector arrived
            self.estimate = self.estimate + coded.values
        return self.estimate

    def lost(self, coded: Coded) -> None:
        """``coded`` will never arrive: what it carried goes with a later message."""
        self._on_the_way.remove(coded)


class Residual:
    """Error feedback for vectors each sent once (a gradient, an update): a message carries the
    codec's encoding of the vector plus the residual, what earlier messages left out or lost, and
    the residual keeps what this one leaves out (Seide et al. 2014; Stich et al. 2018):

        message_t = C(g_t + e_t),   e_{t+1} = g_t + e_t - D(message_t)   (+ D(message) if it is lost)

    so the vectors given equal what arrived plus the residual plus what is on its way. A lossless
    codec sends each vector as it is and keeps no residual."""

    def __init__(self, codec: Codec, size: int, rng: np.random.Generator) -> None:
        self.codec, self.size, self.rng = codec, size, rng
        self.residual = np.zeros(size)

    def send(self, values: np.ndarray) -> Coded:
        """The message for ``values``; ``Coded.values`` is what it adds at the receiver."""
        if self.codec.lossless:
            exact = np.asarray(values, dtype="<f4")
            return Coded(exact.tobytes(), exact.astype(np.float64), full=True)
        total = self.residual + _sized(np.asarray(values, dtype=np.float64), self.size)
        data = self.codec.encode(total.astype(np.float32), self.rng)
        decoded = self.codec.decode(data, self.size).astype(np.float64)
        self.residual = total - decoded
        return Coded(data, decoded, full=False)

    def lost(self, coded: Coded) -> None:
        """``coded`` will never arrive: what it carried goes back into the residual."""
        if not self.codec.lossless:
            self.residual = self.residual + coded.values


def make_codec(name: str, options: Mapping[str, Any], setting: str) -> Codec:
    """The codec ``name`` with ``options``; raises naming the codec if it is unknown, or
    ``setting`` (the settings field that chose it) if the options do not fit it."""
    codec_type = CODECS[name]
    try:
        return codec_type(**options)
    except TypeError as error:
        raise ValueError(
            f"{setting}_options {dict(options)!r} do not fit the {name} codec: {error}"
        ) from error


def _sized(values: np.ndarray, size: int) -> np.ndarray:
    if len(values) != size:
        raise ValueError(f"a payload of {len(values)} values where {size} were expected")
    return values


CODECS: Registry[Callable[..., Codec]] = Registry("codec")
"""Codec types by name, each made with its options (``CODECS["top-k"](fraction=0.01)``);
``CODECS.register`` adds one."""
for _codec in (NoCodec, Float16, Int8, TopK):
    CODECS.register(_codec.name, _codec)
