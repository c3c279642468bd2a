"""Find the watermark mark in an image: masked, high-pass, two-stage template matching.

Why this design (measured in ``bench/watermark``):

* Plain intensity template matching confuses a faint mark with texture. Both the
  image and the template are high-passed first (the image minus a Gaussian-
  blurred copy), so only edges and strokes are compared, whatever the
  background's brightness.
* The template's alpha is the match mask: only pixels the mark covers count,
  so the texture next to the mark (inside its bounding box) does not dilute the
  score. The score is OpenCV's masked normalised cross-correlation
  (``TM_CCORR_NORMED``), in [0, 1].
* The mark may be anywhere, at 0.4×–1.6× of the template's size relative to a
  1000 px wide image. A coarse pass searches the whole image at a reduced width
  over a few geometric scale steps; the best few candidates are refined at the
  working width over finer scales in a small window around each.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

#: The width the template's size refers to (SPEC: scales relative to a 1000 px image).
REFERENCE_WIDTH = 1000


@dataclass(frozen=True)
class SearchSettings:
    """Knobs of the search; the defaults are the benchmarked ones.

    The coarse pass resizes the *image* so that the mark, at each of
    ``coarse_steps`` scales, is ``coarse_mark_width`` px wide, and matches one
    band-passed template there (an image pyramid: small marks are searched at
    high resolution, large ones cheaply). Candidates are ranked by how far their
    score stands out of that scale's score map (z-score), since small templates
    give higher chance scores. Each of the best ``candidates`` is refined with
    the mark ``refine_mark_width`` px wide over ``refine_steps`` finer scales.
    """

    min_scale: float = 0.4
    max_scale: float = 1.6
    coarse_steps: int = 10
    coarse_mark_width: int = 60
    coarse_band: tuple[float, float] = (0.8, 2.5)
    candidates: int = 6
    refine_mark_width: int = 140
    refine_sigma: float = 1.2
    refine_steps: int = 7


@dataclass(frozen=True)
class Match:
    """The best match: score in [0, 1], bbox ``(x, y, w, h)`` in image pixels,
    and the scale (relative to a 1000 px wide image)."""

    score: float
    bbox: tuple[int, int, int, int]
    scale: float
    cells: tuple[float, ...] = ()


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
        gray = 128.0 + alpha * (luma - 128.0)
        ys, xs = np.nonzero(alpha > 0.02)
        # Crop to the visible mark so the bbox is the mark's, not its canvas's.
        self.gray = gray[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
        self.alpha = alpha[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
        self.height, self.width = self.alpha.shape
        self._cache: dict[tuple[int, int, float, float], tuple[np.ndarray, np.ndarray]] = {}

    def features(self, width: int, band: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
        """Band-passed template ``width`` px wide and its mask (cached per process)."""
        height = max(4, round(self.height * width / self.width))
        key = (width, height, *band)
        if key not in self._cache:
            gray = cv2.resize(self.gray, (width, height), interpolation=cv2.INTER_AREA)
            alpha = cv2.resize(self.alpha, (width, height), interpolation=cv2.INTER_AREA)
            high = band_pass(gray, band)
            # The filter spreads each stroke by ~2 sigma: widen the mask to match.
            radius = max(1, math.ceil(band[1]))
            kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
            mask = cv2.dilate((alpha > 0.1).astype(np.uint8), kernel).astype(np.float32)
            self._cache[key] = (np.ascontiguousarray(high * mask), mask)
        return self._cache[key]


def band_pass(gray: np.ndarray, band: tuple[float, float]) -> np.ndarray:
    """Difference of Gaussians: keeps strokes, drops the background's shading."""
    image = gray.astype(np.float32)
    low, high = band
    fine = cv2.GaussianBlur(image, (0, 0), low) if low > 0 else image
    return fine - cv2.GaussianBlur(image, (0, 0), high)


def _resize(gray: np.ndarray, factor: float) -> np.ndarray:
    if abs(factor - 1.0) < 1e-3:
        return gray
    h, w = gray.shape
    size = (max(1, round(w * factor)), max(1, round(h * factor)))
    return cv2.resize(gray, size, interpolation=cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR)


def _score_map(
    image: np.ndarray, template: np.ndarray, mask: np.ndarray | None
) -> np.ndarray | None:
    th, tw = template.shape
    if th > image.shape[0] or tw > image.shape[1]:
        return None
    if mask is None:
        result = cv2.matchTemplate(image, template, cv2.TM_CCORR_NORMED)
    else:
        result = cv2.matchTemplate(image, template, cv2.TM_CCORR_NORMED, mask=mask)
    # Flat regions give 0/0: OpenCV returns inf or nan there; they are no match.
    return np.nan_to_num(result, nan=0.0, posinf=0.0, neginf=0.0)


def find_mark(
    gray: np.ndarray,
    template: Template,
    image_width: int | None = None,
    settings: SearchSettings = SearchSettings(),
) -> Match:
    """The best match of ``template`` in greyscale ``gray``.

    ``gray`` may be a reduced decode of an image ``image_width`` px wide (its
    header width); scales and the returned bbox refer to the full image.
    """
    full_w = image_width or gray.shape[1]
    to_full = full_w / gray.shape[1]
    steps = settings.coarse_steps
    step = (settings.max_scale / settings.min_scale) ** (1 / (steps - 1))
    feats, _ = template.features(settings.coarse_mark_width, settings.coarse_band)

    candidates: list[tuple[float, float, float, float]] = []  # z, scale, x, y (full px)
    for i in range(steps):
        scale = settings.min_scale * step**i
        mark_w = template.width * scale * full_w / REFERENCE_WIDTH / to_full  # in gray px
        factor = min(1.0, settings.coarse_mark_width / mark_w)
        level = band_pass(_resize(gray, factor), settings.coarse_band)
        width = max(4, round(mark_w * factor))
        level_feats = (
            feats
            if width == settings.coarse_mark_width
            else template.features(width, settings.coarse_band)[0]
        )
        scores = _score_map(level, level_feats, None)
        if scores is None:
            continue
        mean, std = float(scores.mean()), float(scores.std()) + 1e-6
        th, tw = level_feats.shape
        for _ in range(2):  # two peaks per scale, the second away from the first
            _, value, _, (x, y) = cv2.minMaxLoc(scores)
            back = to_full / factor
            candidates.append(((value - mean) / std, scale, x * back, y * back))
            top, left = max(0, y - th // 2), max(0, x - tw // 2)
            scores[top : y + th // 2 + 1, left : x + tw // 2 + 1] = 0.0
    candidates.sort(reverse=True)

    best = Match(0.0, (0, 0, 0, 0), 0.0)
    for _, scale, cx, cy in candidates[: settings.candidates]:
        match = _refine(gray, to_full, template, settings, scale, step, cx, cy)
        if match.score > best.score:
            best = match
    return best


def _refine(
    gray: np.ndarray,
    to_full: float,
    template: Template,
    settings: SearchSettings,
    scale: float,
    step: float,
    x: float,
    y: float,
) -> Match:
    """Refine one coarse candidate (top-left ``x, y`` in full-image px).

    The score of a thin-stroked mark falls off within about 1 % of the right
    scale, so the scale is searched in rounds, each narrower and finer than the
    last, in a window around the best position so far; the mark is about
    ``refine_mark_width`` px wide (the window is reduced to that).
    """
    mark_w = template.width * scale * gray.shape[1] / REFERENCE_WIDTH  # gray px
    factor = min(1.0, settings.refine_mark_width / mark_w)
    # Position and size in *reduced* px from here on.
    cx = (x / to_full + mark_w / 2) * factor
    cy = (y / to_full + mark_w * template.height / template.width / 2) * factor
    best = Match(0.0, (0, 0, 0, 0), scale)
    best_s, margin = scale, 0.3 * mark_w * factor
    reduced = _resize(gray, factor) if factor < 1.0 else gray
    band = (0.0, settings.refine_sigma)
    span = step**0.6
    for spread, count in ((span, settings.refine_steps), (1.03, 5), (1.01, 3)):
        centre = best_s
        round_best = Match(-1.0, (0, 0, 0, 0), centre)
        for i in range(count):
            s = centre * spread ** (2 * i / (count - 1) - 1)
            width = max(6, round(template.width * s * gray.shape[1] / REFERENCE_WIDTH * factor))
            feats, mask = template.features(width, band)
            th, tw = feats.shape
            x0, y0 = max(0, int(cx - tw / 2 - margin)), max(0, int(cy - th / 2 - margin))
            x1 = min(reduced.shape[1], int(cx + tw / 2 + margin) + 2)
            y1 = min(reduced.shape[0], int(cy + th / 2 + margin) + 2)
            window = band_pass(reduced[y0:y1, x0:x1], band)
            scores = _score_map(window, feats, mask)
            if scores is None:
                continue
            _, value, _, (bx, by) = cv2.minMaxLoc(scores)
            if value > round_best.score:
                round_best = Match(float(value), (x0 + bx, y0 + by, tw, th), s)
        if round_best.score < 0:
            break
        best_s = round_best.scale
        bx, by, tw, th = round_best.bbox
        cx, cy = bx + tw / 2, by + th / 2
        margin = 3.0
        if round_best.score >= best.score:
            best = round_best
    bx, by, tw, th = best.bbox
    if best.score > 0:
        best = Match(best.score, best.bbox, best.scale, _cell_scores(reduced, template, best, band))
    back = to_full / factor
    bbox = (round(bx * back), round(by * back), round(tw * back), round(th * back))
    return Match(best.score, bbox, best.scale, best.cells)


def _cell_scores(
    image: np.ndarray, template: Template, match: Match, band: tuple[float, float]
) -> tuple[float, ...]:
    """The correlation of each cell of a 4×2 grid over the match, for the cells
    where the template has ink: a look-alike (same badge, other text) matches
    some cells well and others not at all; the genuine mark matches all."""
    bx, by, tw, th = match.bbox
    pad = 8
    y0, x0 = max(0, by - pad), max(0, bx - pad)
    patch = band_pass(image[y0 : by + th + pad, x0 : bx + tw + pad], band)
    patch = patch[by - y0 : by - y0 + th, bx - x0 : bx - x0 + tw]
    feats, mask = template.features(tw, band)
    if patch.shape != feats.shape:
        return ()
    energy = feats**2
    cells = []
    for rows in np.array_split(np.arange(th), 2):
        for cols in np.array_split(np.arange(tw), 4):
            sl = (slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
            cells.append((float(energy[sl].sum()), sl))
    mean_energy = sum(e for e, _ in cells) / len(cells)
    scores = []
    for e, sl in cells:
        if e < 0.2 * mean_energy:
            continue
        t, i, m = feats[sl], patch[sl], mask[sl]
        denominator = math.sqrt(e * float(((i * m) ** 2).sum())) + 1e-9
        scores.append(float((t * i).sum()) / denominator)
    return tuple(scores)


@lru_cache(maxsize=8)
def cached_template(path: str, mtime_ns: int, max_pixels: int) -> Template:
    """The prepared template for a file, loaded once per process (``mtime_ns``
    is part of the key so an edited kit is re-read)."""
    from pathlib import Path

    from .decode import load_rgba

    return Template(load_rgba(Path(path), max_pixels))
