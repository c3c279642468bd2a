"""The bundled demo packages (fixtures/) end to end, as the README's demo runs them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from listguard.cli import main
from listguard.jsonschemas import load_schema, schema_validator

REPO = Path(__file__).resolve().parents[1]
PACKAGES = REPO / "fixtures" / "packages"
KIT = REPO / "fixtures" / "brandkit"

EXPECTED = {
    "broken-manifest": ("fail", {"LG002": 6, "LG003": 2}),
    "orvina-lamp-stale": ("fail", {"CERT004": 1, "MAN002": 1, "MAN003": 1, "VID005": 1}),
    "orvina-robot-counterfeit": (
        "fail",
        {
            "CERT002": 1,
            "CERT004": 1,
            "LST001": 1,
            "LST002": 1,
            "LST004": 1,
            "LST005": 1,
            "WM002": 1,
        },
    ),
    "orvina-speaker-eu": ("pass", {}),
    "orvina-speaker-eu.zip": ("pass", {}),
    "orvina-speaker-warnings": ("warn", {"LST003": 1, "WM004": 1}),
}


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("demo") / "report.json"
    args = ["check", str(PACKAGES), "--brand-kit", str(KIT), "--as-of", "2026-11-22",
            "--format", "json", "-o", str(out), "--no-entrypoints", "--no-cache"]  # fmt: skip
    assert main(args) == 1
    return json.loads(out.read_text())


def test_demo_report_validates_against_the_report_schema(demo_report):
    assert list(schema_validator(load_schema("report")).iter_errors(demo_report)) == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_demo_package_gets_exactly_its_expected_findings(demo_report, name):
    (listing,) = [item for item in demo_report["listings"] if Path(item["package"]).name == name]
    status, rules = EXPECTED[name]
    assert listing["status"] == status
    assert Counter(f["rule"] for f in listing["findings"]) == Counter(rules)


def test_counterfeit_photo_carries_the_mark_but_matches_no_official_asset(demo_report):
    (listing,) = [i for i in demo_report["listings"] if i["sku"] == "OV-T1-KIT-EU"]
    facts = listing["facts"]["watermark"]["images/main.jpg"]
    assert facts["watermark"]["found"] is True
    assert facts["asset"] is None


def test_demo_summary_counts_the_traffic_lights(demo_report):
    summary = demo_report["summary"]
    assert (summary["pass"], summary["warn"], summary["fail"]) == (2, 1, 3)


def test_demo_report_is_the_same_with_one_or_two_workers(tmp_path, capsys):
    outputs = []
    for jobs in ("1", "2"):
        args = ["check", str(PACKAGES), "--brand-kit", str(KIT), "--as-of", "2026-11-22",
                "--format", "json", "--jobs", jobs, "--no-entrypoints", "--no-cache"]  # fmt: skip
        main(args)
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
