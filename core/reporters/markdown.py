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
from collections.abc import Callable

from ..baseline import package_key
from ..hookspecs import hookimpl
from ..i18n import N_, translator
from ..model import Finding, ListingResult, RunInfo, Severity, Status, Summary
from .base import OutputFormat, ReportWriter, escape_controls, localize

PLUGIN_NAME = "markdown-format"

MAX_FINDING_ROWS = 300
LIGHT = {Status.FAIL: "🔴 fail", Status.WARN: "🟡 warn", Status.PASS: "🟢 pass"}
_DOT = {Status.FAIL: "🔴", Status.WARN: "🟡", Status.PASS: "🟢"}


def light(status: Status, lang: str) -> str:
    """The status light and its word in ``lang``."""
    return f"{_DOT[status]} {translator(lang)(status.value)}"


def cell(text: str) -> str:
    """Text made safe for a Markdown table cell: HTML-escaped, pipes and
    Markdown punctuation neutralised, on one line."""
    text = html.escape(escape_controls(text), quote=False).replace("|", "&#124;").replace("\n", " ")
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
        listing = localize(listing, self.options.lang)
        errors = sum(1 for f in listing.findings if f.severity is Severity.ERROR)
        warnings = sum(1 for f in listing.findings if f.severity is Severity.WARNING)
        key = package_key(listing.package)
        status = light(listing.status, self.options.lang)
        self.rows.append(
            f"| {status} | {cell(key)} | {cell(listing.sku or '')} | {errors} | {warnings} |"
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
        tr = translator(self.options.lang)
        count = html.escape(tr("{count} finding(s)", count=len(listing.findings)))
        heads = " | ".join(
            cell(tr(h)) for h in (N_("severity"), N_("rule"), N_("where"), N_("message"))
        )
        lines = [
            "<details>",
            f"<summary>{light(listing.status, self.options.lang)} "
            f"<code>{html.escape(escape_controls(key))}</code> — {count}</summary>",
            "",
            f"| {heads} |",
            "|---|---|---|---|",
        ]
        lines += [_finding_row(f, tr) for f in shown]
        lines += ["", "</details>", ""]
        self.details.append("\n".join(lines))

    def finish(self, summary: Summary) -> None:
        tr = translator(self.options.lang)
        out = [
            f"## {tr('listguard report')}",
            "",
            tr(
                "**{count}** listing(s) checked as of {as_of}: "
                "🔴 {failed} fail · 🟡 {warned} warn · 🟢 {passed} pass — "
                "{errors} error(s), {warnings} warning(s), {infos} info.",
                count=summary.listings,
                as_of=self.run.as_of,
                failed=summary.failed,
                warned=summary.warned,
                passed=summary.passed,
                errors=summary.errors,
                warnings=summary.warnings,
                infos=summary.infos,
            ),
        ]
        suppressed = getattr(summary, "suppressed", None)
        if suppressed is not None:
            stale = getattr(summary, "stale_baseline_entries", 0)
            out.append(
                tr(
                    "Baseline: {suppressed} finding(s) suppressed; {stale} entry no longer match "
                    "anything.",
                    suppressed=suppressed,
                    stale=stale,
                )
                if stale == 1
                else tr(
                    "Baseline: {suppressed} finding(s) suppressed; {stale} entries no longer "
                    "match anything.",
                    suppressed=suppressed,
                    stale=stale,
                )
            )
        heads = " | ".join(
            cell(tr(h))
            for h in (N_("status"), N_("package"), N_("SKU"), N_("errors"), N_("warnings"))
        )
        out += ["", f"| {heads} |", "|---|---|---|--:|--:|"]
        out += self.rows
        out.append("")
        out += self.details
        if self.left_out:
            more = tr(
                "{count} more finding(s) not shown; see the full report "
                "(`--format json` or `--format html`).",
                count=self.left_out,
            )
            out.append(f"_{more}_")
        self.stream.write("\n".join(out).rstrip() + "\n")


def _finding_row(finding: Finding, tr: Callable[..., str]) -> str:
    where = finding.location.describe()
    rule = cell(finding.rule)
    if finding.docs:
        rule = f"[{rule}]({finding.docs.replace(')', '%29')})"
    message = cell(finding.message)
    if finding.hint:
        message += f"<br>_{tr('hint: {hint}', hint=cell(finding.hint))}_"
    severity = tr((finding.severity or Severity.ERROR).value)
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
