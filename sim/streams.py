"""Random streams: one seed per run, one stream per process, per week and per purpose.

Each draw comes from a generator keyed by ``(process, week, purpose)`` spawned from the
run's seed. A process's draws therefore never depend on how many draws another process
made, nor on how many it made itself in earlier weeks: switching a programme on leaves
the draws of health, support, attendance and ties untouched (common random numbers), and
rows appended to a table get fresh draws without shifting those of earlier rows.

A run asks for tens of generators a week, and numpy's ``SeedSequence`` costs more to build
than a small run's draws themselves; so the words it would hand to ``PCG64`` are computed
here with the same hash (numpy's ``bit_generator.pyx``), from the seed's part of the pool
mixed once per run and each process's week once per week. The generators are the same,
state for state (``tests/test_streams.py``).
"""

from __future__ import annotations

import zlib

import numpy as np
from numpy.random.bit_generator import ISeedSequence

PROCESS_IDS = {
    "community": 1,
    "health": 2,
    "support": 3,
    "attendance": 4,
    "ties": 5,
    "programme": 6,
    "pathways": 7,
    "outcomes": 8,
    "workers": 9,
}

# numpy's SeedSequence constants (numpy/random/bit_generator.pyx)
_POOL_SIZE = 4
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_MULT_L, _MIX_MULT_R = 0xCA01F9DD, 0x4973F715
_MASK = 0xFFFFFFFF


def _key(purpose: str) -> int:
    return zlib.crc32(purpose.encode())


def _words(value: int) -> list[int]:
    """A non-negative integer as SeedSequence takes it: 32-bit words, least first."""
    out = [value & _MASK]
    value >>= 32
    while value:
        out.append(value & _MASK)
        value >>= 32
    return out


def _mix_in(pool: tuple[int, ...], hash_const: int, word: int) -> tuple[tuple[int, ...], int]:
    """Mix one entropy word into every word of the pool (SeedSequence.mix_entropy)."""
    out = []
    for x in pool:
        value = (word ^ hash_const) & _MASK
        hash_const = (hash_const * _MULT_A) & _MASK
        value = (value * hash_const) & _MASK
        value ^= value >> 16
        result = (_MIX_MULT_L * x - _MIX_MULT_R * value) & _MASK
        out.append(result ^ (result >> 16))
    return tuple(out), hash_const


def _seed_pool(seed: int) -> tuple[tuple[int, ...], int]:
    """The pool after the seed's words (padded to the pool size), and the hash constant."""
    entropy = _words(seed)
    entropy += [0] * (_POOL_SIZE - len(entropy))
    hash_const = _INIT_A
    pool = []
    for word in entropy[:_POOL_SIZE]:
        value = (word ^ hash_const) & _MASK
        hash_const = (hash_const * _MULT_A) & _MASK
        value = (value * hash_const) & _MASK
        pool.append(value ^ (value >> 16))
    for i_src in range(_POOL_SIZE):
        for i_dst in range(_POOL_SIZE):
            if i_src != i_dst:
                value = (pool[i_src] ^ hash_const) & _MASK
                hash_const = (hash_const * _MULT_A) & _MASK
                value = (value * hash_const) & _MASK
                value ^= value >> 16
                result = (_MIX_MULT_L * pool[i_dst] - _MIX_MULT_R * value) & _MASK
                pool[i_dst] = result ^ (result >> 16)
    mixed = tuple(pool)
    for word in entropy[_POOL_SIZE:]:
        mixed, hash_const = _mix_in(mixed, hash_const, word)
    return mixed, hash_const


def _output_constants() -> tuple[tuple[int, int], ...]:
    """The hash constants generate_state uses for each of its 8 words (data-independent)."""
    out, hash_const = [], _INIT_B
    for _ in range(8):
        nxt = (hash_const * _MULT_B) & _MASK
        out.append((hash_const, nxt))
        hash_const = nxt
    return tuple(out)


_OUTPUT_CONSTANTS = _output_constants()


def _state_words(pool: tuple[int, ...]) -> np.ndarray:
    """SeedSequence.generate_state(4, np.uint64) of a mixed pool."""
    words = []
    for i, (xor, mult) in enumerate(_OUTPUT_CONSTANTS):
        value = ((pool[i & 3] ^ xor) * mult) & _MASK
        words.append(value ^ (value >> 16))
    # little-endian word pairs, as SeedSequence assembles them
    return np.array(words, "<u4").view("<u8").astype(np.uint64, copy=False)


class _Words(ISeedSequence):
    """Hands PCG64 the words its SeedSequence would have generated."""

    __slots__ = ("words",)

    def __init__(self, words: np.ndarray) -> None:
        self.words = words

    def generate_state(self, n_words: int, dtype=np.uint32) -> np.ndarray:
        return self.words


class Streams:
    """The generator tree of one run.

    Args:
        seed: The run's seed.

    Examples:
        >>> s = Streams(1)
        >>> a = s.get("health", 3, "exacerbation").random(2)
        >>> b = Streams(1).get("health", 3, "exacerbation").random(2)
        >>> bool((a == b).all())
        True
    """

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        self._pool = _seed_pool(self.seed) if self.seed >= 0 else None
        self._weeks: dict[tuple[int, int], tuple[tuple[int, ...], int]] = {}

    def get(self, process: str, week: int, purpose: str = "") -> np.random.Generator:
        """The generator for one process, week (may be negative in burn-in) and purpose.

        The same as ``Generator(PCG64(SeedSequence(seed, spawn_key=key)))``, cheaper."""
        key = (PROCESS_IDS[process], int(week) + 100_000, _key(purpose))
        if self._pool is None or not 0 <= key[1] <= _MASK:
            return np.random.Generator(
                np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=key))
            )
        pool, hash_const = self._week_pool(key[0], key[1])
        pool, _ = _mix_in(pool, hash_const, key[2])
        return np.random.Generator(np.random.PCG64(_Words(_state_words(pool))))

    def _week_pool(self, process_id: int, week_word: int) -> tuple[tuple[int, ...], int]:
        """The pool with the seed, the process and the week mixed in (kept for the week)."""
        found = self._weeks.get((process_id, week_word))
        if found is None:
            if len(self._weeks) > 64:
                self._weeks.clear()
            pool, hash_const = self._pool
            pool, hash_const = _mix_in(pool, hash_const, process_id)
            found = _mix_in(pool, hash_const, week_word)
            self._weeks[(process_id, week_word)] = found
        return found
