"""The json format streams listings yet writes exactly the SPEC §4 document."""

from __future__ import annotations

import io

from listguard.model import Finding, ListingResult, Location, Report, RunInfo, Severity, Summary
from listguard.reporters.base import RenderOptions
from listguard.reporters.json import JsonWriter, dumps_report


def render(listings: list[ListingResult]) -> tuple[str, str]:
    run = RunInfo(tool_version="0.1.0", as_of="2026-11-22", plugins=[])
    stream = io.StringIO()
    writer = JsonWriter(stream, RenderOptions())
    writer.start(run)
    summary = Summary()
    for listing in listings:
        writer.add(listing)
        summary.add(listing)
    writer.finish(summary)
    return stream.getvalue(), dumps_report(Report(run, listings), summary)


def finding(rule: str = "LG003") -> Finding:
    return Finding(rule, "gone «ü»", severity=Severity.ERROR, plugin="core",
                   location=Location(file="a.pdf", pointer="/manuals/0/file"))  # fmt: skip


def test_streamed_report_equals_the_whole_document_dump():
    listings = [ListingResult("a", "SKU-A", [finding()]), ListingResult("b", None, [])]
    streamed, whole = render(listings)
    assert streamed == whole


def test_streamed_report_with_no_listings_equals_the_whole_document_dump():
    streamed, whole = render([])
    assert streamed == whole


def test_streamed_report_with_facts_equals_the_whole_document_dump():
    listing = ListingResult("a", "S", [finding()], facts={"manuals": {"m.pdf": {"text": True}}})
    streamed, whole = render([listing])
    assert streamed == whole
