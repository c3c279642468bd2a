"""The watermark plugin (WM001–WM004) on small generated images.

The test brand kit (fictional brand "Orvina") is built once per session in a tmp
dir: a watermark template, official images carrying it, and ``brandkit.json``
with their pHashes (computed the same way ``listguard brandkit build`` does).
"""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFile, ImageFilter, ImageFont

import listguard.plugins.watermark as watermark
import listguard.plugins.watermark.analysis as watermark_analysis
from listguard.plugins.watermark.analysis import (
    analyse_image,
    asset_mark,
    image_phash,
    image_signature,
    kit_marks,
)
from listguard.plugins.watermark.matcher import Template
from listguard.plugins.watermark.phash import to_hex
from listguard.testing import base_manifest, run_checks

MODEL, OTHER_MODEL = "OV2301A1", "OV2302B1"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def make_mark(word: str = "ORVINA") -> Image.Image:
    """A 240×96 RGBA badge: dark strokes with a white halo, a word and a code."""
    mark = Image.new("RGBA", (240, 96), (0, 0, 0, 0))
    draw = ImageDraw.Draw(mark)
    ink, halo = (35, 35, 45, 255), (255, 255, 255, 255)
    draw.rounded_rectangle((3, 3, 236, 92), radius=18, outline=halo, width=7)
    draw.rounded_rectangle((4, 4, 235, 91), radius=17, outline=ink, width=4)
    big = ImageFont.truetype(str(FONT), 40) if FONT.exists() else ImageFont.load_default(40)
    small = ImageFont.truetype(str(FONT), 17) if FONT.exists() else ImageFont.load_default(17)
    draw.text((120, 38), word, font=big, fill=ink, anchor="mm", stroke_width=2, stroke_fill=halo)
    draw.text(
        (120, 72), "AC-7Q2K", font=small, fill=ink, anchor="mm", stroke_width=2, stroke_fill=halo
    )
    return mark


def scene(seed: int, size: int = 800) -> Image.Image:
    """A distinct photo-like scene: a smooth colour field with blobs."""
    rng = np.random.default_rng(seed)
    field = rng.integers(0, 255, (6, 6, 3)).astype("uint8")
    image = Image.fromarray(field, "RGB").resize((size, size), Image.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(8):
        x, y, r = [*rng.integers(0, size, 2).tolist(), int(rng.integers(size // 20, size // 5))]
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.integers(20, 235, 3).tolist()))
    return image.filter(ImageFilter.GaussianBlur(2))


def with_mark(
    image: Image.Image,
    scale: float = 1.0,
    opacity: float = 0.8,
    word: str = "ORVINA",
    where: tuple[int, int] = (520, 680),
) -> Image.Image:
    mark = make_mark(word)
    size = (
        round(mark.width * scale * image.width / 1000),
        round(mark.height * scale * image.width / 1000),
    )
    mark = mark.resize(size, Image.LANCZOS)
    mark.putalpha(mark.getchannel("A").point(lambda a: int(a * opacity)))
    out = image.convert("RGBA")
    out.alpha_composite(mark, where)
    return out.convert("RGB")


def encode(
    image: Image.Image, fmt: str = "JPEG", quality: int = 80, size: int | None = None
) -> bytes:
    if size:
        image = image.resize((size, size), Image.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **({"quality": quality} if fmt == "JPEG" else {}))
    return buffer.getvalue()


OFFICIAL = {
    "OV2301A1-01": (MODEL, 11),
    "OV2301A1-02": (MODEL, 12),
    "OV2302B1-01": (OTHER_MODEL, 21),
}


def build_kit(
    root: Path,
    *,
    template: bool = True,
    assets: bool = True,
    signatures: bool = True,
    marks: bool = True,
) -> Path:
    """An Orvina brand kit in ``root``: watermark.png, official/*.png, brandkit.json
    (assets with their finer signature and the place of their mark, as ``brandkit
    build`` writes them, unless ``signatures`` is false: a kit with the SPEC's
    64-bit pHash only; or ``marks`` is false: every image is searched whole)."""
    (root / "official").mkdir(parents=True)
    make_mark().save(root / "watermark.png")
    prepared = Template(np.asarray(make_mark(), dtype=np.uint8))
    entries = []
    for asset_id, (model, seed) in OFFICIAL.items():
        path = root / "official" / f"{asset_id}.png"
        with_mark(scene(seed)).save(path)
        entry: dict = {"id": asset_id, "model": model, "phash": to_hex(image_phash(path))}
        if signatures:
            entry["signature"] = image_signature(path).to_json()
        if marks:
            entry["mark"] = asset_mark(path, prepared)[1]
        entries.append(entry)
    data = {
        "brand": "Orvina",
        "models": {MODEL: {"name": "Orvina Speaker S1"}, OTHER_MODEL: {"name": "Orvina Lamp"}},
    }
    if template:
        data["watermark"] = {"template": "watermark.png"}
    if assets:
        data["assets"] = entries
    (root / "brandkit.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_kit(tmp_path_factory.mktemp("kit"))


def official(asset_id: str) -> Image.Image:
    _model, seed = OFFICIAL[asset_id]
    return with_mark(scene(seed))


def check(
    listing_factory,
    image: bytes,
    kit: Path | None,
    name: str = "images/main.jpg",
    options: dict | None = None,
    **manifest,
):
    package = listing_factory(
        base_manifest(images=[{"file": name, "role": "main"}], **manifest), {name: image}
    )
    return run_checks(
        package,
        plugins=[watermark],
        builtins=False,
        brand_kit=kit,
        options={"watermark": options} if options else None,
    )


WM = ("WM001", "WM002", "WM003", "WM004")


def counts(run) -> dict[str, int]:
    return {code: len(run.by_rule(code)) for code in (*WM, "LG006")}


def test_reencoded_resized_official_asset_passes(listing_factory, kit):
    image = encode(official("OV2301A1-01"), quality=60, size=900)
    run = check(listing_factory, image, kit)
    run.assert_findings({}, only=True)


def test_official_asset_cropped_two_percent_still_matches(listing_factory, kit):
    cropped = official("OV2301A1-02").crop((8, 8, 792, 792)).resize((800, 800))
    run = check(listing_factory, encode(cropped), kit)
    run.assert_findings({}, only=True)


def test_image_without_the_mark_is_wm001(listing_factory, kit):
    run = check(listing_factory, encode(scene(11)), kit)
    assert counts(run)["WM001"] == 1
    evidence = run.by_rule("WM001")[0].evidence
    assert evidence["score"] < evidence["threshold"] and len(evidence["bbox"]) == 4


def test_lookalike_mark_with_other_text_is_wm001(listing_factory, kit):
    run = check(listing_factory, encode(with_mark(scene(11), word="NOVARI")), kit)
    assert counts(run)["WM001"] == 1


def test_mark_pasted_on_a_foreign_photo_is_wm002_only(listing_factory, kit):
    counterfeit = with_mark(scene(99), scale=0.8, opacity=0.6, where=(80, 90))
    run = check(listing_factory, encode(counterfeit), kit)
    run.assert_findings({"WM002": 1}, only=True)
    evidence = run.by_rule("WM002")[0].evidence
    assert evidence["distance"] > evidence["threshold"]


def test_found_mark_is_reported_with_its_box_as_a_fact(listing_factory, kit):
    counterfeit = with_mark(scene(99), scale=0.8, opacity=0.6, where=(80, 90))
    run = check(listing_factory, encode(counterfeit), kit)
    fact = run.result.facts["watermark"]["images/main.jpg"]
    x, y, w, _h = fact["watermark"]["bbox"]
    assert fact["watermark"]["found"] and abs(x - 80) <= 6 and abs(y - 90) <= 6
    assert abs(w - 240 * 0.8 * 0.8) <= 12 and fact["asset"] is None


def product_shot(body: tuple[int, int, int], size: int = 800) -> Image.Image:
    """A rounded box of colour ``body`` on a white studio background."""
    image = Image.new("RGB", (size, size), (250, 250, 250))
    ImageDraw.Draw(image).rounded_rectangle((240, 200, 560, 620), radius=50, fill=body)
    return image.filter(ImageFilter.GaussianBlur(1))


def test_foreign_product_shot_with_a_near_64_bit_phash_fails_on_its_signature(
    listing_factory, tmp_path
):
    # Red and green of the same grey: the 64-bit grey pHash cannot tell them apart.
    kit = build_kit(tmp_path / "kit")
    path = kit / "official" / "OV2301A1-09.png"
    with_mark(product_shot((200, 60, 60))).save(path)
    data = json.loads((kit / "brandkit.json").read_text())
    data["assets"].append(
        {
            "id": "OV2301A1-09",
            "model": MODEL,
            "phash": to_hex(image_phash(path)),
            "signature": image_signature(path).to_json(),
        }
    )
    (kit / "brandkit.json").write_text(json.dumps(data))
    foreign = with_mark(product_shot((60, 120, 20)))
    run = check(listing_factory, encode(foreign), kit)
    run.assert_findings({"WM002": 1}, only=True)
    evidence = run.by_rule("WM002")[0].evidence
    assert evidence["nearest"] == "OV2301A1-09" and evidence["distance"] <= 8
    assert evidence["stage"] == "signature"
    assert evidence["colour_distance"] > evidence["colour_threshold"]
    official_run = check(listing_factory, encode(Image.open(path), quality=60, size=700), kit)
    assert counts(official_run)["WM002"] == 0


def test_kit_without_signatures_matches_by_64_bit_phash_and_says_so(listing_factory, tmp_path):
    legacy = build_kit(tmp_path / "legacy", signatures=False)
    image = encode(official("OV2302B1-01"))
    run = check(listing_factory, image, legacy)
    run.assert_findings({"WM003": 1}, only=True)
    evidence = run.by_rule("WM003")[0].evidence
    assert evidence["stage"] == "phash64" and "64-bit pHash alone" in evidence["note"]


def test_signature_stage_is_in_the_evidence(listing_factory, kit):
    run = check(listing_factory, encode(official("OV2302B1-01")), kit)
    evidence = run.by_rule("WM003")[0].evidence
    assert (
        evidence["stage"] == "signature" and evidence["fine_distance"] <= evidence["fine_threshold"]
    )
    assert evidence["candidates"][0]["id"] == "OV2302B1-01"


def test_official_asset_of_another_model_is_wm003(listing_factory, kit):
    run = check(listing_factory, encode(official("OV2302B1-01")), kit)
    run.assert_findings({"WM003": 1}, only=True)
    assert run.by_rule("WM003")[0].evidence["nearest"] == "OV2302B1-01"


def test_small_main_image_is_wm004(listing_factory, kit):
    run = check(listing_factory, encode(official("OV2301A1-01"), size=640), kit)
    assert counts(run)["WM004"] == 1


def test_non_square_main_image_is_wm004(listing_factory, kit):
    wide = official("OV2301A1-01").resize((1000, 900))
    assert counts(check(listing_factory, encode(wide), kit))["WM004"] == 1


def test_one_percent_off_square_is_tolerated(listing_factory, kit):
    nearly = official("OV2301A1-01").resize((1000, 992))
    assert counts(check(listing_factory, encode(nearly), kit))["WM004"] == 0


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width``×``height`` (the data is a stub)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_png_bomb_is_lg006_without_decoding(listing_factory, kit, monkeypatch):
    def no_decoding(self):
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    run = check(listing_factory, png_declaring(40000, 40000), kit, name="images/main.png")
    run.assert_findings({"LG006": 1}, only=True)
    assert "40000×40000" in run.findings[0].message


def test_max_pixels_option_lowers_the_limit(listing_factory, kit):
    run = check(listing_factory, encode(official("OV2301A1-01")), kit, options={"max-pixels": 1000})
    run.assert_findings({"LG006": 1}, only=True)


def test_truncated_jpeg_is_lg006(listing_factory, kit):
    data = encode(official("OV2301A1-01"))
    run = check(listing_factory, data[: len(data) // 2], kit)
    run.assert_findings({"LG006": 1}, only=True)


def test_without_brand_kit_wm001_and_wm002_say_they_could_not_verify(listing_factory):
    run = check(listing_factory, encode(official("OV2301A1-01")), None)
    run.assert_findings({"WM001": 1, "WM002": 1}, only=True)
    assert all("could not be verified" in f.message for f in run.findings)


def test_kit_without_assets_cannot_verify_wm002_but_still_finds_the_mark(listing_factory, tmp_path):
    bare = build_kit(tmp_path / "bare", assets=False)
    run = check(listing_factory, encode(official("OV2301A1-01")), bare)
    run.assert_findings({"WM002": 1}, only=True)
    assert "no official assets" in run.findings[0].message


def test_kit_without_template_cannot_verify_wm001(listing_factory, tmp_path):
    bare = build_kit(tmp_path / "bare", template=False)
    run = check(listing_factory, encode(official("OV2301A1-01")), bare)
    run.assert_findings({"WM001": 1}, only=True)
    assert "no watermark template" in run.findings[0].message


def test_gallery_images_are_not_checked(listing_factory, kit):
    package = listing_factory(
        base_manifest(
            images=[{"file": "a.jpg", "role": "main"}, {"file": "b.jpg", "role": "gallery"}]
        ),
        {"a.jpg": encode(official("OV2301A1-01")), "b.jpg": encode(scene(5), size=300)},
    )
    run_checks(package, plugins=[watermark], builtins=False, brand_kit=kit).assert_findings(
        {}, only=True
    )


def test_analysis_is_json_serialisable_with_hash_and_match(kit):
    from listguard.brandkit import load_brand_kit

    path = kit / "official" / "OV2301A1-01.png"
    data = analyse_image(path, load_brand_kit(kit)).to_dict()
    assert json.loads(json.dumps(data))["asset"]["id"] == "OV2301A1-01"
    assert data["asset"]["distance"] == 0 and data["watermark"]["found"]


def test_plugin_runs_opencv_single_threaded():
    # The host runs one worker process per core: intra-op threads would contend.
    import cv2

    assert watermark.PLUGIN_NAME == "watermark" and cv2.getNumThreads() == 1


def test_truncated_gallery_image_is_lg006(listing_factory, kit):
    package = listing_factory(
        base_manifest(
            images=[{"file": "a.jpg", "role": "main"}, {"file": "b.jpg", "role": "gallery"}]
        ),
        {"a.jpg": encode(official("OV2301A1-01")), "b.jpg": encode(scene(5), size=300)[:200]},
    )
    run = run_checks(package, plugins=[watermark], builtins=False, brand_kit=kit)
    run.assert_findings({"LG006": 1}, only=True)
    assert run.findings[0].location.file == "b.jpg"


@pytest.mark.parametrize("colour", [(0, 0, 0), (255, 255, 255), (250, 250, 250)])
def test_single_colour_main_image_is_wm001_and_wm002_not_a_crash(listing_factory, kit, colour):
    flat = Image.new("RGB", (1000, 1000), colour)
    run = check(listing_factory, encode(flat), kit)
    assert run.codes()["LG900"] == 0
    assert run.codes()["WM001"] == 1 and run.codes()["WM002"] == 1


# --- the mark looked for where the matched official asset has it ------------------


def located(run) -> str:
    return run.result.facts["watermark"]["images/main.jpg"]["watermark"]["located"]


def test_official_asset_copy_is_verified_at_the_assets_mark_place(listing_factory, kit):
    run = check(listing_factory, encode(official("OV2301A1-01"), quality=60, size=900), kit)
    run.assert_findings({}, only=True)
    assert located(run) == "asset"


def test_official_asset_with_its_mark_removed_is_wm001_after_a_whole_search(
    listing_factory, kit, monkeypatch
):
    # The unmarked photo still matches its asset (the mark is small), so the mark
    # is looked for at the asset's place first; not found there, the whole image
    # is searched, and WM001 stands.
    tried = []
    real = watermark_analysis.find_mark_at
    monkeypatch.setattr(
        watermark_analysis, "find_mark_at", lambda *a, **k: tried.append(1) or real(*a, **k)
    )
    run = check(listing_factory, encode(scene(11)), kit)
    run.assert_findings({"WM001": 1}, only=True)
    assert tried == [1] and run.by_rule("WM001")[0].evidence["located"] == "search"


def test_mark_moved_from_the_assets_place_is_still_found_by_the_search(listing_factory, kit):
    moved = with_mark(scene(11), where=(60, 70))  # the asset has it at (520, 680)
    run = check(listing_factory, encode(moved), kit)
    assert counts(run)["WM001"] == 0
    assert located(run) == "search"


def test_kit_without_mark_places_searches_the_whole_image(listing_factory, tmp_path):
    kit = build_kit(tmp_path / "kit", marks=False)
    run = check(listing_factory, encode(official("OV2301A1-01")), kit)
    run.assert_findings({}, only=True)
    assert located(run) == "search"


def test_asset_mark_records_the_marks_scale_and_corner(kit):
    result, entry = asset_mark(kit / "official" / "OV2301A1-01.png", Template(
        np.asarray(make_mark(), dtype=np.uint8)
    ))  # fmt: skip
    assert result.found and entry["version"] == 1
    assert abs(entry["scale"] - 1.0) < 0.05
    assert abs(entry["at"][0] - 520 / 800) < 0.01 and abs(entry["at"][1] - 680 / 800) < 0.01


def test_malformed_or_unknown_mark_places_are_ignored(tmp_path):
    from listguard.brandkit import load_brand_kit

    root = build_kit(tmp_path / "kit")
    data = json.loads((root / "brandkit.json").read_text())
    data["assets"][0]["mark"] = {"version": 1, "scale": "big", "at": [0.1]}
    data["assets"][1]["mark"] = {"version": 99, "scale": 1.0, "at": [0.1, 0.2]}
    (root / "brandkit.json").write_text(json.dumps(data))
    marks = kit_marks(load_brand_kit(root))
    assert sorted(marks) == [data["assets"][2]["id"]]


@pytest.mark.parametrize(
    "mark",
    [
        {"version": 1, "scale": 10**400, "at": [0.1, 0.2]},  # too large for a float
        {"version": 1, "scale": 1.0, "at": [10**400, 0.2]},
        {"version": 1, "scale": float("nan"), "at": [0.1, 0.2]},
        {"version": 1, "scale": 1.0, "at": [1.5, 0.2]},
        {"version": 1, "scale": 50.0, "at": [0.1, 0.2]},
        {"version": 1, "scale": 1.0, "at": "0.1,0.2"},
        {"version": 1, "scale": 1.0, "at": None},
    ],
)
def test_unusable_mark_places_are_ignored_and_the_image_searched(listing_factory, tmp_path, mark):
    root = build_kit(tmp_path / "kit")
    data = json.loads((root / "brandkit.json").read_text())
    data["assets"][0]["mark"] = mark  # OV2301A1-01
    (root / "brandkit.json").write_text(json.dumps(data))
    run = check(listing_factory, encode(official("OV2301A1-01")), root)
    run.assert_findings({}, only=True)
    assert located(run) == "search"


def test_wm001_on_a_copy_of_an_asset_with_a_faint_mark_says_the_asset_is_at_fault(
    listing_factory, tmp_path
):
    root = build_kit(tmp_path / "kit")
    data = json.loads((root / "brandkit.json").read_text())
    data["assets"][0]["mark"]["score"] = 0.41  # OV2301A1-01, as build measured it
    (root / "brandkit.json").write_text(json.dumps(data))
    run = check(listing_factory, encode(scene(11)), root)  # its photo, no mark
    (finding,) = run.by_rule("WM001")
    assert finding.evidence["asset_mark_score"] == 0.41
    assert "OV2301A1-01 itself carries a mark too faint" in str(finding.hint)


def test_wm001_on_a_well_marked_assets_photo_without_its_mark_says_it_was_removed(
    listing_factory, kit
):
    (finding,) = check(listing_factory, encode(scene(11)), kit).by_rule("WM001")
    assert finding.evidence["asset_mark_score"] >= finding.evidence["threshold"]
    assert "the mark looks removed, covered, replaced or blurred" in str(finding.hint)


def test_wm001_on_a_foreign_image_asks_for_the_intact_official_image(listing_factory, kit):
    (finding,) = check(listing_factory, encode(scene(99)), kit).by_rule("WM001")
    assert "watermark intact" in str(finding.hint)


def test_wm001_on_a_copy_of_an_asset_whose_mark_is_near_the_threshold_says_so(
    listing_factory, tmp_path
):
    root = build_kit(tmp_path / "kit")
    data = json.loads((root / "brandkit.json").read_text())
    data["assets"][0]["mark"]["score"] = 0.66  # OV2301A1-01: within 0.1 of the threshold
    del data["assets"][0]["mark"]["window"]  # no window to compare: the asset's mark is blamed
    (root / "brandkit.json").write_text(json.dumps(data))
    (finding,) = check(listing_factory, encode(scene(11)), root).by_rule("WM001")
    assert "OV2301A1-01's own mark is faint" in str(finding.hint)


# --- the asset's mark amplitude: evidence, not a verdict ----------------------------


def test_copy_of_an_asset_holds_about_all_of_its_mark_amplitude(listing_factory, kit):
    run = check(listing_factory, encode(official("OV2301A1-01"), quality=60, size=900), kit)
    fact = run.result.facts["watermark"]["images/main.jpg"]["watermark"]
    assert fact["located"] == "asset" and 0.75 <= fact["asset_amplitude"] <= 1.3


def test_lookalike_badge_swapped_in_on_the_assets_photo_is_wm001(listing_factory, kit):
    # The asset's own photo (it matches the asset), its mark replaced by a bolder
    # look-alike: the badge holds much of the asset's mark amplitude (strength,
    # not shape), which must not make it pass.
    swapped = with_mark(scene(11), word="NOVARI", opacity=1.0)
    run = check(listing_factory, encode(swapped), kit)
    run.assert_findings({"WM001": 1}, only=True)


@pytest.mark.parametrize("amplitude", [[0.001, 0.0], [1e-150, 0.0], ["x", 1], [0.0, 0.0]])
def test_implausible_recorded_amplitudes_are_no_amplitude(listing_factory, tmp_path, amplitude):
    root = build_kit(tmp_path / "kit")
    data = json.loads((root / "brandkit.json").read_text())
    data["assets"][0]["mark"]["amplitude"] = amplitude  # OV2301A1-01
    (root / "brandkit.json").write_text(json.dumps(data))
    run = check(listing_factory, encode(official("OV2301A1-01")), root)
    run.assert_findings({}, only=True)
    assert run.result.facts["watermark"]["images/main.jpg"]["watermark"]["asset_amplitude"] is None


def test_no_amplitude_share_against_an_asset_whose_own_mark_was_not_verified(
    listing_factory, tmp_path
):
    root = build_kit(tmp_path / "kit")
    data = json.loads((root / "brandkit.json").read_text())
    data["assets"][0]["mark"]["score"] = 0.55  # OV2301A1-01: under the threshold
    (root / "brandkit.json").write_text(json.dumps(data))
    run = check(listing_factory, encode(official("OV2301A1-01")), root)
    assert run.result.facts["watermark"]["images/main.jpg"]["watermark"]["asset_amplitude"] is None


# --- a copy whose mark scores under the threshold: the window round it ------------

STRICT = {"match-threshold": 0.99}  # no copy's mark scores this: the window decides


def kit_verified_at(tmp_path: Path, score: float = 1.0, window=None) -> Path:
    """The test kit with OV2301A1-01's recorded mark score set to ``score`` (1.0:
    verified even at the strict threshold) and, if given, its window replaced."""
    root = build_kit(tmp_path / "kit")
    data = json.loads((root / "brandkit.json").read_text())
    data["assets"][0]["mark"]["score"] = score
    if window is not None:
        data["assets"][0]["mark"]["window"] = window
    (root / "brandkit.json").write_text(json.dumps(data))
    return root


def mark_fact(run) -> dict:
    return run.result.facts["watermark"]["images/main.jpg"]["watermark"]


def test_copy_of_a_verified_asset_under_the_threshold_is_found_by_its_window(
    listing_factory, tmp_path
):
    root = kit_verified_at(tmp_path)
    image = encode(official("OV2301A1-01"), quality=50, size=560)
    run = check(listing_factory, image, root, options=STRICT)
    run.assert_findings({"WM004": 1}, only=True)  # small, but no WM001
    fact = mark_fact(run)
    assert fact["found"] and fact["score"] < 0.99
    assert fact["located"] == "asset-copy" and fact["asset_copy"]["same"]


def test_assets_photo_with_its_mark_removed_is_not_a_copy(listing_factory, tmp_path):
    root = kit_verified_at(tmp_path)
    run = check(listing_factory, encode(scene(11)), root, options=STRICT)
    (finding,) = run.by_rule("WM001")
    copy = finding.evidence["asset_copy"]
    assert not copy["same"] and copy["mark_change"] < -0.5
    assert "matches the official asset OV2301A1-01, but the area round the mark is not" in str(
        finding.hint
    )


def test_lookalike_badge_swapped_in_on_the_assets_photo_is_not_a_copy(listing_factory, tmp_path):
    root = kit_verified_at(tmp_path)
    swapped = with_mark(scene(11), word="NOVARI")  # as strong as the asset's own mark
    run = check(listing_factory, encode(swapped), root, options=STRICT)
    (finding,) = run.by_rule("WM001")
    assert not finding.evidence["asset_copy"]["same"]


def test_no_window_test_for_an_asset_whose_own_mark_was_not_verified(listing_factory, tmp_path):
    root = kit_verified_at(tmp_path, score=0.9)  # under the strict threshold
    run = check(listing_factory, encode(official("OV2301A1-01")), root, options=STRICT)
    (finding,) = run.by_rule("WM001")
    assert finding.evidence["asset_copy"] is None


def png_base64(image: Image.Image, fmt: str = "PNG") -> str:
    import base64

    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.mark.parametrize(
    "window",
    [
        {"version": 1, "png": "not base64!"},
        {"version": 1, "png": 42},
        {"version": 2, "png": ""},
        "a string",
        {"version": 1, "png": png_base64(Image.new("L", (10, 10)))},  # not this template's size
        {"version": 1, "png": png_base64(Image.new("L", (80, 41)), "JPEG")},
        {"version": 1, "png": __import__("base64").b64encode(png_declaring(40000, 40000)).decode()},
    ],
)
def test_unusable_stored_windows_are_ignored(listing_factory, tmp_path, window):
    root = kit_verified_at(tmp_path, window=window)
    run = check(listing_factory, encode(official("OV2301A1-01")), root, options=STRICT)
    run.assert_findings({"WM001": 1}, only=True)
    assert run.by_rule("WM001")[0].evidence["asset_copy"] is None


def test_asset_mark_stores_the_window_round_the_mark(kit):
    from listguard.plugins.watermark.window import MARGIN, MARK_WIDTH, decode

    prepared = Template(np.asarray(make_mark(), dtype=np.uint8))
    _, entry = asset_mark(kit / "official" / "OV2301A1-01.png", prepared)
    window = decode(entry["window"]["png"], prepared)
    assert entry["window"]["version"] == 1 and window is not None
    # The mark MARK_WIDTH px wide and a margin round it.
    assert window.shape[1] == round(MARK_WIDTH * (1 + 2 * MARGIN))


# --- the mark's inside: a look-alike badge or a frame alone is not the mark ---------


def without_its_word(image: Image.Image) -> Image.Image:
    """``image`` with the badge, frame and code but no word, where the mark goes."""
    return with_mark(image, scale=0.5, opacity=0.9, word="", where=(300, 400))


def test_genuine_mark_has_its_inside_at_least_as_strong_as_its_outline(kit):
    path = kit / "official" / "OV2301A1-01.png"
    from listguard.brandkit import load_brand_kit

    analysis = analyse_image(path, load_brand_kit(kit))
    assert analysis.watermark is not None and analysis.watermark.inner >= 0.8


def test_badge_without_its_word_is_wm001_however_well_it_scores(listing_factory, kit):
    run = check(listing_factory, encode(without_its_word(scene(99))), kit)
    (finding,) = run.by_rule("WM001")
    assert finding.evidence["score"] >= finding.evidence["threshold"]
    assert finding.evidence["inner"] < finding.evidence["inner_threshold"]
    assert "a badge like the official watermark, but not its word and code" in finding.message


def test_lookalike_badge_scoring_over_the_threshold_is_wm001_by_its_inside(listing_factory, kit):
    studio = Image.new("RGB", (800, 800), (245, 245, 245))
    lookalike = with_mark(studio, scale=0.5, opacity=0.9, word="NOVARI", where=(300, 400))
    (finding,) = check(listing_factory, encode(lookalike), kit).by_rule("WM001")
    assert finding.evidence["score"] >= finding.evidence["threshold"]
    assert finding.evidence["inner"] < finding.evidence["inner_threshold"]


def test_inner_threshold_option_is_the_gate(listing_factory, kit):
    image = encode(without_its_word(scene(99)))
    run = check(listing_factory, image, kit, options={"inner-threshold": -10.0})
    assert counts(run)["WM001"] == 0


def test_assets_photo_with_its_mark_blurred_illegible_is_not_a_copy(listing_factory, tmp_path):
    root = kit_verified_at(tmp_path)
    image = official("OV2301A1-01")
    box = (490, 650, 790, 800)  # the mark (at 520, 680) and a margin round it
    image.paste(image.crop(box).filter(ImageFilter.GaussianBlur(4)), box[:2])
    run = check(listing_factory, encode(image), root, options=STRICT)
    (finding,) = run.by_rule("WM001")
    assert finding.evidence["asset_copy"] is not None
    assert not finding.evidence["asset_copy"]["same"]


@pytest.mark.parametrize("inner", ["abc", [1], {}, 10**400, None, float("nan"), True])
def test_an_unreadable_recorded_inside_means_the_assets_mark_is_not_verified(
    listing_factory, tmp_path, inner
):
    root = kit_verified_at(tmp_path)
    data = json.loads((root / "brandkit.json").read_text())
    data["assets"][0]["mark"]["inner"] = inner
    (root / "brandkit.json").write_text(json.dumps(data))
    run = check(listing_factory, encode(official("OV2301A1-01")), root, options=STRICT)
    assert run.by_rule("WM001")[0].evidence["asset_copy"] is None


def test_a_damaged_stored_window_png_is_ignored_not_a_crash(listing_factory, tmp_path):
    import base64

    root = build_kit(tmp_path / "kit")
    data = json.loads((root / "brandkit.json").read_text())
    png = bytearray(base64.b64decode(data["assets"][0]["mark"]["window"]["png"]))
    at = png.index(b"IDAT") - 4
    png[at : at + 4] = (int.from_bytes(png[at : at + 4], "big") - 80).to_bytes(4, "big")
    data["assets"][0]["mark"]["window"]["png"] = base64.b64encode(bytes(png)).decode()
    data["assets"][0]["mark"]["score"] = 1.0
    (root / "brandkit.json").write_text(json.dumps(data))
    run = check(listing_factory, encode(official("OV2301A1-01")), root, options=STRICT)
    run.assert_findings({"WM001": 1}, only=True)


def record_search_settings(monkeypatch) -> list:
    """The SearchSettings of every whole-image search analyse_image runs."""
    settings: list = []
    real = watermark_analysis.MarkSearch.best

    def recording(self, search, *rest):
        settings.append(search)
        return real(self, search, *rest)

    monkeypatch.setattr(watermark_analysis.MarkSearch, "best", recording)
    return settings


def test_a_foreign_image_without_the_mark_gets_a_second_wider_search(
    listing_factory, kit, monkeypatch
):
    settings = record_search_settings(monkeypatch)
    run = check(listing_factory, encode(scene(99)), kit)
    assert counts(run)["WM001"] == 1
    # The larger marks' scales first, then all of them, then the second look.
    assert settings[1:] == [watermark_analysis.WHOLE, watermark_analysis.WIDER]
    assert len(settings) == 3


def test_a_found_mark_needs_no_second_search(listing_factory, kit, monkeypatch):
    settings = record_search_settings(monkeypatch)
    run = check(listing_factory, encode(with_mark(scene(99))), kit)
    assert counts(run)["WM001"] == 0 and watermark_analysis.WIDER not in settings


def test_second_search_option_turns_the_second_look_off(listing_factory, kit, monkeypatch):
    settings = record_search_settings(monkeypatch)
    run = check(listing_factory, encode(scene(99)), kit, options={"second-search": False})
    assert counts(run)["WM001"] == 1 and settings[-1] == watermark_analysis.WHOLE
    assert watermark_analysis.WIDER not in settings
