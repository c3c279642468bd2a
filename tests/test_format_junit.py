"""The junit format: valid against the Ant JUnit schema; a testcase per rule."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_format_fixtures import catalog_run, render

from listguard.model import Finding, ListingResult
from listguard.reporters.junit import JUnitWriter, suite_element

XSD = Path(__file__).resolve().parents[2] / "shared" / "external" / "junit.xsd"


@pytest.fixture
def junit(tmp_path: Path) -> str:
    return render(catalog_run(tmp_path), JUnitWriter)


def test_junit_validates_against_the_official_schema(junit: str) -> None:
    if not XSD.exists():
        pytest.skip(f"{XSD} is not present")
    etree = pytest.importorskip("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    document = etree.fromstring(junit.encode("utf-8"))
    assert schema.validate(document), schema.error_log


def test_one_testsuite_per_package_with_a_testcase_per_rule(junit: str) -> None:
    root = ET.fromstring(junit)
    suites = root.findall("testsuite")
    assert [s.get("package") for s in suites] == ["A-1", "B-2", "C-3"]
    names = [c.get("name") for c in suites[0].findall("testcase")]
    assert "TST003 never-fires" in names
    assert any(name.startswith("LG003 ") for name in names)
    assert all(s.get("tests") == str(len(names)) for s in suites)


def test_failures_carry_the_findings(junit: str) -> None:
    root = ET.fromstring(junit)
    first = root.findall("testsuite")[0]
    failed = {
        c.get("name").split()[0]: c.find("failure")
        for c in first.findall("testcase")
        if c.find("failure") is not None
    }
    assert set(failed) == {"LG003", "TST001", "TST002"}
    assert first.get("failures") == "3"
    assert failed["TST001"].get("type") == "error"
    assert "manuals/bad.pdf p.2" in failed["TST001"].text
    assert "hint: remove the claim" in failed["TST001"].text
    assert failed["TST002"].get("type") == "warning"


def test_plugin_rules_are_skipped_when_the_manifest_did_not_validate(tmp_path: Path) -> None:
    run = catalog_run(tmp_path)
    broken = ListingResult("x", None, [Finding("LG002", "sku is required", plugin="core")])
    suite = suite_element(broken, run.run, 0)
    skipped = {
        c.get("name").split()[0] for c in suite.iter("testcase") if c.find("skipped") is not None
    }
    assert {"TST001", "TST002", "TST003"} <= skipped
    assert not any(code.startswith("LG") for code in skipped)


def test_characters_xml_cannot_hold_are_replaced(tmp_path: Path) -> None:
    run = catalog_run(tmp_path)
    listing = ListingResult("p", None, [Finding("LG006", "bad byte \x01 here", plugin="core")])
    text = ET.tostring(suite_element(listing, run.run, 0), encoding="unicode")
    assert "\x01" not in text
    ET.fromstring(text)
