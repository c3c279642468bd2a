"""The ``github`` format: GitHub Actions workflow commands (annotations).

One line per finding, ``::error file=…,line=…,col=…,title=…::message``
(``warning`` for warnings, ``notice`` for info), which GitHub shows on the
pull request's files and in the run's summary. ``file`` is the path from the
working directory (the package path joined with the package-relative file), so
run listguard from the repository root. A PDF page has no annotation field and
goes into the title. Data is escaped as the runner expects (``%``, CR, LF; and
``:`` and ``,`` inside properties).
"""

from __future__ import annotations

from ..baseline import package_key
from ..hookspecs import hookimpl
from ..model import Finding, ListingResult, Severity, Summary
from .base import OutputFormat, ReportWriter, localize

PLUGIN_NAME = "github-format"

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (also ``:`` and ``,``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(listing: ListingResult, finding: Finding) -> str:
    """The workflow command line for one finding."""
    loc = finding.location
    key = package_key(listing.package)
    if key.lower().endswith(".zip"):
        file = key  # GitHub can only point at the archive
        member = loc.file
    else:
        file = f"{key}/{loc.file}" if loc.file else f"{key}/listing.json"
        member = None
    title = f"{finding.rule}"
    if member:
        title += f" in {member}"
    if loc.page:
        title += f" (page {loc.page})"
    if loc.pointer:
        title += f" at {loc.pointer}"
    props = [f"file={escape_property(file)}"]
    if loc.line and not member:
        props.append(f"line={loc.line}")
        if loc.column:
            props.append(f"col={loc.column}")
    props.append(f"title={escape_property(title)}")
    message = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
    if finding.docs:
        message += f"\ndocs: {finding.docs}"
    command = _COMMAND[finding.severity or Severity.ERROR]
    return f"::{command} {','.join(props)}::{escape_data(message)}"


class GitHubWriter(ReportWriter):
    def add(self, listing: ListingResult) -> None:
        listing = localize(listing, self.options.lang)
        for finding in listing.findings:
            self.stream.write(annotation(listing, finding) + "\n")

    def finish(self, summary: Summary) -> None:
        # A notice line so the run log says what was checked even with no finding.
        text = (
            f"{summary.listings} listing(s): {summary.failed} fail, {summary.warned} warn, "
            f"{summary.passed} pass"
        )
        suppressed = getattr(summary, "suppressed", None)
        if suppressed is not None:
            text += f"; {suppressed} suppressed by the baseline"
        self.stream.write(f"::notice title=listguard::{escape_data(text)}\n")


@hookimpl
def listguard_output_formats() -> list[OutputFormat]:
    return [OutputFormat("github", "GitHub Actions annotations (::error file=…::…)", GitHubWriter)]
