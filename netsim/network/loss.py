"""Packet loss with retransmission.

A transfer of ``wire_bytes`` travels as packets of at most ``mtu_bytes`` (the last one shorter).
Each packet is lost on link h with probability ``loss_h``, independently; a lost packet is sent
again by the source, end to end (our choice), until it arrives. Over a route a packet arrives with
probability ``q = prod_h (1 - loss_h)``, so each packet is sent a geometric number of times with
mean ``1 / q``, and

    E[sent bytes] = wire_bytes / q        (1 / (1 - p) on a single link of loss p).

A lost copy is counted on the whole route (the flow model gives a transfer one size on every link;
a copy lost early did not cross the later links, so link counts err on the high side when loss is
high). The number of resends is drawn once, when the transfer starts: the failures before the k-th
success of Bernoulli(q) trials are negative-binomial.
"""

from __future__ import annotations

import math

import numpy as np

from netsim.topology import Link


def delivery_probability(route: tuple[Link, ...]) -> float:
    """The probability that one packet crosses ``route`` without being lost."""
    return math.prod(1.0 - link.loss for link in route)


def retransmitted_bytes(
    route: tuple[Link, ...], wire_bytes: int, mtu_bytes: int, rng: np.random.Generator
) -> int:
    """Bytes resent for the packets of ``wire_bytes`` lost on ``route``; 0 on a lossless route."""
    arrives = delivery_probability(route)
    if arrives == 1.0 or wire_bytes == 0:
        return 0
    full_packets, last_bytes = divmod(wire_bytes, mtu_bytes)
    resent = 0
    if full_packets:
        resent += int(rng.negative_binomial(full_packets, arrives)) * mtu_bytes
    if last_bytes:
        resent += int(rng.negative_binomial(1, arrives)) * last_bytes
    return resent
