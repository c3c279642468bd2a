"""Products of packed (CCS) spectra in NumPy (``listguard.plugins.watermark.spectra``):
they must be OpenCV's ``mulSpectrums(..., conjB=True)``, whatever the shape."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from listguard.plugins.watermark import spectra

SHAPES = [(4, 4), (6, 8), (8, 6), (30, 72), (108, 192), (250, 250)]
ODD_SHAPES = [(5, 8), (8, 5), (7, 9), (1, 8), (2, 2), (3, 3)]


def _pair(shape: tuple[int, int], seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a, b = (rng.standard_normal(shape).astype(np.float32) for _ in range(2))
    return cv2.dft(a), cv2.dft(b)


def _close(got: np.ndarray, want: np.ndarray) -> bool:
    return float(np.abs(got - want).max()) <= 1e-5 * float(np.abs(want).max())


@pytest.mark.parametrize("shape", SHAPES + ODD_SHAPES)
def test_product_with_the_conjugate_is_opencvs_correlation_product(shape):
    image, template = _pair(shape, 1)
    want = cv2.mulSpectrums(image, template, 0, conjB=True)
    got = spectra.multiply(image, spectra.conjugate(template))
    assert got.shape == want.shape and got.dtype == np.float32
    assert _close(got, want)


@pytest.mark.parametrize("shape", SHAPES + ODD_SHAPES)
def test_conjugate_is_opencvs_conjugate(shape):
    spectrum, _ = _pair(shape, 2)
    ones = cv2.dft(np.pad(np.ones((1, 1), np.float32), [(0, shape[0] - 1), (0, shape[1] - 1)]))
    want = cv2.mulSpectrums(ones, spectrum, 0, conjB=True)
    assert np.array_equal(spectra.conjugate(spectrum), want)


@pytest.mark.parametrize("shape", SHAPES)
def test_correlation_through_the_product_is_matchtemplate(shape):
    rng = np.random.default_rng(3)
    image = rng.standard_normal(shape).astype(np.float32)
    mark = rng.standard_normal((3, 4)).astype(np.float32)
    padded = np.zeros(shape, np.float32)
    padded[:3, :4] = mark
    product = spectra.multiply(cv2.dft(image), spectra.conjugate(cv2.dft(padded)))
    full = cv2.idft(product, flags=cv2.DFT_REAL_OUTPUT | cv2.DFT_SCALE)
    want = cv2.matchTemplate(image, mark, cv2.TM_CCORR)
    got = full[: want.shape[0], : want.shape[1]]
    assert np.allclose(got, want, atol=1e-4)


def test_the_inputs_are_left_unchanged():
    image, template = _pair((8, 8), 4)
    before = image.copy(), template.copy()
    spectra.multiply(image, spectra.conjugate(template))
    assert np.array_equal(image, before[0]) and np.array_equal(template, before[1])


def test_spectra_of_different_shapes_are_refused_by_opencv():
    (image, _), (template, _) = _pair((8, 8), 5), _pair((8, 6), 6)
    with pytest.raises(cv2.error):
        spectra.multiply(image, template)
