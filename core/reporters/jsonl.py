"""The ``jsonl`` format: JSON Lines, streamed, for huge catalogs.

Every line is one JSON object with a ``type``: first ``"run"`` (the report's
header: tool, plugins, ``as_of``), then one ``"listing"`` per package as soon
as it is checked (the listing object of the JSON report), then one
``"summary"``. A consumer can process a 100 000-package run line by line, and
a run cut short still leaves every finished listing on disk.
"""

from __future__ import annotations

import json
from typing import Any

from ..hookspecs import hookimpl
from ..model import ListingResult, RunInfo, Summary
from .base import OutputFormat, ReportWriter

PLUGIN_NAME = "jsonl-format"


class JsonLinesWriter(ReportWriter):
    def _line(self, kind: str, data: dict[str, Any]) -> None:
        self.stream.write(json.dumps({"type": kind, **data}, ensure_ascii=False) + "\n")
        self.stream.flush()  # streamed: each line is usable as soon as it is written

    def start(self, run: RunInfo) -> None:
        self._line("run", run.header())

    def add(self, listing: ListingResult) -> None:
        self._line("listing", listing.to_dict())

    def finish(self, summary: Summary) -> None:
        self._line("summary", summary.to_dict())


@hookimpl
def listguard_output_formats() -> list[OutputFormat]:
    return [
        OutputFormat(
            "jsonl",
            "JSON Lines: a header, one listing per line as checked, a summary",
            JsonLinesWriter,
        )
    ]
