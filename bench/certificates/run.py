# ruff: noqa: E501
"""Accuracy and speed of the certificates plugin on a generated corpus (and real PDFs).

    .venv/bin/python bench/certificates/run.py [--count 300] [--seed 20261201] [--real DIR]

Writes the corpus to bench/out/certificates/ and prints field-level accuracy per
field, per-rule detection and false-positive rates, the number of expired
certificates reported as valid (must be 0), and PDFs per second on one core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

import corpus

from listguard.plugins.certificates.annex3 import missing_elements
from listguard.plugins.certificates.checks import Policy, Target, Verdict, judge_certificate
from listguard.plugins.certificates.extract import (
    CertificateFields,
    UnreadablePdf,
    extract_certificate,
)

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "bench" / "out" / "certificates"
RULES = [f"CERT00{i}" for i in range(2, 10)]
FIELDS = ("kind", "number", "issued", "expires", "model")


def judge(path: Path, sample: corpus.Sample) -> tuple[CertificateFields | None, set[str], Verdict]:
    """What the document hook does: extract, then judge (plus CERT007 for no text)."""
    try:
        fields: CertificateFields | None = extract_certificate(path)
    except UnreadablePdf:
        fields = None
    policy = Policy(corpus.AS_OF, corpus.WARNING_DAYS, sample.category, sample.model, 365, 92,
                    ("toy", "lighting"))  # fmt: skip
    verdict = Verdict("unknown", None, None, None, "unknown")
    findings = list(judge_certificate(Target(sample.entry, "/certificates/0", sample.entry["file"]),
                                      fields, policy, verdict))  # fmt: skip
    codes = {f.rule for f in findings}
    if fields is None or not fields.readable:
        codes.add("CERT007")
    return fields, codes, verdict


def field_correct(name: str, fields: CertificateFields, truth: dict[str, Any]) -> bool:
    if name == "kind":
        return fields.kind == truth["kind"]
    if name == "number":
        got = fields.number.value if fields.number else None
        if truth["kind"] == "fcc-grant":
            got = fields.fcc_ids[0].value if fields.fcc_ids else got
        return got == truth["number"]
    if name == "model":
        return truth["model"] in fields.model_values()
    source = getattr(fields, name)
    want: dt.date | None = truth[name]
    if source is None:
        return want is None
    if source.ambiguous:  # flagged, with the true date among the readings, counts as right
        return want in source.candidates
    return source.value == want


def run_corpus(count: int, seed: int) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    samples = corpus.generate(seed, count)
    print(f"generated {len(samples)} PDFs (seed {seed}) in {time.perf_counter() - started:.1f} s")
    paths = []
    for sample in samples:
        path = OUT / f"{sample.name}.pdf"
        path.write_bytes(sample.pdf)
        paths.append(path)
    pages = Counter()
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    by_group: dict[str, Counter[str]] = {}
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    pos: Counter[str] = Counter()
    neg: Counter[str] = Counter()
    expired_as_valid = []
    misses = []
    flagged = 0
    started = time.process_time()
    results = [judge(path, sample) for path, sample in zip(paths, samples, strict=True)]
    cpu = time.process_time() - started
    for sample, (fields, codes, _verdict) in zip(samples, results, strict=True):
        if fields is not None:
            pages[fields.pages] += 1
        for rule in RULES:
            if rule in sample.expected:
                pos[rule] += 1
                tp[rule] += rule in codes
                if rule not in codes:
                    misses.append(f"  missed {rule}: {sample.name}")
            else:
                neg[rule] += 1
                fp[rule] += rule in codes
                if rule in codes:
                    misses.append(f"  false {rule}: {sample.name}")
        truly_expired = (
            sample.truth["expires"] is not None and sample.truth["expires"] < corpus.AS_OF
        )
        if truly_expired and "CERT002" not in codes:
            expired_as_valid.append(sample.name)
        if sample.scanned or fields is None or not fields.readable:
            continue
        if fields.issued is not None and fields.issued.ambiguous:
            flagged += 1
        for name in FIELDS:
            ok = field_correct(name, fields, sample.truth)
            total[name] += 1
            right[name] += ok
            for group in (
                sample.truth["language"],
                sample.truth["layout"],
                sample.truth["date_format"],
            ):
                by_group.setdefault(group, Counter())[name + ("" if ok else "-wrong")] += 1
            if not ok:
                misses.append(f"  field {name}: {sample.name} truth={sample.truth[name]!r} got="
                              f"{(getattr(fields, name).to_dict() if name in ('issued', 'expires', 'number') and getattr(fields, name) else fields.model_values() if name == 'model' else fields.kind)!r}")  # fmt: skip
    print(
        f"pages per PDF: {dict(sorted(pages.items()))}; scanned: {sum(s.scanned for s in samples)}"
    )
    print("\nfield accuracy (text PDFs)")
    for name in FIELDS:
        print(
            f"  {name:8s} {right[name]:4d}/{total[name]:<4d} {100 * right[name] / max(total[name], 1):6.2f}%"
        )
    print(f"  ambiguous issue dates flagged (true date among readings): {flagged}")
    print("\naccuracy by language / layout / date format (all five fields)")
    for group, counts in sorted(by_group.items()):
        ok = sum(v for k, v in counts.items() if not k.endswith("-wrong"))
        all_ = sum(counts.values())
        print(f"  {group:15s} {ok:4d}/{all_:<4d} {100 * ok / all_:6.2f}%")
    print("\nrule            detection            false positives")
    for rule in RULES:
        det = f"{tp[rule]}/{pos[rule]}" + (
            f" ({100 * tp[rule] / pos[rule]:.1f}%)" if pos[rule] else ""
        )
        fpr = f"{fp[rule]}/{neg[rule]}" + (
            f" ({100 * fp[rule] / neg[rule]:.2f}%)" if neg[rule] else ""
        )
        print(f"  {rule}         {det:20s} {fpr}")
    print(f"\nexpired certificates reported as valid: {len(expired_as_valid)}")
    for name in expired_as_valid:
        print("  ", name)
    print(f"\nspeed: {len(samples)} PDFs in {cpu:.2f} s CPU = {len(samples) / cpu:.1f} PDFs/s on one core "
          f"(extraction + all per-document rules)")  # fmt: skip
    if misses:
        print("\nerrors:")
        print("\n".join(misses[:60]))


def run_real(folder: Path) -> None:
    print(f"\nreal-world documents in {folder}")
    for path in sorted(folder.glob("*.pdf")):
        if any(word in path.name for word in ("manual", "safety", "warranty")):
            continue
        started = time.perf_counter()
        try:
            fields = extract_certificate(path)
        except UnreadablePdf as exc:
            print(f"  {path.name}: unreadable ({exc})")
            continue
        ms = 1000 * (time.perf_counter() - started)
        if not fields.readable:
            print(f"  {path.name} [{fields.pages} p, {ms:.0f} ms]: {fields.problem} -> CERT007")
            continue

        def show(f: Any) -> str:
            if f is None:
                return "-"
            return f.value.isoformat() if isinstance(f.value, dt.date) else str(f.value)

        missing = [m.key for m in missing_elements(fields)] if fields.kind == "ce-doc" else []
        print(f"  {path.name} [{fields.pages} p, {ms:.0f} ms]: kind={fields.kind} "
              f"number={show(fields.number)} issued={show(fields.issued)} expires={show(fields.expires)} "
              f"models={fields.model_values()[:4]} fcc={[f.value for f in fields.fcc_ids]} "
              f"nb={show(fields.notified_body)} standards={len(fields.standards)} "
              f"directives={[d.value for d in fields.directives][:4]}"
              + (f" annex-III-missing={missing}" if fields.kind == "ce-doc" else ""))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "real-world")
    args = parser.parse_args()
    run_corpus(args.count, args.seed)
    if args.real.is_dir():
        run_real(args.real)


if __name__ == "__main__":
    main()
