"""The ``json`` format: the report of SPEC §4 (schema ``schemas/report.schema.json``).

The writer streams: the header is written at the start, each listing as soon as it
is checked, the summary at the end, so a run over a huge catalog never holds every
result in memory. The text is byte-identical to ``json.dumps(report, indent=2)``
of the whole report, and to itself for identical inputs.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

from ..hookspecs import hookimpl
from ..model import ListingResult, Report, RunInfo, Summary
from .base import OutputFormat, ReportWriter, localize

PLUGIN_NAME = "json-format"


def _dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def dumps_report(report: Report, summary: Summary | None = None) -> str:
    """The report as JSON text, byte-identical for identical inputs."""
    data = report.to_dict()
    if summary is not None:
        data["summary"] = summary.to_dict()
    return _dumps(data) + "\n"


class JsonWriter(ReportWriter):
    """Streams the report one listing at a time."""

    def start(self, run: RunInfo) -> None:
        header = _dumps(run.header())
        # Reopen the header object to append "listings" and "summary" to it.
        self.stream.write(header[: header.rstrip().rfind("}")].rstrip() + ',\n  "listings": [')
        self._count = 0

    def add(self, listing: ListingResult) -> None:
        listing = localize(listing, self.options.lang)
        separator = "," if self._count else ""
        self.stream.write(f"{separator}\n{textwrap.indent(_dumps(listing.to_dict()), '    ')}")
        self._count += 1

    def finish(self, summary: Summary) -> None:
        closing = "\n  ]" if self._count else "]"
        body = textwrap.indent(_dumps(summary.to_dict()), "  ").lstrip()
        self.stream.write(f'{closing},\n  "summary": {body}\n}}\n')


@hookimpl
def listguard_output_formats() -> list[OutputFormat]:
    return [OutputFormat("json", "the JSON report of SPEC §4, for programs", JsonWriter)]
