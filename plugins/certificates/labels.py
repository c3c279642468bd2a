"""The labels certificates print before each field, per language.

Each entry of ``_RAW`` (compiled by :func:`labels`) maps a field to
``(language, pattern)`` pairs in priority order: when several labels of one
field match in a document, the one listed first wins (``Date of issue`` before
a bare ``Date:``). Patterns are regular expressions matched case-insensitively
at a word boundary; the text after the label (on the same line, or the next
line in table layouts) is the value.
"""

from __future__ import annotations

import re
from functools import cache

# After a label: an optional "/Factory"-style suffix, then a separator. The
# separator is spelt "[:.#]|：", not "[:：.#]": the same characters, but a class
# mixing ASCII with a wide character compiles to a big-charset table, which cost
# ~0.3 ms in each of the ~60 label patterns (a third of compiling them all).
_SEP = r"(?:\s*/\s*[A-Za-z]+(?=\s*[:：]))?\s*(?:[:.#]|：|\(s\))?[\s.:]*"

_RAW: dict[str, list[tuple[str, str]]] = {
    "expires": [
        ("en", r"valid\s+until|valid\s+through|valid\s+thru|expiry\s+date|expiration\s+date"),
        ("en", r"date\s+of\s+expiry|expires\s+on|expires|expiry|valid\s+till"),
        ("de", r"gültig\s+bis|gueltig\s+bis|ablaufdatum|läuft\s+ab\s+am|gültigkeit\s+bis"),
        ("fr", r"valable\s+jusqu['’]\s?au|valide\s+jusqu['’]\s?au|date\s+d['’]\s?expiration"),
        ("fr", r"expire\s+le"),
        ("es", r"válido\s+hasta|valido\s+hasta|fecha\s+de\s+caducidad|fecha\s+de\s+vencimiento"),
        ("es", r"vigente\s+hasta|vence\s+el"),
        ("it", r"valido\s+fino\s+al?|data\s+di\s+scadenza|scadenza|valevole\s+fino\s+al"),
        ("nl", r"geldig\s+tot"),
        ("pl", r"ważny\s+do|data\s+ważności"),
        ("pt", r"válido\s+até|data\s+de\s+validade"),
        ("zh", r"有效期至|有效期限至|到期日期|到期日|失效日期|截止日期"),
    ],
    "validity": [
        ("en", r"validity(?:\s+period)?|valid\s+from"),
        ("de", r"gültigkeit(?:sdauer)?|gültig\s+vom|gültig\s+von"),
        ("fr", r"validité|valable\s+du"),
        ("es", r"validez|válido\s+desde"),
        ("it", r"validità|valido\s+dal"),
        ("zh", r"有效期"),
    ],
    "issued": [
        ("en", r"date\s+of\s+issue|issue\s+date|issuing\s+date|date\s+issued|issued\s+on"),
        ("en", r"date\s+of\s+grant|grant\s+date|date\s+of\s+report\s+issued|report\s+date"),
        ("en", r"date\s+of\s+report|place\s+and\s+date\s+of\s+issue|place\s*&\s*date"),
        ("de", r"ausstellungsdatum|ausgestellt\s+am|datum\s+der\s+ausstellung|ausgabedatum"),
        ("de", r"erstellt\s+am|prüfdatum\s+bericht|ort\s+und\s+datum(?:\s+der\s+ausstellung)?"),
        ("fr", r"date\s+d['’]\s?émission|date\s+d['’]\s?emission|date\s+de\s+délivrance"),
        (
            "fr",
            r"délivré\s+le|émis\s+le|lieu\s+et\s+date(?:\s+d['’]\s?émission)?|fait\s+à\s+[^,\n]{1,30},\s*le",
        ),
        ("es", r"fecha\s+de\s+emisión|fecha\s+de\s+emision|fecha\s+de\s+expedición|emitido\s+el"),
        ("es", r"lugar\s+y\s+fecha(?:\s+de\s+emisión)?|fecha\s+de\s+expedicion"),
        ("it", r"data\s+di\s+emissione|data\s+di\s+rilascio|rilasciato\s+il|emesso\s+il"),
        ("it", r"luogo\s+e\s+data(?:\s+di\s+emissione)?"),
        ("nl", r"datum\s+van\s+afgifte|plaats\s+en\s+datum"),
        ("pl", r"data\s+wydania|miejsce\s+i\s+data"),
        ("pt", r"data\s+de\s+emissão"),
        ("zh", r"签发日期|发证日期|颁发日期|报告日期|发布日期|签发日|批准日期"),
        ("en", r"date(?=\s*[:：]|\s+\d)|dated(?=\s*[:：]|\s+\d)"),
        ("de", r"datum(?=\s*[:：])"),
        ("fr", r"date(?=\s*[:：])"),
        ("es", r"fecha(?=\s*[:：])"),
        ("it", r"data(?=\s*[:：])"),
        ("zh", r"日期(?=\s*[:：])"),
    ],
    "number": [
        ("en", r"certificate\s+(?:no|number|nr)|certification\s+(?:no|number)|cert\.?\s+no"),
        ("en", r"declaration\s+(?:no|number)|doc\s+(?:no|number|ref)|reference\s+(?:no|number)"),
        ("en", r"(?:test\s+)?report\s+(?:no|number|ref)|report\s*#|fcc\s+identifier|fcc\s+id"),
        ("de", r"zertifikat(?:s)?[-\s]?(?:nr|nummer)|bescheinigungs?[-\s]?nr|prüfbericht[-\s]?nr"),
        ("de", r"bericht(?:s)?[-\s]?(?:nr|nummer)|erklärungs?[-\s]?nr|dokument(?:en)?[-\s]?nr"),
        ("fr", r"(?:n[°ºo]|numéro)\s+(?:du|de)\s+(?:certificat|rapport|la\s+déclaration)"),
        ("fr", r"certificat\s+n[°ºo]|rapport\s+n[°ºo]"),
        ("es", r"(?:n[°ºo]|número)\s+de(?:l)?\s+(?:certificado|informe|declaración)"),
        ("es", r"certificado\s+n[°ºo]|informe\s+n[°ºo]"),
        ("it", r"(?:n[°ºo.]|numero)\s+(?:del|di)\s+(?:certificato|rapporto)|certificato\s+n[°ºo.]"),
        ("it", r"rapporto\s+(?:di\s+prova\s+)?n[°ºo.]|dichiarazione\s+n[°ºo.]"),
        ("nl", r"certificaat\s*(?:nr|nummer)|rapport\s*(?:nr|nummer)"),
        ("pl", r"numer\s+(?:certyfikatu|raportu|sprawozdania)|certyfikat\s+nr"),
        ("zh", r"证书编号|报告编号|证书号|报告号|编号"),
    ],
    "model": [
        (
            "en",
            r"model\s*/\s*type(?:\s+designation)?|type\s+designation|model\s+(?:no|number|name)",
        ),
        ("en", r"models?(?=\s*[:：])|types?(?=\s*[:：])|model\s+code|listed\s+models?"),
        ("de", r"modell(?:bezeichnung|nummer)?|typbezeichnung|typ(?=\s*[:：])"),
        ("fr", r"modèle|référence\s+du\s+modèle|référence(?=\s*[:：])"),
        ("es", r"modelo|referencia(?=\s*[:：])"),
        ("it", r"modello|tipo(?=\s*[:：])"),
        ("nl", r"model(?:nummer)?"),
        ("pl", r"model(?=\s*[:：])"),
        ("zh", r"型号|产品型号|规格型号"),
        ("en", r"model|types"),
        # Last: a product-name column, for product tables that have no model column.
        ("en", r"product\s+name"),
        ("de", r"produktname"),
        ("fr", r"nom\s+du\s+produit"),
        ("es", r"nombre\s+del\s+producto"),
    ],
    "holder": [
        (
            "en",
            r"certificate\s+holder|holder|name\s+of\s+grantee|grantee|manufacturer(?:['’]s\s+name)?",
        ),
        ("en", r"manufactured\s+by|applicant"),
        ("de", r"zertifikatsinhaber|inhaber|hersteller|antragsteller"),
        ("fr", r"titulaire|fabricant|demandeur"),
        ("es", r"titular|fabricante|solicitante"),
        ("it", r"titolare|fabbricante|produttore|richiedente"),
        ("nl", r"fabrikant|houder"),
        ("pl", r"producent|posiadacz"),
        ("zh", r"持证人|制造商|生产者|申请人|委托方"),
    ],
}

# Compiled on first use, field by field: compiling every label of every field
# took ~80 ms at import, paid by runs that never read a certificate (a warm
# cache, ``listguard rules``) and, before forking, serially by the parent.


@cache
def labels(name: str) -> list[tuple[str, re.Pattern[str]]]:
    """``[(language, compiled pattern), ...]`` for the field ``name``, in priority order."""
    return [
        (lang, re.compile(r"(?<![\w])(?:" + pattern + r")" + _SEP, re.IGNORECASE))
        for lang, pattern in _RAW[name]
    ]


@cache
def any_label(name: str) -> re.Pattern[str]:
    """A pattern matching wherever any of the field's labels could start: a page
    this does not match has none of them, so the per-label search (a dozen
    patterns) is skipped — one scan instead of many on the pages of a long report."""
    return re.compile(
        r"(?<![\w])(?:" + "|".join(f"(?:{pattern})" for _, pattern in _RAW[name]) + r")",
        re.IGNORECASE,
    )
