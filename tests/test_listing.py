"""The listing plugin (LST001–LST006): programme rules on the manifest vs the brand kit."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from listguard.plugins.listing.versions import compare_versions
from listguard.testing import base_manifest, run_checks

AS_OF = dt.date(2026, 11, 22)
MODEL = "OV2301A1"
LST = ("LST001", "LST002", "LST003", "LST004", "LST005", "LST006")


def write_kit(root: Path, **model_overrides: Any) -> Path:
    """A brand kit folder with one authorised model (no watermark needed); an
    override of ``None`` removes that field of the model."""
    model: dict[str, Any] = {
        "name": "Orvina Smart Band 3",
        "binding_video": "https://video.orvina.example/bind/OV2301A1.mp4",
        "msrp": {"amount": 100.0, "currency": "EUR"},
        "firmware": [
            {"version": "1.0.9", "released": "2026-09-01T08:00:00Z"},
            {"version": "1.0.10", "released": "2026-10-15T08:00:00Z"},
        ],
    }
    model.update(model_overrides)
    model = {key: value for key, value in model.items() if value is not None}
    kit = {"brand": "Orvina", "video_hosts": ["orvina.example"], "models": {MODEL: model}}
    root.mkdir(parents=True, exist_ok=True)
    (root / "brandkit.json").write_text(json.dumps(kit), encoding="utf-8")
    return root


def good_manifest(**overrides: Any) -> dict[str, Any]:
    """A manifest that passes every LST rule against :func:`write_kit`'s kit."""
    fields: dict[str, Any] = {
        "model": MODEL,
        "price": {"amount": 100.0, "currency": "EUR"},
        "iot_filing_number": "XM-482913-20240315",
        "firmware_version": "1.0.10",
        "seller": {"name": "Shop", "enterprise_id": "MIE-004512"},
    }
    fields.update(overrides)
    return base_manifest(**fields)


@pytest.fixture
def check(listing_factory, tmp_path):
    """check(manifest, kit=True, as_of=AS_OF, **kit_model_overrides) -> CheckRun (LST only)."""

    def run(manifest: dict[str, Any], kit: bool = True, as_of: dt.date = AS_OF, **model: Any):
        package = listing_factory(manifest)
        kit_dir = write_kit(tmp_path / "kit", **model) if kit else None
        return run_checks(package, brand_kit=kit_dir, as_of=as_of, select=LST)

    return run


def test_compliant_listing_has_no_findings(check):
    check(good_manifest()).assert_findings({}, only=True)


# -- LST001 price ---------------------------------------------------------------


@pytest.mark.parametrize("amount", [95.0, 105.0, 100.0])
def test_price_exactly_at_five_percent_passes(check, amount):
    check(good_manifest(price={"amount": amount, "currency": "EUR"})).assert_findings({"LST001": 0})


@pytest.mark.parametrize("amount", [94.99, 105.01])
def test_price_just_outside_five_percent_is_lst001(check, amount):
    run = check(good_manifest(price={"amount": amount, "currency": "EUR"}))
    run.assert_findings({"LST001": 1})
    finding = run.by_rule("LST001")[0]
    assert finding.location.pointer == "/price/amount"
    assert finding.evidence["allowed"] == {"min": "95.000", "max": "105.000"}
    assert str(amount) in finding.message


def test_price_boundary_survives_float_rounding(check):
    # 99.99 * 1.05 = 104.9895 exactly; in binary floats it is 104.98949999...
    run = check(
        good_manifest(price={"amount": 104.9895, "currency": "EUR"}),
        msrp={"amount": 99.99, "currency": "EUR"},
    )
    run.assert_findings({"LST001": 0})


def test_price_in_other_currency_is_a_clear_lst001(check):
    run = check(good_manifest(price={"amount": 100.0, "currency": "USD"}))
    run.assert_findings({"LST001": 1})
    finding = run.by_rule("LST001")[0]
    assert "currencies differ" in finding.message
    assert finding.evidence["msrp"]["currency"] == "EUR"
    assert finding.location.pointer == "/price/currency"


def test_missing_price_is_lst001(check):
    manifest = good_manifest()
    del manifest["price"]
    run = check(manifest)
    run.assert_findings({"LST001": 1})
    assert "no price" in run.by_rule("LST001")[0].message


def test_model_without_msrp_cannot_verify_price(check):
    run = check(good_manifest(), msrp=None)
    run.assert_findings({"LST001": 1})
    assert "no MSRP for model 'OV2301A1'" in run.by_rule("LST001")[0].message


# -- LST002 / LST003 filing -----------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "XM-48291-20240315",  # 5 characters
        "XM-4829133-20240315",  # 7 characters
        "XM-482913-2024031",  # 7-digit date
        "xm-482913-20240315",  # lower-case prefix
        "XM 482913 20240315",
        " XM-482913-20240315",
        "XM-482913-20240315-1",
    ],
)
def test_malformed_filing_number_is_lst002(check, number):
    run = check(good_manifest(iot_filing_number=number))
    run.assert_findings({"LST002": 1, "LST003": 0})
    assert run.by_rule("LST002")[0].evidence["value"] == number


@pytest.mark.parametrize("number", ["XM-482913-20240231", "XM-482913-20241301"])
def test_filing_with_impossible_date_is_lst002(check, number):
    run = check(good_manifest(iot_filing_number=number))
    run.assert_findings({"LST002": 1})
    assert "not a calendar date" in run.by_rule("LST002")[0].message


def test_filing_dated_after_as_of_is_lst002(check):
    run = check(good_manifest(iot_filing_number="XM-482913-20261123"))
    run.assert_findings({"LST002": 1, "LST003": 0})
    assert "after the check date 2026-11-22" in run.by_rule("LST002")[0].message


def test_missing_filing_number_is_lst002(check):
    manifest = good_manifest()
    del manifest["iot_filing_number"]
    run = check(manifest)
    run.assert_findings({"LST002": 1})
    assert "no iot_filing_number" in run.by_rule("LST002")[0].message


def test_filing_with_letters_in_the_code_is_well_formed(check):
    check(good_manifest(iot_filing_number="XM-AB12CD-20240315")).assert_findings({"LST002": 0})


def test_filing_six_days_before_as_of_is_lst003(check):
    run = check(good_manifest(iot_filing_number="XM-482913-20261116"))
    run.assert_findings({"LST002": 0, "LST003": 1})
    assert run.by_rule("LST003")[0].evidence["age_days"] == 6


def test_filing_seven_days_before_as_of_passes(check):
    check(good_manifest(iot_filing_number="XM-482913-20261115")).assert_findings({"LST003": 0})


def test_filing_on_the_check_date_is_lst003(check):
    run = check(good_manifest(iot_filing_number="XM-482913-20261122"))
    run.assert_findings({"LST002": 0, "LST003": 1})


# -- LST004 firmware ------------------------------------------------------------


def _release(version: str, hours_before_end_of_as_of: float) -> dict[str, str]:
    end_of_day = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    released = end_of_day - dt.timedelta(hours=hours_before_end_of_as_of)
    return {"version": version, "released": released.isoformat()}


def test_release_47_hours_old_does_not_bind(check):
    firmware = [_release("1.0.9", 2000), _release("1.0.10", 47)]
    run = check(good_manifest(firmware_version="1.0.9"), firmware=firmware)
    run.assert_findings({"LST004": 0})


def test_release_exactly_48_hours_old_does_not_bind(check):
    firmware = [_release("1.0.9", 2000), _release("1.0.10", 48)]
    check(good_manifest(firmware_version="1.0.9"), firmware=firmware).assert_findings({"LST004": 0})


def test_release_49_hours_old_makes_older_firmware_lst004(check):
    firmware = [_release("1.0.9", 2000), _release("1.0.10", 49)]
    run = check(good_manifest(firmware_version="1.0.9"), firmware=firmware)
    run.assert_findings({"LST004": 1})
    finding = run.by_rule("LST004")[0]
    assert finding.evidence["firmware_version"] == "1.0.9"
    assert finding.evidence["expected_at_least"] == "1.0.10"
    assert finding.evidence["hours_since_release"] == 49.0


def test_release_timestamp_with_offset_is_compared_in_utc(check):
    # 2026-11-21T01:00+02:00 is 2026-11-20T23:00Z: 49 h before the end of 2026-11-22 UTC.
    firmware = [{"version": "1.0.10", "released": "2026-11-21T01:00:00+02:00"}]
    run = check(good_manifest(firmware_version="1.0.9"), firmware=firmware)
    run.assert_findings({"LST004": 1})


def test_firmware_1_0_10_is_newer_than_1_0_9(check):
    firmware = [_release("1.0.9", 100)]
    check(good_manifest(firmware_version="1.0.10"), firmware=firmware).assert_findings(
        {"LST004": 0}
    )


def test_four_part_version_older_than_release_is_lst004(check):
    firmware = [_release("2.3.1.10", 100)]
    run = check(good_manifest(firmware_version="2.3.1.9"), firmware=firmware)
    run.assert_findings({"LST004": 1})


def test_newest_binding_release_is_chosen_by_version_not_list_order(check):
    firmware = [_release("1.0.10", 100), _release("1.0.9", 200), _release("1.0.2", 300)]
    run = check(good_manifest(firmware_version="1.0.9"), firmware=firmware)
    assert run.by_rule("LST004")[0].evidence["expected_at_least"] == "1.0.10"


def test_missing_firmware_version_is_lst004_when_kit_lists_releases(check):
    manifest = good_manifest()
    del manifest["firmware_version"]
    run = check(manifest)
    run.assert_findings({"LST004": 1})
    assert "no firmware_version" in run.by_rule("LST004")[0].message


def test_firmware_without_releases_in_kit_cannot_be_verified(check):
    run = check(good_manifest(), firmware=[])
    run.assert_findings({"LST004": 1})
    assert "could not be verified" in run.by_rule("LST004")[0].message


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("1.0.10", "1.0.9", 1),
        ("1.2.3.4", "1.2.3.10", -1),
        ("v1.2", "1.2.0", 0),
        ("2.3.1_0045", "2.3.1_0100", -1),  # not PEP 440: natural order
        ("2.3.1_0045", "2.3.1", 1),
        ("1.0.0-beta", "1.0.0", -1),
    ],
)
def test_compare_versions(left, right, expected):
    assert compare_versions(left, right) == expected


def test_5000_digit_firmware_version_is_lst004_unparsable_not_a_crash(check):
    run = check(good_manifest(firmware_version="9" * 5000))
    run.assert_findings({"LST004": 1}, only=True)
    finding = run.by_rule("LST004")[0]
    assert "5000 characters long" in finding.message
    assert finding.evidence["unparsable"] is True
    assert finding.evidence["length"] == 5000


def test_compare_versions_with_numbers_past_the_int_conversion_limit():
    huge = "1." + "9" * 5000
    assert compare_versions(huge, "1.0") == 1
    assert compare_versions("1." + "0" * 4999 + "1", "1.2") == -1


# -- LST005 enterprise id -------------------------------------------------------


@pytest.mark.parametrize("value", ["004512", "mie-004512", "MIE004512", "MIE-", "XMIE-004512"])
def test_enterprise_id_without_prefix_is_lst005(check, value):
    run = check(good_manifest(seller={"name": "Shop", "enterprise_id": value}))
    run.assert_findings({"LST005": 1})
    finding = run.by_rule("LST005")[0]
    assert finding.evidence == {"value": value, "expected": "MIE-…"}
    assert finding.location.pointer == "/seller/enterprise_id"


def test_missing_seller_is_lst005(check):
    manifest = good_manifest()
    del manifest["seller"]
    run = check(manifest)
    run.assert_findings({"LST005": 1})
    assert "no seller" in run.by_rule("LST005")[0].message


def test_seller_without_enterprise_id_is_lst005(check):
    run = check(good_manifest(seller={"name": "Shop"}))
    run.assert_findings({"LST005": 1})
    assert "no enterprise_id" in run.by_rule("LST005")[0].message


# -- LST006 model ---------------------------------------------------------------


def test_unknown_model_is_lst006_with_the_authorised_list(check):
    run = check(good_manifest(model="OV2301A9"))
    finding = run.by_rule("LST006")[0]
    assert finding.evidence == {"value": "OV2301A9", "expected_one_of": [MODEL]}
    # price and firmware rules say why they could not decide
    assert "not in the brand kit" in run.by_rule("LST001")[0].message
    assert "not in the brand kit" in run.by_rule("LST004")[0].message


def test_model_in_other_case_suggests_the_authorised_spelling(check):
    run = check(good_manifest(model="ov2301a1"))
    assert "did you mean 'OV2301A1'" in run.by_rule("LST006")[0].message


# -- no brand kit ---------------------------------------------------------------


def test_without_brand_kit_kit_rules_report_they_could_not_verify(check):
    run = check(good_manifest(), kit=False)
    run.assert_findings(
        {"LST001": 1, "LST002": 0, "LST003": 0, "LST004": 1, "LST005": 0, "LST006": 1}, only=True
    )
    for finding in run.findings:
        assert "could not be verified: no brand kit" in finding.message


def test_findings_are_deterministic(check):
    manifest = good_manifest(price={"amount": 80.0, "currency": "EUR"}, firmware_version="1.0.1")
    first = check(manifest).report["listings"][0]["findings"]
    second = check(manifest).report["listings"][0]["findings"]
    assert first == second


def test_every_listing_rule_is_documented():
    from listguard.plugins.listing.rules import RULES
    from listguard.testing import assert_rules_documented

    assert_rules_documented(RULES)
    assert [r.code for r in RULES] == list(LST)


def test_price_band_edges_are_exact_for_many_msrps():
    # Seeded sweep: price exactly at MSRP ±5% passes and one cent beyond fails,
    # whatever binary rounding the float amounts carry.
    import random
    from decimal import Decimal

    from listguard.brandkit import BrandKit, BrandModel, Money
    from listguard.plugins.listing.checks import check_price

    rng = random.Random(20261122)
    for _ in range(500):
        msrp = Decimal(rng.randrange(100, 10**7)) / 100
        kit = BrandKit(
            root=Path("."),
            brand="Orvina",
            watermark_template=None,
            models={MODEL: BrandModel(MODEL, "Band", msrp=Money(float(msrp), "EUR"))},
        )
        for edge, beyond in ((msrp * Decimal("1.05"), "0.01"), (msrp * Decimal("0.95"), "-0.01")):
            at_edge = base_manifest(model=MODEL, price={"amount": float(edge), "currency": "EUR"})
            assert check_price(at_edge, kit) == [], (msrp, edge)
            outside = float(edge.quantize(Decimal("0.01")) + Decimal(beyond))
            past = base_manifest(model=MODEL, price={"amount": outside, "currency": "EUR"})
            assert [f.rule for f in check_price(past, kit)] == ["LST001"], (msrp, outside)
