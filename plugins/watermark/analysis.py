"""One extraction per image, two views: the check hooks turn an
:class:`ImageAnalysis` into findings, and ``listguard inspect`` (or any tool)
can print it as is (``to_dict``)."""

from __future__ import annotations

import contextlib
import io
import math
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import IO, Any

import numpy as np
from PIL import Image

from ...brandkit import Asset, BrandKit
from .decode import DEFAULT_MAX_PIXELS, ImageDecodeError, decode_gray
from .matcher import (
    MarkSearch,
    Match,
    SearchSettings,
    Template,
    amplitude_share,
    cached_template,
    find_mark,
    find_mark_at,
    place_is_usable,
    ranks_higher,
)
from .phash import (
    SIGNATURE_VERSION,
    colour_distance,
    colour_layout,
    hamming,
    hamming_distances,
    phash,
    phash256,
    to_hex,
)
from .window import WINDOW_VERSION, WindowComparison
from .window import compare as compare_window
from .window import decode as decode_window
from .window import encode as encode_window
from .window import extract as extract_window

#: Defaults calibrated by ``bench/watermark`` (see its README for the figures).
DEFAULT_MATCH_THRESHOLD = 0.60
#: WM001 also needs the mark's inside (word and code) at least this strong against
#: its outer ring (:attr:`~.matcher.Match.inner`): a look-alike badge's other word
#: and a frame alone score well on the whole mark but not here (bench, main
#: corpus, matches scoring 0.55 or more: genuine marks >= 0.75, look-alikes and
#: frames <= 0.59). A word one letter off keeps most of it: not caught.
DEFAULT_INNER_THRESHOLD = 0.66
#: WM002 for kits whose assets have only the SPEC's 64-bit pHash.
DEFAULT_PHASH_THRESHOLD = 8
#: WM002 for assets with a ``signature``: the 64-bit pHash only shortlists (a
#: looser first stage), the signature decides (256-bit pHash and colour layout).
DEFAULT_CANDIDATE_THRESHOLD = 24
DEFAULT_FINE_THRESHOLD = 68
DEFAULT_COLOUR_THRESHOLD = 3.0
#: An official asset whose own mark scores under the threshold plus this is
#: faint: copies re-encoded or resized may fall under the threshold (bench: the
#: copies of a master scoring 0.718 scored 0.58-0.75, five of 14 under 0.652, the
#: threshold then).
FAINT_MARK_MARGIN = 0.1
#: An asset's recorded mark amplitude under this (per pixel, in grey levels of
#: the last round's high-pass) is no amplitude: a share against it means nothing.
MIN_AMPLITUDE = 1.0
#: The second look when the first search finds no mark (see :func:`analyse_image`):
#: the best peak of each of the six best-ranked scales refined, however it ranks
#: among all peaks, and the best of them given the last rounds (bench: the marks
#: the first search misses and a second look finds were each their scale's best
#: peak, ranked 13th and 18th of all peaks but 3rd and 5th of the scales' best;
#: all twelve scales cost an image without the mark 5 more refine rounds and
#: found no more on three corpora; 6 peaks a scale found no more, at three
#: times the cost).
WIDER = SearchSettings(
    candidates=6,
    peaks_per_scale=1,
    z_candidates=0,
    prune=0.0,
    final_count=1,
    final_from=0.2,
)
#: The whole-image search: the last rounds for its best refined candidate only
#: (bench: every mark a look found on the main corpus was that look's best
#: refined candidate, and the verdicts on all three corpora are the same as with
#: two; a second one cost each image without the mark one more last round), and
#: only when its refine round scores 0.2 (the second look too): the marks found
#: by a search scored 0.28 or more there on the main corpus, and a quarter of
#: images without the mark score under 0.2 (their evidence is then that
#: candidate, with its refine score).
#: The first look (below) keeps two, but gives them only to a candidate whose
#: refine round scores 0.45, so that an image without the mark rarely pays them.
WHOLE = SearchSettings(final_count=1, final_from=0.2)
#: The whole-image search looks first at the scales whose coarse level is at
#: most this share of the largest level's area (see :meth:`MarkSearch.small_levels`).
SMALL_LEVELS = 0.5
#: That first look: its five best-ranked candidates refined, and the last
#: rounds only for a candidate whose refine round already scores 0.45.
SMALL_FIRST = SearchSettings(candidates=5, z_candidates=0, final_from=0.45)
#: Decode JPEGs (draft mode) to no less than this width: enough for the search.
DECODE_WIDTH = 700


@dataclass(frozen=True)
class AnalysisOptions:
    """What :func:`analyse_image` needs besides the image and the kit."""

    max_pixels: int = DEFAULT_MAX_PIXELS
    match_threshold: float = DEFAULT_MATCH_THRESHOLD
    inner_threshold: float = DEFAULT_INNER_THRESHOLD
    second_search: bool = True
    phash_threshold: int = DEFAULT_PHASH_THRESHOLD
    candidate_threshold: int = DEFAULT_CANDIDATE_THRESHOLD
    fine_threshold: int = DEFAULT_FINE_THRESHOLD
    colour_threshold: float = DEFAULT_COLOUR_THRESHOLD

    def passes(self, match: Match) -> bool:
        """Whether ``match`` is the mark: its score reaches ``match_threshold`` and
        its inside ``inner_threshold`` (a match with no measurable inside is not)."""
        return match.score >= self.match_threshold and match.inner >= self.inner_threshold

    @classmethod
    def from_plugin_options(cls, options: dict[str, Any]) -> AnalysisOptions:
        """From the plugin's options (``max-pixels``, ``match-threshold``,
        ``inner-threshold``, ``second-search``, ``phash-threshold``, ``candidate-threshold``,
        ``fine-threshold``, ``colour-threshold``)."""
        return cls(
            max_pixels=int(options.get("max-pixels", DEFAULT_MAX_PIXELS)),
            match_threshold=float(options.get("match-threshold", DEFAULT_MATCH_THRESHOLD)),
            inner_threshold=float(options.get("inner-threshold", DEFAULT_INNER_THRESHOLD)),
            second_search=bool(options.get("second-search", True)),
            phash_threshold=int(options.get("phash-threshold", DEFAULT_PHASH_THRESHOLD)),
            candidate_threshold=int(
                options.get("candidate-threshold", DEFAULT_CANDIDATE_THRESHOLD)
            ),
            fine_threshold=int(options.get("fine-threshold", DEFAULT_FINE_THRESHOLD)),
            colour_threshold=float(options.get("colour-threshold", DEFAULT_COLOUR_THRESHOLD)),
        )


@dataclass
class WatermarkResult:
    """The best match of the mark: found when ``score >= threshold`` and ``inner
    >= inner_threshold`` (:meth:`AnalysisOptions.passes`), or when the image is an
    unaltered copy of an official asset whose mark the kit verified (``located ==
    "asset-copy"``, see ``asset_copy``). ``score`` is the last rounds' score;
    when no candidate of the search was good enough for them (see ``WHOLE``),
    it is the best refined candidate's plain share, with no ``inner``."""

    found: bool
    score: float
    bbox: list[int]  # [x, y, w, h] in image pixels
    scale: float
    threshold: float
    correlation: float  # the whole mark's plain correlation; score discounts texture
    #: The mark's inside (word, code) against its outer ring (Match.inner): about
    #: 1 for the whole mark, low for a look-alike's other word or a frame alone.
    inner: float | None = None
    inner_threshold: float = DEFAULT_INNER_THRESHOLD
    #: How the verdict was reached: ``"asset"`` (the mark found where the matched
    #: official asset has it, recorded by ``listguard brandkit build``),
    #: ``"asset-copy"`` (under the threshold there, but the window round it is
    #: the asset's own: see ``asset_copy``) or ``"search"`` (the whole image
    #: searched; the best match of both is reported).
    located: str = "search"
    #: The matched official asset's own mark score, as ``brandkit build`` measured
    #: it (evidence: a copy of an asset whose mark is too faint fails with it).
    asset_score: float | None = None
    #: The window round the mark compared with the asset's own, when the mark
    #: scored under the threshold where the asset has it (see :mod:`.window`):
    #: ``same`` (with ``located == "asset-copy"``) means found as an unaltered
    #: copy of an asset whose mark the kit verified, whatever the score.
    asset_copy: dict[str, Any] | None = None
    #: At the asset's place: the share of the asset's mark amplitude the match
    #: holds (about 1: as strong as in the asset; about 0: none). Evidence only:
    #: it measures strength, not shape (a stronger look-alike badge holds ~0.8).
    asset_amplitude: float | None = None


@dataclass
class AssetResult:
    """The matched official asset, or the nearest one when none matches.

    ``stage`` says how it was decided: ``"signature"`` (the asset's finer
    signature: within ``threshold`` bits of 64-bit pHash *and* within
    ``fine_threshold`` bits of 256-bit pHash *and* ``colour_threshold`` of colour
    layout) or ``"phash64"`` (the asset has only the SPEC's 64-bit pHash: within
    ``threshold`` bits). ``candidates`` are the signature checks that were made.
    """

    id: str
    model: str
    distance: int  # 64-bit pHash Hamming distance
    threshold: int  # the 64-bit threshold that applied to this asset
    matched: bool
    stage: str = "phash64"
    fine_distance: int | None = None  # of 256 bits
    fine_threshold: int | None = None
    colour_distance: float | None = None  # mean 8-bit YCbCr difference, 4×4 grid
    colour_threshold: float | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)


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
            else {
                "found": mark.found,
                "score": mark.score,
                "inner": mark.inner,
                "bbox": mark.bbox,
                "located": mark.located,
                "asset_amplitude": mark.asset_amplitude,
                "asset_copy": mark.asset_copy,
            },
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
    """Decode ``path`` safely, hash it, find the nearest asset, find the kit's mark.

    When the image matches an asset whose mark place the kit records, the mark is
    looked for there first (:func:`~.matcher.find_mark_at`); the whole image is
    searched (:func:`~.matcher.find_mark`) when there is no such place or the mark
    is not found there, and the better of the two is reported. Found means the
    score reaches the threshold, either way, with one exception: when the mark
    scores under it where the asset has it, the asset's own mark reached it in
    ``brandkit build`` (verified) and the window round the mark is the asset's
    own, unaltered (:func:`~.window.compare`), the image is a copy of the asset,
    mark and all, whose mark re-encoding or resizing made faint: found, with
    ``located`` ``"asset-copy"``. The share of the asset's recorded mark
    amplitude the match holds is evidence. ``model`` (the listing's) only
    breaks ties between equally near assets.

    :raises ImageDecodeError: the image cannot be decoded or is over the pixel limit.
    """
    index = kit_index(brand_kit)
    signatures = index.signatures
    decoded = decode_gray(path, options.max_pixels, min_width=DECODE_WIDTH, colour=bool(signatures))
    value = phash(decoded.gray)
    analysis = ImageAnalysis(decoded.width, decoded.height, to_hex(value))
    # The asset first: when the image is a known official asset, its mark is
    # looked for where the asset has it before the whole image is searched.
    if brand_kit is None:
        analysis.unverified["WM002"] = "no brand kit was given (--brand-kit)"
    elif not brand_kit.assets:
        analysis.unverified["WM002"] = "the brand kit lists no official assets"
    else:
        probe = ImageSignature(value)
        if decoded.ycc is not None:  # the kit has signatures: compute the image's
            probe = ImageSignature(value, phash256(decoded.gray), colour_layout(decoded.ycc))
        analysis.asset = match_asset(probe, brand_kit.assets, signatures, options, model)
    template = kit_template(brand_kit, options.max_pixels)
    if isinstance(template, str):
        analysis.unverified["WM001"] = template
        return analysis

    @cache
    def full_resolution() -> np.ndarray:
        # Only for a small mark in doubt (decoded once, for any look); the
        # reduced decode stands if this fails.
        try:
            return decode_gray(path, options.max_pixels).gray
        except ImageDecodeError:
            return decoded.gray

    match, located, share = None, "search", math.nan
    window_check: WindowComparison | None = None
    asset = analysis.asset
    place = index.marks.get(asset.id) if asset is not None and asset.matched else None
    if asset is not None and place is not None:
        match = find_mark_at(
            decoded.gray, template, place, decoded.width, SearchSettings(), full_resolution
        )
        located = "asset"
        original = index.mark_amplitudes.get(asset.id)
        # Evidence against a mark the kit verified in the asset (its own score
        # reached the threshold), not against a spot of texture.
        verified = index.mark_scores.get(asset.id, 0.0) >= options.match_threshold
        verified = verified and index.mark_inners.get(asset.id, 1.0) >= options.inner_threshold
        if original and verified:
            share = amplitude_share(match.amplitude, original)
        if not options.passes(match) and verified:
            # A faint mark re-encoding or resizing took under the threshold: is
            # the window round it still the asset's own (a copy, mark and all)?
            stored = index.window(asset.id, template)
            if stored is not None:
                window_check = compare_window(decoded.gray, template, place, stored)
    if window_check is not None and window_check.same:
        located = "asset-copy"  # no search: the mark is the verified asset's own
    elif match is None or not options.passes(match):
        # Not a known asset, or its mark is not where the asset has it: search everywhere.
        search = MarkSearch(
            decoded.gray, template, decoded.width, SearchSettings(), full_resolution
        )
        # The last rounds stop at the first candidate that is the mark: the
        # verdict is made, and the evidence is that match. The larger marks'
        # scales are looked at first (their coarse maps are the cheap ones);
        # only if no mark is found there is the whole search run, as if that
        # first look had not been (bench: with the mark 0.73× the time, the
        # same verdicts on all three corpora).
        searched = None
        small = search.small_levels(SMALL_LEVELS)
        if 0 < len(small) < len(search.levels):
            first = search.best(SMALL_FIRST, options.passes, small)
            searched = first if options.passes(first) else None
        if searched is None:
            searched = search.best(WHOLE, options.passes)
        if options.second_search and not options.passes(searched):
            # A second, wider look before saying the mark is not there: the
            # six best scales' best peaks refined, none pruned (bench: a faint
            # mark over printed text can rank below a dozen spots of the
            # letters at the coarse level). It costs an image without the mark
            # ~1.1× the first search alone (the coarse pass and the candidates
            # already refined are reused); one with it found by the first
            # search, or at its asset's place, does not pay it.
            wider = search.best(WIDER, options.passes)
            if ranks_higher(wider, searched, options.passes):
                searched = wider
        if match is None or ranks_higher(searched, match, options.passes):
            match = searched
        located = "search"  # the verdict needed the search
    assert match is not None
    result = _watermark_result(match, options, located)
    if window_check is not None:
        result.asset_copy = window_check.to_json()
        result.found = result.found or window_check.same
    if math.isfinite(share):
        result.asset_amplitude = round(share, 3)
    if asset is not None and asset.matched:
        result.asset_score = index.mark_scores.get(asset.id)
    analysis.watermark = result
    return analysis


def _watermark_result(match: Match, options: AnalysisOptions, located: str) -> WatermarkResult:
    return WatermarkResult(
        found=options.passes(match),
        score=round(match.score, 4),
        bbox=list(match.bbox),
        scale=round(match.scale, 3),
        threshold=options.match_threshold,
        correlation=round(match.correlation, 4),
        inner=round(match.inner, 3) if math.isfinite(match.inner) else None,
        inner_threshold=options.inner_threshold,
        located=located,
    )


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


@dataclass(frozen=True)
class ImageSignature:
    """An image's (or asset's) hashes: the SPEC's 64-bit pHash, and optionally the
    finer second-stage signature (256-bit pHash, 4×4 YCbCr colour layout)."""

    phash: int
    phash256: int | None = None
    colour: bytes | None = None

    def to_json(self) -> dict[str, Any]:
        """The ``signature`` entry ``brandkit build`` writes for an asset."""
        assert self.phash256 is not None and self.colour is not None
        return {
            "version": SIGNATURE_VERSION,
            "phash256": f"{self.phash256:064x}",
            "colour": self.colour.hex(),
        }


def match_asset(
    probe: ImageSignature,
    assets: tuple[Asset, ...],
    signatures: dict[str, ImageSignature],
    options: AnalysisOptions = AnalysisOptions(),
    model: str | None = None,
) -> AssetResult:
    """The official asset ``probe`` matches, else the nearest one by 64-bit pHash.

    Assets with a signature (``signatures``, by id) are shortlisted within
    ``candidate_threshold`` bits of 64-bit pHash and must then pass the finer
    signature; assets without one match within ``phash_threshold`` bits (the
    SPEC's check alone). Ties: the listing's model, then id.
    """
    distances = hamming_distances(probe.phash, _hash_array(assets))
    fine_ok = probe.phash256 is not None and probe.colour is not None
    checked: list[tuple[float, bool, str, AssetResult]] = []
    for i in np.flatnonzero(distances <= max(options.candidate_threshold, options.phash_threshold)):
        asset, distance = assets[int(i)], int(distances[i])
        sig = signatures.get(asset.id)
        if fine_ok and sig is not None and sig.phash256 is not None and sig.colour is not None:
            if distance > options.candidate_threshold:
                continue
            assert probe.phash256 is not None and probe.colour is not None
            fine = hamming(probe.phash256, sig.phash256)
            colour = round(colour_distance(probe.colour, sig.colour), 2)
            result = AssetResult(
                asset.id,
                asset.model,
                distance,
                options.candidate_threshold,
                fine <= options.fine_threshold and colour <= options.colour_threshold,
                "signature",
                fine,
                options.fine_threshold,
                colour,
                options.colour_threshold,
            )
            # How far inside both thresholds: the nearer asset wins.
            rank = max(fine / options.fine_threshold, colour / options.colour_threshold)
        elif distance <= options.phash_threshold:
            result = AssetResult(asset.id, asset.model, distance, options.phash_threshold, True)
            rank = distance / max(1, options.phash_threshold)
        else:
            continue
        checked.append((rank, asset.model != model, asset.id, result))
    checked.sort(key=lambda item: item[:3])
    shortlist = [
        {
            "id": r.id,
            "distance": r.distance,
            "fine_distance": r.fine_distance,
            "colour_distance": r.colour_distance,
        }
        for *_, r in checked
        if r.stage == "signature"
    ][:5]
    matched = [r for *_, r in checked if r.matched]
    if matched:
        matched[0].candidates = shortlist
        return matched[0]
    if checked:  # shortlisted, but the signature rejected every candidate
        nearest = checked[0][3]
        nearest.candidates = shortlist
        return nearest
    best = int(distances.min())
    tied = [assets[i] for i in np.flatnonzero(distances == best)]
    tied.sort(key=lambda a: (a.model != model, a.id))
    asset = tied[0]
    if fine_ok and asset.id in signatures:
        return AssetResult(
            asset.id, asset.model, best, options.candidate_threshold, False, "signature"
        )
    return AssetResult(asset.id, asset.model, best, options.phash_threshold, False)


def nearest_asset(
    value: int, assets: tuple[Asset, ...], threshold: int, model: str | None = None
) -> AssetResult:
    """The SPEC's check alone: the asset nearest to 64-bit hash ``value`` (ties:
    the listing's model, then id), matched within ``threshold`` bits."""
    distances = hamming_distances(value, _hash_array(assets))
    best = int(distances.min())
    tied = [assets[i] for i in np.flatnonzero(distances == best)]
    tied.sort(key=lambda a: (a.model != model, a.id))
    asset = tied[0]
    return AssetResult(asset.id, asset.model, best, threshold, best <= threshold)


#: The version of an asset's ``mark`` entry (where its watermark is).
MARK_PLACE_VERSION = 1


@dataclass(frozen=True)
class KitIndex:
    """What the kit's assets carry beyond the SPEC's pHash, parsed once: the
    finer signatures and the places of their marks (``(scale, x, y)``, see
    :func:`~.matcher.find_mark_at`), by asset id."""

    signatures: dict[str, ImageSignature]
    marks: dict[str, tuple[float, float, float]]
    mark_scores: dict[str, float] = field(default_factory=dict)
    mark_amplitudes: dict[str, tuple[float, float]] = field(default_factory=dict)
    mark_inners: dict[str, float] = field(default_factory=dict)
    #: The stored windows round the marks (base64 PNG, see :mod:`.window`),
    #: decoded only when a check needs one, then kept.
    windows: dict[str, str] = field(default_factory=dict)
    _decoded: dict[str, np.ndarray | None] = field(default_factory=dict, repr=False)

    def window(self, asset_id: str, template: Template) -> np.ndarray | None:
        """The asset's stored mark window, or ``None`` when it has none or it is
        not a window of this template (damaged, or the kit's mark has changed)."""
        # Keyed by the template's size too: an edited template makes other windows.
        key = f"{asset_id}\0{template.width}x{template.height}"
        if key not in self._decoded:
            text = self.windows.get(asset_id)
            self._decoded[key] = None if text is None else decode_window(text, template)
        return self._decoded[key]


_index_cache: list[tuple[dict[str, Any], KitIndex]] = []


def kit_index(brand_kit: BrandKit | None) -> KitIndex:
    """The kit's :class:`KitIndex`. Assets without a signature or a mark place,
    or with an unknown version or a malformed one, are left out of that part:
    they are matched by 64-bit pHash alone, or their mark is searched for."""
    if brand_kit is None:
        return KitIndex({}, {})
    # Parsed once per kit object: workers check many packages with one kit.
    for data, parsed in _index_cache:
        if data is brand_kit.data:
            return parsed
    signatures: dict[str, ImageSignature] = {}
    marks: dict[str, tuple[float, float, float]] = {}
    mark_scores: dict[str, float] = {}
    mark_amplitudes: dict[str, tuple[float, float]] = {}
    windows: dict[str, str] = {}
    mark_inners: dict[str, float] = {}
    for entry in brand_kit.data.get("assets", []):
        if not isinstance(entry, dict):
            continue
        sig, mark = entry.get("signature"), entry.get("mark")
        # A malformed signature: 64-bit pHash only for this asset; a malformed
        # place: the whole image is searched.
        if isinstance(sig, dict) and sig.get("version") == SIGNATURE_VERSION:
            with contextlib.suppress(KeyError, TypeError, ValueError):
                signatures[str(entry["id"])] = ImageSignature(
                    int(entry["phash"], 16),
                    int(sig["phash256"], 16),
                    bytes.fromhex(sig["colour"]),
                )
        if isinstance(mark, dict) and mark.get("version") == MARK_PLACE_VERSION:
            with contextlib.suppress(KeyError, TypeError, ValueError, OverflowError):
                x, y = mark["at"]
                place = (float(mark["scale"]), float(x), float(y))
                if place_is_usable(place, SearchSettings()):
                    marks[str(entry["id"])] = place
                score = float(mark.get("score", math.nan))
                if 0 <= score <= 1:  # also not NaN
                    mark_scores[str(entry["id"])] = score
                a, b = (float(v) for v in mark.get("amplitude", (0.0, 0.0)))
                if math.isfinite(a) and math.isfinite(b) and math.hypot(a, b) >= MIN_AMPLITUDE:
                    mark_amplitudes[str(entry["id"])] = (a, b)
            if "inner" in mark and "id" in entry:  # a kit built before has none
                # Present but not a number (null, NaN, a string): not verified.
                inner, value = mark["inner"], math.nan
                if isinstance(inner, (int, float)) and not isinstance(inner, bool):
                    with contextlib.suppress(OverflowError):  # an int too large for a float
                        value = float(inner)
                mark_inners[str(entry["id"])] = value if math.isfinite(value) else 0.0
            window = mark.get("window")
            if (
                isinstance(window, dict)
                and window.get("version") == WINDOW_VERSION
                and isinstance(window.get("png"), str)
                and "id" in entry
            ):
                windows[str(entry["id"])] = window["png"]
    parsed = KitIndex(signatures, marks, mark_scores, mark_amplitudes, mark_inners, windows)
    _index_cache[:] = [(brand_kit.data, parsed)]
    return parsed


def kit_signatures(brand_kit: BrandKit | None) -> dict[str, ImageSignature]:
    """The assets' finer signatures by id (see :func:`kit_index`)."""
    return kit_index(brand_kit).signatures


def kit_marks(brand_kit: BrandKit | None) -> dict[str, tuple[float, float, float]]:
    """Where each asset has its mark, ``(scale, x, y)`` by id (see :func:`kit_index`)."""
    return kit_index(brand_kit).marks


def asset_mark(
    path: Path, template: Template, options: AnalysisOptions = AnalysisOptions()
) -> tuple[WatermarkResult, dict[str, Any]]:
    """The mark in an official asset and the ``mark`` entry ``listguard brandkit
    build`` writes for it: its scale, its top-left corner (fractions of the
    image's size), its score and its amplitude (:attr:`~.matcher.Match.amplitude`:
    a copy's share of it is evidence in WM001's findings) and the window round
    the mark (:mod:`.window`: a copy of the asset whose mark scores under the
    threshold is still found when its window is the asset's own).

    Searched first with :func:`~.matcher.find_mark`'s default settings (one
    whole look, the last rounds for its two best refined candidates: this runs
    once per asset and needs none of a listing search's shortcuts); when that
    does not find it, again on the full-resolution image with a wider search
    (more peaks refined), which costs several times as much but runs once per
    asset (bench: a faint mark on a fine texture is missed in the reduced decode
    of one master in 50 and found at full resolution). The best place is
    written even when its score is under the threshold (``found`` is then false
    and the caller warns): a check only looks there first, and still needs the
    threshold to pass.
    """
    decoded = decode_gray(path, options.max_pixels, min_width=DECODE_WIDTH)

    @cache
    def full_resolution() -> np.ndarray:  # decoded once, for either search
        return decode_gray(path, options.max_pixels).gray

    match = find_mark(decoded.gray, template, decoded.width, SearchSettings(), full_resolution)
    if not options.passes(match):
        wide = SearchSettings(candidates=30, peaks_per_scale=8, z_candidates=10, prune=0.0)
        searched = find_mark(full_resolution(), template, decoded.width, wide)
        if ranks_higher(searched, match, options.passes):
            match = searched
    result = _watermark_result(match, options, "search")
    x, y, _, _ = match.bbox
    entry: dict[str, Any] = {
        "version": MARK_PLACE_VERSION,
        "scale": round(match.scale, 4),
        "at": [round(x / decoded.width, 4), round(y / decoded.height, 4)],
        "score": result.score,
        "inner": result.inner,
        "amplitude": [round(v, 3) for v in match.amplitude],
    }
    place = (entry["scale"], *entry["at"])
    if place_is_usable(place, SearchSettings()):
        # From the full-resolution image: the window is reduced from it, and a
        # copy's window is compared with it at any size (see :mod:`.window`).
        window = extract_window(full_resolution(), template, place)
        entry["window"] = {"version": WINDOW_VERSION, "png": encode_window(window)}
    return result, entry


@lru_cache(maxsize=8)
def _hash_array(assets: tuple[Asset, ...]) -> np.ndarray:
    # Built once per process and kit: workers check many packages with one kit.
    return np.array([a.phash for a in assets], dtype=np.uint64)


def image_phash(path: Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> int:
    """The pHash of an image file, decoded exactly as :func:`analyse_image` does
    (``listguard brandkit build`` uses it, so kit and checks agree)."""
    return phash(decode_gray(path, max_pixels, min_width=DECODE_WIDTH).gray)


def image_signature(path: Path | IO[bytes], max_pixels: int = DEFAULT_MAX_PIXELS) -> ImageSignature:
    """The full signature of an image file, or of one in memory (64-bit pHash,
    256-bit pHash, colour layout), decoded exactly as :func:`analyse_image` does."""
    decoded = decode_gray(path, max_pixels, min_width=DECODE_WIDTH, colour=True)
    assert decoded.ycc is not None
    return ImageSignature(phash(decoded.gray), phash256(decoded.gray), colour_layout(decoded.ycc))


#: The harshest copy the benchmark makes of an official asset (and the issue's
#: limits): 3 % cropped, resized to 50 %, re-encoded at JPEG quality 50.
HARSH_CROP, HARSH_SCALE, HARSH_QUALITY = 0.03, 0.5, 50


@dataclass(frozen=True)
class SignatureDrift:
    """How far an asset's own hashes move in a harsh copy of it (bits of 64 and
    256, colour levels), against the thresholds that must still match it."""

    phash: int
    phash256: int
    colour: float

    def warnings(self, asset_id: str, options: AnalysisOptions = AnalysisOptions()) -> list[str]:
        """A warning when any part of the drift uses more than 80 % of its
        threshold: sellers' copies of the asset may then fail WM002."""
        limits = (
            ("64-bit pHash", self.phash, options.candidate_threshold, "bits"),
            ("256-bit pHash", self.phash256, options.fine_threshold, "bits"),
            ("colour layout", self.colour, options.colour_threshold, "levels"),
        )
        unstable = [
            f"{name} {value:g} of {limit:g} {unit}"
            for name, value, limit, unit in limits
            if value > 0.8 * limit
        ]
        if not unstable:
            return []
        return [
            f"asset {asset_id}: a copy cropped 3 %, resized to 50 % and saved at JPEG "
            f"quality 50 moves its hashes by {', '.join(unstable)}: resized copies of it "
            "may not be recognised (WM002). An image with little large-scale structure "
            "(a uniform texture) makes a fragile official asset."
        ]


def signature_drift(
    path: Path, original: ImageSignature, max_pixels: int = DEFAULT_MAX_PIXELS
) -> SignatureDrift:
    """How far ``original`` (``path``'s :func:`image_signature`) moves in a harsh
    copy of the image (see ``HARSH_*``), made in memory; ``listguard brandkit
    build`` warns about fragile assets with it."""
    decoded = decode_gray(path, max_pixels, colour=True)
    assert decoded.ycc is not None
    image = Image.fromarray(decoded.ycc, "YCbCr").convert("RGB")
    w, h = image.size
    dx, dy = round(w * HARSH_CROP / 2), round(h * HARSH_CROP / 2)
    image = image.crop((dx, dy, w - dx, h - dy))
    size = (max(1, round(image.width * HARSH_SCALE)), max(1, round(image.height * HARSH_SCALE)))
    buffer = io.BytesIO()
    image.resize(size, Image.Resampling.BILINEAR).save(buffer, "JPEG", quality=HARSH_QUALITY)
    buffer.seek(0)
    copy = image_signature(buffer, max_pixels)
    assert original.phash256 is not None and original.colour is not None
    assert copy.phash256 is not None and copy.colour is not None
    return SignatureDrift(
        hamming(original.phash, copy.phash),
        hamming(original.phash256, copy.phash256),
        round(colour_distance(original.colour, copy.colour), 2),
    )
