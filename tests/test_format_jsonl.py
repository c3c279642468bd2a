"""The jsonl format: a header line, a line per listing as it arrives, a summary."""

from __future__ import annotations

import io
import json
from pathlib import Path

from test_format_fixtures import catalog_run, render

from listguard.model import Report
from listguard.reporters.base import RenderOptions
from listguard.reporters.jsonl import JsonLinesWriter


def test_jsonl_has_run_then_one_line_per_listing_then_summary(tmp_path: Path) -> None:
    run = catalog_run(tmp_path)
    lines = [json.loads(line) for line in render(run, JsonLinesWriter).splitlines()]
    assert [line["type"] for line in lines] == ["run", "listing", "listing", "listing", "summary"]
    assert lines[0]["as_of"] == "2026-11-22"
    assert [line["sku"] for line in lines[1:4]] == ["A-1", "B-2", "C-3"]
    assert lines[1]["findings"] == [f.to_dict() for f in run.results[0].findings]
    assert lines[4]["fail"] == 1 and lines[4]["warn"] == 1 and lines[4]["pass"] == 1


def test_each_listing_is_written_when_it_arrives(tmp_path: Path) -> None:
    run = catalog_run(tmp_path)
    stream = io.StringIO()
    writer = JsonLinesWriter(stream, RenderOptions())
    writer.start(run.run)
    writer.add(run.results[0])
    assert stream.getvalue().count("\n") == 2  # before any later listing exists
    for result in run.results[1:]:
        writer.add(result)
    writer.finish(Report(run.run, run.results).summary)
    assert stream.getvalue().count("\n") == 5


def test_a_saved_report_renders_as_sarif_exactly_like_the_run(tmp_path: Path) -> None:
    from listguard.reporters.base import OutputFormat
    from listguard.reporters.jsonl import read_jsonl, render_saved
    from listguard.reporters.sarif import SarifWriter

    run = catalog_run(tmp_path)
    saved = read_jsonl(render(run, JsonLinesWriter).splitlines())
    stream = io.StringIO()
    rules = {rule.code: rule for rule in run.run.rules}
    render_saved(saved, OutputFormat("sarif", "", SarifWriter), rules, stream)
    assert json.loads(stream.getvalue()) == json.loads(render(run, SarifWriter))


def test_a_report_cut_short_is_recounted(tmp_path: Path) -> None:
    from listguard.reporters.jsonl import read_jsonl

    run = catalog_run(tmp_path)
    lines = render(run, JsonLinesWriter).splitlines()[:-1]  # no summary line
    summary = read_jsonl(lines).summary_object()
    assert (summary.listings, summary.failed, summary.warned) == (3, 1, 1)


def test_a_line_that_is_not_a_report_object_is_refused() -> None:
    import pytest

    from listguard.reporters.jsonl import read_jsonl

    with pytest.raises(ValueError, match="line 1"):
        read_jsonl(["[1, 2]"])
