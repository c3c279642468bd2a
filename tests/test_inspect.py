"""``listguard inspect``: what listguard read from a file, the same reading check uses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from listguard.cli import main
from listguard.jsonschemas import load_schema, schema_validator
from listguard.testing import base_manifest, make_image, make_pdf, run_checks

REPO = Path(__file__).resolve().parents[1]
KIT = REPO / "fixtures" / "brandkit"
REAL_WORLD = REPO.parent / "shared" / "real-world"

DOC_TEXT = (
    "EU DECLARATION OF CONFORMITY\nDeclaration No.: ORV-DOC-7781\n"
    "Product: Orvina Smart Speaker S1, model OV2301A1\n"
    "Manufacturer: Orvina Technology Co., Ltd., 88 Harbour Road, Kowloon Bay, Hong Kong\n"
    "This declaration of conformity is issued under the sole responsibility of the manufacturer.\n"
    "Object of the declaration: Orvina Smart Speaker S1 (OV2301A1).\n"
    "The object of the declaration described above is in conformity with the relevant Union "
    "harmonisation legislation: Directive 2014/53/EU.\n"
    "References to the relevant harmonised standards used: EN 62368-1:2014+A11:2017\n"
    "Place and date of issue: Hong Kong, 2026-03-02\n"
    "Name, function: Mei Lin Chow, Head of Compliance\n"
)
MANUAL_TEXT = (
    "Lea atentamente estas instrucciones antes de utilizar el altavoz OV2301A1 y consérvelas "
    "para futuras consultas. Cargue el dispositivo únicamente con el cable suministrado y un "
    "adaptador de corriente certificado. No exponga el producto a la lluvia ni a la humedad, y "
    "manténgalo alejado de fuentes de calor. Para vincular el dispositivo, instale la "
    "aplicación, mantenga pulsado el botón de encendido durante cinco segundos y siga los pasos."
)


def inspect_json(capsys, *args: str) -> tuple[int, dict]:
    status = main(["inspect", "--format", "json", *args])
    out = capsys.readouterr().out
    document = json.loads(out)
    assert list(schema_validator(load_schema("inspect")).iter_errors(document)) == []
    return status, document


def test_certificate_fields_come_with_page_and_source_text(tmp_path, capsys):
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(make_pdf([DOC_TEXT]))
    status, document = inspect_json(capsys, str(pdf))
    (reading,) = document["files"]
    cert = reading["certificate"]
    assert status == 0 and reading["kind"] == "certificate" and cert["kind"] == "ce-doc"
    assert cert["number"]["value"] == "ORV-DOC-7781" and cert["number"]["page"] == 1
    assert cert["issued"]["value"] == "2026-03-02" and "2026-03-02" in cert["issued"]["text"]
    assert cert["expires"] is None  # a DoC has no expiry: listed as not found
    assert all(cert["annex_iii"].values())


def test_manual_languages_have_pages_and_character_counts(tmp_path, capsys):
    pdf = tmp_path / "manual.pdf"
    pdf.write_bytes(make_pdf(["Manual", MANUAL_TEXT + " " + MANUAL_TEXT]))
    status, document = inspect_json(capsys, str(pdf), "--kind", "manual", "--model", "OV2301A1")
    manual = document["files"][0]["manual"]
    assert status == 0 and manual["text"] is True
    assert manual["languages"]["es"]["pages"][0] == 2 and manual["languages"]["es"]["chars"] > 300
    assert manual["models_seen"] == ["OV2301A1"]


def test_scanned_pdf_says_it_has_no_text_layer(tmp_path, capsys):
    from fpdf import FPDF

    picture = tmp_path / "scan.png"
    picture.write_bytes(make_image((600, 800), fmt="PNG"))
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(picture), x=10, y=10, w=180)
    (tmp_path / "scan.pdf").write_bytes(bytes(pdf.output()))
    status = main(["inspect", str(tmp_path / "scan.pdf"), "--kind", "certificate"])
    out = capsys.readouterr().out
    assert status == 0 and "text layer: no" in out


def test_image_reading_has_watermark_score_and_nearest_asset(capsys):
    image = KIT / "official" / "OV2301A1-02.jpg"
    status, document = inspect_json(capsys, str(image), "--brand-kit", str(KIT))
    reading = document["files"][0]["image"]
    assert status == 0 and reading["width"] == 1000
    assert reading["watermark"]["found"] is True and len(reading["watermark"]["bbox"]) == 4
    assert reading["asset"]["id"] == "OV2301A1-02" and reading["asset"]["distance"] == 0


def test_image_without_brand_kit_says_what_was_not_verified(capsys):
    status = main(["inspect", str(KIT / "official" / "OV2301A1-02.jpg")])
    out = capsys.readouterr().out
    assert status == 0 and "WM001" in out and "not verified" in out


def test_unreadable_file_is_a_clear_message_and_exit_2(tmp_path, capsys):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nthis is not really a pdf")
    status = main(["inspect", str(broken), "--kind", "certificate"])
    err = capsys.readouterr().err
    assert status == 2 and "broken.pdf" in err and "not a readable PDF" in err


def test_file_of_no_known_kind_is_exit_2(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert main(["inspect", str(text)]) == 2
    assert "neither a PDF nor an image" in capsys.readouterr().err


def test_missing_file_is_exit_2(tmp_path, capsys):
    assert main(["inspect", str(tmp_path / "nope.pdf")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_inspect_agrees_with_the_facts_check_recorded(listing_factory, capsys):
    manual = make_pdf(["Manual", MANUAL_TEXT + " " + MANUAL_TEXT])
    package = listing_factory(
        base_manifest(markets=["ES"], manuals=[{"file": "manuals/m.pdf"}]),
        {"manuals/m.pdf": manual},
    )
    run = run_checks(package, select=["MAN"])
    checked = run.results[0].facts["manuals"]["manuals/m.pdf"]["languages"]
    _, document = inspect_json(capsys, str(package / "manuals" / "m.pdf"), "--kind", "manual")
    inspected = document["files"][0]["manual"]["languages"]
    assert {k: v["chars"] for k, v in inspected.items()} == {
        k: v["chars"] for k, v in checked.items()
    }


@pytest.mark.skipif(not REAL_WORLD.is_dir(), reason="../shared/real-world is not present")
def test_every_real_world_document_is_read_without_a_crash(capsys):
    files = sorted(str(p) for p in REAL_WORLD.glob("*.pdf"))
    status, document = inspect_json(capsys, *files)
    assert status == 0 and len(document["files"]) == len(files)
