"""Generate a catalog of typical listing packages for the scale benchmark.

    .venv/bin/python bench/catalog/generate.py --count 20 --out bench/out/catalog
    .venv/bin/python bench/catalog/generate.py --small 10000 --out bench/out/small10k

A *typical* package (the issue's definition): five 1600×1600 JPEG main images
(official Orvina assets, re-encoded), a 40-page multi-language manual, three
certificate PDFs (CE declaration, FCC grant, a test report) and a detail page.
A *small* package is a manifest with one tiny image, for the memory test over
many packages. Everything comes from a fixed seed and the demo brand kit; the
PDFs are made by the same functions as the demo fixtures.
"""

from __future__ import annotations

import argparse
import copy
import functools
import io
import json
import random
import shutil
import sys
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "fixtures"))

import build_fixtures as fx  # noqa: E402  (the demo fixtures' PDF and HTML makers)

LANGUAGES = ["en", "es", "fr", "pl", "de", "it"]
MODEL = "OV2301A1"


def manual_pages(model: str, name: str, pages: int) -> bytes:
    """A manual of ``pages`` pages: the languages one after another, several pages each."""
    pdf = fx._pdf()
    per_language = max(1, pages // len(LANGUAGES))
    for index in range(pages):
        code = LANGUAGES[min(index // per_language, len(LANGUAGES) - 1)]
        pdf.add_page()
        body = fx.MANUAL_TEXT[code].format(name=name, model=model)
        fx._para(pdf, 0, 5, f"{name} — {code.upper()} ({index + 1})\n\n{body}\n\n{body}")
    return bytes(pdf.output())


@functools.lru_cache(maxsize=4)
def official_1600(index: int) -> Image.Image:
    """An official asset of the demo kit at 1600 px (drawn once, re-encoded per package)."""
    return fx.official_image(MODEL, index).resize((1600, 1600), Image.LANCZOS)


def main_image(index: int, rng: random.Random) -> bytes:
    buffer = io.BytesIO()
    official_1600(index).save(buffer, "JPEG", quality=rng.choice([75, 82, 90]))
    return buffer.getvalue()


def typical_package(root: Path, number: int, rng: random.Random, shared: dict) -> None:
    # The demo speaker package (made once: it draws nothing from ``rng``).
    manifest, files = copy.deepcopy(shared["speaker"])
    manifest["sku"] = f"OV-S1-BENCH-{number:05d}"
    manifest["images"] = [{"file": f"images/main-{i}.jpg", "role": "main"} for i in range(5)]
    manifest["manuals"] = [{"file": "manuals/user-manual.pdf", "languages": LANGUAGES}]
    report = {
        "type": "EN71",
        "file": "certificates/test-report.pdf",
        "number": f"ETS-BENCH-{number:05d}",
        "issued": "2026-10-01",
        "standards": ["EN 71-1:2014+A1:2018"],
    }
    manifest["certificates"] = [*manifest["certificates"], report]
    files = {k: v for k, v in files.items() if not k.startswith(("images/", "manuals/"))}
    for i in range(5):
        # Each package gets its own bytes (a different quality), so no cache can share them.
        files[f"images/main-{i}.jpg"] = main_image(i % 2, rng)
    files["manuals/user-manual.pdf"] = shared["manual"]
    files["certificates/test-report.pdf"] = fx.test_report_pdf(
        report, MODEL, manifest["product_name"], "Safety of toys (EN 71)"
    )
    fx.write(root, files, manifest)


def small_package(root: Path, number: int, image: bytes) -> None:
    manifest = {
        "schema_version": "1",
        "sku": f"SMALL-{number:06d}",
        "brand": "Orvina",
        "model": MODEL,
        "product_name": "Orvina Smart Speaker S1",
        "category": "audio",
        "markets": ["US"],
        "images": [{"file": "images/main.jpg", "role": "main"}],
    }
    root.mkdir(parents=True, exist_ok=True)
    (root / "images").mkdir(exist_ok=True)
    (root / "listing.json").write_text(json.dumps(manifest), encoding="utf-8")
    (root / "images" / "main.jpg").write_bytes(image)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20, help="typical packages")
    parser.add_argument("--small", type=int, default=0, help="make this many small packages")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.out.exists():
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    if args.small:
        buffer = io.BytesIO()
        fx.official_image(MODEL, 0).resize((200, 200)).save(buffer, "JPEG", quality=80)
        for number in range(args.small):
            small_package(args.out / f"p{number:06d}", number, buffer.getvalue())
        print(f"wrote {args.small} small packages to {args.out}")
        return
    shared = {
        "manual": manual_pages(MODEL, "Orvina Smart Speaker S1", 40),
        "speaker": fx.speaker_eu(rng),
    }
    for number in range(args.count):
        typical_package(args.out / f"p{number:05d}", number, rng, shared)
    print(f"wrote {args.count} typical packages to {args.out}")


if __name__ == "__main__":
    main()
