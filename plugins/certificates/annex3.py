"""The elements an EU declaration of conformity must contain.

Decision No 768/2008/EC, Annex III (the model DoC that every New Legislative
Framework directive, the RED, the LVD, the EMC and the Toy Safety Directive
included, refers to) lists: product identification; the manufacturer's name and
address; the statement that the declaration is issued under the manufacturer's
sole responsibility; the object of the declaration; the statement that it
conforms to the relevant Union harmonisation legislation; references to the
harmonised standards (or other specifications) used; the place and date of
issue; and the name, function and signature of the signatory.

:func:`missing_elements` recognises each element in English, German, French,
Spanish, Italian, Dutch, Polish and Portuguese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from listguard.i18n import msg

from .extract import CertificateFields

_I = re.IGNORECASE


@dataclass(frozen=True)
class Element:
    """One Annex III element and how it is recognised."""

    key: str
    title: str
    pattern: re.Pattern[str]


_PRODUCT = re.compile(
    r"\b(?:product|model|type|serial|batch|produkt|modell|typ|seriennummer|produit|modèle|"
    r"producto|modelo|prodotto|modello|tipo|apparaat|productnaam|wyrób|produkt|produto)\b",
    _I,
)
_MANUFACTURER = re.compile(
    r"\b(?:manufacturer|manufactured\s+by|hersteller|fabricant|fabricante|fabbricante|"
    r"fabrikant|producent|produttore)\b|^\s*(?:we|wir|nous|nosotros|noi|wij|my|nós)\b[,\s]|"
    r"\bhereby,?\s+\S",
    _I | re.MULTILINE,
)
# An address: a label, a street word, or a postal code before a place name
# ("1024 Ecublens", "CA 92618"); a bare number could be a year or a standard.
_ADDRESS = re.compile(
    r"(?i:\b(?:address|adresse|anschrift|dirección|direccion|indirizzo|adres|endereço|street|"
    r"road|strasse|straße|rue|calle|avenue|avenida|suite|chemin|platz|weg|laan)\b|\w+(?:strasse|straße)\b)"
    r"|(?<![/\d.])\b\d{4,5}[ \t]+[A-ZÀ-Þ][a-zà-ÿ]+|\b(?!EN\b)[A-Z]{2}[ \t]+\d{5}\b"
    r"|\b\d{1,4}\s+[A-Z][a-z]+\s+(?:St|Rd|Ave)\b"
)
_SOLE = re.compile(
    r"sole\s+responsibility|alleinige[nr]?\s+verantwortung|seule\s+responsabilité|"
    r"(?:exclusiva|única)\s+responsabilidad|responsabilidad\s+exclusiva|"
    r"(?:propria\s+)?esclusiva\s+responsabilità|responsabilità\s+esclusiva|volledige\s+verantwoordelijkheid|"
    r"wyłączną\s+odpowiedzialność|exclusiva\s+responsabilidade",
    _I,
)
_OBJECT = re.compile(
    r"object\s+of\s+the\s+declaration|product\s+to\s+which\s+this\s+declaration\s+relates|"
    r"gegenstand\s+der\s+erklärung|objet\s+de\s+la\s+déclaration|objeto\s+de\s+la\s+declaración|"
    r"oggetto\s+della\s+dichiarazione|voorwerp\s+van\s+de\s+verklaring|przedmiot\s+deklaracji|"
    r"objeto\s+da\s+declaração|(?:above|following|below)[-\s](?:referenced|mentioned|described|named)?\s*"
    r"products?|following\s+products?",
    _I,
)
_CONFORMITY = re.compile(
    r"in\s+conformity\s+with|conforms?\s+(?:to|with)|compl(?:y|ies)\s+with|(?:is|are)\s+compliant\s+with|"
    r"entspricht|erfüllt|übereinstimm|(?:es|is)\s+conform|in\s+übereinstimmung|(?:est|sont)\s+conformes?|conforme\s+(?:à|a|con|al)|"
    r"cumple\s+con|è\s+conforme|in\s+overeenstemming|jest\s+zgodn|está\s+em\s+conformidade",
    _I,
)
_LEGISLATION = re.compile(
    r"(?:19|20)\d{2}\s*/\s*\d{1,3}\s*/\s*(?:EU|UE|EC|CE|EG)\b|harmoni[sz]ation\s+legislation|"
    r"Harmonisierungsrechtsvorschriften|législation\s+d['’]\s?harmonisation|legislación\s+de\s+armonización|"
    r"normativa\s+di\s+armonizzazione|harmonisatiewetgeving|prawodawstwa\s+harmonizacyjnego|"
    r"legislação\s+de\s+harmonização|Regulation\s+\((?:EU|EC)\)",
    _I,
)
_PLACE = re.compile(
    r"\b(?:place|ort|lieu|lugar|luogo|plaats|miejsce|local)\b|^\s*[A-ZÀ-Þ][\w .'’-]{2,40},\s*"
    r"(?:(?:le|el|il|am|den)\s+)?\d",
    _I | re.MULTILINE,
)
_SIGNATURE = re.compile(
    r"\b(?:signature|signed|unterschrift|unterzeichnet|signé|firma(?:do|to)?|podpis|"
    r"handtekening|assinatura|assinado)\b",
    _I,
)
_FUNCTION = re.compile(
    r"\b(?:function|position|title|funktion|fonction|función|funzione|functie|stanowisko|"
    r"função|ceo|cto|coo|director|directeur|direktor|geschäftsführer|manager|head\s+of|president|"
    r"président|presidente|gerente|responsable|engineer|officer|vp|amministratore|prezes)\b",
    _I,
)
# The signatory's name: a "Name" label, or a capitalised name starting a line or
# following a label ("Unterschrift: Anna Schmidt, Leiterin Qualität").
_NAME = re.compile(
    r"(?i:\b(?:name|nom|nombre|nome|naam|imię)\b)"
    r"|(?:^|[:：])[ \t]*[A-ZÀ-Þ][a-zà-ÿ]+(?:[ \t]+[A-ZÀ-Þ][a-zà-ÿ]+)+[ \t]*(?:,|$)",
    re.MULTILINE,
)

#: The Annex III elements, in the order the Annex lists them.
ELEMENTS: tuple[Element, ...] = (
    Element(
        "product", msg("product identification (product, type, batch or serial number)"), _PRODUCT
    ),
    Element("manufacturer", msg("name and address of the manufacturer"), _MANUFACTURER),
    Element(
        "sole-responsibility", msg("statement of the manufacturer's sole responsibility"), _SOLE
    ),
    Element("object", msg("object of the declaration"), _OBJECT),
    Element(
        "conformity",
        msg("statement of conformity with the Union harmonisation legislation"),
        _CONFORMITY,
    ),
    Element(
        "standards", msg("references to the harmonised standards or specifications used"), _PRODUCT
    ),
    Element("place-date", msg("place and date of issue"), _PLACE),
    Element("signature", msg("signature with the signatory's name and function"), _SIGNATURE),
)

#: Half of Annex III item 7: what is reported when only the place, or only the
#: date, of issue is missing (same key, so filters on "place-date" still apply).
PLACE_ONLY = Element("place-date", msg("place of issue (the date of issue is given)"), _PLACE)
DATE_ONLY = Element("place-date", msg("date of issue (the place of issue is given)"), _PLACE)


def missing_elements(fields: CertificateFields) -> list[Element]:
    """The Annex III elements a readable declaration does not show."""
    text = fields.text
    missing = []
    for element in ELEMENTS:
        if element.key == "manufacturer":
            present = bool(_MANUFACTURER.search(text) and _ADDRESS.search(text))
        elif element.key == "object":
            # Annex III item 4 (the object, identified for traceability) is met by a
            # declaration that names the model codes it covers.
            present = bool(_OBJECT.search(text)) or bool(fields.models)
        elif element.key == "conformity":
            present = bool(_CONFORMITY.search(text) and _LEGISLATION.search(text))
        elif element.key == "standards":
            present = bool(fields.standards)
        elif element.key == "place-date":
            dated, placed = fields.issued is not None, bool(_PLACE.search(text))
            if dated != placed:  # say which half is missing, not both
                missing.append(PLACE_ONLY if dated else DATE_ONLY)
                continue
            present = dated and placed
        elif element.key == "signature":
            # The signature itself is often an image; what the text can show is the
            # signatory's name and function (a "Signature" label alone is not enough).
            present = bool(_FUNCTION.search(text) and _NAME.search(text))
        else:
            present = bool(element.pattern.search(text))
        if not present:
            missing.append(element)
    return missing
