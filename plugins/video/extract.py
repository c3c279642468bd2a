"""Find every embedded video in a detail page, with the line and column of its element.

The parser is Python's :class:`html.parser.HTMLParser`: it is in the standard
library, it never rejects markup (unclosed tags, stray quotes, Word's
``<![if !supportLists]>`` and other editor debris are read the way a forgiving
browser would), and ``getpos()`` gives the source position of every tag, which
selectolax (faster, but position-less) cannot. It does not build a tree, which
suits a single pass that only collects links.

What counts as an embedded video:

* ``<video src>``, ``<source src>`` (inside ``<video>``), ``<embed src>`` of a
  video type or with a video file extension;
* ``<iframe src>`` when it looks like a video player (a known player host, a
  ``video``/``player``/``watch`` path, a video file) — other iframes (maps,
  forms) are listed in :attr:`PageVideos.other_iframes`; HTML in an iframe's
  ``srcdoc`` is searched too, as a nested page;
* lazy-loading attributes: ``data-src``, ``data-lazy-src``, ``data-original``,
  ``data-url`` on video, source, iframe and embed elements; any ``data-*video*``
  attribute (``data-video``, ``data-video-src``…) on any element; ``data-src`` /
  ``data-url`` on other elements only when they name a video file;
* ``<meta property|name="og:video|og:video:url|og:video:secure_url" content>``;
* JSON-LD ``VideoObject`` ``contentUrl`` / ``embedUrl``, anywhere in a
  ``<script type="application/ld+json">`` (``@graph``, arrays, nesting).

Positions are 1-based lines and 1-based columns of the element's ``<``; a
JSON-LD link points at its string inside the script.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from .urls import VIDEO_SUFFIXES, clean, looks_like_video_file, normalise_host, parse, split

OG_VIDEO = frozenset({"og:video", "og:video:url", "og:video:secure_url"})
MEDIA_TAGS = frozenset({"video", "source", "iframe", "embed"})
LAZY_ON_MEDIA = ("data-src", "data-lazy-src", "data-original", "data-url")
LAZY_IF_VIDEO_FILE = ("data-src", "data-url", "data-lazy-src", "data-original")
LABEL_ATTRS = ("title", "aria-label", "alt", "data-title", "name")
# Hosts whose iframes are video players (the host or any subdomain).
PLAYER_HOSTS = (
    "youtube.com",
    "youtube-nocookie.com",
    "youtu.be",
    "vimeo.com",
    "dailymotion.com",
    "bilibili.com",
    "youku.com",
    "v.qq.com",
    "wistia.net",
    "wistia.com",
    "streamable.com",
    "jwplayer.com",
    "brightcove.net",
    "vidyard.com",
)
# A generic "embed" path is not enough: maps and forms are embedded that way too.
_PLAYER_PATH_RE = re.compile(r"(?:^|[/_.-])(video|videos|player|watch)(?:$|[/_.?=-])")
MAX_SRCDOC_DEPTH = 3
_COMMENT_END_RE = re.compile(r"--!?>")


@dataclass(frozen=True)
class FoundVideo:
    """One video link as found: where, through what, and the words around it."""

    raw: str
    line: int
    column: int
    source: str  # "video", "source", "iframe", "data-src", "og:video" or "json-ld"
    tag: str  # the element (or "script" for JSON-LD)
    attribute: str  # the attribute (or JSON-LD key) the link came from
    label: str = ""  # title/aria-label/JSON-LD name and description, for classification


@dataclass
class PageVideos:
    """What :func:`find_videos` learnt from a page."""

    videos: list[FoundVideo] = field(default_factory=list)
    base_href: str | None = None
    other_iframes: list[dict[str, Any]] = field(default_factory=list)
    jsonld_errors: list[dict[str, Any]] = field(default_factory=list)
    parse_error: dict[str, Any] | None = None


def is_player_iframe(link: str, video_hosts: tuple[str, ...] = ()) -> bool:
    """An iframe link that plays a video rather than a map, a form or an ad."""
    parts = split(clean(link))
    if parts is None:  # unparsable (VID002 reports it): judge by the path as written
        path = parse(link).path
        return looks_like_video_file(path) or bool(_PLAYER_PATH_RE.search(path.lower()))
    host = normalise_host(parts.hostname) if parts.hostname else ""
    for allowed in (*PLAYER_HOSTS, *video_hosts):
        if host and (host == allowed or host.endswith("." + allowed)):
            return True
    if looks_like_video_file(parts.path):
        return True
    return bool(_PLAYER_PATH_RE.search((parts.path + "?" + parts.query).lower()))


class _VideoParser(HTMLParser):
    # HTML5 reads the content of these elements as text, not markup (a browser
    # shows no <video> written inside an <iframe> or <textarea>); html.parser
    # knows only script and style. noscript stays parsed: its fallback content
    # is what a page without scripts shows.
    CDATA_CONTENT_ELEMENTS = (  # type: ignore[misc]  # Final in typeshed, a class knob in fact
        "script", "style", "iframe", "noembed", "noframes", "xmp", "textarea", "title",
    )  # fmt: skip

    def __init__(self, result: PageVideos, video_hosts: tuple[str, ...], depth: int,
                 origin: tuple[int, int] | None) -> None:  # fmt: skip
        super().__init__(convert_charrefs=True)
        self.result = result
        self.video_hosts = video_hosts
        self.depth = depth
        # A srcdoc page reports its videos at the position of its iframe.
        self.origin = origin
        self.video_label = ""  # label of the open <video>, inherited by its <source>s
        self.in_video = False
        self.jsonld: list[str] | None = None
        self.jsonld_pos: tuple[int, int] = (1, 1)

    # Comments and declarations the HTML5 way (WHATWG "bogus comment" rules).
    # html.parser reads Word's "<![endif]-->" up to the next "]>" and "<!x>" up
    # to a ">" at least 9 characters on, swallowing the markup in between; a
    # browser ends them at the first ">", and so must we, or we would miss (or
    # invent) videos a buyer sees. An unterminated one runs to the end of the
    # page, as in a browser: the whole page is always fed in one call, so "not
    # found" means "not in the page", never "not received yet".

    def parse_html_declaration(self, i: int) -> int:
        rawdata = self.rawdata
        if rawdata.startswith("<!--", i):
            return self.parse_comment(i)
        if rawdata[i : i + 9].lower() == "<!doctype":
            end = rawdata.find(">", i + 9)
            return len(rawdata) if end < 0 else end + 1
        return self.parse_marked_section(i)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        end = self.rawdata.find(">", i + 2)
        return len(self.rawdata) if end < 0 else end + 1

    def parse_comment(self, i: int, report: bool = True) -> int:
        rawdata = self.rawdata
        for empty in ("<!-->", "<!--->"):
            if rawdata.startswith(empty, i):
                return i + len(empty)
        match = _COMMENT_END_RE.search(rawdata, i + 4)
        return len(rawdata) if match is None else match.end()

    # -- positions -----------------------------------------------------------

    def position(self) -> tuple[int, int]:
        if self.origin is not None:
            return self.origin
        line, offset = self.getpos()
        return line, offset + 1

    def add(self, raw: str | None, source: str, tag: str, attribute: str, label: str) -> None:
        if raw is None or not clean(raw):
            return
        line, column = self.position()
        self.result.videos.append(FoundVideo(raw, line, column, source, tag, attribute, label))

    # -- tags ------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values: dict[str, str] = {}
        for name, value in attrs:  # the first of a repeated attribute wins, as in browsers
            values.setdefault(name, value or "")
        label = " ".join(values[a] for a in LABEL_ATTRS if values.get(a))
        if tag == "base" and "href" in values and self.result.base_href is None:
            if self.origin is None:  # a srcdoc page's <base> is its own, not ours
                self.result.base_href = clean(values["href"])
        elif tag == "meta":
            self._meta(values)
        elif tag == "script":
            kind = values.get("type", "").split(";")[0].strip().lower()
            if kind == "application/ld+json":
                self.jsonld = []
                self.jsonld_pos = self.position()
        if tag == "video":
            self.in_video = True
            self.video_label = label
            self.add(values.get("src"), "video", tag, "src", label)
        elif tag == "source" and self.in_video:
            self.add(values.get("src"), "source", tag, "src", label or self.video_label)
        elif tag == "iframe":
            self._iframe(values, label)
        elif tag == "embed":
            src = values.get("src", "")
            if values.get("type", "").lower().startswith("video/") or _has_video_path(src):
                self.add(src, "video", tag, "src", label)
        self._lazy(tag, values, label)

    def handle_endtag(self, tag: str) -> None:
        if tag == "video":
            self.in_video = False
            self.video_label = ""
        elif tag == "script" and self.jsonld is not None:
            self._jsonld("".join(self.jsonld))
            self.jsonld = None

    def handle_data(self, data: str) -> None:
        if self.jsonld is not None:
            if not self.jsonld:
                line, offset = self.getpos()
                self.jsonld_pos = (line, offset + 1)
            self.jsonld.append(data)

    def close(self) -> None:
        super().close()
        if self.jsonld is not None:  # an unclosed ld+json script still counts
            self._jsonld("".join(self.jsonld))
            self.jsonld = None

    # -- kinds of link ---------------------------------------------------------

    def _meta(self, values: dict[str, str]) -> None:
        key = (values.get("property") or values.get("name") or "").strip().lower()
        if key in OG_VIDEO:
            self.add(values.get("content"), "og:video", "meta", key, "")

    def _iframe(self, values: dict[str, str], label: str) -> None:
        src = values.get("src")
        if src and clean(src):
            if is_player_iframe(src, self.video_hosts):
                self.add(src, "iframe", "iframe", "src", label)
            else:
                line, column = self.position()
                self.result.other_iframes.append({"url": src, "line": line, "column": column})
        srcdoc = values.get("srcdoc")
        if srcdoc and self.depth < MAX_SRCDOC_DEPTH:
            _parse_into(self.result, srcdoc, self.video_hosts, self.depth + 1, self.position())

    def _lazy(self, tag: str, values: dict[str, str], label: str) -> None:
        for name, value in values.items():
            if not name.startswith("data-") or not clean(value):
                continue
            if tag in MEDIA_TAGS and name in LAZY_ON_MEDIA:
                pass
            elif "video" in name and not name.endswith(("-type", "-id", "-title", "-poster")):
                # data-video-id / -title name a video but are not links to one
                if not (value.strip().startswith(("http", "/", ".")) or _has_video_path(value)):
                    continue
            elif name in LAZY_IF_VIDEO_FILE and _has_video_path(value):
                pass
            else:
                continue
            self.add(value, "data-src", tag, name, label or self.video_label)

    def _jsonld(self, text: str) -> None:
        line, column = self.jsonld_pos
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            # One unreadable block (bad syntax, or nested deeper than the decoder
            # recurses) is recorded and skipped; the rest of the page is still read.
            error = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            self.result.jsonld_errors.append(
                {"line": line, "column": column, "error": error.split(":")[0]}
            )
            return
        for key, link, label in _video_objects(data):
            found_line, found_column = self._locate(text, link, line, column)
            self.result.videos.append(
                FoundVideo(link, found_line, found_column, "json-ld", "script", key, label)
            )

    def _locate(self, text: str, link: str, line: int, column: int) -> tuple[int, int]:
        """The position of ``link``'s string inside a JSON-LD script."""
        if self.origin is not None:
            return self.origin
        for form in (json.dumps(link)[1:-1], link.replace("/", "\\/"), link):
            index = text.find(form)
            if index >= 0:
                before = text[:index]
                newlines = before.count("\n")
                if newlines == 0:
                    return line, column + index
                return line + newlines, index - before.rfind("\n")
        return line, column


def _has_video_path(value: str) -> bool:
    parts = split(clean(value))
    path = (parts.path if parts is not None else parse(value).path).lower()
    return path.endswith(VIDEO_SUFFIXES) or looks_like_video_file(path)


def _is_video_object(node: dict[str, Any]) -> bool:
    kinds = node.get("@type")
    for kind in kinds if isinstance(kinds, list) else [kinds]:
        if isinstance(kind, str) and kind.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == "VideoObject":
            return True
    return False


def _links(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _links(item)
    elif isinstance(value, dict):
        for key in ("@id", "url", "contentUrl"):
            if isinstance(value.get(key), str):
                yield value[key]
                return


def _video_objects(data: Any, depth: int = 0) -> Iterator[tuple[str, str, str]]:
    """(key, link, label) for every VideoObject's contentUrl / embedUrl, at any depth."""
    if depth > 32:  # JSON nests deeper than any real page; stop rather than recurse forever
        return
    if isinstance(data, list):
        for item in data:
            yield from _video_objects(item, depth + 1)
    elif isinstance(data, dict):
        if _is_video_object(data):
            label = " ".join(
                str(data[k]) for k in ("name", "description") if isinstance(data.get(k), str)
            )
            for key in ("contentUrl", "embedUrl"):
                for link in _links(data.get(key)):
                    yield key, link, label
        for key, value in data.items():
            if key not in ("contentUrl", "embedUrl"):
                yield from _video_objects(value, depth + 1)


def _parse_into(
    result: PageVideos,
    html: str,
    video_hosts: tuple[str, ...],
    depth: int,
    origin: tuple[int, int] | None,
) -> None:
    parser = _VideoParser(result, video_hosts, depth, origin)
    try:
        parser.feed(html)
        parser.close()
    except Exception as exc:  # html.parser is tolerant, but a few inputs still raise
        if result.parse_error is None:
            line, offset = parser.getpos()
            result.parse_error = {
                "line": line,
                "column": offset + 1,
                "error": f"{type(exc).__name__}: {exc}",
            }


def find_videos(html: str, video_hosts: tuple[str, ...] = ()) -> PageVideos:
    """Every video embedded in ``html``, in document order (``srcdoc`` pages where
    their iframe is). ``video_hosts`` also marks iframes on the brand's hosts as
    players."""
    result = PageVideos()
    _parse_into(result, html, video_hosts, 0, None)
    result.videos.sort(key=lambda v: (v.line, v.column))
    return result
