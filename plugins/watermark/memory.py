"""Keep freed memory in the process for reuse (glibc's allocator).

The search allocates and frees arrays of a few megabytes dozens of times per
image (OpenCV's and NumPy's results). By default glibc hands such blocks back
to the kernel when they are freed (``mmap`` for large blocks; trimming the
heap's top past a threshold) and faults fresh zeroed pages in for the next
one: on the coarse pass's orientation field that doubled its cost (bench:
800×800, 14 against 7 ms). Raising both thresholds keeps the process's memory
at its peak instead (a few tens of megabytes for a search: bench, a worker's
peak RSS 88 MiB on the catalog benchmark) and reuses it.
It applies to the whole process (each ``--jobs`` worker): the other checks'
arrays are reused the same way.
"""

from __future__ import annotations

import ctypes
import sys

#: glibc's ``mallopt`` parameters (``<malloc.h>``).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

#: Blocks up to this size come from the heap, not from ``mmap`` (glibc's
#: documented maximum on 64-bit: a larger value may be refused).
MMAP_THRESHOLD = 32 * 2**20
#: Free memory at the heap's top is handed back only past this.
TRIM_THRESHOLD = 256 * 2**20


def keep_freed_memory() -> bool:
    """Set glibc's thresholds so that freed blocks are reused, not returned;
    whether that was done (``False`` off Linux, or under a C library without
    glibc's ``mallopt``, where the defaults stand: slower, not wrong)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own C library
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    # Only both or neither: a fixed trim threshold turns glibc's adaptive mmap
    # threshold off, which with the mmap threshold refused would leave every
    # large block mapped and unmapped (worse than the defaults).
    if mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) != 1:
        return False
    return mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
