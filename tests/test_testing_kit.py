"""The testing kit itself (listguard.testing): what a plugin author's tests rely on."""

import json
import types

import pypdfium2 as pdfium
import pytest
from PIL import Image

from listguard import Finding, Location, Rule, Severity, hookimpl
from listguard.testing import (
    assert_rules_documented,
    base_manifest,
    missing_doc_sections,
    run_checks,
    run_cli,
    zip_package,
)


def _plugin(**hooks):
    """A plugin object named ``demo`` owning prefix DEMO, with the given hooks."""
    rule = Rule("DEMO001", "demo", Severity.WARNING, "A demo rule.", "w", "y", "e", "f")
    plugin = types.SimpleNamespace(PLUGIN_NAME="demo", **hooks)
    plugin.listguard_register_rules = hookimpl(lambda: [rule])
    return plugin


def _one_finding_per_image():
    @hookimpl
    def listguard_check_image(ctx, image):
        ctx.add_fact(image.file, {"role": image.role})
        yield Finding("DEMO001", f"saw {image.file}", location=Location(file=image.file))

    return _plugin(listguard_check_image=listguard_check_image)


def test_listing_factory_generates_an_image_of_the_given_size_and_format(listing_factory):
    package = listing_factory(images={"images/main.png": (640, 480)})
    with Image.open(package / "images/main.png") as image:
        assert (image.format, image.size) == ("PNG", (640, 480))


def test_listing_factory_generates_a_text_pdf_page_per_string(listing_factory):
    package = listing_factory(pdfs={"manuals/m.pdf": ["first page", "second page"]})
    pdf = pdfium.PdfDocument(str(package / "manuals/m.pdf"))
    texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    assert [t.strip() for t in texts] == ["first page", "second page"]


def test_listing_factory_files_override_generated_ones(listing_factory):
    package = listing_factory(images={"images/a.jpg": (10, 10)}, files={"images/a.jpg": b"raw"})
    assert (package / "images/a.jpg").read_bytes() == b"raw"


def test_generated_files_pass_the_hosts_content_sniffing(listing_factory):
    manifest = base_manifest(
        images=[{"file": "images/main.webp", "role": "main"}],
        manuals=[{"file": "manuals/m.pdf"}],
    )
    package = listing_factory(
        manifest, images={"images/main.webp": (800, 800)}, pdfs={"manuals/m.pdf": ["text"]}
    )
    run_checks(package, builtins=False).assert_no_findings()


def test_run_checks_registers_the_given_plugin_and_reports_its_findings(listing_factory):
    manifest = base_manifest(images=[{"file": "images/main.jpg", "role": "main"}])
    package = listing_factory(manifest, images={"images/main.jpg": (100, 100)})
    run = run_checks(package, plugins=[_one_finding_per_image()], builtins=False)
    run.assert_findings({"DEMO001": 1}, only=True)
    assert run.findings[0].severity is Severity.WARNING
    assert run.findings[0].plugin == "demo"


def test_each_run_checks_uses_a_fresh_plugin_host(listing_factory):
    package = listing_factory()
    run_checks(package, plugins=[_one_finding_per_image()], builtins=False)
    later = run_checks(package, builtins=False)
    assert "DEMO001" not in {r.code for r in later.run.rules}


def test_assert_findings_names_the_mismatch_and_lists_the_findings(listing_factory):
    run = run_checks(listing_factory('{"sku": 1,}'), builtins=False)
    with pytest.raises(AssertionError) as failure:
        run.assert_findings({"LG001": 0})
    assert "mismatch: {'LG001': 1}" in str(failure.value)
    assert "LG001 error: " in str(failure.value)


def test_assert_findings_with_only_rejects_unexpected_rules(listing_factory):
    run = run_checks(listing_factory('{"sku": 1,}'), builtins=False)
    run.assert_findings({})  # not exclusive: other rules are allowed
    with pytest.raises(AssertionError):
        run.assert_findings({}, only=True)


def test_report_is_the_json_report_with_summary_and_status(listing_factory):
    run = run_checks(listing_factory('{"sku": 1,}'), builtins=False)
    report = run.report
    assert report["listings"][0]["status"] == "fail"
    assert report["summary"]["findings"]["error"] == 1
    assert json.loads(run.report_json()) == report


def test_facts_returns_what_the_plugin_recorded(listing_factory):
    manifest = base_manifest(images=[{"file": "images/main.jpg", "role": "main"}])
    package = listing_factory(manifest, images={"images/main.jpg": (100, 100)})
    run = run_checks(package, plugins=[_one_finding_per_image()], builtins=False)
    assert run.facts("demo") == {"images/main.jpg": {"role": "main"}}


def test_options_reach_the_plugin_through_ctx_options(listing_factory):
    seen = {}

    @hookimpl
    def listguard_plugin_options():
        return {"limit": 3}

    @hookimpl
    def listguard_check_manifest(ctx):
        seen.update(ctx.options)

    plugin = _plugin(
        listguard_plugin_options=listguard_plugin_options,
        listguard_check_manifest=listguard_check_manifest,
    )
    run_checks(listing_factory(), plugins=[plugin], builtins=False, options={"demo": {"limit": 7}})
    assert seen == {"limit": 7}


def test_zip_package_makes_a_package_the_host_can_check(listing_factory):
    archive = zip_package(listing_factory(base_manifest(sku="ZIPPED")), top_folder=True)
    run = run_checks(archive, builtins=False)
    run.assert_no_findings()
    assert run.result.sku == "ZIPPED"


def test_run_cli_captures_a_rules_docs_page():
    result = run_cli("rules", "LG001", "--no-entrypoints")
    assert result.exit_code == 0
    assert "## How to fix" in result.stdout


def test_run_cli_returns_exit_2_for_an_unknown_rule():
    result = run_cli("rules", "NOPE999", "--no-entrypoints")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "no rule 'NOPE999'" in result.stderr


def test_missing_doc_sections_names_each_empty_section():
    rule = Rule("DEMO001", "demo", Severity.ERROR, "A demo rule.", what="checks", fix=" ")
    assert missing_doc_sections(rule) == ["Why it matters", "Example", "How to fix"]


def test_assert_rules_documented_lists_every_incomplete_rule():
    rules = [
        Rule("DEMO001", "a", Severity.ERROR, "A.", "w", "y", "e", "f"),
        Rule("DEMO002", "b", Severity.ERROR, "", "w", "y", "e", "f"),
    ]
    with pytest.raises(AssertionError, match="DEMO002: summary"):
        assert_rules_documented(rules)
