"""``listguard brandkit build`` and ``listguard brandkit verify``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from test_watermark import build_kit, make_mark, scene, with_mark

from listguard.cli import main
from listguard.plugins.watermark.analysis import (
    DEFAULT_MATCH_THRESHOLD,
    image_phash,
    image_signature,
)
from listguard.plugins.watermark.phash import to_hex


@pytest.fixture
def official(tmp_path: Path) -> Path:
    """A kit folder with brandkit.json (no assets yet), watermark.png and official/."""
    kit = tmp_path / "kit"
    kit.mkdir()
    make_mark().save(kit / "watermark.png")
    (kit / "official").mkdir()
    with_mark(scene(31)).save(kit / "official" / "b.png")
    with_mark(scene(32)).save(kit / "official" / "a.jpg")
    data = {
        "brand": "Orvina",
        "watermark": {"template": "watermark.png"},
        "video_hosts": ["video.orvina.example"],
        "models": {"OV1": {"name": "One"}, "OV2": {"name": "Two"}},
    }
    (kit / "brandkit.json").write_text(json.dumps(data), encoding="utf-8")
    (kit / "official" / "mapping.csv").write_text("file,model,id\nb.png,OV2,\na.jpg,OV1,A-1\n")
    return kit


def test_build_writes_sorted_asset_hashes_and_keeps_other_keys(official: Path):
    assert main(["brandkit", "build", str(official / "official")]) == 0
    data = json.loads((official / "brandkit.json").read_text())
    assert [{k: a[k] for k in ("id", "model", "phash")} for a in data["assets"]] == [
        {"id": "A-1", "model": "OV1", "phash": to_hex(image_phash(official / "official/a.jpg"))},
        {"id": "b", "model": "OV2", "phash": to_hex(image_phash(official / "official/b.png"))},
    ]
    assert data["video_hosts"] == ["video.orvina.example"]


def test_build_writes_each_assets_finer_signature(official: Path):
    assert main(["brandkit", "build", str(official / "official")]) == 0
    asset = json.loads((official / "brandkit.json").read_text())["assets"][0]
    assert asset["signature"] == image_signature(official / "official/a.jpg").to_json()
    assert len(asset["signature"]["phash256"]) == 64 and len(asset["signature"]["colour"]) == 96


def test_build_twice_gives_identical_bytes(official: Path):
    main(["brandkit", "build", str(official / "official")])
    first = (official / "brandkit.json").read_bytes()
    main(["brandkit", "build", str(official / "official")])
    assert (official / "brandkit.json").read_bytes() == first


def test_build_reads_a_json_mapping_into_another_kit_dir(official: Path, tmp_path: Path):
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"a.jpg": "OV1"}))
    target = tmp_path / "new"
    argv = ["brandkit", "build", str(official / "official"), "--mapping", str(mapping)]
    assert main([*argv, "--kit", str(target), "--brand", "Orvina"]) == 0
    assets = json.loads((target / "brandkit.json").read_text())["assets"]
    assert [(a["id"], a["model"]) for a in assets] == [("a", "OV1")]


def test_build_of_a_new_kit_without_brand_is_exit_2(official: Path, tmp_path: Path, capsys):
    code = main(["brandkit", "build", str(official / "official"), "--kit", str(tmp_path / "x")])
    assert code == 2 and "--brand" in capsys.readouterr().err


def test_build_with_a_missing_mapped_file_is_exit_2_in_one_line(official: Path, capsys):
    (official / "official" / "mapping.csv").write_text("file,model\nnope.png,OV1\n")
    assert main(["brandkit", "build", str(official / "official")]) == 2
    err = capsys.readouterr().err
    assert "nope.png" in err and err.count("\n") == 1


def test_build_with_an_undecodable_image_is_exit_2(official: Path, capsys):
    (official / "official" / "a.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    assert main(["brandkit", "build", str(official / "official")]) == 2
    assert "a.jpg" in capsys.readouterr().err


def test_verify_accepts_a_good_kit(tmp_path: Path, capsys):
    kit = build_kit(tmp_path / "kit")
    assert main(["brandkit", "verify", str(kit)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("ok")


def test_verify_notes_assets_without_a_mark_place(tmp_path: Path, capsys):
    kit = build_kit(tmp_path / "kit", marks=False)
    assert main(["brandkit", "verify", str(kit)]) == 0
    assert "3 of 3 assets have no usable mark place" in capsys.readouterr().out


def test_verify_counts_a_damaged_mark_place_as_none(tmp_path: Path, capsys):
    kit = build_kit(tmp_path / "kit")
    data = json.loads((kit / "brandkit.json").read_text())
    data["assets"][0]["mark"]["scale"] = 1e9
    data["assets"][1]["mark"]["version"] = 99
    (kit / "brandkit.json").write_text(json.dumps(data))
    assert main(["brandkit", "verify", str(kit)]) == 0
    assert "2 of 3 assets have no usable mark place" in capsys.readouterr().out


def test_verify_counts_assets_without_a_usable_mark_window(tmp_path: Path, capsys):
    kit = build_kit(tmp_path / "kit")
    data = json.loads((kit / "brandkit.json").read_text())
    del data["assets"][0]["mark"]["window"]
    data["assets"][1]["mark"]["window"]["png"] = "AAAA"  # not a PNG
    (kit / "brandkit.json").write_text(json.dumps(data))
    assert main(["brandkit", "verify", str(kit)]) == 0
    assert "2 of 3 assets with a mark place have no usable window" in capsys.readouterr().out


def test_build_writes_each_assets_mark_window(official: Path):
    assert main(["brandkit", "build", str(official / "official")]) == 0
    data = json.loads((official / "brandkit.json").read_text())
    assert all(a["mark"]["window"]["version"] == 1 for a in data["assets"])


def test_verify_warns_when_two_assets_are_within_the_threshold(official: Path, capsys):
    shutil.copy(official / "official" / "a.jpg", official / "official" / "c.jpg")
    (official / "official" / "mapping.csv").write_text("file,model\na.jpg,OV1\nc.jpg,OV2\n")
    main(["brandkit", "build", str(official / "official")])
    capsys.readouterr()
    assert main(["brandkit", "verify", str(official)]) == 0
    assert "assets a and c are 0 bits apart" in capsys.readouterr().out


def test_verify_refuses_an_unreadable_template(official: Path, capsys):
    (official / "watermark.png").write_bytes(b"not a png")
    assert main(["brandkit", "verify", str(official)]) == 2
    assert "template" in capsys.readouterr().err


def test_verify_refuses_a_schema_violation(official: Path, capsys):
    (official / "brandkit.json").write_text(json.dumps({"brand": "Orvina"}))
    assert main(["brandkit", "verify", str(official)]) == 2
    assert "models" in capsys.readouterr().err


def fine_stripes(size: int = 1200) -> Image.Image:
    """A uniform diagonal weave: all its detail is finer than a pHash looks at."""
    y, x = np.mgrid[0:size, 0:size]
    rng = np.random.default_rng(4)
    value = 128 + 60 * np.sin(2 * np.pi * (x + y) / 6.0) + rng.normal(0, 3, (size, size))
    rgb = np.stack([value * 0.9, value * 0.8, value * 0.75], -1)
    return Image.fromarray(rgb.clip(0, 255).astype("uint8"))


def test_build_warns_about_an_asset_whose_hashes_a_harsh_copy_moves(official: Path, capsys):
    fine_stripes().save(official / "official" / "weave.jpg", quality=92)
    with (official / "official" / "mapping.csv").open("a") as mapping:
        mapping.write("weave.jpg,OV2,WEAVE\n")
    assert main(["brandkit", "build", str(official / "official")]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "moves its hashes" in line]
    assert len(warnings) == 1 and "asset WEAVE:" in warnings[0]


def test_build_does_not_call_structured_assets_fragile(official: Path, capsys):
    assert main(["brandkit", "build", str(official / "official")]) == 0
    assert "moves its hashes" not in capsys.readouterr().err


def test_build_writes_where_each_asset_has_its_mark(official: Path):
    assert main(["brandkit", "build", str(official / "official")]) == 0
    for asset in json.loads((official / "brandkit.json").read_text())["assets"]:
        mark = asset["mark"]
        assert mark["version"] == 1 and mark["score"] >= DEFAULT_MATCH_THRESHOLD
        assert abs(mark["at"][0] - 520 / 800) < 0.01 and abs(mark["at"][1] - 680 / 800) < 0.01


def test_build_warns_about_an_asset_without_the_mark(official: Path, capsys):
    scene(33).save(official / "official" / "bare.png")
    with (official / "official" / "mapping.csv").open("a") as mapping:
        mapping.write("bare.png,OV2,BARE\n")
    assert main(["brandkit", "build", str(official / "official")]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "not found" in line]
    assert len(warnings) == 1 and "asset BARE:" in warnings[0] and "fail WM001" in warnings[0]


def test_build_without_a_template_writes_no_mark_places(official: Path):
    data = json.loads((official / "brandkit.json").read_text())
    del data["watermark"]
    (official / "brandkit.json").write_text(json.dumps(data))
    assert main(["brandkit", "build", str(official / "official")]) == 0
    assets = json.loads((official / "brandkit.json").read_text())["assets"]
    assert all("mark" not in asset for asset in assets)


def test_build_warns_about_an_asset_whose_mark_is_near_the_threshold(
    official: Path, capsys, monkeypatch
):
    from listguard.plugins.watermark import analysis

    real = analysis.asset_mark

    def barely(path, template):
        result, entry = real(path, template)
        result.score = entry["score"] = 0.66
        return result, entry

    monkeypatch.setattr(analysis, "asset_mark", barely)
    assert main(["brandkit", "build", str(official / "official")]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "within 0.10 of" in line]
    assert len(warnings) == 2 and "scores only 0.66" in warnings[0]
