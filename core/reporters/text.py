"""The ``text`` format: for people at a terminal.

Findings are grouped by package, each package gets a red / yellow / green status
line as soon as it is checked, and a summary closes the report. Colour is used
only on a TTY (or with ``--color always``).
"""

from __future__ import annotations

from ..hookspecs import hookimpl
from ..model import Finding, ListingResult, Severity, Status, Summary
from .base import OutputFormat, ReportWriter

PLUGIN_NAME = "text-format"

_RESET = "\x1b[0m"
_STYLE: dict[object, str] = {
    Status.FAIL: "\x1b[1;31m",
    Status.WARN: "\x1b[1;33m",
    Status.PASS: "\x1b[1;32m",
    Severity.ERROR: "\x1b[31m",
    Severity.WARNING: "\x1b[33m",
    Severity.INFO: "\x1b[36m",
    "dim": "\x1b[2m",
    "bold": "\x1b[1m",
}
_STATUS_WORD = {Status.FAIL: "FAIL", Status.WARN: "WARN", Status.PASS: "PASS"}


class TextWriter(ReportWriter):
    def _paint(self, text: str, style: object) -> str:
        if not self.options.color:
            return text
        return f"{_STYLE[style]}{text}{_RESET}"

    def add(self, listing: ListingResult) -> None:
        status = listing.status
        counts = _counts(listing.findings)
        head = f"{self._paint(_STATUS_WORD[status], status)}  {listing.package}"
        if listing.sku:
            head += f"  ({listing.sku})"
        if counts:
            head += f"  {self._paint(counts, 'dim')}"
        lines = [head]
        for finding in listing.findings:
            lines.extend(self._finding_lines(finding))
        self.stream.write("\n".join(lines) + "\n")

    def _finding_lines(self, finding: Finding) -> list[str]:
        severity = finding.severity or Severity.ERROR
        where = _where(finding)
        label = self._paint(f"{severity.value:<7}", severity)
        code = self._paint(f"{finding.rule:<7}", "bold")
        lines = [f"  {label} {code} {where}{finding.message}"]
        if finding.hint:
            lines.append(f"                  {self._paint('hint: ' + finding.hint, 'dim')}")
        return lines

    def finish(self, summary: Summary) -> None:
        parts = [
            self._paint(f"{summary.failed} fail", Status.FAIL) if summary.failed else "0 fail",
            self._paint(f"{summary.warned} warn", Status.WARN) if summary.warned else "0 warn",
            self._paint(f"{summary.passed} pass", Status.PASS) if summary.passed else "0 pass",
        ]
        noun = "listing" if summary.listings == 1 else "listings"
        self.stream.write(
            f"\n{summary.listings} {noun}: {', '.join(parts)}; "
            f"findings: {summary.errors} error(s), {summary.warnings} warning(s), "
            f"{summary.infos} info{_baseline_counts(summary)}\n"
        )


def _baseline_counts(summary: Summary) -> str:
    suppressed = getattr(summary, "suppressed", None)
    if suppressed is None:
        return ""
    stale = getattr(summary, "stale_baseline_entries", 0)
    return f"; {suppressed} suppressed by the baseline, {stale} stale baseline entries"


def _counts(findings: list[Finding]) -> str:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


def _where(finding: Finding) -> str:
    loc = finding.location
    if not loc.file:
        return ""
    text = loc.file
    if loc.page:
        text += f" p.{loc.page}"
    elif loc.line:
        text += f":{loc.line}" + (f":{loc.column}" if loc.column else "")
    if loc.pointer and not loc.page and not loc.line:
        text += f" ({loc.pointer})"
    return text + ": "


@hookimpl
def listguard_output_formats() -> list[OutputFormat]:
    return [
        OutputFormat(
            "text", "grouped by package with a status line each, for people", TextWriter, True
        )
    ]
