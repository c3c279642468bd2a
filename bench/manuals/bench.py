"""Benchmark the manuals plugin: language-presence accuracy and speed.

    .venv/bin/python bench/manuals/bench.py [--docs 240] [--seed 20261201]
        [--repeat 5] [--real-world ../shared/real-world] [--compare-py3langid]

Generates the corpus (``corpus.py``) under ``bench/out/manuals/``, analyses
every PDF with :func:`listguard.plugins.manuals.analyse_manual` (extraction and
detection, one process, one thread) and prints per-language recall and
precision of "language present" (≥ min-chars letters), then pages per second
from the CPU time of this process, best of ``--repeat`` passes (the machine is
shared: the best pass is the one least disturbed by others).

``--compare-py3langid`` reruns the accuracy pass with py3langid (installed
separately: ``pip install py3langid``) scoring the same windows, for comparison.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import Doc, generate

from listguard.plugins.manuals import analyse_manual, detect
from listguard.plugins.manuals.detect import default_candidates, get_detector
from listguard.plugins.manuals.extract import extract_pdf

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=240)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/out/manuals")
    parser.add_argument("--real-world", type=Path, default=ROOT.parent / "shared/real-world")
    parser.add_argument("--min-chars", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--compare-py3langid", action="store_true")
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
    print(
        f"memory after model load: +{(rss1 - rss0) / 1024:.0f} MiB (max RSS {rss1 / 1024:.0f} MiB)"
    )

    accuracy(docs, args.out, candidates, args.min_chars, "lingua (low-accuracy mode)")
    speed(docs, args.out, candidates, args.min_chars, args.repeat)
    if args.compare_py3langid:
        sentence_accuracy(candidates)
        with py3langid_scoring(candidates):
            accuracy(docs, args.out, candidates, args.min_chars, "py3langid (same windows)")
            speed(docs, args.out, candidates, args.min_chars, 1)

    if args.real_world.is_dir():
        real_world(args.real_world, candidates, args.min_chars)
    return 0


def accuracy(
    docs: list[Doc], out: Path, candidates: frozenset[str], min_chars: int, who: str
) -> None:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    wrong_kind: Counter[str] = Counter()
    pages = 0
    errors = []
    for doc in docs:
        analysis = analyse_manual(out / doc.name, candidates, min_chars)
        pages += analysis.pages
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

    print(f"\n== {who}: {len(docs)} documents, {pages} pages")
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
        f"{all_tp / max(1, all_tp + all_fp):>11.1%}"
    )
    print("documents exactly right, by kind:")
    for kind, n in sorted(by_kind.items()):
        print(f"  {kind:<16} {n - wrong_kind[kind]}/{n}")
    if errors:
        print("wrong documents:")
        print("\n".join(errors[:30]))


def speed(
    docs: list[Doc], out: Path, candidates: frozenset[str], min_chars: int, repeat: int
) -> None:
    """Best-of-``repeat`` CPU time for the whole corpus, and the extraction share."""
    paths = [out / doc.name for doc in docs]
    runs = []
    for _ in range(max(1, repeat)):
        pages = letters = 0
        t0 = time.process_time()
        for path in paths:
            analysis = analyse_manual(path, candidates, min_chars)
            pages += analysis.pages
            letters += analysis.letters
        runs.append(time.process_time() - t0)
    extraction = []
    for _ in range(max(1, repeat)):
        t0 = time.process_time()
        for path in paths:
            extract_pdf(path)
        extraction.append(time.process_time() - t0)
    best = min(runs)
    print(
        f"speed: {pages / best:.0f} pages/s on one core, best of {len(runs)} "
        f"(passes: {', '.join(f'{pages / r:.0f}' for r in runs)} pages/s; "
        f"{letters / pages:.0f} letters/page); extraction alone {pages / min(extraction):.0f} "
        f"pages/s ({min(extraction) / best:.0%} of the time)"
    )


def sentence_accuracy(candidates: frozenset[str]) -> None:
    """Top-1 accuracy on single sentences (short text: where detectors differ)."""
    from lingua import IsoCode639_1, Language
    from py3langid.langid import MODEL_FILE, LanguageIdentifier
    from texts import SENTENCES

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([c for c in sorted(candidates) if c in identifier.nb_classes])
    lingua = get_detector(candidates)
    right = Counter()
    total = Counter()
    for lang, sentences in SENTENCES.items():
        want = Language.from_iso_code_639_1(getattr(IsoCode639_1, lang.upper()))
        for sentence in sentences:
            total[lang] += 1
            right[("lingua", lang)] += lingua.detect_language_of(sentence) == want
            right[("py3langid", lang)] += identifier.classify(sentence)[0] == lang
    print("\n== one sentence each (40-130 letters), top-1 accuracy: lingua / py3langid")
    for lang in sorted(total):
        a, b = right[("lingua", lang)], right[("py3langid", lang)]
        print(f"  {lang}: {a}/{total[lang]} / {b}/{total[lang]}")
    n = sum(total.values())
    a = sum(v for (who, _), v in right.items() if who == "lingua")
    b = sum(v for (who, _), v in right.items() if who == "py3langid")
    print(f"  all: {a / n:.1%} / {b / n:.1%}")


@contextmanager
def py3langid_scoring(candidates: frozenset[str]) -> Iterator[None]:
    """Swap lingua for py3langid inside label_windows (same windows, same Viterbi)."""
    from lingua import IsoCode639_1, Language
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    known = [c for c in sorted(candidates) if c in identifier.nb_classes]
    identifier.set_languages(known)
    languages = {c: Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in known}

    class Value:
        __slots__ = ("language", "value")

        def __init__(self, language: Language, value: float) -> None:
            self.language, self.value = language, value

    class Adapter:
        def compute_language_confidence_values(self, text: str) -> list[Value]:
            return [Value(languages[c], float(p)) for c, p in identifier.rank(text)]

    original = detect.get_detector
    detect.get_detector = lambda _candidates: Adapter()  # type: ignore[assignment]
    try:
        yield
    finally:
        detect.get_detector = original


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
