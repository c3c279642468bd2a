"""Read a UN 38.3 test summary PDF: its text, and the elements the rules need.

The test summary's content is fixed by the UN Manual of Tests and Criteria,
sub-section 38.3.5; its layout is not. Laboratories print it as a form
(``Label: value`` lines) or a table, so the parser looks for each element's
label, case-insensitively, on any page, and for each test ``T1``…``T8`` on a
line that also states its result.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

TESTS = tuple(f"T{n}" for n in range(1, 9))


class UnreadablePdf(Exception):
    """The file does not open as a PDF (corrupt, truncated, or encrypted)."""


@dataclass
class PageText:
    number: int  # 1-based
    text: str


@dataclass
class Found:
    """An element found in the summary: its value, the page, and the words' box."""

    value: Any
    page: int
    text: str
    # the number as written ("55.40"), for figures compared at their precision
    raw: str = ""


@dataclass
class Summary:
    """What the parser found; an element that is absent is ``None``."""

    manufacturer: Found | None = None
    laboratory: Found | None = None
    date: Found | None = None
    watt_hours: Found | None = None
    # every distinct Wh figure in the text, used when none is labelled
    wh_candidates: list[float] = field(default_factory=list)
    # "T1" → Found(value="pass" | "fail" | "n/a")
    tests: dict[str, Found] = field(default_factory=dict)

    def facts(self) -> dict[str, Any]:
        def value(found: Found | None) -> Any:
            return None if found is None else found.value

        date = value(self.date)
        return {
            "type": "UN38_3",
            "manufacturer": value(self.manufacturer),
            "laboratory": value(self.laboratory),
            "date": date.isoformat() if date else None,
            "watt_hours": value(self.watt_hours),
            "tests": {code: found.value for code, found in sorted(self.tests.items())},
        }


def read_pages(path: Path) -> list[PageText]:
    """The text of every page; raises :class:`UnreadablePdf`."""
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise UnreadablePdf(str(exc)) from None
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            text = page.get_textpage().get_text_range()
            pages.append(PageText(index + 1, text.replace("\r\n", "\n").replace("\r", "\n")))
        return pages
    finally:
        pdf.close()


# A label is followed by its value after a colon ("Manufacturer: Orvina"), or,
# in a table row whose cells the text layer joins with a space, at the start of
# a line ("Manufacturer Orvina"). The second form must not take the next word of
# a longer label ("Manufacturer address ...") as the value.
_COLON = r"\s*(?:\([^)]*\)\s*)?[:：]\s*(?P<value>\S.+?)\s*$"
_CELL = (
    r"(?!\s+(?:address|contact|phone|tel|telephone|e-?mail|web|website|fax|"
    r"information|info|details|no\.?|number)\b)\s+(?P<value>\S.+?)\s*$"
)
_LINE_START = r"^\s*(?:(?:\d{1,2}|[a-z])[.)]\s*)?"
_MANUFACTURER_LABEL = (
    r"(?:name\s+of\s+(?:the\s+)?)?(?:(?:cell|battery|cell\s*/\s*battery)\s+)?"
    r"manufacturer(?:'s)?(?:\s+name)?"
)
_LABORATORY_LABEL = r"(?:name\s+of\s+(?:the\s+)?)?test(?:ing)?\s+lab(?:oratory)?(?:'s)?(?:\s+name)?"
_FLAGS = re.IGNORECASE | re.MULTILINE


def _label_patterns(label: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    return (
        re.compile(r"(?<![A-Za-z])" + label + _COLON, _FLAGS),
        re.compile(_LINE_START + label + _CELL, _FLAGS),
    )


_MANUFACTURER = _label_patterns(_MANUFACTURER_LABEL)
_LABORATORY = _label_patterns(_LABORATORY_LABEL)
# The value must parse as a date, so the separator may be anything.
_DATE_LABEL = re.compile(
    r"(?<![A-Za-z])(?:date\s+of\s+(?:the\s+)?(?:test\s+)?(?:report|issue|summary|test)|"
    r"(?:report|issue|test(?:ing)?|summary)\s+date|date)\b(?P<value>.*)$",
    _FLAGS,
)
_WH_LABEL = re.compile(
    r"watt[\s-]*hours?(?:\s+rating)?\s*(?:\((?:wh)\)\s*)?[:：]?\s*"
    r"(?P<value>\d+(?:[.,]\d+)?)\s*(?:wh\b)?",
    re.IGNORECASE,
)
_WH_ANY = re.compile(r"(?<![\d.,])(?P<value>\d+(?:[.,]\d+)?)\s*Wh\b")
# "T1", "T.1", "T 1", or a range "T1-T8" / "T1 to T8"; not "T10" or "T1.5".
_TEST_CODE = re.compile(
    r"(?<![A-Za-z0-9])T\.?\s?(?P<a>[1-8])"
    r"(?:\s*(?:-|–|to)\s*T\.?\s?(?P<b>[1-8]))?(?!\d|\.\d)"
)
_RESULT = re.compile(
    r"\b(?P<result>pass(?:ed)?|fail(?:ed)?|not\s+applicable|n/a)\b",
    re.IGNORECASE,
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_YMD_DOTS = re.compile(r"\b(\d{4})[./](\d{1,2})[./](\d{1,2})\b")
_DMY = re.compile(r"\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")
_D_MONTH_Y = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})\b")
_MONTH_D_Y = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})\b")


def parse_date(text: str) -> dt.date | None:
    """A date written as ISO ``2025-03-10``, day-first ``10.03.2025`` /
    ``10/03/2025``, ``10 March 2025`` or ``March 10, 2025``; else ``None``."""
    candidates: list[tuple[int, int, int]] = []
    if m := _ISO.search(text):
        candidates.append((int(m[1]), int(m[2]), int(m[3])))
    if m := _YMD_DOTS.search(text):
        candidates.append((int(m[1]), int(m[2]), int(m[3])))
    if m := _DMY.search(text):
        candidates.append((int(m[3]), int(m[2]), int(m[1])))
    if (m := _D_MONTH_Y.search(text)) and m[2].lower() in _MONTHS:
        candidates.append((int(m[3]), _MONTHS[m[2].lower()], int(m[1])))
    if (m := _MONTH_D_Y.search(text)) and m[1].lower() in _MONTHS:
        candidates.append((int(m[3]), _MONTHS[m[1].lower()], int(m[2])))
    for year, month, day in candidates:
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_summary(pages: list[PageText]) -> Summary:
    """Find the elements of a UN 38.3 test summary in its pages' text."""
    summary = Summary()
    for page in pages:
        text = page.text
        if summary.manufacturer is None and (maker := _labelled(text, _MANUFACTURER)):
            summary.manufacturer = Found(maker, page.number, maker)
        if summary.laboratory is None and (lab := _labelled(text, _LABORATORY)):
            summary.laboratory = Found(lab, page.number, lab)
        if summary.date is None:
            for dated in _DATE_LABEL.finditer(text):
                if (date := parse_date(dated["value"])) is not None:
                    summary.date = Found(date, page.number, dated["value"])
                    break
        if summary.watt_hours is None and (rating := _WH_LABEL.search(text)):
            wh = _number(rating["value"])
            summary.watt_hours = Found(wh, page.number, rating.group(0).strip(), rating["value"])
        for figure in _WH_ANY.finditer(text):
            wh = _number(figure["value"])
            if wh not in summary.wh_candidates:
                summary.wh_candidates.append(wh)
        for line in text.split("\n"):
            _read_test_line(line, page.number, summary)
    if summary.watt_hours is None and len(summary.wh_candidates) == 1:
        # one unlabelled figure (a table cell "55.4 Wh"): it can only be the rating
        only = summary.wh_candidates[0]
        number, snippet, raw = _first_page_with(pages, only)
        summary.watt_hours = Found(only, number, snippet, raw)
    return summary


def _labelled(text: str, patterns: tuple[re.Pattern[str], ...]) -> str | None:
    for pattern in patterns:
        if m := pattern.search(text):
            return m["value"]
    return None


def _read_test_line(line: str, page: int, summary: Summary) -> None:
    # A line may carry one test ("T3 Vibration Pass") or a compact list
    # ("T1-T5: Pass"); ranges are expanded.
    for m in re.finditer(
        r"(?<![A-Za-z0-9])T\.?\s?(?P<a>[1-8])(?:\s*(?:-|–|to)\s*T\.?\s?(?P<b>[1-8]))?(?![\d.])",
        line,
    ):
        result = _RESULT.search(line, m.end())
        if result is None:
            continue
        word = result["result"].lower()
        value = "pass" if word.startswith("pass") else "fail" if word.startswith("fail") else "n/a"
        first, last = int(m["a"]), int(m["b"] or m["a"])
        for n in range(first, max(first, last) + 1):
            summary.tests.setdefault(f"T{n}", Found(value, page, line.strip()))


def _first_page_with(pages: list[PageText], value: float) -> tuple[int, str, str]:
    for page in pages:
        for m in _WH_ANY.finditer(page.text):
            if _number(m["value"]) == value:
                return page.number, m.group(0), m["value"]
    return pages[0].number if pages else 1, "", ""


def locate(path: Path, page: int, snippet: str) -> list[float] | None:
    """The box ``[x, y, w, h]`` (PDF points from the page's top-left) of the
    first occurrence of ``snippet`` on ``page``, or ``None``."""
    if not snippet:
        return None
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return None
    try:
        pdf_page = pdf[page - 1]
        textpage = pdf_page.get_textpage()
        searcher = textpage.search(snippet, match_case=False)
        hit = searcher.get_next()
        if hit is None:
            return None
        index, count = hit
        boxes = [textpage.get_charbox(i) for i in range(index, index + count)]
        left = min(b[0] for b in boxes)
        bottom = min(b[1] for b in boxes)
        right = max(b[2] for b in boxes)
        top = max(b[3] for b in boxes)
        height = pdf_page.get_height()
        return [
            round(left, 1),
            round(height - top, 1),
            round(right - left, 1),
            round(top - bottom, 1),
        ]
    finally:
        pdf.close()
