"""Catalog-scale benchmark: listguard against the physical floor, workers, cache, memory.

    .venv/bin/python bench/catalog/run.py                      # 100 typical packages
    .venv/bin/python bench/catalog/run.py --count 40 --rounds 3 --cache-count 1000
    .venv/bin/python bench/catalog/run.py --count 10 --rounds 1 --small 1000,10000

What it measures, in one process and alternating (the machine is shared: compare
the ratios, which are taken between runs made side by side):

* A: ``listguard check DIR --jobs 1 --no-cache`` over the typical packages;
* B, the *floor*: only the unavoidable work on the same files — decode every
  image once with Pillow and extract the text of every PDF page once with
  pypdfium2 — in a fresh process, so start-up is counted on both sides;
* A/B, packages/s; ``--jobs 2`` against half the floor (the floor split over two
  cores), and the speed-up of ``--jobs 2`` over ``--jobs 1``;
* start-up (``listguard --version``);
* cold versus warm result cache on the unchanged catalog;
* peak RSS of the largest listguard process (a worker) on the typical packages,
  and over ``--small`` catalogs of small packages (flat means streaming works).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1].parent
OUT = REPO / "bench" / "out"
KIT = REPO / "fixtures" / "brandkit"
PYTHON = sys.executable

FLOOR = r"""
import sys
from pathlib import Path
from PIL import Image
import pypdfium2 as pdfium
root = Path(sys.argv[1])
for path in sorted(root.rglob("*")):
    if path.suffix == ".jpg":
        with Image.open(path) as image:
            image.load()
    elif path.suffix == ".pdf":
        document = pdfium.PdfDocument(str(path))
        for page in document:
            page.get_textpage().get_text_range()
        document.close()
"""

# Runs a command and prints the peak RSS (KiB) of the largest process it started.
PEAK = r"""
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=False)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def timed(argv: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=False, env=env)
    return time.perf_counter() - started


def check_argv(folder: Path, *extra: str) -> list[str]:
    return [PYTHON, "-m", "listguard", "check", str(folder), "--brand-kit", str(KIT),
            "--as-of", "2026-11-22", "--format", "json", "-q", *extra]  # fmt: skip


def ensure_catalog(folder: Path, *args: str) -> None:
    marker = folder / ".complete"
    if marker.exists() and marker.read_text() == " ".join(args):
        return
    subprocess.run([PYTHON, str(REPO / "bench/catalog/generate.py"), "--out", str(folder), *args],
                   check=True)  # fmt: skip
    marker.write_text(" ".join(args))


def peak_rss_mib(argv: list[str]) -> float:
    out = subprocess.run([PYTHON, "-c", PEAK, *argv], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # 100: a run's fixed start-up (~0.9 s) is a twentieth of it, as in a real
    # catalog; on 10 packages it is a third (see the README).
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--small", default="", help="comma-separated small-catalog sizes")
    parser.add_argument(
        "--cache-count",
        type=int,
        default=0,
        help="measure cold vs warm cache on a catalog of this many typical packages, "
        "with --jobs 2 (default: the --count catalog, --jobs 1)",
    )
    args = parser.parse_args()
    catalog = OUT / f"catalog-{args.count}"
    ensure_catalog(catalog, "--count", str(args.count))
    floor_argv = [PYTHON, "-c", FLOOR, str(catalog)]
    times: dict[str, list[float]] = {"A1": [], "A2": [], "B": []}
    for _ in range(args.rounds):  # alternate, so load on the machine hits both sides alike
        times["A1"].append(timed(check_argv(catalog, "--jobs", "1", "--no-cache")))
        times["B"].append(timed(floor_argv))
        times["A2"].append(timed(check_argv(catalog, "--jobs", "2", "--no-cache")))
        times["B"].append(timed(floor_argv))
    a1, a2, b = (statistics.median(times[k]) for k in ("A1", "A2", "B"))
    n = args.count
    print(f"typical packages: {n} (5 × 1600² JPEG, 40-page manual, 3 certificates, detail page)")
    print(f"  floor B (Pillow decode + pypdfium2 text): {b:6.2f} s  {n / b:6.2f} pkg/s")
    print(f"  --jobs 1 A1:                              {a1:6.2f} s  {n / a1:6.2f} pkg/s")
    print(f"  --jobs 2 A2:                              {a2:6.2f} s  {n / a2:6.2f} pkg/s")
    print(f"  A1 / B            = {a1 / b:5.2f}   (target ≤ 3.0)")
    print(f"  A2 / (B / 2)      = {a2 / (b / 2):5.2f}")
    print(f"  jobs 2 speed-up   = {a1 / a2:5.2f}×  (target ≥ 1.8×)")

    startup = statistics.median(timed([PYTHON, "-m", "listguard", "--version"]) for _ in range(5))
    print(f"startup: listguard --version {startup * 1000:.0f} ms")

    cached, jobs = catalog, "1"
    if args.cache_count:
        cached, jobs = OUT / f"catalog-{args.cache_count}", "2"
        ensure_catalog(cached, "--count", str(args.cache_count))
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "LISTGUARD_CACHE_DIR": cache}
        cold = timed(check_argv(cached, "--jobs", jobs), env)
        warm = statistics.median(timed(check_argv(cached, "--jobs", jobs), env) for _ in range(3))
    print(f"cache: {cached.name}, --jobs {jobs}: cold {cold:.2f} s, warm {warm:.2f} s, "
          f"cold/warm = {cold / warm:.1f}× (target ≥ 20×)")  # fmt: skip

    rss = peak_rss_mib(check_argv(catalog, "--jobs", "1", "--no-cache"))
    print(f"memory: peak RSS of the largest process, typical packages: {rss:.0f} MiB "
          "(target ≤ 400 MiB per worker)")  # fmt: skip
    for size in [int(s) for s in args.small.split(",") if s]:
        small = OUT / f"small-{size}"
        ensure_catalog(small, "--small", str(size))
        rss = peak_rss_mib(check_argv(small, "--jobs", "1", "--no-cache"))
        print(f"memory: {size:>6} small packages: peak RSS {rss:.0f} MiB")
    print(
        json.dumps({"a1_over_b": a1 / b, "speedup_jobs2": a1 / a2, "cold_over_warm": cold / warm})
    )


if __name__ == "__main__":
    main()
