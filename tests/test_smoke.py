from listguard.testing import base_manifest, run_checks


def test_valid_manifest_without_files_passes_core_checks(listing_factory):
    package = listing_factory(base_manifest())
    run = run_checks(package, builtins=False)
    run.assert_findings({}, only=True)


def test_broken_json_is_lg001_with_line_and_column(listing_factory):
    package = listing_factory('{"sku": "A",}')
    run = run_checks(package, builtins=False)
    run.assert_findings({"LG001": 1}, only=True)
    assert run.findings[0].location.line == 1
