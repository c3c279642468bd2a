"""Generate multilingual manuals with ground truth, from a fixed seed.

Every document is a real PDF written with fpdf2 and the DejaVu Sans font; its
ground truth is the set of languages it holds at least ``MIN_SECTION``
letters of. Kinds of document (all drawn from one ``random.Random(seed)``):

* ``single``: one language, 1–4 A5 pages.
* ``sections``: 3–12 languages one after another, 1–3 pages each, with a
  cover that lists language names and "Made in China" (which must not count).
* ``columns``: A4 pages with a different language in each of two columns,
  written either column by column or row by row (interleaved lines).
* ``hidden``: a long section with a paragraph of 4–7 lines in another language.
* ``arabic``: Arabic (or its confusers Persian, Urdu), written shaped with
  HarfBuzz (needs ``uharfbuzz``), unshaped, or as presentation forms in visual
  order (how older generators wrote it), alone or after a Latin section.
* ``confusers``: pt/es, cs/sk/pl, nl/de alone and in pairs.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF
from texts import HEADINGS, SENTENCES

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
# DejaVu Sans lacks CJK and some Urdu letters (ہ ے ۔): those languages need a
# second font (Debian: fonts-wqy-microhei, fonts-hosny-amiri) and are left out
# of the corpus when it is not installed.
EXTRA_FONTS = {
    "cjk": Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    "amiri": Path("/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf"),
}
HAVE = {name: path.is_file() for name, path in EXTRA_FONTS.items()}
#: Every generated section has more letters than this (above min-chars 300).
MIN_SECTION = 400
LATIN = ["en", "es", "pt", "fr", "it", "de", "nl", "pl", "cs", "sk"]
ARABIC_SCRIPT = ["ar", "fa", "ur"] if HAVE["amiri"] else ["ar", "fa"]
OTHERS = ["ru", "zh"] if HAVE["cjk"] else ["ru"]
NAMES = "English · Español · Português · Français · Italiano · Deutsch · Nederlands · Polski"


@dataclass
class Doc:
    name: str
    kind: str
    languages: set[str] = field(default_factory=set)
    pages: int = 0


def letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def paragraph_text(rng: random.Random, lang: str, target: int) -> str:
    """Shuffled sentences of ``lang`` until ``target`` letters, with a heading."""
    pool = SENTENCES[lang]
    out = [rng.choice(HEADINGS[lang])]
    count = 0
    previous = None
    while count < target:
        sentence = rng.choice(pool)
        if sentence == previous:
            continue
        # Vary numbers so no two sections are the same string.
        sentence = sentence.replace("45", str(rng.choice([40, 45, 50, 55])))
        out.append(sentence)
        count += letters(sentence)
        previous = sentence
    return "\n".join([out[0], " ".join(out[1:])])


class Writer:
    """An fpdf2 document with the DejaVu font; ``mode`` picks the Arabic writing."""

    def __init__(self, fmt: str = "A5", size: float = 9) -> None:
        self.pdf = FPDF(format=fmt)
        self.pdf.set_auto_page_break(True, margin=12)
        self.pdf.add_font("dejavu", fname=FONT)
        for name, path in EXTRA_FONTS.items():
            if HAVE[name]:
                self.pdf.add_font(name, fname=str(path))
        self.pdf.set_font("dejavu", size=size)
        self.size = size

    def page(self, text: str, mode: str = "plain", font: str = "dejavu") -> None:
        self.pdf.add_page()
        self.write(text, mode, font)

    def write(self, text: str, mode: str = "plain", font: str = "dejavu") -> None:
        self.pdf.set_font(font, size=self.size)
        self.pdf.set_text_shaping(mode == "shaped")
        if mode == "forms":
            text = "\n".join(visual_presentation_forms(line) for line in text.split("\n"))
        self.pdf.multi_cell(0, self.size * 0.5, text)

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


def _form_tables() -> tuple[dict[str, dict[str, str]], set[str]]:
    forms: dict[str, dict[str, str]] = {}
    for code in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and parts[0].startswith("<"):
            forms.setdefault(chr(int(parts[1], 16)), {})[parts[0]] = chr(code)
    dual = {base for base, f in forms.items() if "<initial>" in f}
    return forms, dual


_FORMS, _DUAL = _form_tables()


def visual_presentation_forms(line: str) -> str:
    """Shape Arabic into presentation forms and reverse it into visual order,
    as PDF generators without a shaping engine did."""
    out = []
    for i, ch in enumerate(line):
        table = _FORMS.get(ch)
        if not table:
            out.append(ch)
            continue
        before = line[i - 1] if i else ""
        after = line[i + 1] if i + 1 < len(line) else ""
        joins_before = before in _DUAL
        joins_after = ch in _DUAL and after in _FORMS
        if joins_before and joins_after:
            form = "<medial>"
        elif joins_before:
            form = "<final>"
        elif joins_after:
            form = "<initial>"
        else:
            form = "<isolated>"
        out.append(table.get(form) or table.get("<isolated>") or ch)
    return "".join(out)[::-1]


def font_for(lang: str, rng: random.Random) -> str:
    if lang == "zh":
        return "cjk"
    if lang in ("fa", "ur") or (lang == "ar" and HAVE["amiri"] and rng.random() < 0.5):
        return "amiri" if HAVE["amiri"] else "dejavu"
    return "dejavu"


def _single(rng: random.Random, doc: Doc) -> bytes:
    lang = rng.choice(LATIN + OTHERS)
    writer = Writer()
    size = 350 if lang == "zh" else rng.randint(900, 1500)
    for _ in range(rng.randint(1, 4)):
        writer.page(paragraph_text(rng, lang, size), font=font_for(lang, rng))
    doc.languages = {lang}
    return writer.bytes()


def _sections(rng: random.Random, doc: Doc) -> bytes:
    langs = rng.sample(LATIN + OTHERS, rng.randint(3, 12))
    writer = Writer()
    writer.page(f"Orvina OV2301A1\n{NAMES}\nMade in China")
    for lang in langs:
        for _ in range(rng.randint(1, 3)):
            size = 300 if lang == "zh" else rng.randint(700, 1500)
            writer.page(paragraph_text(rng, lang, size), font=font_for(lang, rng))
    doc.languages = set(langs)
    return writer.bytes()


def _columns(rng: random.Random, doc: Doc) -> bytes:
    writer = Writer("A4", 9)
    rowwise = rng.random() < 0.5
    found: set[str] = set()
    for _ in range(rng.randint(1, 3)):
        west, east = rng.sample(LATIN, 2)
        found |= {west, east}
        writer.pdf.add_page()
        lines = [
            _wrap(paragraph_text(rng, lang, rng.randint(900, 1600)), 52) for lang in (west, east)
        ]
        if rowwise:
            for row in range(max(len(lines[0]), len(lines[1]))):
                for col, x in ((0, 12), (1, 110)):
                    if row < len(lines[col]):
                        writer.pdf.set_xy(x, 15 + row * 4.6)
                        writer.pdf.cell(88, 4.5, lines[col][row])
        else:
            for col, x in ((0, 12), (1, 110)):
                for row, line in enumerate(lines[col]):
                    writer.pdf.set_xy(x, 15 + row * 4.6)
                    writer.pdf.cell(88, 4.5, line)
    doc.kind = "columns-rowwise" if rowwise else "columns"
    doc.languages = found
    return writer.bytes()


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for block in text.split("\n"):
        line = ""
        for word in block.split():
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
    return lines


def _hidden(rng: random.Random, doc: Doc) -> bytes:
    main, hidden = rng.sample(LATIN, 2)
    writer = Writer()
    text = "\n".join(
        [
            paragraph_text(rng, main, rng.randint(600, 1000)),
            paragraph_text(rng, hidden, rng.randint(MIN_SECTION, 600)),
            paragraph_text(rng, main, rng.randint(600, 1000)),
        ]
    )
    writer.page(text)
    doc.languages = {main, hidden}
    return writer.bytes()


def _arabic(rng: random.Random, doc: Doc) -> bytes:
    lang = rng.choice(["ar", "ar", *ARABIC_SCRIPT[1:]])
    mode = rng.choice(["shaped", "plain", "forms"])
    writer = Writer()
    found = {lang}
    if rng.random() < 0.4:
        latin = rng.choice(LATIN)
        found.add(latin)
        writer.page(paragraph_text(rng, latin, rng.randint(700, 1200)))
    for _ in range(rng.randint(1, 2)):
        writer.page(paragraph_text(rng, lang, rng.randint(700, 1200)), mode, font_for(lang, rng))
    doc.kind = f"arabic-{mode}"
    doc.languages = found
    return writer.bytes()


def _confusers(rng: random.Random, doc: Doc) -> bytes:
    group = rng.choice([["pt", "es"], ["cs", "sk", "pl"], ["nl", "de"]])
    langs = rng.sample(group, rng.randint(1, 2))
    writer = Writer()
    for lang in langs:
        writer.page(paragraph_text(rng, lang, rng.randint(500, 1300)))
    doc.languages = set(langs)
    return writer.bytes()


KINDS = {
    "single": _single,
    "sections": _sections,
    "columns": _columns,
    "hidden": _hidden,
    "arabic": _arabic,
    "confusers": _confusers,
}


def generate(out: Path, count: int, seed: int) -> list[Doc]:
    """Write ``count`` PDFs into ``out`` and return their ground truth."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    docs = []
    kinds = list(KINDS)
    for index in range(count):
        kind = kinds[index % len(kinds)]
        doc = Doc(f"{index:04d}-{kind}.pdf", kind)
        data = KINDS[kind](rng, doc)
        (out / doc.name).write_bytes(data)
        docs.append(doc)
    return docs
