"""One extraction per image, two views: the check hooks turn an
:class:`ImageAnalysis` into findings, and ``listguard inspect`` (or any tool)
can print it as is (``to_dict``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ...brandkit import Asset, BrandKit
from .decode import DEFAULT_MAX_PIXELS, ImageDecodeError, decode_gray
from .matcher import SearchSettings, Template, cached_template, find_mark
from .phash import hamming_distances, phash, to_hex

#: Defaults calibrated by ``bench/watermark`` (see its README for the figures).
DEFAULT_MATCH_THRESHOLD = 0.62
DEFAULT_PHASH_THRESHOLD = 8
#: Decode JPEGs (draft mode) to no less than this width: enough for the search.
DECODE_WIDTH = 700


@dataclass(frozen=True)
class AnalysisOptions:
    """What :func:`analyse_image` needs besides the image and the kit."""

    max_pixels: int = DEFAULT_MAX_PIXELS
    match_threshold: float = DEFAULT_MATCH_THRESHOLD
    phash_threshold: int = DEFAULT_PHASH_THRESHOLD

    @classmethod
    def from_plugin_options(cls, options: dict[str, Any]) -> AnalysisOptions:
        """From the plugin's options (``max-pixels``, ``match-threshold``, ``phash-threshold``)."""
        return cls(
            max_pixels=int(options.get("max-pixels", DEFAULT_MAX_PIXELS)),
            match_threshold=float(options.get("match-threshold", DEFAULT_MATCH_THRESHOLD)),
            phash_threshold=int(options.get("phash-threshold", DEFAULT_PHASH_THRESHOLD)),
        )


@dataclass
class WatermarkResult:
    """The best match of the mark: found when ``score >= threshold``."""

    found: bool
    score: float
    bbox: list[int]  # [x, y, w, h] in image pixels
    scale: float
    threshold: float
    correlation: float  # the whole mark's correlation; score also needs every part


@dataclass
class AssetResult:
    """The nearest official asset; ``matched`` when within ``threshold`` bits."""

    id: str
    model: str
    distance: int
    threshold: int
    matched: bool


@dataclass
class ImageAnalysis:
    """What the watermark plugin found in one image.

    ``watermark`` is ``None`` when the kit has no template, ``asset`` when it
    has no assets; ``unverified`` then says why (rule code → reason).
    """

    width: int
    height: int
    phash: str
    watermark: WatermarkResult | None = None
    asset: AssetResult | None = None
    unverified: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def fact(self) -> dict[str, Any]:
        """The report fact for this image (the shared facts convention)."""
        mark = self.watermark
        return {
            "width": self.width,
            "height": self.height,
            "watermark": None
            if mark is None
            else {"found": mark.found, "score": mark.score, "bbox": mark.bbox},
            "asset": None
            if self.asset is None or not self.asset.matched
            else {"id": self.asset.id, "model": self.asset.model, "distance": self.asset.distance},
        }


def analyse_image(
    path: Path,
    brand_kit: BrandKit | None,
    options: AnalysisOptions = AnalysisOptions(),
    model: str | None = None,
) -> ImageAnalysis:
    """Decode ``path`` safely, hash it, search the kit's mark, find the nearest asset.

    ``model`` (the listing's) only breaks ties between equally near assets.

    :raises ImageDecodeError: the image cannot be decoded or is over the pixel limit.
    """
    decoded = decode_gray(path, options.max_pixels, min_width=DECODE_WIDTH)
    value = phash(decoded.gray)
    analysis = ImageAnalysis(decoded.width, decoded.height, to_hex(value))
    template = kit_template(brand_kit, options.max_pixels)
    if isinstance(template, str):
        analysis.unverified["WM001"] = template
    else:
        match = find_mark(decoded.gray, template, decoded.width, SearchSettings())
        analysis.watermark = WatermarkResult(
            found=match.score >= options.match_threshold,
            score=round(match.score, 4),
            bbox=list(match.bbox),
            scale=round(match.scale, 3),
            threshold=options.match_threshold,
            correlation=round(match.correlation, 4),
        )
    if brand_kit is None:
        analysis.unverified["WM002"] = "no brand kit was given (--brand-kit)"
    elif not brand_kit.assets:
        analysis.unverified["WM002"] = "the brand kit lists no official assets"
    else:
        analysis.asset = nearest_asset(value, brand_kit.assets, options.phash_threshold, model)
    return analysis


def kit_template(brand_kit: BrandKit | None, max_pixels: int) -> Template | str:
    """The kit's prepared watermark template, or the reason there is none."""
    if brand_kit is None:
        return "no brand kit was given (--brand-kit)"
    path = brand_kit.watermark_template
    if path is None:
        return "the brand kit has no watermark template"
    try:
        return cached_template(str(path), path.stat().st_mtime_ns, max_pixels)
    except (OSError, ImageDecodeError, ValueError) as exc:
        return f"the brand kit's watermark template cannot be used: {exc}"


def nearest_asset(
    value: int, assets: tuple[Asset, ...], threshold: int, model: str | None = None
) -> AssetResult:
    """The asset nearest to hash ``value`` (ties: the listing's model, then id)."""
    distances = hamming_distances(value, _hash_array(assets))
    best = int(distances.min())
    tied = [assets[i] for i in np.flatnonzero(distances == best)]
    tied.sort(key=lambda a: (a.model != model, a.id))
    asset = tied[0]
    return AssetResult(asset.id, asset.model, best, threshold, best <= threshold)


@lru_cache(maxsize=8)
def _hash_array(assets: tuple[Asset, ...]) -> np.ndarray:
    # Built once per process and kit: workers check many packages with one kit.
    return np.array([a.phash for a in assets], dtype=np.uint64)


def image_phash(path: Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> int:
    """The pHash of an image file, decoded exactly as :func:`analyse_image` does
    (``listguard brandkit build`` uses it, so kit and checks agree)."""
    return phash(decode_gray(path, max_pixels, min_width=DECODE_WIDTH).gray)
