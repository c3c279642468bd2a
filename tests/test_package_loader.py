"""The package loader: folders, zips, and every way a path can leave the package."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import pytest

from listguard.archive import ArchiveLimits
from listguard.config import Config
from listguard.package import PackageNotFoundError, discover_packages, open_package
from listguard.testing import base_manifest, make_image, run_checks, write_package

# What is left in the temporary folder is checked: each test gets its own.
pytestmark = pytest.mark.usefixtures("private_tempdir")


def manifest_json(**overrides) -> str:
    import json

    return json.dumps(base_manifest(**overrides))


def make_zip(path: Path, members: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return path


def listguard_tempdirs() -> set[str]:
    return {p for p in os.listdir(tempfile.gettempdir()) if p.startswith("listguard-")}


def test_zipped_package_is_checked_like_a_folder(tmp_path):
    archive = make_zip(tmp_path / "pkg.zip", {"listing.json": manifest_json()})
    run_checks(archive, builtins=False).assert_findings({}, only=True)


def test_zip_whose_only_entry_is_the_package_folder_is_accepted(tmp_path):
    archive = make_zip(tmp_path / "pkg.zip", {"pkg/listing.json": manifest_json()})
    run_checks(archive, builtins=False).assert_findings({}, only=True)


def test_zip_slip_member_is_lg004_and_nothing_is_written_outside(tmp_path):
    escape_name = f"escaped-{os.getpid()}.txt"
    archive = make_zip(
        tmp_path / "evil.zip",
        {"listing.json": manifest_json(), f"../../{escape_name}": "owned"},
    )
    before = listguard_tempdirs()
    run = run_checks(archive, builtins=False)
    run.assert_findings({"LG004": 1}, only=True)
    assert "'..'" in run.findings[0].message
    for folder in (tmp_path, tmp_path.parent, Path(tempfile.gettempdir())):
        assert not (folder / escape_name).exists()
    assert listguard_tempdirs() == before  # the private extraction dir is removed


def test_absolute_zip_member_is_lg004(tmp_path):
    archive = make_zip(tmp_path / "abs.zip", {"listing.json": manifest_json(), "/etc/x": "x"})
    run_checks(archive, builtins=False).assert_findings({"LG004": 1}, only=True)


def test_symlink_zip_member_is_lg004_and_not_created(tmp_path):
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("listing.json", manifest_json())
        info = zipfile.ZipInfo("images/main.jpg")
        info.create_system = 3
        info.external_attr = (0o120777) << 16  # a symlink
        zf.writestr(info, "/etc/passwd")
    run_checks(archive, builtins=False).assert_findings({"LG004": 1}, only=True)


def test_zip_bomb_is_lg005(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("listing.json", manifest_json())
        zf.writestr("images/zeros.bin", b"\0" * (50 * 1024 * 1024))
    assert archive.stat().st_size < 200_000
    before = listguard_tempdirs()
    run = run_checks(archive, builtins=False)
    run.assert_findings({"LG005": 1}, only=True)
    assert "bomb" in run.findings[0].message
    assert listguard_tempdirs() == before


def test_archive_larger_than_the_limit_is_lg005(tmp_path):
    archive = make_zip(
        tmp_path / "big.zip", {"listing.json": manifest_json(), "a.bin": os.urandom(4096)}
    )
    limits = ArchiveLimits(max_total_size=2048)
    run = run_checks(archive, builtins=False, config=Config(archive=limits))
    run.assert_findings({"LG005": 1}, only=True)


def test_archive_with_too_many_members_is_lg005(tmp_path):
    members = {f"f{i}.txt": "x" for i in range(20)} | {"listing.json": manifest_json()}
    archive = make_zip(tmp_path / "many.zip", members)
    run = run_checks(archive, builtins=False, config=Config(archive=ArchiveLimits(max_members=10)))
    run.assert_findings({"LG005": 1}, only=True)


def test_nested_archive_is_lg005(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("x.txt", "x")
    archive = make_zip(
        tmp_path / "nested.zip",
        {"listing.json": manifest_json(), "docs/inner.dat": inner.getvalue()},
    )
    run = run_checks(archive, builtins=False)
    run.assert_findings({"LG005": 1}, only=True)
    assert "nested" in run.findings[0].message


def test_file_that_is_not_a_zip_is_lg006(tmp_path):
    fake = tmp_path / "pkg.zip"
    fake.write_bytes(b"this is not a zip")
    run_checks(fake, builtins=False).assert_findings({"LG006": 1}, only=True)


def test_manifest_path_with_dotdot_is_lg004(listing_factory):
    manifest = base_manifest(images=[{"file": "../outside.jpg", "role": "main"}])
    run = run_checks(listing_factory(manifest), builtins=False)
    run.assert_findings({"LG004": 1}, only=True)
    assert run.findings[0].location.pointer == "/images/0/file"


def test_absolute_manifest_path_is_lg004(listing_factory):
    manifest = base_manifest(detail_page="/etc/passwd")
    run_checks(listing_factory(manifest), builtins=False).assert_findings({"LG004": 1}, only=True)


def test_symlink_leaving_the_package_is_lg004_and_not_followed(tmp_path):
    secret = tmp_path / "secret.html"
    secret.write_text("<p>secret</p>")
    package = write_package(tmp_path / "pkg", base_manifest(detail_page="detail.html"))
    (package / "detail.html").symlink_to(secret)
    run = run_checks(package, builtins=False)
    run.assert_findings({"LG004": 1}, only=True)
    assert "symbolic link" in run.findings[0].message


def test_symlinked_manifest_is_lg004(tmp_path):
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(manifest_json())
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "listing.json").symlink_to(elsewhere)
    run_checks(package, builtins=False).assert_findings({"LG004": 1}, only=True)


def test_missing_referenced_file_is_lg003_pointing_at_the_manifest_field(listing_factory):
    manifest = base_manifest(manuals=[{"file": "manuals/manual.pdf"}])
    run = run_checks(listing_factory(manifest), builtins=False)
    run.assert_findings({"LG003": 1}, only=True)
    assert run.findings[0].location.pointer == "/manuals/0/file"
    assert run.findings[0].location.file == "manuals/manual.pdf"


def test_pdf_that_is_really_a_png_is_lg006(listing_factory):
    manifest = base_manifest(
        certificates=[
            {"type": "CE", "file": "certificates/ce.pdf", "number": "D-1", "issued": "2026-01-01"}
        ]
    )
    package = listing_factory(manifest, {"certificates/ce.pdf": make_image(fmt="PNG")})
    run = run_checks(package, builtins=False)
    run.assert_findings({"LG006": 1}, only=True)
    assert "content is png" in run.findings[0].message


def test_image_that_is_really_text_is_lg006(listing_factory):
    manifest = base_manifest(images=[{"file": "images/main.jpg", "role": "main"}])
    package = listing_factory(manifest, {"images/main.jpg": "not an image"})
    run_checks(package, builtins=False).assert_findings({"LG006": 1}, only=True)


def test_empty_file_is_lg006(listing_factory):
    manifest = base_manifest(images=[{"file": "images/main.jpg", "role": "main"}])
    package = listing_factory(manifest, {"images/main.jpg": b""})
    run = run_checks(package, builtins=False)
    run.assert_findings({"LG006": 1}, only=True)
    assert "empty" in run.findings[0].message


def test_folder_of_packages_is_discovered_in_name_order(tmp_path):
    for name in ("b-pkg", "a-pkg"):
        write_package(tmp_path / name, base_manifest())
    make_zip(tmp_path / "c.zip", {"listing.json": manifest_json()})
    (tmp_path / "notes").mkdir()  # not a package: ignored
    found = discover_packages([str(tmp_path)])
    assert [Path(p).name for p in found] == ["a-pkg", "b-pkg", "c.zip"]


def test_path_that_does_not_exist_raises_package_not_found(tmp_path):
    with pytest.raises(PackageNotFoundError):
        discover_packages([str(tmp_path / "nope")])


def test_extracted_zip_is_removed_on_close(tmp_path):
    archive = make_zip(tmp_path / "pkg.zip", {"listing.json": manifest_json()})
    package = open_package(str(archive))
    root = package.root
    assert root.is_dir()
    package.close()
    assert not root.exists()
