"""Language identification of manual text, section by section, with lingua.

A manual is read as a sequence of *windows*: runs of consecutive lines of at
least :data:`WINDOW_LETTERS` letters, never crossing a page. lingua scores each
window against the candidate languages; a Viterbi pass over the windows of the
whole document then picks one language per window, paying a penalty for every
switch. That keeps a long Czech section from flickering into Slovak on one
ambiguous window, while a different language that fills two windows or more (a
hidden paragraph of a few lines) survives. Windows whose script no candidate
uses are labelled ``und`` (undetermined) and keep their script for the report.

Why lingua: its models ship in the wheel (no download, works offline), it
covers all 24 EU languages plus Arabic, Persian and Urdu, and it is already the
project's dependency. py3langid (also offline) scored the same on the
benchmark corpus and is somewhat faster; ``bench/manuals`` measures both and
its README has the figures.

The detector is built once per process and candidate set (low-accuracy mode,
trigram models only, loaded lazily per script: about 0.2 s and 30 MiB on first
use, against seconds and hundreds of MiB for high-accuracy mode).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from .text import weighted_length

#: A window is closed once it holds this many letters (then at the next line end).
WINDOW_LETTERS = 150
#: Windows with fewer letters than this (a page number, a table cell) are skipped.
MIN_WINDOW_LETTERS = 24
#: Label for text in a script no candidate language uses.
UNDETERMINED = "und"
# Viterbi costs, in nats. A window's score for a language is log(confidence),
# floored; switching language costs SWITCH_COST. One window of clear evidence
# (log(1/1e-4), about 9 nats) does not pay for the two switches around it
# (12 nats); two windows do.
_FLOOR = math.log(1e-4)
SWITCH_COST = 6.0
#: Confidence above which a window's language is taken as settled (see label_windows).
SURE = 0.95

_NOT_LETTERS = re.compile(r"[\W\d_]+")

#: Confusable groups the default candidate set always includes.
CONFUSERS: tuple[str, ...] = ("es", "pt", "nl", "de", "cs", "sk", "pl", "ar", "fa", "ur")
#: One or a few languages per other script met in EU manuals, so a Russian or
#: Chinese section is named in the report rather than left undetermined. They
#: cost little: lingua only scores languages written in the text's script.
OTHER_SCRIPTS: tuple[str, ...] = ("ru", "uk", "bg", "el", "he", "zh", "ja", "ko", "th")
#: Latin-script languages that global manuals often carry besides the market
#: ones. Without them an Indonesian or Turkish section would be labelled with
#: the nearest candidate (Polish, Slovak...) and could fake a market language.
ABSORBERS: tuple[str, ...] = ("id", "tr")


@lru_cache(maxsize=1)
def supported_languages() -> frozenset[str]:
    """ISO 639-1 codes lingua can identify."""
    return frozenset(lang.iso_code_639_1.name.lower() for lang in Language.all())


def default_candidates(market_languages: Iterable[str] = ()) -> frozenset[str]:
    """Market languages, their confusers, en/fr/it, :data:`ABSORBERS` and
    :data:`OTHER_SCRIPTS`. A language outside the set is read as the nearest
    candidate: add it with the ``languages`` option if your manuals carry it."""
    codes = {*market_languages, *CONFUSERS, "en", "fr", "it", *OTHER_SCRIPTS, *ABSORBERS}
    return frozenset(c for c in codes if c in supported_languages())


@lru_cache(maxsize=8)
def get_detector(candidates: frozenset[str]) -> LanguageDetector:
    """The lingua detector for ``candidates`` (ISO 639-1), built once per process."""
    codes = sorted(c for c in candidates if c in supported_languages())
    if len(codes) < 2:  # lingua needs two languages to choose between
        codes = sorted({*codes, "en", "de"})
    isos = [getattr(IsoCode639_1, c.upper()) for c in codes]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).with_low_accuracy_mode().build()


@dataclass(frozen=True)
class Window:
    """Consecutive lines of one page, scored as one piece of text."""

    page: int  # 1-based
    text: str
    letters: int  # weighted: a CJK character counts as three


@dataclass(frozen=True)
class LabelledWindow:
    page: int
    letters: int
    language: str  # ISO 639-1, or "und"
    script: str | None  # for "und": the dominant script's Unicode name word


def windows_of(pages: Sequence[str]) -> list[Window]:
    """Cut normalised page texts into windows of about :data:`WINDOW_LETTERS` letters."""
    windows: list[Window] = []
    for number, text in enumerate(pages, start=1):
        buffer: list[str] = []
        letters = 0
        for line in text.split("\n"):
            if not line.strip():
                continue
            buffer.append(line)
            letters += weighted_length(line)
            if letters >= WINDOW_LETTERS:
                windows.append(Window(number, " ".join(buffer), letters))
                buffer, letters = [], 0
        if buffer and letters >= MIN_WINDOW_LETTERS:
            windows.append(Window(number, " ".join(buffer), letters))
        elif buffer and windows and windows[-1].page == number:
            # A short tail joins the page's previous window rather than being lost.
            last = windows.pop()
            tail = " ".join(buffer)
            windows.append(Window(number, f"{last.text} {tail}", last.letters + letters))
    return windows


def label_windows(windows: Sequence[Window], candidates: frozenset[str]) -> list[LabelledWindow]:
    """One language per window: lingua scores, then Viterbi smoothing.

    Even-numbered windows are scored first. An odd window whose two neighbours
    are both the same language with confidence ≥ :data:`SURE` is not scored:
    whatever lingua said about it, the Viterbi path would keep that language
    (one window can gain at most ``-_FLOOR`` ≈ 9 nats, two switches cost 12),
    so skipping it saves time without changing the result.
    """
    if not windows:
        return []
    detector = get_detector(candidates)
    states, index = _states(candidates)

    def score(window: Window) -> list[float]:
        scores = [_FLOOR] * len(states)
        found = False
        # Digits and punctuation carry no language; dropping them saves ~10%.
        text = _NOT_LETTERS.sub(" ", window.text)
        for value in detector.compute_language_confidence_values(text):
            confidence = value.value
            if confidence <= 0:  # sorted: the rest are zero too
                break
            state = index.get(value.language)
            if state is not None:
                scores[state] = max(_FLOOR, math.log(confidence))
                found = True
        if not found:  # no candidate writes this script
            scores[-1] = 0.0
        return scores

    emissions: list[list[float] | None] = [None] * len(windows)
    for i in range(0, len(windows), 2):
        emissions[i] = score(windows[i])
    sure = math.log(SURE)
    for i in range(1, len(windows), 2):
        before = emissions[i - 1]
        after = emissions[i + 1] if i + 1 < len(windows) else None
        assert before is not None
        if after is not None:
            best = max(range(len(states)), key=before.__getitem__)
            if before[best] >= sure and after[best] >= sure:
                emissions[i] = [0.0 if s == best else _FLOOR for s in range(len(states))]
                continue
        emissions[i] = score(windows[i])
    scored = [e for e in emissions if e is not None]
    # A language lingua never gave a chance to cannot win a window: leave it
    # out of the Viterbi pass (usually 5-10 of the ~25 candidates remain).
    active = [i for i in range(len(states)) if any(e[i] > _FLOOR for e in scored)]
    active = sorted({*active, len(states) - 1})
    path = _viterbi([[e[i] for i in active] for e in scored], len(active))
    labelled = []
    for window, state in zip(windows, path, strict=True):
        language = states[active[state]]
        script = dominant_script(window.text) if language == UNDETERMINED else None
        labelled.append(LabelledWindow(window.page, window.letters, language, script))
    return labelled


@lru_cache(maxsize=8)
def _states(candidates: frozenset[str]) -> tuple[list[str], dict[Language, int]]:
    # Keyed by lingua's Language objects: cheaper than reading each result's code.
    codes = sorted(c for c in candidates if c in supported_languages())
    index = {
        Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())): i
        for i, c in enumerate(codes)
    }
    return [*codes, UNDETERMINED], index


def _viterbi(emissions: list[list[float]], n: int) -> list[int]:
    cost = list(emissions[0])
    back: list[list[int]] = []
    for scores in emissions[1:]:
        best_prev = max(range(n), key=cost.__getitem__)
        switch = cost[best_prev] - SWITCH_COST
        pointers = []
        new_cost = []
        for state in range(n):
            # Stay in the same language, or switch from the best one so far.
            if cost[state] >= switch:
                pointers.append(state)
                new_cost.append(cost[state] + scores[state])
            else:
                pointers.append(best_prev)
                new_cost.append(switch + scores[state])
        back.append(pointers)
        cost = new_cost
    state = max(range(n), key=cost.__getitem__)
    path = [state]
    for pointers in reversed(back):
        state = pointers[state]
        path.append(state)
    return path[::-1]


def dominant_script(text: str) -> str:
    """The first word of the Unicode name of most letters (LATIN, CYRILLIC, CJK...)."""
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "UNKNOWN").split(" ")[0]
            counts[name] = counts.get(name, 0) + 1
    return max(sorted(counts), key=counts.__getitem__) if counts else "UNKNOWN"
