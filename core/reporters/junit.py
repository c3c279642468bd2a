"""The ``junit`` format: JUnit XML (the Apache Ant schema CI servers read).

One ``<testsuite>`` per package and one ``<testcase>`` per rule that ran on it:
a rule with findings is a ``<failure>`` (``type`` is the worst severity, the body
lists every finding with its location and hint), a rule without is a pass.
The plugins' rules are ``<skipped>`` on a package whose manifest did not load
or validate, because the host runs no plugin on it. Written as results arrive;
``timestamp`` is the check date, so identical runs give identical files.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from ..baseline import package_key
from ..hookspecs import hookimpl
from ..model import Finding, ListingResult, Rule, RunInfo, Severity, Summary
from .base import OutputFormat, ReportWriter, localize

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

PLUGIN_NAME = "junit-format"

#: Findings after which the host runs no plugin on the package.
_NOT_CHECKED = frozenset({"LG001", "LG002", "LG005"})
_CORE = "core"
# Characters XML 1.0 cannot carry at all, even escaped (a message quoting a
# binary file could hold them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


class JUnitWriter(ReportWriter):
    def start(self, run: RunInfo) -> None:
        self.run = run
        self.count = 0
        self.stream.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n')

    def add(self, listing: ListingResult) -> None:
        import xml.etree.ElementTree as ET

        listing = localize(listing, self.options.lang)
        suite = suite_element(listing, self.run, self.count)
        self.count += 1
        ET.indent(suite, space="  ", level=1)
        self.stream.write("  " + ET.tostring(suite, encoding="unicode") + "\n")

    def finish(self, summary: Summary) -> None:
        self.stream.write("</testsuites>\n")


def suite_element(listing: ListingResult, run: RunInfo, number: int) -> ET.Element:
    """The ``<testsuite>`` element of one package."""
    # Imported here, not at module level: every run loads this reporter to list
    # its format, and only a junit report needs the XML library.
    import xml.etree.ElementTree as ET

    key = package_key(listing.package)
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in listing.findings:
        by_rule[finding.rule].append(finding)
    plugins_ran = not any(code in _NOT_CHECKED for code in by_rule)
    rules: dict[str, Rule | None] = {rule.code: rule for rule in run.rules}
    for code in by_rule:  # a finding of an unknown rule still shows
        rules.setdefault(code, None)
    cases = []
    failures = skipped = 0
    for code in sorted(rules):
        rule = rules[code]
        case = ET.Element(
            "testcase",
            name=f"{code} {rule.name}" if rule else code,
            classname=f"listguard.{rule.plugin if rule and rule.plugin else _CORE}",
            time="0",
        )
        findings = by_rule.get(code, [])
        if findings:
            failures += 1
            worst = max((f.severity or Severity.ERROR for f in findings), key=lambda s: s.rank)
            failure = ET.SubElement(
                case,
                "failure",
                message=_xml_text(findings[0].message)
                + (f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""),
                type=worst.value,
            )
            failure.text = _xml_text("\n".join(_describe(f) for f in findings))
        elif rule is not None and rule.plugin != _CORE and not plugins_ran:
            skipped += 1
            ET.SubElement(case, "skipped", message="not run: the manifest did not load or validate")
        cases.append(case)
    suite = ET.Element(
        "testsuite",
        name=_xml_text(key),
        timestamp=f"{run.as_of}T00:00:00",
        hostname="localhost",
        tests=str(len(cases)),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
        time="0",
        package=_xml_text(listing.sku or key),
        id=str(number),
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("status", listing.status.value),
        ("sku", listing.sku or ""),
        ("as_of", run.as_of),
        ("tool_version", run.tool_version),
    ):
        ET.SubElement(properties, "property", name=name, value=_xml_text(value))
    suite.extend(cases)
    ET.SubElement(suite, "system-out").text = _xml_text(f"{key}: {listing.status.value}")
    ET.SubElement(suite, "system-err")
    return suite


def _describe(finding: Finding) -> str:
    where = finding.location.describe()
    severity = (finding.severity or Severity.ERROR).value
    text = f"[{severity}] {where + ': ' if where else ''}{finding.message}"
    if finding.hint:
        text += f"\n    hint: {finding.hint}"
    if finding.docs:
        text += f"\n    docs: {finding.docs}"
    return text


@hookimpl
def listguard_output_formats() -> list[OutputFormat]:
    return [
        OutputFormat(
            "junit", "JUnit XML: a testsuite per package, a testcase per rule", JUnitWriter
        )
    ]
