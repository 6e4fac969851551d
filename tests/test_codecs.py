"""Array codecs (netsim/codecs.py): each round trip within its stated error, sizes the
encodings' real lengths, and a stream with a lossy codec sending later what it left out."""

import numpy as np
import pytest

from netsim.codecs import CODECS, Stream

RNG = np.random.default_rng(0)
VALUES = (RNG.normal(size=1000) * np.exp(RNG.normal(size=1000))).astype(np.float32)


def round_trip(name, values, **options):
    codec = CODECS[name](**options)
    data = codec.encode(values, np.random.default_rng(1))
    return data, codec.decode(data, len(values))


def test_none_sends_the_float32_values_exactly():
    data, decoded = round_trip("none", VALUES)
    assert len(data) == 4 * len(VALUES) and np.array_equal(decoded, VALUES)


def test_float16_rounds_each_value_to_within_half_a_unit_in_its_last_place():
    data, decoded = round_trip("float16", VALUES)
    assert len(data) == 2 * len(VALUES)
    normal = np.abs(VALUES) >= 2**-14
    assert (np.abs(decoded - VALUES)[normal] <= 2**-11 * np.abs(VALUES[normal])).all()
    assert (np.abs(decoded - VALUES)[~normal] <= 2**-25).all()
    with pytest.raises(ValueError, match="float16 codec cannot carry 70000"):
        round_trip("float16", np.array([1.0, 70000.0], dtype=np.float32))


def test_int8_errs_by_less_than_one_step_and_is_unbiased():
    data, decoded = round_trip("int8", VALUES)
    step = np.abs(VALUES).max() / 127
    assert len(data) == 4 + len(VALUES)
    assert (np.abs(decoded - VALUES) < step * (1 + 1e-6)).all()
    codec, rng = CODECS["int8"](), np.random.default_rng(2)
    x = np.array([0.3, -0.71, 1.0, 0.05], dtype=np.float32)
    mean = np.mean([codec.decode(codec.encode(x, rng), 4) for _ in range(20_000)], axis=0)
    # 14 standard errors, below the 0.1-step bias rounding to nearest would leave at 0.3
    assert mean == pytest.approx(x, abs=4e-4)
    _, zeros = round_trip("int8", np.zeros(5, dtype=np.float32))
    assert (zeros == 0).all()


def test_top_k_sends_the_largest_entries():
    data, decoded = round_trip("top-k", VALUES, fraction=0.05)
    assert len(data) == 8 * 50 and np.count_nonzero(decoded) == 50
    largest = np.argsort(-np.abs(VALUES))[:50]
    assert set(np.flatnonzero(decoded)) == set(largest)
    assert np.array_equal(decoded[largest], VALUES[largest])


@pytest.mark.parametrize(("name", "options"), [("top-k", {"fraction": 0.02}), ("int8", {})])
def test_both_ends_of_a_lossy_stream_hold_the_same_estimate_whatever_is_lost(name, options):
    """The sender counts a message only once it arrived, so what it sends next is exactly what
    the receiver still lacks: nothing given is lost, a lost message's part goes later."""
    codec = CODECS[name](**options)
    sender = Stream(codec, 1000, np.random.default_rng(0))
    receiver = Stream(codec, 1000, np.random.default_rng(9))  # it only receives
    given = np.zeros(1000)
    for round_ in range(60):
        given += np.random.default_rng(round_).normal(size=1000)
        coded = sender.send(given.astype(np.float32))
        if round_ % 7 == 3 or round_ == 0:
            sender.lost(coded)  # lost on the way: neither end counts it
            continue
        sender.arrived(coded)
        receiver.estimate = (
            coded.values if receiver.estimate is None else receiver.estimate
            + codec.decode(coded.data, 1000)
        )
        assert np.array_equal(sender.estimate, receiver.estimate)
    lacking = given.astype(np.float32) - receiver.estimate
    next_message = codec.decode(sender.send(given.astype(np.float32)).data, 1000)
    if name == "top-k":  # the next message carries the largest of what the receiver lacks
        chosen = np.flatnonzero(next_message)
        np.testing.assert_allclose(next_message[chosen], lacking[chosen], rtol=1e-6)


def test_a_lossy_stream_of_a_constant_vector_converges_to_it():
    stream = Stream(CODECS["top-k"](fraction=0.1), 200, np.random.default_rng(0))
    stream.arrived(stream.send(np.zeros(200, dtype=np.float32)))  # the opening, in full
    target = VALUES[:200]
    for sent in range(10):
        assert sent == 0 or not np.array_equal(stream.estimate.astype(np.float32), target)
        stream.arrived(stream.send(target))  # 20 of the 200 entries at a time
    assert np.array_equal(stream.estimate.astype(np.float32), target)


def test_a_stream_opens_with_the_full_vector_then_sends_changes():
    stream = Stream(CODECS["top-k"](fraction=0.1), 200, np.random.default_rng(0))
    first = stream.send(VALUES[:200])
    assert len(first.data) == 4 * 200
    stream.lost(first)  # the next message is the full vector again
    again = stream.send(VALUES[:200])
    assert again.data == first.data
    stream.arrived(again)
    assert np.array_equal(stream.estimate, VALUES[:200].astype(np.float64))
    changed = VALUES[:200] + np.float32(1.0)
    assert len(stream.send(changed).data) == 8 * 20


@pytest.mark.parametrize("order", ["in order", "overtaken"])
def test_messages_on_the_way_together_never_carry_a_change_twice(order):
    """A message sent while another is still on its way is encoded against what the receiver will
    hold once that one arrives: with top-k at fraction 1 (every entry, exactly) the receiver ends
    with the last vector sent, whatever order the two arrive in, not x1 + x2 - x0."""
    stream = Stream(CODECS["top-k"](fraction=1.0), 50, np.random.default_rng(0))
    x0, x1, x2 = (VALUES[i * 50 : (i + 1) * 50] for i in range(3))
    stream.arrived(stream.send(x0))
    first, second = stream.send(x1), stream.send(x2)
    for coded in (first, second) if order == "in order" else (second, first):
        stream.arrived(coded)
    np.testing.assert_allclose(stream.estimate, x2, rtol=1e-5, atol=1e-6)
    lost_one = stream.send(x0)  # on its way with the next, then lost
    following = stream.send(x1)
    stream.lost(lost_one)
    stream.arrived(following)
    np.testing.assert_allclose(stream.estimate, x2 + (x1 - x0), rtol=1e-5, atol=1e-6)
    stream.arrived(stream.send(x1))  # what the lost one carried goes now
    np.testing.assert_allclose(stream.estimate, x1, rtol=1e-5, atol=1e-6)


def test_codec_misuse_is_named():
    with pytest.raises(ValueError, match="fraction = 0 must be in"):
        CODECS["top-k"](fraction=0)
    with pytest.raises(ValueError, match="a payload of 1000 values where 999 were expected"):
        CODECS["none"]().decode(VALUES.tobytes(), 999)
    with pytest.raises(KeyError, match="unknown codec 'int4'"):
        CODECS["int4"]
