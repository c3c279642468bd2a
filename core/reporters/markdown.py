"""The ``markdown`` format: a summary for ``$GITHUB_STEP_SUMMARY`` or a PR comment.

A headline with the counts, a table with one row per package (status light,
package, SKU, errors, warnings), then, folded in ``<details>``, the findings of
each package that has any. Long runs are cut at :data:`MAX_FINDING_ROWS`
finding rows (a PR comment holds 65 536 characters) with a note of how many
were left out; the package table is always complete. Everything from the
packages is escaped, so a message cannot break the table or inject HTML.
"""

from __future__ import annotations

import html

from ..baseline import package_key
from ..hookspecs import hookimpl
from ..model import Finding, ListingResult, RunInfo, Severity, Status, Summary
from .base import OutputFormat, ReportWriter

PLUGIN_NAME = "markdown-format"

MAX_FINDING_ROWS = 300
LIGHT = {Status.FAIL: "🔴 fail", Status.WARN: "🟡 warn", Status.PASS: "🟢 pass"}


def cell(text: str) -> str:
    """Text made safe for a Markdown table cell: HTML-escaped, pipes and
    Markdown punctuation neutralised, on one line."""
    text = html.escape(text, quote=False).replace("|", "&#124;").replace("\n", " ")
    for char in "\\`*_[]#~":
        text = text.replace(char, "\\" + char)
    return text


class MarkdownWriter(ReportWriter):
    def start(self, run: RunInfo) -> None:
        self.run = run
        self.rows: list[str] = []
        self.details: list[str] = []
        self.finding_rows = 0
        self.left_out = 0

    def add(self, listing: ListingResult) -> None:
        errors = sum(1 for f in listing.findings if f.severity is Severity.ERROR)
        warnings = sum(1 for f in listing.findings if f.severity is Severity.WARNING)
        key = package_key(listing.package)
        self.rows.append(
            f"| {LIGHT[listing.status]} | {cell(key)} | {cell(listing.sku or '')} "
            f"| {errors} | {warnings} |"
        )
        if listing.findings:
            self._details(key, listing)

    def _details(self, key: str, listing: ListingResult) -> None:
        room = MAX_FINDING_ROWS - self.finding_rows
        shown = listing.findings[: max(room, 0)]
        self.left_out += len(listing.findings) - len(shown)
        if not shown:
            return
        self.finding_rows += len(shown)
        lines = [
            "<details>",
            f"<summary>{LIGHT[listing.status]} <code>{html.escape(key)}</code> — "
            f"{len(listing.findings)} finding(s)</summary>",
            "",
            "| severity | rule | where | message |",
            "|---|---|---|---|",
        ]
        lines += [_finding_row(f) for f in shown]
        lines += ["", "</details>", ""]
        self.details.append("\n".join(lines))

    def finish(self, summary: Summary) -> None:
        out = [
            "## listguard report",
            "",
            f"**{summary.listings}** listing(s) checked as of {self.run.as_of}: "
            f"🔴 {summary.failed} fail · 🟡 {summary.warned} warn · 🟢 {summary.passed} pass — "
            f"{summary.errors} error(s), {summary.warnings} warning(s), {summary.infos} info.",
        ]
        suppressed = getattr(summary, "suppressed", None)
        if suppressed is not None:
            stale = getattr(summary, "stale_baseline_entries", 0)
            out.append(
                f"Baseline: {suppressed} finding(s) suppressed; {stale} entr"
                f"{'y' if stale == 1 else 'ies'} no longer match anything."
            )
        out += ["", "| status | package | SKU | errors | warnings |", "|---|---|---|--:|--:|"]
        out += self.rows
        out.append("")
        out += self.details
        if self.left_out:
            out.append(
                f"_{self.left_out} more finding(s) not shown; see the full report "
                "(`--format json` or `--format html`)._"
            )
        self.stream.write("\n".join(out).rstrip() + "\n")


def _finding_row(finding: Finding) -> str:
    loc = finding.location
    where = loc.file or ""
    if loc.page:
        where += f" p.{loc.page}"
    elif loc.line:
        where += f":{loc.line}"
    if loc.pointer:
        where += f" {loc.pointer}"
    rule = cell(finding.rule)
    if finding.docs:
        rule = f"[{rule}]({finding.docs.replace(')', '%29')})"
    message = cell(finding.message)
    if finding.hint:
        message += f"<br>_hint: {cell(finding.hint)}_"
    severity = (finding.severity or Severity.ERROR).value
    return f"| {severity} | {rule} | {cell(where.strip())} | {message} |"


@hookimpl
def listguard_output_formats() -> list[OutputFormat]:
    return [
        OutputFormat(
            "markdown",
            "a Markdown summary table, for $GITHUB_STEP_SUMMARY or PR comments",
            MarkdownWriter,
        )
    ]
