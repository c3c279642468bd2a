"""The command line: exit statuses, formats, and the commands of SPEC §5."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from listguard.cli import main
from listguard.jsonschemas import load_schema, schema_validator
from listguard.testing import base_manifest

from plugins_for_tests import Reporting

AS_OF = ["--as-of", "2026-11-22"]
CORE_ONLY = ["-p", "no:watermark", "-p", "no:certificates", "-p", "no:manuals",
             "-p", "no:video", "-p", "no:listing", "--no-entrypoints"]  # fmt: skip


def check(capsys, *args):
    status = main(["check", *args, *AS_OF, *CORE_ONLY])
    out, err = capsys.readouterr()
    return status, out, err


def test_clean_package_exits_0(listing_factory, capsys):
    status, out, _ = check(capsys, str(listing_factory()), "--jobs", "0")
    assert status == 0
    assert "PASS" in out


def test_error_finding_exits_1(listing_factory, capsys):
    package = listing_factory(base_manifest(manuals=[{"file": "missing.pdf"}]))
    status, out, _ = check(capsys, str(package), "--jobs", "0")
    assert status == 1
    assert "FAIL" in out and "LG003" in out


def test_fail_on_never_exits_0_despite_errors(listing_factory, capsys):
    package = listing_factory(base_manifest(manuals=[{"file": "missing.pdf"}]))
    status, _, _ = check(capsys, str(package), "--jobs", "0", "--fail-on", "never")
    assert status == 0


def test_fail_on_warning_exits_1_for_a_warning(listing_factory, tmp_path, capsys):
    config = tmp_path / "listguard.toml"
    config.write_text('[severity]\nLG003 = "warning"\n')
    package = listing_factory(base_manifest(manuals=[{"file": "missing.pdf"}]))
    args = (str(package), "--jobs", "0", "--config", str(config))
    assert check(capsys, *args)[0] == 0
    assert check(capsys, *args, "--fail-on", "warning")[0] == 1


def test_ignore_removes_findings_of_a_rule(listing_factory, capsys):
    package = listing_factory(base_manifest(manuals=[{"file": "missing.pdf"}]))
    status, out, _ = check(capsys, str(package), "--jobs", "0", "--ignore", "LG003")
    assert status == 0 and "LG003" not in out


def test_select_keeps_only_the_selected_prefix(listing_factory, capsys):
    package = listing_factory(base_manifest(manuals=[{"file": "missing.pdf"}]))
    status, _, _ = check(capsys, str(package), "--jobs", "0", "--select", "LG004")
    assert status == 0


def test_missing_path_exits_2_with_one_line(tmp_path, capsys):
    status, _, err = check(capsys, str(tmp_path / "nope"))
    assert status == 2
    assert err.startswith("listguard: error: no such file") and err.count("\n") == 1


def test_unknown_format_exits_2(listing_factory, capsys):
    status, _, err = check(capsys, str(listing_factory()), "--format", "nope")
    assert status == 2 and "unknown format" in err


def test_bad_as_of_date_exits_2(listing_factory, capsys):
    with pytest.raises(SystemExit) as info:
        main(["check", str(listing_factory()), "--as-of", "22/11/2026"])
    assert info.value.code == 2


def test_unreadable_brand_kit_exits_2(listing_factory, tmp_path, capsys):
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / "brandkit.json").write_text("{not json")
    status, _, err = check(capsys, str(listing_factory()), "--brand-kit", str(tmp_path / "kit"))
    assert status == 2 and "brand kit" in err and "not valid JSON" in err


def test_plugin_that_fails_to_import_exits_2_naming_it(listing_factory, capsys):
    status = main(["check", str(listing_factory()), "-p", "no_such_plugin_module"])
    err = capsys.readouterr().err
    assert status == 2
    assert "no_such_plugin_module" in err and err.count("\n") == 1


def test_json_output_file_validates_against_the_report_schema(listing_factory, tmp_path, capsys):
    good = listing_factory(name="good")
    bad = listing_factory(
        base_manifest(markets=[], images=[{"file": "../x.jpg", "role": "main"}]), name="bad"
    )
    out_file = tmp_path / "report.json"
    status, _, err = check(capsys, str(good), str(bad), "--format", "json", "-o", str(out_file))
    assert status == 1
    assert "report written to" in err
    report = json.loads(out_file.read_text())
    errors = list(schema_validator(load_schema("report")).iter_errors(report))
    assert errors == []
    assert [listing["status"] for listing in report["listings"]] == ["pass", "fail"]
    assert report["summary"]["fail"] == 1 and report["as_of"] == "2026-11-22"


def test_json_report_is_identical_across_runs_and_job_counts(listing_factory, capsys):
    paths = [str(listing_factory(base_manifest(manuals=[{"file": f"m{i}.pdf"}]), name=f"p{i}"))
             for i in range(3)]  # fmt: skip
    _, first, _ = check(capsys, *paths, "--format", "json", "--jobs", "0")
    _, second, _ = check(capsys, *paths, "--format", "json", "--jobs", "2")
    assert first == second


def test_rules_command_prints_one_rules_docs_page(capsys):
    assert main(["rules", "LG004", "--no-entrypoints"]) == 0
    out = capsys.readouterr().out
    for section in ("What it checks", "Why it matters", "Example", "How to fix"):
        assert f"## {section}" in out


def test_rules_command_unknown_code_exits_2(capsys):
    assert main(["rules", "XX999", "--no-entrypoints"]) == 2


def test_plugins_command_json_lists_hooks_and_rules(capsys):
    assert main(["plugins", "--format", "json", "--no-entrypoints"]) == 0
    plugins = {p["name"]: p for p in json.loads(capsys.readouterr().out)}
    assert "LG001" in plugins["core"]["rules"]
    assert "listguard_register_rules" in plugins["core"]["hooks"]


def test_schema_command_prints_the_listing_schema(capsys):
    assert main(["schema", "listing"]) == 0
    assert json.loads(capsys.readouterr().out)["title"].startswith("listguard listing")


def test_schema_command_unknown_name_exits_2(capsys):
    assert main(["schema", "nope"]) == 2


def test_version_does_not_import_heavy_libraries():
    code = (
        "import sys, listguard.cli\n"
        "try:\n    listguard.cli.main(['--version'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'cv2', 'pdfplumber', 'pypdfium2', 'jsonschema', 'lingua', 'numpy', 'PIL'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("[]")


def test_text_report_is_not_coloured_when_not_a_tty(listing_factory, capsys):
    _, out, _ = check(capsys, str(listing_factory()), "--jobs", "0")
    assert "\x1b[" not in out


def test_text_report_colours_with_color_always(listing_factory, capsys):
    _, out, _ = check(capsys, str(listing_factory()), "--jobs", "0", "--color", "always")
    assert "\x1b[1;32mPASS" in out


def test_reporting_plugin_object_findings_reach_the_json_report(listing_factory):
    from listguard.testing import run_checks

    report = run_checks(listing_factory(), plugins=[Reporting()], builtins=False).report
    finding = report["listings"][0]["findings"][0]
    assert finding["plugin"] == "reporting" and finding["severity"] == "warning"
    assert finding["docs"].endswith("RPT001")


def test_second_check_of_an_unchanged_package_reuses_the_cached_result(
    listing_factory, capsys, monkeypatch, tmp_path
):
    monkeypatch.setenv("LISTGUARD_CACHE_DIR", str(tmp_path / "cache"))
    package = str(listing_factory(base_manifest(manuals=[{"file": "missing.pdf"}])))
    _, first, _ = check(capsys, package, "--format", "json", "--jobs", "0")
    assert list((tmp_path / "cache").rglob("*.json"))
    _, second, _ = check(capsys, package, "--format", "json", "--jobs", "0")
    assert first == second


def test_no_cache_writes_no_cache_entry(listing_factory, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("LISTGUARD_CACHE_DIR", str(tmp_path / "cache"))
    check(capsys, str(listing_factory()), "--jobs", "0", "--no-cache")
    assert not (tmp_path / "cache").exists()


def test_list_formats_needs_no_path(capsys):
    assert main(["check", "--list-formats", "--no-entrypoints"]) == 0
    names = {line.split()[0] for line in capsys.readouterr().out.splitlines()}
    assert {"text", "json", "jsonl", "sarif", "junit", "github", "markdown", "html"} <= names


def test_check_without_a_path_exits_2(capsys):
    assert main(["check", "--no-entrypoints"]) == 2
    assert "no PATH given" in capsys.readouterr().err
