"""Page text from a PDF, in reading order, with pypdfium2.

pypdfium2 returns a page's characters in content-stream order, merging
characters that share a baseline into one line. That is right for one column,
and for two columns written one after the other, but a page whose columns are
written row by row (tables, some DTP exports) comes out with the left and right
column interleaved on every line — fatal when the columns are in different
languages. So each page is first checked for a vertical gutter (a band no text
segment crosses, with text on both sides); if there is one, each column is read
on its own.

Right-to-left text (Arabic) is rebuilt from character boxes instead: PDFium's
own ordering of shaped Arabic glyphs is unreliable (words cut and reordered),
while the boxes say exactly where each letter sits. The result is in visual
order; :func:`listguard.plugins.manuals.text.normalise` turns it back.
"""

from __future__ import annotations

from ctypes import byref, c_double
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from listguard.pdf import PdfEncrypted, PdfUnreadable, open_pdf

from .text import has_arabic

__all__ = ["ExtractedPdf", "PdfEncrypted", "PdfUnreadable", "column_bands", "extract_pdf"]

Box = tuple[float, float, float, float]  # left, bottom, right, top (PDF points)

#: A gap narrower than this (points) is word spacing, not a gutter.
MIN_GUTTER = 6.0


@dataclass
class ExtractedPdf:
    """The raw text of each page (index 0 is page 1) and what went wrong."""

    pages: list[str] = field(default_factory=list)
    columns: list[int] = field(default_factory=list)  # columns found per page
    failed_pages: list[int] = field(default_factory=list)  # 1-based


def extract_pdf(path: Path | str) -> ExtractedPdf:
    """Extract every page's text in reading order.

    :raises PdfEncrypted: the document needs a password.
    :raises PdfUnreadable: PDFium cannot open the document at all.

    A page PDFium fails on is recorded in ``failed_pages`` with empty text, so
    one broken page does not lose the rest of the manual.
    """
    document = open_pdf(path)
    result = ExtractedPdf()
    try:
        for index in range(len(document)):
            try:
                text, columns = _page_text(document[index])
            except pdfium.PdfiumError:
                text, columns = "", 0
                result.failed_pages.append(index + 1)
            result.pages.append(text)
            result.columns.append(columns)
    finally:
        document.close()
    return result


def _page_text(page: pdfium.PdfPage) -> tuple[str, int]:
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return "", 0
        text = textpage.get_text_range(0, count)
        width = page.get_width()
        rects = _rects(textpage)
        bands = column_bands(rects, width)
        if has_arabic(text):
            return _text_from_boxes(textpage, text, count, bands), len(bands)
        if len(bands) == 1:
            return text, 1
        height = page.get_height()
        parts = [textpage.get_text_bounded(left, 0, right, height) for left, right in bands]
        return "\n".join(parts), len(bands)
    finally:
        textpage.close()
        page.close()


def _rects(textpage: pdfium.PdfTextPage) -> list[Box]:
    """``[textpage.get_rect(i) for i in range(textpage.count_rects())]``, faster.

    A page has hundreds of text segments; pypdfium2's ``get_rect`` makes four
    ctypes doubles per call, which was a third of the cost of reading them.
    These four are made once per page.
    """
    count = pdfium_c.FPDFText_CountRects(textpage, 0, -1)
    if count == -1:
        raise pdfium.PdfiumError("Failed to count rectangles.")
    left, bottom, right, top = c_double(), c_double(), c_double(), c_double()
    refs = byref(left), byref(top), byref(right), byref(bottom)  # FPDFText_GetRect: l, t, r, b
    get_rect = pdfium_c.FPDFText_GetRect
    rects = []
    for index in range(count):
        if not get_rect(textpage, index, *refs):
            raise pdfium.PdfiumError("Failed to get rectangle.")
        rects.append((left.value, bottom.value, right.value, top.value))
    return rects


def column_bands(rects: list[Box], width: float, depth: int = 2) -> list[tuple[float, float]]:
    """Split the page ``[0, width]`` at vertical gutters into column bands.

    A gutter is the widest horizontal gap, in the middle 60% of the span, that
    no text segment crosses, with text on both sides *side by side* (their
    vertical extents overlap — a heading above a paragraph is not a column).
    Segments wider than 60% of the span (running headers, titles) are ignored
    when looking for the gap. Splits recursively, ``depth`` times at most.
    """
    return _split(rects, 0.0, width, depth)


def _split(rects: list[Box], left: float, right: float, depth: int) -> list[tuple[float, float]]:
    span = right - left
    inside = [r for r in rects if r[0] >= left - 1 and r[2] <= right + 1]
    narrow = [r for r in inside if (r[2] - r[0]) <= 0.6 * span]
    if depth <= 0 or len(narrow) < 6:
        return [(left, right)]
    gap = _widest_gap(narrow, left + 0.2 * span, right - 0.2 * span)
    if gap is None:
        return [(left, right)]
    cut = (gap[0] + gap[1]) / 2
    west = [r for r in narrow if r[2] <= cut]
    east = [r for r in narrow if r[0] >= cut]
    if len(west) < 3 or len(east) < 3 or not _overlap_vertically(west, east):
        return [(left, right)]
    return _split(rects, left, cut, depth - 1) + _split(rects, cut, right, depth - 1)


def _widest_gap(rects: list[Box], low: float, high: float) -> tuple[float, float] | None:
    best: tuple[float, float] | None = None
    reach = low
    for x0, _, x1, _ in sorted(rects):
        if x0 > reach and x0 > low:
            start, end = max(reach, low), min(x0, high)
            if end - start >= MIN_GUTTER and (best is None or end - start > best[1] - best[0]):
                best = (start, end)
        reach = max(reach, x1)
        if reach >= high:
            break
    # Text ending before the right edge of the search window is a gutter only
    # if something lies beyond it, which _split checks.
    if high - reach >= MIN_GUTTER and (best is None or high - reach > best[1] - best[0]):
        best = (reach, high)
    return best


def _overlap_vertically(west: list[Box], east: list[Box]) -> bool:
    w_low, w_high = min(r[1] for r in west), max(r[3] for r in west)
    e_low, e_high = min(r[1] for r in east), max(r[3] for r in east)
    overlap = min(w_high, e_high) - max(w_low, e_low)
    return overlap > 0.3 * min(w_high - w_low, e_high - e_low)


def _text_from_boxes(
    textpage: pdfium.PdfTextPage, text: str, count: int, bands: list[tuple[float, float]]
) -> str:
    # One character per index only when nothing lies outside the BMP.
    chars = text if len(text) == count else None
    glyphs: list[tuple[float, float, float, float, str]] = []
    for index in range(count):
        char = chars[index] if chars is not None else textpage.get_text_range(index, 1)
        if char in "\r\n":
            continue  # generated by PDFium, not on the page
        # Loose boxes span the font's ascent to descent: one height per line,
        # whatever the glyph (Arabic marks and ligatures sit high or low).
        left, bottom, right, top = textpage.get_charbox(index, loose=True)
        if right <= left and not char.isspace():
            continue
        glyphs.append((left, bottom, right, top, char))
    columns = []
    for band_left, band_right in bands:
        in_band = [g for g in glyphs if band_left <= (g[0] + g[2]) / 2 < band_right]
        columns.append(_lines_from_glyphs(in_band))
    return "\n".join(columns)


def _lines_from_glyphs(glyphs: list[tuple[float, float, float, float, str]]) -> str:
    if not glyphs:
        return ""
    heights = sorted(g[3] - g[1] for g in glyphs if g[3] > g[1])
    size = heights[len(heights) // 2] if heights else 10.0
    lines: list[list[tuple[float, float, float, float, str]]] = []
    centre = None
    for glyph in sorted(glyphs, key=lambda g: -(g[1] + g[3]) / 2):
        middle = (glyph[1] + glyph[3]) / 2
        if centre is None or abs(middle - centre) > 0.5 * size:
            lines.append([])
            centre = middle
        lines[-1].append(glyph)
    out = []
    for line in lines:
        line.sort(key=lambda g: g[0])
        pieces: list[str] = []
        previous_right = None
        for left, _, right, _, char in line:
            # A visible gap between glyphs is a word space the PDF did not encode.
            gap = previous_right is not None and left - previous_right > 0.25 * size
            if gap and pieces and pieces[-1] != " " and char != " ":
                pieces.append(" ")
            pieces.append(char)
            previous_right = max(right, previous_right or right)
        out.append("".join(pieces))
    return "\n".join(out)
