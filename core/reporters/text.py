"""The ``text`` format: for people at a terminal.

Findings are grouped by package, each package gets a red / yellow / green status
line as soon as it is checked, and a summary closes the report. Colour is used
only on a TTY (or with ``--color always``).
"""

from __future__ import annotations

from collections.abc import Callable

from ..hookspecs import hookimpl
from ..i18n import N_, translator
from ..model import Finding, ListingResult, Severity, Status, Summary
from .base import OutputFormat, ReportWriter, escape_controls, localize

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
_STATUS_WORD = {Status.FAIL: N_("FAIL"), Status.WARN: N_("WARN"), Status.PASS: N_("PASS")}


class TextWriter(ReportWriter):
    def _paint(self, text: str, style: object) -> str:
        if not self.options.color:
            return text
        return f"{_STYLE[style]}{text}{_RESET}"

    def add(self, listing: ListingResult) -> None:
        listing = localize(listing, self.options.lang)
        tr = translator(self.options.lang)
        status = listing.status
        counts = _counts(listing.findings, tr)
        package = escape_controls(listing.package)
        head = f"{self._paint(tr(_STATUS_WORD[status]), status)}  {package}"
        if listing.sku:
            head += f"  ({escape_controls(listing.sku)})"
        if counts:
            head += f"  {self._paint(counts, 'dim')}"
        lines = [head]
        for finding in listing.findings:
            lines.extend(self._finding_lines(finding))
        self.stream.write("\n".join(lines) + "\n")

    def _finding_lines(self, finding: Finding) -> list[str]:
        severity = finding.severity or Severity.ERROR
        where = _where(finding)
        tr = translator(self.options.lang)
        label = self._paint(f"{tr(severity.value):<7}", severity)
        code = self._paint(f"{finding.rule:<7}", "bold")
        message = escape_controls(f"{where}{finding.message}").replace("\n", " ")
        lines = [f"  {label} {code} {message}"]
        if finding.hint:
            hint = tr("hint: {hint}", hint=escape_controls(finding.hint).replace("\n", " "))
            lines.append(f"                  {self._paint(hint, 'dim')}")
        return lines

    def finish(self, summary: Summary) -> None:
        tr = translator(self.options.lang)
        fail = tr("{count} fail", count=summary.failed)
        warn = tr("{count} warn", count=summary.warned)
        passed = tr("{count} pass", count=summary.passed)
        parts = [
            self._paint(fail, Status.FAIL) if summary.failed else fail,
            self._paint(warn, Status.WARN) if summary.warned else warn,
            self._paint(passed, Status.PASS) if summary.passed else passed,
        ]
        args = {
            "count": summary.listings,
            "parts": tr(", ").join(parts),
            "errors": summary.errors,
            "warnings": summary.warnings,
            "infos": summary.infos,
        }
        line = (
            tr(
                "{count} listing: {parts}; findings: {errors} error(s), {warnings} warning(s), "
                "{infos} info",
                **args,
            )
            if summary.listings == 1
            else tr(
                "{count} listings: {parts}; findings: {errors} error(s), {warnings} warning(s), "
                "{infos} info",
                **args,
            )
        )
        self.stream.write(f"\n{line}{_baseline_counts(summary, tr)}\n")


def _baseline_counts(summary: Summary, tr: Callable[..., str]) -> str:
    suppressed = getattr(summary, "suppressed", None)
    if suppressed is None:
        return ""
    stale = getattr(summary, "stale_baseline_entries", 0)
    return tr(
        "; {suppressed} suppressed by the baseline, {stale} stale baseline entries",
        suppressed=suppressed,
        stale=stale,
    )


def _counts(findings: list[Finding], tr: Callable[..., str]) -> str:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    parts = []
    if errors:
        parts.append(
            tr("{count} error", count=errors) if errors == 1 else tr("{count} errors", count=errors)
        )
    if warnings:
        parts.append(
            tr("{count} warning", count=warnings)
            if warnings == 1
            else tr("{count} warnings", count=warnings)
        )
    return tr(", ").join(parts)


def _where(finding: Finding) -> str:
    if not finding.location.file:
        return ""
    return finding.location.describe() + ": "


@hookimpl
def listguard_output_formats() -> list[OutputFormat]:
    return [
        OutputFormat(
            "text", "grouped by package with a status line each, for people", TextWriter, True
        )
    ]
