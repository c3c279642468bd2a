"""Speed of the watermark checks: main images per second on one core, for
1600×1600 JPEG main images, decode included, all WM rules (decode, pHash,
nearest asset, mark search, size), for each of three kinds of main image:
official assets, foreign photos with the mark and foreign photos without it.

    .venv/bin/python bench/watermark/speed.py --corpus bench/out/watermark [--profile]

Uses the corpus's brand kit (run generate.py first). The process is pinned to
one core and OpenCV to one thread. A full Pillow decode of the same files is
timed in the same run, as the floor to compare with (the machine is shared:
compare the ratio, not only the absolute figure).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth

#: The three kinds of main image timed, each searched its own way.
GROUPS = {
    "official": "official assets (mark looked for at the asset's place)",
    "marked": "foreign photos with the mark (whole image searched)",
    "plain": "foreign photos without the mark (whole image searched twice)",
}


def make_images(out: Path, kit: Path, count: int, seed: int) -> dict[str, list[Path]]:
    """``count`` images of each group: official masters re-encoded, foreign
    1600 px photos with the mark pasted on, and foreign photos without it."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    masters = sorted((kit / "official").glob("*.jpg"))
    mark = synth.load_mark(str(kit / "watermark.png"))
    groups: dict[str, list[Path]] = {name: [] for name in GROUPS}
    for i in range(count):
        for name, paths in groups.items():
            path = out / f"{name}-{i:03d}.jpg"
            paths.append(path)
            # Drawn whether or not the file exists, so that every image is the
            # same whatever the files already there.
            style = list(synth.STYLES)[i % 3]
            scale, opacity, place = rng.uniform(0.4, 1.6), rng.uniform(0.25, 0.9), rng.random()
            if path.exists():
                continue
            if name == "official":
                image = synth.Image.open(masters[i % len(masters)]).convert("RGB")
            else:
                image = synth.STYLES[style](1600, random.Random(seed * 1000 + i))
                if name == "marked":
                    image, _ = synth.paste_mark(image, mark, scale, opacity, (place,) * 2)
            image.save(path, "JPEG", quality=85)
    return groups


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("bench/out/watermark"))
    parser.add_argument("--count", type=int, default=20, help="images of each kind")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    import cv2

    cv2.setNumThreads(1)
    from PIL import Image

    from listguard.brandkit import load_brand_kit
    from listguard.plugins.watermark.analysis import analyse_image

    kit = load_brand_kit(args.corpus / "kit")
    groups = make_images(args.corpus / "speed", args.corpus / "kit", args.count, 1600)
    paths = [path for group in groups.values() for path in group]
    analyse_image(paths[0], kit)  # warm the template and hash caches, as a worker would

    def full_decode(path: Path) -> None:
        with Image.open(path) as image:
            image.convert("RGB").load()

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [analyse_image(p, kit) for p in paths])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    # Interleaved per image (decode, then the checks), so that both see the same
    # load on a shared machine; wall and CPU time both; the groups interleaved
    # too (one image of each in turn).
    order = [(name, group[i]) for i in range(args.count) for name, group in groups.items()]
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for _ in range(args.passes):
        totals: dict[str, list[float]] = {}
        for group, path in order:
            for key, work in (("decode", full_decode), ("checks", lambda p: analyse_image(p, kit))):
                start, start_cpu = time.perf_counter(), time.process_time()
                work(path)
                w, c = time.perf_counter() - start, time.process_time() - start_cpu
                for name in ("all", group):
                    total = totals.setdefault(f"{name}/{key}", [0.0, 0.0])
                    total[0] += w
                    total[1] += c
        for key, (w, c) in totals.items():
            count = len(paths) if key.startswith("all/") else args.count
            wall.setdefault(key, []).append(w / count)
            cpu.setdefault(key, []).append(c / count)
    print(f"{len(paths)} JPEG main images 1600×1600, {args.passes} passes, one core, median pass:")
    labels = {"all": "all images, a third of each kind", **GROUPS}
    for name, label in labels.items():
        count = len(paths) if name == "all" else args.count
        print(f" {label} ({count}):")
        for clock, table in (("wall", wall), ("CPU", cpu)):
            decode = statistics.median(table[f"{name}/decode"])
            per_image = statistics.median(table[f"{name}/checks"])
            print(
                f"  {clock:4}: full Pillow decode (RGB) {1000 * decode:.1f} ms/image; all WM "
                f"checks, decode included, {1000 * per_image:.1f} ms/image = "
                f"{1 / per_image:.1f} images/s ({per_image / decode:.1f}× a full decode)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
