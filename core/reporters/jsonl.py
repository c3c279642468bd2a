"""The ``jsonl`` format: JSON Lines, streamed, for huge catalogs.

Every line is one JSON object with a ``type``: first ``"run"`` (the report's
header: tool, plugins, ``as_of``), then one ``"listing"`` per package as soon
as it is checked (the listing object of the JSON report), then one
``"summary"``. A consumer can process a 100 000-package run line by line, and
a run cut short still leaves every finished listing on disk.

A saved JSON Lines report can be rendered again in any other format without
checking again (what the GitHub Action does to get SARIF, annotations and a
step summary out of one run)::

    python -m listguard.reporters.jsonl report.jsonl --format sarif -o report.sarif
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from ..hookspecs import hookimpl
from ..model import ListingResult, PluginInfo, Rule, RunInfo, Summary
from .base import OutputFormat, RenderOptions, ReportWriter, localize

PLUGIN_NAME = "jsonl-format"


class JsonLinesWriter(ReportWriter):
    def _line(self, kind: str, data: dict[str, Any]) -> None:
        self.stream.write(json.dumps({"type": kind, **data}, ensure_ascii=False) + "\n")
        self.stream.flush()  # streamed: each line is usable as soon as it is written

    def start(self, run: RunInfo) -> None:
        self._line("run", run.header())

    def add(self, listing: ListingResult) -> None:
        listing = localize(listing, self.options.lang)
        self._line("listing", listing.to_dict())

    def finish(self, summary: Summary) -> None:
        self._line("summary", summary.to_dict())


@dataclass
class SavedReport:
    """A JSON Lines report read back: the header, the listings, the summary."""

    header: dict[str, Any]
    listings: list[ListingResult] = field(default_factory=list)
    summary: dict[str, Any] | None = None

    def run_info(self, rules: dict[str, Rule]) -> RunInfo:
        """The run as the header describes it; ``rules`` (the loaded rules, by
        code) supply the rule texts for the codes the header's plugins own."""
        plugins = [
            PluginInfo(p["name"], p["version"], tuple(p.get("rules", [])))
            for p in self.header.get("plugins", [])
        ]
        codes = {code for p in plugins for code in p.rules}
        return RunInfo(
            tool_version=self.header.get("tool", {}).get("version", "unknown"),
            as_of=self.header.get("as_of", ""),
            plugins=plugins,
            rules=[rules[code] for code in sorted(codes) if code in rules],
        )

    def summary_object(self) -> Summary:
        """The summary line as a :class:`Summary` (with the baseline counts when
        the run had a baseline); recounted from the listings when it is missing."""
        from ..baseline import GatedSummary

        data = self.summary
        if data is None:  # a run cut short: count what is there
            summary = Summary()
            for listing in self.listings:
                summary.add(listing)
            return summary
        counts = data.get("findings", {})
        fields = dict(
            listings=data.get("listings", 0),
            passed=data.get("pass", 0),
            warned=data.get("warn", 0),
            failed=data.get("fail", 0),
            errors=counts.get("error", 0),
            warnings=counts.get("warning", 0),
            infos=counts.get("info", 0),
        )
        if "suppressed" in data:
            return GatedSummary(
                **fields,
                suppressed=data["suppressed"],
                stale_baseline_entries=data.get("stale_baseline_entries", 0),
            )
        return Summary(**fields)


def read_jsonl(lines: Iterable[str]) -> SavedReport:
    """Parse a report written by the ``jsonl`` format; raises ``ValueError``
    on a line that is not one of its objects."""
    report: SavedReport | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            kind = data.pop("type")
        except (json.JSONDecodeError, AttributeError, KeyError, TypeError):
            raise ValueError(f"line {number} is not a listguard JSON Lines object") from None
        if kind == "run":
            report = SavedReport(header=data)
        elif report is None:
            raise ValueError(f"line {number}: the report does not start with its 'run' line")
        elif kind == "listing":
            report.listings.append(ListingResult.from_dict(data))
        elif kind == "summary":
            report.summary = data
    if report is None:
        raise ValueError("the report is empty")
    return report


def render_saved(
    report: SavedReport,
    fmt: OutputFormat,
    rules: dict[str, Rule],
    stream: TextIO,
    output: str | None = None,
) -> None:
    """Render a saved report with another format's writer."""
    run = report.run_info(rules)
    writer = fmt.writer(stream, RenderOptions(rules=dict(rules), output=output))
    writer.start(run)
    for listing in report.listings:
        writer.add(listing)
    writer.finish(report.summary_object())


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m listguard.reporters.jsonl REPORT --format FMT [-o FILE]``."""
    import os

    from ..pluginmanager import PluginHost, PluginLoadError

    parser = argparse.ArgumentParser(
        prog="python -m listguard.reporters.jsonl",
        description="Render a saved JSON Lines report in another format.",
    )
    parser.add_argument("report", help="a report written with --format jsonl ('-': stdin)")
    parser.add_argument("--format", required=True, metavar="FMT")
    parser.add_argument("--output", "-o", metavar="FILE")
    args = parser.parse_args(argv)
    try:
        host = PluginHost(env=dict(os.environ)).load()
        formats = host.output_formats()
    except PluginLoadError as exc:
        print(f"listguard: error: {exc}", file=sys.stderr)
        return 2
    if args.format not in formats:
        print(f"listguard: error: unknown format {args.format!r}", file=sys.stderr)
        return 2
    try:
        if args.report == "-":
            saved = read_jsonl(sys.stdin)
        else:
            with open(args.report, encoding="utf-8") as handle:
                saved = read_jsonl(handle)
    except (OSError, ValueError) as exc:
        print(f"listguard: error: {args.report}: {exc}", file=sys.stderr)
        return 2
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="\n") as stream:
            render_saved(saved, formats[args.format], host.rules, stream, args.output)
    else:
        render_saved(saved, formats[args.format], host.rules, sys.stdout)
    return 0


@hookimpl
def listguard_output_formats() -> list[OutputFormat]:
    return [
        OutputFormat(
            "jsonl",
            "JSON Lines: a header, one listing per line as checked, a summary",
            JsonLinesWriter,
        )
    ]


if __name__ == "__main__":
    sys.exit(main())
