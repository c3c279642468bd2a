"""How heavy is each report format on a 500-package catalog?

Builds N package folders (fixed seed) with one photo-like 1200×1200 main image
each, makes ListingResults the way the plugins report them (three findings,
watermark facts with a box), renders every format and prints time and size;
with Chromium present, also how long the HTML page takes to load and run.

    .venv/bin/python bench/formats/bench_formats.py [--packages 500]

Targets: the HTML page stays under 15 KB per package (no megabyte images) and
renders in well under a second per 100 packages.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageFilter

from listguard.model import Finding, ListingResult, Location, Report, Rule, RunInfo, Severity
from listguard.reporters.base import RenderOptions
from listguard.reporters.github import GitHubWriter
from listguard.reporters.html import HtmlWriter
from listguard.reporters.jsonl import JsonLinesWriter
from listguard.reporters.junit import JUnitWriter
from listguard.reporters.markdown import MarkdownWriter
from listguard.reporters.sarif import SarifWriter

WRITERS = {
    "jsonl": JsonLinesWriter,
    "sarif": SarifWriter,
    "junit": JUnitWriter,
    "github": GitHubWriter,
    "markdown": MarkdownWriter,
    "html": HtmlWriter,
}


def photo(rng: random.Random, size: int = 1200) -> bytes:
    """A noisy, blurred image: compresses like a product photo, not a flat colour."""
    small = Image.frombytes("RGB", (60, 60), rng.randbytes(60 * 60 * 3))
    image = small.resize((size, size), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(2))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


def catalog(root: Path, count: int, rng: random.Random) -> list[ListingResult]:
    listings = []
    for i in range(count):
        package = root / f"pkg-{i:04d}"
        (package / "images").mkdir(parents=True)
        (package / "images" / "main.jpg").write_bytes(photo(rng))
        severity = [Severity.ERROR, Severity.WARNING, Severity.INFO][i % 3]
        findings = [
            Finding(
                "WM001",
                "the main image lacks the official watermark",
                severity,
                location=Location(file="images/main.jpg", bbox=[900, 1000, 250, 150]),
            ),
            Finding(
                "CERT002",
                f"CE certificate DoC-{i} expired on 2026-10-01",
                Severity.ERROR,
                location=Location(file="certificates/ce.pdf", page=1),
            ),
            Finding(
                "VID002",
                "the video link is not HTTPS",
                Severity.ERROR,
                location=Location(file="detail.html", line=12, column=9),
            ),
        ][: 1 + i % 3]
        facts = {
            "watermark": {
                "images/main.jpg": {
                    "width": 1200,
                    "height": 1200,
                    "watermark": {"found": True, "score": 0.8, "bbox": [900, 1000, 250, 150]},
                    "asset": {"id": "A1", "model": "OV2301A1", "distance": 4},
                }
            }
        }
        listings.append(ListingResult(str(package), f"SKU-{i}", findings, facts))
    return listings


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--packages", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rules = [
        Rule(code, code.lower(), Severity.ERROR, f"rule {code}")
        for code in ("WM001", "CERT002", "VID002")
    ]
    run = RunInfo("bench", "2026-11-22", [], rules)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        listings = catalog(root, args.packages, rng)
        image_bytes = (root / "pkg-0000" / "images" / "main.jpg").stat().st_size
        print(
            f"{args.packages} packages, main image {image_bytes / 1024:.0f} KB each "
            f"(seed {args.seed})"
        )
        summary = Report(run, listings).summary
        html_path = root / "report.html"
        for name, writer_class in WRITERS.items():
            stream = io.StringIO()
            start = time.perf_counter()
            writer = writer_class(stream, RenderOptions(rules={r.code: r for r in rules}))
            writer.start(run)
            for listing in listings:
                writer.add(listing)
            writer.finish(summary)
            seconds = time.perf_counter() - start
            size = len(stream.getvalue().encode("utf-8"))
            print(
                f"{name:9} {seconds:7.2f} s  {size / 1024:9.0f} KB  "
                f"{size / args.packages / 1024:6.1f} KB/package"
            )
            if name == "html":
                html_path.write_text(stream.getvalue(), encoding="utf-8")
        chromium = shutil.which("chromium")
        if chromium:
            start = time.perf_counter()
            result = subprocess.run(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    f"--user-data-dir={root / 'profile'}",
                    "--dump-dom",
                    html_path.as_uri(),
                ],
                capture_output=True,
                text=True,
                timeout=300,
            )
            seconds = time.perf_counter() - start
            ok = 'data-ready="1"' in result.stdout and 'data-count="0"' in result.stdout
            print(
                f"chromium  {seconds:7.2f} s  to load, run the script and dump the DOM "
                f"(script ran without errors: {ok})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
