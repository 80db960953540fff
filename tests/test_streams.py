"""The fast generator construction gives numpy's generators, state for state."""

from __future__ import annotations

import numpy as np
import pytest

from netmob.sim.streams import PROCESS_IDS, Streams, _key

PURPOSES = ("", "exacerbation", "meet", "meet_who", "triads", "a much longer purpose name")


def numpy_generator(seed: int, process: str, week: int, purpose: str) -> np.random.Generator:
    key = (PROCESS_IDS[process], int(week) + 100_000, _key(purpose))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


@pytest.mark.parametrize("seed", [0, 1, 7, 12345, 2**31 - 1, 2**32, 2**64 + 3, 2**130 + 99])
def test_same_state_as_seed_sequence(seed):
    s = Streams(seed)
    for process in PROCESS_IDS:
        for week in (-100, -26, -1, 0, 1, 2, 52, 104, 1000):
            for purpose in PURPOSES:
                ours, theirs = (
                    s.get(process, week, purpose),
                    numpy_generator(seed, process, week, purpose),
                )
                assert ours.bit_generator.state == theirs.bit_generator.state
                assert (ours.random(3) == theirs.random(3)).all()


def test_each_call_a_fresh_generator():
    s = Streams(3)
    a, b = s.get("ties", 5, "meet"), s.get("ties", 5, "meet")
    assert a is not b
    assert (a.random(4) == b.random(4)).all()
