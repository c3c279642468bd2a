"""Accuracy of WM001-WM003 on the generated corpus: detection and false-positive
rates, score distributions, and the thresholds the figures support.

    .venv/bin/python bench/watermark/evaluate.py --corpus bench/out/watermark

Definitions (a "positive" is what the check must recognise):

* WM001, mark present: positives are images with the genuine mark (official
  and counterfeit); negatives have none or a look-alike. Detection = positives
  whose score reaches the threshold; false positive = a negative that does.
* WM002, official asset: positives are degraded official assets, matched when
  their *own* asset is the nearest and within the Hamming threshold; negatives
  are foreign images (plain, look-alike, counterfeit): a false positive matches
  any asset.
* WM003, other model: each official image is checked twice, listed under its
  own model (negative: WM003 must stay silent) and under another model
  (positive: WM003 must fire).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np


def _analyse(args: tuple[str, str]) -> dict[str, Any]:
    import cv2

    cv2.setNumThreads(1)
    from listguard.brandkit import load_brand_kit
    from listguard.plugins.watermark.analysis import AnalysisOptions, analyse_image

    path, kit_dir = args
    kit = _kit_cache.get(kit_dir) or _kit_cache.setdefault(kit_dir, load_brand_kit(Path(kit_dir)))
    # Thresholds do not change the raw scores; very permissive ones keep the nearest asset.
    start = time.perf_counter()
    analysis = analyse_image(Path(path), kit, AnalysisOptions(phash_threshold=64))
    elapsed = time.perf_counter() - start
    mark, asset = analysis.watermark, analysis.asset
    assert mark is not None and asset is not None
    return {
        "score": mark.score,
        "bbox": mark.bbox,
        "nearest": asset.id,
        "nearest_model": asset.model,
        "distance": asset.distance,
        "seconds": elapsed,
    }


_kit_cache: dict[str, Any] = {}


def percentiles(values: list[float]) -> str:
    if not values:
        return "(none)"
    q = np.percentile(values, [0, 1, 5, 50, 95, 99, 100])
    return "min {:.3f} p1 {:.3f} p5 {:.3f} p50 {:.3f} p95 {:.3f} p99 {:.3f} max {:.3f}".format(*q)


def rate(hits: int, total: int) -> str:
    return f"{hits}/{total} = {100 * hits / total:.2f} %" if total else "n/a"


def choose_high(pos: list[float], neg: list[float], max_fp: float) -> float:
    """Lowest score threshold keeping false positives at or under ``max_fp``;
    the middle of the gap when the classes separate."""
    neg_sorted = sorted(neg, reverse=True)
    allowed = int(max_fp * len(neg))
    floor = neg_sorted[allowed] if allowed < len(neg_sorted) else -1.0
    above = [p for p in pos if p > floor]
    return round((floor + min(above)) / 2, 3) if above else round(floor + 1e-3, 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("bench/out/watermark"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--max-fp", type=float, default=0.001)
    parser.add_argument("--dump", type=Path, help="write the per-image results as JSON lines")
    args = parser.parse_args()
    from listguard.plugins.watermark.analysis import (
        DEFAULT_MATCH_THRESHOLD,
        DEFAULT_PHASH_THRESHOLD,
    )

    records = [json.loads(line) for line in (args.corpus / "labels.jsonl").open()]
    kit = str(args.corpus / "kit")
    jobs = [(str(args.corpus / "images" / r["file"]), kit) for r in records]
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(_analyse, jobs, chunksize=16))
    for record, result in zip(records, results, strict=True):
        record.update(result)
    if args.dump:
        args.dump.write_text("".join(json.dumps(r) + "\n" for r in records))
    models = sorted({r["model"] for r in records if r["kind"] == "official"})

    print(f"corpus {args.corpus}: {len(records)} images")
    print("\n== WM001 mark present: score distributions ==")
    for kind in ("official", "counterfeit", "plain", "lookalike"):
        for style in ("photo", "product", "texture"):
            values = [r["score"] for r in records if r["kind"] == kind and r["style"] == style]
            print(f"  {kind:11} {style:8} n={len(values):4}  {percentiles(values)}")
    pos = [r["score"] for r in records if r["mark"]]
    neg = [r["score"] for r in records if not r["mark"]]
    chosen = choose_high(pos, neg, args.max_fp)
    for label, t in (("default", DEFAULT_MATCH_THRESHOLD), ("chosen", chosen)):
        print(
            f"  threshold {t:.3f} ({label}): detection {rate(sum(p >= t for p in pos), len(pos))}, "
            f"false positives {rate(sum(n >= t for n in neg), len(neg))}"
        )
    t = DEFAULT_MATCH_THRESHOLD
    for kind in ("official", "counterfeit"):
        for style in ("photo", "product", "texture"):
            group = [r for r in records if r["kind"] == kind and r["style"] == style]
            hits = sum(r["score"] >= t for r in group)
            print(f"    detection {kind:11} {style:8} {rate(hits, len(group))}")
    for kind in ("plain", "lookalike"):
        group = [r for r in records if r["kind"] == kind]
        print(f"    false pos {kind:11} {rate(sum(r['score'] >= t for r in group), len(group))}")

    print("\n== WM002 official asset: Hamming distance distributions ==")
    official = [r for r in records if r["official"]]
    foreign = [r for r in records if not r["official"]]
    for kind in ("official", "counterfeit", "plain", "lookalike"):
        values = [r["distance"] for r in records if r["kind"] == kind]
        print(f"  nearest-asset distance {kind:11} n={len(values):4}  {percentiles(values)}")
    wrong = [r for r in official if r["nearest"] != r["asset"]]
    print(f"  official images whose nearest asset is not their own: {len(wrong)}")
    dist_neg = [float(r["distance"]) for r in foreign]
    chosen_d = None
    for d in range(0, 33):
        if sum(x <= d for x in dist_neg) <= args.max_fp * len(dist_neg):
            chosen_d = d
    for label, d in (("default", DEFAULT_PHASH_THRESHOLD), ("chosen", chosen_d)):
        if d is None:
            continue
        hits = sum(r["nearest"] == r["asset"] and r["distance"] <= d for r in official)
        fps = sum(x <= d for x in dist_neg)
        print(
            f"  threshold {d} bits ({label}): detection {rate(hits, len(official))}, "
            f"false positives {rate(fps, len(foreign))}"
        )
    d = DEFAULT_PHASH_THRESHOLD
    for style in ("photo", "product", "texture"):
        group = [r for r in official if r["style"] == style]
        hits = sum(r["nearest"] == r["asset"] and r["distance"] <= d for r in group)
        print(f"    detection official {style:8} {rate(hits, len(group))}")
    counterfeit = [r for r in records if r["kind"] == "counterfeit"]
    caught = sum(r["distance"] > d and r["score"] >= t for r in counterfeit)
    print(f"  counterfeits caught as WM001 pass + WM002 fail: {rate(caught, len(counterfeit))}")

    print("\n== WM003 asset of another model (default thresholds) ==")
    fires_own = sum(r["distance"] <= d and r["nearest_model"] != r["model"] for r in official)
    fires_other = 0
    for r in official:
        listed = models[(models.index(r["model"]) + 1) % len(models)]
        fires_other += r["distance"] <= d and r["nearest_model"] != listed
    print(f"  detection (listed under another model) {rate(fires_other, len(official))}")
    print(f"  false positives (listed under its own model) {rate(fires_own, len(official))}")

    seconds = [r["seconds"] for r in records]
    print(f"\nanalysis time per image (decode included, mixed sizes): {percentiles(seconds)} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
