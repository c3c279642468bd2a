"""listguard-battery's rules on small generated packages (the listguard testing kit)."""

import re
from pathlib import Path

import listguard_battery
import pytest

from listguard.testing import assert_rules_documented, base_manifest, run_checks, run_cli

SUMMARY = "certificates/un38.pdf"
COMPLETE = """UN 38.3 Test Summary
Manufacturer: Orvina Power Co., Ltd.
Manufacturer address: 12 Harbour Road, Shenzhen
Test laboratory: Meridian Battery Test Centre
Test report number: MBT-2025-0412
Date of test report: 10 March 2025
Battery: OV-PB20 lithium ion battery pack, 3 cells, 11.1 V
Watt-hour rating: 55.4 Wh
T1 Altitude simulation: Pass
T2 Thermal test: Pass
T3 Vibration: Pass
T4 Shock: Pass
T5 External short circuit: Pass
T6 Impact / Crush: Pass
T7 Overcharge: Pass
T8 Forced discharge: Not applicable"""


def battery_manifest(watt_hours=55.4, chemistry="li-ion", summary=True, **battery):
    certificates = (
        [{"type": "UN38_3", "file": SUMMARY, "number": "MBT-2025-0412", "issued": "2025-03-10"}]
        if summary
        else []
    )
    section = {"chemistry": chemistry, "watt_hours": watt_hours, "cells": 3, **battery}
    return base_manifest(**{"x-battery": section, "certificates": certificates})


def check(package, **kwargs):
    # only this plugin and the host's own rules: the tests do not depend on the built-ins
    return run_checks(package, plugins=[listguard_battery], builtins=False, **kwargs)


def test_complete_summary_matching_the_manifest_has_no_findings(listing_factory):
    package = listing_factory(battery_manifest(), pdfs={SUMMARY: [COMPLETE]})
    check(package).assert_no_findings()


def test_summary_facts_are_recorded_for_the_report(listing_factory):
    package = listing_factory(battery_manifest(), pdfs={SUMMARY: [COMPLETE]})
    facts = check(package).facts("battery")[SUMMARY]
    assert facts["watt_hours"] == 55.4
    assert facts["date"] == "2025-03-10"
    assert facts["tests"]["T8"] == "n/a"


def test_battery_without_a_summary_is_bat001(listing_factory):
    check(listing_factory(battery_manifest(summary=False))).assert_findings(
        {"BAT001": 1}, only=True
    )


def test_listed_summary_missing_on_disk_is_lg003_not_bat001(listing_factory):
    check(listing_factory(battery_manifest())).assert_findings({"LG003": 1}, only=True)


def test_product_without_a_battery_section_is_not_checked(listing_factory):
    check(listing_factory(base_manifest())).assert_no_findings()


@pytest.mark.parametrize(
    ("line", "element"),
    [
        ("Manufacturer: Orvina Power Co., Ltd.", "manufacturer"),
        ("Test laboratory: Meridian Battery Test Centre", "laboratory"),
        ("Date of test report: 10 March 2025", "date"),
        ("Watt-hour rating: 55.4 Wh", "watt_hours"),
    ],
)
def test_summary_lacking_an_element_is_bat002_naming_it(listing_factory, line, element):
    package = listing_factory(battery_manifest(), pdfs={SUMMARY: [COMPLETE.replace(line, "")]})
    run = check(package)
    run.assert_findings({"BAT002": 1}, only=True)
    assert run.findings[0].evidence["element"] == element


def test_summary_missing_tests_lists_them_in_one_bat002(listing_factory):
    text = COMPLETE.replace("T7 Overcharge: Pass\n", "").replace("T8 Forced discharge", "T8")
    text = text.replace("T8: Not applicable", "T8 Forced discharge")
    run = check(listing_factory(battery_manifest(), pdfs={SUMMARY: [text]}))
    run.assert_findings({"BAT002": 1}, only=True)
    assert run.findings[0].evidence["missing"] == ["T7", "T8"]


def test_test_range_with_one_result_covers_each_test(listing_factory):
    lines = [ln for ln in COMPLETE.splitlines() if not re.match(r"T\d ", ln)]
    text = "\n".join([*lines, "T1-T8: Passed"])
    check(listing_factory(battery_manifest(), pdfs={SUMMARY: [text]})).assert_no_findings()


def test_elements_spread_over_pages_are_found(listing_factory):
    first, second = COMPLETE.split("T1 ")
    pdf = [first, "T1 " + second]
    check(listing_factory(battery_manifest(), pdfs={SUMMARY: pdf})).assert_no_findings()


def _table_pdf(rows):
    """A summary laid out as a bordered two-column table (label cell, value cell)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    for label, value in rows:
        pdf.cell(70, 7, label, border=1)
        pdf.cell(110, 7, value, border=1)
        pdf.ln()
    return bytes(pdf.output())


def test_summary_laid_out_as_a_table_without_colons_is_read(listing_factory):
    rows = [
        ("Name of cell/battery manufacturer", "Orvina Power Co., Ltd."),
        ("Manufacturer address", "12 Harbour Road, Shenzhen"),
        ("Test laboratory", "Meridian Battery Test Centre"),
        ("Date of test report", "2025.03.10"),
        ("Watt-hour rating (Wh)", "55.4"),
        *[(f"T.{n} test", "PASSED") for n in range(1, 9)],
    ]
    package = listing_factory(battery_manifest(), files={SUMMARY: _table_pdf(rows)})
    run = check(package)
    run.assert_no_findings()
    assert run.facts("battery")[SUMMARY]["manufacturer"] == "Orvina Power Co., Ltd."


def test_an_address_line_is_not_taken_for_the_manufacturer(listing_factory):
    text = COMPLETE.replace("Manufacturer: Orvina Power Co., Ltd.\n", "")
    run = check(listing_factory(battery_manifest(), pdfs={SUMMARY: [text]}))
    run.assert_findings({"BAT002": 1}, only=True)
    assert run.findings[0].evidence["element"] == "manufacturer"


def test_a_failure_mentioned_after_a_pass_is_still_a_pass(listing_factory):
    text = COMPLETE.replace(
        "T5 External short circuit: Pass", "T5 External short circuit: Pass (no failure)"
    )
    check(listing_factory(battery_manifest(), pdfs={SUMMARY: [text]})).assert_no_findings()


def test_summary_wh_differing_from_manifest_is_bat003_with_page_and_box(listing_factory):
    package = listing_factory(battery_manifest(watt_hours=74), pdfs={SUMMARY: [COMPLETE]})
    run = check(package)
    run.assert_findings({"BAT003": 1}, only=True)
    finding = run.findings[0]
    assert finding.evidence == {
        "summary_wh": 55.4,
        "manifest_wh": 74.0,
        "text": "Watt-hour rating: 55.4 Wh",
    }
    assert finding.location.page == 1
    x, y, w, h = finding.location.bbox
    assert 0 < x < 595 and 0 < y < 842 and w > 50 and h > 3


def test_wh_is_compared_at_the_precision_the_summary_states(listing_factory):
    package = listing_factory(battery_manifest(watt_hours=55.44), pdfs={SUMMARY: [COMPLETE]})
    check(package).assert_no_findings()


def test_wh_tolerance_option_accepts_a_small_difference(listing_factory):
    package = listing_factory(battery_manifest(watt_hours=56), pdfs={SUMMARY: [COMPLETE]})
    check(package).assert_findings({"BAT003": 1})
    run = check(package, options={"battery": {"wh-tolerance-percent": 2.0}})
    run.assert_no_findings()


def test_unlabelled_single_wh_figure_is_taken_as_the_rating(listing_factory):
    text = COMPLETE.replace("Watt-hour rating: 55.4 Wh", "Rated energy 55,4 Wh")
    check(listing_factory(battery_manifest(), pdfs={SUMMARY: [text]})).assert_no_findings()


def test_several_unlabelled_wh_figures_are_bat002_with_the_candidates(listing_factory):
    text = COMPLETE.replace("Watt-hour rating: 55.4 Wh", "Cell 18.5 Wh, pack 55.4 Wh")
    run = check(listing_factory(battery_manifest(), pdfs={SUMMARY: [text]}))
    run.assert_findings({"BAT002": 1}, only=True)
    assert run.findings[0].evidence["candidates"] == [18.5, 55.4]


def test_failed_test_is_bat005_on_its_page(listing_factory):
    text = COMPLETE.replace("T6 Impact / Crush: Pass", "T6 Impact / Crush: Fail")
    run = check(listing_factory(battery_manifest(), pdfs={SUMMARY: [text]}))
    run.assert_findings({"BAT005": 1}, only=True)
    assert run.findings[0].evidence["test"] == "T6"
    assert run.findings[0].location.page == 1


def test_lithium_ion_over_100_wh_is_bat004_info(listing_factory):
    text = COMPLETE.replace("55.4 Wh", "160 Wh")
    run = check(listing_factory(battery_manifest(watt_hours=160), pdfs={SUMMARY: [text]}))
    run.assert_findings({"BAT004": 1}, only=True)
    assert run.result.status.value == "pass"  # info never fails a listing


def test_exactly_100_wh_is_not_dangerous_goods(listing_factory):
    text = COMPLETE.replace("55.4 Wh", "100 Wh")
    run = check(listing_factory(battery_manifest(watt_hours=100), pdfs={SUMMARY: [text]}))
    run.assert_no_findings()


def test_lithium_metal_over_2_g_is_bat004(listing_factory):
    manifest = battery_manifest(chemistry="li-metal", lithium_grams=2.5)
    run = check(listing_factory(manifest, pdfs={SUMMARY: [COMPLETE]}))
    run.assert_findings({"BAT004": 1}, only=True)


def test_scanned_summary_without_text_is_bat006_not_a_pass(listing_factory):
    package = listing_factory(battery_manifest(), pdfs={SUMMARY: [""]})
    check(package).assert_findings({"BAT006": 1}, only=True)


def test_corrupt_summary_pdf_is_lg006_from_the_plugin(listing_factory):
    package = listing_factory(battery_manifest(), files={SUMMARY: b"%PDF-1.7\n%broken"})
    run = check(package)
    run.assert_findings({"LG006": 1}, only=True)
    assert run.findings[0].plugin == "battery"


def test_x_battery_section_violating_its_schema_is_lg002(listing_factory):
    manifest = battery_manifest(summary=False)
    manifest["x-battery"]["cells"] = 0
    run = check(listing_factory(manifest))
    run.assert_findings({"LG002": 1}, only=True)
    assert run.findings[0].location.pointer == "/x-battery/cells"


def test_certificates_of_other_types_are_ignored(listing_factory):
    manifest = battery_manifest()
    manifest["certificates"].append(
        {"type": "CE", "file": "certificates/ce.pdf", "number": "DoC-1", "issued": "2025-01-01"}
    )
    pdfs = {SUMMARY: [COMPLETE], "certificates/ce.pdf": ["EU declaration of conformity"]}
    check(listing_factory(manifest, pdfs=pdfs)).assert_no_findings()


def test_every_rule_has_its_four_docs_sections():
    assert_rules_documented(listguard_battery.listguard_register_rules())


def test_rules_command_prints_a_battery_rule_page():
    result = run_cli("rules", "BAT002", "--no-entrypoints", "-p", "listguard_battery")
    assert result.exit_code == 0
    assert "38.3.5" in result.stdout


DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


@pytest.mark.skipif(not DOCS.is_dir(), reason="run from a checkout with docs/rules")
def test_shipped_rule_docs_match_the_rules():
    result = run_cli(
        "plugin", "docs", "--check", "--output", str(DOCS), "--plugin", "battery",
        "--no-entrypoints", "-p", "listguard_battery",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
