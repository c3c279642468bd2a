"""The window round an official asset's mark, and whether a listing image holds
the same one.

``listguard brandkit build`` stores, with each asset's mark place, the grey
pixels round the mark as the asset has them (a small PNG: the mark
``MARK_WIDTH`` px wide, with a margin; ~1.5 KB of base64). A listing image that
matches the asset (WM002) and whose mark, where the asset has it, scores under
the threshold may
still be an unaltered copy of the asset whose mark re-encoding and resizing made
faint. :func:`compare` aligns the stored window on the image and looks at what
is left once one is subtracted from the other: for a copy, only re-encoding
noise, as much on the mark's pixels as round them; for the asset's photo with
the mark removed, the mark itself; with another badge put in its place, the
difference between the two. The texture under the mark, which is what makes a
faint mark hard to score, is in both windows and cancels.

The test says only "the same picture as the asset" at that scale (a blur of
about a stroke's width, finer than the window sees, passes); that the asset
carries the mark is the kit's part (its recorded score must reach the threshold, checked by
the caller). Every threshold here is the benchmark's (``bench/watermark``).
"""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from .matcher import REFERENCE_WIDTH, Features, Projection, Template, band_pass

#: The version of a mark entry's ``window``.
WINDOW_VERSION = 1
#: The mark's width in the stored window, px (a stored window is ~80×40 px).
MARK_WIDTH = 64
#: The window's margin round the mark, as a share of the mark's width.
MARGIN = 0.12
#: The band the windows are compared in (difference of Gaussians, px of the window).
BAND = (0.7, 3.0)
#: A seller's copy may be cropped and resized by a few per cent: the window is
#: looked for within this share of the image's longer side and at these scales.
SHIFT = 0.035
SCALES = (0.97, 0.98, 0.99, 1.0, 1.01, 1.02, 1.03)
#: A stored window larger than this on either side is not one ``brandkit build``
#: wrote (a kit is data): it is ignored.
MAX_SIDE = 256
#: A mark narrower than this in the image (px) is not compared: too few pixels
#: (the search's own floor), and the window would be enlarged many times.
MIN_MARK_PX = 32.0
#: A stored window flatter than this (grey levels, standard deviation) is no window.
MIN_WINDOW_STD = 2.0
#: The blurs (σ, window px) the stored window is tried at, to fit a copy that
#: re-encoding and resizing softened, and the most a copy may need (see
#: :func:`blur_limit`; bench: official copies need at most 0.6; more lets a mark
#: blurred away pass).
BLURS = (0.0, 0.4, 0.6, 0.8, 1.0, 1.3, 1.6)  # the limit is at most 1.6 (MIN_MARK_PX)
BLUR_FLOOR = 0.6
BLUR_PER_REDUCTION = 1.0

# The same picture (bench, three corpora: 1,600 unaltered copies of the assets,
# 320 of the assets' photos with the mark removed, 240 with a look-alike badge
# put in its place; figures for windows that align, correlation >= 0.9):
#: the aligned windows' correlation (copies: all but 2 % >= 0.9);
MIN_CORRELATION = 0.9
#: the contrast of the copy against the asset (copies 0.71-1.1);
GAIN_RANGE = (0.6, 1.3)
#: what is left on the mark's pixels beyond what is left round them, as a share of
#: the asset's mark (copies: p99 0.07-0.14; removed or replaced: 0.22 and more);
MAX_EXCESS = 0.15
#: the same for the worst cell of the mark's 4×2 grid (copies: p99 0.13-0.38;
#: removed or replaced: 0.39 and more);
MAX_CELL_EXCESS = 0.25
#: how much of the asset's mark the difference takes away (copies: p1 -0.14 to
#: -0.08; removed: -0.37 and less; a badge put in may keep it, the rest does not).
MIN_MARK_CHANGE = -0.25


@dataclass(frozen=True)
class WindowComparison:
    """How a listing image's window compares with the asset's stored one.

    ``correlation``: of the two band-passed windows once aligned; ``gain``: the
    image's contrast against the asset's, round the mark; ``excess``: the
    difference's energy on the mark's pixels beyond its energy round them, as a
    share of the asset's mark (about 0 for a copy; 0.2 and far more with the mark
    removed or replaced); ``cell_excess``: the worst cell's; ``mark_change``: the
    difference along the mark, as a share of the asset's (about 0 for a copy,
    about −1 with the mark removed); ``blur``: how much the stored window was
    blurred (σ, window px) to fit the image round the mark, at most
    :func:`blur_limit`.
    """

    correlation: float
    gain: float
    excess: float
    cell_excess: float
    mark_change: float
    blur: float = 0.0  # σ (window px) the stored window was blurred by to fit the copy
    #: The correlation round the mark only: the windows aligned, whatever was
    #: done to the mark (a removed mark leaves ``correlation`` low).
    ring_correlation: float = 0.0

    @property
    def same(self) -> bool:
        """Whether the image's window is the asset's own (see the thresholds)."""
        return (
            self.correlation >= MIN_CORRELATION
            and GAIN_RANGE[0] <= self.gain <= GAIN_RANGE[1]
            and self.excess <= MAX_EXCESS
            and self.cell_excess <= MAX_CELL_EXCESS
            and self.mark_change >= MIN_MARK_CHANGE
        )

    def to_json(self) -> dict[str, float | bool | None]:
        """The comparison as WM001's evidence (``None`` for a measure that could
        not be taken: JSON has no infinity)."""

        def number(value: float) -> float | None:
            return round(value, 3) if math.isfinite(value) else None

        return {
            "same": self.same,
            "correlation": number(self.correlation),
            "gain": number(self.gain),
            "excess": number(self.excess),
            "cell_excess": number(self.cell_excess),
            "mark_change": number(self.mark_change),
            "blur": number(self.blur),
            "ring_correlation": number(self.ring_correlation),
        }


def _mark_size(template: Template, scale: float, image_width: int) -> tuple[float, float]:
    width = template.width * scale * image_width / REFERENCE_WIDTH
    return width, width * template.height / template.width


def _window_size(template: Template) -> tuple[int, int]:
    """(width, height) of a window: the mark ``MARK_WIDTH`` px wide and its margin."""
    height = MARK_WIDTH * template.height / template.width
    margin = MARGIN * MARK_WIDTH
    return round(MARK_WIDTH + 2 * margin), round(height + 2 * margin)


def _resampled(
    gray: np.ndarray, factor: float, x: float, y: float, size: tuple[int, int]
) -> np.ndarray:
    """The part of ``gray`` from ``(x, y)`` (gray px) scaled by ``factor``, ``size``
    (width, height) px; blurred first when shrinking, so nothing aliases. Only
    the part needed is blurred."""
    w, h = size
    pad = 8 + (2.0 / factor if factor < 1 else 0.0)
    x0, y0 = max(0, int(x - pad)), max(0, int(y - pad))
    x1 = min(gray.shape[1], int(x + w / factor + pad) + 1)
    y1 = min(gray.shape[0], int(y + h / factor + pad) + 1)
    if x1 <= x0 or y1 <= y0:
        return np.zeros((h, w), np.float32)
    src: np.ndarray = gray[y0:y1, x0:x1].astype(np.float32)
    if factor < 1:
        src = cv2.GaussianBlur(src, (0, 0), 0.5 / factor)
    warp = np.array(
        [[factor, 0, -(x - x0) * factor], [0, factor, -(y - y0) * factor]], dtype=np.float32
    )
    return cv2.warpAffine(src, warp, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def extract(gray: np.ndarray, template: Template, place: tuple[float, float, float]) -> np.ndarray:
    """The window round the mark at ``place`` (``(scale, x, y)``, see
    :func:`~.matcher.find_mark_at`) of ``gray``, as float32."""
    scale, fx, fy = place
    h, w = gray.shape
    mark_w, _ = _mark_size(template, scale, w)
    factor = MARK_WIDTH / mark_w
    margin = MARGIN * mark_w
    return _resampled(gray, factor, fx * w - margin, fy * h - margin, _window_size(template))


def encode(window: np.ndarray) -> str:
    """``window`` as the base64 PNG a kit stores (8-bit grey)."""
    buffer = io.BytesIO()
    Image.fromarray(np.clip(np.rint(window), 0, 255).astype(np.uint8), "L").save(
        buffer, "PNG", optimize=True
    )
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def decode(text: str, template: Template) -> np.ndarray | None:
    """A stored window, or ``None`` when it is not a grey PNG of the size this
    template's windows have (damaged, hand-written or hostile: ignored)."""
    try:
        data = base64.b64decode(text, validate=True)
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG" or max(image.size) > MAX_SIDE:
                return None
            if image.size != _window_size(template) or image.mode not in ("L", "P", "RGB"):
                return None
            window = np.asarray(image.convert("L"), dtype=np.float32)
    except Exception:  # a kit is data: whatever Pillow makes of a damaged PNG
        return None
    # A flat window holds no mark to compare (damaged, or not a window at all).
    return window if float(window.std()) >= MIN_WINDOW_STD else None


def compare(
    gray: np.ndarray,
    template: Template,
    place: tuple[float, float, float],
    window: np.ndarray,
) -> WindowComparison | None:
    """Align the asset's stored ``window`` on ``gray`` near ``place`` and compare
    them; ``None`` when the window is not one of this template's or the mark
    would be under ``MIN_MARK_PX`` wide in ``gray`` (nothing to compare)."""
    scale, fx, fy = place
    h, w = gray.shape
    mark_w, mark_h = _mark_size(template, scale, w)
    wh, ww = window.shape
    if (ww, wh) != _window_size(template) or mark_w < MIN_MARK_PX:
        return None  # not this template's window; a mark too small to compare
    if mark_w > w or mark_h > h:
        return None  # the mark cannot be in the image: not a copy (a stretched image)
    # A copy is cropped by a few per cent: the mark moves by a few per cent of the
    # side, and never by much more than its own size (a stretched image matching
    # the asset's square hash would otherwise make the search area huge).
    shift = min(SHIFT * max(w, h), 2 * mark_w)
    stored = band_pass(window, BAND)
    best = (-2.0, 1.0, 0.0, 0.0)
    for s in SCALES:
        factor = MARK_WIDTH / (mark_w * s)
        margin = MARGIN * mark_w * s
        size = (round(ww + 2 * shift * factor), round(wh + 2 * shift * factor))
        x, y = fx * w - margin - shift, fy * h - margin - shift
        area = band_pass(_resampled(gray, factor, x, y, size), BAND)
        if area.shape[0] < wh or area.shape[1] < ww:
            continue
        scores = cv2.matchTemplate(area, stored, cv2.TM_CCOEFF_NORMED)
        _, value, _, (bx, by) = cv2.minMaxLoc(scores)
        if value > best[0]:
            best = (float(value), s, x + bx / factor, y + by / factor)
    if best[0] <= -2.0:
        return None
    _, s, x, y = best
    factor = MARK_WIDTH / (mark_w * s)
    copy = _resampled(gray, factor, x, y, (ww, wh))
    # Sub-pixel alignment (and the last of scale and shear): an exact difference
    # needs it, since a fine texture differs a lot from itself a pixel off.
    warp = np.eye(2, 3, dtype=np.float32)
    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 50, 1e-4)
    try:
        _, warp = cv2.findTransformECC(  # type: ignore[call-overload]
            stored, band_pass(copy, BAND), warp, cv2.MOTION_AFFINE, criteria, None, 1
        )
        copy = cv2.warpAffine(
            copy, warp, (ww, wh), flags=cv2.INTER_LINEAR + cv2.WARP_INVERSE_MAP,
            borderMode=cv2.BORDER_REPLICATE,
        )  # fmt: skip
    except cv2.error:
        pass  # ECC did not converge (a flat window): the integer alignment stands
    feats = template.features(MARK_WIDTH, (0.0, BAND[1]))
    th, tw = feats.shape
    m = round(MARGIN * MARK_WIDTH)
    mask = np.zeros(stored.shape, np.float64)
    mask[m : m + th, m : m + tw] = feats.mask[: stored.shape[0] - m, : stored.shape[1] - m]
    # A copy reduced and re-encoded has lost the finest detail the asset's window
    # has, most on the sharpest strokes (the mark's): the stored window is blurred
    # as much as fits the copy best round the mark, where the two must agree
    # whatever was done to the mark, before they are compared.
    banded = band_pass(copy, BAND).astype(np.float64)
    outside = 1 - mask
    # The copy's own resolution bounds how blurred it may be: a copy with more
    # pixels on the mark than the window has lost nothing at the window's scale,
    # so a mark blurred away in it is not explained as re-encoding.
    limit = blur_limit(mark_w * best[1])
    best_rest, matched, ring_gain, chosen = math.inf, stored, 0.0, 0.0
    for sigma in BLURS:
        if sigma > limit:
            break
        blurred = band_pass(cv2.GaussianBlur(window, (0, 0), sigma) if sigma else window, BAND)
        b64 = blurred.astype(np.float64)
        energy = float((b64 * b64 * outside).sum())
        if energy <= 0:
            continue
        gain = float((banded * b64 * outside).sum()) / energy
        rest = float((((banded - gain * b64) ** 2) * outside).sum())
        if rest < best_rest:
            best_rest, matched, ring_gain, chosen = rest, blurred, gain, sigma
    return _difference(banded, matched, feats, mask, ring_gain, chosen)


def blur_limit(mark_px: float) -> float:
    """The most blur (σ, window px) a copy whose mark is ``mark_px`` wide may
    show against the stored window: re-encoding's own, plus what reducing the
    copy below the window's ``MARK_WIDTH`` takes away. The mark put on fainter
    (its gain) is not a blur: at half the asset's opacity on a plain background
    it may still pass, the genuine mark being there."""
    return BLUR_FLOOR + BLUR_PER_REDUCTION * max(0.0, MARK_WIDTH / mark_px - 1.0)


def _difference(
    copy: np.ndarray,
    stored: np.ndarray,
    feats: Features,
    mask: np.ndarray,
    gain: float,
    blur: float,
) -> WindowComparison:
    """The measures of :class:`WindowComparison` for two aligned band-passed
    windows (``mask``: the mark's pixels in the window, ``feats`` the mark's;
    ``gain``: the copy's contrast against the stored window round the mark)."""
    th, tw = feats.shape
    m = round(MARGIN * MARK_WIDTH)
    a64, b64 = copy.astype(np.float64), stored.astype(np.float64)
    stored_energy, dot = float((b64 * b64).sum()), float((a64 * b64).sum())
    correlation = dot / (math.sqrt(float((a64 * a64).sum()) * stored_energy) + 1e-9)
    ring = 1 - mask
    ring_dot = float((a64 * b64 * ring).sum())
    ring_norm = math.sqrt(float((a64 * a64 * ring).sum()) * float((b64 * b64 * ring).sum()))
    ring_correlation = ring_dot / (ring_norm + 1e-9)
    rest = a64 - gain * b64
    area, outside = float(mask.sum()), float(ring.sum())
    if area <= 0 or outside <= 0:
        return WindowComparison(
            correlation, gain, math.inf, math.inf, -math.inf, blur, ring_correlation
        )
    noise = float((rest * rest * ring).sum()) / outside  # per pixel, round the mark
    # The asset's mark: its window's projection on the mark's two basis images.
    asset = Projection.of(b64[m : m + th, m : m + tw], feats)
    c1, c2 = asset.c1, asset.c2
    mark_energy = (c1 * c1 + c2 * c2) * gain * gain
    if not mark_energy > 0:
        return WindowComparison(
            correlation, gain, math.inf, math.inf, -math.inf, blur, ring_correlation
        )
    left = (rest * rest - noise) * mask
    excess = float(left.sum()) / mark_energy
    # The same, cell by cell of the mark's 4×2 grid (the cells the mark has ink in).
    fit = asset.fitted(feats) * gain
    fit_total = float((fit * fit).sum())
    grid = feats.cells
    energies = grid.sums(fit * fit).ravel()
    lefts = grid.sums(left[m : m + th, m : m + tw]).ravel()
    cells = [
        float(lost) / float(energy)
        for lost, energy in zip(lefts, energies, strict=True)
        if energy > 1e-9 and energy >= 0.05 * fit_total
    ]
    along = Projection.of(rest[m : m + th, m : m + tw], feats)
    change = (along.c1 * c1 + along.c2 * c2) / (c1 * c1 + c2 * c2) / max(gain, 1e-3)
    cell = max(cells, default=math.inf)
    return WindowComparison(correlation, gain, excess, cell, change, blur, ring_correlation)
