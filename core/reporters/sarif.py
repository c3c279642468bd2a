"""The ``sarif`` format: SARIF 2.1.0 for code-scanning dashboards.

One run; ``tool.driver.rules`` lists every loaded rule (descriptions, docs link,
default level). Each finding is a result with ``ruleId``/``ruleIndex``, its
level, the message, and a physical location: the file's package-relative URI
against a ``uriBaseId`` naming its package (``PKG1``, ``PKG2``… defined in
``originalUriBaseIds`` relative to the working directory, ``%SRCROOT%``), with
``startLine``/``startColumn`` where known. SARIF regions have no page, so a PDF
page (and a JSON pointer) is a ``logicalLocation`` and sits in the location's
``properties``. ``partialFingerprints`` carries the stable fingerprint of
:mod:`listguard.baseline`, so a dashboard tracks a finding across runs.
A finding in a zipped package points at the ``.zip`` itself, naming the member
in a logical location.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..baseline import FINGERPRINT_KEY, fingerprints, package_key
from ..config import Config
from ..hookspecs import hookimpl
from ..model import Finding, ListingResult, Report, Rule, Severity, Summary
from .base import CollectingWriter, OutputFormat

PLUGIN_NAME = "sarif-format"

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://listguard.dev"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def sarif_level(severity: Severity | None) -> str:
    """SARIF's level for a severity (``info`` is SARIF's ``note``)."""
    return _LEVEL[severity or Severity.ERROR]


def build_sarif(report: Report, summary: Summary | None = None) -> dict[str, Any]:
    """The SARIF log of ``report`` as a dict (see the module docstring)."""
    rules = list(report.run.rules)
    index = {rule.code: i for i, rule in enumerate(rules)}
    docs = _docs_template(report.listings)
    bases: dict[str, Any] = {"SRCROOT": {"description": {"text": "the working directory"}}}
    results: list[dict[str, Any]] = []
    for number, listing in enumerate(report.listings, start=1):
        base_id = f"PKG{number}"
        key = package_key(listing.package)
        is_zip = key.lower().endswith(".zip")
        # A zip's members have no URI of their own: its base is the zip's folder.
        folder = key.rsplit("/", 1)[0] if is_zip and "/" in key else ("." if is_zip else key)
        bases[base_id] = {
            **_base_uri(folder),
            "description": {"text": f"listing package {key}"},
        }
        for finding, fp in zip(listing.findings, fingerprints(listing), strict=True):
            results.append(_result(finding, fp, listing, base_id, is_zip, index))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "listguard",
                "version": report.run.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(rule, docs) for rule in rules],
            }
        },
        "originalUriBaseIds": bases,
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {"as_of": report.run.as_of},
    }
    if summary is not None:
        run["properties"]["summary"] = summary.to_dict()
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _docs_template(listings: list[ListingResult]) -> str:
    # The configured docs URL reaches the writer only through the findings'
    # ``docs`` links; fall back to the default pattern when no finding has one.
    for listing in listings:
        for finding in listing.findings:
            if finding.docs and finding.rule in finding.docs:
                return finding.docs.replace(finding.rule, "{code}")
    return Config().docs_url


def _descriptor(rule: Rule, docs: str) -> dict[str, Any]:
    full = " ".join(part.strip() for part in (rule.what, rule.why) if part.strip())
    help_text = rule.docs_markdown()
    return {
        "id": rule.code,
        "name": _camel(rule.name) or rule.code,
        "shortDescription": {"text": rule.summary or rule.code},
        "fullDescription": {"text": full or rule.summary or rule.code},
        "helpUri": docs.format(code=rule.code),
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": sarif_level(rule.severity)},
        "properties": {"plugin": rule.plugin, "tags": [rule.prefix, rule.plugin or "core"]},
    }


def _camel(slug: str) -> str:
    # SARIF suggests PascalCase names ("NoWatermark") for reportingDescriptor.name.
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", slug) if part)


def _result(
    finding: Finding,
    fp: str,
    listing: ListingResult,
    base_id: str,
    is_zip: bool,
    index: dict[str, int],
) -> dict[str, Any]:
    text = finding.message + (f"\nHint: {finding.hint}" if finding.hint else "")
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": sarif_level(finding.severity),
        "message": {"text": text},
        "locations": [_location(finding, listing, base_id, is_zip)],
        "partialFingerprints": {FINGERPRINT_KEY: fp},
        "properties": {"package": package_key(listing.package), "plugin": finding.plugin},
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if listing.sku:
        result["properties"]["sku"] = listing.sku
    if finding.evidence:
        result["properties"]["evidence"] = finding.evidence
    if finding.docs:
        result["properties"]["docs"] = finding.docs
    return result


def _location(
    finding: Finding, listing: ListingResult, base_id: str, is_zip: bool
) -> dict[str, Any]:
    loc = finding.location
    key = package_key(listing.package)
    file = loc.file or "listing.json"  # a finding without a file is about the package
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(file), "uriBaseId": base_id}}
    logical: list[dict[str, Any]] = []
    if is_zip:
        # Nothing resolves a URI inside a zip: point at the archive, name the member.
        physical["artifactLocation"] = {"uri": _uri(key.rsplit("/", 1)[-1]), "uriBaseId": base_id}
        logical.append({"fullyQualifiedName": f"{key}!/{file}", "kind": "resource"})
    region: dict[str, Any] = {}
    if loc.line and not is_zip:
        region["startLine"] = loc.line
        if loc.column:
            region["startColumn"] = loc.column
    if region:
        physical["region"] = region
    properties: dict[str, Any] = {}
    if loc.page:
        properties["page"] = loc.page
        logical.append(
            {
                "name": f"page {loc.page}",
                "fullyQualifiedName": f"{file}#page={loc.page}",
                "kind": "page",
            }
        )
    if loc.pointer:
        properties["pointer"] = loc.pointer
        logical.append(
            {"name": loc.pointer, "fullyQualifiedName": f"{file}#{loc.pointer}", "kind": "property"}
        )
    if loc.bbox:
        properties["bbox"] = list(loc.bbox)
    if is_zip and loc.line:
        properties["line"] = loc.line
        if loc.column:
            properties["column"] = loc.column
    if properties:
        physical["properties"] = properties
    location: dict[str, Any] = {"physicalLocation": physical}
    if logical:
        location["logicalLocations"] = logical
    return location


def _base_uri(folder: str) -> dict[str, Any]:
    """An ``originalUriBaseIds`` entry for a package folder: relative to
    ``SRCROOT`` (the working directory) when it can be, else a ``file:`` URI."""
    from pathlib import Path

    if folder.startswith("/"):
        return {"uri": Path(folder).as_uri().rstrip("/") + "/"}
    if folder in ("", "."):
        return {"uri": "./", "uriBaseId": "SRCROOT"}
    return {"uri": _uri(folder.rstrip("/") + "/"), "uriBaseId": "SRCROOT"}


def _uri(path: str) -> str:
    # Relative URI references: percent-encode what is not allowed in a path.
    from urllib.parse import quote

    return quote(path, safe="/-._~!$&'()*+,;=:@")


class SarifWriter(CollectingWriter):
    def render(self, report: Report, summary: Summary) -> str:
        return json.dumps(build_sarif(report, summary), indent=2, ensure_ascii=False) + "\n"


@hookimpl
def listguard_output_formats() -> list[OutputFormat]:
    return [OutputFormat("sarif", "SARIF 2.1.0, for code-scanning dashboards", SarifWriter)]
