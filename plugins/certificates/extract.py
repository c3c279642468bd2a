"""Read a certificate PDF and pull out the fields the rules compare.

One extraction, several views: :func:`extract_certificate` returns a
:class:`CertificateFields` that the check hooks compare with the manifest and
that ``to_dict()`` turns into JSON (for reports and for ``listguard inspect``).
Every field keeps the page (1-based), the bounding box ``[x, y, w, h]`` in PDF
points from the page's top-left, and the exact source text it was read from.

Text comes from pypdfium2 (about 1 ms a page); boxes come from pdfium's
character boxes of the matched span, so pdfplumber's slower layout analysis is
not needed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from listguard.i18n import msg
from listguard.pdf import PdfEncrypted, PdfUnreadable, open_pdf

from .dates import DateMatch, find_dates
from .labels import any_label, labels

#: Fewer non-blank characters than this over the whole document: no text layer.
MIN_TEXT_CHARS = 40


#: The file is not a PDF pdfium can open (malformed or truncated beyond repair);
#: the shared :class:`listguard.pdf.PdfUnreadable`, under this plugin's old name.
UnreadablePdf = PdfUnreadable


@dataclass
class Field:
    """One extracted value and where it came from."""

    value: Any
    page: int
    text: str
    bbox: list[float] | None = None
    label: str | None = None
    language: str | None = None
    # For an ambiguous numeric date: every reading; ``value`` is then None.
    candidates: tuple[dt.date, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.value is None and len(self.candidates) > 1

    def quote(self) -> str:
        """``'valid until 31.01.2026' (page 1)``: the source text and its page."""
        return msg("'{text}' (page {page})", text=self.text, page=self.page)

    def to_dict(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, dt.date) else self.value
        data: dict[str, Any] = {"value": value, "page": self.page, "text": self.text}
        if self.bbox:
            data["bbox"] = self.bbox
        if self.label:
            data["label"] = self.label
        if self.language:
            data["language"] = self.language
        if self.candidates and self.value is None:
            data["candidates"] = [c.isoformat() for c in self.candidates]
        return data


@dataclass
class CertificateFields:
    """What a certificate PDF says.

    ``problem`` is ``None`` when the text could be read, else ``"encrypted"``
    (a password is needed) or ``"no-text"`` (a scan or image-only PDF); then
    every field is empty. ``kind`` is one of :data:`KINDS`.
    """

    path: str
    pages: int = 0
    text_chars: int = 0
    problem: str | None = None
    kind: str = "unknown"
    kind_field: Field | None = None
    number: Field | None = None
    issued: Field | None = None
    expires: Field | None = None
    standards: list[Field] = field(default_factory=list)
    directives: list[Field] = field(default_factory=list)
    models: list[Field] = field(default_factory=list)
    holder: Field | None = None
    fcc_ids: list[Field] = field(default_factory=list)
    notified_body: Field | None = None
    page_texts: list[str] = field(default_factory=list, repr=False)

    @property
    def readable(self) -> bool:
        return self.problem is None

    @property
    def text(self) -> str:
        return "\n".join(self.page_texts)

    def model_values(self) -> list[str]:
        return [m.value for m in self.models]

    def find(self, needle: str) -> tuple[int, str] | None:
        """The first page (1-based) and line where ``needle`` occurs as a whole code,
        ignoring case and the spaces, hyphens, dots and slashes between its
        characters, or ``None``. ``OV2301A1`` is found in ``ov-2301 a1`` but not
        in ``OV2301A12`` (another model)."""
        pattern = _code_pattern(needle)
        if pattern is None:
            return None
        for number, text in enumerate(self.page_texts, start=1):
            match = pattern.search(text)
            if match:
                line_start = text.rfind("\n", 0, match.start()) + 1
                line_end = text.find("\n", match.end())
                return number, text[line_start : line_end if line_end >= 0 else None].strip()
        return None

    def to_dict(self) -> dict[str, Any]:
        """The extraction as JSON-serialisable data."""

        def one(f: Field | None) -> dict[str, Any] | None:
            return f.to_dict() if f else None

        return {
            "file": self.path,
            "pages": self.pages,
            "text_chars": self.text_chars,
            "problem": self.problem,
            "kind": self.kind,
            "number": one(self.number),
            "issued": one(self.issued),
            "expires": one(self.expires),
            "standards": [f.to_dict() for f in self.standards],
            "directives": [f.to_dict() for f in self.directives],
            "models": [f.to_dict() for f in self.models],
            "holder": one(self.holder),
            "fcc_ids": [f.to_dict() for f in self.fcc_ids],
            "notified_body": one(self.notified_body),
        }


def _squash(text: str) -> str:
    return re.sub(r"[\s\-_./]", "", text).upper()


def _code_pattern(code: str) -> re.Pattern[str] | None:
    """A pattern for ``code`` as a whole token, tolerant of separators inside it."""
    chars = [c for c in code if not re.match(r"[\s\-_./]", c)]
    if not chars:
        return None
    body = r"[\s\-_./]*".join(re.escape(c) for c in chars)
    return re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", re.IGNORECASE)


# ---------------------------------------------------------------------------
# Document kind
# ---------------------------------------------------------------------------

#: The document kinds :func:`extract_certificate` recognises.
KINDS = (
    "ce-doc",
    "eu-type-examination",
    "fcc-grant",
    "fcc-sdoc",
    "fcc-test-report",
    "en71-report",
    "iec62471-report",
    "test-report",
    "certificate",
    "unknown",
)

_EU_TYPE = re.compile(
    r"EU[-\s]?type[-\s]examination\s+certificate|EC[-\s]type[-\s]examination|"
    r"EU[-\s]Baumusterprüfbescheinigung|Baumusterprüfbescheinigung|"
    r"certificat\s+d['’]\s?examen\s+UE\s+de\s+type|certificado\s+de\s+examen\s+UE\s+de\s+tipo|"
    r"certificato\s+di\s+esame\s+UE\s+del\s+tipo",
    re.IGNORECASE,
)
_FCC_GRANT = re.compile(r"grant\s+of\s+equipment\s+authori[sz]ation", re.IGNORECASE)
_FCC_SDOC = re.compile(
    r"supplier['’]?s\s+declaration\s+of\s+conformity|\bSDoC\b|FCC\s+declaration\s+of\s+conformity",
    re.IGNORECASE,
)
_DOC = re.compile(
    r"declaration\s+of\s+conformity|konformitätserklärung|déclaration\s+(?:UE\s+|CE\s+)?de\s+conformité|"
    r"declaración\s+(?:UE\s+|CE\s+)?de\s+conformidad|dichiarazione\s+(?:UE\s+|CE\s+)?di\s+conformità|"
    r"conformiteitsverklaring|verklaring\s+van\s+overeenstemming|deklaracja\s+zgodności|"
    r"declaração\s+(?:UE\s+)?de\s+conformidade|符合性声明",
    re.IGNORECASE,
)
_TEST_REPORT = re.compile(
    r"test\s+report|prüfbericht|rapport\s+d['’]\s?essais?|informe\s+de\s+ensayos?|rapporto\s+di\s+prova|"
    r"testrapport|sprawozdanie\s+z\s+badań|检测报告|测试报告|检验报告|试验报告",
    re.IGNORECASE,
)
_CERTIFICATE = re.compile(
    r"certificate|zertifikat|certificat|certificado|certificato|证书", re.IGNORECASE
)
_FCC_WORDS = re.compile(r"\bFCC\b|47\s*CFR|Federal\s+Communications", re.IGNORECASE)
_EN71 = re.compile(
    r"\bEN\s*71[-\s]?\d|\bEN\s*71\b|safety\s+of\s+toys|Sicherheit\s+von\s+Spielzeug", re.IGNORECASE
)
_IEC62471 = re.compile(r"62471|photobiological", re.IGNORECASE)


def _detect_kind(pages: list[str]) -> tuple[str, int, str | None]:
    """The kind, the page that shows it, and the title text it was read from."""
    # The title is on the first page with text (some reports open with a cover image).
    first = next((i for i, text in enumerate(pages) if len(text.strip()) > 200), 0)
    head = pages[first] if pages else ""
    everything = "\n".join(pages[:3])
    for pattern, kind in ((_EU_TYPE, "eu-type-examination"), (_FCC_GRANT, "fcc-grant")):
        match = pattern.search(head)
        if match:
            return kind, first + 1, match.group(0)
    sdoc = _FCC_SDOC.search(head)
    if sdoc:
        return "fcc-sdoc", first + 1, sdoc.group(0)
    report = _TEST_REPORT.search(head[:1500])
    doc = _DOC.search(head[:1500])
    if report and (not doc or report.start() < doc.start()):
        if _EN71.search(everything):
            return "en71-report", first + 1, report.group(0)
        if _IEC62471.search(everything):
            return "iec62471-report", first + 1, report.group(0)
        if _FCC_WORDS.search(everything):
            return "fcc-test-report", first + 1, report.group(0)
        return "test-report", first + 1, report.group(0)
    cert = _CERTIFICATE.search(head[:1500])
    if doc and cert and cert.start() < min(doc.start(), 120):
        # Titled CERTIFICATE (a lab's certificate of conformity), not a declaration.
        return "certificate", first + 1, cert.group(0)
    if doc:
        return "ce-doc", first + 1, doc.group(0)
    cert = _CERTIFICATE.search(head)
    if cert:
        return "certificate", first + 1, cert.group(0)
    return "unknown", 1, None


# ---------------------------------------------------------------------------
# Standards, directives, identifiers
# ---------------------------------------------------------------------------

_STANDARD = re.compile(
    r"(?<![\w/])(?:ETSI\s+)?(?:Draft\s+)?(?:EN|IEC|ISO|CISPR|UL|ASTM)(?:\s*/\s*EN|\s*/\s*IEC|\s+IEC|\s+ISO)?"
    r"\s*(?:TS\s+|TR\s+)?(?P<num>\d{2,5}(?:\s\d{3}(?!\d))?(?:-\d{1,3}){0,3})"
    r"(?P<ed>(?:\s*:\s*(?:19|20)\d{2}(?:\s*[+/]\s*(?:A|AC|AM)\d{0,2}\s*:\s*(?:19|20)\d{2})*)?"
    r"(?:\s+V(?:er\.?\s*)?\d+\.\d+\.\d+)?)",
    re.IGNORECASE,
)
_CFR = re.compile(
    r"(?:47\s*CFR|FCC(?:\s+CFR)?(?:\s+Title\s+47)?)\s*,?\s*(?:Part|PART|part)\s*(?P<part>\d+)"
    r"\s*(?P<sub>[A-Z](?![A-Za-z]))?(?:\s*,?\s*(?:Subpart|SUBPART|subpart)\s*(?P<subpart>[A-Z]))?"
)
_DIRECTIVE = re.compile(
    r"(?<![\d/])((?:19|20)\d{2})\s*/\s*(\d{1,3})\s*/\s*(EU|UE|EC|CE|EG|EEC|EWG|CEE)\b"
)
_FCC_ID = re.compile(
    r"FCC\s*(?:Identifier|ID)\s*(?:No\.?)?\s*[:：]?\s*(?P<id>[A-Za-z0-9][A-Za-z0-9_-]{1,30})",
    re.IGNORECASE,
)
_NOTIFIED_BODY = re.compile(
    r"(?:notified\s+body|benannte\s+stelle|organisme\s+notifié|organismo\s+notificado|"
    r"organismo\s+notificato|aangemelde\s+instantie|jednostka\s+notyfikowana|\bNB)"
    r"[^\d\n]{0,40}?(?P<nb>\d{4})(?!\d)",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/._]*[A-Za-z0-9]|[A-Za-z0-9]")


def normalize_standard(text: str) -> str:
    """``ETSI EN 300 328 Ver 2.2.2`` → ``EN 300 328 V2.2.2``; ``EN 62368-1: 2014 + A11:2017``
    → ``EN 62368-1:2014+A11:2017``."""
    text = re.sub(r"\s+", " ", text.strip()).upper()
    text = re.sub(r"^(?:ETSI |DRAFT )+", "", text)
    text = re.sub(r"\s*([:+/])\s*", r"\1", text)
    text = re.sub(r" VER\.? ?(\d)", r" V\1", text)
    return text


def standard_key(text: str) -> tuple[str, str]:
    """``(base, edition)`` of a standard, for comparing citations:
    ``EN IEC 62368-1:2020+A11:2020`` → ``("EN62368-1", ":2020+A11:2020")``."""
    norm = normalize_standard(text)
    match = re.match(r"(?P<base>[A-Z/ ]+?\s?[\d -]+?)(?P<ed>(?::|\sV\d).*)?$", norm)
    base, edition = (match.group("base"), match.group("ed") or "") if match else (norm, "")
    base = (
        base.replace(" ", "").replace("ENIEC", "EN").replace("ENISO", "EN").replace("IEC/EN", "EN")
    )
    base = base.replace("EN/IEC", "EN")
    return base, edition.replace(" ", "")


_CORRIGENDUM = re.compile(r"[+/]AC:\d{4}(?:-\d{2})?")


def split_corrigenda(edition: str) -> tuple[str, list[str]]:
    """An edition without its corrigenda, and the corrigenda:
    ``":2014+AC:2015+A11:2017"`` → ``(":2014+A11:2017", ["AC:2015"])``.

    A corrigendum (AC) corrects printing errors and changes no requirement, so two
    citations differing only in an AC cite the same edition."""
    found = [m.group(0)[1:] for m in _CORRIGENDUM.finditer(edition)]
    return _CORRIGENDUM.sub("", edition), found


def cfr_parts(text: str) -> set[str]:
    """FCC rule parts cited in ``text`` as ``{"15C", "15B", "15"}``."""
    parts: set[str] = set()
    for match in _CFR.finditer(text):
        sub = match.group("sub") or match.group("subpart") or ""
        parts.add(match.group("part") + sub.upper())
    return parts


# ---------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------


class _BoxReader:
    """Character boxes from an open document, one page open at a time: the last
    page asked for stays open (fields cluster on a page), and asking for another
    closes it first. :meth:`close` before the document is closed."""

    def __init__(self, document: pdfium.PdfDocument) -> None:
        self.document = document
        self.index = -1
        self.page: pdfium.PdfPage | None = None
        self.textpage: pdfium.PdfTextPage | None = None

    def adopt(self, index: int, page: pdfium.PdfPage, textpage: pdfium.PdfTextPage) -> None:
        """Keep page ``index``, just read for its text, open for its boxes (closing
        the page open before): the last page read is often the one whose boxes
        are asked for first (a one-page certificate's only page), and loading a
        page and its text again cost more than reading its text."""
        self.close()
        self.index, self.page, self.textpage = index, page, textpage

    def textpage_of(self, index: int) -> pdfium.PdfTextPage | None:
        if index != self.index:
            self.close()
            self.index = index
            try:
                self.page = self.document[index]
                self.textpage = self.page.get_textpage()
            except pdfium.PdfiumError:
                self.close()
                self.index = index  # do not retry a page pdfium fails on
        return self.textpage

    def close(self) -> None:
        if self.textpage is not None:
            self.textpage.close()
        if self.page is not None:
            self.page.close()
        self.index, self.page, self.textpage = -1, None, None


@dataclass
class _Page:
    """One page's text; character boxes are read back through a shared
    :class:`_BoxReader` on demand (only for the few matched fields), so pages
    are not all kept open while the text is searched."""

    number: int
    text: str
    height: float
    boxes: _BoxReader | None = None

    def bbox(self, start: int, end: int) -> list[float] | None:
        if self.boxes is None:
            return None
        textpage = self.boxes.textpage_of(self.number - 1)
        if textpage is None:
            return None
        try:
            return self._box(textpage, start, end)
        except pdfium.PdfiumError:
            return None

    def _box(self, textpage: pdfium.PdfTextPage, start: int, end: int) -> list[float] | None:
        left = bottom = float("inf")
        right = top = float("-inf")
        for index in range(start, min(end, textpage.count_chars(), len(self.text))):
            if self.text[index].isspace():
                continue
            x0, y0, x1, y1 = textpage.get_charbox(index)
            if x1 <= x0 and y1 <= y0:
                continue
            left, bottom, right, top = min(left, x0), min(bottom, y0), max(right, x1), max(top, y1)
        if left == float("inf"):
            return None
        return [
            round(left, 1),
            round(self.height - top, 1),
            round(right - left, 1),
            round(top - bottom, 1),
        ]


def _read_page(document: pdfium.PdfDocument, index: int, boxes: _BoxReader) -> _Page:
    """Page ``index``'s text. Its page and text objects are handed to ``boxes``,
    which closes the page read before: one page is open at a time, and the last
    one stays open for the boxes of its fields."""
    boxes.close()
    page = document[index]
    textpage = None
    try:
        textpage = page.get_textpage()
        # "\r\n" → "\n " keeps the string aligned with pdfium's char indices.
        text = textpage.get_text_range().replace("\r\n", "\n ")
        height = page.get_height()
    except BaseException:
        if textpage is not None:
            textpage.close()
        page.close()
        raise
    boxes.adopt(index, page, textpage)
    return _Page(index + 1, text, height, boxes)


def extract_certificate(path: str | Path) -> CertificateFields:
    """Extract the fields of the certificate PDF at ``path``.

    :raises UnreadablePdf: when the file cannot be opened as a PDF at all.
        An encrypted or image-only PDF is *not* an error: the result's
        ``problem`` says why nothing could be read.

    Pages are read one at a time, each closed when the next is read (a
    6000-page PDF keeps one page in memory, not 6000); the bounding boxes of the
    matched fields are read back afterwards, while the document is still open
    (from the last page read without loading it again).
    """
    result = CertificateFields(path=str(path))
    try:
        document = open_pdf(path)
    except PdfEncrypted:
        result.problem = "encrypted"
        return result
    boxes = _BoxReader(document)
    try:
        pages: list[_Page] = []
        try:
            for index in range(len(document)):
                pages.append(_read_page(document, index, boxes))
        except pdfium.PdfiumError as exc:
            if not pages:
                raise UnreadablePdf(str(exc)) from exc
        result.pages = len(pages)
        result.page_texts = [p.text for p in pages]
        result.text_chars = sum(len(re.sub(r"\s", "", p.text)) for p in pages)
        if result.text_chars < MIN_TEXT_CHARS:
            result.problem = "no-text"
            return result
        _extract_fields(result, pages)
        return result
    finally:
        boxes.close()
        document.close()


def fields_from_text(pages: list[str], path: str = "<text>") -> CertificateFields:
    """Extract the fields from already-extracted page texts (OCR output, tests).

    The result is the same as :func:`extract_certificate` would give for a PDF with
    that text, except that fields carry no bounding boxes.
    """
    result = CertificateFields(path=path, pages=len(pages), page_texts=list(pages))
    result.text_chars = sum(len(re.sub(r"\s", "", p)) for p in pages)
    if result.text_chars < MIN_TEXT_CHARS:
        result.problem = "no-text"
        return result
    _extract_fields(result, [_Page(i + 1, t, 0.0, None) for i, t in enumerate(pages)])
    return result


def _extract_fields(result: CertificateFields, pages: list[_Page]) -> None:
    kind, kind_page, title = _detect_kind(result.page_texts)
    result.kind = kind
    if title:
        start = pages[kind_page - 1].text.find(title)
        result.kind_field = Field(
            kind, kind_page, title, pages[kind_page - 1].bbox(start, start + len(title))
        )
    us = kind.startswith("fcc")
    result.issued = _labelled_date(pages, "issued", us)
    result.expires = _labelled_date(pages, "expires", us)
    if result.issued is None:
        result.issued = _place_and_date(pages, us)
    validity = _validity(pages, us)
    if result.expires is None and validity is not None:
        result.expires = validity
    result.number = _number(pages, kind)
    result.models = _models(pages)
    result.holder = _holder(pages)
    result.standards = _standards(pages)
    result.directives = _directives(pages)
    result.fcc_ids = _fcc_ids(pages)
    result.notified_body = _notified_body(pages)


def _lines(page: _Page) -> Iterable[tuple[int, str]]:
    """``(offset, line)`` for every line of the page."""
    offset = 0
    for line in page.text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def _label_hits(
    pages: list[_Page], name: str
) -> list[tuple[int, _Page, int, re.Match[str], str, str]]:
    """Every match of a field's labels: ``(priority, page, line offset, match, line,
    language)``, sorted by priority then document order. Labels are searched in the
    whole page text, so one that wraps ("issued\\n on") is still found; ``line`` is
    the text from the start of the label's line to the end of the line it ends on,
    and ``match`` indexes ``line``."""
    hits = []
    for page in pages:
        text = page.text
        starts = _label_starts(any_label(name), text)
        if not starts:
            continue
        for priority, (language, pattern) in enumerate(labels(name)):
            for found in _finditer_from(pattern, text, starts):
                line_start = text.rfind("\n", 0, found.start()) + 1
                label_end = found.end() if found.end() == found.start() else found.end() - 1
                line_end = text.find("\n", max(label_end, found.start()))
                line_end = len(text) if line_end < 0 else line_end
                if found.end() > line_end:  # the separator ran into the next line
                    line_end = found.end()
                    next_break = text.find("\n", line_end)
                    line_end = len(text) if next_break < 0 else next_break
                line = text[line_start:line_end]
                local = pattern.match(line, found.start() - line_start)
                if local is None:
                    continue
                hits.append((priority, page, line_start, local, line, language))
    hits.sort(key=lambda h: (h[0], h[1].number, h[2], h[3].start()))
    return hits


def _label_starts(any_pattern: re.Pattern[str], text: str) -> list[int]:
    """Every position where some label of a field starts (``any_pattern`` is the
    field's :func:`~.labels.any_label`), overlapping ones included: a search from
    one past each match finds the next. One scan of the page, however many
    labels the field has."""
    starts = []
    found = any_pattern.search(text)
    while found is not None:
        starts.append(found.start())
        found = any_pattern.search(text, found.start() + 1)
    return starts


def _finditer_from(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))`` for one label pattern, trying only at
    ``starts`` (:func:`_label_starts`).

    A label pattern is its labels, then a separator; wherever it matches, its
    labels match, so ``any_label`` does too and the position is in ``starts``.
    Like ``finditer``, the next match is looked for from the end of the last, so
    the matches are the same, found by a few anchored ``match`` calls instead of
    a scan of the whole page for each of a field's dozen patterns (the slowest
    part of reading a certificate). An empty match (no label pattern has one)
    would make ``finditer``'s rules for the next position apply: then
    ``finditer`` itself answers.
    """
    matches = []
    end = 0
    for start in starts:
        if start < end:
            continue
        found = pattern.match(text, start)
        if found is None:
            continue
        if found.end() == found.start():
            return list(pattern.finditer(text))
        matches.append(found)
        end = found.end()
    return matches


def _following(page: _Page, offset: int, line: str, lines_after: int = 2) -> list[tuple[int, str]]:
    """The next non-blank lines after the line at ``offset``."""
    result: list[tuple[int, str]] = []
    position = offset + len(line) + 1
    for next_line in page.text[position:].split("\n"):
        if len(result) >= lines_after:
            break
        if next_line.strip():
            result.append((position, next_line))
        position += len(next_line) + 1
    return result


def _date_language(language: str, us: bool) -> str:
    if language == "en":
        return "en-us" if us else "en"
    return language


def _date_field(
    page: _Page, base: int, match: DateMatch, label: str | None, language: str | None
) -> Field:
    start, end = base + match.start, base + match.end
    line_start = page.text.rfind("\n", 0, start) + 1
    line_end = page.text.find("\n", end)
    source = page.text[line_start : line_end if line_end >= 0 else len(page.text)].strip()
    return Field(
        match.value,
        page.number,
        source,
        page.bbox(start, end),
        label=label,
        language=language,
        candidates=match.candidates if match.value is None else (),
    )


def _labelled_date(pages: list[_Page], name: str, us: bool) -> Field | None:
    stacked: Field | None = None
    for _, page, offset, match, line, language in _label_hits(pages, name):
        lang = _date_language(language, us)
        start = offset + match.end()
        own_line = line.split("\n")[0]
        alone = not own_line[: match.start()].strip() and not own_line[match.end() :].strip(" :：.")
        if stacked is None and alone:
            stacked = _stacked_date(page, offset, match, lang)
        # The value may wrap onto the next line (prose, narrow table cells), so look
        # at the text after the label, not just the rest of its line.
        window = page.text[start : start + 90]
        dates = find_dates(window, lang)
        if not dates:
            continue
        first = dates[0]
        between = window[: first.start]
        rest_of_line = line[match.end() :]
        if first.start > len(rest_of_line) and len(rest_of_line.strip()) > 25:
            continue  # the label's own line holds another value; the date is not its
        if len(between.strip()) > 40:
            continue
        return _date_field(page, start, first, match.group(0).strip(), lang)
    return stacked


def _stacked_date(page: _Page, offset: int, match: re.Match[str], language: str) -> Field | None:
    """A label alone on its line whose value ends the line above: two-column tables
    whose label column wraps ("Test Report No. : X  Jul. 09, 2019" / "Date of issue")."""
    if offset < 2:
        return None
    previous_start = page.text.rfind("\n", 0, offset - 1) + 1
    previous = page.text[previous_start : offset - 1]
    dates = find_dates(previous, language)
    if not dates or previous[dates[-1].end :].strip():
        return None
    return _date_field(page, previous_start, dates[-1], match.group(0).strip(), language)


_PLACE_DATE = re.compile(
    r"^\s*(?P<place>[A-ZÀ-Þ][\w .'’()-]{2,40}?),\s*(?:(?:le|el|il|am|den)\s+)?(?=\d|[A-Za-z]{3})"
)


def _place_and_date(pages: list[_Page], us: bool) -> Field | None:
    """An unlabelled ``Bellaterra, 2 de agosto 2019`` line: the place and date of issue."""
    for page in pages:
        for offset, line in _lines(page):
            match = _PLACE_DATE.match(line)
            if not match:
                continue
            dates = find_dates(line[match.end() : match.end() + 40], "en-us" if us else None)
            if dates and dates[0].start == 0:
                return _date_field(page, offset + match.end(), dates[0], "place and date", None)
    return None


def _validity(pages: list[_Page], us: bool) -> Field | None:
    """The end of a ``Validity: 2024-01-01 to 2027-01-31`` range (or its only date)."""
    for _, page, offset, match, line, language in _label_hits(pages, "validity"):
        lang = _date_language(language, us)
        rest = line[match.end() :]
        dates = find_dates(rest[:90], lang)
        if dates:
            return _date_field(page, offset + match.end(), dates[-1], match.group(0).strip(), lang)
    return None


def _value_after(page: _Page, offset: int, line: str, match: re.Match[str]) -> tuple[int, str]:
    """The value of a label: the rest of its line, or the next line when empty."""
    rest = line[match.end() :]
    if rest.strip(" :：.-"):
        return offset + match.end(), rest
    following = _following(page, offset, line, 1)
    return following[0] if following else (offset + match.end(), "")


_NUMBER_PRIORITY = {
    "fcc-grant": ("fcc", "certificate", "report"),
    "en71-report": ("report", "certificate"),
    "iec62471-report": ("report", "certificate"),
    "test-report": ("report", "certificate"),
    "fcc-test-report": ("report", "certificate"),
}
_NUMBERISH = re.compile(r"(?=[A-Za-z0-9\-/._]*\d)[A-Za-z0-9][A-Za-z0-9\-/._]{3,}[A-Za-z0-9]")
_LABEL_WORDS = re.compile(r"^(?:no|nr|number|report|certificate|date|revision)$", re.IGNORECASE)


def _number(pages: list[_Page], kind: str) -> Field | None:
    preferred = _NUMBER_PRIORITY.get(kind, ("certificate", "declaration", "report"))
    candidates = []
    for priority, page, offset, match, line, language in _label_hits(pages, "number"):
        label = match.group(0).lower()
        if kind == "ce-doc" and "report" in label:
            continue  # a test report cited by a declaration is not the declaration's number
        base, value = _value_after(page, offset, line, match)
        token = _NUMBERISH.search(value)
        if not token or _LABEL_WORDS.match(token.group(0)):
            continue
        rank = next((i for i, word in enumerate(preferred) if word in label), len(preferred))
        if "fcc" in label and kind != "fcc-grant":
            rank = len(preferred) + 1
        start = base + token.start()
        text = token.group(0).rstrip(".")
        candidates.append(
            (
                rank,
                priority,
                page.number,
                offset,
                Field(
                    text,
                    page.number,
                    line.strip(),
                    page.bbox(start, start + len(text)),
                    label=match.group(0).strip(" :：."),
                    language=language,
                ),
            )
        )
    if not candidates:
        return _document_number(pages)
    candidates.sort(key=lambda c: c[:4])
    return candidates[0][4]


# A document-control number in a page footer, next to "Page 1 of 1":
# "UBX-21050650 - R01 Page 1 of 1" (u-blox), "DOC-2301-0042 Page 2 of 3".
_FOOTER_PAGE = re.compile(
    r"\b(?:page|seite|página|pagina|page)\s+\d+\s+(?:of|von|de|di|sur)\s+\d+\b", re.I
)
_DOCUMENT_CODE = re.compile(r"\b[A-Z]{2,6}-\d{5,10}(?:-\d{1,6})?\b")


def _document_number(pages: list[_Page]) -> Field | None:
    """With no labelled number: the document code printed beside "Page N of M"
    (the declaration's own document number in many makers' templates)."""
    for page in pages:
        for offset, line in _lines(page):
            if not _FOOTER_PAGE.search(line):
                continue
            code = _DOCUMENT_CODE.search(line)
            if code is None:
                continue
            start = offset + code.start()
            return Field(
                code.group(0),
                page.number,
                line.strip(),
                page.bbox(start, start + len(code.group(0))),
                label="document number",
                language=None,
            )
    return None


_MODEL_SPLIT = re.compile(
    r"\s*(?:,|;|/|\band\b|\bund\b|\bet\b|\by\b|\be\b|&|、|，)\s*", re.IGNORECASE
)
# A model code has a digit (M2239B1, ORA-TOF-001) or is upper case with a hyphen
# (YELLOW-KIT-POE); names with spaces ("Beaglebone AI") are not codes.
_MODEL_CODE = re.compile(
    r"^(?:(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-_.+]{1,30}|[A-Z0-9]+(?:-[A-Z0-9]+)+)$"
)


# Tokens that look like codes but name a radio protocol or a test condition,
# never a product ("Supported type: 802.11b/g/n", "Bluetooth 5.0").
_NOT_A_MODEL = re.compile(
    r"^(?:802\.\d+\w*|(?:BT|BLE|WIFI|LTE|NFC)\d[\w.]*|\d+(?:\.\d+)?[GM]HZ)$", re.I
)
# A product name kept whole when its label gives no code: at most 4 words, no
# sentence punctuation ("Beaglebone AI"), and not a placeholder.
_MODEL_NAME = re.compile(r"^[A-Za-z0-9][\w+\-.]*(?:[ \t][A-Za-z0-9][\w+\-.]*){0,3}$")
_YEAR_OR_VERSION = re.compile(r"(?:19|20)\d{2}|V?\d+(?:\.\d+)*")
_PLACEHOLDER = re.compile(r"^(?:n/?a|none|nil|-+|/|see\b.*|refer\b.*|not\s+applicable)$", re.I)
# A code in parentheses after a product name: "Home Assistant SkyConnect (HASKYCNCT)".
_PAREN_CODE = re.compile(r"\(([A-Z][A-Z0-9\-]{4,30})\)")
# Labels whose value is the model: "Model", "Model/Type", "Type(s)", "Model no",
# at the start of their line (after an optional item number). The same word
# after other words ("Supported type:", "the model described above") is weaker.
_STRONG_MODEL_LABEL = re.compile(
    r"^(?:model(?:s|l|o|e|nummer|bezeichnung)?|modèle|types?|tipos?|typ|型号|产品型号|规格型号)\b",
    re.I,
)
_PRODUCT_NAME_LABEL = re.compile(
    r"product\s+name|produktname|nom\s+du\s+produit|nombre\s+del\s+producto", re.I
)
_ITEM_NUMBER = re.compile(r"^\s*(?:\d{1,2}[.)]\s*)?$")


def _model_rank(line: str, match: re.Match[str]) -> int:
    """0: a model label starting its line; 1: any other model label; 2: a
    product-name label (used only when no model label gives a model)."""
    label = match.group(0).strip(" :：.#")
    if re.match(
        r"(?i)product\s+name|produktname|nom\s+du\s+produit|nombre\s+del\s+producto", label
    ):
        return 2
    if _ITEM_NUMBER.match(line[: match.start()]) and _STRONG_MODEL_LABEL.match(label):
        return 0
    return 1


def _models(pages: list[_Page]) -> list[Field]:
    """The model codes a document covers, from its best kind of model label.

    Codes (a token with a digit, or upper case with a hyphen) are taken from the
    label's value; a short product name with no code ("Model/Type: Beaglebone
    AI") is kept whole when its label starts the line; a code in parentheses
    ("SkyConnect (HASKYCNCT)") counts too. Only the best-ranked labels that give
    a model are used (see :func:`_model_rank`), so "Supported type: 802.11b/g/n"
    never outweighs "Model/Type: …", and a "Product name" column of a product
    table (u-blox "GNSS NEO-D9S-00A, NEO-D9S-00B") is read only when nothing
    better is there.
    """
    by_rank: dict[int, dict[str, Field]] = {}
    names: dict[str, Field] = {}  # whole product names, from rank-0 labels only
    for _, page, offset, match, line, language in _label_hits(pages, "model"):
        rank = _model_rank(line, match)
        found = by_rank.setdefault(rank, {})
        if len(found) >= 20:
            continue
        base, raw = _value_after(page, offset, line, match)
        label = re.sub(r"[\s:：]+$", "", match.group(0))
        # The quote: the label's line, and the value's line when it is the next one.
        source = line if base < offset + len(line) else f"{line} {raw}"
        quote = re.sub(r"\s+", " ", source).strip()

        def add(token: str, start: int, into: dict[str, Field]) -> None:
            into[token.upper()] = Field(
                token,
                page.number,  # noqa: B023 - called only within this iteration
                quote,  # noqa: B023
                page.bbox(start, start + len(token)),  # noqa: B023
                label=label,  # noqa: B023
                language=language,  # noqa: B023
            )

        for paren in _PAREN_CODE.finditer(raw):
            if paren.group(1).upper() not in found and not _NOT_A_MODEL.match(paren.group(1)):
                add(paren.group(1), base + paren.start(1), found)
        value = re.split(r"\s{3,}|\(|\b(?:Rating|Brand|Trade|Serial|Hardware|Software)\b", raw)[0]
        cursor = 0
        codes = 0
        for part in _MODEL_SPLIT.split(value):
            part = part.strip(" .:")
            part = re.sub(r"[.,;:]+(?=\s|$)", "", part)  # a sentence's full stop is not the code's
            # A model code is one token with a digit (M2239B1, ORA-TOF-001).
            tokens = [t for t in part.split() if _MODEL_CODE.match(t)]
            for token in tokens:
                if _NOT_A_MODEL.match(token) or re.fullmatch(
                    r"(?:19|20)\d{2}|V?\d+(?:\.\d+)*", token
                ):
                    continue
                codes += 1
                if token.upper() in found:
                    continue
                index = value.find(token, cursor)
                cursor = max(cursor, index + len(token))
                add(token, base + index, found)
        name = value.strip(" \t.:;,")
        if (
            rank == 0
            and not codes
            and not _PAREN_CODE.search(raw)
            and _MODEL_NAME.match(name)
            and not _PLACEHOLDER.match(name)
            and name.upper() not in names
            and name.lower() not in _LABEL_NAMES
        ):
            add(name, base + value.find(name), names)
    for rank in sorted(by_rank):
        if by_rank[rank]:
            return list(by_rank[rank].values())
    # No code anywhere: the product names of model labels ("Beaglebone AI").
    return list(names.values())[:20]


# Words a table layout puts after a model label that are labels themselves.
_LABEL_NAMES = frozenset(
    {"number", "no", "name", "description", "designation", "type", "types", "code", "version"}
)


def _holder(pages: list[_Page]) -> Field | None:
    for _, page, offset, match, line, language in _label_hits(pages, "holder"):
        # A holder label starts its line (after a list number) or ends with a colon;
        # "the manufacturer" in prose is not a label.
        before = line[: match.start()].strip(" .0123456789)•-")
        if before and not match.group(0).rstrip().endswith((":", "：")):
            continue
        base, value = _value_after(page, offset, line, match)
        value = re.split(r"\s{2,}|\bAddress\b|\bAdresse\b|\bDirección\b|\bIndirizzo\b", value)[0]
        value = value.strip(" :：,.")
        if len(value) < 3 or not re.search(r"[A-Za-z\u4e00-\u9fff]{2}", value):
            continue
        start = base + max(0, page.text[base:].find(value))
        return Field(
            value,
            page.number,
            line.strip(),
            page.bbox(start, start + len(value)),
            label=match.group(0).strip(" :："),
            language=language,
        )
    return None


def _standards(pages: list[_Page]) -> list[Field]:
    found: dict[str, Field] = {}
    for page in pages:
        text = page.text
        for match in _STANDARD.finditer(text):
            raw = match.group(0)
            if "\n" in raw:  # a number split across lines is two things, not one
                raw = raw.split("\n")[0]
            raw = raw.rstrip(" :+/")
            norm = normalize_standard(raw)
            if not re.search(r"\d{3}", norm) or norm in found:
                continue
            start = match.start()
            found[norm] = Field(norm, page.number, raw.strip(), page.bbox(start, start + len(raw)))
        for match in _CFR.finditer(text):
            norm = re.sub(r"\s+", " ", match.group(0)).strip()
            if norm not in found:
                found[norm] = Field(norm, page.number, norm, page.bbox(match.start(), match.end()))
    return list(found.values())


def _directives(pages: list[_Page]) -> list[Field]:
    found: dict[str, Field] = {}
    suffix = {"UE": "EU", "CE": "EC", "EG": "EC", "EWG": "EEC", "CEE": "EEC"}
    for page in pages:
        for match in _DIRECTIVE.finditer(page.text):
            norm = f"{match.group(1)}/{match.group(2)}/{suffix.get(match.group(3), match.group(3))}"
            if norm not in found:
                found[norm] = Field(norm, page.number, match.group(0), page.bbox(*match.span()))
    return list(found.values())


def _fcc_ids(pages: list[_Page]) -> list[Field]:
    found: dict[str, Field] = {}
    for page in pages:
        for match in _FCC_ID.finditer(page.text):
            value = match.group("id")
            if value.upper() in found:
                continue
            line_start = page.text.rfind("\n", 0, match.start()) + 1
            line_end = page.text.find("\n", match.end())
            line = page.text[line_start : line_end if line_end >= 0 else None].strip()
            found[value.upper()] = Field(value, page.number, line, page.bbox(*match.span("id")))
    return list(found.values())


def _notified_body(pages: list[_Page]) -> Field | None:
    for page in pages:
        match = _NOTIFIED_BODY.search(page.text)
        if match:
            return Field(
                match.group("nb"),
                page.number,
                re.sub(r"\s+", " ", match.group(0)),
                page.bbox(*match.span("nb")),
            )
    return None
