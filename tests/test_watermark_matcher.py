"""The mark search itself (``listguard.plugins.watermark.matcher``), on small
synthetic images: what the coarse ranking, the full-resolution re-score and the
edge cases do. The accuracy figures are in ``bench/watermark``."""

from __future__ import annotations

import numpy as np
from PIL import Image
from test_watermark import make_mark, with_mark

from listguard.plugins.watermark.matcher import SearchSettings, Template, find_mark

TEMPLATE = Template(np.asarray(make_mark()))


def gray(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"))


def two_tone(size: int = 800, seed: int = 3) -> Image.Image:
    """Light on the left, dark on the right, with fine grain."""
    rng = np.random.default_rng(seed)
    data = np.full((size, size), 215.0)
    data[:, size // 2 :] = 45.0
    data += rng.normal(0, 6, data.shape)
    return Image.fromarray(np.clip(data, 0, 255).astype("uint8"), "L").convert("RGB")


def test_faint_large_mark_across_a_light_to_dark_edge_is_found():
    # The background changes under the mark, so one fit for the whole mark is
    # poor; each cell's own fit is not.
    where = (400 - 150, 300)
    image = with_mark(two_tone(), scale=1.5, opacity=0.4, where=where)
    match = find_mark(gray(image), TEMPLATE)
    assert match.score >= 0.62
    assert abs(match.bbox[0] - where[0]) < 20 and abs(match.bbox[1] - where[1]) < 20


def test_small_mark_in_doubt_is_rescored_on_the_full_resolution_image():
    full = gray(with_mark(two_tone(1600), scale=0.5, opacity=0.6, where=(700, 900)))
    reduced = np.asarray(Image.fromarray(full).resize((800, 800), Image.BOX))
    calls = []

    def decode_full() -> np.ndarray:
        calls.append(1)
        return full

    doubt = SearchSettings(full_res_from=0.0, full_res_until=1.01)
    match = find_mark(reduced, TEMPLATE, 1600, doubt, decode_full)
    assert calls == [1]
    assert abs(match.bbox[0] - 700) < 12 and abs(match.bbox[1] - 900) < 12


def test_full_resolution_is_not_decoded_when_the_verdict_is_clear():
    full = gray(with_mark(two_tone(1600), scale=0.5, opacity=0.9, where=(200, 200)))
    reduced = np.asarray(Image.fromarray(full).resize((800, 800), Image.BOX))
    calls = []
    match = find_mark(reduced, TEMPLATE, 1600, full_gray=lambda: calls.append(1) or full)
    assert match.score >= SearchSettings().full_res_until
    assert calls == []


def test_full_resolution_is_not_decoded_when_the_image_already_is():
    image = gray(with_mark(two_tone(), scale=0.5, opacity=0.3))
    calls = []
    doubt = SearchSettings(full_res_from=0.0, full_res_until=1.01)
    find_mark(image, TEMPLATE, None, doubt, lambda: calls.append(1) or image)
    assert calls == []


def test_image_smaller_than_the_mark_at_every_scale_scores_zero():
    match = find_mark(np.full((12, 12), 128, np.uint8), TEMPLATE)
    assert match.score == 0.0 and match.bbox == (0, 0, 0, 0)
