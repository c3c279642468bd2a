"""The html format: self-contained, escaped, light; rendered in headless Chromium."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from test_format_fixtures import AS_OF, catalog_run, render

from listguard.model import Finding, ListingResult, Location, RunInfo, Severity
from listguard.reporters.html import HtmlWriter, read_package_file, thumbnail
from listguard.testing import make_image

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

MANUAL_FACTS = {
    "manuals/manual.pdf": {
        "text": True,
        "pages": 12,
        "languages": {
            "es": {"pages": [1, 4], "chars": 5200},
            "fr": {"pages": [5, 8], "chars": 4900},
        },
        "models_seen": ["OV2301A1"],
    }
}
CERT_FACTS = {
    "certificates/ce.pdf": {
        "type": "CE",
        "kind": "declaration",
        "number": "DoC-123",
        "issued": "2025-01-10",
        "expires": "2026-10-01",
        "status": "expired",
    },
    "certificates/fcc.pdf": {
        "type": "FCC",
        "kind": "grant",
        "number": None,
        "issued": None,
        "expires": None,
        "status": "unknown",
    },
}


def _zip_package(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("pkg/listing.json", "{}")
        archive.writestr("pkg/images/main.png", make_image((400, 300), (200, 40, 40), "PNG"))
    return path


def _rich_listings(tmp_path: Path) -> list[ListingResult]:
    """Listings as the real plugins will report them (facts in the documented shape)."""
    zipped = _zip_package(tmp_path / "zipped.zip")
    shop = ListingResult(
        str(zipped),
        "Z-9",
        [
            Finding(
                "CERT002",
                "CE certificate DoC-123 expired on 2026-10-01",
                Severity.ERROR,
                plugin="certificates",
                location=Location(file="certificates/ce.pdf", page=1),
                docs="https://listguard.dev/rules/CERT002",
            )
        ],
        facts={
            "watermark": {
                "images/main.png": {
                    "width": 400,
                    "height": 300,
                    "watermark": {"found": False, "score": 0.12, "bbox": [0, 0, 0, 0]},
                    "asset": None,
                }
            },
            "manuals": MANUAL_FACTS,
            "certificates": CERT_FACTS,
        },
    )
    broken_dir = tmp_path / "broken"
    (broken_dir / "images").mkdir(parents=True)
    (broken_dir / "images" / "main.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    broken = ListingResult(
        str(broken_dir),
        "<script>alert(1)</script>",
        [
            Finding(
                "LG006",
                "images/main.jpg <img src=x onerror=alert(1)> cannot be decoded",
                Severity.ERROR,
                location=Location(file="images/main.jpg"),
            )
        ],
        facts={"watermark": {"images/main.jpg": {"width": 10, "height": 10, "watermark": None}}},
    )
    return [shop, broken]


def _page(tmp_path: Path) -> str:
    run = catalog_run(tmp_path)
    run.results.extend(_rich_listings(tmp_path))
    return render(run, HtmlWriter)


def test_page_needs_no_network(tmp_path: Path) -> None:
    page = _page(tmp_path)
    assert "default-src 'none'" in page
    assert not re.search(
        r'(src|href)="(https?:)?//', page.replace('href="https://listguard.dev', "")
    )
    assert "<link" not in page


def test_everything_from_packages_is_escaped(tmp_path: Path) -> None:
    page = _page(tmp_path)
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_thumbnails_are_small_jpegs_with_the_watermark_box(tmp_path: Path) -> None:
    page = _page(tmp_path)
    images = re.findall(
        r'<img src="data:image/jpeg;base64,([^"]+)" width="(\d+)" height="(\d+)"', page
    )
    assert len(images) == 2  # a-fail's main image, and the zipped package's PNG
    for data, width, height in images:
        assert max(int(width), int(height)) <= 256
        assert len(base64.b64decode(data)) < 40_000
    # the stand-in reported bbox [700, 800, 250, 150] on a 1000×1000 image
    assert 'class="box wm" style="left:70.00%;top:80.00%;width:25.00%;height:15.00%"' in page


def test_an_unreadable_image_is_named_not_shown(tmp_path: Path) -> None:
    page = _page(tmp_path)
    assert "image not readable" in page


def test_manual_coverage_and_certificates_are_shown(tmp_path: Path) -> None:
    page = _page(tmp_path)
    assert '<span class="lang">es</span> p.1–4, 5200 chars' in page
    assert '<span class="cert expired">expired</span>' in page
    assert "DoC-123" in page and "2026-10-01" in page


def test_zip_members_are_read_from_the_single_top_folder(tmp_path: Path) -> None:
    zipped = _zip_package(tmp_path / "p.zip")
    data = read_package_file(str(zipped), "images/main.png")
    assert data is not None and thumbnail(data) is not None


def test_paths_leaving_the_package_are_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret.jpg").write_bytes(make_image((10, 10)))
    (tmp_path / "pkg").mkdir()
    assert read_package_file(str(tmp_path / "pkg"), "../secret.jpg") is None


def test_thumbnail_keeps_the_original_size_for_boxes() -> None:
    encoded, tw, th, ow, oh = thumbnail(make_image((2000, 1000)))
    assert (ow, oh) == (2000, 1000) and (tw, th) == (256, 128)
    from PIL import Image

    assert Image.open(io.BytesIO(base64.b64decode(encoded))).format == "JPEG"


def test_a_big_catalog_stays_light(tmp_path: Path) -> None:
    image_dir = tmp_path / "p" / "images"
    image_dir.mkdir(parents=True)
    (image_dir / "main.jpg").write_bytes(make_image((1600, 1600), (90, 90, 90)))
    listings = [
        ListingResult(
            str(tmp_path / "p"),
            f"S-{i}",
            [
                Finding(
                    "WM004",
                    f"image {i} too small",
                    Severity.WARNING,
                    location=Location(file="images/main.jpg"),
                )
            ],
        )
        for i in range(150)
    ]
    stream = io.StringIO()
    from listguard.reporters.base import RenderOptions

    writer = HtmlWriter(stream, RenderOptions())
    writer.start(RunInfo("0", AS_OF, []))
    for listing in listings:
        writer.add(listing)
    from listguard.model import Summary

    writer.finish(Summary())
    assert len(stream.getvalue()) / len(listings) < 20_000  # bytes per package


# -- in a real browser ---------------------------------------------------------


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=90,
        env={**os.environ, "HOME": str(profile)},
    )


def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    binary = _chromium()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (scripts/install-system-deps.sh installs it)")
        pytest.skip("chromium is not installed")
    report = tmp_path / "report.html"
    report.write_text(_page(tmp_path), encoding="utf-8")
    url = report.as_uri() + "#all"  # unfold every package
    dom = _run_chromium(binary, tmp_path / "profile", "--dump-dom", url)
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert 'data-ready="1"' in html, "the inline script did not finish"
    assert re.search(r'id="js-errors"[^>]*data-count="0"', html), html[:3000]
    for light in ("fail", "warn", "pass"):
        assert 'class="pkg-row" data-target="pkg-' in html
        assert re.search(rf'<tr class="pkg-row" data-target="pkg-\d+" data-status="{light}"', html)
    assert 'page 2 says "100% safe, &lt;b&gt;guaranteed&lt;/b&gt;"' in html
    assert re.search(r'<details class="pkg" id="pkg-1"[^>]* open', html)
    assert '<img src="data:image/jpeg;base64,' in html
    assert "5 of 5 packages shown" in html

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "html-report.png"
    shot.unlink(missing_ok=True)
    result = _run_chromium(
        binary,
        tmp_path / "profile2",
        f"--screenshot={shot}",
        "--window-size=1280,1800",
        "--hide-scrollbars",
        url,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 10_000


def _busy_image(size: int = 1200) -> bytes:
    import random

    from PIL import Image

    rng = random.Random(3)
    noise = Image.frombytes("RGB", (300, 300), rng.randbytes(300 * 300 * 3))
    out = io.BytesIO()
    noise.resize((size, size)).save(out, format="JPEG", quality=90)
    return out.getvalue()


def test_a_busy_photo_is_stepped_down_to_the_thumbnail_budget() -> None:
    from listguard.reporters import html as html_format

    encoded, tw, th, _, _ = thumbnail(_busy_image())
    assert len(base64.b64decode(encoded)) <= html_format.THUMBNAIL_BYTES
    assert max(tw, th) <= 256


def test_past_the_page_budget_images_are_named_only(tmp_path: Path, monkeypatch) -> None:
    from listguard.reporters import html as html_format
    from listguard.reporters.base import RenderOptions

    monkeypatch.setattr(html_format, "PAGE_THUMBNAIL_BYTES", 1)
    (tmp_path / "p" / "images").mkdir(parents=True)
    (tmp_path / "p" / "images" / "a.jpg").write_bytes(make_image((300, 300)))
    listing = ListingResult(
        str(tmp_path / "p"),
        "S",
        [Finding("WM004", "small", Severity.WARNING, location=Location(file="images/a.jpg"))],
    )
    stream = io.StringIO()
    writer = HtmlWriter(stream, RenderOptions())
    writer.start(RunInfo("0", AS_OF, []))
    writer.add(listing)
    writer.add(listing)
    from listguard.model import Summary

    writer.finish(Summary())
    page = stream.getvalue()
    assert page.count("<img ") == 1
    assert "not shown: report size budget" in page


@pytest.mark.parametrize(
    "fragment, shown",
    [("rule=TST001", "1 of 5 packages shown"), ("status=fail", "3 of 5 packages shown")],
)
def test_filters_work_in_chromium(tmp_path: Path, fragment: str, shown: str) -> None:
    binary = _chromium()
    if binary is None:
        pytest.skip("chromium is not installed")
    report = tmp_path / "report.html"
    report.write_text(_page(tmp_path), encoding="utf-8")
    dom = _run_chromium(binary, tmp_path / "profile", "--dump-dom", f"{report.as_uri()}#{fragment}")
    assert shown in dom.stdout
    assert re.search(r'id="js-errors"[^>]*data-count="0"', dom.stdout)
