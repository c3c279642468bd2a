"""Find the watermark mark in an image: masked, band-passed, coarse-to-fine matching.

Why this design (measured in ``bench/watermark``, whose README has the figures):

* Plain intensity template matching confuses a faint mark with texture. Both the
  image and the template are band-passed first (differences of Gaussians), so
  only edges and strokes are compared, whatever the background's brightness.
* A mark composited over a locally flat background adds a combination of two
  fixed images (its ink and its alpha), whatever the background and opacity:
  the score is the share of the window's energy their span explains, in [0, 1].
  The template's alpha is the match mask: only pixels the mark covers count.
  Texture showing through a faint mark is energy the mark cannot explain, so
  the final score discounts part of what the texture beside and between the
  strokes predicts under them (bench: at one false positive, 57 → 19 marks
  missed). A look-alike with another word keeps that word unexplained; one
  that differs by a single letter does not (a known gap, see the bench README).
* The mark may be anywhere, at 0.4×–1.6× of the template's size relative to a
  1000 px wide image. A coarse pass searches the whole image over 12 geometric
  scale steps (an image pyramid, the mark 72 px wide) for places whose edge
  *orientations* agree with the mark's: each pixel counts at most once, so a
  product's outline, gravel or printed text under the mark cannot outweigh its
  strokes as they do in an energy correlation (bench: a quarter fewer marks
  missed, faster too). Its peaks are ranked by the 4×2 cells of the mark each
  fitted on its own, so a background that changes under the mark does not hide
  it and a look-alike (other text in some cells) ranks low. The best
  candidates are refined at finer scales in a small window around each; a
  small mark in doubt in a reduced (JPEG draft) decode is scored again at full
  resolution.
* An official asset's mark is where the brand put it: when the image matches
  an asset whose place of the mark the kit records, :func:`find_mark_at` runs
  only the refine and final rounds there (no coarse pass: about a tenth of the
  cost, bench: 1.2× a full decode per image instead of 5.4×), and the caller
  searches the whole image only if the mark is not found there.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

import cv2
import numpy as np

from . import spectra
from .memory import keep_freed_memory

# One OpenCV thread: the host parallelises across packages with worker processes
# (``--jobs``), so intra-op threads would only contend with the other workers (and
# the benchmark's one-core figure is the honest per-worker cost).
cv2.setNumThreads(1)
# Freed arrays kept for reuse rather than returned to the kernel (see .memory).
keep_freed_memory()

#: The width the template's size refers to (SPEC: scales relative to a 1000 px image).
REFERENCE_WIDTH = 1000


@dataclass(frozen=True)
class SearchSettings:
    """Knobs of the search; the defaults are the benchmarked ones.

    The coarse pass resizes the *image* so that the mark, at each of
    ``coarse_steps`` scales, is ``coarse_mark_width`` px wide, and matches the
    mark's edge orientations there (an image pyramid: small marks are searched
    at high resolution, large ones cheaply; see :func:`orientation_field` for
    ``orientation_saturation`` and ``orientation_smooth``). ``peaks_per_scale``
    peaks are taken from each scale's score map. With ``verify`` they are
    ranked by a check at the coarse level: the lower of the median of the 4×2
    cells' fits and their pooled fit (each cell fitted on its own, so a
    background that changes under the mark, e.g. a product's edge, does not
    spoil the fit). A product edge or a piece of a larger mark correlates as
    well as the mark there, but not in every cell. Without ``verify``, by how
    far each stands out of its scale's map (z-score). Each of the best
    ``candidates`` whose rank is at least ``prune`` × the best one's is refined,
    and so are the ``z_candidates`` peaks with the highest z-scores, with the
    mark ``refine_mark_width`` px wide over ``refine_steps`` finer scales; the
    best ``final_count`` get the last rounds, ``final_mark_width`` px wide,
    whose score discounts the background's texture (``clutter_share``,
    ``clutter_boost``: see :func:`_clutter_corrected`), if their refine round
    scores at least ``final_from`` (when none does, the best refined candidate
    is the match, with its refine round's plain share as its score).

    A mark may run off the image by up to ``edge_share`` of its width or height
    (an official image cropped by a few per cent where the mark touches its
    edge): the refinement windows go on past the edge as zeros.

    Scales at which the mark would be narrower than ``min_mark_px`` image
    pixels are not searched: too few pixels to tell it from noise (a thumbnail
    too small for any allowed scale scores 0).

    When the image was decoded reduced (JPEG draft), the mark found is under
    ``full_res_below_px`` px wide in the reduced image and its score is in
    [``full_res_from``, ``full_res_until``), the last rounds are run again on the
    full-resolution image (if :func:`find_mark` was given a way to decode it).
    """

    min_scale: float = 0.4
    max_scale: float = 1.6
    coarse_steps: int = 12
    coarse_mark_width: int = 72
    coarse_band: tuple[float, float] = (0.8, 2.5)
    orientation_saturation: float = 2.0
    orientation_smooth: float = 0.6
    candidates: int = 10
    peaks_per_scale: int = 3
    verify: bool = True
    suppress: float = 0.5  # around a peak, this share of the mark's size is not a peak
    prune: float = 0.7
    z_candidates: int = 3
    refine_mark_width: int = 100
    refine_sigma: float = 1.2
    refine_steps: int = 5
    final_count: int = 2
    final_from: float = 0.0
    final_mark_width: int = 240
    final_sigma: float = 2.0
    full_res_below_px: float = 200.0
    # Bench: the marks the rescore saves all score 0.60 or more reduced; from 0.45
    # to 0.50 it only raised look-alikes' scores (11 images of the corpora) and
    # cost two of the speed set's 20 images without the mark a full decode.
    full_res_from: float = 0.50
    full_res_until: float = 0.70
    min_mark_px: float = 24.0
    edge_share: float = 0.1
    clutter_share: float = 0.5
    clutter_boost: float = 2.5

    @property
    def scale_step(self) -> float:
        """The ratio between two of the coarse pass's scales."""
        return (self.max_scale / self.min_scale) ** (1 / (self.coarse_steps - 1))


@dataclass(frozen=True)
class Match:
    """The best match: ``score`` in [0, 1] (the share of the window's energy the
    mark explains once the background's texture is discounted), bbox
    ``(x, y, w, h)`` in image pixels, the scale (relative to a 1000 px wide
    image), the correlation of each inked cell of the mark's 4×2 grid, and the
    whole mark's plain masked correlation (evidence: how much texture counted)."""

    score: float
    bbox: tuple[int, int, int, int]
    scale: float
    cells: tuple[float, ...] = ()
    correlation: float = 0.0  # the whole mark's masked correlation, before the discount
    #: How strongly the mark is there: the fit's coefficients on the mark's two
    #: orthonormal basis images in the last round (the mark up to 240 px wide: a
    #: smaller one is not enlarged; a σ 2 high-pass), per square root of the
    #: mask's area, so that copies of one image at other sizes compare (see
    #: :func:`amplitude_share`). It measures strength, not shape.
    amplitude: tuple[float, float] = (0.0, 0.0)
    #: The mark's inside (its word and code, away from its outline) against its
    #: outer ring, each fitted on its own along the whole mark's fit: about 1 or
    #: more when the whole mark is there (bench: genuine marks 0.75-1.9), about 0
    #: for its frame alone, low for another word. A ratio, not a fit of the
    #: inside's shape: a word differing by a letter or two keeps most of it.
    inner: float = math.nan


class Template:
    """A watermark template, prepared for matching at any size.

    Built from an RGBA array; the grey image is the mark composited over mid
    grey (so its dark strokes and light halo both show), the mask is its alpha.
    """

    def __init__(self, rgba: np.ndarray) -> None:
        if rgba.ndim != 3 or rgba.shape[2] != 4:
            raise ValueError("a watermark template must be RGBA")
        alpha = rgba[..., 3].astype(np.float32) / 255.0
        if float(alpha.max()) <= 0.02:
            raise ValueError("the watermark template is fully transparent")
        rgb = rgba[..., :3].astype(np.float32)
        luma = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
        ys, xs = np.nonzero(alpha > 0.02)
        # Crop to the visible mark so the bbox is the mark's, not its canvas's.
        box = (slice(ys.min(), ys.max() + 1), slice(xs.min(), xs.max() + 1))
        self.ink = (alpha * luma / 255.0)[box]
        self.alpha = alpha[box]
        self.height, self.width = self.alpha.shape
        self._cache: dict[tuple[int, int, float, float], Features] = {}
        self._orientation: dict[tuple[int, int, float, float, float], Orientation] = {}

    def features(self, width: int, band: tuple[float, float]) -> Features:
        """The band-passed basis of the mark ``width`` px wide (cached per process).

        A mark of colour ``C`` and alpha ``a`` composited at opacity ``o`` over a
        locally flat background ``B`` adds ``o·a·C − o·B·a``: after a band-pass,
        a combination of two fixed images, ``a·C`` and ``a``, whatever ``B`` and
        ``o`` are. Matching the pair (the projection on their span) finds a
        light mark on a dark background and on a light one alike.
        """
        height = max(4, round(self.height * width / self.width))
        key = (width, height, *band)
        if key not in self._cache:
            size = (width, height)
            ink = band_pass(cv2.resize(self.ink, size, interpolation=cv2.INTER_AREA), band)
            alpha = cv2.resize(self.alpha, size, interpolation=cv2.INTER_AREA)
            cover = band_pass(alpha, band)
            # The filter spreads each stroke by ~2 sigma: widen the mask to match.
            radius = max(1, math.ceil(band[1]))
            kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
            mask = cv2.dilate((alpha > 0.1).astype(np.uint8), kernel).astype(np.float32)
            self._cache[key] = Features.of(ink * mask, cover * mask, mask)
        return self._cache[key]

    def orientation(self, width: int, band: tuple[float, float], smooth: float) -> Orientation:
        """The mark's edge orientations ``width`` px wide (cached per process): the
        doubled-angle structure tensor of its two band-passed images, summed, on
        the pixels where the mark has an edge."""
        feats = self.features(width, band)
        key = (*feats.shape, *band, smooth)
        if key not in self._orientation:
            diff = cross = strength = np.zeros(feats.shape, np.float32)
            for image in (feats.first, feats.second):
                # Each image at unit energy: both kinds of edge count alike.
                unit = image / (float(np.sqrt((image * image).mean())) + 1e-9)
                d, c, e = _structure_tensor(unit, smooth)
                diff, cross, strength = diff + d, cross + c, strength + e
            edge = strength > 0.1 * float(strength.max())
            cos2 = np.where(edge, diff / (strength + 1e-9), 0).astype(np.float32)
            sin2 = np.where(edge, cross / (strength + 1e-9), 0).astype(np.float32)
            total = float(np.sqrt(cos2 * cos2 + sin2 * sin2).sum())
            self._orientation[key] = Orientation(cos2, sin2, total)
        return self._orientation[key]


_SpectrumKey = tuple[int, tuple[int, int]]


class _SpectrumCache:
    """Template spectra kept for reuse, least recently used dropped past a
    budget of bytes for the whole process (worker), whatever objects they
    belong to. Keyed by the owner's identity and the transform's size; an
    entry holds its owner, so that the identity cannot be reused while it is
    kept."""

    def __init__(self, budget: int) -> None:
        self.budget, self.held = budget, 0
        self._entries: OrderedDict[_SpectrumKey, tuple[object, tuple[np.ndarray, ...]]]
        self._entries = OrderedDict()

    def get(
        self, owner: object, size: tuple[int, int], compute: Callable[[], tuple[np.ndarray, ...]]
    ) -> tuple[np.ndarray, ...]:
        key = (id(owner), size)
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            return entry[1]
        arrays = compute()
        self._entries[key] = (owner, arrays)
        self.held += sum(a.nbytes for a in arrays)
        while self.held > self.budget and len(self._entries) > 1:
            _, (_, dropped) = self._entries.popitem(last=False)
            self.held -= sum(a.nbytes for a in dropped)
        return arrays


#: The mark's spectra for the coarse pass, the refine round and the last rounds,
#: per worker: the twelve pyramid levels of one image size take ~20 MB (1600 px
#: images decoded at 800 px), so this holds about three image sizes (the last
#: rounds' sizes rarely repeat: ~1.5 MB an image, the least recently used
#: dropped first); computing them afresh was a third of the coarse pass
#: (bench: 24 of 66 ms per image).
SPECTRUM_CACHE = _SpectrumCache(64 * 2**20)


@dataclass(frozen=True)
class Orientation:
    """A mark's edge orientations as doubled-angle images (cos 2θ, sin 2θ, each
    weighted by how coherent the edge is), and the sum of their weights."""

    cos2: np.ndarray
    sin2: np.ndarray
    total: float

    def fits(self, shape: tuple[int, ...]) -> bool:
        """Whether the agreement can be computed on an image of ``shape``: the
        mark fits in it, and it has an edge at this width."""
        th, tw = self.cos2.shape
        return th <= shape[0] and tw <= shape[1] and self.total > 0

    def spectrum(self, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """The conjugated DFTs (OpenCV's packed real format, see :mod:`.spectra`)
        of the two images, zero-padded to ``size`` (rows, columns), over
        ``total`` and the transform's length (so that the inverse transform of
        the products is the agreement, with no pass to scale it); kept in
        :data:`SPECTRUM_CACHE` (every pyramid level has its own size, but a
        catalog's main images come in a few sizes)."""

        def compute() -> tuple[np.ndarray, np.ndarray]:
            scale = 1.0 / (self.total * size[0] * size[1])
            first = spectra.conjugate(_padded_dft(self.cos2, size) * scale)
            return first, spectra.conjugate(_padded_dft(self.sin2, size) * scale)

        first, second = SPECTRUM_CACHE.get(self, size, compute)
        return first, second


def _structure_tensor(
    image: np.ndarray, smooth: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The smoothed structure tensor as (Jxx − Jyy, 2·Jxy, Jxx + Jyy): the
    doubled-angle vector and the gradient energy (OpenCV's element-wise
    operations: this runs on every pyramid level)."""
    gx = cv2.Sobel(image, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(image, cv2.CV_32F, 0, 1, ksize=3)
    gxx, gyy = cv2.multiply(gx, gx), cv2.multiply(gy, gy)
    # In place once an input is no longer needed (bench: the orientation field
    # of an 800 px level 0.87x the time, the same values).
    diff = cv2.subtract(gxx, gyy)
    cross = cv2.multiply(gx, gy, dst=gx, scale=2.0)
    energy = cv2.add(gxx, gyy, dst=gxx)
    if smooth > 0:
        for part in (diff, cross, energy):
            cv2.GaussianBlur(part, (0, 0), smooth, dst=part)
    return diff, cross, energy


def orientation_field(
    image: np.ndarray,
    saturation: float,
    smooth: float,
    out: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The image's edge orientations as a doubled-angle field (cos 2θ, sin 2θ).

    Each pixel's orientation (modulo 180°, so a light mark and a dark one are
    alike) is a unit vector from the structure tensor smoothed at σ = ``smooth``,
    shortened where the gradient is weak (a Sobel response under ``saturation``)
    or incoherent: a pixel counts at most once however strong its edge, so a
    product's outline or a stone's rim cannot outweigh the mark's strokes as it
    does in an energy correlation. Texture under the mark adds orientations at
    random, which average out.

    ``out``, when given, are two arrays of the image's shape (views, say, of
    larger buffers) the field is written into and returned as.
    """
    diff, cross, energy = _structure_tensor(image, smooth)
    inverse = cv2.divide(1.0, np.add(energy, saturation * saturation, out=energy), dst=energy)
    targets = (diff, cross) if out is None else out
    fields = []
    for part, target in zip((diff, cross), targets, strict=True):
        written = cv2.multiply(part, inverse, dst=target)
        if not np.may_share_memory(written, target):  # OpenCV made its own array
            target[...] = written
        fields.append(target)
    return fields[0], fields[1]


def agreement(cos2: np.ndarray, sin2: np.ndarray, mark: Orientation) -> np.ndarray | None:
    """For every position, how well the orientation field (from
    :func:`orientation_field`) agrees with the mark's, in [0, 1]: the mean over
    the mark's edge pixels of the cosine of twice the angle between the two,
    weighted by the mark's coherence. ``None`` when the mark does not fit."""
    if not mark.fits(cos2.shape):
        return None
    size = _transform_size(cos2.shape)
    return _agreement((_padded(cos2, size), _padded(sin2, size)), cos2.shape, mark)


def _agreement(
    padded: tuple[np.ndarray, np.ndarray], shape: tuple[int, int], mark: Orientation
) -> np.ndarray:
    """:func:`agreement` of a field ``shape`` (rows, columns) given zero-padded
    to its transform size (the pyramid resizes each level's field straight
    into such a buffer: no copy to pad it)."""
    th, tw = mark.cos2.shape
    h, w = shape
    # Both correlations summed in the frequency domain: two forward transforms
    # and one inverse (bench: a quarter cheaper than two matchTemplate calls).
    # The transform is circular, but no valid window wraps round.
    size = (padded[0].shape[0], padded[0].shape[1])
    products = []
    for part, spectrum in zip(padded, mark.spectrum(size), strict=True):
        products.append(spectra.multiply(cv2.dft(part), spectrum))
    total = np.add(products[0], products[1], out=products[0])
    agree = cv2.idft(total, flags=cv2.DFT_REAL_OUTPUT)[: h - th + 1, : w - tw + 1]
    # In place: the map is a view of the inverse transform (no copy of it).
    return np.maximum(agree, 0.0, out=agree)  # the spectra are scaled: see Orientation.spectrum


@dataclass(frozen=True)
class Features:
    """Two masked template images and an orthonormal basis of their span."""

    first: np.ndarray
    second: np.ndarray
    u1: np.ndarray
    u2: np.ndarray
    mask: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        h, w = self.mask.shape
        return h, w

    @cached_property
    def area(self) -> float:
        """The mask's area (its sum), for the score maps."""
        return float(self.mask.sum())

    @cached_property
    def cells(self) -> _CellGrid:
        """The 4×2 cell grid's template sums (computed once per template size)."""
        return _CellGrid.of(self.first, self.second, self.mask)

    def spectra(self, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The conjugated DFTs of ``u1``, ``u2`` and ``mask`` zero-padded to
        ``size`` (rows, columns), over the transform's length, for
        :class:`_WindowSpectra`; kept in :data:`SPECTRUM_CACHE` (a refine
        window's size repeats from candidate to candidate)."""

        def compute() -> tuple[np.ndarray, ...]:
            # Over the transform's length: the inverse transforms need no scaling
            # pass (``DFT_SCALE``, bench: 8 % of each).
            scale = 1.0 / (size[0] * size[1])
            return tuple(
                spectra.conjugate(_padded_dft(a, size) * scale)
                for a in (self.u1, self.u2, self.mask)
            )

        u1, u2, mask = SPECTRUM_CACHE.get(self, size, compute)
        return u1, u2, mask

    @classmethod
    def of(cls, first: np.ndarray, second: np.ndarray, mask: np.ndarray) -> Features:
        u1 = first / (float(np.linalg.norm(first)) + 1e-9)
        rest = second - float((second * u1).sum()) * u1
        norm = float(np.linalg.norm(rest))
        # A one-colour mark with no distinct second image: the span is one image.
        u2 = rest / norm if norm > 1e-3 * float(np.linalg.norm(second)) + 1e-9 else rest * 0
        as32 = [np.ascontiguousarray(a, dtype=np.float32) for a in (first, second, u1, u2, mask)]
        return cls(*as32)


def band_pass(gray: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    """Difference of Gaussians: keeps strokes, drops the background's shading."""
    image = gray.astype(np.float32)
    low, high = band
    fine = cv2.GaussianBlur(image, (0, 0), low) if low > 0 else image
    return fine - cv2.GaussianBlur(image, (0, 0), high)


def _resize(gray: np.ndarray, factor: float, linear: bool = False) -> np.ndarray:
    """``gray`` resized by ``factor``: by pixel area when shrinking, unless
    ``linear`` (a pyramid step of ~0.88, where area resampling costs 8× as much
    for the same result, bench: same detections)."""
    if abs(factor - 1.0) < 1e-3:
        return gray
    h, w = gray.shape
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    area = factor < 1 and not linear
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA if area else cv2.INTER_LINEAR)


def _explained_share(
    c1: np.ndarray, c2: np.ndarray, energy: np.ndarray, feats: Features
) -> np.ndarray:
    """The score map from the correlations with the two basis images and the
    masked energy: the share of the window's energy their span explains."""
    # In place where the arrays are this function's own (this runs on every
    # refine and last round's every size); a sum of squares needs no floor.
    explained = np.multiply(c1, c1)
    explained += np.multiply(c2, c2)
    # A floor of one grey level of noise per pixel: flat areas explain nothing.
    denominator = np.maximum(energy, 0)
    denominator += feats.area
    explained /= denominator
    return np.sqrt(explained, out=explained)


@lru_cache(maxsize=4096)
def _dft_size(n: int) -> int:
    """The transform length for ``n`` samples: OpenCV's optimal size (a product
    of 2, 3 and 5), the next even one when that is odd (a real transform of odd
    length is off OpenCV's fast path: bench, 375 against 384, 5.5 against 3.2
    ns per pixel for 2-D)."""
    size = cv2.getOptimalDFTSize(n)
    while size % 2:
        size = cv2.getOptimalDFTSize(size + 1)
    return size


def _transform_size(shape: tuple[int, ...]) -> tuple[int, int]:
    """The transform size (rows, columns) for an image of ``shape``."""
    return _dft_size(shape[0]), _dft_size(shape[1])


def _padded(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``image`` zero-padded to ``size`` (rows, columns) at the bottom and right."""
    h, w = image.shape
    return cv2.copyMakeBorder(image, 0, size[0] - h, 0, size[1] - w, cv2.BORDER_CONSTANT)


def _padded_dft(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The DFT (OpenCV's packed real format) of ``image`` zero-padded to ``size``.

    Without ``nonzeroRows``: telling OpenCV that the padding's rows are zero
    takes it off its fast path (bench: 800×800, 5.2 against 1.0 ms)."""
    return cv2.dft(_padded(image, size))


def _correlate(spectrum: np.ndarray, template: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The valid part (``shape``) of the cross-correlation whose image DFT and
    conjugated template DFT (over the transform's length) are given: what
    ``cv2.matchTemplate(..., TM_CCORR)`` gives, with the image's transform
    shared by every template."""
    product = spectra.multiply(spectrum, template)
    full = cv2.idft(product, flags=cv2.DFT_REAL_OUTPUT)  # the template's is scaled
    return full[: shape[0], : shape[1]]


class _WindowSpectra:
    """One window of a region and the DFTs of it and of its square: a round
    scores several mark sizes in nearly the same window, and sharing the
    window's transforms makes the refine round a third of the cost of five
    ``matchTemplate`` calls of three templates each, and a last round 0.55-0.65x
    (same scores: both are float32 transforms)."""

    def __init__(self, window: np.ndarray) -> None:
        self.size = _transform_size(window.shape)
        padded = _padded(window, self.size)
        self.image = cv2.dft(padded)
        self.square = cv2.dft(cv2.multiply(padded, padded))  # the padding stays zero

    def score_map(
        self, feats: Features, rows: tuple[int, int], cols: tuple[int, int]
    ) -> np.ndarray | None:
        """For every position of the sub-window ``rows`` × ``cols`` (in window
        px), how much of the window's energy the mark's two-image span
        explains, as a correlation in [0, 1] (only the mark's pixels count);
        ``None`` when the mark does not fit in it."""
        th, tw = feats.shape
        shape = (rows[1] - rows[0] - th + 1, cols[1] - cols[0] - tw + 1)
        if shape[0] <= 0 or shape[1] <= 0:
            return None
        u1, u2, mask = feats.spectra(self.size)
        reach = (rows[1] - th + 1, cols[1] - tw + 1)
        c1 = _correlate(self.image, u1, reach)[rows[0] :, cols[0] :]
        c2 = _correlate(self.image, u2, reach)[rows[0] :, cols[0] :]
        energy = _correlate(self.square, mask, reach)[rows[0] :, cols[0] :]
        return _explained_share(c1, c2, energy, feats)


def find_mark(
    gray: np.ndarray,
    template: Template,
    image_width: int | None = None,
    settings: SearchSettings = SearchSettings(),
    full_gray: Callable[[], np.ndarray] | None = None,
) -> Match:
    """The best match of ``template`` in greyscale ``gray``.

    ``gray`` may be a reduced decode of an image ``image_width`` px wide (its
    header width); scales and the returned bbox refer to the full image.
    ``full_gray``, when given, decodes the image at full resolution: it is called
    only when a small mark's verdict is in doubt (see :class:`SearchSettings`).
    """
    return MarkSearch(gray, template, image_width, settings, full_gray).best(settings)


@dataclass(eq=False)  # a level is itself: compared by identity
class _Level:
    """One scale of the coarse pass, kept so that more peaks can be taken later:
    the level image, the mark's features and orientations at that size, and
    its agreement map (the peaks taken so far zeroed round them), computed
    when first asked for (:meth:`scores`) from the level's orientation field."""

    scale: float
    factor: float
    shrunk: np.ndarray
    feats: Features
    mark: Orientation
    #: The level's orientation field (cos 2θ, sin 2θ), each zero-padded to the
    #: transform size (the level's own size is ``shrunk``'s); dropped once the
    #: map is made.
    fields: tuple[np.ndarray, np.ndarray] | None
    map: np.ndarray | None = None
    mean: float = 0.0
    std: float = 1.0
    taken: int = 0

    def scores(self) -> np.ndarray:
        """The agreement map, computed on first use."""
        if self.map is None:
            assert self.fields is not None
            # The pyramid keeps only levels the mark fits.
            scores = _agreement(
                self.fields, (self.shrunk.shape[0], self.shrunk.shape[1]), self.mark
            )
            mean_, std_ = cv2.meanStdDev(scores)  # one pass, where NumPy's std takes three
            self.map, self.fields = scores, None
            self.mean, self.std = float(mean_[0, 0]), float(std_[0, 0]) + 1e-6
        return self.map


class MarkSearch:
    """The whole-image search of one image: the coarse pass's levels once (each
    level's map computed when a look first needs it), then :meth:`best` for
    one or more ways of refining its peaks. A second look
    with other settings (more peaks per scale or more candidates, none
    pruned) reuses the coarse pass's maps and the candidates already refined
    instead of computing them again; the result is the same as
    :func:`find_mark` with those settings."""

    def __init__(
        self,
        gray: np.ndarray,
        template: Template,
        image_width: int | None = None,
        settings: SearchSettings = SearchSettings(),
        full_gray: Callable[[], np.ndarray] | None = None,
    ) -> None:
        self.gray, self.template, self.full_gray = gray, template, full_gray
        self.full_w = image_width or gray.shape[1]
        self.coarse = _coarse_settings(settings)
        self.levels = _coarse_levels(gray, template, self.full_w, settings)
        # (rank, z-score in its map, scale, x, y in gray px, order in its level)
        self.candidates: list[tuple[float, float, float, float, float, int]] = []
        # What :meth:`best` computed, for a later, wider look to reuse.
        self.refined: dict[tuple[object, ...], tuple[Match, _Region]] = {}
        self.finals: dict[tuple[object, ...], Match] = {}

    def small_levels(self, share: float) -> list[_Level]:
        """The levels whose image is at most ``share`` of the largest level's
        area: the larger marks' scales, whose agreement maps are the cheap ones
        (the largest levels, for the smallest marks, cost most)."""
        largest = max((level.shrunk.size for level in self.levels), default=0)
        return [level for level in self.levels if level.shrunk.size <= share * largest]

    def best(
        self,
        settings: SearchSettings,
        enough: Callable[[Match], bool] | None = None,
        levels: list[_Level] | None = None,
    ) -> Match:
        """The best match with ``settings``' peaks, candidates and refinement;
        its coarse settings must be the ones the search was made with. With
        ``enough`` (whether a match is the mark), a match it accepts ranks above
        any it does not, and the last rounds stop at the first candidate (best
        refined first) whose match it accepts: the verdict needs no second
        candidate once one is the mark. ``levels`` (default: all of
        :attr:`levels`) are the scales whose peaks are candidates (see
        :meth:`small_levels`)."""
        if _coarse_settings(settings) != self.coarse:
            raise ValueError("a MarkSearch refines only with the coarse settings it was made with")
        used = self.levels if levels is None else levels
        peaks = []
        for level in used:
            if level.taken < settings.peaks_per_scale:
                peaks += _next_peaks(level, settings, settings.peaks_per_scale - level.taken)
        self.candidates += _ranked(peaks, settings)
        scales = {level.scale for level in used}
        candidates = sorted(
            (c for c in self.candidates if c[5] < settings.peaks_per_scale and c[2] in scales),
            reverse=True,
        )
        ranked = [c[:5] for c in candidates]
        # Refine: one broad scale round for each candidate, then narrower rounds
        # only for the ``final_count`` best (the refinement is most of the
        # cost). A candidate ranked far below the best is not refined (bench: at 0.7, the same
        # detections, a sixth less time). The peaks that stand out most in their
        # orientation maps are refined too, however they rank: the cell check is
        # unreliable at the coarse level under dense texture (bench: 53 -> 49
        # marks missed on the hard subset).
        floor = settings.prune * ranked[0][0] if ranked else 0.0
        chosen = [c for c in ranked[: settings.candidates] if c[0] >= floor]
        by_z = sorted(ranked, key=lambda c: c[1], reverse=True)
        chosen += [c for c in by_z[: settings.z_candidates] if c not in chosen]
        step = settings.scale_step
        firsts = []
        for _, _, scale, cx, cy in chosen:
            # A candidate the first look refined is not refined again by a wider
            # one: same settings for the refine round, same result.
            key = (scale, cx, cy, _refine_settings(settings))
            if key not in self.refined:
                region = _Region.around(self.gray, self.template, settings, scale, step, cx, cy)
                self.refined[key] = (_first_round(region, self.template, settings, step), region)
            firsts.append(self.refined[key])
        return _final_rounds(
            self.gray, self.template, self.full_w, settings, firsts, self.full_gray, self.finals,
            enough,
        )  # fmt: skip


def _coarse_settings(settings: SearchSettings) -> tuple[object, ...]:
    """What the coarse pass's maps and peaks depend on (not how many are taken)."""
    return (
        settings.min_scale, settings.max_scale, settings.coarse_steps,
        settings.coarse_mark_width, settings.coarse_band, settings.orientation_saturation,
        settings.orientation_smooth, settings.min_mark_px, settings.verify, settings.suppress,
    )  # fmt: skip


def _coarse_levels(
    gray: np.ndarray, template: Template, full_w: int, settings: SearchSettings
) -> list[_Level]:
    """The coarse pass's levels: the *image* shrunk so that the mark is
    ``coarse_mark_width`` px wide at each scale, and its orientation field, from
    which each level's agreement with the mark's edge orientations at every
    place is computed when first asked for (no peaks taken yet)."""
    to_full = full_w / gray.shape[1]
    steps, step = settings.coarse_steps, settings.scale_step
    levels: list[_Level] = []
    previous, previous_factor = gray.astype(np.float32), 1.0
    # The orientation field is computed once, on the first (largest) level, and
    # resized with the pyramid (bench: the same detections, a sixth faster than
    # a field computed afresh on every level).
    saturation, smooth = settings.orientation_saturation, settings.orientation_smooth
    fields: tuple[np.ndarray, np.ndarray] | None = None
    padded: tuple[np.ndarray, np.ndarray] | None = None
    for i in range(steps):
        scale = settings.min_scale * step**i
        mark_w = template.width * scale * full_w / REFERENCE_WIDTH / to_full  # in gray px
        if mark_w * to_full < settings.min_mark_px:
            continue  # too few pixels to tell the mark from noise at this scale
        factor = min(1.0, settings.coarse_mark_width / mark_w)
        # Each level is resized from the previous one: far cheaper than from full size.
        shrunk = _resize(previous, factor / previous_factor, linear=True)
        previous, previous_factor = shrunk, shrunk.shape[1] / gray.shape[1]
        factor = previous_factor
        width = max(4, round(mark_w * factor))
        mark = template.orientation(width, settings.coarse_band, smooth)
        size = _transform_size(shrunk.shape)
        if fields is None or fields[0].shape != shrunk.shape:
            # Computed or resized straight into buffers of the transform's size
            # whose padding is zeroed, so that the agreement needs no copy to pad
            # them (bench: 1.9 ms an image).
            h, w = shrunk.shape
            padded = (_padding_zeroed(size, (h, w)), _padding_zeroed(size, (h, w)))
            corners = (padded[0][:h, :w], padded[1][:h, :w])
            if fields is None:
                fields = orientation_field(shrunk, saturation, smooth, out=corners)
            else:
                fields = (
                    _resized_into(fields[0], corners[0]),
                    _resized_into(fields[1], corners[1]),
                )
        if not mark.fits(shrunk.shape):
            continue
        assert padded is not None  # made with the first level's field
        level_feats = template.features(width, settings.coarse_band)
        levels.append(_Level(scale, factor, shrunk, level_feats, mark, padded))
    return levels


def _padding_zeroed(size: tuple[int, int], shape: tuple[int, ...]) -> np.ndarray:
    """A float32 buffer of ``size`` whose part outside the top-left ``shape`` is
    zero (the rest is to be written: zeroing it too cost 0.9 ms an image)."""
    buffer = np.empty(size, np.float32)
    buffer[shape[0] :, :] = 0.0
    buffer[: shape[0], shape[1] :] = 0.0
    return buffer


def _resized_into(image: np.ndarray, target: np.ndarray) -> np.ndarray:
    """``image`` resized (bilinear) to ``target``'s shape, written into
    ``target`` (a view, say, of a larger buffer), which is returned."""
    h, w = target.shape
    out = cv2.resize(image, (w, h), dst=target, interpolation=cv2.INTER_LINEAR)
    if not np.may_share_memory(out, target):  # OpenCV made its own array after all
        target[...] = out
    return target


#: A coarse peak before it is ranked: its level, place in the level (px), how
#: far it stands out of the level's map (z-score) and its order in the level.
_Peak = tuple[_Level, int, int, float, int]


def _next_peaks(level: _Level, settings: SearchSettings, count: int) -> list[_Peak]:
    """The level's next ``count`` peaks, each away from the ones before it, with
    their order in the level; their surroundings are then no longer peaks."""
    scores = level.scores()
    th, tw = level.feats.shape
    ry, rx = round(th * settings.suppress), round(tw * settings.suppress)
    peaks = []
    for _ in range(count):
        _, value, _, (x, y) = cv2.minMaxLoc(scores)
        peaks.append((level, x, y, (value - level.mean) / level.std, level.taken))
        level.taken += 1
        scores[max(0, y - ry) : y + ry + 1, max(0, x - rx) : x + rx + 1] = 0.0
    return peaks


def _ranked(
    peaks: list[_Peak], settings: SearchSettings
) -> list[tuple[float, float, float, float, float, int]]:
    """The peaks as candidates ``(rank, z-score, scale, x, y in gray px, order
    in its level)``, ranked (see :class:`SearchSettings`). The peaks of all
    levels whose mark has one size (the coarse mark's width: all but a small
    image's) are checked in one array pass."""
    ranks = [z for _, _, _, z, _ in peaks]
    if settings.verify:
        by_size: dict[int, list[int]] = {}
        for i, peak in enumerate(peaks):
            by_size.setdefault(id(peak[0].feats), []).append(i)
        for group in by_size.values():
            points = [(peaks[i][0].shrunk, peaks[i][1], peaks[i][2]) for i in group]
            checked = _coarse_checks(points, peaks[group[0]][0].feats, settings.coarse_band)
            for i, rank in zip(group, checked, strict=True):
                ranks[i] = rank
    return [
        (rank, z, level.scale, x / level.factor, y / level.factor, order)
        for (level, x, y, z, order), rank in zip(peaks, ranks, strict=True)
    ]


def find_mark_at(
    gray: np.ndarray,
    template: Template,
    place: tuple[float, float, float],
    image_width: int | None = None,
    settings: SearchSettings = SearchSettings(),
    full_gray: Callable[[], np.ndarray] | None = None,
    shift: float = 0.035,
) -> Match:
    """The best match of ``template`` near where an official asset has its mark.

    ``place`` is ``(scale, x, y)``: the mark's scale (relative to a 1000 px wide
    image) and its top-left corner as fractions of the image's width and height,
    as measured in the asset (``listguard brandkit build``). A seller's copy may
    be resized and cropped by a few per cent, so the corner is searched within
    ``shift`` × the image's longer side of that place and the scale over the same
    span as a coarse candidate's; the rounds and the score are those of
    :func:`find_mark`. No coarse pass: about a tenth of the cost. A score under
    the threshold here says only that the mark is not where the asset has it.
    """
    full_w = image_width or gray.shape[1]
    step = settings.scale_step
    scale, fx, fy = place
    h, w = gray.shape
    mark_w = template.width * scale * w / REFERENCE_WIDTH  # in gray px
    if not place_is_usable(place, settings) or mark_w * full_w / w < settings.min_mark_px:
        return Match(0.0, (0, 0, 0, 0), 0.0)
    factor = min(1.0, settings.refine_mark_width / mark_w)
    margin = max(0.3 * mark_w, shift * max(w, h)) * factor  # in region px, both ways
    region = _Region.around(gray, template, settings, scale, step, fx * w, fy * h, margin=margin)
    return _refine(gray, template, full_w, settings, step, [region], full_gray)


def place_is_usable(place: tuple[float, float, float], settings: SearchSettings) -> bool:
    """Whether a mark place ``(scale, x, y)`` (see :func:`find_mark_at`) is one the
    search can use: the scale within (a little beyond, for a crop) the searched
    range, the corner on the image. NaN compares false: not usable. A kit is
    data, and a hostile or damaged place must cost only the shortcut."""
    scale, fx, fy = place
    in_range = settings.min_scale / 1.2 <= scale <= settings.max_scale * 1.2
    return in_range and 0 <= fx <= 1 and 0 <= fy <= 1


def _refine(
    gray: np.ndarray,
    template: Template,
    full_w: int,
    settings: SearchSettings,
    step: float,
    regions: list[_Region],
    full_gray: Callable[[], np.ndarray] | None,
) -> Match:
    """The refine and final rounds over candidate ``regions`` of ``gray`` (a
    reduced decode of an image ``full_w`` px wide): the best match, in image px."""
    firsts = [(_first_round(r, template, settings, step), r) for r in regions]
    return _final_rounds(gray, template, full_w, settings, firsts, full_gray)


def _refine_settings(settings: SearchSettings) -> tuple[object, ...]:
    """What a candidate's refine round depends on besides its place."""
    return (settings.refine_mark_width, settings.refine_sigma, settings.refine_steps,
            settings.edge_share, settings.min_scale, settings.max_scale,
            settings.coarse_steps)  # fmt: skip


def _first_round(
    region: _Region, template: Template, settings: SearchSettings, step: float
) -> Match:
    """The refine round of one candidate: ``refine_steps`` scales round its own."""
    return region.search(template, settings, region.scale, step**0.6, settings.refine_steps)


def _final_rounds(
    gray: np.ndarray,
    template: Template,
    full_w: int,
    settings: SearchSettings,
    firsts: list[tuple[Match, _Region]],
    full_gray: Callable[[], np.ndarray] | None,
    memo: dict[tuple[object, ...], Match] | None = None,
    enough: Callable[[Match], bool] | None = None,
) -> Match:
    """The final rounds for the ``final_count`` best refined candidates (those
    whose refine round scores ``final_from``; with none, the best refined one is
    returned as it is), and the full-resolution look when a small mark is in
    doubt: the best match, in image px. ``memo`` keeps final rounds already run
    on this image (a wider look's best candidates are often the first look's). A
    match ``enough`` accepts ends the rounds (see :meth:`MarkSearch.best`)."""
    to_full = full_w / gray.shape[1]
    firsts = sorted(firsts, key=lambda pair: pair[0].score, reverse=True)
    if firsts and firsts[0][0].score < settings.final_from:
        # No candidate earns the last rounds: the best refined one is the
        # evidence, with its refine round's plain share as its score (no inside:
        # not the mark).
        first, region = firsts[0]
        return _clipped(region.to_full(first, to_full, ()), full_w, round(gray.shape[0] * to_full))
    firsts = [pair for pair in firsts if pair[0].score >= settings.final_from]
    best = Match(0.0, (0, 0, 0, 0), 0.0)
    for first, region in firsts[: settings.final_count]:
        x, y, _, _ = region.to_full(first, 1.0, ()).bbox
        key = (first.scale, x, y, settings.final_mark_width, settings.final_sigma,
               settings.clutter_share, settings.clutter_boost)  # fmt: skip
        found = memo.get(key) if memo is not None else None
        if found is None:
            found = _final(gray, to_full, template, settings, first.scale, x, y)
            if memo is not None:
                memo[key] = found
        if ranks_higher(found, best, enough):
            best = found
        if enough is not None and enough(best):
            break
    # A small mark in a reduced (draft) decode has few pixels left: when the
    # verdict is in doubt, score it again on the full-resolution image (bench:
    # faint marks ~80 px wide in the reduced image, 0.56-0.61 → 0.80-0.87).
    mark_px = best.bbox[2] / to_full
    if (
        full_gray is not None
        and best.bbox[2] > 0
        and to_full > 1.2
        and mark_px < settings.full_res_below_px
        and settings.full_res_from <= best.score < settings.full_res_until
    ):
        full_key = ("full", best.scale, best.bbox, settings.final_mark_width, settings.final_sigma)
        found = memo.get(full_key) if memo is not None else None
        if found is None:
            full = full_gray().astype(np.float32)
            back = full.shape[1] / gray.shape[1]
            x, y = best.bbox[0] / to_full * back, best.bbox[1] / to_full * back
            found = _final(full, full_w / full.shape[1], template, settings, best.scale, x, y)
            if memo is not None:
                memo[full_key] = found
        if ranks_higher(found, best, enough):
            best = found
    return _clipped(best, full_w, round(gray.shape[0] * to_full))


def ranks_higher(match: Match, other: Match, enough: Callable[[Match], bool] | None = None) -> bool:
    """Whether ``match`` is the better of the two: the higher score, except that
    with ``enough`` (whether a match is the mark) a match it accepts ranks above
    any it does not (a look-alike that outscores the mark does not hide it, and
    a full-resolution rescore cannot undo an accepted match with one that is
    not). The one ordering of matches, within a search and between looks."""
    if enough is None:
        return match.score > other.score
    return (enough(match), match.score) > (enough(other), other.score)


def _clipped(match: Match, width: int, height: int) -> Match:
    """``match`` with its box cut to the image (a mark may run off its edge)."""
    x, y, w, h = match.bbox
    if w <= 0 or h <= 0:
        return match
    x1, y1 = min(width, x + w), min(height, y + h)
    x, y = max(0, x), max(0, y)
    return replace(match, bbox=(x, y, max(0, x1 - x), max(0, y1 - y)))


def _final(
    gray: np.ndarray,
    to_full: float,
    template: Template,
    settings: SearchSettings,
    scale: float,
    x: float,
    y: float,
) -> Match:
    """The last rounds, at a higher resolution: thin strokes lose most of their
    correlation to sub-pixel misalignment when reduced. ``(x, y)`` is the
    candidate's corner in ``gray`` px; the match is returned in image px."""
    fine = _Region.around(
        gray, template, settings, scale, 1.03, x, y, settings.final_mark_width, 4.0,
        settings.final_sigma,
    )  # fmt: skip
    match = fine.search(template, settings, scale, 1.0, 1)
    for spread, count in ((1.03, 5), (1.01, 3)):
        narrower = fine.search(template, settings, match.scale, spread, count, match, 3.0)
        if narrower.score >= match.score:
            match = narrower
    bx, by, tw, th = match.bbox
    if tw <= 0 or th <= 0:  # nothing matched at all (a flat, single-colour image)
        return fine.to_full(match, to_full, (), 0.0)
    feats = template.features(tw, (0.0, fine.sigma))
    patch = fine.image[by : by + th, bx : bx + tw]
    if patch.shape != feats.shape:  # clipped by the region's edge
        return fine.to_full(match, to_full, ())
    # The correlation of each inked cell of the 4×2 grid is evidence: a look-alike
    # (same badge, other text) matches some cells well and others not at all.
    cells = _cell_fit(patch, feats).shares
    fit = Projection.of(patch, feats)
    score = _clutter_corrected(fine.image, feats, fit, match.bbox, settings)
    root_area = math.sqrt(fit.area) or 1.0
    amplitude = (fit.c1 / root_area, fit.c2 / root_area)
    inner = _inner_share(fit, feats)
    return replace(
        fine.to_full(match, to_full, cells, score),
        amplitude=amplitude,
        inner=inner,
    )


#: The mark's outer ring, for :func:`_inner_share`: this share of its height in
#: from each side of its box.
_RIM = 0.18


def _inner_share(fit: Projection, feats: Features) -> float:
    """How strongly the mark's inside is there against its outer ring: the window
    fitted on the mark's fitted image cut in two, inside and ring, each part with
    its own coefficient; their ratio. A mark composited at one opacity has both
    parts alike (about 1, texture adding noise); a look-alike badge's other word
    fits the mark's inside poorly, and its frame alone not at all (about 0)."""
    th, tw = feats.shape
    image = fit.fitted(feats)
    rim = max(1, round(_RIM * th))
    inside = np.zeros((th, tw), bool)
    inside[rim : th - rim, rim : tw - rim] = True
    parts = []
    for part in (inside, ~inside):
        d = np.where(part, image, 0.0)
        energy = float((d * d).sum())
        parts.append(float((fit.masked * d).sum()) / energy if energy > 0 else math.nan)
    inner, outer = parts
    return inner / outer if outer > 0 else math.nan


@dataclass(frozen=True)
class Projection:
    """A window ``patch`` (float64), its masked pixels, and its coefficients on the
    mark's two orthonormal basis images: computed once for the last round's
    score, the match's amplitude and its inside (and by :mod:`.window` for the
    asset's stored window and what a copy leaves of it)."""

    patch: np.ndarray
    masked: np.ndarray
    c1: float
    c2: float
    area: float  # of the mask

    @classmethod
    def of(cls, patch: np.ndarray, feats: Features) -> Projection:
        patch64 = patch.astype(np.float64)
        mask = feats.mask.astype(np.float64)
        masked = patch64 * mask
        c1, c2 = float((feats.u1 * masked).sum()), float((feats.u2 * masked).sum())
        return cls(patch64, masked, c1, c2, float(mask.sum()))

    def fitted(self, feats: Features) -> np.ndarray:
        """The mark as fitted to the window: its two basis images at these
        coefficients (float64)."""
        return self.c1 * feats.u1.astype(np.float64) + self.c2 * feats.u2.astype(np.float64)


def amplitude_share(copy: tuple[float, float], original: tuple[float, float]) -> float:
    """How much of ``original``'s mark (its :attr:`Match.amplitude`) ``copy``
    holds along it: about 1 for a copy of the image the original was measured in,
    about 0 when the mark is not there (the background's texture projects on the
    mark at random, either sign). NaN when the original has no amplitude."""
    norm = original[0] * original[0] + original[1] * original[1]
    if not norm > 0:
        return math.nan
    return (copy[0] * original[0] + copy[1] * original[1]) / norm


_RING = 12  # px round the match where the background's texture is measured


def _clutter_corrected(
    region: np.ndarray,
    feats: Features,
    fit: Projection,
    bbox: tuple[int, int, int, int],
    settings: SearchSettings,
) -> float | None:
    """The decision score: the share of the window's energy the mark explains,
    once the energy the background itself puts under the mark is discounted.

    A faint mark over printed text, stripes or gravel explains its own strokes
    but not the texture showing through between and under them, so its plain
    share is low although the mark is all there. The texture's energy per pixel
    is measured on the window's pixels the mark does not cover and on a ring
    round the window (the lower of the two); the part ``clutter_share`` of what
    that predicts under the mask is taken off the energy to be explained, but
    never more than divides the energy by ``clutter_boost`` (so a textured
    window with no mark cannot explain "all" of a remainder near zero). A
    look-alike on a clean background gains little: its unexplained energy is
    its own other word, not texture (bench, main corpus: at one false positive,
    57 -> 19 marks missed). ``None`` when there are too few pixels beside the
    strokes to measure the texture: the plain share stands. ``fit`` is the
    window's :class:`Projection` (``bbox`` in ``region``).
    """
    bx, by, tw, th = bbox
    patch, masked, area = fit.patch, fit.masked, fit.area
    explained = fit.c1**2 + fit.c2**2
    # One grey level of noise per pixel, as in the search: flat areas explain nothing.
    energy = float((masked * masked).sum()) + area
    outside = feats.mask < 0.5
    y0, x0 = max(0, by - _RING), max(0, bx - _RING)
    around = region[y0 : by + th + _RING, x0 : bx + tw + _RING].astype(np.float64)
    ring = around.size - patch.size
    if int(outside.sum()) < 50 or ring < 50:  # too few pixels to measure the texture
        return None
    # Both the uncovered pixels inside and a ring round the mark must show the
    # texture (the first alone is noisy for a small mark, the second alone
    # misreads an edge next to it).
    inside = float((patch[outside] ** 2).mean())
    beside = (float((around * around).sum()) - float((patch * patch).sum())) / ring
    texture = min(inside, beside) * area
    remainder = max(explained, energy - settings.clutter_share * texture,
                    energy / settings.clutter_boost)  # fmt: skip
    return math.sqrt(min(1.0, explained / remainder))


def _coarse_checks(
    points: list[tuple[np.ndarray, int, int]], feats: Features, band: tuple[float, float]
) -> list[float]:
    """The rank of each coarse peak ``(level image, x, y)`` in ``points``, at
    its coarse level (all with the mark of ``feats``' size): the lower of the
    cells' pooled fit and their median. Comparable across levels; low for a
    partial match (a product edge, a piece of a larger mark); and, because
    each cell is fitted on its own, not lowered when the background under the
    mark changes from light to dark (bench, hard subset: 112 → 91 marks missed,
    16 → 5 of the photo ones; the worst look-alike unchanged). Only the
    patches are band-passed (with the margin the filter needs), not the whole
    level."""
    th, tw = feats.shape
    pad = math.ceil(4 * max(band))
    patches, where = [], []
    for i, (level, x, y) in enumerate(points):
        y0, x0 = max(0, y - pad), max(0, x - pad)
        around = band_pass(level[y0 : y + th + pad, x0 : x + tw + pad], band)
        patch = around[y - y0 : y - y0 + th, x - x0 : x - x0 + tw]
        if patch.shape == feats.shape:
            patches.append(patch)
            where.append(i)
    ranks = [0.0] * len(points)
    if not patches or not feats.cells.inked.any():
        return ranks
    shares, pooled = _cell_fits(np.stack(patches), feats)
    medians = np.median(shares, axis=1)
    for i, p, m in zip(where, pooled, medians, strict=True):
        ranks[i] = min(float(p), float(m))
    return ranks


@dataclass
class _Region:
    """A band-passed window of the image around one coarse candidate, reduced so
    that the mark is about ``refine_mark_width`` px wide."""

    image: np.ndarray
    factor: float  # region px per gray px
    x0: float  # region origin in gray px (negative where it runs off the image)
    y0: float
    cx: float  # candidate centre, region px
    cy: float
    margin: float
    scale: float
    gray_width: int
    sigma: float

    @classmethod
    def around(
        cls,
        gray: np.ndarray,
        template: Template,
        settings: SearchSettings,
        scale: float,
        step: float,
        x: float,
        y: float,
        target_width: int | None = None,
        margin: float | None = None,
        sigma: float | None = None,
    ) -> _Region:
        mark_w = template.width * scale * gray.shape[1] / REFERENCE_WIDTH
        mark_h = mark_w * template.height / template.width
        factor = min(1.0, (target_width or settings.refine_mark_width) / mark_w)
        if margin is None:
            margin = 0.3 * mark_w * factor
        pad = mark_w * (step - 1) + (margin + 6) / factor
        h, w = gray.shape
        x0, y0 = max(0, int(x - pad)), max(0, int(y - pad))
        x1 = min(w, int(x + mark_w * step + pad) + 1)
        y1 = min(h, int(y + mark_h * step + pad) + 1)
        sigma = settings.refine_sigma if sigma is None else sigma
        image = band_pass(_resize(gray[y0:y1, x0:x1], factor), (0.0, sigma))
        # Where the window runs off the image, it goes on as zeros (no energy, so
        # nothing to explain there) for up to ``edge_share`` of the mark: a mark
        # an official image's crop cut at the edge still fits by its visible part,
        # and its score is lowered by the share of its energy cut off.
        edge_x, edge_y = settings.edge_share * mark_w, settings.edge_share * mark_h
        left = round(min(edge_x, max(0.0, pad - x)) * factor) if x0 == 0 else 0
        top = round(min(edge_y, max(0.0, pad - y)) * factor) if y0 == 0 else 0
        right = bottom = 0
        if x1 == w:
            right = round(min(edge_x, max(0.0, x + mark_w * step + pad - w)) * factor)
        if y1 == h:
            bottom = round(min(edge_y, max(0.0, y + mark_h * step + pad - h)) * factor)
        if left or top or right or bottom:
            image = cv2.copyMakeBorder(image, top, bottom, left, right, cv2.BORDER_CONSTANT, 0)
        ox, oy = x0 - left / factor, y0 - top / factor
        cx, cy = (x + mark_w / 2 - ox) * factor, (y + mark_h / 2 - oy) * factor
        return cls(image, factor, ox, oy, cx, cy, margin, scale, w, sigma)

    def search(
        self,
        template: Template,
        settings: SearchSettings,
        centre: float,
        spread: float,
        count: int,
        around: Match | None = None,
        margin: float | None = None,
    ) -> Match:
        """The best of ``count`` scales from centre/spread to centre·spread, in
        region px, near the candidate (or near ``around``'s box)."""
        cx, cy = self.cx, self.cy
        if around is not None:
            bx, by, bw, bh = around.bbox
            cx, cy = bx + bw / 2, by + bh / 2
        margin = self.margin if margin is None else margin
        band = (0.0, self.sigma)
        best = Match(0.0, (0, 0, 0, 0), centre)
        windows = []
        for i in range(count):
            s = centre * spread ** (2 * i / (count - 1) - 1) if count > 1 else centre
            width = template.width * s * self.gray_width / REFERENCE_WIDTH * self.factor
            feats = template.features(max(6, round(width)), band)
            th, tw = feats.shape
            x0, y0 = max(0, int(cx - tw / 2 - margin)), max(0, int(cy - th / 2 - margin))
            x1 = min(self.image.shape[1], int(cx + tw / 2 + margin) + 2)
            y1 = min(self.image.shape[0], int(cy + th / 2 + margin) + 2)
            windows.append((s, feats, x0, y0, x1, y1))
        # Every size is scored in the union of their windows, transformed once:
        # the refine round's five sizes (their spectra repeat from candidate to
        # candidate, so they are cached) and the last rounds' too (bench: a
        # last round 0.55-0.65x the time of three matchTemplate calls a size,
        # the same scores on 53 last rounds).
        if not windows:
            return best  # no size asked for: nothing to score
        ux0, uy0 = min(w[2] for w in windows), min(w[3] for w in windows)
        ux1, uy1 = max(w[4] for w in windows), max(w[5] for w in windows)
        if ux1 <= ux0 or uy1 <= uy0:
            return best  # no window at all: nothing to score
        shared = _WindowSpectra(self.image[uy0:uy1, ux0:ux1])
        for s, feats, x0, y0, x1, y1 in windows:
            scores = shared.score_map(feats, (y0 - uy0, y1 - uy0), (x0 - ux0, x1 - ux0))
            if scores is None:
                continue
            th, tw = feats.shape
            _, value, _, (bx, by) = cv2.minMaxLoc(scores)
            if value > best.score:
                best = Match(float(value), (x0 + bx, y0 + by, tw, th), s)
        return best

    def to_full(
        self, match: Match, to_full: float, cells: tuple[float, ...], score: float | None = None
    ) -> Match:
        """``match`` in image px, with its cells and decision score (default: its
        plain share); ``correlation`` keeps the plain share."""
        bx, by, bw, bh = match.bbox
        back = to_full / self.factor
        bbox = (
            round((self.x0 + bx / self.factor) * to_full),
            round((self.y0 + by / self.factor) * to_full),
            round(bw * back),
            round(bh * back),
        )
        decision = match.score if score is None else score
        return Match(decision, bbox, match.scale, cells, match.score)


@dataclass(frozen=True)
class _CellFit:
    """How well each inked cell of a 4×2 grid is explained by the mark (``shares``,
    correlations in [0, 1]), and all of them together (``pooled``: the explained
    energy of the cells, each fitted on its own, over their total energy)."""

    shares: tuple[float, ...]
    pooled: float


def _cell_fit(patch: np.ndarray, feats: Features) -> _CellFit:
    """The least-squares fit of each cell of a 4×2 grid of ``patch`` on the two
    template images (see :func:`_cell_fits`)."""
    shares, pooled = _cell_fits(patch[np.newaxis], feats)
    return _CellFit(tuple(float(v) for v in shares[0]), float(pooled[0]))


def _cell_fits(patches: np.ndarray, feats: Features) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_cell_fit` of a stack of patches (``k × th × tw``): their inked
    cells' shares (``k × cells``) and pooled fits (``k``), all cells of all
    patches at once from block sums (the 2×2 normal equations in closed form;
    the coarse check runs this for some forty peaks per image)."""
    grid = feats.cells
    a, b = feats.first, feats.second
    piece = patches.astype(np.float64) * feats.mask
    ap, bp = grid.sums(a * piece), grid.sums(b * piece)
    total = grid.sums(piece * piece) + grid.area
    aa, bb, ab = grid.aa, grid.bb, grid.ab
    with np.errstate(divide="ignore", invalid="ignore"):
        # ||B·c||² = c·(Bᵀp) at the least-squares c; one image alone when the two
        # are (nearly) collinear in a cell.
        two = (bb * ap * ap - 2 * ab * ap * bp + aa * bp * bp) / grid.det
        one = np.where(aa > 0, ap * ap / aa, 0.0)
        explained = np.clip(np.nan_to_num(np.where(grid.independent, two, one)), 0.0, None)
        share = np.sqrt(np.clip(explained / total, 0.0, 1.0))
    k, inked = len(patches), grid.inked
    kept = total.reshape(k, -1)[:, inked].sum(axis=1)
    fitted = explained.reshape(k, -1)[:, inked].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = np.where(kept > 0, np.sqrt(np.minimum(1.0, fitted / kept)), 0.0)
    return share.reshape(k, -1)[:, inked], pooled


@dataclass(frozen=True)
class _CellGrid:
    """The 4×2 grid of a template size and its template-only block sums."""

    rows: np.ndarray
    cols: np.ndarray
    aa: np.ndarray
    bb: np.ndarray
    ab: np.ndarray
    area: np.ndarray
    det: np.ndarray
    independent: np.ndarray
    inked: np.ndarray  # cells with at least 0.2× the mean template energy

    def sums(self, values: np.ndarray) -> np.ndarray:
        """The block sums of ``values`` (its last two axes: the template's)."""
        by_rows = np.add.reduceat(values, self.rows, axis=-2)
        return np.add.reduceat(by_rows, self.cols, axis=-1)

    @classmethod
    def of(cls, first: np.ndarray, second: np.ndarray, mask: np.ndarray) -> _CellGrid:
        th, tw = mask.shape
        rows = np.array([0, (th + 1) // 2])
        cols = np.array([part[0] for part in np.array_split(np.arange(tw), 4)])
        a, b = first.astype(np.float64), second.astype(np.float64)
        grid = cls(rows, cols, *(np.zeros(0),) * 7)
        aa, bb, ab = grid.sums(a * a), grid.sums(b * b), grid.sums(a * b)
        det = aa * bb - ab * ab
        energy = (aa + bb).ravel()
        return cls(
            rows,
            cols,
            aa,
            bb,
            ab,
            grid.sums(mask.astype(np.float64)),
            det,
            det > 1e-9 * np.maximum(aa * bb, 1e-30),
            energy >= 0.2 * energy.mean(),
        )


@lru_cache(maxsize=8)
def cached_template(path: str, mtime_ns: int, max_pixels: int) -> Template:
    """The prepared template for a file, loaded once per process (``mtime_ns``
    is part of the key so an edited kit is re-read)."""
    from pathlib import Path

    from .decode import load_rgba

    return Template(load_rgba(Path(path), max_pixels))
