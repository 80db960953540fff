"""Random streams: one seed per run, one stream per process, per week and per purpose.

Each draw comes from a generator keyed by ``(process, week, purpose)`` spawned from the
run's seed. A process's draws therefore never depend on how many draws another process
made, nor on how many it made itself in earlier weeks: switching a programme on leaves
the draws of health, support, attendance and ties untouched (common random numbers), and
rows appended to a table get fresh draws without shifting those of earlier rows.

A run asks for tens of generators a week, and numpy's ``SeedSequence`` costs more to build
than a small run's draws themselves; so the words it would hand to ``PCG64`` are computed
here with the same hash (numpy's ``bit_generator.pyx``): the seed's part of the pool once
per run, the rest at once for a block of weeks of one process and purpose. The generators
are the same, state for state (``tests/test_streams.py``).
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


WEEK_BLOCK = 64  # weeks whose words are computed together, per process and purpose


def _hash_steps(hash_const: int, mult: int, n: int) -> tuple[np.ndarray, np.ndarray, int]:
    """The constants of ``n`` hash steps (data-independent): what each step XORs with, what
    it multiplies by, and the constant after the last."""
    xor, by = [], []
    for _ in range(n):
        xor.append(hash_const)
        hash_const = (hash_const * mult) & _MASK
        by.append(hash_const)
    return np.array(xor, np.uint32), np.array(by, np.uint32), hash_const


_OUT_XOR, _OUT_MULT, _ = _hash_steps(_INIT_B, _MULT_B, 8)
_OUT_CYCLE = np.arange(8) % _POOL_SIZE


def _mix_rows(pool: np.ndarray, hash_const: int, word: np.ndarray) -> tuple[np.ndarray, int]:
    """:func:`_mix_in` on many pools (rows of uint32), one entropy word per row."""
    xor, by, hash_const = _hash_steps(hash_const, _MULT_A, _POOL_SIZE)
    value = (word[:, None] ^ xor) * by  # uint32 arithmetic wraps, as in C
    value ^= value >> np.uint32(16)
    result = np.uint32(_MIX_MULT_L) * pool - np.uint32(_MIX_MULT_R) * value
    return result ^ (result >> np.uint32(16)), hash_const


def _state_rows(pool: np.ndarray) -> np.ndarray:
    """SeedSequence.generate_state(4, np.uint64) of each row of mixed pools."""
    value = (pool[:, _OUT_CYCLE] ^ _OUT_XOR) * _OUT_MULT
    value ^= value >> np.uint32(16)
    # little-endian word pairs, as SeedSequence assembles them
    return np.ascontiguousarray(value, "<u4").view("<u8").astype(np.uint64)


def _block_words(seed_pool: tuple[tuple[int, ...], int], key: tuple[int, int, int]) -> np.ndarray:
    """The PCG64 words of one process and purpose for the weeks of one block:
    ``key`` is (process id, first week word of the block, purpose)."""
    pool, hash_const = _mix_in(*seed_pool, key[0])
    rows = np.tile(np.array(pool, np.uint32), (WEEK_BLOCK, 1))
    weeks = np.arange(key[1], key[1] + WEEK_BLOCK, dtype=np.uint32)
    rows, hash_const = _mix_rows(rows, hash_const, weeks)
    rows, _ = _mix_rows(rows, hash_const, np.full(WEEK_BLOCK, key[2], np.uint32))
    return _state_rows(rows)


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
        self._blocks: dict[tuple[int, int, int], np.ndarray] = {}

    def get(self, process: str, week: int, purpose: str = "") -> np.random.Generator:
        """The generator for one process, week (may be negative in burn-in) and purpose.

        The same as ``Generator(PCG64(SeedSequence(seed, spawn_key=key)))``, cheaper."""
        key = (PROCESS_IDS[process], int(week) + 100_000, _key(purpose))
        if self._pool is None or not 0 <= key[1] <= _MASK - WEEK_BLOCK:
            return np.random.Generator(
                np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=key))
            )
        row = key[1] % WEEK_BLOCK
        block = (key[0], key[1] - row, key[2])
        words = self._blocks.get(block)
        if words is None:
            words = self._blocks[block] = _block_words(self._pool, block)
        return np.random.Generator(np.random.PCG64(_Words(words[row])))
