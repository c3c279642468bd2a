"""Dates as certificates print them, in the languages their labels use.

:func:`find_dates` finds every date in a piece of text and returns
:class:`DateMatch` objects. A numeric date whose day and month could be swapped
(``05/03/2027``) is resolved by the *label language* when it has one clear
convention (German, French, Spanish, Italian, … write day first; the US writes
month first) and otherwise comes back *ambiguous*, with both readings, so a
caller never relies on a silent guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

#: Month names and abbreviations in the languages certificates are written in.
MONTHS: dict[str, int] = {}
_MONTH_NAMES = {
    1: "january jan januar janvier janv enero ene gennaio gen januari jan. styczeń stycznia sty janeiro",  # noqa: E501
    2: "february feb februar février fevrier févr fevr febrero febbraio februari lutego luty lut fevereiro fev",  # noqa: E501
    3: "march mar märz maerz mars marzo maart marca marzec março",
    4: "april apr avril avr abril abr aprile apr kwietnia kwiecień kwi",
    5: "may mai mayo maggio mag mei maja maj maio",
    6: "june jun juni juin junio giugno giu czerwca czerwiec cze junho",
    7: "july jul juli juillet juil julio luglio lug lipca lipiec lip julho",
    8: "august aug august août aout agosto ago augustus sierpnia sierpień sie",
    9: "september sep sept septembre septiembre setiembre settembre set września wrzesień wrz setembro",  # noqa: E501
    10: "october oct oktober okt octobre octubre ottobre ott oktober października październik paź outubro out",  # noqa: E501
    11: "november nov novembre noviembre novembre listopada listopad lis novembro",
    12: "december dec dezember dez décembre decembre déc diciembre dic dicembre grudnia grudzień gru dezembro",  # noqa: E501
}  # fmt: skip
for _number, _names in _MONTH_NAMES.items():
    for _name in _names.split():
        MONTHS.setdefault(_name.rstrip("."), _number)

#: Languages whose numeric dates put the day first, and those that put the month first.
DAY_FIRST_LANGUAGES = frozenset({"de", "fr", "es", "it", "nl", "pl", "pt", "en-gb"})
MONTH_FIRST_LANGUAGES = frozenset({"en-us"})

_MONTH_WORD = r"(?P<mon>[A-Za-zÀ-ÿąćęłńóśźżĄĆĘŁŃÓŚŹŻ]{3,10})\.?"
_YEAR = r"(?P<y>(?:19|20)\d{2})"

# Order matters: the first pattern that matches at a position wins.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("cjk", re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")),
    (
        "ymd",
        re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})([-/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})(?![\d])"),
    ),
    (
        "dotted",
        re.compile(r"(?<![\d./])(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>(?:19|20)\d{2})(?!\d)"),
    ),
    (
        "numeric",
        re.compile(r"(?<![\d./-])(?P<a>\d{1,2})([/-])(?P<b>\d{1,2})\2(?P<y>(?:19|20)\d{2})(?!\d)"),
    ),
    (
        "month-day-year",
        re.compile(
            _MONTH_WORD + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\s*,?\s*" + _YEAR + r"(?!\d)",
            re.IGNORECASE,
        ),
    ),
    (
        "day-month-year",
        re.compile(
            r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th|er|º|°)?\.?\s*(?:de\s+|-)?"
            + _MONTH_WORD
            + r"\s*(?:de\s+|del\s+|-|,)?\s*"
            + _YEAR
            + r"(?!\d)",
            re.IGNORECASE,
        ),
    ),
]


@dataclass(frozen=True)
class DateMatch:
    """A date found in text.

    ``value`` is the date, or ``None`` when the text is ambiguous; then
    ``candidates`` holds every valid reading (day-first and month-first).
    ``start``/``end`` index the text; ``text`` is exactly what was read.
    """

    start: int
    end: int
    text: str
    value: dt.date | None
    candidates: tuple[dt.date, ...]
    style: str

    @property
    def ambiguous(self) -> bool:
        return self.value is None and len(self.candidates) > 1


def _make(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _numeric(
    a: int, b: int, y: int, language: str | None
) -> tuple[dt.date | None, tuple[dt.date, ...]]:
    day_first = _make(y, b, a)
    month_first = _make(y, a, b)
    readings = tuple(dict.fromkeys(r for r in (day_first, month_first) if r is not None))
    if len(readings) <= 1:
        return (readings[0] if readings else None), readings
    if language in DAY_FIRST_LANGUAGES:
        return day_first, readings
    if language in MONTH_FIRST_LANGUAGES:
        return month_first, readings
    return None, readings


def find_dates(text: str, language: str | None = None) -> list[DateMatch]:
    """Every date in ``text``, left to right, without overlaps.

    :param language: the language of the label the date belongs to (``"de"``,
        ``"en-us"``, …), used only to order an ambiguous numeric date.
    """
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for style, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            value: dt.date | None
            candidates: tuple[dt.date, ...]
            groups = match.groupdict()
            year = int(groups["y"])
            if style == "numeric":
                value, candidates = _numeric(int(groups["a"]), int(groups["b"]), year, language)
            else:
                if "mon" in groups and groups["mon"] is not None:
                    month = MONTHS.get(groups["mon"].lower().rstrip("."))
                    if month is None:
                        continue
                else:
                    month = int(groups["m"])
                value = _make(year, month, int(groups["d"]))
                candidates = (value,) if value else ()
            if not candidates:
                continue
            taken.append((start, end))
            found.append(DateMatch(start, end, match.group(0), value, candidates, style))
    found.sort(key=lambda d: d.start)
    return found


def first_date(text: str, language: str | None = None) -> DateMatch | None:
    """The first date in ``text``, or ``None``."""
    dates = find_dates(text, language)
    return dates[0] if dates else None
