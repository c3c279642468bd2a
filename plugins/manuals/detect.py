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
from itertools import pairwise

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
#: Windows scored first: every STRIDE-th (see label_windows).
STRIDE = 8
#: A window settled by its words (see _reads_as) has at least this many words
#: (of three letters or more), this share of them known in its language, and
#: this share fewer known in any other.
MIN_KNOWN_WORDS = 8
KNOWN_SHARE = 0.6
KNOWN_MARGIN = 0.3

_NOT_LETTERS = re.compile(r"[\W\d_]+")
_WORD = re.compile(r"[^\W\d_]{3,}")

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

    lingua's cost is proportional to the text it reads, so a long uniform
    section is not scored window by window. Every :data:`STRIDE`-th window
    (and the last) is scored first; then each gap between two scored windows
    is resolved by bisection:

    * both ends are the same language with confidence ≥ :data:`SURE` and every
      window between them *reads as that language* (see :func:`_reads_as`:
      nearly all its words were already seen in windows lingua was sure are
      that language, and clearly fewer in any other language's): the gap takes
      that language without being scored;
    * a gap of one window between two sure windows of the same language takes
      it too: whatever lingua said about it, the Viterbi path would keep that
      language (one window can gain at most ``-_FLOOR`` ≈ 9 nats, two switches
      cost 12);
    * otherwise a window is scored — the middle one of those that do not read
      as that language, or the middle of the gap when the ends differ — and
      both sides of it are resolved the same way.

    So where the ends disagree (a language boundary) or a window's words are
    new or foreign (a hidden paragraph, a mixed window), the scoring gets
    dense down to single windows; a window is never skipped on word evidence
    alone unless lingua was sure of the same language on both sides.
    """
    if not windows:
        return []
    detector = get_detector(candidates)
    states, index = _states(candidates)
    n_states = len(states)
    sure = math.log(SURE)
    vocabulary: dict[int, set[str]] = {}
    emissions: list[list[float] | None] = [None] * len(windows)
    words: list[list[str] | None] = [None] * len(windows)

    def words_of(i: int) -> list[str]:
        found = words[i]
        if found is None:
            found = words[i] = _WORD.findall(windows[i].text.casefold())
        return found

    def sure_state(i: int) -> int | None:
        scores = emissions[i]
        assert scores is not None
        best = max(range(n_states), key=scores.__getitem__)
        return best if scores[best] >= sure else None

    def score(i: int) -> None:
        scores = [_FLOOR] * n_states
        found = False
        # Digits and punctuation carry no language; dropping them saves ~10%.
        text = _NOT_LETTERS.sub(" ", windows[i].text)
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
        emissions[i] = scores
        state = sure_state(i)
        if state is not None:
            vocabulary.setdefault(state, set()).update(words_of(i))

    def settle(i: int, state: int) -> None:
        emissions[i] = [0.0 if s == state else _FLOOR for s in range(n_states)]

    last = len(windows) - 1
    samples = sorted({*range(0, last + 1, STRIDE), last})
    for i in samples:
        score(i)
    # Resolve gaps left to right, each by bisection (an explicit stack keeps
    # the order deterministic and the recursion flat).
    for a, b in pairwise(samples):
        stack = [(a, b)]
        while stack:
            lo, hi = stack.pop()
            if hi - lo < 2:
                continue
            left, right = sure_state(lo), sure_state(hi)
            mid = (lo + hi) // 2
            if left is not None and left == right:
                if hi - lo == 2:
                    settle(mid, left)
                    continue
                foreign = [
                    j for j in range(lo + 1, hi) if not _reads_as(words_of(j), left, vocabulary)
                ]
                if not foreign:
                    for j in range(lo + 1, hi):
                        settle(j, left)
                    continue
                mid = foreign[len(foreign) // 2]
            score(mid)
            stack.append((mid, hi))
            stack.append((lo, mid))
    scored = [e for e in emissions if e is not None]
    assert len(scored) == len(windows)
    # A language lingua never gave a chance to cannot win a window: leave it
    # out of the Viterbi pass (usually 5-10 of the ~25 candidates remain).
    active = [i for i in range(n_states) if any(e[i] > _FLOOR for e in scored)]
    active = sorted({*active, n_states - 1})
    path = _viterbi([[e[i] for i in active] for e in scored], len(active))
    labelled = []
    for window, state in zip(windows, path, strict=True):
        language = states[active[state]]
        script = dominant_script(window.text) if language == UNDETERMINED else None
        labelled.append(LabelledWindow(window.page, window.letters, language, script))
    return labelled


def _reads_as(words: list[str], state: int, vocabulary: dict[int, set[str]]) -> bool:
    """Whether a window's words say it is in the language ``state`` without lingua.

    At least :data:`MIN_KNOWN_WORDS` words, of which a share of
    :data:`KNOWN_SHARE` or more were seen in windows lingua was sure are that
    language, and a share at least :data:`KNOWN_MARGIN` lower in every other
    language's windows (cs/sk or es/pt share many words; brand names and
    "USB" are shared by all). A window of another language, or half of one,
    fails: its words are new, or known in the other language too.
    """
    if len(words) < MIN_KNOWN_WORDS:
        return False
    own = vocabulary.get(state)
    if not own:
        return False
    known = sum(w in own for w in words)
    if known < KNOWN_SHARE * len(words):
        return False
    for other, seen in vocabulary.items():
        if other != state and sum(w in seen for w in words) > known - KNOWN_MARGIN * len(words):
            return False
    return True


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
