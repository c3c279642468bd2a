"""The host on hostile or odd packages: every problem is a finding, never a
crash, a hang or a silent pass; reports hold no local paths."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

import pytest

from listguard import Finding, Location, hookimpl
from listguard.sniff import sniff_bytes
from listguard.testing import base_manifest, run_checks, run_cli, write_package

KIT_FREE = {"builtins": False}  # only the host's own rules: fast, and all we test


# What is left in the temporary folder is checked: each test gets its own.
pytestmark = pytest.mark.usefixtures("private_tempdir")


def _zip(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members:
            zf.writestr(name, data)
    return path


def _manifest_bytes(**overrides: object) -> bytes:
    return json.dumps(base_manifest(**overrides)).encode()


def _listguard_tempdirs() -> set[str]:
    return {n for n in os.listdir(tempfile.gettempdir()) if n.startswith("listguard-")}


# -- #1 a manifest that is not an object --------------------------------------


@pytest.mark.parametrize("text", ["null", "[]", '"x"', "3", "true"])
def test_manifest_that_is_not_an_object_is_lg002(tmp_path, text):
    run = run_checks(write_package(tmp_path / "p", text), **KIT_FREE)
    assert run.codes() == {"LG002": 1}
    assert "must be a JSON object" in run.by_rule("LG002")[0].message


# -- #2 wrong-typed fields -----------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        {"images": ["x.jpg"]},
        {"images": "x.jpg"},
        {"manuals": 5},
        {"certificates": {"type": "CE"}},
        {"images": [{"file": "a.jpg", "role": 7}]},
    ],
)
def test_wrong_typed_manifest_fields_are_lg002_not_a_crash(listing_factory, overrides):
    run = run_checks(listing_factory(base_manifest(**overrides)), **KIT_FREE)
    assert run.codes()["LG002"] >= 1
    assert "LG900" not in run.codes()


@pytest.mark.parametrize("jobs", [0, 1])
def test_host_crash_after_loading_keeps_the_loading_findings(listing_factory, monkeypatch, jobs):
    def broken(package, manifest):
        raise RuntimeError("boom")

    monkeypatch.setattr("listguard.checks.resolve_references", broken)
    run = run_checks(listing_factory(base_manifest(markets=[])), jobs=jobs, **KIT_FREE)
    assert run.codes() == {"LG002": 1, "LG900": 1}


# -- #10 the same LG900 inline and in workers -----------------------------------


def test_host_crash_lg900_is_identical_inline_and_in_workers(listing_factory, monkeypatch):
    def broken(package, manifest):
        raise RuntimeError("boom")

    monkeypatch.setattr("listguard.checks.resolve_references", broken)
    package = listing_factory()
    inline = run_checks(package, jobs=0, **KIT_FREE).by_rule("LG900")
    worker = run_checks(package, jobs=1, **KIT_FREE).by_rule("LG900")
    assert [(f.message, f.evidence) for f in inline] == [(f.message, f.evidence) for f in worker]
    assert inline[0].evidence["hook"] == "check"


# -- #5 duplicate zip members --------------------------------------------------


def test_zip_with_a_member_stored_twice_is_refused(tmp_path):
    with pytest.warns(UserWarning, match="Duplicate name"):  # zipfile itself warns
        archive = _zip(
            tmp_path / "dup.zip",
            [("listing.json", b"{broken"), ("listing.json", _manifest_bytes())],
        )
    run = run_checks(archive, **KIT_FREE)
    assert run.codes() == {"LG005": 1}
    assert "stored twice" in run.by_rule("LG005")[0].message


def test_zip_members_differing_only_in_case_or_separator_are_refused(tmp_path):
    archive = _zip(
        tmp_path / "case.zip",
        [("listing.json", _manifest_bytes()), ("img/A.png", b"x"), ("IMG\\a.png", b"y")],
    )
    run = run_checks(archive, **KIT_FREE)
    assert run.codes() == {"LG005": 1}


# -- #8 file/folder clashes, long paths, loops, huge numbers, deep nesting -------


@pytest.mark.parametrize(
    "members",
    [
        [("listing.json", b"{}"), ("listing.json/inner", b"x")],
        [("images/a.jpg/", b""), ("images/a.jpg", b"x"), ("listing.json", b"{}")],
    ],
    ids=["file-then-dir", "dir-then-file"],
)
def test_zip_with_a_file_and_a_folder_of_one_name_is_refused_and_cleaned_up(tmp_path, members):
    before = _listguard_tempdirs()
    run = run_checks(_zip(tmp_path / "clash.zip", members), **KIT_FREE)
    assert run.codes() == {"LG005": 1}
    assert _listguard_tempdirs() <= before


def test_manifest_path_longer_than_the_os_allows_is_lg004(listing_factory):
    long = "a" * 300 + ".jpg"
    manifest = base_manifest(images=[{"file": long, "role": "main"}])
    run = run_checks(listing_factory(manifest), **KIT_FREE)
    assert run.codes() == {"LG004": 1}
    assert "longer than the file system allows" in run.by_rule("LG004")[0].message


def test_symlink_loop_is_lg004(listing_factory):
    package = listing_factory(base_manifest(images=[{"file": "loop.jpg", "role": "main"}]))
    os.symlink("loop.jpg", package / "loop.jpg")
    run = run_checks(package, **KIT_FREE)
    assert run.codes() == {"LG004": 1}
    assert "symbolic link loop" in run.by_rule("LG004")[0].message


def test_integer_beyond_the_digit_limit_is_lg001(tmp_path):
    text = json.dumps(base_manifest())[:-1] + ', "x-n": ' + "9" * 5000 + "}"
    run = run_checks(write_package(tmp_path / "p", text), **KIT_FREE)
    assert run.codes() == {"LG001": 1}


def test_nesting_too_deep_to_parse_is_lg001(tmp_path):
    text = json.dumps(base_manifest())[:-1] + ', "x-deep": ' + "[" * 100_000 + "]" * 100_000 + "}"
    run = run_checks(write_package(tmp_path / "p", text), **KIT_FREE)
    assert run.codes() == {"LG001": 1}


def test_nesting_too_deep_to_validate_is_lg002(listing_factory, monkeypatch):
    class Recursing:
        def iter_errors(self, instance):
            raise RecursionError("maximum recursion depth exceeded")
            yield

    # A plugin's recursive x- schema on a deep value: the validator runs out of stack.
    monkeypatch.setattr("listguard.manifest.schema_validator", lambda schema: Recursing())
    # Validators are built once per process: start from none, so this one is built.
    monkeypatch.setattr("listguard.manifest._VALIDATORS", {})
    (finding,) = run_checks(listing_factory(), **KIT_FREE).findings
    assert finding.rule == "LG002"
    assert "nested too deeply" in finding.message


def test_deep_but_parseable_nesting_is_no_crash(tmp_path):
    text = json.dumps(base_manifest())[:-1] + ', "x-deep": ' + "[" * 800 + "]" * 800 + "}"
    run = run_checks(write_package(tmp_path / "p", text), **KIT_FREE)
    assert "LG900" not in run.codes()


# -- #9 no temporary paths in messages ------------------------------------------


class PathQuoting:
    """Reports LG006 with the absolute path of each image, as an exception would."""

    PLUGIN_NAME = "pathquoting"

    @hookimpl
    def listguard_register_rules(self):
        return []

    @hookimpl
    def listguard_check_image(self, ctx, image):
        yield Finding(
            "LG006",
            f"cannot identify image file {str(image.path)!r}",
            location=Location(file=image.file),
            evidence={"path": str(image.path)},
        )


def test_absolute_paths_in_plugin_messages_become_package_relative(tmp_path):
    root = write_package(
        tmp_path / "p",
        base_manifest(images=[{"file": "images/main.png", "role": "main"}]),
        images={"images/main.png": (20, 20)},
    )
    archive = tmp_path / "p.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(root.rglob("*")):
            zf.write(path, path.relative_to(root).as_posix())
    (finding,) = run_checks(archive, plugins=[PathQuoting()], **KIT_FREE).by_rule("LG006")
    assert finding.message == "cannot identify image file 'images/main.png'"
    assert finding.evidence == {"path": "images/main.png"}


# -- #6 detail pages in other encodings -------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "<html><body>Café – déjà vu</body></html>".encode("cp1252"),
        "\ufeff<html><body>Grüße</body></html>".encode("utf-16-le"),
        "\ufeff<html><body>Grüße</body></html>".encode("utf-16-be"),
        ("<p>" + "Ünïcödé " * 200 + "</p>").encode("latin-1"),
    ],
    ids=["cp1252", "utf16le-bom", "utf16be-bom", "latin1-long"],
)
def test_detail_page_in_another_text_encoding_is_html(data):
    assert sniff_bytes(data[:1024]) == "html"


def test_binary_content_is_still_binary():
    assert sniff_bytes(bytes(range(256)) * 4) == "binary"


def test_cp1252_detail_page_is_not_lg006(listing_factory):
    page = "<html><body>Café</body></html>".encode("cp1252")
    package = listing_factory(base_manifest(detail_page="d.html"), {"d.html": page})
    assert run_checks(package, **KIT_FREE).codes() == {}


# -- #16 junk beside the package folder ---------------------------------------


def test_zip_package_folder_beside_mac_and_windows_junk_is_found(tmp_path):
    archive = _zip(
        tmp_path / "junk.zip",
        [
            ("pkg/listing.json", _manifest_bytes()),
            (".DS_Store", b"\0\0\0\1Bud1"),
            ("__MACOSX/pkg/._listing.json", b"\0\5\26\7"),
            ("Thumbs.db", b"x"),
        ],
    )
    assert run_checks(archive, **KIT_FREE).codes() == {}


# -- #17 FIFOs ------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_in_place_of_a_file_is_lg006_and_is_never_opened(listing_factory):
    package = listing_factory(base_manifest(images=[{"file": "main.jpg", "role": "main"}]))
    os.mkfifo(package / "main.jpg")  # opening it would block this test forever
    run = run_checks(package, **KIT_FREE)
    assert run.codes() == {"LG006": 1}
    assert "is not a regular file" in run.by_rule("LG006")[0].message


# -- #15 clearer LG002 ------------------------------------------------------------


def test_unknown_top_level_key_points_at_the_key(listing_factory):
    (finding,) = run_checks(listing_factory(base_manifest(colour="red")), **KIT_FREE).findings
    assert finding.location.pointer == "/colour"
    assert finding.message == "unknown key 'colour': only x- keys may be added"


def test_misspelt_image_role_is_reported_once(listing_factory):
    manifest = base_manifest(images=[{"file": "main.png", "role": "hero"}])
    package = listing_factory(manifest, images={"main.png": (10, 10)})
    (finding,) = run_checks(package, **KIT_FREE).findings
    assert finding.location.pointer == "/images/0/role"


def test_images_without_a_main_image_say_so(listing_factory):
    manifest = base_manifest(images=[{"file": "g.png", "role": "gallery"}])
    (finding,) = run_checks(
        listing_factory(manifest, images={"g.png": (10, 10)}), **KIT_FREE
    ).findings
    assert "at least one image with role 'main'" in finding.message


# -- #18 control characters in reports -------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_control_characters_from_the_manifest_are_escaped_in_reports(listing_factory, fmt):
    package = listing_factory(base_manifest(sku="A\x00B\x1b[31m", markets=[]))
    result = run_cli(
        "check",
        str(package),
        "--format",
        fmt,
        "--no-entrypoints",
        "--no-cache",
        "-q",
        "--jobs",
        "0",
        "--as-of",
        "2026-11-22",
    )
    assert "\x00" not in result.stdout and "\x1b" not in result.stdout
    assert "\\x00" in result.stdout


# -- #11 #12 #13 the command line -------------------------------------------------


def test_unwritable_output_is_one_error_line_and_exit_2(listing_factory, tmp_path):
    target = tmp_path / "missing" / "dir" / "out.json"
    result = run_cli(
        "check", str(listing_factory()), "--no-entrypoints", "-q", "--output", str(target)
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("listguard: error: cannot write")
    assert "Traceback" not in result.stderr


def test_unreachable_dask_scheduler_is_one_error_line_and_exit_2(listing_factory, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr("listguard.distributed.CONNECT_TIMEOUT", 1.0)
    result = run_cli(
        "check", str(listing_factory()), "--no-entrypoints", "-q", "--dask", "tcp://127.0.0.1:1"
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "cannot reach the Dask scheduler" in result.stderr


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule_code_on_the_command_line_is_exit_2(listing_factory, option):
    result = run_cli("check", str(listing_factory()), "--no-entrypoints", "-q", option, "NOPE")
    assert result.exit_code == 2
    assert "'NOPE'" in result.stderr


@pytest.mark.parametrize(
    "table",
    ['select = ["NOPE"]', 'ignore = ["ZZZ999"]', '[tool.listguard.severity]\nZZZ999 = "off"'],
)
def test_unknown_rule_code_in_the_configuration_is_exit_2(listing_factory, tmp_path, table):
    config = tmp_path / "pyproject.toml"
    if table.startswith("["):
        config.write_text(table + "\n")
    else:
        config.write_text("[tool.listguard]\n" + table + "\n")
    result = run_cli(
        "check", str(listing_factory()), "--no-entrypoints", "-q", "--config", str(config)
    )
    assert result.exit_code == 2
    assert "no loaded rule" in result.stderr


def test_unexpected_error_while_unzipping_still_removes_the_temp_dir(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr("listguard.package.extract_zip", broken)
    archive = _zip(tmp_path / "ok.zip", [("listing.json", _manifest_bytes())])
    before = _listguard_tempdirs()
    with pytest.raises(MemoryError):
        from listguard.package import open_package

        open_package(str(archive))
    assert _listguard_tempdirs() <= before


def test_host_crash_while_unzipping_is_lg900_not_a_lost_package(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("listguard.package.extract_zip", broken)
    archive = _zip(tmp_path / "ok.zip", [("listing.json", _manifest_bytes())])
    (finding,) = run_checks(archive, **KIT_FREE).findings
    assert finding.rule == "LG900"
