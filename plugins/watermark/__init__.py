"""The watermark plugin: main images must be official, watermarked brand assets.

Rules WM001–WM004 (see :mod:`.rules`). All the image work is in
:func:`analyse_image` (safe decode, pHash, mark search, nearest asset); the
hooks below only turn its :class:`ImageAnalysis` into findings and a report fact.

Options (``[tool.listguard.plugins.watermark]``):

* ``max-pixels`` (50_000_000): larger images are refused from their header (LG006).
* ``match-threshold`` (float): the WM001 score at or above which the mark is found.
* ``inner-threshold`` (float): how strong, at least, the mark's inside (its word and
  code) must be against its outer ring: a look-alike badge or a frame alone is not
  the mark however well it scores.
* ``second-search`` (bool, true): search an image in which no mark was found once
  more, wider (the best candidate of each of the six best-ranked scales refined,
  however it ranks), before WM001 fires (finds faint marks over printed text; an
  image without the mark takes ~1.1× as long).
* ``phash-threshold`` (int): for assets with only the SPEC's 64-bit pHash, the WM002
  Hamming distance at or below which an asset matches.
* ``candidate-threshold`` (int), ``fine-threshold`` (int), ``colour-threshold``
  (float): for assets with a ``signature`` (written by ``listguard brandkit build``),
  the 64-bit distance that shortlists an asset, then the 256-bit pHash distance and
  the colour-layout distance it must be within.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ...context import CheckContext, ImageRef
from ...hookspecs import hookimpl
from ...i18n import join, msg
from ...model import Finding, Location, Rule
from .analysis import (
    DEFAULT_CANDIDATE_THRESHOLD,
    DEFAULT_COLOUR_THRESHOLD,
    DEFAULT_FINE_THRESHOLD,
    DEFAULT_INNER_THRESHOLD,
    DEFAULT_MATCH_THRESHOLD,
    DEFAULT_PHASH_THRESHOLD,
    FAINT_MARK_MARGIN,
    AnalysisOptions,
    AssetResult,
    ImageAnalysis,
    analyse_image,
)
from .decode import DEFAULT_MAX_PIXELS, ImageDecodeError, decode_gray
from .rules import RULES

PLUGIN_NAME = "watermark"
LISTGUARD_API = 1

MIN_SIDE = 800
SQUARE_TOLERANCE = 0.01

__all__ = ["PLUGIN_NAME", "AnalysisOptions", "ImageAnalysis", "analyse_image"]


@hookimpl
def listguard_register_rules() -> list[Rule]:
    return list(RULES)


@hookimpl
def listguard_plugin_options() -> dict[str, Any]:
    return {
        "max-pixels": DEFAULT_MAX_PIXELS,
        "match-threshold": DEFAULT_MATCH_THRESHOLD,
        "inner-threshold": DEFAULT_INNER_THRESHOLD,
        "second-search": True,
        "phash-threshold": DEFAULT_PHASH_THRESHOLD,
        "candidate-threshold": DEFAULT_CANDIDATE_THRESHOLD,
        "fine-threshold": DEFAULT_FINE_THRESHOLD,
        "colour-threshold": DEFAULT_COLOUR_THRESHOLD,
    }


@hookimpl
def listguard_check_image(ctx: CheckContext, image: ImageRef) -> Iterator[Finding]:
    where = Location(file=image.file, pointer=image.pointer)
    if image.role != "main":
        # Only main images carry the rules, but every image must decode: a broken
        # gallery picture is rejected on upload too. A reduced (draft) decode is
        # enough to find a truncated or corrupt file.
        try:
            decode_gray(image.path, int(ctx.options.get("max-pixels", DEFAULT_MAX_PIXELS)), 256)
        except ImageDecodeError as exc:
            yield Finding(
                "LG006",
                str(exc),
                location=where,
                hint=msg("re-export the image as a standard JPEG or PNG"),
            )
        return
    try:
        analysis = analyse_image(
            image.path, ctx.brand_kit, AnalysisOptions.from_plugin_options(ctx.options), ctx.model
        )
    except ImageDecodeError as exc:
        yield Finding(
            "LG006",
            str(exc),
            location=where,
            hint=msg("re-export the image as a standard JPEG or PNG"),
        )
        return
    ctx.add_fact(image.file, analysis.fact())
    yield from size_findings(analysis, where)
    yield from watermark_findings(analysis, where)
    yield from asset_findings(analysis, where, ctx.model)


def size_findings(analysis: ImageAnalysis, where: Location) -> Iterator[Finding]:
    """WM004: smaller than 800×800 or not square (1 % tolerance)."""
    w, h = analysis.width, analysis.height
    problems = []
    if min(w, h) < MIN_SIDE:
        problems.append(msg("smaller than {side}×{side}", side=MIN_SIDE))
    if abs(w - h) > SQUARE_TOLERANCE * max(w, h):
        problems.append(msg("not square"))
    if problems:
        yield Finding(
            "WM004",
            msg(
                "main image is {width}×{height} px, {problems}",
                width=w,
                height=h,
                problems=join(msg(" and "), problems),
            ),
            location=where,
            hint=msg("use a square image of at least {side}×{side} px", side=MIN_SIDE),
            evidence={"width": w, "height": h},
        )


def watermark_findings(analysis: ImageAnalysis, where: Location) -> Iterator[Finding]:
    """WM001: the mark not found, or not verifiable without a template."""
    if "WM001" in analysis.unverified:
        yield Finding(
            "WM001",
            msg(
                "the watermark could not be verified: {reason}",
                reason=analysis.unverified["WM001"],
            ),
            location=where,
            hint=msg("run with --brand-kit DIR pointing at a kit with a watermark template"),
            evidence={"verified": False, "reason": analysis.unverified["WM001"]},
        )
        return
    mark = analysis.watermark
    if mark is None or mark.found:
        return
    hint = msg("use the official image with its watermark intact")
    asset = analysis.asset
    if asset is not None and window_clearly_differs(mark.asset_copy):
        # The window round the mark was compared with the asset's: far from the same.
        hint = msg(
            "the image matches the official asset {id}, but the area round the mark is "
            "not the asset's: the mark looks removed, covered, replaced or blurred; use "
            "the official image unaltered, at full size",
            id=asset.id,
        )
    elif asset is not None and mark.asset_score is not None and mark.asset_score < mark.threshold:
        # The seller is not at fault: the brand's own asset carries too faint a mark.
        hint = msg(
            "the official asset {id} itself carries a mark too faint to verify (it scores "
            "{score:.2f}); ask the brand for a copy with a clearer mark",
            id=asset.id,
            score=float(mark.asset_score),
        )
    elif (
        asset is not None
        and mark.asset_score is not None
        and mark.asset_score < mark.threshold + FAINT_MARK_MARGIN
    ):
        hint = msg(
            "the official asset {id}'s own mark is faint (it scores {score:.2f}, the "
            "threshold is {threshold:.2f}) and re-encoding or resizing loses it: use the "
            "original file at full size and quality, or ask the brand for a clearer copy",
            id=asset.id,
            score=float(mark.asset_score),
            threshold=float(mark.threshold),
        )
    message = msg(
        "no official watermark found (best match {score:.2f}, needs {threshold:.2f})",
        score=float(mark.score),
        threshold=float(mark.threshold),
    )
    if mark.score >= mark.threshold:
        # The badge is there, but not its inside: another word, or a frame alone.
        if mark.inner is None:
            message = msg(
                "a badge like the official watermark, but its word and code could not be "
                "measured: not verified as the mark"
            )
        else:
            message = msg(
                "a badge like the official watermark, but not its word and code (its inside "
                "is {inner:.2f} as strong as its outline, needs {needed:.2f}): a look-alike",
                inner=float(mark.inner),
                needed=float(mark.inner_threshold),
            )
    yield Finding(
        "WM001",
        message,
        location=Location(
            file=where.file, pointer=where.pointer, bbox=[float(v) for v in mark.bbox]
        ),
        hint=hint,
        evidence={
            "score": mark.score,
            "threshold": mark.threshold,
            "bbox": mark.bbox,
            "scale": mark.scale,
            "correlation": mark.correlation,
            "inner": mark.inner,
            "inner_threshold": mark.inner_threshold,
            "located": mark.located,
            "asset_mark_score": mark.asset_score,
            "asset_copy": mark.asset_copy,
            "found": False,
        },
    )


def window_clearly_differs(copy: dict[str, Any] | None) -> bool:
    """Whether a window comparison (``WatermarkResult.asset_copy``) says more than
    "not the same": the windows aligned, and the asset's mark is half gone or
    more, or as much again is put in (bench: the assets' photos with the mark
    removed or replaced; unaltered copies stay near 0 on both)."""
    if copy is None or copy["same"]:
        return False
    # Only when the windows aligned (an honest copy too small or too blurred to
    # compare is not accused) and the difference is the mark's size or more.
    aligned = (copy.get("ring_correlation") or 0.0) >= 0.5
    change, excess = copy.get("mark_change"), copy.get("excess")
    return aligned and (
        (change is not None and change <= -0.5) or (excess is not None and excess >= 1.0)
    )


def signature_evidence(asset: AssetResult) -> dict[str, Any]:
    """How WM002 decided: by the assets' finer signatures, or (a kit built without
    them) by the SPEC's 64-bit pHash alone, which the evidence then says."""
    if asset.stage != "signature":
        return {
            "stage": "phash64",
            "note": "the brand kit's assets carry no finer signature: matched by 64-bit "
            "pHash alone (rebuild the kit with `listguard brandkit build` to add them)",
        }
    return {
        "stage": "signature",
        "fine_distance": asset.fine_distance,
        "fine_threshold": asset.fine_threshold,
        "colour_distance": asset.colour_distance,
        "colour_threshold": asset.colour_threshold,
        "candidates": asset.candidates,
    }


def asset_findings(
    analysis: ImageAnalysis, where: Location, model: str | None
) -> Iterator[Finding]:
    """WM002 (no official asset matches) and WM003 (the match is another model's)."""
    if "WM002" in analysis.unverified:
        yield Finding(
            "WM002",
            msg(
                "could not be verified as an official asset: {reason}",
                reason=analysis.unverified["WM002"],
            ),
            location=where,
            hint=msg("run with --brand-kit DIR pointing at a kit with its asset hashes"),
            evidence={
                "verified": False,
                "reason": analysis.unverified["WM002"],
                "phash": analysis.phash,
            },
        )
        return
    asset = analysis.asset
    if asset is None:
        return
    evidence = {
        "phash": analysis.phash,
        "nearest": asset.id,
        "model": asset.model,
        "distance": asset.distance,
        "threshold": asset.threshold,
        **signature_evidence(asset),
    }
    if not asset.matched:
        if asset.fine_distance is not None:  # shortlisted, rejected by its signature
            message = msg(
                "matches no official asset: {id} is {distance} bits away by 64-bit pHash, but "
                "its finer signature differs ({fine}/256 bits, threshold {fine_threshold}; "
                "colour {colour:.1f}, threshold {colour_threshold:.1f})",
                id=asset.id,
                distance=asset.distance,
                fine=asset.fine_distance,
                fine_threshold=asset.fine_threshold,
                colour=asset.colour_distance,
                colour_threshold=asset.colour_threshold,
            )
        else:
            message = msg(
                "matches no official asset (nearest {id}, {distance} bits apart, "
                "threshold {threshold})",
                id=asset.id,
                distance=asset.distance,
                threshold=asset.threshold,
            )
        yield Finding(
            "WM002",
            message,
            location=where,
            hint=msg("use an image from the brand's official asset library"),
            evidence=evidence,
        )
    elif model is not None and asset.model != model:
        yield Finding(
            "WM003",
            msg(
                "image is official asset {id} of model {asset_model}, not {model}",
                id=asset.id,
                asset_model=asset.model,
                model=model,
            ),
            location=where,
            hint=msg("use an official image of model {model}", model=model),
            evidence=evidence,
        )
