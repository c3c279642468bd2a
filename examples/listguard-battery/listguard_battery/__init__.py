"""listguard-battery: lithium batteries need a complete UN 38.3 test summary.

A listguard plugin (entry point ``battery`` in the ``listguard`` group). It adds
the manifest section ``x-battery`` (``chemistry``, ``watt_hours``, ``cells``,
``lithium_grams``) and rules ``BAT001``-``BAT006`` (``listguard rules BAT002``
prints one's docs). The test summary is a certificate of type ``UN38_3``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

from listguard import Finding, Location, Rule, hookimpl

from .rules import RULES
from .summary import TESTS, Summary, UnreadablePdf, locate, parse_summary, read_pages

PLUGIN_NAME = "battery"
#: The listguard plugin API this plugin is written for (the host checks it).
LISTGUARD_API = 1
__version__ = "0.1.0"

CERT_TYPE = "UN38_3"
SECTION = "x-battery"
LITHIUM_ION = frozenset({"li-ion", "li-polymer", "lifepo4"})
WH_LIMIT = 100.0
LITHIUM_GRAMS_LIMIT = 2.0


@hookimpl
def listguard_register_rules() -> list[Rule]:
    return RULES


@hookimpl
def listguard_manifest_sections() -> dict[str, dict[str, Any]]:
    text = resources.files(__name__).joinpath("x-battery.schema.json").read_text("utf-8")
    return {SECTION: json.loads(text)}


@hookimpl
def listguard_plugin_options() -> dict[str, Any]:
    return {"wh-tolerance-percent": 0.0}


@hookimpl
def listguard_check_manifest(ctx: Any) -> Iterator[Finding]:
    battery = ctx.manifest.get(SECTION)
    if battery is None:
        return
    chemistry, wh = battery["chemistry"], float(battery["watt_hours"])
    grams = battery.get("lithium_grams")
    if chemistry in LITHIUM_ION and wh > WH_LIMIT:
        yield Finding(
            "BAT004",
            f"a {wh:g} Wh lithium-ion battery (over {WH_LIMIT:g} Wh) ships as Class 9 "
            "dangerous goods (UN 3480/3481)",
            location=Location(pointer=f"/{SECTION}/watt_hours"),
            hint="book dangerous-goods shipping for this product",
            evidence={"chemistry": chemistry, "watt_hours": wh, "limit": WH_LIMIT},
        )
    elif chemistry == "li-metal" and grams is not None and grams > LITHIUM_GRAMS_LIMIT:
        yield Finding(
            "BAT004",
            f"a lithium metal battery with {grams:g} g lithium (over "
            f"{LITHIUM_GRAMS_LIMIT:g} g) ships as Class 9 dangerous goods (UN 3090/3091)",
            location=Location(pointer=f"/{SECTION}/lithium_grams"),
            hint="book dangerous-goods shipping for this product",
            evidence={"chemistry": chemistry, "lithium_grams": grams, "limit": LITHIUM_GRAMS_LIMIT},
        )


@hookimpl
def listguard_check_document(ctx: Any, document: Any) -> Iterator[Finding]:
    if document.kind != "certificate" or document.type != CERT_TYPE:
        return  # another plugin's document
    where = Location(file=document.file, pointer=document.pointer)
    try:
        pages = read_pages(document.path)
    except UnreadablePdf as exc:
        yield Finding(
            "LG006",
            f"UN 38.3 test summary {document.file} cannot be opened as a PDF: {exc}",
            location=where,
            hint="upload the laboratory's PDF again, unencrypted",
        )
        return
    if not any(page.text.strip() for page in pages):
        ctx.add_fact(document.file, {"type": CERT_TYPE, "text": False, "pages": len(pages)})
        yield Finding(
            "BAT006",
            f"UN 38.3 test summary {document.file} has no extractable text; "
            "its elements and watt-hour rating could not be verified",
            location=where,
            hint="upload the original PDF, or OCR the scan",
            evidence={"pages": len(pages)},
        )
        return
    summary = parse_summary(pages)
    ctx.add_fact(document.file, {**summary.facts(), "text": True, "pages": len(pages)})
    yield from _missing_elements(document, summary, where)
    yield from _failed_tests(document, summary)
    battery = ctx.manifest.get(SECTION)
    if battery is not None and summary.watt_hours is not None:
        yield from _watt_hours(ctx, document, summary, float(battery["watt_hours"]))


def _missing_elements(document: Any, summary: Summary, where: Location) -> Iterator[Finding]:
    found = summary.facts()
    labels = {
        "manufacturer": "the manufacturer's name",
        "laboratory": "the test laboratory's name",
        "date": "the date of the test report",
        "watt_hours": "the watt-hour rating",
    }
    for key, label in labels.items():
        if found[key] is None:
            evidence: dict[str, Any] = {"element": key, "found": found}
            if key == "watt_hours" and len(summary.wh_candidates) > 1:
                evidence["candidates"] = summary.wh_candidates  # ambiguous, not absent
            yield Finding(
                "BAT002",
                f"UN 38.3 test summary {document.file} does not state {label}",
                location=where,
                hint="ask the test laboratory for a complete summary (38.3.5)",
                evidence=evidence,
            )
    missing = [code for code in TESTS if code not in summary.tests]
    if missing:
        yield Finding(
            "BAT002",
            f"UN 38.3 test summary {document.file} does not list a result for {', '.join(missing)}",
            location=where,
            hint="the summary must list tests T1-T8 with their results (38.3.5 g)",
            evidence={"element": "tests", "missing": missing, "found": found["tests"]},
        )


def _failed_tests(document: Any, summary: Summary) -> Iterator[Finding]:
    for code in TESTS:
        test = summary.tests.get(code)
        if test is not None and test.value == "fail":
            yield Finding(
                "BAT005",
                f"UN 38.3 test summary {document.file} reports {code} as failed",
                location=Location(
                    file=document.file,
                    pointer=document.pointer,
                    page=test.page,
                    bbox=locate(document.path, test.page, test.text),
                ),
                hint="a battery that failed a UN 38.3 test may not be transported",
                evidence={"test": code, "line": test.text},
            )


def _watt_hours(ctx: Any, document: Any, summary: Summary, declared: float) -> Iterator[Finding]:
    assert summary.watt_hours is not None
    stated = float(summary.watt_hours.value)
    # Compare at the precision the summary states: "55.4 Wh" covers 55.35-55.45.
    decimals = _decimals(summary.watt_hours.raw)
    tolerance = float(ctx.options.get("wh-tolerance-percent", 0.0)) / 100 * declared
    if abs(round(declared, decimals) - stated) <= tolerance + 1e-9:
        return
    found = summary.watt_hours
    yield Finding(
        "BAT003",
        f"UN 38.3 test summary {document.file} states {stated:g} Wh; the manifest says "
        f"{declared:g} Wh",
        location=Location(
            file=document.file,
            pointer=f"/{SECTION}/watt_hours",
            page=found.page,
            bbox=locate(document.path, found.page, found.text),
        ),
        hint="correct x-battery.watt_hours, or provide the summary of the battery fitted",
        evidence={"summary_wh": stated, "manifest_wh": declared, "text": found.text},
    )


def _decimals(number: str) -> int:
    for sep in ".,":
        if sep in number:
            return len(number.rsplit(sep, 1)[1])
    return 0


@hookimpl
def listguard_check_listing(ctx: Any) -> Iterator[Finding]:
    if SECTION not in ctx.manifest:
        return
    listed = [c for c in ctx.manifest.get("certificates", []) if c.get("type") == CERT_TYPE]
    if listed:
        return  # present (checked above) or missing on disk (the host's LG003)
    types = [c.get("type") for c in ctx.manifest.get("certificates", ())]
    yield Finding(
        "BAT001",
        "the product has a lithium battery (x-battery) but no UN 38.3 test summary",
        location=Location(pointer=f"/{SECTION}"),
        hint='add the summary as a certificate of type "UN38_3"',
        evidence={"certificate_types": types},
    )
