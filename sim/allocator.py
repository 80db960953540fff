"""Keep the memory one week frees for the next (glibc's allocator, Linux only).

Each week the vectorised processes make and drop large temporary arrays. With glibc's
defaults, freed memory at the top of the heap is handed back to the system and arrays
above a sliding threshold are mapped afresh, so the next week faults the same pages in
again: at 10,000 target people that was some 650,000 page faults and a third of the run
time once no Mesa agent objects sat on the heap (agents are built lazily, see
:mod:`netmob.sim.model`). Three allocator settings keep freed memory in the process
instead. They change no result, only where memory comes from; a process that is not on
glibc keeps its defaults.
"""

from __future__ import annotations

import ctypes
import sys

# mallopt(3) parameter numbers and the values used (structural settings, not model ones).
M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD = -1, -2, -3
SETTINGS = (
    (M_MMAP_THRESHOLD, 32 << 20),  # arrays under 32 MB come from the heap, reused
    (M_TRIM_THRESHOLD, 512 << 20),  # keep up to 512 MB freed at the top of the heap
    (M_TOP_PAD, 64 << 20),  # grow the heap 64 MB at a time
)
_tuned: bool | None = None


def keep_freed_memory() -> bool:
    """Apply :data:`SETTINGS` once per process; True if glibc took them."""
    global _tuned
    if _tuned is None:
        _tuned = _apply()
    return _tuned


def _apply() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return all(mallopt(param, value) == 1 for param, value in SETTINGS)
