"""Random streams: one seed per run, one stream per component, per week and per purpose.

Each draw comes from a generator keyed by ``(component, week, purpose)`` spawned from the
run's seed. A component's key is its name (a weekly process's comes from its class,
``Process.stream``), hashed; building the schedule checks that no two components share a
name or a hashed key (:func:`check_unique`), and a run refuses to hand out the same
``(component, week, purpose)`` twice (:class:`StreamReused`), so two draws can never
silently share their numbers. A process's draws therefore never depend on how many draws another process
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
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from numpy.random.bit_generator import ISeedSequence

COMMUNITY = "community"  # the stream of the community's construction (not a process)

# numpy's SeedSequence constants (numpy/random/bit_generator.pyx)
_POOL_SIZE = 4
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_MULT_L, _MIX_MULT_R = 0xCA01F9DD, 0x4973F715
_MASK = 0xFFFFFFFF


def _key(purpose: str) -> int:
    return zlib.crc32(purpose.encode())


def component_key(name: str) -> int:
    """The spawn-key word of a component's stream: its name, hashed (CRC-32)."""
    return zlib.crc32(name.encode())


class StreamClash(ValueError):
    """Two components would draw from one stream."""


class StreamReused(RuntimeError):
    """The same (component, week, purpose) stream was asked for twice in one run."""


def check_unique(names: list[str]) -> None:
    """Raise :class:`StreamClash` naming the pair if two components share a name or a key.

    Examples:
        >>> check_unique(["health_progression", "tie_dynamics"])
        >>> check_unique(["nudge_pathway", "nudge_pathway"])
        Traceback (most recent call last):
        ...
        netmob.sim.streams.StreamClash: nudge_pathway and nudge_pathway would share one random stream (key 3620585766)
    """
    seen: dict[int, str] = {}
    for name in names:
        key = component_key(name)
        if key in seen:
            raise StreamClash(f"{seen[key]} and {name} would share one random stream (key {key})")
        seen[key] = name


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

    Each key is handed out once: asking again for the same component, week and purpose
    raises :class:`StreamReused` (it would repeat the same numbers), except inside
    :meth:`replay`, which a test uses on purpose to run a week's step again with one
    thing changed and the same draws (a counterfactual).

    Examples:
        >>> a = Streams(1).get("health_progression", 3, "exacerbation").random(2)
        >>> b = Streams(1).get("health_progression", 3, "exacerbation").random(2)
        >>> bool((a == b).all())
        True
    """

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        self._pool = _seed_pool(self.seed) if self.seed >= 0 else None
        self._blocks: dict[tuple[int, int, int], np.ndarray] = {}
        self._issued: set[tuple[int, int, int]] = set()
        self._replaying = False

    @contextmanager
    def replay(self) -> Iterator[None]:
        """Allow keys handed out before to be handed out again (the same numbers), for a
        counterfactual: a process step re-run on purpose with the draws it had.

        Examples:
            >>> s = Streams(1)
            >>> a = s.get("tie_dynamics", 3, "meet").random()
            >>> with s.replay():
            ...     b = s.get("tie_dynamics", 3, "meet").random()
            >>> a == b
            True
        """
        before, self._replaying = self._replaying, True
        try:
            yield
        finally:
            self._replaying = before

    def get(self, component: str, week: int, purpose: str = "") -> np.random.Generator:
        """The generator for one component, week (may be negative in burn-in) and purpose.

        The same as ``Generator(PCG64(SeedSequence(seed, spawn_key=key)))``, cheaper.

        Raises:
            StreamReused: if this run has handed out the same key before.
        """
        key = (component_key(component), int(week) + 100_000, _key(purpose))
        if key in self._issued and not self._replaying:
            raise StreamReused(
                f"the random stream ({component!r}, week {week}, {purpose!r}) was asked "
                "for twice: the second draw would repeat the first's numbers"
            )
        self._issued.add(key)
        if self._pool is None or not 0 <= key[1] <= _MASK - WEEK_BLOCK:
            return np.random.Generator(
                np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=key))
            )
        row = key[1] % WEEK_BLOCK
        block = (key[0], key[1] - row, key[2])
        words = self._blocks.get(block)
        if words is None:
            words = self._blocks[block] = _block_words(self._pool, block)
        # PCG64 takes any ISeedSequence (numpy's stubs list only SeedSequence and seeds)
        return np.random.Generator(np.random.PCG64(_Words(words[row])))  # type: ignore[arg-type]
