"""The mark search itself (``listguard.plugins.watermark.matcher``), on small
synthetic images: what the coarse ranking, the full-resolution re-score and the
edge cases do. The accuracy figures are in ``bench/watermark``."""

from __future__ import annotations

import math
import warnings

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from test_watermark import FONT, make_mark, with_mark

from listguard.plugins.watermark.analysis import DEFAULT_MATCH_THRESHOLD
from listguard.plugins.watermark.matcher import (
    MarkSearch,
    Match,
    SearchSettings,
    Template,
    _coarse_checks,
    _dft_size,
    _explained_share,
    _SpectrumCache,
    _structure_tensor,
    _WindowSpectra,
    agreement,
    amplitude_share,
    band_pass,
    find_mark,
    find_mark_at,
    orientation_field,
)

TEMPLATE = Template(np.asarray(make_mark()))
WIDER = SearchSettings(candidates=20, peaks_per_scale=6, z_candidates=8, prune=0.0)


def _score_map(image: np.ndarray, feats) -> np.ndarray | None:
    """The reference score map of a window (what the search's shared
    transforms must give): three ``matchTemplate`` correlations, the mark's two
    basis images and its mask on the squared window."""
    th, tw = feats.shape
    if th > image.shape[0] or tw > image.shape[1]:
        return None
    c1 = cv2.matchTemplate(image, feats.u1, cv2.TM_CCORR)
    c2 = cv2.matchTemplate(image, feats.u2, cv2.TM_CCORR)
    energy = cv2.matchTemplate(image * image, feats.mask, cv2.TM_CCORR)
    return _explained_share(c1, c2, energy, feats)


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
    assert match.score >= DEFAULT_MATCH_THRESHOLD
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


def test_image_too_small_for_a_readable_mark_scores_zero():
    # At every allowed scale the mark would be under 24 px wide: noise there
    # would otherwise match it as well as a real mark does.
    noise = np.random.default_rng(2).integers(0, 256, (40, 40), dtype=np.uint8)
    match = find_mark(noise, TEMPLATE)
    assert match.score == 0.0 and match.bbox == (0, 0, 0, 0)


def test_template_without_edges_at_the_coarse_size_gives_a_finite_score():
    solid = np.zeros((40, 100, 4), np.uint8)
    solid[..., 3], solid[..., :3] = 255, 50
    noise = np.random.default_rng(3).integers(0, 256, (200, 200), dtype=np.uint8)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a 0/0 in the coarse map would warn
        match = find_mark(noise, Template(solid))
    assert 0.0 <= match.score < DEFAULT_MATCH_THRESHOLD


def printed_text(size: int = 800, seed: int = 6) -> Image.Image:
    """Rows of random capitals and digits in the mark's own font: every window is
    full of letter strokes, as on a label or a manual page."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (size, size), (168, 168, 160))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 20) if FONT.exists() else ImageFont.load_default(20)
    letters = list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    for row in range(-1, size // 26 + 1):
        line = "".join(rng.choice(letters, 80))
        grey = int(rng.integers(30, 90))
        draw.text((-int(rng.integers(0, 30)), row * 26), line, font=font, fill=(grey,) * 3)
    return image


def test_mark_over_printed_text_is_found():
    # Background letters fill the mark's window with strokes, and their energy
    # drowned the mark's in the coarse pass (the search before edge orientations
    # ranked a place at the top left first: score 0.33).
    where = (300, 420)
    image = with_mark(printed_text(), scale=1.0, opacity=0.6, where=where)
    match = find_mark(gray(image), TEMPLATE)
    assert match.score >= DEFAULT_MATCH_THRESHOLD
    assert abs(match.bbox[0] - where[0]) < 20 and abs(match.bbox[1] - where[1]) < 20


def test_orientation_agreement_equals_the_direct_correlation():
    # The map is computed by DFT on a padded size; no window may wrap round.
    rng = np.random.default_rng(1)
    image = rng.normal(128, 40, (203, 317)).astype(np.float32)  # odd, non-DFT sizes
    mark = TEMPLATE.orientation(72, SearchSettings().coarse_band, 0.6)
    fast = agreement(*orientation_field(image, 2.0, 0.6), mark)
    diff, cross, energy = _structure_tensor(image, 0.6)
    cos2, sin2 = diff / (energy + 4.0), cross / (energy + 4.0)
    direct = cv2.matchTemplate(cos2, mark.cos2, cv2.TM_CCORR)
    direct += cv2.matchTemplate(sin2, mark.sin2, cv2.TM_CCORR)
    assert fast is not None and fast.shape == direct.shape
    assert np.allclose(fast, np.maximum(direct / mark.total, 0), atol=1e-4)


def test_each_levels_map_is_the_agreement_of_its_own_field_unpadded():
    # The pyramid resizes each level's field straight into a buffer of its
    # transform size, whose padding must be zero: a level's map must be the
    # agreement of its field (the previous level's resized) as if padded afresh.
    rng = np.random.default_rng(5)
    image = rng.normal(128, 40, (410, 530)).astype(np.float32)
    levels = MarkSearch(image, TEMPLATE).levels
    assert len(levels) > 2
    previous = None
    for level in levels:
        h, w = level.shrunk.shape
        assert level.fields is not None
        for field in level.fields:
            assert not field[h:].any() and not field[:, w:].any()
        cos2, sin2 = (np.ascontiguousarray(field[:h, :w]) for field in level.fields)
        if previous is None:  # the first level's field, computed into its buffer
            fresh = orientation_field(level.shrunk, 2.0, 0.6)
            assert np.array_equal(cos2, fresh[0]) and np.array_equal(sin2, fresh[1])
        elif previous.shape != (h, w):
            resized = cv2.resize(previous, (w, h), interpolation=cv2.INTER_LINEAR)
            assert np.array_equal(cos2, resized)
        previous = cos2
        want = agreement(cos2, sin2, level.mark)
        assert want is not None and np.array_equal(level.scores(), want)


def test_shared_window_transform_gives_the_score_map_of_each_sub_window():
    # The refine round transforms one window for all its mark sizes; each size's
    # map must be what matchTemplate gives on that size's own sub-window.
    rng = np.random.default_rng(2)
    image = rng.normal(0, 30, (131, 207)).astype(np.float32)
    shared = _WindowSpectra(image)
    for width, rows, cols in ((90, (3, 120), (5, 200)), (101, (0, 131), (0, 207))):
        feats = TEMPLATE.features(width, (0.0, 1.2))
        fast = shared.score_map(feats, rows, cols)
        direct = _score_map(image[rows[0] : rows[1], cols[0] : cols[1]], feats)
        assert fast is not None and direct is not None and fast.shape == direct.shape
        assert np.allclose(fast, direct, atol=1e-4)


@pytest.mark.parametrize("count, around", [(1, None), (5, Match(0.5, (19, 18, 94, 36), 1.0))])
def test_a_last_round_scores_each_size_as_matchtemplate_does_on_its_own_window(count, around):
    # The last rounds (one size, then sizes round a match) share one window's
    # transforms too: the best size, place and score must be those of
    # matchTemplate on each size's own window, taken in turn.
    from listguard.plugins.watermark.matcher import _Region

    rng = np.random.default_rng(5)
    image = cv2.GaussianBlur(rng.normal(128, 20, (300, 400)).astype(np.float32), (0, 0), 1.0)
    mark = cv2.resize(TEMPLATE.ink, (94, 36), interpolation=cv2.INTER_AREA)
    image[122 : 122 + 36, 153 : 153 + 94] += 120 * mark  # 3 px off the candidate's corner
    settings = SearchSettings()
    region = _Region.around(image, TEMPLATE, settings, 1.0, 1.03, 150, 120, 120, 4.0, 2.0)
    found = region.search(TEMPLATE, settings, 1.0, 1.03, count, around, 3.0)
    # Round a match, the mark is at the corner of the largest sizes' windows.
    cx, cy = (region.cx, region.cy) if around is None else (19 + 94 / 2, 18 + 36 / 2)
    best = Match(0.0, (0, 0, 0, 0), 1.0)
    for i in range(count):
        s = 1.03 ** (2 * i / (count - 1) - 1) if count > 1 else 1.0
        width = TEMPLATE.width * s * region.gray_width / 1000 * region.factor
        feats = TEMPLATE.features(max(6, round(width)), (0.0, region.sigma))
        th, tw = feats.shape
        x0, y0 = max(0, int(cx - tw / 2 - 3.0)), max(0, int(cy - th / 2 - 3.0))
        x1 = min(region.image.shape[1], int(cx + tw / 2 + 3.0) + 2)
        y1 = min(region.image.shape[0], int(cy + th / 2 + 3.0) + 2)
        direct = _score_map(region.image[y0:y1, x0:x1], feats)
        assert direct is not None
        _, value, _, (bx, by) = cv2.minMaxLoc(direct)
        if value > best.score:
            best = Match(float(value), (x0 + bx, y0 + by, tw, th), s)
    assert best.score > 0.5
    assert found.score == pytest.approx(best.score, abs=1e-5)
    assert (found.bbox, found.scale) == (best.bbox, best.scale)


def test_shared_window_transform_refuses_a_sub_window_smaller_than_the_mark():
    shared = _WindowSpectra(np.ones((60, 60), np.float32))
    assert shared.score_map(TEMPLATE.features(90, (0.0, 1.2)), (0, 60), (0, 60)) is None


@pytest.mark.parametrize("second", ["plugin", "wider"])
def test_a_second_look_finds_what_a_fresh_search_with_its_settings_finds(second):
    # The second look reuses the first one's coarse maps, refined candidates and
    # last rounds: it must give what a search made with its settings gives.
    from listguard.plugins.watermark.analysis import WIDER as SECOND_LOOK

    settings = SECOND_LOOK if second == "plugin" else WIDER
    image = gray(with_mark(printed_text(), scale=0.7, opacity=0.3, where=(500, 180)))
    search = MarkSearch(image, TEMPLATE)
    search.best(SearchSettings())
    assert search.best(settings) == find_mark(image, TEMPLATE, settings=settings)


def test_a_look_at_the_small_levels_leaves_the_large_ones_uncomputed():
    image = gray(with_mark(printed_text(), scale=1.4, opacity=0.8, where=(200, 300)))
    search = MarkSearch(image, TEMPLATE)
    small = search.small_levels(0.5)
    largest = max(level.shrunk.size for level in search.levels)
    assert 0 < len(small) < len(search.levels)
    assert all(level.shrunk.size <= 0.5 * largest for level in small)
    match = search.best(SearchSettings(), levels=small)
    assert match.score >= DEFAULT_MATCH_THRESHOLD and abs(match.bbox[0] - 200) <= 6
    assert all((level.map is None) == (level not in small) for level in search.levels)


def test_a_whole_search_after_the_small_levels_is_a_fresh_whole_search():
    image = gray(with_mark(printed_text(), scale=0.5, opacity=0.4, where=(420, 300)))
    search = MarkSearch(image, TEMPLATE)
    search.best(SearchSettings(), levels=search.small_levels(0.5))
    assert search.best(SearchSettings()) == find_mark(image, TEMPLATE)


def test_the_plugins_second_look_refines_the_six_best_scales_best_peaks():
    from listguard.plugins.watermark.analysis import WIDER as SECOND_LOOK

    image = gray(printed_text(seed=7))
    search = MarkSearch(image, TEMPLATE)
    search.best(SearchSettings())
    first = {key[:3] for key in search.refined}
    search.best(SECOND_LOOK)
    refined = {key[:3] for key in search.refined}
    tops = sorted((c for c in search.candidates if c[5] == 0), reverse=True)
    assert len(tops) == len(search.levels) > 6
    assert all(c[2:5] in refined for c in tops[:6])
    # The other scales' best peaks are refined only if the first look did.
    assert all(c[2:5] not in refined or c[2:5] in first for c in tops[6:])


def test_the_plugins_whole_search_gives_the_last_rounds_to_its_best_refined_candidate():
    from listguard.plugins.watermark.analysis import WHOLE

    image = gray(printed_text(seed=7))
    search = MarkSearch(image, TEMPLATE)
    found = search.best(WHOLE)
    best_refined = max(first.score for first, _ in search.refined.values())
    assert len(search.refined) > 1 and len(search.finals) == 1
    assert found.scale == pytest.approx(
        next(f.scale for f, _ in search.refined.values() if f.score == best_refined), rel=0.05
    )


def test_the_last_rounds_stop_at_the_first_match_accepted():
    image = gray(with_mark(printed_text(), scale=0.9, opacity=0.8, where=(300, 420)))
    every = MarkSearch(image, TEMPLATE)
    best = every.best(SearchSettings())
    first = MarkSearch(image, TEMPLATE)
    accepted = first.best(SearchSettings(), enough=lambda match: match.score >= 0.5)
    assert len(every.finals) == 2 and len(first.finals) == 1
    assert accepted.score >= 0.5 and abs(accepted.bbox[0] - best.bbox[0]) <= 4


def reference_rank(patch: np.ndarray, feats) -> float:
    """The coarse check's rank computed the slow, obvious way: each cell of the
    4×2 grid fitted on the two template images by least squares, its share of
    the cell's energy (plus the one-grey-level floor per pixel); the lower of
    the inked cells' pooled fit and their median."""
    grid = feats.cells
    piece = patch.astype(np.float64) * feats.mask
    rows = [*grid.rows, patch.shape[0]]
    cols = [*grid.cols, patch.shape[1]]
    shares, fitted, totals = [], [], []
    for r in range(2):
        for c in range(4):
            cell = (slice(rows[r], rows[r + 1]), slice(cols[c], cols[c + 1]))
            basis = np.stack([feats.first[cell].ravel(), feats.second[cell].ravel()], 1)
            target = piece[cell].ravel()
            coef = np.linalg.lstsq(basis.astype(np.float64), target, rcond=None)[0]
            explained = float(((basis @ coef) ** 2).sum())
            total = float((target**2).sum() + feats.mask[cell].sum())
            shares.append(math.sqrt(min(1.0, explained / total)))
            fitted.append(explained)
            totals.append(total)
    inked = grid.inked
    pooled = math.sqrt(min(1.0, sum(np.array(fitted)[inked]) / sum(np.array(totals)[inked])))
    return min(pooled, float(np.median(np.array(shares)[inked])))


def test_batched_coarse_checks_rank_each_peak_as_a_least_squares_fit_would():
    rng = np.random.default_rng(4)
    level = cv2.GaussianBlur(rng.normal(128, 40, (300, 400)).astype(np.float32), (0, 0), 1.0)
    level[100:160, 150:260] += 0.25 * gray(make_mark().resize((110, 60)))  # a mark-like spot
    feats = TEMPLATE.features(72, (0.8, 2.5))
    th, tw = feats.shape
    points = [(0, 0), (37, 101), (160, 110), (400 - tw, 300 - th), (390, 10)]  # the last runs off
    ranks = _coarse_checks([(level, x, y) for x, y in points], feats, (0.8, 2.5))
    for (x, y), rank in zip(points, ranks, strict=True):
        y0, x0 = max(0, y - 10), max(0, x - 10)  # the band-pass's margin: 4 × 2.5 px
        around = band_pass(level[y0 : y + th + 10, x0 : x + tw + 10], (0.8, 2.5))
        patch = around[y - y0 : y - y0 + th, x - x0 : x - x0 + tw]
        if patch.shape != feats.shape:
            assert rank == 0.0
            continue
        assert rank == pytest.approx(reference_rank(patch, feats), abs=1e-6)


def test_coarse_checks_of_peaks_from_several_levels_at_once_equal_each_level_alone():
    # A look checks the peaks of all its levels in one pass: each peak's rank
    # must be what checking its own level alone gives.
    rng = np.random.default_rng(6)
    levels = [
        cv2.GaussianBlur(rng.normal(128, 40, size).astype(np.float32), (0, 0), 1.0)
        for size in ((300, 400), (220, 260))
    ]
    feats = TEMPLATE.features(72, (0.8, 2.5))
    th, tw = feats.shape
    levels[1][50 : 50 + th, 60 : 60 + tw] += 150 * cv2.resize(TEMPLATE.ink, (tw, th))
    points = [(0, 10, 20), (1, 60, 50), (0, 200, 100), (1, 5, 190), (1, 250, 10)]
    together = _coarse_checks([(levels[i], x, y) for i, x, y in points], feats, (0.8, 2.5))
    alone = [_coarse_checks([(levels[i], x, y)], feats, (0.8, 2.5))[0] for i, x, y in points]
    assert together == alone
    assert max(together) == together[1] > 0.5  # the mark ranks first
    assert together[-1] == 0.0  # a patch off the level's edge is not checked


def test_each_peak_is_checked_with_its_own_levels_mark_size():
    # On a small image the smaller marks' levels are the image itself, each with
    # the mark at its own width: a look's one-pass ranking must check each peak
    # with its own level's mark, as checking the level alone does.
    image = gray(printed_text(size=300, seed=8))
    search = MarkSearch(image, TEMPLATE)
    search.best(SearchSettings())
    assert len({level.feats.shape for level in search.levels}) > 2
    band = SearchSettings().coarse_band
    for rank, _, scale, x, y, _ in search.candidates:
        level = next(level for level in search.levels if level.scale == scale)
        point = (level.shrunk, round(x * level.factor), round(y * level.factor))
        assert rank == pytest.approx(_coarse_checks([point], level.feats, band)[0], abs=1e-12)


class _FakeRegion:
    """What the last rounds need of a refined candidate's region: its place."""

    def __init__(self, x: int) -> None:
        self.x = x

    def to_full(self, match: Match, *_args) -> Match:
        return Match(match.score, (self.x, 0, 10, 4), match.scale)


def last_rounds(
    monkeypatch,
    finals: list[Match],
    full: Match | None = None,
    settings: SearchSettings | None = None,
    **kwargs,
) -> Match:
    """``_final_rounds`` over candidates whose last rounds give ``finals`` in
    turn (best refined first), and ``full`` for a full-resolution rescore."""
    from listguard.plugins.watermark import matcher

    outcomes = iter(finals)

    def final(gray, *args):
        return full if gray.shape[0] == 800 else next(outcomes)

    monkeypatch.setattr(matcher, "_final", final)
    firsts = [(Match(0.9 - 0.1 * i, (0, 0, 0, 0), 1.0), _FakeRegion(100 * i)) for i in range(2)]
    gray_ = np.zeros((400, 600), np.float32)
    decode = (lambda: np.zeros((800, 1200), np.float32)) if full is not None else None
    settings = settings or SearchSettings()
    return matcher._final_rounds(gray_, TEMPLATE, 1200, settings, firsts, decode, {}, **kwargs)


def is_the_mark(match: Match) -> bool:
    return match.score >= 0.6 and match.inner >= 0.66


def test_a_lookalike_that_outscores_the_mark_does_not_hide_it(monkeypatch):
    mark = Match(0.65, (0, 0, 10, 4), 1.0, inner=0.9)
    lookalike = Match(0.9, (0, 0, 10, 4), 1.0, inner=0.3)
    assert last_rounds(monkeypatch, [lookalike, mark]).score == 0.9  # by score alone
    assert last_rounds(monkeypatch, [lookalike, mark], enough=is_the_mark).score == 0.65


def test_candidates_refined_under_final_from_get_no_last_rounds(monkeypatch):
    finals = [Match(0.7, (0, 0, 10, 4), 1.0, inner=0.9), Match(0.9, (0, 0, 10, 4), 1.0)]
    # The fake candidates' refine rounds scored 0.9 and 0.8: only the first reaches 0.85.
    match = last_rounds(monkeypatch, finals, settings=SearchSettings(final_from=0.85))
    assert match.score == 0.7


def test_with_no_candidate_reaching_final_from_the_best_refined_one_is_the_evidence(monkeypatch):
    # No last round runs (a last round here would give 0.99, the mark): the
    # best refined candidate is reported with its refine score, and no inside.
    finals = [Match(0.99, (0, 0, 10, 4), 1.0, inner=0.9)] * 2
    match = last_rounds(monkeypatch, finals, settings=SearchSettings(final_from=0.95))
    assert match.score == 0.9 and match.bbox == (0, 0, 10, 4) and math.isnan(match.inner)
    assert not is_the_mark(match)


def test_a_full_resolution_rescore_does_not_undo_an_accepted_match(monkeypatch):
    small = Match(0.62, (0, 0, 100, 40), 1.0, inner=0.9)  # in doubt: rescored at full size
    rescore = Match(0.66, (0, 0, 200, 80), 1.0, inner=0.4)
    finals = [small, Match(0.3, (0, 0, 100, 40), 1.0, inner=0.9)]
    assert last_rounds(monkeypatch, finals, full=rescore).score == 0.66  # by score alone
    accepted = last_rounds(monkeypatch, finals, full=rescore, enough=is_the_mark)
    assert accepted.score == 0.62 and accepted.inner == 0.9


def test_transform_lengths_are_even_and_no_shorter_than_asked():
    for n in (1, 2, 3, 5, 7, 125, 370, 729, 769):
        size = _dft_size(n)
        assert size >= n and size % 2 == 0 and size == cv2.getOptimalDFTSize(size)
    assert _dft_size(370) == 384  # not 375, an odd length


def test_spectrum_cache_drops_the_least_recently_used_past_its_budget():
    cache = _SpectrumCache(budget=3 * 400)  # three entries of 400 bytes
    owner = object()
    computed = []

    def get(size):
        def compute():
            computed.append(size)
            return (np.zeros((10, 10), np.float32),)

        cache.get(owner, size, compute)

    for size in ((1, 1), (1, 1), (2, 2), (3, 3)):
        get(size)
    get((1, 1))  # used last: kept
    get((4, 4))  # over budget: (2, 2), the least recently used, goes
    assert computed == [(1, 1), (2, 2), (3, 3), (4, 4)]
    get((1, 1))
    get((2, 2))
    assert computed[-1] == (2, 2) and cache.held == 3 * 400


def test_faint_mark_over_printed_text_passes_once_the_texture_is_discounted():
    # Its plain correlation is low (the letters showing through count against
    # it); discounting the texture measured beside and between the strokes
    # lifts it over the threshold.
    image = with_mark(printed_text(), scale=1.0, opacity=0.3, where=(300, 420))
    match = find_mark(gray(image), TEMPLATE)
    assert abs(match.bbox[0] - 300) < 12 and abs(match.bbox[1] - 420) < 12
    assert match.correlation < DEFAULT_MATCH_THRESHOLD <= match.score


def test_printed_text_without_a_mark_stays_far_below_the_threshold():
    match = find_mark(gray(printed_text(seed=7)), TEMPLATE)
    assert match.score < 0.5 * DEFAULT_MATCH_THRESHOLD


def test_lookalike_over_printed_text_stays_below_the_threshold():
    # The discount lifts a look-alike on texture too, but its other word stays
    # unexplained.
    image = with_mark(printed_text(), scale=1.0, opacity=0.5, word="ORBITA", where=(300, 420))
    match = find_mark(gray(image), TEMPLATE)
    assert match.correlation < match.score < DEFAULT_MATCH_THRESHOLD


def test_mark_is_found_near_the_assets_place_after_a_three_percent_crop():
    image = with_mark(two_tone(), scale=0.6, where=(300, 420))
    cropped = image.crop((24, 24, 800, 800)).resize((800, 800))  # 3 % off one corner
    match = find_mark_at(gray(cropped), TEMPLATE, (0.6, 300 / 800, 420 / 800))
    x, y, _, _ = match.bbox
    shrink = 800 / 776
    assert match.score >= DEFAULT_MATCH_THRESHOLD
    assert abs(x - (300 - 24) * shrink) <= 4 and abs(y - (420 - 24) * shrink) <= 4


def test_no_mark_at_the_assets_place_scores_low_there():
    image = with_mark(two_tone(), scale=0.6, where=(40, 40))
    match = find_mark_at(gray(image), TEMPLATE, (0.6, 400 / 800, 500 / 800))
    assert match.score < DEFAULT_MATCH_THRESHOLD


@pytest.mark.parametrize(
    "place",
    [(1.0, 1.5, 0.2), (1.0, -0.1, 0.2), (1e9, 0.2, 0.2), (-1.0, 0.2, 0.2), (0.01, 0.2, 0.2),
     (math.nan, 0.2, 0.2), (1.0, math.nan, 0.2), (math.inf, 0.2, 0.2)],
)  # fmt: skip
def test_a_place_off_the_image_or_outside_the_scales_scores_zero(place):
    assert find_mark_at(gray(two_tone()), TEMPLATE, place).score == 0.0


def test_mark_cut_by_the_images_edge_is_found_by_its_visible_part():
    # The mark (154 px wide) touches the left edge; a 1.5 % crop cuts 12 px off it.
    image = with_mark(two_tone(), scale=0.8, where=(0, 500))
    cropped = image.crop((12, 0, 800, 788))
    match = find_mark(gray(cropped), TEMPLATE)
    x, y, w, _ = match.bbox
    assert match.score >= DEFAULT_MATCH_THRESHOLD
    assert x == 0 and abs(y - 500) <= 4 and abs(w - (154 - 12)) <= 4  # the visible part


def test_mark_cut_by_the_edge_is_found_at_the_assets_place():
    image = with_mark(two_tone(), scale=0.8, where=(0, 500))
    cropped = image.crop((12, 0, 800, 788)).resize((800, 800))
    match = find_mark_at(gray(cropped), TEMPLATE, (0.8, 0.0, 500 / 800))
    assert match.score >= DEFAULT_MATCH_THRESHOLD and match.bbox[0] == 0


def test_no_mark_at_the_edge_stays_low():
    image = with_mark(two_tone(), scale=0.8, where=(500, 60))
    assert find_mark_at(gray(image), TEMPLATE, (0.8, 0.0, 500 / 800)).score < 0.5


def test_amplitude_share_is_about_one_for_a_copy_and_about_zero_without_the_mark():
    marked = with_mark(printed_text(), scale=0.8, opacity=0.5, where=(300, 400))
    place = (0.8, 300 / 800, 400 / 800)
    original = find_mark_at(gray(marked), TEMPLATE, place)
    copy = marked.resize((640, 640))
    assert 0.8 <= amplitude_share(find_mark_at(gray(copy), TEMPLATE, place).amplitude,
                                  original.amplitude) <= 1.25  # fmt: skip
    bare = find_mark_at(gray(printed_text()), TEMPLATE, place)
    assert abs(amplitude_share(bare.amplitude, original.amplitude)) < 0.4


def test_amplitude_share_without_an_original_amplitude_is_nan():
    assert math.isnan(amplitude_share((1.0, 2.0), (0.0, 0.0)))


def test_freed_memory_is_kept_for_reuse_where_glibc_allows_it():
    import platform
    import sys

    from listguard.plugins.watermark.memory import keep_freed_memory

    # Elsewhere than glibc's Linux the call must say it did nothing, not fail.
    glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert keep_freed_memory() is glibc
