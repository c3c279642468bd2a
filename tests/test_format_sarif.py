"""The sarif format: valid against the OASIS schema, readable by sarif-tools."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_format_fixtures import catalog_run, render

from listguard.baseline import FINGERPRINT_KEY
from listguard.reporters.sarif import SarifWriter

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "external" / "sarif-schema-2.1.0.json"


@pytest.fixture
def sarif(tmp_path: Path) -> dict:
    return json.loads(render(catalog_run(tmp_path), SarifWriter))


def test_sarif_validates_against_the_official_schema(sarif: dict) -> None:
    if not SCHEMA.exists():
        pytest.skip(f"{SCHEMA} is not present")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    errors = sorted(validator.iter_errors(sarif), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_every_loaded_rule_is_a_driver_rule_with_docs_link_and_level(sarif: dict) -> None:
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert {"LG003", "TST001", "TST002", "TST003"} <= set(rules)
    tst = rules["TST002"]
    assert tst["helpUri"] == "https://listguard.dev/rules/TST002"
    assert tst["defaultConfiguration"] == {"level": "warning"}
    assert tst["shortDescription"]["text"] == "A detail page line is odd"
    assert tst["name"] == "LineProblem"


def test_results_point_at_the_rule_by_id_and_index(sarif: dict) -> None:
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == 4
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_a_line_finding_has_a_region_against_its_package_base(sarif: dict) -> None:
    run = sarif["runs"][0]
    result = next(r for r in run["results"] if r["ruleId"] == "TST002")
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "detail.html", "uriBaseId": "PKG1"}
    assert physical["region"] == {"startLine": 3, "startColumn": 5}
    assert run["originalUriBaseIds"]["PKG1"]["uri"].endswith("catalog/a-fail/")


def test_a_page_finding_carries_the_page_as_logical_location(sarif: dict) -> None:
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "TST001")
    location = result["locations"][0]
    assert "region" not in location["physicalLocation"]
    assert location["physicalLocation"]["properties"]["page"] == 2
    assert location["logicalLocations"][0]["name"] == "page 2"


def test_fingerprints_are_stable_across_runs_and_ignore_the_message(tmp_path: Path) -> None:
    first = json.loads(render(catalog_run(tmp_path / "one"), SarifWriter))
    run = catalog_run(tmp_path / "one")
    for result in run.results:
        for finding in result.findings:
            finding.message = "reworded: " + finding.message
    second = json.loads(render(run, SarifWriter))

    def prints(log: dict) -> list[str]:
        return [r["partialFingerprints"][FINGERPRINT_KEY] for r in log["runs"][0]["results"]]

    assert prints(first) == prints(second)
    assert len(set(prints(first))) == len(prints(first))


def test_sarif_tools_summary_counts_the_same_results(sarif: dict, tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("sarif")
    if not exe.exists() and not shutil.which("sarif"):
        pytest.skip("sarif-tools is not installed (pip install sarif-tools)")
    path = tmp_path / "report.sarif"
    path.write_text(json.dumps(sarif), encoding="utf-8")
    out = subprocess.run(
        [str(exe if exe.exists() else "sarif"), "summary", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    # sarif-tools prints "error: N" / "warning: N" lines per level.
    counts = {
        line.split(":")[0].strip(): int(line.split(":")[1].split()[0])
        for line in out.splitlines()
        if line.split(":")[0].strip() in ("error", "warning", "note") and ":" in line
    }
    levels = [r["level"] for r in sarif["runs"][0]["results"]]
    assert counts.get("error", 0) == levels.count("error") == 2, out
    assert counts.get("warning", 0) == levels.count("warning") == 2, out
