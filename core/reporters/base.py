"""The output-format API: what a ``listguard_output_formats`` hook returns.

A format is a factory for a :class:`ReportWriter`. The host calls ``start``
once, ``add`` once per listing *as results arrive* (in the order of the
command-line packages), then ``finish``. Writers that need the whole report
subclass :class:`CollectingWriter` and implement ``render``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TextIO

from ..i18n import DEFAULT_LANG, translate
from ..model import ListingResult, Report, Rule, RunInfo, Summary


@dataclass(frozen=True)
class RenderOptions:
    """How to render: ``color`` (ANSI colours, on a TTY), ``lang`` (message
    language), ``rules`` (every loaded rule, by code), ``output`` (the path the
    report is written to, or ``None`` for stdout)."""

    color: bool = False
    lang: str = "en"
    rules: dict[str, Rule] = field(default_factory=dict)
    output: str | None = None
    verbose: bool = False


def localize(listing: ListingResult, lang: str) -> ListingResult:
    """``listing`` with each finding's message and hint in ``lang`` (plain strings);
    the listing itself when ``lang`` is English (its messages are English already)."""
    if lang == DEFAULT_LANG:
        return listing
    findings = [
        replace(
            f,
            message=translate(f.message, lang),
            hint=translate(f.hint, lang) if f.hint else f.hint,
        )
        for f in listing.findings
    ]
    return replace(listing, findings=findings)


# C0 controls and DEL, except tab and line feed: a NUL or an escape sequence from
# a seller's manifest must not reach a terminal or a document as itself.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_controls(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN`` (e.g. NUL as ``\\x00``).

    Human-readable formats pass every untrusted string through this."""
    return _CONTROLS.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


class ReportWriter:
    """Writes a report to ``stream``; subclass and override the three steps."""

    def __init__(self, stream: TextIO, options: RenderOptions) -> None:
        self.stream = stream
        self.options = options

    def start(self, run: RunInfo) -> None:
        """Called once before any listing."""

    def add(self, listing: ListingResult) -> None:
        """Called once per listing, in command-line order."""

    def finish(self, summary: Summary) -> None:
        """Called once after the last listing."""


class CollectingWriter(ReportWriter):
    """A writer that needs the whole report: implement :meth:`render`."""

    def start(self, run: RunInfo) -> None:
        self.report = Report(run)

    def add(self, listing: ListingResult) -> None:
        self.report.listings.append(localize(listing, self.options.lang))

    def finish(self, summary: Summary) -> None:
        self.stream.write(self.render(self.report, summary))

    def render(self, report: Report, summary: Summary) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class OutputFormat:
    """A report format offered to ``--format NAME``.

    ``for_humans`` formats are coloured on a TTY; machine formats never carry
    progress output or colour.
    """

    name: str
    description: str
    writer: Callable[[TextIO, RenderOptions], ReportWriter]
    for_humans: bool = False
