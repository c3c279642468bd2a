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
_SPACES_RE = re.compile(r"[ \t\u00a0]+")
_ARTICLE = "\u0627\u0644"  # "ال"
_ARTICLE_REVERSED = "\u0644\u0627"  # "لا"


def has_arabic(text: str) -> bool:
    """Whether ``text`` contains any Arabic-script character."""
    return ARABIC_RE.search(text) is not None


def arabic_is_reversed(text: str) -> bool:
    """Whether the Arabic in ``text`` reads in visual (reversed) order.

    Counts words that start with the article "ال" against words that end with
    its mirror image "لا". The negation "لا" is itself a word, so whole words
    equal to it are not counted.
    """
    forward = backward = 0
    for word in _ARABIC_WORD_RE.findall(unicodedata.normalize("NFKC", text)):
        if len(word) < 3:
            continue
        forward += word.startswith(_ARTICLE)
        backward += word.endswith(_ARTICLE_REVERSED)
    return backward > forward


def _reverse_arabic_lines(text: str) -> str:
    # Reverse the whole line: visual order reverses the order of words too.
    return "\n".join(line[::-1] if has_arabic(line) else line for line in text.split("\n"))


def normalise(text: str) -> str:
    """Clean one page's extracted text for language identification.

    Unifies line ends, puts reversed Arabic back in logical order (before NFKC,
    so that a lam-alef ligature expands in the right order), applies NFKC
    (presentation forms, ligatures such as "ﬁ", full-width forms) and squeezes
    runs of spaces.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if has_arabic(text) and arabic_is_reversed(text):
        text = _reverse_arabic_lines(text)
    text = unicodedata.normalize("NFKC", text)
    return _SPACES_RE.sub(" ", text)


def has_presentation_forms(text: str) -> bool:
    """Whether ``text`` holds Arabic presentation forms (before normalisation)."""
    return _PRESENTATION_RE.search(text) is not None


def letter_count(text: str) -> int:
    """The number of letters in ``text`` (what "characters of text" means here)."""
    return sum(1 for ch in text if ch.isalpha())


def weighted_length(text: str) -> int:
    """Letters, with each CJK character counted as three.

    ``min-chars`` is meant as an amount of text: 300 letters of Spanish is a
    paragraph, and so is about 100 Chinese characters.
    """
    cjk = len(CJK_RE.findall(text))
    return letter_count(text) + 2 * cjk
