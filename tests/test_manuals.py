"""The manuals plugin: MAN001–MAN005 on manuals built with fpdf2."""

from __future__ import annotations

import importlib.util
import io
import random
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from listguard.plugins.manuals import analyse_manual, detect
from listguard.plugins.manuals.analysis import models_mentioned
from listguard.plugins.manuals.detect import SWITCH_COST, _viterbi, windows_of
from listguard.plugins.manuals.text import (
    arabic_is_reversed,
    letter_count,
    line_letters,
    normalise,
    weighted_length,
)
from listguard.testing import base_manifest, run_checks

ROOT = Path(__file__).resolve().parents[1]
REAL_WORLD = ROOT.parent / "shared" / "real-world"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

_spec = importlib.util.spec_from_file_location("manual_texts", ROOT / "bench/manuals/texts.py")
assert _spec and _spec.loader
texts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(texts)


def section(lang: str, sentences: int = 8, seed: int = 0) -> str:
    """A paragraph of instruction text in ``lang`` (about 600–900 letters)."""
    pool = list(texts.SENTENCES[lang])
    random.Random(f"{lang}-{seed}").shuffle(pool)
    return " ".join(pool[:sentences])


def pdf_of(pages: list[str], shaping: bool = False) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))
    pdf.add_font("dejavu", fname=FONT)
    pdf.set_font("dejavu", size=9)
    if shaping:
        pytest.importorskip("uharfbuzz")  # fpdf2's text shaping engine
        pdf.set_text_shaping(True)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 4.5, text)
    return bytes(pdf.output())


def two_column_rowwise(left: list[str], right: list[str]) -> bytes:
    """One A4 page whose columns are written line by line, left then right."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("dejavu", fname=FONT)
    pdf.set_font("dejavu", size=9)
    pdf.add_page()
    for row, (a, b) in enumerate(zip(left, right, strict=False)):
        pdf.set_xy(12, 15 + row * 5)
        pdf.cell(88, 4.5, a)
        pdf.set_xy(110, 15 + row * 5)
        pdf.cell(88, 4.5, b)
    return bytes(pdf.output())


def wrap(text: str, width: int = 55) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def _png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).text((40, 40), "Instrucciones de seguridad " * 5, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def scanned_pdf() -> bytes:
    """A manual whose only page is an image of text (a scan)."""
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))
    pdf.add_page()
    pdf.image(io.BytesIO(_png()), x=0, y=0, w=148)
    return bytes(pdf.output())


def package(factory: Any, markets: list[str], manuals: dict[str, bytes], **extra: Any) -> Path:
    declared = extra.pop("declared", {})
    entries = [
        {"file": name, **({"languages": declared[name]} if name in declared else {})}
        for name in manuals
    ]
    manifest = base_manifest(markets=markets, manuals=entries, **extra)
    return factory(manifest, manuals)


MODEL_LINE = "Model OV2301A1. "
# Only this plugin's rules (and the core's): other plugins have their own tests.
SELECT = ["MAN", "LG"]


# --- MAN001 ---------------------------------------------------------------


def test_listing_without_manual_is_man001(listing_factory):
    run = run_checks(listing_factory(base_manifest(markets=["ES"])), select=SELECT)
    run.assert_findings({"MAN001": 1, "MAN002": 0})


# --- MAN002 ---------------------------------------------------------------


def test_manual_with_every_market_language_passes(listing_factory):
    pages = [MODEL_LINE + section(lang) for lang in ("es", "fr", "de")]
    pkg = package(listing_factory, ["ES", "FR", "DE"], {"manuals/m.pdf": pdf_of(pages)})
    run_checks(pkg, select=SELECT).assert_findings(
        {"MAN001": 0, "MAN002": 0, "MAN003": 0, "MAN004": 0, "MAN005": 0}
    )


def test_five_language_manual_missing_polish_is_man002_naming_market_and_language(
    listing_factory,
):
    pages = [MODEL_LINE + section(lang) for lang in ("en", "es", "fr", "de", "it")]
    markets = ["ES", "FR", "DE", "IT", "PL"]
    pkg = package(listing_factory, markets, {"manuals/m.pdf": pdf_of(pages)})
    run = run_checks(pkg, select=SELECT)
    run.assert_findings({"MAN002": 1})
    finding = run.by_rule("MAN002")[0]
    assert "PL" in finding.message and "Polish (pl)" in finding.message
    assert finding.location.pointer == "/markets/4"
    assert finding.evidence and finding.evidence["language"] == "pl"


def test_czech_section_does_not_satisfy_slovak_market_language(listing_factory):
    pages = [MODEL_LINE + section("cs", 12)]
    config_markets = ["CZ", "SK"]
    from listguard.config import Config

    config = Config(market_languages={"CZ": ("cs",), "SK": ("sk",)})
    pkg = package(listing_factory, config_markets, {"manuals/m.pdf": pdf_of(pages)})
    run = run_checks(pkg, config=config, select=SELECT)
    assert [f.evidence["language"] for f in run.by_rule("MAN002")] == ["sk"]


def test_language_list_on_the_cover_does_not_count(listing_factory):
    cover = "English · Español · Português · Polski · Deutsch · Français\nMade in China"
    pages = [cover, MODEL_LINE + section("en", 10)]
    pkg = package(listing_factory, ["ES", "US"], {"manuals/m.pdf": pdf_of(pages)})
    run = run_checks(pkg, select=SELECT)
    assert [f.evidence["language"] for f in run.by_rule("MAN002")] == ["es"]


@pytest.mark.parametrize("shaping", [True, False], ids=["shaped", "unshaped"])
def test_arabic_manual_covers_saudi_market(listing_factory, shaping):
    # Shaped (HarfBuzz) and unshaped Arabic come out of PDFium in different
    # orders; both must read as Arabic, not Persian or Urdu.
    pages = [MODEL_LINE + section("ar", 10)]
    pkg = package(listing_factory, ["SA"], {"manuals/ar.pdf": pdf_of(pages, shaping=shaping)})
    run_checks(pkg, select=SELECT).assert_findings({"MAN002": 0, "MAN004": 0})


def test_persian_manual_does_not_cover_saudi_market(listing_factory):
    pages = [MODEL_LINE + section("fa", 10)]
    pkg = package(listing_factory, ["SA"], {"manuals/fa.pdf": pdf_of(pages, shaping=True)})
    run_checks(pkg, select=SELECT).assert_findings({"MAN002": 1})


def test_two_columns_written_row_by_row_are_read_column_by_column(tmp_path):
    left = wrap(section("de", 10))
    right = wrap(section("nl", 10))
    path = tmp_path / "cols.pdf"
    path.write_bytes(two_column_rowwise(left, right))
    analysis = analyse_manual(path)
    assert set(analysis.languages) == {"de", "nl"}
    assert analysis.two_column_pages == [1]


def test_language_hidden_in_a_few_lines_is_found(tmp_path):
    hidden = section("pt", 6)  # six sentences: a few lines, over min-chars
    text = f"{section('es', 8, 1)}\n{hidden}\n{section('es', 8, 2)}"
    path = tmp_path / "hidden.pdf"
    path.write_bytes(pdf_of([text]))
    analysis = analyse_manual(path)
    assert set(analysis.languages) == {"es", "pt"}


def test_language_hidden_in_a_long_uniform_manual_is_found(tmp_path):
    # Long enough that lingua samples only every 8th window of the Spanish: the
    # Portuguese paragraph's words are not known Spanish ones, so it is scored.
    pages = [section("es", 30, seed) for seed in range(1, 4)]
    pages.insert(2, f"{section('es', 12, 9)}\n{section('pt', 6)}\n{section('es', 12, 10)}")
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf_of(pages))
    analysis = analyse_manual(path)
    assert set(analysis.languages) == {"es", "pt"}


def test_min_chars_option_sets_what_counts_as_present(listing_factory):
    text = f"{MODEL_LINE}{section('en', 10)}\n{section('es', 6)}"
    pkg = package(listing_factory, ["ES"], {"manuals/m.pdf": pdf_of([text])})
    run_checks(pkg, select=SELECT).assert_findings({"MAN002": 0})
    strict = run_checks(pkg, options={"manuals": {"min-chars": 2000}}, select=SELECT)
    strict.assert_findings({"MAN002": 1})


# --- MAN003 ---------------------------------------------------------------


def test_declared_spanish_with_portuguese_text_is_man003_saying_what_was_found(
    listing_factory,
):
    pages = [MODEL_LINE + section("pt", 10)]
    pkg = package(
        listing_factory,
        ["PT"],
        {"manuals/m.pdf": pdf_of(pages)},
        declared={"manuals/m.pdf": ["es"]},
    )
    run = run_checks(pkg, select=SELECT)
    run.assert_findings({"MAN003": 1, "MAN002": 0})
    finding = run.by_rule("MAN003")[0]
    assert "Spanish (es)" in finding.message and "pt: page 1" in finding.message
    assert finding.location.pointer == "/manuals/0/languages/0"


def test_correct_declaration_is_not_man003(listing_factory):
    pages = [MODEL_LINE + section("pt", 10), section("es", 10)]
    pkg = package(
        listing_factory,
        ["PT"],
        {"manuals/m.pdf": pdf_of(pages)},
        declared={"manuals/m.pdf": ["pt", "es"]},
    )
    run_checks(pkg, select=SELECT).assert_findings({"MAN003": 0})


# --- MAN004 ---------------------------------------------------------------


def test_scanned_manual_is_man004_and_man002_says_unverified(listing_factory):
    pkg = package(
        listing_factory,
        ["ES"],
        {"manuals/scan.pdf": scanned_pdf()},
        declared={"manuals/scan.pdf": ["es"]},
    )
    run = run_checks(pkg, select=SELECT)
    run.assert_findings({"MAN004": 1, "MAN002": 1, "MAN003": 0, "MAN005": 0})
    man002 = run.by_rule("MAN002")[0]
    assert "could not be verified in manuals/scan.pdf" in man002.message
    assert man002.evidence and man002.evidence["verified"] is False


def test_missing_language_mentions_image_only_pages_of_a_text_manual(listing_factory):
    from fpdf import FPDF

    pdf = FPDF(format=(148, 210))
    pdf.add_font("dejavu", fname=FONT)
    pdf.set_font("dejavu", size=9)
    pdf.add_page()
    pdf.multi_cell(0, 4.5, MODEL_LINE + section("en", 10))
    pdf.add_page()
    pdf.image(io.BytesIO(_png()), x=0, y=0, w=148)
    pkg = package(listing_factory, ["ES"], {"manuals/m.pdf": bytes(pdf.output())})
    run = run_checks(pkg, select=SELECT)
    run.assert_findings({"MAN002": 1, "MAN004": 0})
    assert "manuals/m.pdf pages 2" in run.by_rule("MAN002")[0].message


def test_encrypted_manual_is_man004(listing_factory):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica")
    pdf.multi_cell(0, 5, section("en"))
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pkg = package(listing_factory, ["US"], {"manuals/locked.pdf": bytes(pdf.output())})
    run = run_checks(pkg, select=SELECT)
    run.assert_findings({"MAN004": 1, "LG900": 0})
    assert "encrypted" in run.by_rule("MAN004")[0].message


def test_corrupt_pdf_is_lg006_not_a_crash(listing_factory):
    pkg = package(listing_factory, ["US"], {"manuals/bad.pdf": b"%PDF-1.7\n1 0 obj <<"})
    run = run_checks(pkg, select=SELECT)
    run.assert_findings({"LG006": 1, "LG900": 0, "MAN002": 1})
    assert run.by_rule("LG006")[0].location.file == "manuals/bad.pdf"


# --- MAN005 ---------------------------------------------------------------


def test_manual_not_naming_the_model_is_man005(listing_factory):
    pages = ["Model OV2208B. " + section("en", 10)]
    pkg = package(listing_factory, ["US"], {"manuals/m.pdf": pdf_of(pages)})
    run = run_checks(pkg, select=SELECT)
    run.assert_findings({"MAN005": 1})
    assert "OV2301A1" in run.by_rule("MAN005")[0].message


def test_model_written_with_hyphen_and_space_counts_as_mentioned(listing_factory):
    pages = ["Model: OV-2301 A1. " + section("en", 10)]
    pkg = package(listing_factory, ["US"], {"manuals/m.pdf": pdf_of(pages)})
    run_checks(pkg, select=SELECT).assert_findings({"MAN005": 0})


# --- evidence, normalisation ------------------------------------------------


def test_facts_record_languages_with_pages_and_chars(listing_factory):
    pages = [MODEL_LINE + section("en", 10), section("es", 10), section("es", 10, 3)]
    pkg = package(listing_factory, ["ES"], {"manuals/m.pdf": pdf_of(pages)})
    facts = run_checks(pkg, select=SELECT).result.facts["manuals"]["manuals/m.pdf"]
    assert facts["text"] is True and facts["pages"] == 3
    assert facts["languages"]["es"]["pages"] == [2, 3]
    assert facts["languages"]["es"]["chars"] > 600
    assert facts["models_seen"] == ["OV2301A1"]


def test_same_manual_gives_same_facts(tmp_path):
    path = tmp_path / "m.pdf"
    path.write_bytes(pdf_of([section("cs", 10), section("sk", 10), section("pl", 10)]))
    first, second = analyse_manual(path), analyse_manual(path)
    assert first.to_dict() == second.to_dict()
    assert set(first.languages) == {"cs", "sk", "pl"}


def _presentation_forms(logical: str) -> str:
    """Arabic letters as their isolated presentation forms, in visual order —
    how some PDF generators write Arabic."""
    isolated = {}
    for code in range(0xFE70, 0xFF00):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and parts[0] == "<isolated>":
            isolated[chr(int(parts[1], 16))] = chr(code)
    return "".join(isolated.get(ch, ch) for ch in logical)[::-1]


def test_arabic_presentation_forms_in_visual_order_are_normalised():
    logical = "اقرأ دليل المستخدم بعناية قبل استخدام الجهاز"
    raw = _presentation_forms(logical)
    assert any(0xFE70 <= ord(ch) <= 0xFEFF for ch in raw)
    assert arabic_is_reversed(raw)
    assert normalise(raw) == unicodedata.normalize("NFKC", logical)


def test_logical_arabic_is_left_alone():
    logical = "اقرأ دليل المستخدم بعناية قبل استخدام الجهاز"
    assert normalise(logical) == logical


# --- fast paths: each must equal the plain definition it replaces -----------

_NOT_LETTER = re.compile(r"[\W\d_]+")


def test_letter_counts_equal_the_regex_definition_for_every_character():
    # One byte per letter of the UTF-8 text (text._utf8_without_other_non_letters) must agree
    # with [^\W\d_] for every code point, surrogates and astral planes included.
    # Chunks of 32 take the bytes path (at most 32 non-ASCII non-letters),
    # chunks of 4096 mostly the regex fallback: both must be exact.
    for size in (32, 0x1000):
        for start in range(0, 0x110000, size):
            chunk = "".join(chr(c) for c in range(start, start + size) if c != 0x0A)
            letters = set(_NOT_LETTER.sub("", chunk))
            expected = [int(ch in letters) for ch in chunk]
            # One character per line: line_letters says which of them are letters.
            assert line_letters("\n".join(chunk)) == expected, hex(start)
            assert letter_count(chunk) == len(letters), hex(start)


def test_line_letters_equal_letter_count_of_each_line():
    rng = random.Random(7)
    pool = ["a", "é", "ł", "—", "«", "٣", "٫", "中", "ب", "ﻻ", "½", "_", "7", " ", "\n", "\t", "😀"]
    for _ in range(2000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        assert line_letters(text) == [letter_count(line) for line in text.split("\n")]
        assert letter_count(text) == len(_NOT_LETTER.sub("", text))


def test_windows_weigh_cjk_lines_as_weighted_length():
    pages = [
        "漢字のテキスト " * 12 + "\nLatin line of text here\n" + "中文 " * 30,
        "x\n\n  \nshort",
    ]
    for window in windows_of(pages):
        # The letters of each window are those of its lines, CJK counted three times.
        assert window.letters == weighted_length(window.text)
    assert windows_of(pages) == windows_of(pages, [line_letters(p) for p in pages])


def test_normalise_squeezes_runs_of_spaces_only():
    assert normalise("a  b\tc\u00a0d \u00a0 e f") == "a b c d e f"
    assert normalise("one space each") == "one space each"


def test_model_codes_match_across_separators_only():
    pages = ["Model: OV-2301 a1.", "made for the ov 2301-A 1"]
    assert models_mentioned(pages, ["OV2301A1", "OV2301A2", "ov-2301"]) == ["OV2301A1", "ov-2301"]
    assert models_mentioned(["OV2301", "A1"], ["OV2301A1"]) == ["OV2301A1"]  # across pages
    assert models_mentioned(["OV2301XA1"], ["OV2301A1"]) == []
    assert models_mentioned(["anything"], ["A-1"]) == []  # shorter than three characters


def test_viterbi_equals_the_plain_recurrence():
    def plain(emissions: list[list[float]], n: int) -> list[int]:
        cost, back = list(emissions[0]), []
        for scores in emissions[1:]:
            best = max(range(n), key=cost.__getitem__)
            switch = cost[best] - SWITCH_COST
            back.append([s if cost[s] >= switch else best for s in range(n)])
            cost = [max(cost[s], switch) + scores[s] for s in range(n)]
        path = [max(range(n), key=cost.__getitem__)]
        for pointers in reversed(back):
            path.append(pointers[path[-1]])
        return path[::-1]

    rng = random.Random(11)
    for _ in range(300):
        n = rng.randint(1, 6)
        levels = [0.0, -0.1, -3.0, -6.0, -9.21]  # ties on purpose
        emissions = [[rng.choice(levels) for _ in range(n)] for _ in range(rng.randint(1, 40))]
        assert _viterbi(emissions, n) == plain(emissions, n)


def test_repeated_window_texts_are_scored_once(monkeypatch):
    """A manual repeats itself (running heads, the same warning per section):
    lingua reads each distinct text once, and the labels are the same."""
    sections = [section("en", 2, seed) for seed in range(6)] + [section("de", 2, 0)]
    pages = [f"Page {n}\n{sections[n % 3]}" for n in range(30)] + [sections[-1]] * 4
    windows = windows_of(pages)
    candidates = frozenset({"en", "de", "fr"})
    detector = detect.get_detector(candidates)
    asked: list[str] = []

    class Counting:
        def compute_language_confidence_values(self, text: str) -> Any:
            asked.append(text)
            return detector.compute_language_confidence_values(text)

    monkeypatch.setattr(detect, "get_detector", lambda _candidates: Counting())
    labels = detect.label_windows(windows, candidates)
    assert len(asked) == len(set(asked))
    assert {w.language for w in labels} == {"en", "de"}
    assert [w.language for w in labels][-4:] == ["de"] * 4


# --- real manuals (skipped when ../shared/real-world is absent) -------------


@pytest.mark.skipif(not REAL_WORLD.is_dir(), reason="../shared/real-world is absent")
def test_real_eight_language_battery_guide_languages():
    path = REAL_WORLD / "zerozero-battery-safety-8lang.pdf"
    if not path.is_file():
        pytest.skip("zerozero-battery-safety-8lang.pdf is absent")
    analysis = analyse_manual(path)
    assert set(analysis.languages) == {"en", "zh", "ja", "ko", "de", "fr", "es", "ru"}


@pytest.mark.skipif(not REAL_WORLD.is_dir(), reason="../shared/real-world is absent")
def test_real_fifteen_language_flight_guide_languages():
    path = REAL_WORLD / "parrot-anafi-flight-safety-guide-15lang.pdf"
    if not path.is_file():
        pytest.skip("parrot-anafi-flight-safety-guide-15lang.pdf is absent")
    analysis = analyse_manual(path)
    # 15 sections: Simplified and Traditional Chinese are both "zh".
    assert set(analysis.languages) == {
        *("en", "zh", "ja", "de", "fr", "pt", "it", "ko", "es", "id", "pl", "nl", "th", "ar"),
    }
    assert analysis.languages["ar"].ranges == [(168, 177)]


@pytest.mark.skipif(not REAL_WORLD.is_dir(), reason="../shared/real-world is absent")
def test_real_scanned_declaration_has_no_text():
    path = REAL_WORLD / "parrot-anafi-eu-doc-scan.pdf"
    if not path.is_file():
        pytest.skip("parrot-anafi-eu-doc-scan.pdf is absent")
    assert analyse_manual(path).status == "no-text"
