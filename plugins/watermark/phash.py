"""64-bit perceptual hash (pHash) and Hamming-distance search.

The classic DCT hash (the one the ``imagehash`` library computes): shrink the
grey image to 32×32, take the 2-D DCT, keep the 8×8 lowest frequencies and set
one bit per coefficient above their median. Row-major, first coefficient in the
most significant bit. Low frequencies survive re-encoding, resizing and small
crops, so near-identical images land a few bits apart.
"""

from __future__ import annotations

import cv2
import numpy as np

HASH_SIZE = 8
SAMPLE_SIZE = 32


def phash(gray: np.ndarray) -> int:
    """The 64-bit pHash of a greyscale image (any size, uint8 or float)."""
    small = cv2.resize(gray, (SAMPLE_SIZE, SAMPLE_SIZE), interpolation=cv2.INTER_AREA)
    coefficients = cv2.dct(small.astype(np.float32))[:HASH_SIZE, :HASH_SIZE]
    bits = (coefficients > np.median(coefficients)).flatten()
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return value


def to_hex(value: int) -> str:
    """The 16-digit lowercase hex form used in ``brandkit.json``."""
    return f"{value:016x}"


def hamming_distances(value: int, library: np.ndarray) -> np.ndarray:
    """Hamming distance from ``value`` to every hash in ``library`` (uint64 array)."""
    if library.size == 0:
        return np.zeros(0, dtype=np.int64)
    xor = np.bitwise_xor(library, np.uint64(value))
    # popcount of uint64 via the byte view; no Python loop over the library.
    return np.unpackbits(xor.view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1).astype(np.int64)
