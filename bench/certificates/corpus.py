# ruff: noqa: E501
"""A seeded generator of varied certificate PDFs with ground truth.

Each :class:`Sample` is one PDF (bytes) plus what it really says (``truth``),
the manifest entry a seller might have written for it (sometimes wrong, on
purpose), the listing's category and model, and the rules a correct checker must
report (``expected``). Variety: five kinds (CE declaration, EU-type examination
certificate, FCC grant, EN 71 and IEC 62471 test reports), five label languages,
three layouts (key-value lines, table, prose), eleven date formats, 1–3 pages,
and scanned variants (the page rasterised into an image, no text layer).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field
from typing import Any

from fpdf import FPDF

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
AS_OF = dt.date(2026, 11, 22)
WARNING_DAYS = 60

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
}  # fmt: skip

LABELS = {
    "en": {"cert": "Certificate No.", "report": "Report No.", "doc": "Declaration No.",
           "issued": "Date of issue", "expires": "Valid until", "model": "Model",
           "holder": "Manufacturer", "title_report": "TEST REPORT", "title_cert":
           "EU-TYPE EXAMINATION CERTIFICATE", "title_doc": "EU DECLARATION OF CONFORMITY"},
    "de": {"cert": "Zertifikat-Nr.", "report": "Prüfbericht-Nr.", "doc": "Erklärungs-Nr.",
           "issued": "Ausstellungsdatum", "expires": "Gültig bis", "model": "Modell",
           "holder": "Hersteller", "title_report": "PRÜFBERICHT", "title_cert":
           "EU-BAUMUSTERPRÜFBESCHEINIGUNG", "title_doc": "EU-KONFORMITÄTSERKLÄRUNG"},
    "fr": {"cert": "N° du certificat", "report": "N° du rapport", "doc": "N° de la déclaration",
           "issued": "Date d'émission", "expires": "Valable jusqu'au", "model": "Modèle",
           "holder": "Fabricant", "title_report": "RAPPORT D'ESSAI", "title_cert":
           "CERTIFICAT D'EXAMEN UE DE TYPE", "title_doc": "DÉCLARATION UE DE CONFORMITÉ"},
    "es": {"cert": "N° de certificado", "report": "N° de informe", "doc": "N° de declaración",
           "issued": "Fecha de emisión", "expires": "Válido hasta", "model": "Modelo",
           "holder": "Fabricante", "title_report": "INFORME DE ENSAYO", "title_cert":
           "CERTIFICADO DE EXAMEN UE DE TIPO", "title_doc": "DECLARACIÓN UE DE CONFORMIDAD"},
    "it": {"cert": "Certificato n.", "report": "Rapporto di prova n.", "doc": "Dichiarazione n.",
           "issued": "Data di emissione", "expires": "Valido fino al", "model": "Modello",
           "holder": "Fabbricante", "title_report": "RAPPORTO DI PROVA", "title_cert":
           "CERTIFICATO DI ESAME UE DEL TIPO", "title_doc": "DICHIARAZIONE UE DI CONFORMITÀ"},
}  # fmt: skip

PROSE = {
    "en": "This {what} No. {number} is issued to {holder} for the model {model}. "
    "It was issued on {issued}{until}.",
    "de": "Dieses Dokument Nr. {number} wird {holder} für das Modell {model} erteilt. "
    "Ausgestellt am {issued}{until}.",
    "fr": "Le certificat n° {number} est délivré à {holder} pour le modèle {model}. "
    "Délivré le {issued}{until}.",
    "es": "El certificado nº {number} se expide a {holder} para el modelo {model}. "
    "Emitido el {issued}{until}.",
    "it": "Il certificato n. {number} è rilasciato a {holder} per il modello {model}. "
    "Rilasciato il {issued}{until}.",
}
UNTIL = {
    "en": " and is valid until {d}",
    "de": ", gültig bis {d}",
    "fr": ", valable jusqu'au {d}",
    "es": ", válido hasta {d}",
    "it": ", valido fino al {d}",
}

# The Annex III elements of a DoC, per language; one may be dropped (CERT008).
DOC_ELEMENTS = {
    "en": [
        ("product", "1. Product: {name}, model {model}"),
        ("manufacturer", "2. Name and address of the manufacturer: {holder}, 88 Harbour Road, Hong Kong"),
        ("sole-responsibility", "3. This declaration of conformity is issued under the sole "
         "responsibility of the manufacturer."),
        ("object", "4. Object of the declaration: {name} ({model})."),
        ("conformity", "5. The object of the declaration described above is in conformity with "
         "the relevant Union harmonisation legislation: Directive 2014/53/EU."),
        ("standards", "6. References to the relevant harmonised standards used: {standards}"),
        ("place-date", "Place and date of issue: Hong Kong, {issued}"),
        ("signature", "Signature: Mei Lin Chow, Head of Compliance"),
    ],
    "de": [
        ("product", "1. Produkt: {name}, Modell {model}"),
        ("manufacturer", "2. Name und Anschrift des Herstellers: {holder}, Hafenstraße 8, 20457 Hamburg"),
        ("sole-responsibility", "3. Die alleinige Verantwortung für die Ausstellung dieser "
         "Konformitätserklärung trägt der Hersteller."),
        ("object", "4. Gegenstand der Erklärung: {name} ({model})."),
        ("conformity", "5. Der oben beschriebene Gegenstand der Erklärung erfüllt die "
         "einschlägigen Harmonisierungsrechtsvorschriften der Union: Richtlinie 2014/53/EU."),
        ("standards", "6. Angewandte harmonisierte Normen: {standards}"),
        ("place-date", "Ort und Datum der Ausstellung: Hamburg, {issued}"),
        ("signature", "Unterschrift: Anna Schmidt, Funktion: Leiterin Qualität"),
    ],
    "fr": [
        ("product", "1. Produit : {name}, modèle {model}"),
        ("manufacturer", "2. Nom et adresse du fabricant : {holder}, 12 rue de la Paix, 75002 Paris"),
        ("sole-responsibility", "3. La présente déclaration de conformité est établie sous la "
         "seule responsabilité du fabricant."),
        ("object", "4. Objet de la déclaration : {name} ({model})."),
        ("conformity", "5. L'objet de la déclaration décrit ci-dessus est conforme à la "
         "législation d'harmonisation de l'Union applicable : directive 2014/53/UE."),
        ("standards", "6. Références des normes harmonisées appliquées : {standards}"),
        ("place-date", "Lieu et date d'émission : Paris, {issued}"),
        ("signature", "Signature : Claire Martin, fonction : directrice qualité"),
    ],
    "es": [
        ("product", "1. Producto: {name}, modelo {model}"),
        ("manufacturer", "2. Nombre y dirección del fabricante: {holder}, Calle Mayor 5, 28013 Madrid"),
        ("sole-responsibility", "3. La presente declaración de conformidad se expide bajo la "
         "exclusiva responsabilidad del fabricante."),
        ("object", "4. Objeto de la declaración: {name} ({model})."),
        ("conformity", "5. El objeto de la declaración descrito anteriormente es conforme con la "
         "legislación de armonización pertinente de la Unión: Directiva 2014/53/UE."),
        ("standards", "6. Referencias a las normas armonizadas utilizadas: {standards}"),
        ("place-date", "Lugar y fecha de emisión: Madrid, {issued}"),
        ("signature", "Firma: Lucía García, función: directora de calidad"),
    ],
    "it": [
        ("product", "1. Prodotto: {name}, modello {model}"),
        ("manufacturer", "2. Nome e indirizzo del fabbricante: {holder}, Via Roma 10, 20121 Milano"),
        ("sole-responsibility", "3. La presente dichiarazione di conformità è rilasciata sotto "
         "la responsabilità esclusiva del fabbricante."),
        ("object", "4. Oggetto della dichiarazione: {name} ({model})."),
        ("conformity", "5. L'oggetto della dichiarazione di cui sopra è conforme alla pertinente "
         "normativa di armonizzazione dell'Unione: direttiva 2014/53/UE."),
        ("standards", "6. Riferimenti alle norme armonizzate pertinenti utilizzate: {standards}"),
        ("place-date", "Luogo e data di emissione: Milano, {issued}"),
        ("signature", "Firma: Giulia Rossi, funzione: responsabile qualità"),
    ],
}  # fmt: skip

STANDARDS = {
    "ce-doc": ["EN 62368-1:2014+A11:2017", "ETSI EN 300 328 V2.2.2", "ETSI EN 301 489-17 V3.2.4"],
    "eu-type-examination": ["ETSI EN 300 328 V2.2.2", "EN IEC 62311:2020"],
    "en71-report": ["EN 71-1:2014+A1:2018", "EN 71-2:2020", "EN 71-3:2019+A2:2024"],
    "iec62471-report": ["IEC 62471:2006", "EN 62471:2008"],
    "fcc-grant": ["47 CFR Part 15C"],
}
TYPES = {
    "ce-doc": "CE",
    "eu-type-examination": "CE",
    "fcc-grant": "FCC",
    "en71-report": "EN71",
    "iec62471-report": "IEC62471",
}
DATE_FORMATS = (
    "iso", "dmy-slash", "dmy-dot", "month-day-year", "d-mon-y", "d-month-y", "ymd-slash",
    "d-mon-y-dash", "us-slash", "cjk", "en-ambiguous",
)  # fmt: skip
# The formats that carry a CJK date need a CJK font; none is assumed, so the
# corpus renders cjk dates only in scanned samples' ground truth… not at all:
# Chinese parsing is measured on text in the unit tests.
TEXT_FORMATS = tuple(f for f in DATE_FORMATS if f != "cjk")


@dataclass
class Sample:
    """One generated certificate and its ground truth."""

    name: str
    pdf: bytes
    truth: dict[str, Any]
    entry: dict[str, Any]
    category: str
    model: str
    expected: set[str] = field(default_factory=set)
    scanned: bool = False


def format_date(date: dt.date, style: str, language: str) -> str:
    """``date`` written in ``style`` (one of :data:`DATE_FORMATS`)."""
    months = MONTHS.get(language, MONTHS["en"]).split()
    short = MONTHS["en"].split()[date.month - 1][:3]
    if style == "iso":
        return date.isoformat()
    if style == "dmy-slash":
        return date.strftime("%d/%m/%Y")
    if style == "dmy-dot":
        return date.strftime("%d.%m.%Y")
    if style == "month-day-year":
        return f"{MONTHS['en'].split()[date.month - 1]} {date.day}, {date.year}"
    if style == "d-mon-y":
        return f"{date.day} {short} {date.year}"
    if style == "d-mon-y-dash":
        return f"{date.day:02d}-{short}-{date.year}"
    if style == "d-month-y":
        month = months[date.month - 1]
        if language == "de":
            return f"{date.day}. {month} {date.year}"
        if language == "es":
            return f"{date.day} de {month} de {date.year}"
        return f"{date.day} {month} {date.year}"
    if style == "ymd-slash":
        return date.strftime("%Y/%m/%d")
    if style == "us-slash":
        return date.strftime("%m/%d/%Y")
    if style == "cjk":
        return f"{date.year}年{date.month}月{date.day}日"
    if style == "en-ambiguous":
        return date.strftime("%d/%m/%Y")
    raise ValueError(style)


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days))


def _number(rng: random.Random, kind: str) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXZ"
    style = rng.randrange(4)
    if style == 0:
        return f"ETS-{rng.choice(['TOY', 'PB', 'RED', 'EMC'])}-{rng.randint(2023, 2026)}-{rng.randint(1, 9999):04d}"
    if style == 1:
        return f"SN{rng.randint(20, 26)}{rng.choice(letters)}{rng.randint(1000, 9999)}"
    if style == 2:
        return f"CTL{rng.randint(10**9, 10**10 - 1)}-WR{rng.randint(1, 9):02d}"
    return f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(100000, 999999)}{rng.choice(letters)}"


def _model(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXZ"
    style = rng.randrange(3)
    if style == 0:
        return f"OV{rng.randint(2200, 2699)}{rng.choice(letters)}{rng.randint(1, 9)}"
    if style == 1:
        return f"{rng.choice(['ORA', 'XMV', 'KBT'])}-{rng.choice(['TOF', 'LMP', 'SPK'])}-{rng.randint(1, 999):03d}"
    return f"M{rng.randint(1000, 9999)}{rng.choice(letters)}{rng.randint(1, 9)}"


def _fcc_id(rng: random.Random, model: str, malformed: bool) -> str:
    grantee = "2" + "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(4))
    product = model.replace("-", "")[:12]
    if not malformed:
        return f"{grantee}-{product}" if rng.random() < 0.5 else f"{grantee}{product}"
    return rng.choice(
        [f"{grantee[:4]}-{product}", f"{grantee}-{product}XXXXXXXXXX", f"{grantee}_{product}"]
    )


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------


def _new_pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    pdf.add_font("dejavu", fname=DEJAVU)
    pdf.add_font("dejavu", style="B", fname=DEJAVU.replace("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"))
    return pdf


def _render(
    title: str, rows: list[tuple[str, str]], prose: list[str], layout: str, filler: int
) -> bytes:
    pdf = _new_pdf()
    pdf.add_page()
    pdf.set_font("dejavu", "B", 15)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("dejavu", size=10)
    if layout == "table" and rows:
        with pdf.table(col_widths=(55, 125), first_row_as_headings=False) as table:
            for label, value in rows:
                row = table.row()
                row.cell(label)
                row.cell(value)
        pdf.ln(4)
    elif layout == "lines":
        for label, value in rows:
            pdf.multi_cell(0, 6, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    for paragraph in prose:
        pdf.multi_cell(0, 5.5, paragraph, new_x="LMARGIN", new_y="NEXT")
    for index in range(filler):
        pdf.add_page()
        pdf.multi_cell(
            0,
            5,
            f"Annex {index + 1}: test results\n" + "Clause 4.3.2 Output power: PASS. " * 30,
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())


def _scan(pdf_bytes: bytes) -> bytes:
    """Rasterise the first page (as a scanner would) into an image-only PDF."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf_bytes)
    bitmap = document[0].render(scale=1.2).to_pil().convert("L")
    document.close()
    buffer = io.BytesIO()
    bitmap.save(buffer, format="PNG")
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(io.BytesIO(buffer.getvalue()), x=0, y=0, w=210)
    return bytes(pdf.output())


# ---------------------------------------------------------------------------
# Samples
# ---------------------------------------------------------------------------


def make_sample(rng: random.Random, index: int) -> Sample:
    kind = rng.choice(list(TYPES))
    language = "en" if kind == "fcc-grant" else rng.choice(list(LABELS))
    layout = "prose" if kind == "ce-doc" else rng.choice(["lines", "table", "prose"])
    style = rng.choice(TEXT_FORMATS)
    if kind == "fcc-grant":
        style = rng.choice(["us-slash", "month-day-year", "iso"])
    elif style == "us-slash":
        style = "dmy-slash"
    if style == "en-ambiguous" and language != "en":
        style = "dmy-dot"
    model = _model(rng)
    holder = rng.choice(["Orvina Technology Co., Ltd.", "Kestrel Devices GmbH", "Lumen Nord SAS"])
    number = _number(rng, kind)
    issued = _random_date(rng, dt.date(2024, 6, 1), dt.date(2026, 11, 20))
    has_expiry = (
        kind in ("eu-type-examination", "en71-report", "iec62471-report") and rng.random() < 0.7
    )
    expires = issued + dt.timedelta(days=rng.randint(120, 1400)) if has_expiry else None
    if expires and rng.random() < 0.25:  # put some expiries in the warning window
        expires = AS_OF + dt.timedelta(days=rng.randint(-10, 70))
        if expires <= issued:
            expires = issued + dt.timedelta(days=30)
    scanned = rng.random() < 0.08
    category = rng.choice(["toy", "lighting", "other", "audio"])
    labels = LABELS[language]
    standards = STANDARDS[kind]
    fmt = lambda d: format_date(d, style, language)  # noqa: E731
    dropped: str | None = None
    malformed_fcc = kind == "fcc-grant" and rng.random() < 0.2
    fcc_id = _fcc_id(rng, model, malformed_fcc) if kind == "fcc-grant" else None
    if kind == "fcc-grant":
        number = fcc_id or number

    rows: list[tuple[str, str]] = []
    prose: list[str] = []
    if kind == "ce-doc":
        title = labels["title_doc"]
        elements = DOC_ELEMENTS[language]
        if rng.random() < 0.2:
            dropped = rng.choice([k for k, _ in elements if k not in ("product", "standards")])
        prose.append(f"{labels['doc']}: {number}")
        for key, text in elements:
            if key != dropped:
                prose.append(
                    text.format(
                        name="Orvina Speaker",
                        model=model,
                        holder=holder,
                        standards=", ".join(standards),
                        issued=fmt(issued),
                    )
                )
        if dropped == "place-date":
            pass  # no date at all: the issue date truly is absent
    elif kind == "fcc-grant":
        title = "TCB GRANT OF EQUIPMENT AUTHORIZATION\nCertification"
        rows = [
            ("FCC Identifier", fcc_id or ""),
            ("Name of Grantee", holder),
            ("Date of Grant", fmt(issued)),
            ("Equipment Class", "Digital Transmission System"),
            ("Notes", f"Wireless speaker, model {model}"),
            ("Rule Parts", "15C"),
        ]
        if layout == "prose":
            rows, layout = rows, "lines"
    else:
        what = "certificate" if kind == "eu-type-examination" else "report"
        title = labels["title_cert" if what == "certificate" else "title_report"]
        if kind == "en71-report":
            title += "\nSafety of toys (EN 71)"
        elif kind == "iec62471-report":
            title += "\nPhotobiological safety of lamps (IEC 62471)"
        else:
            title += "\nRADIO EQUIPMENT DIRECTIVE 2014/53/EU - Notified Body 2907"
        number_label = labels["cert" if what == "certificate" else "report"]
        if layout == "prose":
            until = UNTIL[language].format(d=fmt(expires)) if expires else ""
            prose.append(
                PROSE[language].format(
                    what=what,
                    number=number,
                    holder=holder,
                    model=model,
                    issued=fmt(issued),
                    until=until,
                )
            )
            prose.append("Standards: " + "; ".join(standards))
        else:
            rows = [
                (number_label, number),
                (labels["holder"], holder),
                (labels["model"], model),
                ("Standards", "; ".join(standards)),
                (labels["issued"], fmt(issued)),
            ]
            if expires:
                rows.append((labels["expires"], fmt(expires)))
            rows.append(("Result", "PASS"))
    filler = rng.choice([0, 0, 1, 2]) if kind != "ce-doc" else 0
    pdf = _render(title, rows, prose, layout, filler)
    if scanned:
        pdf = _scan(pdf)

    truth = {
        "kind": kind,
        "number": number if kind != "fcc-grant" else fcc_id,
        "issued": None if dropped == "place-date" else issued,
        "expires": expires,
        "model": model,
        "language": language,
        "layout": layout,
        "date_format": style,
        "ambiguous": style == "en-ambiguous" and issued.day <= 12 and issued.day != issued.month,
    }
    entry: dict[str, Any] = {
        "type": TYPES[kind],
        "file": f"certificates/{index:04d}.pdf",
        "number": number,
        "issued": issued.isoformat(),
        "standards": list(standards),
    }
    if expires:
        entry["expires"] = expires.isoformat()
    listing_model = model
    expected: set[str] = set()
    if scanned:
        expected.add("CERT007")
    else:
        # Seller mistakes the checker must catch, each with its own odds.
        if rng.random() < 0.12 and kind != "fcc-grant":
            entry["number"] = _number(rng, kind)
            expected.add("CERT005")
        if rng.random() < 0.08:
            listing_model = _model(rng)
            expected.add("CERT006")
        if expires and rng.random() < 0.1:
            entry["expires"] = (expires + dt.timedelta(days=400)).isoformat()
            expected.add("CERT005")
        if dropped:
            expected.add("CERT008")
        if malformed_fcc:
            expected.add("CERT009")
    if expires and expires < AS_OF:
        expected.add("CERT002")
    elif expires and (expires - AS_OF).days <= WARNING_DAYS:
        expected.add("CERT003")
    if kind in ("en71-report", "iec62471-report"):
        limit = 92 if category in ("toy", "lighting") else 365
        if (AS_OF - issued).days > limit:
            expected.add("CERT004")
    return Sample(
        f"{index:04d}-{kind}-{language}-{layout}-{style}{'-scan' if scanned else ''}",
        pdf,
        truth,
        entry,
        category,
        listing_model,
        expected,
        scanned,
    )


def generate(seed: int = 20261201, count: int = 400) -> list[Sample]:
    """``count`` samples from a fixed ``seed`` (same seed → same bytes)."""
    rng = random.Random(seed)
    return [make_sample(rng, index) for index in range(count)]
