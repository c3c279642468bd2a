"""Text clean-up between PDF extraction and language identification.

Two things go wrong with text taken from real PDFs, and both mislead a
language detector:

* **Arabic presentation forms.** Generators that shape Arabic themselves write
  the contextual glyph forms (U+FB50–U+FDFF, U+FE70–U+FEFF) instead of the
  letters. NFKC maps each form back to its letter.
* **Reversed right-to-left text.** Depending on how the PDF was written, the
  extracted Arabic comes out in visual order (last letter first). Arabic's
  definite article tells the two apart: in logical order many words *begin*
  with "ال"; reversed, they *end* with "لا". Such lines are reversed back.
"""

from __future__ import annotations

import re
import unicodedata

# Arabic script: the base block, its supplements and the presentation forms.
_ARABIC_CHAR = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
ARABIC_RE = re.compile(f"[{_ARABIC_CHAR}]")
_ARABIC_WORD_RE = re.compile(f"[{_ARABIC_CHAR}]+")
_PRESENTATION_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
# Han, kana and hangul: a character carries about as much text as a short word.
CJK_RE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Runs of spaces, tabs and no-break spaces that are not already one space:
# replacing each single space by itself (a match per word) cost ~2 ms a manual.
_SPACES_RE = re.compile("(?: [ \t\u00a0]|[\t\u00a0])[ \t\u00a0]*")
_ARTICLE = "\u0627\u0644"  # "ال"
_ARTICLE_REVERSED = "\u0644\u0627"  # "لا"


def has_arabic(text: str) -> bool:
    """Whether ``text`` contains any Arabic-script character."""
    return ARABIC_RE.search(text) is not None


def _forms(kind: str) -> frozenset[str]:
    chars = []
    for code in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)]:
        if unicodedata.decomposition(chr(code)).startswith(kind):
            chars.append(chr(code))
    return frozenset(chars)


_INITIAL_FORMS = _forms("<initial>")
_FINAL_FORMS = _forms("<final>")
# Letters that only ever end a word: teh marbuta, alef maksura (Arabic),
# yeh barree and noon ghunna (Urdu).
_FINAL_ONLY = frozenset("\u0629\u0649\u06d2\u06ba")
# Frequent function words of Arabic, Persian and Urdu. Reversed, none is a
# common word, so finding them reversed means the text is.
_FUNCTION_WORDS = frozenset(
    [
        *("في", "من", "على", "إلى", "عن", "هذا", "هذه", "التي", "الذي"),  # Arabic
        *("از", "این", "که", "را", "است", "برای", "یا"),  # Persian
        *("کے", "کی", "کو", "سے", "میں", "ہے", "اور", "پر"),  # Urdu
    ]
)
_FUNCTION_WORDS_REVERSED = frozenset(w[::-1] for w in _FUNCTION_WORDS) - _FUNCTION_WORDS


def arabic_is_reversed(text: str) -> bool:
    """Whether the Arabic-script text in ``text`` reads in visual (reversed) order.

    Four clues, counted over words: the article "ال" begins many Arabic words
    (reversed, "لا" ends them; the word "لا" itself is not counted); letters
    that only end words (ة ى ے ں) show up at the start when reversed; frequent
    function words (Arabic في, Persian از, Urdu کے...) show up mirrored; and
    presentation forms say their position (an *initial* form at a word's end
    means the word is reversed).
    """
    forward = backward = 0
    for word in _ARABIC_WORD_RE.findall(text):
        if len(word) < 2:
            continue
        first, last = word[0], word[-1]
        forward += first in _INITIAL_FORMS or last in _FINAL_FORMS
        backward += first in _FINAL_FORMS or last in _INITIAL_FORMS
        plain = unicodedata.normalize("NFKC", word)
        if len(plain) >= 3:
            forward += plain.startswith(_ARTICLE)
            backward += plain.endswith(_ARTICLE_REVERSED)
        forward += plain[-1] in _FINAL_ONLY
        backward += plain[0] in _FINAL_ONLY
        forward += plain in _FUNCTION_WORDS
        backward += plain in _FUNCTION_WORDS_REVERSED
    return backward > forward


def _reverse_arabic_lines(text: str) -> str:
    # Reverse the whole line: visual order reverses the order of words too.
    return "\n".join(line[::-1] if has_arabic(line) else line for line in text.split("\n"))


def normalise(text: str, arabic: bool | None = None) -> str:
    """Clean one page's extracted text for language identification.

    Unifies line ends, puts reversed Arabic back in logical order (before NFKC,
    so that a lam-alef ligature expands in the right order), applies NFKC
    (presentation forms, ligatures such as "ﬁ", full-width forms) and squeezes
    runs of spaces. ``arabic``: :func:`has_arabic` of ``text``, when the
    caller has it already.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if arabic is None:
        arabic = has_arabic(text)
    if arabic and arabic_is_reversed(text):
        text = _reverse_arabic_lines(text)
    text = unicodedata.normalize("NFKC", text)
    if "  " not in text and "\t" not in text and "\u00a0" not in text:
        return text  # every run of spaces is one space already (the usual case)
    return _SPACES_RE.sub(" ", text)


def has_presentation_forms(text: str) -> bool:
    """Whether ``text`` holds Arabic presentation forms (before normalisation)."""
    return _PRESENTATION_RE.search(text) is not None


_NOT_LETTER_RE = re.compile(r"[\W\d_]+")
_NOT_LETTER_CHAR_RE = re.compile(r"[\W\d_]")
# UTF-8 bytes that are not letters: ASCII non-letters and continuation bytes
# (every other character keeps exactly its lead byte); with or without "\n".
_ASCII = bytes(range(0x80))
_NOT_LETTER_BYTES = bytes(b for b in range(0x80) if _NOT_LETTER_CHAR_RE.match(chr(b))) + bytes(
    range(0x80, 0xC0)
)
_NOT_LETTER_BYTES_KEEP_LF = _NOT_LETTER_BYTES.replace(b"\n", b"")
#: Above this many distinct non-ASCII non-letters, counting falls back to a regex.
_MAX_OTHERS = 32


def _utf8_without_other_non_letters(text: str) -> bytes | None:
    # Counting letters with a regex sub costs a match per word (~5 ms for a
    # 40-page manual); bytes.translate on the UTF-8 text is C speed, but only
    # ASCII non-letters can be deleted byte by byte. The non-ASCII ones
    # (dashes, quotes, Arabic-Indic digits) are few and removed first, by
    # their UTF-8 bytes: UTF-8 sequences only ever match at character
    # boundaries. None when there are too many of them (a page of symbols):
    # one bytes.replace each would cost more than the regex.
    data = text.encode("utf-8", "surrogatepass")
    others = data.translate(None, _ASCII).decode("utf-8", "surrogatepass")
    if not others:
        return data
    drop = _NOT_LETTER_CHAR_RE.findall("".join(set(others)))
    if len(drop) > _MAX_OTHERS:
        return None
    for char in drop:
        data = data.replace(char.encode("utf-8", "surrogatepass"), b"")
    return data


def letter_count(text: str) -> int:
    """The number of letters in ``text`` (what "characters of text" means here).

    Counted as word characters that are not digits or ``_`` (``[^\\W\\d_]``:
    letters, and numerals such as ² or Ⅻ that are not decimal digits).
    """
    data = _utf8_without_other_non_letters(text)
    if data is None:
        return len(_NOT_LETTER_RE.sub("", text))
    return len(data.translate(None, _NOT_LETTER_BYTES))  # one byte per letter is left


def line_letters(text: str) -> list[int]:
    """:func:`letter_count` of each line of ``text.split("\\n")``, in one pass."""
    data = _utf8_without_other_non_letters(text)
    if data is None:
        return [len(_NOT_LETTER_RE.sub("", line)) for line in text.split("\n")]
    return [len(line) for line in data.translate(None, _NOT_LETTER_BYTES_KEEP_LF).split(b"\n")]


def weighted_length(text: str) -> int:
    """Letters, with each CJK character counted as three.

    ``min-chars`` is meant as an amount of text: 300 letters of Spanish is a
    paragraph, and so is about 100 Chinese characters.
    """
    letters = letter_count(text)
    return letters + 2 * len(CJK_RE.findall(text)) if letters else 0
