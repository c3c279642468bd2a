"""Tests of the certificates plugin (CERT001–CERT009) on PDFs built here with fpdf2."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

import listguard.plugins.certificates as certificates
from listguard.config import Config
from listguard.plugins.certificates import extract_certificate, fields_from_text
from listguard.plugins.certificates.dates import find_dates
from listguard.plugins.certificates.fccid import fcc_id_problem
from listguard.testing import base_manifest, run_checks

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
AS_OF = dt.date(2026, 11, 22)
MODEL = "OV2301A1"


# ---------------------------------------------------------------------------
# PDF builders: three layouts (key-value lines, a table, prose), scans, damage
# ---------------------------------------------------------------------------


def _pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    pdf.add_font("dejavu", fname=DEJAVU)
    pdf.set_font("dejavu", size=10)
    pdf.add_page()
    return pdf


def lines_pdf(title: str, rows: list[tuple[str, str]], extra: str = "") -> bytes:
    """Key–value lines: ``Label: value``."""
    pdf = _pdf()
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    for label, value in rows:
        pdf.multi_cell(0, 6, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    if extra:
        pdf.multi_cell(0, 5, extra, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def table_pdf(title: str, rows: list[tuple[str, str]], extra: str = "") -> bytes:
    """A two-column table of label and value cells."""
    pdf = _pdf()
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=(50, 130), first_row_as_headings=False) as table:
        for label, value in rows:
            row = table.row()
            row.cell(label)
            row.cell(value)
    if extra:
        pdf.ln(4)
        pdf.multi_cell(0, 5, extra, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def prose_pdf(text: str) -> bytes:
    pdf = _pdf()
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf(text: str) -> bytes:
    """The text rasterised into an image: a PDF with no text layer."""
    image = Image.new("L", (1240, 600), 255)
    draw = ImageDraw.Draw(image)
    draw.multiline_text((40, 40), text, fill=0, font=ImageFont.truetype(DEJAVU, 28))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(io.BytesIO(buffer.getvalue()), x=10, y=10, w=190)
    return bytes(pdf.output())


def encrypted_pdf(text: str) -> bytes:
    pdf = _pdf()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


LAYOUTS = {"lines": lines_pdf, "table": table_pdf}


def report_rows(**fields: str) -> list[tuple[str, str]]:
    rows = [
        ("Report No.", fields.get("number", "ETS-TOY-2026-0001")),
        ("Applicant", "Orvina Technology Co., Ltd."),
        ("Model", fields.get("model", MODEL)),
        ("Standards", fields.get("standards", "EN 71-1:2014+A1:2018; EN 71-3:2019+A2:2024")),
        ("Date of issue", fields.get("issued", "2026-09-01")),
    ]
    if "expires" in fields:
        rows.append((fields.get("expires_label", "Valid until"), fields["expires"]))
    return rows


DOC_TEXT = """EU DECLARATION OF CONFORMITY
Declaration No.: ORV-DOC-2301-2026
1. Product: Orvina Speaker, model {model}
2. Manufacturer: Orvina Technology Co., Ltd., 88 Harbour Road, Kowloon Bay, Hong Kong
3. This declaration of conformity is issued under the sole responsibility of the manufacturer.
4. Object of the declaration: Orvina Speaker ({model}), wireless speaker.
5. The object of the declaration described above is in conformity with the relevant Union
harmonisation legislation: Directive 2014/53/EU (RED) and Directive 2011/65/EU (RoHS).
6. References to the relevant harmonised standards used:
  - EN 62368-1:2014+A11:2017
  - ETSI EN 300 328 V2.2.2
Signed for and on behalf of: Orvina Technology Co., Ltd.
Place and date of issue: Hong Kong, 2026-03-02
Name, function: Mei Lin Chow, Head of Compliance
Signature: (signed)"""

DOC_TEXT_DE = """EU-KONFORMITÄTSERKLÄRUNG
Erklärungs-Nr.: ORV-DOC-2301-2026
1. Produkt: Orvina Lautsprecher, Modell {model}
2. Hersteller: Orvina Technology GmbH, Hafenstraße 8, 20457 Hamburg
3. Die alleinige Verantwortung für die Ausstellung dieser Konformitätserklärung trägt
der Hersteller.
4. Gegenstand der Erklärung: Orvina Lautsprecher ({model}).
5. Der oben beschriebene Gegenstand der Erklärung erfüllt die einschlägigen
Harmonisierungsrechtsvorschriften der Union: Richtlinie 2014/53/EU.
6. Angewandte harmonisierte Normen: EN 62368-1:2014+A11:2017, ETSI EN 300 328 V2.2.2
Ort und Datum der Ausstellung: Hamburg, 02.03.2026
Unterschrift: Anna Schmidt, Funktion: Leiterin Qualität"""

DOC_TEXT_FR = """DÉCLARATION UE DE CONFORMITÉ
N° de la déclaration : ORV-DOC-2301-2026
1. Produit : Enceinte Orvina, modèle {model}
2. Nom et adresse du fabricant : Orvina SAS, 12 rue de la Paix, 75002 Paris
3. La présente déclaration de conformité est établie sous la seule responsabilité du fabricant.
4. Objet de la déclaration : Enceinte Orvina ({model}).
5. L'objet de la déclaration décrit ci-dessus est conforme à la législation d'harmonisation
de l'Union applicable : directive 2014/53/UE.
6. Références des normes harmonisées appliquées : EN 62368-1:2014+A11:2017,
ETSI EN 300 328 V2.2.2
Lieu et date d'émission : Paris, le 2 mars 2026
Signature : Claire Martin, fonction : directrice qualité"""

CE_ENTRY = {
    "type": "CE",
    "file": "certificates/ce.pdf",
    "number": "ORV-DOC-2301-2026",
    "issued": "2026-03-02",
    "standards": ["EN 62368-1:2014+A11:2017", "ETSI EN 300 328 V2.2.2"],
}


def check(
    listing_factory: Any,
    certs: list[dict[str, Any]],
    files: dict[str, bytes],
    as_of: dt.date = AS_OF,
    config: Config | None = None,
    options: dict[str, Any] | None = None,
    **manifest: Any,
) -> Any:
    fields = {"category": "other", "markets": ["US"], "model": MODEL, **manifest}
    package = listing_factory(base_manifest(certificates=certs, **fields), files)
    return run_checks(
        package,
        builtins=False,
        plugins=[certificates],
        as_of=as_of,
        config=config,
        options={"certificates": options} if options else None,
    )


def cert(cert_type: str = "EN71", **overrides: Any) -> dict[str, Any]:
    entry = {
        "type": cert_type,
        "file": "certificates/c.pdf",
        "number": "ETS-TOY-2026-0001",
        "issued": "2026-09-01",
        "standards": ["EN 71-3:2019+A2:2024"],
    }
    entry.update(overrides)
    return entry


TOY_TITLE = "TEST REPORT\nSafety of toys (EN 71)"


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2027-01-31",
        "31/01/2027",
        "31.01.2027",
        "January 31, 2027",
        "31 Jan 2027",
        "2027年1月31日",
        "31 January 2027",
        "Jan. 31, 2027",
        "31. Januar 2027",
        "31 janvier 2027",
        "31 de enero de 2027",
        "31 gennaio 2027",
        "2027/01/31",
        "31-Jan-2027",
    ],
)
def test_every_listed_date_format_is_read(text: str) -> None:
    (match,) = find_dates(f"valid until {text} (page 1)")
    assert match.value == dt.date(2027, 1, 31)
    assert match.text == text


def test_ambiguous_numeric_date_is_flagged_not_guessed() -> None:
    (match,) = find_dates("05/03/2027")
    assert match.value is None
    assert match.ambiguous
    assert set(match.candidates) == {dt.date(2027, 3, 5), dt.date(2027, 5, 3)}


def test_german_label_reads_numeric_date_day_first() -> None:
    (match,) = find_dates("05/03/2027", "de")
    assert match.value == dt.date(2027, 3, 5)


def test_us_label_reads_numeric_date_month_first() -> None:
    (match,) = find_dates("05/03/2027", "en-us")
    assert match.value == dt.date(2027, 5, 3)


def test_impossible_dates_are_not_dates() -> None:
    assert find_dates("31.02.2027 and 2027-13-01") == []


# ---------------------------------------------------------------------------
# Field extraction
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("Valid until", "31.01.2027"),
        ("Gültig bis", "31.01.2027"),
        ("Valable jusqu'au", "31/01/2027"),
        ("Válido hasta", "31 de enero de 2027"),
        ("Valido fino al", "31/01/2027"),
        ("Expiry date", "January 31, 2027"),
    ],
)
def test_expiry_labels_in_several_languages(tmp_path: Path, label: str, value: str) -> None:
    path = tmp_path / "c.pdf"
    path.write_bytes(lines_pdf(TOY_TITLE, report_rows(expires=value, expires_label=label)))
    fields = extract_certificate(path)
    assert fields.expires is not None
    assert fields.expires.value == dt.date(2027, 1, 31)
    assert fields.expires.page == 1
    assert fields.expires.bbox is not None and fields.expires.bbox[2] > 0
    assert label in fields.expires.text


def test_chinese_labels_and_dates_on_extracted_text() -> None:
    # No CJK font is assumed installed; the label and date parsing works on text.
    fields = fields_from_text(
        [
            "检测报告 EN 71\n报告编号: ETS-2026-001\n签发日期: 2026年3月2日\n"
            "有效期至: 2027年1月31日\n型号: OV2520T1"
        ]
    )
    assert fields.number is not None and fields.number.value == "ETS-2026-001"
    assert fields.issued is not None and fields.issued.value == dt.date(2026, 3, 2)
    assert fields.expires is not None and fields.expires.value == dt.date(2027, 1, 31)
    assert fields.model_values() == ["OV2520T1"]


def test_table_layout_fields_are_extracted(tmp_path: Path) -> None:
    path = tmp_path / "c.pdf"
    path.write_bytes(table_pdf(TOY_TITLE, report_rows(expires="2027-01-31")))
    fields = extract_certificate(path)
    assert fields.kind == "en71-report"
    assert fields.number is not None and fields.number.value == "ETS-TOY-2026-0001"
    assert fields.issued is not None and fields.issued.value == dt.date(2026, 9, 1)
    assert fields.model_values() == [MODEL]
    assert {"EN 71-1:2014+A1:2018", "EN 71-3:2019+A2:2024"} <= {s.value for s in fields.standards}


def test_declaration_fields_directives_and_holder(tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(prose_pdf(DOC_TEXT.format(model=MODEL)))
    fields = extract_certificate(path)
    assert fields.kind == "ce-doc"
    assert [d.value for d in fields.directives] == ["2014/53/EU", "2011/65/EU"]
    assert fields.holder is not None and fields.holder.value.startswith("Orvina Technology")
    assert "EN 300 328 V2.2.2" in {s.value for s in fields.standards}
    assert fields.to_dict()["issued"]["value"] == "2026-03-02"


def test_label_stacked_under_its_value_is_read() -> None:
    # Two-column cover tables print "Report No. : X  Jul. 09, 2019" above "Date of issue".
    fields = fields_from_text(
        [
            "TEST REPORT\nTest Report No. : CTL1906244051-WR03 Jul. 09, 2019\nDate of issue\n"
            "Equipment under Test : Beaglebone AI\nModel : OV2301A1"
        ]
    )
    assert fields.issued is not None and fields.issued.value == dt.date(2019, 7, 9)


def test_notified_body_and_eu_type_examination_kind() -> None:
    fields = fields_from_text(
        [
            "EU-TYPE EXAMINATION CERTIFICATE\nIssued by Example Lab (Notified Body number: 2907)\n"
            "Certificate No: NB-2026-77\nIssue Date: Sep. 28, 2025\n"
            "Model/Type designation: OV2301A1"
        ]
    )
    assert fields.kind == "eu-type-examination"
    assert fields.notified_body is not None and fields.notified_body.value == "2907"
    assert fields.issued is not None and fields.issued.value == dt.date(2025, 9, 28)


# ---------------------------------------------------------------------------
# CERT001 required certificate missing
# ---------------------------------------------------------------------------


def test_cert001_eu_market_without_ce(listing_factory: Any) -> None:
    run = check(listing_factory, [], {}, markets=["ES"])
    run.assert_findings({"CERT001": 1}, only=True)
    assert "CE" in run.findings[0].message


def test_cert001_toy_needs_en71_and_radio_us_needs_fcc(listing_factory: Any) -> None:
    run = check(listing_factory, [], {}, category="toy", radio=True, markets=["US"])
    run.assert_findings({"CERT001": 2}, only=True)
    assert sorted(f.message.split()[1] for f in run.findings) == ["EN71", "FCC"]


def test_cert001_policy_is_configurable(listing_factory: Any) -> None:
    from listguard.config import CertificateRequirement

    config = Config(required_certificates=(CertificateRequirement(("FCC",), markets=("US",)),))
    run = check(listing_factory, [], {}, config=config, markets=["US"])
    run.assert_findings({"CERT001": 1}, only=True)


# ---------------------------------------------------------------------------
# CERT002 / CERT003 expiry
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["lines", "table"])
def test_cert002_expired_per_pdf_quotes_page_and_text(listing_factory: Any, layout: str) -> None:
    pdf = LAYOUTS[layout](TOY_TITLE, report_rows(expires="31.01.2026"))
    run = check(listing_factory, [cert()], {"certificates/c.pdf": pdf})
    run.assert_findings({"CERT002": 1})
    finding = run.by_rule("CERT002")[0]
    assert "2026-01-31" in finding.message
    assert "31.01.2026" in finding.message and "(page 1)" in finding.message
    assert finding.location.page == 1 and finding.location.bbox


def test_cert002_expired_per_manifest_when_pdf_states_none(listing_factory: Any) -> None:
    pdf = prose_pdf(DOC_TEXT.format(model=MODEL))
    entry = {**CE_ENTRY, "expires": "2026-06-30"}
    run = check(listing_factory, [entry], {"certificates/ce.pdf": pdf}, markets=["ES"])
    run.assert_findings({"CERT002": 1}, only=True)
    assert "(manifest)" in run.findings[0].message


def test_declaration_without_expiry_is_never_given_one(listing_factory: Any) -> None:
    pdf = prose_pdf(DOC_TEXT.format(model=MODEL))
    run = check(
        listing_factory,
        [CE_ENTRY],
        {"certificates/ce.pdf": pdf},
        as_of=dt.date(2040, 1, 1),
        markets=["ES"],
    )
    run.assert_findings({}, only=True)
    assert run.result.facts["certificates"]["certificates/ce.pdf"]["expires"] is None


@pytest.mark.parametrize("layout", ["lines", "table"])
def test_cert003_expiring_within_warning_window(listing_factory: Any, layout: str) -> None:
    pdf = LAYOUTS[layout](TOY_TITLE, report_rows(expires="15 December 2026"))
    run = check(listing_factory, [cert()], {"certificates/c.pdf": pdf})
    run.assert_findings({"CERT003": 1, "CERT002": 0})
    assert "in 23 days" in run.by_rule("CERT003")[0].message


def test_cert003_window_follows_config(listing_factory: Any) -> None:
    pdf = lines_pdf(TOY_TITLE, report_rows(expires="15 December 2026"))
    run = check(
        listing_factory, [cert()], {"certificates/c.pdf": pdf}, config=Config(warning_days=10)
    )
    run.assert_findings({"CERT003": 0, "CERT002": 0})


def test_prose_expiry_is_read(listing_factory: Any) -> None:
    text = (
        "TEST REPORT - Safety of toys (EN 71)\nReport No.: ETS-TOY-2026-0001\n"
        f"The model {MODEL} was tested to EN 71-3:2019+A2:2024 and found compliant.\n"
        "Date of issue: 2026-09-01\nThis report is valid until 2026-11-01 for the lot tested."
    )
    run = check(listing_factory, [cert()], {"certificates/c.pdf": prose_pdf(text)})
    run.assert_findings({"CERT002": 1})


# ---------------------------------------------------------------------------
# CERT004 test report age
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["lines", "table"])
def test_cert004_lighting_report_older_than_a_quarter(listing_factory: Any, layout: str) -> None:
    entry = cert("IEC62471", number="ETS-PB-2026-0415", issued="2026-06-15", standards=[])
    rows = report_rows(number="ETS-PB-2026-0415", issued="2026-06-15", standards="IEC 62471:2006")
    pdf = LAYOUTS[layout]("TEST REPORT\nPhotobiological safety (IEC 62471)", rows)
    run = check(listing_factory, [entry], {"certificates/c.pdf": pdf}, category="lighting")
    run.assert_findings({"CERT004": 1}, only=True)
    assert "160 days" in run.findings[0].message and "92" in run.findings[0].message


def test_cert004_other_category_allows_a_year(listing_factory: Any) -> None:
    entry = cert(issued="2026-06-15")
    pdf = lines_pdf(TOY_TITLE, report_rows(issued="2026-06-15"))
    run = check(listing_factory, [entry], {"certificates/c.pdf": pdf}, category="other")
    run.assert_findings({"CERT004": 0})


def test_cert004_max_age_is_a_plugin_option(listing_factory: Any) -> None:
    entry = cert(issued="2026-06-15")
    pdf = lines_pdf(TOY_TITLE, report_rows(issued="2026-06-15"))
    run = check(
        listing_factory,
        [entry],
        {"certificates/c.pdf": pdf},
        options={"report-max-age-days": 100},
    )
    run.assert_findings({"CERT004": 1})


# ---------------------------------------------------------------------------
# CERT005 contradictions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["lines", "table"])
def test_cert005_number_differs(listing_factory: Any, layout: str) -> None:
    pdf = LAYOUTS[layout](TOY_TITLE, report_rows(number="ETS-TOY-2026-0999"))
    run = check(listing_factory, [cert()], {"certificates/c.pdf": pdf})
    run.assert_findings({"CERT005": 1}, only=True)
    assert "ETS-TOY-2026-0999" in run.findings[0].message
    assert run.findings[0].location.pointer == "/certificates/0/number"


@pytest.mark.parametrize("layout", ["lines", "table"])
def test_cert005_issue_date_differs(listing_factory: Any, layout: str) -> None:
    pdf = LAYOUTS[layout](TOY_TITLE, report_rows(issued="02.08.2026"))
    run = check(listing_factory, [cert()], {"certificates/c.pdf": pdf})
    run.assert_findings({"CERT005": 1}, only=True)


def test_cert005_expiry_differs_and_earlier_date_decides(listing_factory: Any) -> None:
    # The manifest claims a later expiry than the PDF: the PDF's earlier date wins.
    pdf = lines_pdf(TOY_TITLE, report_rows(expires="2026-10-31"))
    run = check(listing_factory, [cert(expires="2027-10-31")], {"certificates/c.pdf": pdf})
    run.assert_findings({"CERT005": 1, "CERT002": 1}, only=True)


def test_cert005_standard_edition_differs(listing_factory: Any) -> None:
    pdf = table_pdf(TOY_TITLE, report_rows(standards="EN 71-3:2019+A1:2021"))
    run = check(listing_factory, [cert()], {"certificates/c.pdf": pdf})
    run.assert_findings({"CERT005": 1}, only=True)
    assert "EN 71-3:2019+A1:2021" in run.findings[0].message


def test_cert005_standard_not_cited(listing_factory: Any) -> None:
    entry = {**CE_ENTRY, "standards": [*CE_ENTRY["standards"], "EN 55032:2015"]}
    pdf = prose_pdf(DOC_TEXT.format(model=MODEL))
    run = check(listing_factory, [entry], {"certificates/ce.pdf": pdf}, markets=["ES"])
    run.assert_findings({"CERT005": 1}, only=True)


def test_cert005_fcc_grant_filed_as_ce(listing_factory: Any) -> None:
    grant = lines_pdf(
        "GRANT OF EQUIPMENT AUTHORIZATION",
        [
            ("FCC Identifier", "2BORV-OV2301A1"),
            ("Date of Grant", "03/02/2026"),
            ("Notes", f"model {MODEL}"),
        ],
    )
    entry = {**CE_ENTRY, "number": "2BORV-OV2301A1", "standards": []}
    run = check(listing_factory, [entry], {"certificates/ce.pdf": grant}, markets=["ES"])
    run.assert_findings({"CERT005": 1}, only=True)
    assert "FCC grant" in run.findings[0].message


def test_ambiguous_pdf_date_resolved_by_manifest(listing_factory: Any) -> None:
    pdf = lines_pdf(TOY_TITLE, report_rows(issued="05/09/2026"))
    run = check(listing_factory, [cert(issued="2026-09-05")], {"certificates/c.pdf": pdf})
    run.assert_findings({"CERT005": 0})


def test_ambiguous_expiry_judged_by_earlier_reading(listing_factory: Any) -> None:
    # 12/11/2026 is 12 November (expired) or 11 December (not yet): never call it valid.
    pdf = lines_pdf(TOY_TITLE, report_rows(expires="12/11/2026"))
    run = check(listing_factory, [cert()], {"certificates/c.pdf": pdf})
    run.assert_findings({"CERT005": 1, "CERT002": 1})
    assert "ambiguous" in run.by_rule("CERT005")[0].message


# ---------------------------------------------------------------------------
# CERT006 model not covered
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["lines", "table"])
def test_cert006_other_model(listing_factory: Any, layout: str) -> None:
    pdf = LAYOUTS[layout](TOY_TITLE, report_rows(model="OV2299A1"))
    run = check(listing_factory, [cert()], {"certificates/c.pdf": pdf})
    run.assert_findings({"CERT006": 1}, only=True)
    assert "OV2299A1" in run.findings[0].message


def test_cert006_every_listed_model_must_be_covered(listing_factory: Any) -> None:
    pdf = prose_pdf(DOC_TEXT.format(model=f"{MODEL}, OV2301A2"))
    entry = {**CE_ENTRY, "models": [MODEL, "OV2301A2", "OV2301A3"]}
    run = check(listing_factory, [entry], {"certificates/ce.pdf": pdf}, markets=["ES"])
    run.assert_findings({"CERT006": 1}, only=True)
    assert "OV2301A3" in run.findings[0].message


def test_model_match_ignores_case_spaces_and_hyphens(listing_factory: Any) -> None:
    pdf = lines_pdf(TOY_TITLE, report_rows(model="ov-2301 a1"))
    run = check(listing_factory, [cert()], {"certificates/c.pdf": pdf})
    run.assert_findings({"CERT006": 0})


def test_a_longer_model_code_does_not_cover_the_listing_model(listing_factory: Any) -> None:
    pdf = lines_pdf(TOY_TITLE, report_rows(model=f"{MODEL}2"))
    run = check(listing_factory, [cert()], {"certificates/c.pdf": pdf})
    run.assert_findings({"CERT006": 1}, only=True)


# ---------------------------------------------------------------------------
# CERT007 unreadable, and damaged PDFs
# ---------------------------------------------------------------------------


def test_cert007_scanned_pdf_and_expiry_still_judged(listing_factory: Any) -> None:
    pdf = scanned_pdf("TEST REPORT EN 71\nReport No.: ETS-TOY-2026-0001\nValid until 2026-01-31")
    run = check(listing_factory, [cert(expires="2026-01-31")], {"certificates/c.pdf": pdf})
    run.assert_findings({"CERT007": 1, "CERT002": 1}, only=True)
    assert run.result.facts["certificates"]["certificates/c.pdf"]["status"] == "expired"


def test_cert007_encrypted_pdf(listing_factory: Any) -> None:
    run = check(listing_factory, [cert()], {"certificates/c.pdf": encrypted_pdf("TEST REPORT")})
    run.assert_findings({"CERT007": 1}, only=True)
    assert "password" in run.findings[0].message


def test_owner_password_only_pdf_is_read(listing_factory: Any) -> None:
    # A permissions-only password (empty user password) does not stop reading.
    pdf = _pdf()
    pdf.set_encryption(owner_password="owner")
    for label, value in report_rows():
        pdf.multi_cell(0, 6, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
    run = check(listing_factory, [cert()], {"certificates/c.pdf": bytes(pdf.output())})
    run.assert_findings({}, only=True)


def test_truncated_pdf_is_lg006_not_a_crash(listing_factory: Any) -> None:
    pdf = lines_pdf(TOY_TITLE, report_rows())
    run = check(listing_factory, [cert()], {"certificates/c.pdf": pdf[: len(pdf) * 2 // 3]})
    run.assert_findings({"LG006": 1}, only=True)
    assert "only the manifest was checked" in run.findings[0].message


def test_malformed_pdf_is_lg006(listing_factory: Any) -> None:
    run = check(listing_factory, [cert()], {"certificates/c.pdf": b"%PDF-1.7\n garbage \x00\x01"})
    run.assert_findings({"LG006": 1}, only=True)


def test_missing_file_is_judged_from_manifest(listing_factory: Any) -> None:
    run = check(listing_factory, [cert(expires="2026-01-01")], {})
    run.assert_findings({"LG003": 1, "CERT002": 1}, only=True)


# ---------------------------------------------------------------------------
# CERT008 declaration elements
# ---------------------------------------------------------------------------


def test_complete_english_declaration_passes(listing_factory: Any) -> None:
    pdf = prose_pdf(DOC_TEXT.format(model=MODEL))
    run = check(listing_factory, [CE_ENTRY], {"certificates/ce.pdf": pdf}, markets=["ES"])
    run.assert_findings({}, only=True)


def test_complete_german_declaration_passes(listing_factory: Any) -> None:
    pdf = prose_pdf(DOC_TEXT_DE.format(model=MODEL))
    run = check(listing_factory, [CE_ENTRY], {"certificates/ce.pdf": pdf}, markets=["DE"])
    run.assert_findings({}, only=True)


def test_complete_french_declaration_passes(listing_factory: Any) -> None:
    pdf = prose_pdf(DOC_TEXT_FR.format(model=MODEL))
    run = check(listing_factory, [CE_ENTRY], {"certificates/ce.pdf": pdf}, markets=["FR"])
    run.assert_findings({}, only=True)


def test_cert008_french_declaration_without_date_of_issue(listing_factory: Any) -> None:
    text = DOC_TEXT_FR.format(model=MODEL).replace(
        "Lieu et date d'émission : Paris, le 2 mars 2026\n", ""
    )
    run = check(
        listing_factory, [CE_ENTRY], {"certificates/ce.pdf": prose_pdf(text)}, markets=["FR"]
    )
    run.assert_findings({"CERT008": 1}, only=True)
    assert run.findings[0].evidence["element"] == "place-date"


def test_expiry_on_the_check_date_is_expiring_not_expired(listing_factory: Any) -> None:
    pdf = lines_pdf(TOY_TITLE, report_rows(expires="22.11.2026"))
    run = check(listing_factory, [cert()], {"certificates/c.pdf": pdf})
    run.assert_findings({"CERT003": 1, "CERT002": 0})


def test_cert008_missing_sole_responsibility(listing_factory: Any) -> None:
    text = DOC_TEXT.format(model=MODEL).replace(
        "3. This declaration of conformity is issued under the sole responsibility of the "
        "manufacturer.\n",
        "",
    )
    run = check(
        listing_factory, [CE_ENTRY], {"certificates/ce.pdf": prose_pdf(text)}, markets=["ES"]
    )
    run.assert_findings({"CERT008": 1}, only=True)
    assert run.findings[0].evidence["element"] == "sole-responsibility"


def test_cert008_german_declaration_without_signature(listing_factory: Any) -> None:
    text = DOC_TEXT_DE.format(model=MODEL).replace(
        "Unterschrift: Anna Schmidt, Funktion: Leiterin Qualität", ""
    )
    pdf = table_pdf("EU-KONFORMITÄTSERKLÄRUNG", [("Inhalt", text)])
    run = check(listing_factory, [CE_ENTRY], {"certificates/ce.pdf": pdf}, markets=["DE"])
    run.assert_findings({"CERT008": 1}, only=True)
    assert run.findings[0].evidence["element"] == "signature"


# ---------------------------------------------------------------------------
# CERT009 FCC ID
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fcc_id", ["2ATUT-BBONE-AI", "BCG-E2431A", "2AC7Z-ESPC6WROOM1", "A3LSMG990B"]
)
def test_well_formed_fcc_ids(fcc_id: str) -> None:
    assert fcc_id_problem(fcc_id) is None


@pytest.mark.parametrize(
    "fcc_id", ["2BOR", "2BORV", "2bo rv-x", "2BORV-OV2301A1-TOOLONG", "AB", "2BORV_OV", "-BCG"]
)
def test_malformed_fcc_ids(fcc_id: str) -> None:
    assert fcc_id_problem(fcc_id) is not None


def test_cert009_malformed_fcc_id_in_manifest(listing_factory: Any) -> None:
    grant = lines_pdf(
        "GRANT OF EQUIPMENT AUTHORIZATION",
        [
            ("FCC Identifier", "2BORV-OV2301A1"),
            ("Date of Grant", "03/02/2026"),
            ("Notes", f"model {MODEL}"),
        ],
    )
    entry = cert("FCC", number="2BORV-OV2301A1-EXTRA-LONG", issued="2026-03-02", standards=[])
    run = check(listing_factory, [entry], {"certificates/c.pdf": grant}, radio=True)
    run.assert_findings({"CERT009": 1, "CERT005": 1}, only=True)


def test_cert009_malformed_fcc_id_in_pdf(listing_factory: Any) -> None:
    grant = table_pdf(
        "GRANT OF EQUIPMENT AUTHORIZATION",
        [("FCC ID", "2BOR-OV2301A1"), ("Date of Grant", "03/02/2026"), ("Notes", f"model {MODEL}")],
    )
    entry = cert("FCC", number="2BOR-OV2301A1", issued="2026-03-02", standards=[])
    run = check(listing_factory, [entry], {"certificates/c.pdf": grant}, radio=True)
    run.assert_findings({"CERT009": 1}, only=True)
    assert run.findings[0].location.page == 1


def test_fcc_grant_date_is_read_month_first(listing_factory: Any) -> None:
    grant = lines_pdf(
        "GRANT OF EQUIPMENT AUTHORIZATION",
        [
            ("FCC Identifier", "2BORV-OV2301A1"),
            ("Date of Grant", "03/02/2026"),
            ("Notes", f"model {MODEL}"),
        ],
    )
    entry = cert("FCC", number="2BORV-OV2301A1", issued="2026-03-02", standards=[])
    run = check(listing_factory, [entry], {"certificates/c.pdf": grant}, radio=True)
    run.assert_findings({}, only=True)


# ---------------------------------------------------------------------------
# Scope, facts, determinism
# ---------------------------------------------------------------------------


def test_other_plugins_certificate_types_are_ignored(listing_factory: Any) -> None:
    entry = cert("UN38_3", expires="2020-01-01")
    run = check(listing_factory, [entry], {"certificates/c.pdf": b"%PDF-1.7 broken"})
    run.assert_findings({}, only=True)


def test_facts_follow_the_report_convention(listing_factory: Any) -> None:
    pdf = lines_pdf(TOY_TITLE, report_rows(expires="2027-01-31"))
    run = check(listing_factory, [cert()], {"certificates/c.pdf": pdf})
    assert run.result.facts["certificates"]["certificates/c.pdf"] == {
        "type": "EN71",
        "kind": "en71-report",
        "number": "ETS-TOY-2026-0001",
        "issued": "2026-09-01",
        "expires": "2027-01-31",
        "status": "valid",
    }


def test_same_input_same_findings(listing_factory: Any) -> None:
    pdf = table_pdf(TOY_TITLE, report_rows(number="X-1", model="OV9", expires="2026-01-01"))
    first = check(listing_factory, [cert()], {"certificates/c.pdf": pdf}).report
    second = check(listing_factory, [cert()], {"certificates/c.pdf": pdf}).report
    assert first["listings"][0]["findings"] == second["listings"][0]["findings"]


def test_every_rule_is_documented() -> None:
    for rule in certificates.hooks.RULES:
        assert rule.what and rule.why and rule.example and rule.fix, rule.code


# ---------------------------------------------------------------------------
# Real documents (../shared/real-world), skipped when absent
# ---------------------------------------------------------------------------

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-world"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-world is absent")


@needs_real
def test_real_fcc_grant_fields() -> None:
    fields = extract_certificate(REAL / "espressif-esp32c6-wroom1-fcc-grant.pdf")
    assert fields.kind == "fcc-grant"
    assert [f.value for f in fields.fcc_ids] == ["2AC7Z-ESPC6WROOM1"]
    assert fields.issued is not None and fields.issued.value == dt.date(2023, 9, 4)
    assert fcc_id_problem(fields.fcc_ids[0].value) is None


@needs_real
def test_real_eu_type_examination_certificate_fields() -> None:
    fields = extract_certificate(REAL / "espressif-esp32c6-wroom1-eu-type-exam-cert.pdf")
    assert fields.kind == "eu-type-examination"
    assert fields.number is not None and fields.number.value == "SN23C0149"
    assert fields.issued is not None and fields.issued.value == dt.date(2023, 9, 28)
    assert fields.notified_body is not None and fields.notified_body.value == "2907"
    assert "ESP32-C6-WROOM-1" in fields.model_values()


@needs_real
def test_real_declaration_models_and_standards() -> None:
    fields = extract_certificate(REAL / "nabucasa-ha-yellow-eu-doc.pdf")
    assert fields.kind == "ce-doc"
    assert fields.model_values() == ["YELLOW-KIT-POE", "YELLOW-KIT-STD"]
    assert "EN 62368-1:2014+A11:2017" in {s.value for s in fields.standards}
    assert fields.issued is not None and fields.issued.value == dt.date(2024, 7, 24)


@needs_real
@pytest.mark.parametrize(
    "name", ["crownstone-builtin-plug-ce-doc-scan.pdf", "parrot-anafi-eu-doc-scan.pdf"]
)
def test_real_scans_have_no_text(name: str) -> None:
    assert extract_certificate(REAL / name).problem == "no-text"


@needs_real
def test_real_declaration_without_sole_responsibility_is_cert008(listing_factory: Any) -> None:
    pdf = (REAL / "nabucasa-skyconnect-eu-doc.pdf").read_bytes()
    entry = {**CE_ENTRY, "number": "SKYCONNECT-DOC", "issued": "2022-12-10", "standards": []}
    run = check(
        listing_factory, [entry], {"certificates/ce.pdf": pdf}, markets=["DE"], model="HASKYCNCT"
    )
    run.assert_findings({"CERT008": 1}, only=True)
    assert run.findings[0].evidence["element"] == "sole-responsibility"


# ---------------------------------------------------------------------------
# Memory: pages are closed as they are read (review #26)
# ---------------------------------------------------------------------------


def test_extraction_keeps_at_most_one_text_page_open(tmp_path, monkeypatch):
    import pypdfium2 as pdfium

    pdf = FPDF(format="A4")
    pdf.set_font("Helvetica", size=10)
    for n in range(30):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"EU declaration of conformity page {n}\nModel: {MODEL}")
    path = tmp_path / "long.pdf"
    path.write_bytes(bytes(pdf.output()))
    live = {"now": 0, "max": 0}
    get_textpage, close = pdfium.PdfPage.get_textpage, pdfium.PdfTextPage.close

    def opening(self, *args, **kwargs):
        live["now"] += 1
        live["max"] = max(live["max"], live["now"])
        return get_textpage(self, *args, **kwargs)

    def closing(self, *args, **kwargs):
        live["now"] -= 1
        return close(self, *args, **kwargs)

    monkeypatch.setattr(pdfium.PdfPage, "get_textpage", opening)
    monkeypatch.setattr(pdfium.PdfTextPage, "close", closing)
    fields = extract_certificate(path)
    assert fields.pages == 30
    assert fields.models and fields.models[0].bbox is not None  # boxes still found
    assert live["max"] == 1


def test_encrypted_certificate_is_reported_as_encrypted_via_the_shared_opener(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(encrypted_pdf("EU declaration of conformity"))
    assert extract_certificate(path).problem == "encrypted"


# ---------------------------------------------------------------------------
# CERT005 corrigenda, CERT008 half of place-and-date (review #20, #21)
# ---------------------------------------------------------------------------


def test_cert005_corrigendum_in_the_pdf_only_is_the_same_edition(listing_factory: Any) -> None:
    text = DOC_TEXT.format(model=MODEL).replace(
        "EN 62368-1:2014+A11:2017", "EN 62368-1:2014+AC:2015+A11:2017"
    )
    run = check(
        listing_factory, [CE_ENTRY], {"certificates/ce.pdf": prose_pdf(text)}, markets=["ES"]
    )
    run.assert_findings({}, only=True)


def test_cert005_slash_corrigendum_in_the_manifest_only_is_the_same_edition(
    listing_factory: Any,
) -> None:
    entry = {**CE_ENTRY, "standards": ["EN 62368-1:2014/AC:2015+A11:2017"]}
    pdf = prose_pdf(DOC_TEXT.format(model=MODEL))
    run = check(listing_factory, [entry], {"certificates/ce.pdf": pdf}, markets=["ES"])
    run.assert_findings({}, only=True)


def test_cert005_other_amendment_still_differs_and_evidence_names_the_corrigendum(
    listing_factory: Any,
) -> None:
    text = DOC_TEXT.format(model=MODEL).replace(
        "EN 62368-1:2014+A11:2017", "EN 62368-1:2014+AC:2015"
    )
    run = check(
        listing_factory, [CE_ENTRY], {"certificates/ce.pdf": prose_pdf(text)}, markets=["ES"]
    )
    run.assert_findings({"CERT005": 1}, only=True)
    assert run.findings[0].evidence["corrigenda_ignored"] == ["AC:2015"]


def test_cert008_declaration_with_a_date_but_no_place_says_only_the_place_is_missing(
    listing_factory: Any,
) -> None:
    text = DOC_TEXT.format(model=MODEL).replace(
        "Place and date of issue: Hong Kong, 2026-03-02", "Date of issue: 2026-03-02"
    )
    run = check(
        listing_factory, [CE_ENTRY], {"certificates/ce.pdf": prose_pdf(text)}, markets=["ES"]
    )
    run.assert_findings({"CERT008": 1}, only=True)
    finding = run.findings[0]
    assert "lacks the place of issue (the date of issue is given)" in finding.message
    assert finding.evidence["issued"] == "2026-03-02"


# ---------------------------------------------------------------------------
# Model and number extraction on real-world layouts (review #19)
# ---------------------------------------------------------------------------

_REPORT_PAGES = [
    "TEST REPORT\nTest Report No. : CTL1906244051-WR03\nDate of issue : Jul. 09, 2019\n"
    "Equipment under Test : Beaglebone AI\nModel /Type : Beaglebone AI\nListed Models : N/A\n"
    "Applicant : BeagleBoard.org Foundation",
    "Product information\nSupported type: 802.11b/802.11g/802.11n(H20)/802.11n(H40)\n"
    "Modulation: DSSS, OFDM",
]


def test_labelled_model_type_wins_over_a_supported_type_list() -> None:
    fields = fields_from_text(_REPORT_PAGES)
    assert fields.model_values() == ["Beaglebone AI"]
    assert fields.models[0].label == "Model /Type"


def test_protocol_names_are_not_models() -> None:
    fields = fields_from_text(
        ["TEST REPORT\nReport No.: R-2026-0001\nSupported type: 802.11b/802.11g/802.11n\n" * 2]
    )
    assert fields.model_values() == []


def test_types_label_with_the_name_on_the_next_line_is_the_model() -> None:
    text = (
        "EU-TYPE EXAMINATION CERTIFICATE\nPRODUCTO\nPRODUCT\nBeaglebone AI\nTIPOS\nTYPES\n"
        "Beaglebone AI\nVersión HW / FMW\nHW: A1\nDirective 2014/53/EU"
    )
    assert fields_from_text([text]).model_values() == ["Beaglebone AI"]


def test_model_codes_are_read_from_a_product_name_table_column() -> None:
    text = (
        "EU Declaration of Conformity\nHereby, u-blox AG declares under its sole responsibility "
        "that the following products are compliant.\nTechnology Product name\n"
        "GNSS NEO-D9S-00A, NEO-D9S-00B\nEssential requirements\nDate 15-Dec-2021"
    )
    assert fields_from_text([text]).model_values() == ["NEO-D9S-00A", "NEO-D9S-00B"]


def test_model_code_in_parentheses_after_the_product_name() -> None:
    text = (
        "EU CE Declaration of Conformity\nProduct name: Home Assistant SkyConnect (HASKYCNCT)\n"
        "Manufactured By: Nabu Casa\nDate of Issue: Dec 10, 2022"
    )
    assert fields_from_text([text]).model_values() == ["HASKYCNCT"]


def test_document_number_beside_the_page_footer_is_the_doc_number() -> None:
    text = (
        "EU Declaration of Conformity\nHereby, u-blox AG declares under its sole responsibility "
        "that the products comply.\nDate 15-Dec-2021\nUBX-21050650 - R01 Page 1 of 1"
    )
    number = fields_from_text([text]).number
    assert number is not None and number.value == "UBX-21050650"


def test_labelled_number_still_wins_over_a_footer_code() -> None:
    text = (
        "EU Declaration of Conformity\nDeclaration No.: ORV-DOC-2301-2026\n"
        "Date of issue: 2026-03-02\nUBX-21050650 - R01 Page 1 of 1"
    )
    number = fields_from_text([text]).number
    assert number is not None and number.value == "ORV-DOC-2301-2026"


# -- the label scan: anchored matches at the label starts, as finditer ---------------


_SCAN_TEXTS = [
    "Place and date of issue: Berlin, 2026-01-05\nDate of issue 2026-01-05\nIssue date: 5.1.2026",
    "valid until\n 2027-01-31 (expiry date 2027-01-31); Gültig bis: 31.01.2027 expires",
    "Model/Type: OV2301A1, OV2301A2\nModels: X1\nModel no. 7\nproduct name Lamp",
    "Certificate No.: ETS-2026-1\nReport No ETS-R-1 / Test report number: 42\n证书编号：ABC-1",
    "Manufacturer's name: Orvina GmbH\nHolder/Factory: Orvina\nfait à Lyon, le 3 mars 2026",
    "dated 2026-01-01 date: 2026 datum: x fecha: y data: z 日期：2026年1月1日\n",
    "xdate of issue: no boundary; ­date of issue: soft hyphen",
]


@pytest.mark.parametrize("name", ["expires", "validity", "issued", "number", "model", "holder"])
def test_label_scan_finds_what_finditer_finds(name: str) -> None:
    """``_finditer_from`` at ``_label_starts`` gives every label pattern's
    ``finditer`` matches, overlapping labels of other priorities included."""
    from listguard.plugins.certificates.extract import _finditer_from, _label_starts
    from listguard.plugins.certificates.labels import any_label, labels

    for text in _SCAN_TEXTS:
        starts = _label_starts(any_label(name), text)
        for _, pattern in labels(name):
            expected = [m.span() for m in pattern.finditer(text)]
            assert [m.span() for m in _finditer_from(pattern, text, starts)] == expected
