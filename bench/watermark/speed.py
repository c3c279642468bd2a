"""Speed of the watermark checks: main images per second on one core, for
1600×1600 JPEG main images, decode included, all WM rules (decode, pHash,
nearest asset, mark search, size).

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


def make_images(out: Path, kit: Path, count: int, seed: int) -> list[Path]:
    """Half official masters re-encoded, half foreign 1600 px photos with the mark."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    masters = sorted((kit / "official").glob("*.jpg"))
    mark = synth.load_mark(str(kit / "watermark.png"))
    paths = []
    for i in range(count):
        path = out / f"main-{i:03d}.jpg"
        paths.append(path)
        if path.exists():
            continue
        if i % 2 == 0:
            image = synth.Image.open(masters[i % len(masters)]).convert("RGB")
        else:
            style = list(synth.STYLES)[i % 3]
            image = synth.STYLES[style](1600, rng)
            image, _ = synth.paste_mark(
                image, mark, rng.uniform(0.4, 1.6), rng.uniform(0.25, 0.9), (rng.random(),) * 2
            )
        image.save(path, "JPEG", quality=85)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("bench/out/watermark"))
    parser.add_argument("--count", type=int, default=60)
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
    paths = make_images(args.corpus / "speed", args.corpus / "kit", args.count, 1600)
    analyse_image(paths[0], kit)  # warm the template and hash caches, as a worker would

    def full_decode(path: Path) -> None:
        with Image.open(path) as image:
            image.convert("RGB").load()

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [analyse_image(p, kit) for p in paths])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)
    # Interleaved per image (decode, then the checks), so that both see the same
    # load on a shared machine; wall and CPU time both. Official assets (the even
    # images) have their mark looked for where the kit says it is; the others are
    # searched whole, so the two halves are also reported apart.
    groups = {"all": paths, "official": paths[0::2], "foreign": paths[1::2]}
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for _ in range(args.passes):
        totals: dict[str, list[float]] = {}
        for index, path in enumerate(paths):
            group = "official" if index % 2 == 0 else "foreign"
            for key, work in (("decode", full_decode), ("checks", lambda p: analyse_image(p, kit))):
                start, start_cpu = time.perf_counter(), time.process_time()
                work(path)
                w, c = time.perf_counter() - start, time.process_time() - start_cpu
                for name in ("all", group):
                    total = totals.setdefault(f"{name}/{key}", [0.0, 0.0])
                    total[0] += w
                    total[1] += c
        for key, (w, c) in totals.items():
            count = len(groups[key.split("/")[0]])
            wall.setdefault(key, []).append(w / count)
            cpu.setdefault(key, []).append(c / count)
    print(f"{len(paths)} JPEG main images 1600×1600, {args.passes} passes, one core, median pass:")
    for name, label in (
        ("all", "all images"),
        ("official", "official assets (mark looked for at the asset's place)"),
        ("foreign", "foreign photos with the mark (whole image searched)"),
    ):
        print(f" {label} ({len(groups[name])}):")
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
