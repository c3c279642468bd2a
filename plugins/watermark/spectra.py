"""Products of spectra in OpenCV's packed real format (CCS), computed in NumPy.

The search correlates by the frequency domain: ``cv2.dft`` of a real image gives
its spectrum packed as CCS, and ``cv2.idft(..., DFT_REAL_OUTPUT)`` turns a product
of two such spectra back into a real correlation. ``cv2.mulSpectrums`` makes the
product, but it was the coarse pass's costliest step (bench, images without the
mark: 9.7 ms an image, more than the forward transforms). NumPy multiplies the
interleaved complex pairs of the packed layout as a complex array in one pass,
1.7x as fast at 800x800; the template side is conjugated once, when its
spectrum is cached, instead of in every product.

The packed layout of an ``M x N`` spectrum, both even (the search's transform
sizes always are): columns ``1 .. N-2`` hold the complex values ``(re, im)``
side by side, row by row; columns ``0`` and ``N-1`` each hold the packed 1-D
spectrum of a real column (rows ``0`` and ``M-1`` real, the rows between in
``(re, im)`` pairs down the column), as in an ``M x 2`` packed spectrum. Other
shapes go to ``cv2.mulSpectrums``.
"""

from __future__ import annotations

import cv2
import numpy as np


def _packed(spectrum: np.ndarray) -> bool:
    """Whether ``spectrum`` is a float32 2-D packed spectrum NumPy can multiply
    here (both sides even, at least 4 x 4)."""
    if spectrum.ndim != 2 or spectrum.dtype != np.float32:
        return False
    rows, cols = spectrum.shape
    return rows >= 4 and cols >= 4 and rows % 2 == 0 and cols % 2 == 0


def conjugate(spectrum: np.ndarray) -> np.ndarray:
    """The complex conjugate of a packed spectrum (a new array): every imaginary
    part negated, in the interleaved columns and in the two packed ones."""
    if not _packed(spectrum):
        # mulSpectrums(a, conjugate(b)) must still be mulSpectrums(a, b, conjB).
        return _conjugated_by_opencv(spectrum)
    out = spectrum.copy()
    out[:, 2:-1:2] *= -1  # the interior's imaginary parts: columns 2, 4, ..., N-2
    out[2:-1:2, 0] *= -1  # the packed columns' imaginary parts: rows 2, 4, ..., M-2
    out[2:-1:2, -1] *= -1
    return out


def _conjugated_by_opencv(spectrum: np.ndarray) -> np.ndarray:
    """The conjugate of any packed spectrum OpenCV accepts: its product with a
    spectrum of ones (the DFT of a unit impulse), conjugated by OpenCV."""
    ones = cv2.dft(_impulse(spectrum.shape))
    return cv2.mulSpectrums(ones, spectrum, 0, conjB=True)


def _impulse(shape: tuple[int, ...]) -> np.ndarray:
    impulse = np.zeros(shape, np.float32)
    impulse[(0,) * len(shape)] = 1.0
    return impulse


def multiply(image: np.ndarray, template: np.ndarray) -> np.ndarray:
    """The product of two packed spectra of one shape: what
    ``cv2.mulSpectrums(image, t, 0, conjB=True)`` gives when ``template`` is
    :func:`conjugate` of ``t`` (a correlation with ``t``), to float32 rounding."""
    if not (_packed(image) and _packed(template)) or image.shape != template.shape:
        return cv2.mulSpectrums(image, template, 0)
    out = np.empty_like(image)
    # The interior as complex64 (pairs of float32 side by side in each row).
    inner = out[:, 1:-1].view(np.complex64)
    np.multiply(image[:, 1:-1].view(np.complex64), template[:, 1:-1].view(np.complex64), inner)
    # The two packed columns side by side are themselves a packed spectrum of
    # two columns, which OpenCV multiplies in one call (fewer steps than NumPy
    # on strided columns: the refine round's small products 0.77x the time).
    last = image.shape[1] - 1
    edges = [np.ascontiguousarray(a[:, ::last]) for a in (image, template)]
    out[:, ::last] = cv2.mulSpectrums(edges[0], edges[1], 0)
    return out
