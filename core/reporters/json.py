"""The ``json`` format: the report of SPEC §4 (schema ``schemas/report.schema.json``)."""

from __future__ import annotations

import json

from ..hookspecs import hookimpl
from ..model import Report, Summary
from .base import CollectingWriter, OutputFormat

PLUGIN_NAME = "json-format"


def dumps_report(report: Report, summary: Summary | None = None) -> str:
    """The report as JSON text, byte-identical for identical inputs."""
    data = report.to_dict()
    if summary is not None:
        data["summary"] = summary.to_dict()
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


class JsonWriter(CollectingWriter):
    def render(self, report: Report, summary: Summary) -> str:
        return dumps_report(report, summary)


@hookimpl
def listguard_output_formats() -> list[OutputFormat]:
    return [OutputFormat("json", "the JSON report of SPEC §4, for programs", JsonWriter)]
