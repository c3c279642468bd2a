"""The markdown format: a summary table for $GITHUB_STEP_SUMMARY and PR comments."""

from __future__ import annotations

from pathlib import Path

from test_format_fixtures import catalog_run, render

from listguard.baseline import GatedSummary
from listguard.model import Finding, ListingResult, RunInfo, Severity
from listguard.reporters import markdown
from listguard.reporters.markdown import MarkdownWriter, cell


def test_markdown_has_a_row_per_package_with_its_light(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # packages show relative to the working directory
    text = render(catalog_run(tmp_path), MarkdownWriter)
    assert "| 🔴 fail | catalog/a-fail | A-1 | 2 | 1 |" in text
    assert "🟡 warn" in text and "🟢 pass" in text
    assert "1 fail · 🟡 1 warn · 🟢 1 pass" in text


def test_findings_are_folded_per_package_with_docs_links(tmp_path: Path) -> None:
    text = render(catalog_run(tmp_path), MarkdownWriter)
    assert text.count("<details>") == 2  # the passing package has nothing to fold
    assert "[TST001](https://listguard.dev/rules/TST001)" in text
    assert "manuals/bad.pdf p.2" in text


def test_cells_cannot_break_the_table_or_inject_html() -> None:
    text = cell("a | b\n<script>x</script> *bold*")
    assert "|" not in text.replace("&#124;", "")
    assert "<script>" not in text and "\n" not in text
    assert "\\*bold\\*" in text


def test_long_runs_are_cut_with_a_note(monkeypatch) -> None:
    monkeypatch.setattr(markdown, "MAX_FINDING_ROWS", 3)
    import io

    from listguard.reporters.base import RenderOptions

    stream = io.StringIO()
    writer = MarkdownWriter(stream, RenderOptions())
    writer.start(RunInfo("0", "2026-11-22", []))
    findings = [Finding("LG003", f"missing {i}", Severity.ERROR) for i in range(5)]
    writer.add(ListingResult("p", None, findings))
    summary = GatedSummary(listings=1, failed=1, errors=5, suppressed=2, stale_baseline_entries=1)
    writer.finish(summary)
    text = stream.getvalue()
    assert text.count("missing ") == 3
    assert "2 more finding(s) not shown" in text
    assert "Baseline: 2 finding(s) suppressed; 1 entry no longer match anything." in text
