"""The video plugin (VID001–VID005): the binding-tutorial video on the detail page, offline."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from listguard.plugins.video.extract import find_videos
from listguard.plugins.video.urls import host_matches, parse
from listguard.testing import base_manifest, run_checks

MODEL = "OV2301A1"
KIT_VIDEO = "https://video.orvina.example/bind/OV2301A1.mp4"
VID = ("VID001", "VID002", "VID003", "VID004", "VID005", "VID006")


def write_kit(root: Path, video_hosts: list[str] | None = None, **model: Any) -> Path:
    """A brand kit with one model whose binding video is :data:`KIT_VIDEO`."""
    entry = {"name": "Orvina Smart Band 3", "binding_video": KIT_VIDEO, **model}
    entry = {k: v for k, v in entry.items() if v is not None}
    kit = {
        "brand": "Orvina",
        "video_hosts": ["orvina.example"] if video_hosts is None else video_hosts,
        "models": {MODEL: entry},
    }
    root.mkdir(parents=True, exist_ok=True)
    (root / "brandkit.json").write_text(json.dumps(kit), encoding="utf-8")
    return root


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html>\n<html><head>{head}</head>\n<body>\n{body}\n</body></html>\n"


@pytest.fixture
def check(listing_factory, tmp_path):
    """check(html, kit=True, **kit_model) -> CheckRun with only the VID rules."""

    def run(html: str | bytes | None, kit: bool = True, online: bool = False, **model: Any):
        files = {} if html is None else {"detail.html": html}
        manifest = base_manifest(**({} if html is None else {"detail_page": "detail.html"}))
        package = listing_factory(manifest, files)
        kit_dir = write_kit(tmp_path / "kit", **model) if kit else None
        return run_checks(package, brand_kit=kit_dir, select=VID, online=online)

    return run


# -- the compliant page -----------------------------------------------------------


def test_page_embedding_the_kit_video_has_no_findings(check):
    run = check(page(f'<video controls src="{KIT_VIDEO}"></video>'))
    run.assert_findings({}, only=True)


def test_kit_video_written_differently_still_matches(check):
    # host case, default port, dot segment, escaped unreserved character, fragment
    link = "HTTPS://Video.ORVINA.example:443/bind/x/../OV2301%41%31.mp4#t=0"
    check(page(f'<video src="{link}"></video>')).assert_findings({}, only=True)


def test_facts_list_every_video_with_position_and_source(check):
    html = page(f'<video src="{KIT_VIDEO}"></video>', head='<meta property="og:video" content="x">')
    run = check(html)
    videos = run.result.facts["video"]["detail.html"]["videos"]
    assert videos == [
        {"url": "x", "line": 2, "column": 13, "source": "og:video"},
        {"url": KIT_VIDEO, "line": 4, "column": 1, "source": "video"},
    ]


# -- VID001 -----------------------------------------------------------------------


def test_page_without_any_video_is_vid001(check):
    run = check(page("<p>Great band!</p><img src='a.jpg'>"))
    run.assert_findings({"VID001": 1}, only=True)
    finding = run.by_rule("VID001")[0]
    assert "no video at all" in finding.message
    assert finding.evidence["expected"] == KIT_VIDEO


def test_page_with_only_a_promo_video_is_vid001(check):
    html = page(
        '<video src="https://video.orvina.example/ads/summer.mp4" title="Unboxing"></video>'
        '<iframe src="https://www.youtube.com/embed/abc" title="Customer review"></iframe>'
    )
    run = check(html)
    run.assert_findings({"VID001": 1}, only=True)
    assert "all clearly something other" in run.by_rule("VID001")[0].message


def test_map_iframe_is_not_a_video(check):
    run = check(page('<iframe src="https://www.google.com/maps/embed?pb=1"></iframe>'))
    run.assert_findings({"VID001": 1}, only=True)
    assert run.by_rule("VID001")[0].evidence["iframes_not_video"][0]["line"] == 4


def test_missing_detail_page_in_manifest_is_vid001(check):
    run = check(None)
    run.assert_findings({"VID001": 1}, only=True)
    assert "names no detail_page" in run.by_rule("VID001")[0].message


def test_broken_json_ld_is_named_in_vid001(check):
    html = page('<script type="application/ld+json">{"@type": "VideoObject", </script>')
    finding = check(html).by_rule("VID001")[0]
    assert "JSON-LD block(s) could not be read, the first at line 4" in finding.message


def test_video_of_unknown_purpose_is_a_candidate(check):
    run = check(page('<video src="https://video.orvina.example/v/OV2301A1-final.mp4"></video>'))
    run.assert_findings({"VID001": 0, "VID005": 1}, only=True)


# -- finding the videos ------------------------------------------------------------


def test_editor_pasted_markup_still_yields_the_video_and_its_position():
    html = (
        '<p class=MsoNormal><![if !supportLists]><span style="mso-list:Ignore">1.'
        "<![endif]>Pair your band</p>\n"
        '<div><p <b>unclosed "quote</div>\n'
        "<table><tr><td><video controls width=100%\n"
        f"   src={KIT_VIDEO}>\n"
        "</td></table>"
    )
    found = find_videos(html).videos
    assert [(v.raw, v.line, v.column, v.source) for v in found] == [(KIT_VIDEO, 3, 16, "video")]


def test_source_inside_video_and_lazy_data_src_are_found():
    html = (
        '<video poster="p.jpg" title="Pairing">\n'
        '  <source src="a.mp4" type="video/mp4">\n'
        '  <source data-src="b.mp4">\n'
        "</video>\n"
        '<div class="lazy-video" data-video="https://video.orvina.example/c.mp4"></div>\n'
        '<img data-src="photo.jpg">'
    )
    found = find_videos(html).videos
    assert [(v.raw, v.source, v.line, v.label) for v in found] == [
        ("a.mp4", "source", 2, "Pairing"),
        ("b.mp4", "data-src", 3, "Pairing"),
        ("https://video.orvina.example/c.mp4", "data-src", 5, ""),
    ]


def test_json_ld_video_object_in_graph_points_at_the_link():
    html = (
        '<script type="application/ld+json">\n'
        '{"@context": "https://schema.org", "@graph": [\n'
        '  {"@type": "Product", "name": "Band"},\n'
        '  {"@type": ["VideoObject"], "name": "Binding tutorial",\n'
        '   "contentUrl": "https:\\/\\/video.orvina.example\\/bind\\/OV2301A1.mp4",\n'
        '   "embedUrl": ["https://player.orvina.example/e/1"]}]}\n'
        "</script>"
    )
    found = find_videos(html).videos
    assert [(v.raw, v.attribute, v.line, v.column) for v in found] == [
        (KIT_VIDEO, "contentUrl", 5, 19),
        ("https://player.orvina.example/e/1", "embedUrl", 6, 18),
    ]


def test_og_video_variants_are_found():
    html = (
        '<meta property="og:video" content="https://a.example/1.mp4">'
        '<meta property="og:video:secure_url" content="https://a.example/2.mp4">'
        '<meta name="og:video:url" content="https://a.example/3.mp4">'
        '<meta property="og:image" content="https://a.example/i.jpg">'
    )
    assert [v.raw for v in find_videos(html).videos] == [
        "https://a.example/1.mp4",
        "https://a.example/2.mp4",
        "https://a.example/3.mp4",
    ]


def test_video_in_nested_srcdoc_iframe_is_found_at_the_outer_iframe():
    inner = f"&lt;iframe srcdoc=&quot;&amp;lt;video src='{KIT_VIDEO}'&amp;gt;&quot;&gt;"
    html = f'<p>intro</p>\n  <iframe srcdoc="{inner}"></iframe>'
    found = find_videos(html).videos
    assert [(v.raw, v.line, v.column) for v in found] == [(KIT_VIDEO, 2, 3)]


def test_relative_link_resolves_against_base_href(check):
    html = page(
        '<video src="bind/OV2301A1.mp4"></video>',
        head='<base href="https://video.orvina.example/">',
    )
    check(html).assert_findings({}, only=True)


def test_relative_link_without_base_is_vid002_and_vid003(check):
    run = check(page('<video src="media/OV2301A1-bind.mp4"></video>'))
    run.assert_findings({"VID002": 1, "VID003": 1, "VID005": 1}, only=True)
    assert "relative" in run.by_rule("VID002")[0].message
    assert "no host (relative link)" in run.by_rule("VID003")[0].message


def test_same_link_in_several_places_is_reported_once(check):
    link = "http://video.orvina.example/bind/OV2301A1.mp4"
    og_video = f'<meta property="og:video" content="{link}">'
    html = page(f'<video src="{link}"></video>', head=og_video)
    run = check(html)
    run.assert_findings({"VID002": 1, "VID005": 1}, only=True)
    assert run.by_rule("VID002")[0].location.line == 2  # the first occurrence


def test_windows_1252_text_after_a_utf8_head_does_not_stop_the_check(check):
    # Word exports: the first KiB is ASCII (so the host accepts it as HTML), later
    # text is Windows-1252, which is not valid UTF-8.
    head = "<!-- " + "x" * 1100 + " -->"
    html = page(f"<p>Pre\xe7o \u201cespecial\u201d</p><video src='{KIT_VIDEO}'></video>", head)
    check(html.encode("cp1252")).assert_findings({}, only=True)


# -- VID002 -----------------------------------------------------------------------


def test_http_link_is_vid002_with_position(check):
    html = page('<p>x</p>\n   <video src="http://video.orvina.example/bind/OV2301A1.mp4">')
    run = check(html)
    run.assert_findings({"VID002": 1, "VID005": 1}, only=True)
    finding = run.by_rule("VID002")[0]
    assert (finding.location.file, finding.location.line, finding.location.column) == (
        "detail.html",
        5,
        4,
    )
    assert finding.evidence["expected"] == "https"


def test_protocol_relative_link_is_vid002(check):
    run = check(page('<video src="//video.orvina.example/bind/OV2301A1.mp4"></video>'))
    run.assert_findings({"VID002": 1, "VID005": 1}, only=True)
    assert "protocol-relative" in run.by_rule("VID002")[0].message


# -- VID003 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    ["orvina.example.evil.test", "evilorvina.example", "orvina.example-cdn.test", "orvina.exam"],
)
def test_look_alike_host_is_vid003(check, host):
    run = check(page(f'<video src="https://{host}/bind/OV2301A1.mp4"></video>'))
    run.assert_findings({"VID003": 1, "VID005": 1}, only=True)
    assert run.by_rule("VID003")[0].evidence["host"] == host
    assert run.by_rule("VID003")[0].evidence["expected_one_of"] == ["orvina.example"]


def test_userinfo_cannot_disguise_the_host(check):
    link = "https://video.orvina.example@evil.test/bind/OV2301A1.mp4"
    run = check(page(f'<video src="{link}"></video>'))
    assert run.by_rule("VID003")[0].evidence["host"] == "evil.test"


@pytest.mark.parametrize(
    ("host", "allowed", "expected"),
    [
        ("orvina.example", "orvina.example", True),
        ("cdn.video.orvina.example", "orvina.example", True),
        ("orvina.example", "ORVINA.example.", True),
        ("orvina.example.evil.test", "orvina.example", False),
        ("evilorvina.example", "orvina.example", False),
        (None, "orvina.example", False),
    ],
)
def test_host_matches(host, allowed, expected):
    assert host_matches(host, allowed) is expected


def test_without_brand_kit_host_and_kit_video_cannot_be_verified(check):
    run = check(page(f'<video src="{KIT_VIDEO}"></video>'), kit=False)
    run.assert_findings({"VID003": 1, "VID005": 1}, only=True)
    for finding in run.findings:
        assert "could not be" in finding.message and "no brand kit" in finding.message


def test_kit_without_video_hosts_cannot_verify_the_host(check, listing_factory, tmp_path):
    package = listing_factory(
        base_manifest(detail_page="detail.html"),
        {"detail.html": page(f'<video src="{KIT_VIDEO}"></video>')},
    )
    kit = write_kit(tmp_path / "kit", video_hosts=[])
    run = run_checks(package, brand_kit=kit, select=VID)
    run.assert_findings({"VID003": 1}, only=True)
    assert "lists no video_hosts" in run.by_rule("VID003")[0].message


# -- VID004 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("bind/OV2301A1.m3u8", "HLS streaming manifest"),
        ("bind/OV2301A1.mpd", "DASH streaming manifest"),
        ("bind/OV2301A1.webm", ".webm file"),
        ("bind/OV2301A1", "without a file extension"),
    ],
)
def test_non_mp4_link_is_vid004(check, path, what):
    run = check(page(f'<video src="https://video.orvina.example/{path}"></video>'))
    run.assert_findings({"VID004": 1, "VID005": 1}, only=True)
    assert what in run.by_rule("VID004")[0].message


def test_mp4_with_query_string_and_upper_case_extension_is_mp4(check):
    run = check(page('<video src="https://video.orvina.example/bind/OV2301A1.MP4?sig=1"></video>'))
    run.assert_findings({"VID004": 0})


def test_player_iframe_is_vid004_and_vid003(check):
    html = page('<iframe src="https://www.youtube.com/embed/abc" title="How to pair"></iframe>')
    run = check(html)
    run.assert_findings({"VID003": 1, "VID004": 1, "VID005": 1}, only=True)
    assert "a player page" in run.by_rule("VID004")[0].message


# -- VID005 -----------------------------------------------------------------------


def test_other_models_video_is_vid005_with_expected_link(check):
    run = check(page('<video src="https://video.orvina.example/bind/OV2301A0.mp4"></video>'))
    run.assert_findings({"VID005": 1}, only=True)
    finding = run.by_rule("VID005")[0]
    assert finding.evidence == {
        "found": ["https://video.orvina.example/bind/OV2301A0.mp4"],
        "expected": KIT_VIDEO,
    }


def test_model_without_binding_video_in_kit_cannot_compare(check):
    run = check(page(f'<video src="{KIT_VIDEO}"></video>'), binding_video=None)
    run.assert_findings({"VID005": 1}, only=True)
    assert "no binding_video for model" in run.by_rule("VID005")[0].message


def test_kit_video_among_other_videos_leaves_the_others_unchecked(check):
    html = page(
        f'<iframe src="http://www.youtube.com/embed/abc"></iframe><video src="{KIT_VIDEO}"></video>'
    )
    check(html).assert_findings({}, only=True)


def test_several_candidates_without_the_kit_video_are_each_checked(check):
    html = page(
        '<video src="http://video.orvina.example/a.mp4"></video>\n'
        '<video src="http://video.orvina.example/b.mp4"></video>'
    )
    check(html).assert_findings({"VID002": 2, "VID005": 1}, only=True)


# -- offline means offline ------------------------------------------------------------


def test_nothing_touches_the_network_without_online(check, monkeypatch):
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("network access without --online")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    run = check(page('<video src="https://video.orvina.example/bind/OV2301A0.mp4"></video>'))
    run.assert_findings({"VID005": 1, "VID006": 0}, only=True)


# -- URL normalisation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "normalised"),
    [
        ("HTTPS://Video.Orvina.Example:443/a.mp4", "https://video.orvina.example/a.mp4"),
        ("http://h.example:80/a/", "http://h.example/a"),
        ("https://h.example:8443/a", "https://h.example:8443/a"),
        ("https://h.example/a/./b/../c%2d%7e.mp4", "https://h.example/a/c-~.mp4"),
        ("https://h.example/a%2fb%c3%a9", "https://h.example/a%2Fb%C3%A9"),
        ("https://h.example/é x.mp4", "https://h.example/%C3%A9%20x.mp4"),
        ("https://h.example./a.mp4#frag", "https://h.example/a.mp4"),
        ("  https://h.example/a\n.mp4 ", "https://h.example/a.mp4"),
    ],
)
def test_normalise_url(link, normalised):
    assert parse(link).normalised == normalised


def test_unknown_marked_section_is_skipped_like_a_browser_does():
    html = "<p><![foo[ pasted from an old editor ]]></p>\n<video src='a.mp4'></video>"
    page_videos = find_videos(html)
    assert [(v.raw, v.line) for v in page_videos.videos] == [("a.mp4", 2)]
    assert page_videos.parse_error is None


def test_parser_failure_is_lg006_not_a_traceback(listing_factory, tmp_path, monkeypatch):
    from listguard.plugins.video import extract

    def explode(self, data):
        raise RuntimeError("parser bug")

    monkeypatch.setattr(extract._VideoParser, "feed", explode)
    package = listing_factory(
        base_manifest(detail_page="detail.html"), {"detail.html": page("<p>x</p>")}
    )
    run = run_checks(package, brand_kit=write_kit(tmp_path / "kit"), select=["LG006", "VID"])
    run.assert_findings({"LG006": 1, "VID001": 1}, only=True)
    assert "could not be parsed" in run.by_rule("LG006")[0].message


def test_page_read_in_windows_1252_when_not_utf8(tmp_path):
    from listguard.plugins.video.page import read_page

    path = tmp_path / "detail.html"
    path.write_bytes("<p>Preço “especial”</p>".encode("cp1252"))
    assert read_page(path, 10_000) == ("<p>Preço “especial”</p>", "cp1252")


def test_page_larger_than_the_cap_is_lg006(listing_factory, tmp_path):
    package = listing_factory(
        base_manifest(detail_page="detail.html"), {"detail.html": page("<p>x</p>" * 100)}
    )
    run = run_checks(
        package,
        brand_kit=write_kit(tmp_path / "kit"),
        select=["LG006", "VID"],
        options={"video": {"max-page-bytes": 200}},
    )
    run.assert_findings({"LG006": 1}, only=True)
    assert "max-page-bytes = 200" in run.findings[0].message


def test_every_video_rule_is_documented():
    from listguard.plugins.video.rules import RULES
    from listguard.testing import assert_rules_documented

    assert_rules_documented(RULES)
    assert [r.code for r in RULES] == list(VID)


@pytest.mark.parametrize(
    "html",
    [
        # Word's downlevel-revealed conditional, broken: ends at its first ">"
        "<![endif]-->text\n<video src='a.mp4'></video><![if !supportLists]>",
        # a short bogus declaration ends at its first ">", not 9 characters on
        "<!x>\n<video src='a.mp4'></video>",
        # empty comments
        "<!-->\n<video src='a.mp4'></video>",
        "<!--->\n<video src='a.mp4'></video>",
    ],
)
def test_comments_and_declarations_end_where_a_browser_ends_them(html):
    assert [v.raw for v in find_videos(html).videos] == ["a.mp4"]


@pytest.mark.parametrize(
    "html",
    [
        "<!-- an unterminated comment hides the rest <video src='a.mp4'></video>",
        "<iframe>fallback <video src='a.mp4'></video>",
        "<textarea><video src='a.mp4'></video></textarea>",
    ],
)
def test_markup_a_browser_reads_as_text_embeds_no_video(html):
    assert find_videos(html).videos == []


# -- hostile or unusual pages (review #7, #8) ---------------------------------------


def test_bad_jsonld_block_does_not_hide_a_later_video(check):
    html = page(
        '<script type="application/ld+json">{"@type": "VideoObject",</script>\n'
        f'<video src="{KIT_VIDEO}"></video>'
    )
    run = check(html)
    run.assert_findings({}, only=True)


def test_jsonld_nested_deeper_than_the_decoder_is_recorded_not_fatal():
    html = (
        '<script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000 + "</script>\n"
        "<video src='a.mp4'></video>"
    )
    found = find_videos(html)
    assert [v.raw for v in found.videos] == ["a.mp4"]
    assert found.parse_error is None
    assert [e["error"] for e in found.jsonld_errors] == ["nested too deeply"]


@pytest.mark.parametrize(
    "charset", ["rot13", "base64", "zlib", "uu", "hex", "idna", "punycode", "no-such-codec"]
)
def test_meta_charset_naming_a_non_text_codec_falls_back_to_windows_1252(tmp_path, charset):
    from listguard.plugins.video.page import read_page

    path = tmp_path / "detail.html"
    path.write_bytes(f"<meta charset={charset}><p>Caf\xe9</p>".encode("latin-1"))
    assert read_page(path, 10_000) == (f"<meta charset={charset}><p>Café</p>", "cp1252")


def test_meta_charset_naming_a_real_encoding_is_used(tmp_path):
    from listguard.plugins.video.page import read_page

    path = tmp_path / "detail.html"
    path.write_bytes("<meta charset=koi8-r><p>Привет</p>".encode("koi8-r"))
    assert read_page(path, 10_000) == ("<meta charset=koi8-r><p>Привет</p>", "koi8-r")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_page_with_a_utf16_or_utf32_byte_order_mark_is_decoded(tmp_path, encoding):
    from listguard.plugins.video.page import read_page

    text = f"<p>Preço</p><video src='{KIT_VIDEO}'></video>"
    data = text.encode(encoding)
    if encoding == "utf-16-be":  # the explicit-endian codecs write no BOM themselves
        data = b"\xfe\xff" + data
    path = tmp_path / "detail.html"
    path.write_bytes(data)
    decoded, _ = read_page(path, 10_000)
    assert decoded == text
    assert [v.raw for v in find_videos(decoded).videos] == [KIT_VIDEO]


def test_windows_1252_page_with_meta_charset_is_decoded(tmp_path):
    from listguard.plugins.video.page import read_page

    text = "<meta charset=windows-1252><p>Café – “été”</p>"
    path = tmp_path / "detail.html"
    path.write_bytes(text.encode("cp1252"))
    assert read_page(path, 10_000) == (text, "cp1252")


def test_unparsable_url_is_parsed_without_raising():
    link = parse("https://[::1/x.mp4")
    assert link.error is not None
    assert (link.scheme, link.host, link.path) == ("https", None, "/x.mp4")


def test_unparsable_video_url_is_vid002_and_other_checks_still_run(check):
    run = check(page('<video src="https://[::1/bind.mp4"></video>'))
    run.assert_findings({"VID002": 1, "VID003": 1, "VID005": 1}, only=True)
    finding = run.by_rule("VID002")[0]
    assert "not a parsable URL" in finding.message
    assert finding.evidence["unparsable"]


def test_unparsable_url_next_to_the_kit_video_does_not_stop_the_check(check):
    run = check(page(f'<iframe src="https://[::1/x"></iframe><video src="{KIT_VIDEO}"></video>'))
    run.assert_findings({}, only=True)


@pytest.mark.parametrize("tag", ['<iframe src="{}"></iframe>', '<embed src="{}">'])
def test_unparsable_video_file_link_in_iframe_or_embed_is_still_found(tag):
    link = "https://[::1/bind.mp4"
    assert [v.raw for v in find_videos(tag.format(link)).videos] == [link]
