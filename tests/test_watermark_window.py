"""The window round an official asset's mark (``plugins/watermark/window.py``):
a copy's window is the asset's own even when its mark is faint over texture; the
asset's photo with its mark removed or replaced is not."""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from test_watermark import FONT, make_mark, with_mark

from listguard.plugins.watermark.analysis import DEFAULT_MATCH_THRESHOLD
from listguard.plugins.watermark.matcher import Template, find_mark_at
from listguard.plugins.watermark.window import compare, decode, encode, extract

TEMPLATE = Template(np.asarray(make_mark(), dtype=np.uint8))
WHERE, SCALE = (300, 420), 0.6


def printed_text(size: int = 1000, seed: int = 3) -> Image.Image:
    """A page of small printed letters: texture that looks like the mark's own."""
    rng = random.Random(seed)
    image = Image.new("RGB", (size, size), (225, 225, 215))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 14) if FONT.exists() else ImageFont.load_default(14)
    for y in range(0, size, 18):
        line = "".join(rng.choice("ABCDEFGHKLMNPRSTUVXYZ0123456789 ") for _ in range(90))
        draw.text((-5, y), line, font=font, fill=(40, 40, 40))
    return image


def gray(image: Image.Image, factor: float = 1.0, quality: int | None = None) -> np.ndarray:
    if factor != 1.0:
        image = image.resize((round(image.width * factor),) * 2, Image.LANCZOS)
    if quality is not None:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality)
        image = Image.open(io.BytesIO(buffer.getvalue()))
    return np.asarray(image.convert("L"))


def place(size: int = 1000) -> tuple[float, float, float]:
    return (SCALE, WHERE[0] / size, WHERE[1] / size)


@pytest.fixture(scope="module")
def asset() -> tuple[Image.Image, np.ndarray]:
    """A faint mark (opacity 0.37) over printed text, and its stored window."""
    image = with_mark(printed_text(), scale=SCALE, opacity=0.37, where=WHERE)
    stored = decode(encode(extract(gray(image), TEMPLATE, place())), TEMPLATE)
    assert stored is not None
    return image, stored


def test_a_resized_reencoded_copy_of_a_faint_mark_on_text_is_the_assets_window(asset):
    image, stored = asset
    copy = gray(image, 0.6, quality=55)
    # The mark itself scores under the threshold there: the texture shows through it.
    assert find_mark_at(copy, TEMPLATE, place()).score < DEFAULT_MATCH_THRESHOLD
    result = compare(copy, TEMPLATE, place(), stored)
    assert result is not None and result.same
    assert abs(result.excess) < 0.1 and abs(result.mark_change) < 0.1


def test_the_assets_photo_with_the_faint_mark_removed_is_not(asset):
    _, stored = asset
    result = compare(gray(printed_text(), 0.6, quality=55), TEMPLATE, place(), stored)
    assert result is not None and not result.same
    assert result.mark_change < -0.3  # the difference is the asset's mark, taken away


@pytest.mark.parametrize("word", ["NOVARI", ""])  # another word; the frame alone
def test_the_assets_photo_with_another_badge_in_its_place_is_not(asset, word):
    _, stored = asset
    swapped = with_mark(printed_text(), scale=SCALE, opacity=0.45, word=word, where=WHERE)
    result = compare(gray(swapped, 0.6, quality=55), TEMPLATE, place(), stored)
    assert result is not None and not result.same


def test_a_copy_cropped_and_shifted_a_little_is_still_aligned(asset):
    image, stored = asset
    cropped = image.crop((12, 9, 1000, 1000)).resize((988, 988))  # ~1 % off two sides
    fx, fy = (WHERE[0] - 12) / 988, (WHERE[1] - 9) / 988
    # The kit's place is the asset's: the copy's mark is ~1 % of the side away from it.
    assert abs(fx - place()[1]) > 0.005 or abs(fy - place()[2]) > 0.005
    result = compare(gray(cropped, 0.7, quality=60), TEMPLATE, place(), stored)
    assert result is not None and result.same


def test_a_stored_window_of_another_size_is_not_decoded():
    buffer = io.BytesIO()
    Image.new("L", (30, 30)).save(buffer, "PNG")
    import base64

    assert decode(base64.b64encode(buffer.getvalue()).decode(), TEMPLATE) is None


def test_a_stretched_copy_too_narrow_for_the_mark_is_not_compared(asset):
    image, stored = asset
    stretched = np.asarray(image.convert("L").resize((50, 16000)))
    assert compare(stretched, TEMPLATE, place(), stored) is None


def test_a_copy_stretched_wide_where_the_mark_cannot_fit_is_not_compared(asset):
    image, stored = asset
    stretched = np.asarray(image.convert("L").resize((20000, 200)))
    assert compare(stretched, TEMPLATE, place(), stored) is None


def test_the_search_for_the_window_is_bounded_by_the_marks_size(asset, monkeypatch):
    import listguard.plugins.watermark.window as window

    image, stored = asset
    sizes = []
    real = window._resampled
    monkeypatch.setattr(
        window, "_resampled", lambda g, f, x, y, size: sizes.append(size) or real(g, f, x, y, size)
    )
    tall = np.asarray(image.convert("L").resize((1000, 20000)))  # the mark fits; shift capped
    compare(tall, TEMPLATE, place(), stored)
    assert sizes and max(max(size) for size in sizes) < 6 * window.MARK_WIDTH


def test_a_window_of_another_template_size_is_not_compared(asset):
    _, stored = asset
    assert compare(gray(asset[0]), TEMPLATE, place(), stored[:-3]) is None


def test_a_flat_stored_window_is_no_window():
    import base64

    buffer = io.BytesIO()
    Image.new("L", (79, 40), 128).save(buffer, "PNG")
    assert decode(base64.b64encode(buffer.getvalue()).decode(), TEMPLATE) is None


def test_kit_index_windows_are_decoded_per_template_size():
    from listguard.plugins.watermark.analysis import KitIndex

    image = with_mark(printed_text(), scale=SCALE, opacity=0.37, where=WHERE)
    text = encode(extract(gray(image), TEMPLATE, place()))
    index = KitIndex({}, {}, windows={"a": text})
    other = Template(np.asarray(make_mark().resize((240, 150)), dtype=np.uint8))
    assert index.window("a", TEMPLATE) is not None
    assert index.window("a", other) is None  # not a window of that template
    assert index.window("a", TEMPLATE) is not None


def test_an_unaligned_comparison_accuses_no_one():
    from listguard.plugins.watermark import window_clearly_differs

    removed = {"same": False, "ring_correlation": 0.95, "excess": 3.0, "mark_change": -1.0}
    assert window_clearly_differs(removed)
    assert not window_clearly_differs({**removed, "ring_correlation": 0.3})
    assert not window_clearly_differs({**removed, "mark_change": -0.1, "excess": 0.6})
