"""Benchmark: listguard-battery's accuracy and speed on generated UN 38.3 summaries.

Generates packages from a fixed seed, each with a known set of expected BAT
findings, in the layouts and wordings laboratories use: ``Label: value`` forms,
bordered two-column tables (label and value cells, no colon), two-page forms;
label variants, five date formats, decimal commas, pass/fail wordings, and
distractor lines (addresses, voltages, capacities, report numbers). Defects
are injected: a missing element, a watt-hour mismatch, a failed test, a
scanned (image-only) summary, no summary, a battery over 100 Wh.

Run from the repository root::

    .venv/bin/python examples/listguard-battery/bench/bench_summaries.py [--n 300] [--seed 7]

Prints per-rule precision and recall, the share of packages whose BAT findings
are exactly the expected ones, the false-positive rate on defect-free packages,
and the time per package.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import listguard_battery  # noqa: E402

from listguard.testing import base_manifest, make_pdf, run_checks, write_package  # noqa: E402

SUMMARY = "certificates/un38_3.pdf"
TEST_NAMES = [
    "Altitude simulation",
    "Thermal test",
    "Vibration",
    "Shock",
    "External short circuit",
    "Impact / Crush",
    "Overcharge",
    "Forced discharge",
]
MANUFACTURER_LABELS = ["Manufacturer", "Cell manufacturer", "Name of cell/battery manufacturer",
                       "Manufacturer's name", "Battery manufacturer"]  # fmt: skip
LAB_LABELS = ["Test laboratory", "Name of test laboratory", "Testing laboratory", "Test lab"]
DATE_LABELS = ["Date of test report", "Test report date", "Report date", "Date of issue", "Date"]
WH_LABELS = ["Watt-hour rating", "Watt hour rating", "Watt-hour rating (Wh)", "Watt-hours"]
RESULTS = ["Pass", "PASS", "Passed", "pass"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip
ELEMENTS = ("manufacturer", "laboratory", "date", "watt_hours", "tests")


def fmt_date(rng: random.Random, year: int, month: int, day: int) -> str:
    style = rng.randrange(5)
    if style == 0:
        return f"{year}-{month:02d}-{day:02d}"
    if style == 1:
        return f"{day:02d}.{month:02d}.{year}"
    if style == 2:
        return f"{day} {MONTHS[month - 1]} {year}"
    if style == 3:
        return f"{MONTHS[month - 1]} {day}, {year}"
    return f"{year}.{month:02d}.{day:02d}"


def fmt_wh(rng: random.Random, wh: float) -> str:
    text = f"{wh:.1f}" if rng.random() < 0.8 else f"{wh:.2f}"
    return text.replace(".", ",") if rng.random() < 0.15 else text


def build_rows(rng: random.Random, wh_text: str, drop: str | None, fail: int | None) -> list:
    """The summary as (label, value) rows; ``drop`` leaves one element out."""
    rows: list[tuple[str, str]] = [("Document", "UN 38.3 Test Summary")]
    if drop != "manufacturer":
        rows.append((rng.choice(MANUFACTURER_LABELS), "Orvina Power Co., Ltd."))
    rows.append(("Manufacturer address", "12 Harbour Road, Shenzhen"))
    rows.append(("Manufacturer contact", "+86 755 0000 0000"))
    if drop != "laboratory":
        rows.append((rng.choice(LAB_LABELS), rng.choice(["Meridian Battery Test Centre",
                                                          "Nordlab Testing GmbH"])))  # fmt: skip
    rows.append(
        ("Test report number", f"MBT-{rng.randrange(2020, 2026)}-{rng.randrange(9999):04d}")
    )
    if drop != "date":
        year, month, day = rng.randrange(2021, 2026), rng.randrange(1, 13), rng.randrange(1, 29)
        rows.append((rng.choice(DATE_LABELS), fmt_date(rng, year, month, day)))
    rows.append(("Nominal voltage", rng.choice(["3.7 V", "7.4 V", "11.1 V", "14.8 V"])))
    rows.append(("Rated capacity", f"{rng.randrange(1000, 20000)} mAh"))
    if drop != "watt_hours":
        rows.append((rng.choice(WH_LABELS), f"{wh_text} Wh" if rng.random() < 0.8 else wh_text))
    dropped_tests = set(rng.sample(range(1, 9), rng.randrange(1, 3))) if drop == "tests" else set()
    for n, name in enumerate(TEST_NAMES, start=1):
        if n in dropped_tests:
            continue
        code = f"T.{n}" if rng.random() < 0.2 else f"T{n}"
        if n == fail:
            result = rng.choice(["Fail", "FAIL", "Failed"])
        elif n == 8 and rng.random() < 0.3:
            result = "Not applicable"
        else:
            result = rng.choice(RESULTS)
        rows.append((f"{code} {name}", result))
    return rows


def render(rng: random.Random, rows: list[tuple[str, str]], layout: str) -> bytes:
    if layout == "table":
        from fpdf import FPDF

        pdf = FPDF(format="A4")
        pdf.add_page()
        pdf.set_font("Helvetica", size=9)
        for label, value in rows:
            pdf.cell(75, 7, label, border=1)
            pdf.cell(105, 7, value, border=1)
            pdf.ln()
        return bytes(pdf.output())
    lines = [f"{label}: {value}" for label, value in rows]
    if layout == "two-page":
        cut = len(lines) // 2
        return make_pdf(["\n".join(lines[:cut]), "\n".join(lines[cut:])])
    return make_pdf(["\n".join(lines)])


def scanned_pdf(rows: list[tuple[str, str]]) -> bytes:
    """An image-only PDF (a 'scan'): the text is pixels, there is no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    for i, (label, value) in enumerate(rows):
        draw.text((80, 80 + 30 * i), f"{label}: {value}", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(buffer, x=0, y=0, w=210)
    return bytes(pdf.output())


def make_case(rng: random.Random, root: Path, index: int) -> set[str]:
    """Write one package; return the BAT codes expected for it."""
    kind = rng.choices(
        ["clean", "drop", "mismatch", "fail", "scanned", "absent", "over100"],
        weights=[40, 20, 15, 10, 5, 5, 5],
    )[0]
    wh = round(rng.uniform(101, 300) if kind == "over100" else rng.uniform(2, 99.9), 1)
    wh_text = fmt_wh(rng, wh)
    declared = wh
    expected: set[str] = set()
    drop = fail = None
    if kind == "drop":
        drop = rng.choice(ELEMENTS)
        expected.add("BAT002")
    elif kind == "mismatch":
        declared = round(wh * rng.choice([0.5, 0.8, 0.9, 1.1, 1.25, 2.0]), 1)
        if declared > 100:
            expected.add("BAT004")
        expected.add("BAT003")
    elif kind == "fail":
        fail = rng.randrange(1, 8)
        expected.add("BAT005")
    elif kind == "over100":
        expected.add("BAT004")
    section = {"chemistry": rng.choice(["li-ion", "li-polymer", "lifepo4"]),
               "watt_hours": declared, "cells": rng.randrange(1, 9)}  # fmt: skip
    certificates = [{"type": "UN38_3", "file": SUMMARY, "number": "MBT-1", "issued": "2025-03-10"}]
    if kind == "absent":
        certificates = []
        expected.add("BAT001")
    manifest = base_manifest(sku=f"BENCH-{index:04d}", certificates=certificates,
                             **{"x-battery": section})  # fmt: skip
    rows = build_rows(rng, wh_text, drop, fail)
    files = {}
    if kind == "scanned":
        files[SUMMARY] = scanned_pdf(rows)
        expected.add("BAT006")
    elif kind != "absent":
        layout = rng.choices(["form", "table", "two-page"], weights=[5, 3, 2])[0]
        files[SUMMARY] = render(rng, rows, layout)
    write_package(root / f"pkg{index:04d}", manifest, files)
    return expected


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="packages (default 300)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        expected = {f"BENCH-{i:04d}": make_case(rng, root, i) for i in range(args.n)}
        start = time.perf_counter()
        run = run_checks(root, plugins=[listguard_battery], builtins=False)
        elapsed = time.perf_counter() - start
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    exact = clean = clean_fp = 0
    for result in run.results:
        assert result.sku is not None
        want = expected[result.sku]
        got = {f.rule for f in result.findings}
        for code in want | got:
            if code in want and code in got:
                tp[code] += 1
            elif code in got:
                fp[code] += 1
            else:
                fn[code] += 1
        exact += want == got
        if not want:
            clean += 1
            clean_fp += bool(got)
    print(f"listguard-battery benchmark: {args.n} packages, seed {args.seed}")
    print(f"{'rule':8} {'tp':>5} {'fp':>5} {'fn':>5} {'precision':>10} {'recall':>8}")
    for code in sorted(tp | fp | fn):
        precision = tp[code] / (tp[code] + fp[code]) if tp[code] + fp[code] else 1.0
        recall = tp[code] / (tp[code] + fn[code]) if tp[code] + fn[code] else 1.0
        print(f"{code:8} {tp[code]:5} {fp[code]:5} {fn[code]:5} {precision:10.3f} {recall:8.3f}")
    print(f"packages with exactly the expected findings: {exact}/{args.n} ({exact / args.n:.1%})")
    print(f"false positives on defect-free packages: {clean_fp}/{clean} ({clean_fp / clean:.1%})")
    print(f"time: {elapsed:.2f} s, {1000 * elapsed / args.n:.1f} ms per package (inline, 1 core)")
    return 0 if exact == args.n else 1


if __name__ == "__main__":
    sys.exit(main())
