"""Benchmark the manuals plugin: language-presence accuracy and speed.

    .venv/bin/python bench/manuals/bench.py [--docs 240] [--seed 20261201]
        [--real-world ../shared/real-world] [--compare-py3langid]

Generates the corpus (``corpus.py``) under ``bench/out/manuals/``, analyses
every PDF with :func:`listguard.plugins.manuals.analyse_manual` (extraction and
detection, one process, one thread) and prints per-language recall and
precision of "language present" (≥ min-chars letters), then pages per second
measured as CPU time of this process (robust to other load on a shared machine).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import generate  # noqa: E402

from listguard.plugins.manuals import analyse_manual  # noqa: E402
from listguard.plugins.manuals.detect import default_candidates, get_detector  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=240)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/out/manuals")
    parser.add_argument("--real-world", type=Path, default=ROOT.parent / "shared/real-world")
    parser.add_argument("--min-chars", type=int, default=300)
    args = parser.parse_args(argv)

    candidates = default_candidates(["es", "fr", "pl", "de", "it", "nl", "pt", "ar", "en"])
    print(f"candidates ({len(candidates)}): {' '.join(sorted(candidates))}")
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    get_detector(candidates)
    print(f"detector build: {1000 * (time.perf_counter() - start):.0f} ms (models load lazily)")

    docs = generate(args.out, args.docs, args.seed)
    (args.out / "truth.json").write_text(
        json.dumps({d.name: sorted(d.languages) for d in docs}, indent=1), encoding="utf-8"
    )
    # Warm up: the first call per script loads lingua's models.
    for doc in docs[:12]:
        analyse_manual(args.out / doc.name, candidates, args.min_chars)
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"memory after model load: +{(rss1 - rss0) / 1024:.0f} MiB (max RSS {rss1 / 1024:.0f} MiB)")

    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    wrong_kind: Counter[str] = Counter()
    pages = 0
    chars = 0
    cpu = 0.0
    errors = []
    for doc in docs:
        t0 = time.process_time()
        analysis = analyse_manual(args.out / doc.name, candidates, args.min_chars)
        cpu += time.process_time() - t0
        pages += analysis.pages
        chars += analysis.letters
        found = set(analysis.languages)
        for lang in doc.languages | found:
            if lang in doc.languages and lang in found:
                tp[lang] += 1
            elif lang in found:
                fp[lang] += 1
            else:
                fn[lang] += 1
        by_kind[doc.kind] += 1
        if found != doc.languages:
            wrong_kind[doc.kind] += 1
            errors.append(f"  {doc.name}: truth {sorted(doc.languages)} found {analysis.summary()}")

    print(f"\n{len(docs)} documents, {pages} pages, seed {args.seed}")
    print(f"{'lang':<5}{'docs':>6}{'recall':>9}{'precision':>11}")
    for lang in sorted(set(tp) | set(fp) | set(fn)):
        truth = tp[lang] + fn[lang]
        recall = tp[lang] / truth if truth else float("nan")
        claimed = tp[lang] + fp[lang]
        precision = tp[lang] / claimed if claimed else float("nan")
        print(f"{lang:<5}{truth:>6}{recall:>9.1%}{precision:>11.1%}")
    all_tp, all_fp, all_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    print(
        f"all  {all_tp + all_fn:>6}{all_tp / (all_tp + all_fn):>9.1%}"
        f"{all_tp / (all_tp + all_fp):>11.1%}"
    )
    print("documents exactly right, by kind:")
    for kind, n in sorted(by_kind.items()):
        print(f"  {kind:<16} {n - wrong_kind[kind]}/{n}")
    if errors:
        print("wrong documents:")
        print("\n".join(errors[:30]))
    print(
        f"\nspeed: {pages / cpu:.0f} pages/s on one core (CPU time {cpu:.2f} s, "
        f"{chars / pages:.0f} letters/page, extraction + detection)"
    )

    if args.real_world.is_dir():
        real_world(args.real_world, candidates, args.min_chars)
    return 0


REAL_MANUALS = [
    "zerozero-battery-safety-8lang.pdf",
    "parrot-anafi-flight-safety-guide-15lang.pdf",
    "crownstone-manual-nl-en.pdf",
    "autel-evo2-v3-safety-guidelines-eu.pdf",
    "nabucasa-ha-yellow-warranty-safety.pdf",
    "parrot-anafi-eu-doc-scan.pdf",
    "crownstone-builtin-plug-ce-doc-scan.pdf",
]


def real_world(folder: Path, candidates: frozenset[str], min_chars: int) -> None:
    print(f"\nreal-world manuals ({folder}):")
    for name in REAL_MANUALS:
        path = folder / name
        if not path.is_file():
            continue
        t0 = time.process_time()
        analysis = analyse_manual(path, candidates, min_chars)
        cpu = time.process_time() - t0
        rate = f"{analysis.pages / cpu:.0f} pages/s" if cpu else "-"
        print(f"- {name}: {analysis.status}, {analysis.pages} pages, {rate}")
        print(f"    {analysis.summary()}")
        if analysis.undetermined:
            print(f"    undetermined (no candidate writes the script): {analysis.undetermined}")


if __name__ == "__main__":
    raise SystemExit(main())
