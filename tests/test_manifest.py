"""The manifest: every schema violation is its own LG002 with a JSON pointer."""

from __future__ import annotations

from listguard import Rule, Severity, hookimpl
from listguard.testing import base_manifest, run_checks


def test_each_violation_is_its_own_lg002_with_its_pointer(listing_factory):
    manifest = base_manifest(
        category="speaker", markets=["es"], price={"amount": -5, "currency": "EUR"}, colour="red"
    )
    run = run_checks(listing_factory(manifest), builtins=False)
    pointers = sorted(f.location.pointer or "" for f in run.by_rule("LG002"))
    assert pointers == ["/category", "/colour", "/markets/0", "/price/amount"]
    assert run.codes() == {"LG002": 4}


def test_missing_required_field_is_lg002(listing_factory):
    manifest = base_manifest()
    del manifest["sku"]
    run = run_checks(listing_factory(manifest), builtins=False)
    run.assert_findings({"LG002": 1}, only=True)
    assert "'sku' is a required property" in run.findings[0].message


def test_bad_date_format_is_lg002(listing_factory):
    manifest = base_manifest(
        certificates=[{"type": "CE", "file": "c.pdf", "number": "1", "issued": "02/03/2026"}]
    )
    run = run_checks(listing_factory(manifest), builtins=False)
    assert "/certificates/0/issued" in {f.location.pointer for f in run.by_rule("LG002")}


def test_x_keys_are_allowed_at_the_top_level(listing_factory):
    run = run_checks(listing_factory(base_manifest(**{"x-notes": "ok"})), builtins=False)
    run.assert_findings({}, only=True)


def test_manifest_not_an_object_is_lg002(listing_factory):
    run = run_checks(listing_factory("[1, 2]"), builtins=False)
    run.assert_findings({"LG002": 1}, only=True)


def test_missing_manifest_is_lg001(tmp_path):
    (tmp_path / "pkg").mkdir()
    run = run_checks(tmp_path / "pkg", builtins=False)
    run.assert_findings({"LG001": 1}, only=True)


def test_manifest_not_utf8_is_lg001(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "listing.json").write_bytes(b'{"sku": "\xff"}')
    run_checks(tmp_path / "pkg", builtins=False).assert_findings({"LG001": 1}, only=True)


class BatterySection:
    PLUGIN_NAME = "battery-section"

    @hookimpl
    def listguard_register_rules(self):
        return [Rule("BTS001", "x", Severity.INFO, "x")]

    @hookimpl
    def listguard_manifest_sections(self):
        return {
            "x-battery": {
                "type": "object",
                "required": ["watt_hours"],
                "properties": {"watt_hours": {"type": "number", "exclusiveMinimum": 0}},
            }
        }


def test_plugin_manifest_section_is_validated_with_pointers(listing_factory):
    manifest = base_manifest(**{"x-battery": {"watt_hours": -1}})
    run = run_checks(listing_factory(manifest), plugins=[BatterySection()], builtins=False)
    run.assert_findings({"LG002": 1}, only=True)
    assert run.findings[0].location.pointer == "/x-battery/watt_hours"


def test_plugin_checks_do_not_run_on_an_invalid_manifest(listing_factory):
    from plugins_for_tests import Reporting

    run = run_checks(listing_factory(base_manifest(markets=[])), plugins=[Reporting()],
                     builtins=False)  # fmt: skip
    run.assert_findings({"LG002": 1}, only=True)


def test_the_manifest_validator_is_built_once_per_sections() -> None:
    """Validating many manifests reuses one validator (building it cost more than
    validating); other sections get their own."""
    from listguard.manifest import manifest_validator

    sections = {"x-battery": {"type": "object"}}
    assert manifest_validator(sections) is manifest_validator(dict(sections))
    assert manifest_validator(sections) is not manifest_validator({})
    assert manifest_validator(None) is manifest_validator({})
