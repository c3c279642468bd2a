"""What a manual says, language by language: one extraction, two views.

:func:`analyse_manual` reads a PDF once and returns a :class:`ManualAnalysis`:
the hooks turn it into findings and report facts, and a command such as
``listguard inspect`` can print it (``to_dict``) without a listing around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from listguard.i18n import join, msg

from .detect import UNDETERMINED, LabelledWindow, default_candidates, label_windows, windows_of
from .extract import PdfEncrypted, PdfUnreadable, extract_pdf
from .text import has_arabic, has_presentation_forms, line_letters, normalise

#: Default for the ``min-chars`` option: letters a language needs to count as present.
DEFAULT_MIN_CHARS = 300
#: A page with fewer letters than this has, for our purpose, no text layer.
PAGE_TEXT_LETTERS = 20


@dataclass
class LanguageCoverage:
    """Where one language was found: letters and page ranges (1-based, inclusive)."""

    code: str
    chars: int = 0
    ranges: list[tuple[int, int]] = field(default_factory=list)

    @property
    def first_page(self) -> int:
        return self.ranges[0][0]

    @property
    def last_page(self) -> int:
        return self.ranges[-1][1]

    def add(self, page: int, letters: int) -> None:
        self.chars += letters
        if self.ranges and self.ranges[-1][1] >= page - 1:
            self.ranges[-1] = (self.ranges[-1][0], max(page, self.ranges[-1][1]))
        else:
            self.ranges.append((page, page))

    def describe(self) -> str:
        """``es: pages 5–9, 6,420 chars`` (non-contiguous ranges joined by commas)."""
        spans = ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in self.ranges)
        single = len(self.ranges) == 1 and self.ranges[0][0] == self.ranges[0][1]
        if single:
            return msg(
                "{code}: page {pages}, {chars:,} chars",
                code=self.code,
                pages=spans,
                chars=self.chars,
            )
        return msg(
            "{code}: pages {pages}, {chars:,} chars", code=self.code, pages=spans, chars=self.chars
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "pages": [self.first_page, self.last_page],
            "ranges": [list(r) for r in self.ranges],
            "chars": self.chars,
        }


@dataclass
class ManualAnalysis:
    """The result of reading one manual.

    ``status`` is ``"ok"``, ``"no-text"`` (scanned: fewer than ``min_chars``
    letters could be extracted), ``"encrypted"`` or ``"unreadable"`` (not a
    PDF PDFium can open; ``error`` says why). ``languages`` holds the languages
    with at least ``min_chars`` letters; ``traces`` those found below it (a
    cover line, a language list); ``undetermined`` letters in scripts no
    candidate language uses, by script.
    """

    file: str
    status: str = "ok"
    error: str | None = None
    pages: int = 0
    letters: int = 0
    min_chars: int = DEFAULT_MIN_CHARS
    languages: dict[str, LanguageCoverage] = field(default_factory=dict)
    traces: dict[str, int] = field(default_factory=dict)
    undetermined: dict[str, int] = field(default_factory=dict)
    pages_without_text: list[int] = field(default_factory=list)
    two_column_pages: list[int] = field(default_factory=list)
    presentation_forms: bool = False
    models_seen: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)

    @property
    def has_text(self) -> bool:
        return self.status == "ok"

    def found(self) -> list[LanguageCoverage]:
        """Present languages, most text first."""
        return sorted(self.languages.values(), key=lambda c: (-c.chars, c.code))

    def summary(self) -> str:
        """``es: pages 1–4, 3,200 chars; pt: page 5, 410 chars`` or ``no language``."""
        found = self.found()
        return join(msg("; "), [c.describe() for c in found]) if found else msg("no language")

    def to_dict(self) -> dict[str, Any]:
        """The report fact for this manual (see the facts convention)."""
        data: dict[str, Any] = {
            "text": self.has_text,
            "status": self.status,
            "pages": self.pages,
            "letters": self.letters,
            "min_chars": self.min_chars,
            "languages": {c.code: c.to_dict() for c in self.found()},
            "models_seen": list(self.models_seen),
        }
        if self.traces:
            data["traces"] = dict(sorted(self.traces.items()))
        if self.undetermined:
            data["undetermined"] = dict(sorted(self.undetermined.items()))
        if self.pages_without_text:
            data["pages_without_text"] = list(self.pages_without_text)
        if self.two_column_pages:
            data["two_column_pages"] = list(self.two_column_pages)
        if self.presentation_forms:
            data["arabic_presentation_forms"] = True  # normalised with NFKC
        if self.error:
            data["error"] = self.error
        return data


def analyse_manual(
    path: Path | str,
    candidates: Iterable[str] | None = None,
    min_chars: int = DEFAULT_MIN_CHARS,
    models: Iterable[str] = (),
    file: str | None = None,
) -> ManualAnalysis:
    """Read the manual at ``path`` and find its languages and model codes.

    :param candidates: ISO 639-1 codes to choose between (default:
        :func:`~listguard.plugins.manuals.detect.default_candidates`).
    :param min_chars: letters a language needs to count as present.
    :param models: model codes to look for (spaces and hyphens in the text
        are ignored: ``OV-2301 A1`` mentions ``OV2301A1``).
    :param file: the name to report (default: ``path`` as given).

    Never raises for a bad file: an unreadable or encrypted PDF comes back with
    that ``status``.
    """
    analysis = ManualAnalysis(file=file or str(path), min_chars=min_chars)
    pool = frozenset(candidates) if candidates is not None else default_candidates()
    analysis.candidates = sorted(pool)
    try:
        extracted = extract_pdf(path)
    except PdfEncrypted as exc:
        analysis.status, analysis.error = "encrypted", str(exc)
        return analysis
    except PdfUnreadable as exc:
        analysis.status, analysis.error = "unreadable", str(exc)
        return analysis
    analysis.pages = len(extracted.pages)
    # Presentation forms are Arabic script: pages without it need no second look.
    arabic = [has_arabic(p) for p in extracted.pages]
    analysis.presentation_forms = any(
        has_presentation_forms(p) for p, a in zip(extracted.pages, arabic, strict=True) if a
    )
    pages = [normalise(p, a) for p, a in zip(extracted.pages, arabic, strict=True)]
    # Counted once, per line: the windows are cut from the same counts.
    line_counts = [line_letters(p) for p in pages]
    per_page = [sum(counts) for counts in line_counts]
    analysis.letters = sum(per_page)
    analysis.pages_without_text = [n for n, c in enumerate(per_page, 1) if c < PAGE_TEXT_LETTERS]
    analysis.two_column_pages = [n for n, c in enumerate(extracted.columns, 1) if c > 1]
    if analysis.letters < min_chars:
        analysis.status = "no-text"
        return analysis
    labelled = label_windows(windows_of(pages, line_counts), pool)
    _collect(analysis, labelled)
    analysis.models_seen = models_mentioned(pages, models)
    return analysis


def _collect(analysis: ManualAnalysis, labelled: Sequence[LabelledWindow]) -> None:
    coverage: dict[str, LanguageCoverage] = {}
    for window in labelled:
        if window.language == UNDETERMINED:
            key = (window.script or "UNKNOWN").lower()
            analysis.undetermined[key] = analysis.undetermined.get(key, 0) + window.letters
            continue
        coverage.setdefault(window.language, LanguageCoverage(window.language)).add(
            window.page, window.letters
        )
    for code, cover in coverage.items():
        if cover.chars >= analysis.min_chars:
            analysis.languages[code] = cover
        else:
            analysis.traces[code] = cover.chars


_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
_SEPARATORS = "[^0-9A-Z]*"


def models_mentioned(pages: Sequence[str], models: Iterable[str]) -> list[str]:
    """The model codes of ``models`` that appear in the text, sorted.

    Case, spaces, hyphens and dots are ignored on both sides, because manuals
    print ``OV-2301A1`` or ``OV 2301 A1`` for the model ``OV2301A1``.
    """
    wanted = {m: _NOT_ALNUM.sub("", m.upper()) for m in models}
    wanted = {m: key for m, key in wanted.items() if len(key) >= 3}
    if not wanted:
        return []
    text = " ".join(pages).upper()
    # The key's characters with anything but [0-9A-Z] between them: the same
    # as looking for the key in the text stripped of [^0-9A-Z], without
    # building that copy of the whole manual (a sub with a match per word).
    return sorted(
        m
        for m, key in wanted.items()
        if re.search(_SEPARATORS.join(map(re.escape, key)), text) is not None
    )
