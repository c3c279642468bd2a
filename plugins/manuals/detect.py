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

from .text import CJK_RE, line_letters

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


def windows_of(
    pages: Sequence[str], line_counts: Sequence[Sequence[int]] | None = None
) -> list[Window]:
    """Cut normalised page texts into windows of about :data:`WINDOW_LETTERS` letters.

    ``line_counts``: :func:`~listguard.plugins.manuals.text.line_letters` of
    each page, when the caller has them already.
    """
    if line_counts is None:
        line_counts = [line_letters(text) for text in pages]
    windows: list[Window] = []
    for number, (text, counts) in enumerate(zip(pages, line_counts, strict=True), start=1):
        buffer: list[str] = []
        letters = 0
        cjk = CJK_RE.search(text) is not None
        for line, count in zip(text.split("\n"), counts, strict=True):
            if not line.strip():
                continue
            buffer.append(line)
            # As text.weighted_length: a CJK character counts as three.
            letters += count + 2 * len(CJK_RE.findall(line)) if cjk and count else count
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
    # Per window: its scores and the state lingua is sure of (None: not sure).
    # Windows of the same text share one scores list, and settled windows of
    # one state share one too: nothing mutates them after they are made.
    emissions: list[list[float] | None] = [None] * len(windows)
    sure_of: list[int | None] = [None] * len(windows)
    # lingua's scores of each distinct text (window texts, and the same
    # cleaned for lingua), for this document only. Manuals repeat themselves
    # (running heads, the same warning in every section, page numbers dropped
    # with the digits): the catalog benchmark's 40-page manual asks for 85
    # windows to be scored but holds only 31 distinct texts, and lingua is
    # most of label_windows' time. Asking lingua again would not be more
    # exact: its confidences for one text vary from call to call in the 13th
    # significant digit (measured with lingua 2.1), far below what _FLOOR and
    # SURE can tell apart.
    scored_texts: dict[str, tuple[list[float], int | None]] = {}
    settled: dict[int, list[float]] = {}
    words_by_text: dict[str, list[str]] = {}
    # _reads_as depends on the words, the state and the vocabulary only: its
    # answers hold until a vocabulary grows (then they are forgotten).
    reads: dict[tuple[str, int], bool] = {}

    def words_of(i: int) -> list[str]:
        text = windows[i].text
        found = words_by_text.get(text)
        if found is None:
            found = words_by_text[text] = _WORD.findall(text.casefold())
        return found

    def reads_as(j: int, state: int) -> bool:
        key = (windows[j].text, state)
        answer = reads.get(key)
        if answer is None:
            answer = reads[key] = _reads_as(words_of(j), state, vocabulary)
        return answer

    def score(i: int) -> None:
        raw = windows[i].text
        known = scored_texts.get(raw)
        if known is None:
            # Digits and punctuation carry no language; dropping them saves ~10%
            # (and makes pages that differ only by their numbers the same text).
            text = _NOT_LETTERS.sub(" ", raw)
            known = scored_texts.get(text)
            if known is None:
                scores = _scores(detector, text, index, n_states)
                top = max(scores)
                # The first best state, as max(range(n), key=...) would pick it.
                known = scored_texts[text] = (scores, scores.index(top) if top >= sure else None)
            scored_texts[raw] = known
        emissions[i], state = known
        sure_of[i] = state
        if state is not None:
            seen = vocabulary.get(state)
            if seen is None:
                seen = vocabulary[state] = set()
                reads.clear()
            size = len(seen)
            seen.update(words_of(i))
            if len(seen) != size:
                reads.clear()

    def settle(i: int, state: int) -> None:
        scores = settled.get(state)
        if scores is None:
            scores = settled[state] = [0.0 if s == state else _FLOOR for s in range(n_states)]
        emissions[i] = scores
        sure_of[i] = state

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
            left, right = sure_of[lo], sure_of[hi]
            mid = (lo + hi) // 2
            if left is not None and left == right:
                if hi - lo == 2:
                    settle(mid, left)
                    continue
                foreign = [j for j in range(lo + 1, hi) if not reads_as(j, left)]
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
    # The windows share few distinct lists (see above): work on those.
    distinct = list({id(e): e for e in scored}.values())
    # A language lingua never gave a chance to cannot win a window: leave it
    # out of the Viterbi pass (usually 5-10 of the ~25 candidates remain).
    active = [i for i in range(n_states) if any(e[i] > _FLOOR for e in distinct)]
    active = sorted({*active, n_states - 1})
    projected = {id(e): [e[i] for i in active] for e in distinct}
    path = _viterbi([projected[id(e)] for e in scored], len(active))
    labelled = []
    for window, state in zip(windows, path, strict=True):
        language = states[active[state]]
        script = dominant_script(window.text) if language == UNDETERMINED else None
        labelled.append(LabelledWindow(window.page, window.letters, language, script))
    return labelled


def _scores(
    detector: LanguageDetector, text: str, index: dict[Language, int], n_states: int
) -> list[float]:
    """lingua's log-confidence of ``text`` per state, floored at :data:`_FLOOR`.

    Text in a script no candidate writes gets 0 for the last state (``und``).
    The list is shared between windows of the same text: never mutate it.
    """
    scores = [_FLOOR] * n_states
    found = False
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
    # map(set.__contains__) counts in C: this runs for every unscored window
    # at every bisection step, a generator expression made it ~15% of the run.
    known = sum(map(own.__contains__, words))
    if known < KNOWN_SHARE * len(words):
        return False
    limit = known - KNOWN_MARGIN * len(words)
    for other, seen in vocabulary.items():
        if other != state and sum(map(seen.__contains__, words)) > limit:
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
    states = range(n)
    for scores in emissions[1:]:
        top = max(cost)
        best_prev = cost.index(top)  # the first best, ties go to the lower state
        switch = top - SWITCH_COST
        # Stay in the same language, or switch from the best one so far.
        back.append(
            [state if c >= switch else best_prev for state, c in zip(states, cost, strict=True)]
        )
        cost = [(c if c >= switch else switch) + x for c, x in zip(cost, scores, strict=True)]
    state = cost.index(max(cost))
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
