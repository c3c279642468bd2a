"""The detail-page checks: find the videos, pick the binding-tutorial candidates,
and apply VID001–VID006 to them.

Which videos the rules look at:

1. every video found in the page (see :mod:`.extract`), grouped by normalised
   link (the same link in ``og:video``, ``<video>`` and JSON-LD is one video,
   reported at its first occurrence);
2. *candidates*: those not clearly something else (a label or file name saying
   unboxing, promo, review… and nothing saying binding, pairing, setup…), and
   always the brand kit's own video;
3. when a candidate is the kit's ``binding_video`` for the model, only it is
   the tutorial: other videos on the page are extra content and not checked;
   otherwise every candidate is checked, since any of them may be meant as the
   tutorial.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from listguard import Finding, Location
from listguard.brandkit import BrandKit
from listguard.context import CheckContext
from listguard.i18n import msg

from . import urls
from .extract import FoundVideo, PageVideos, find_videos
from .page import PageTooLarge, read_page

if TYPE_CHECKING:
    # The network client (http.client, ssl, socket) is imported only by --online
    # runs: an offline check, the default, never needs it.
    from .fetch import ProbeSettings

# Words that say what a video is for (in labels, titles, JSON-LD names, file names).
TUTORIAL_WORDS = frozenset((
    "bind", "binding", "pair", "pairing", "setup", "tutorial", "tutorials", "howto", "guide",
    "connect", "connecting", "connection", "install", "installation", "instructions",
    "anleitung", "tutoriel", "emparejar", "vincular", "configurar", "configuration",
    "konfiguration",
))  # fmt: skip
TUTORIAL_PHRASES = ("how to", "set up", "set-up", "绑定", "教程", "配对", "ربط")
OTHER_WORDS = frozenset((
    "unboxing", "unbox", "review", "reviews", "promo", "promotional", "promotion", "advert",
    "advertisement", "commercial", "trailer", "teaser", "lifestyle", "campaign",
    "testimonial", "giveaway", "sale", "ad", "ads",
))  # fmt: skip
_WORD_RE = re.compile(r"[^\W\d_]+")

OPTION_DEFAULTS: dict[str, Any] = {
    "online-timeout": 5.0,
    "max-bytes": 65536,
    "max-redirects": 3,
    "allow-redirect-hosts": [],
    "block-private-addresses": True,
    "max-probes": 5,
    "online-budget": 30.0,
    "max-page-bytes": 5_000_000,
}


@dataclass
class PageVideo:
    """One distinct video link of the page, with every place it appears."""

    link: urls.VideoUrl
    first: FoundVideo
    occurrences: list[FoundVideo] = field(default_factory=list)

    @property
    def words(self) -> str:
        labels = " ".join(o.label for o in self.occurrences)
        return f"{labels} {unquote(self.link.path)}".lower()


def purpose(video: PageVideo) -> str:
    """``"tutorial"``, ``"other"`` (clearly something else) or ``"unknown"``."""
    text = video.words
    tokens = set(_WORD_RE.findall(text))
    if tokens & TUTORIAL_WORDS or any(p in text for p in TUTORIAL_PHRASES):
        return "tutorial"
    if tokens & OTHER_WORDS:
        return "other"
    return "unknown"


def group_videos(page: PageVideos) -> list[PageVideo]:
    """The page's distinct video links, in order of first appearance."""
    by_link: dict[str, PageVideo] = {}
    for found in page.videos:
        link = urls.parse(found.raw, page.base_href)
        entry = by_link.setdefault(link.normalised, PageVideo(link, found))
        entry.occurrences.append(found)
    return list(by_link.values())


def kit_video(kit: BrandKit | None, model: str | None) -> urls.VideoUrl | None:
    if kit is None or model is None or model not in kit.models:
        return None
    video = kit.models[model].binding_video
    return urls.parse(video) if video else None


class DetailPageCheck:
    """VID001–VID006 over one detail page."""

    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.kit = ctx.brand_kit
        self.file = ctx.manifest.get("detail_page")
        self.options = {**OPTION_DEFAULTS, **ctx.options}

    def at(self, video: PageVideo | None = None) -> Location:
        if video is None:
            return Location(file=self.file, pointer="/detail_page" if self.file else None)
        return Location(file=self.file, line=video.first.line, column=video.first.column)

    def run(self) -> Iterator[Finding]:
        path = self.ctx.detail_page
        if path is None:
            yield self._no_page()
            return
        try:
            html, encoding = read_page(path, int(self.options["max-page-bytes"]))
        except PageTooLarge as exc:
            yield Finding(
                "LG006",
                msg("detail page {file} was not analysed: {error}", file=self.file, error=str(exc)),
                location=self.at(),
                evidence={"reason": str(exc)},
            )
            return
        page = find_videos(html, self.kit.video_hosts if self.kit else ())
        if page.parse_error:
            yield Finding(
                "LG006",
                msg(
                    "detail page {file} could not be parsed past line {line}: {error}",
                    file=self.file,
                    line=page.parse_error["line"],
                    error=page.parse_error["error"],
                ),
                location=Location(
                    file=self.file,
                    line=page.parse_error["line"],
                    column=page.parse_error["column"],
                ),
                evidence={**page.parse_error, "encoding": encoding},
            )
        videos = group_videos(page)
        self.ctx.add_fact(
            self.file or "detail_page",
            {
                "videos": [
                    {
                        "url": urls.parse(o.raw, page.base_href).resolved,
                        "line": o.line,
                        "column": o.column,
                        "source": o.source,
                    }
                    for o in page.videos
                ]
            },
        )
        official = kit_video(self.kit, self.ctx.model)
        candidates = [
            v
            for v in videos
            if purpose(v) != "other" or (official and v.link.normalised == official.normalised)
        ]
        if not candidates:
            yield self._no_tutorial(page, videos)
            return
        matching = [c for c in candidates if official and c.link.normalised == official.normalised]
        checked = matching or candidates
        for video in checked:
            yield from self._scheme(video)
            yield from self._format(video)
        yield from self._hosts(checked)
        yield from self._kit_video(checked, official)
        if self.ctx.online:
            yield from self._online(checked)

    # -- VID001 ----------------------------------------------------------------

    def _no_page(self) -> Finding:
        if self.file is None:
            message = msg(
                "the manifest names no detail_page, so no binding-tutorial video is embedded"
            )
        else:
            message = msg(
                "detail page {file} could not be read (see LG003/LG006), so no "
                "binding-tutorial video was found",
                file=self.file,
            )
        return Finding(
            "VID001",
            message,
            location=self.at(),
            hint=msg(
                "add detail.html embedding the brand's binding video, and name it in detail_page"
            ),
            evidence={"detail_page": self.file, "expected": self._expected()},
        )

    def _expected(self) -> str | None:
        official = kit_video(self.kit, self.ctx.model)
        return official.resolved if official else None

    def _no_tutorial(self, page: PageVideos, videos: list[PageVideo]) -> Finding:
        evidence: dict[str, Any] = {
            "videos": [{"url": v.link.resolved, "purpose": purpose(v)} for v in videos],
            "expected": self._expected(),
        }
        if page.other_iframes:
            evidence["iframes_not_video"] = page.other_iframes
        if page.jsonld_errors:
            evidence["jsonld_errors"] = page.jsonld_errors
        message: str
        if videos:
            message = msg(
                "the detail page embeds {count} video(s), all clearly something "
                "other than the binding tutorial: {links}",
                count=len(videos),
                links=", ".join(v.link.resolved for v in videos[:5]),
            )
        else:
            message = msg("the detail page embeds no video at all")
        if page.jsonld_errors:
            first = page.jsonld_errors[0]
            message = msg(
                "{message} ({count} JSON-LD block(s) could not be read, the first at line {line})",
                message=message,
                count=len(page.jsonld_errors),
                line=first["line"],
            )
        return Finding(
            "VID001",
            message,
            location=self.at(),
            hint=msg(
                "embed the binding video the brand supplies for the model: {expected}",
                expected=evidence["expected"],
            )
            if evidence["expected"]
            else msg("embed the binding video the brand supplies for the model"),
            evidence=evidence,
        )

    # -- VID002 / VID004 -------------------------------------------------------

    def _evidence(self, video: PageVideo, **extra: Any) -> dict[str, Any]:
        return {
            "url": video.link.raw,
            "resolved": video.link.resolved,
            "source": video.first.source,
            "element": video.first.tag,
            "attribute": video.first.attribute,
            **extra,
        }

    def _scheme(self, video: PageVideo) -> Iterator[Finding]:
        link = video.link
        if link.error is not None:
            # Not a URL a browser can load, whatever its scheme says.
            yield Finding(
                "VID002",
                msg(
                    "video link {link} is not a parsable URL ({error}), so it cannot load",
                    link=link.resolved,
                    error=link.error,
                ),
                location=self.at(video),
                hint=msg("use the https:// link the brand supplies"),
                evidence=self._evidence(
                    video, scheme=link.scheme or None, expected="https", unparsable=link.error
                ),
            )
            return
        if link.scheme == "https":
            return
        if link.scheme == "http":
            problem = msg("uses plain http")
        elif link.scheme:
            problem = msg("is a {scheme}: link, not an https link", scheme=link.scheme)
        elif link.host:
            problem = msg("is protocol-relative (//host/…); write https:// explicitly")
        else:
            problem = msg(
                "is relative and the page has no absolute <base href>, so it would load "
                "from the marketplace's own host"
            )
        yield Finding(
            "VID002",
            msg("video link {link} {problem}", link=link.resolved, problem=problem),
            location=self.at(video),
            hint=msg("use the https:// link the brand supplies"),
            evidence=self._evidence(video, scheme=link.scheme or None, expected="https"),
        )

    def _format(self, video: PageVideo) -> Iterator[Finding]:
        link = video.link
        if urls.is_mp4(link):
            return
        ext = urls.suffix(link.path)
        if ext in urls.STREAMING_MANIFESTS:
            what = urls.STREAMING_MANIFESTS[ext]
        elif video.first.source == "iframe" or (video.first.attribute == "embedUrl"):
            what = msg("a player page")
        elif ext:
            what = msg("a {extension} file", extension=ext)
        else:
            what = msg("a link without a file extension")
        yield Finding(
            "VID004",
            msg("video link {link} is {what}, not an MP4 file", link=link.resolved, what=what),
            location=self.at(video),
            hint=msg("use the .mp4 link the brand supplies"),
            evidence=self._evidence(video, extension=ext or None, expected=".mp4"),
        )

    # -- VID003 ----------------------------------------------------------------

    def _hosts(self, videos: list[PageVideo]) -> Iterator[Finding]:
        if self.kit is None or not self.kit.video_hosts:
            reason = (
                msg("no brand kit was given")
                if self.kit is None
                else msg("the brand kit lists no video_hosts")
            )
            yield Finding(
                "VID003",
                msg("the video host could not be verified: {reason}", reason=reason),
                location=self.at(videos[0]),
                hint=msg("run with --brand-kit DIR")
                if self.kit is None
                else msg("add video_hosts to the brand kit"),
                evidence={
                    "hosts": sorted({v.link.host or "" for v in videos}),
                    "video_hosts": None,
                },
            )
            return
        allowed = list(self.kit.video_hosts)
        for video in videos:
            host = video.link.host
            if any(urls.host_matches(host, h) for h in allowed):
                continue
            if host:
                named = msg("host {host}", host=host)
            elif video.link.error is not None:
                named = msg("no readable host (unparsable URL)")
            else:
                named = msg("no host (relative link)")
            yield Finding(
                "VID003",
                msg(
                    "video link {link} has {named}, which is not one of the brand's video "
                    "hosts ({allowed})",
                    link=video.link.resolved,
                    named=named,
                    allowed=", ".join(allowed),
                ),
                location=self.at(video),
                hint=msg("link the video on the brand's own host"),
                evidence=self._evidence(
                    video, host=host, expected_one_of=allowed, unparsable=video.link.error
                ),
            )

    # -- VID005 ----------------------------------------------------------------

    def _kit_video(
        self, videos: list[PageVideo], official: urls.VideoUrl | None
    ) -> Iterator[Finding]:
        model = self.ctx.model
        if official is None:
            if self.kit is None:
                reason = msg("no brand kit was given")
            elif model not in self.kit.models:
                reason = msg("model {model!r} is not in the brand kit", model=model)
            else:
                reason = msg("the brand kit has no binding_video for model {model!r}", model=model)
            yield Finding(
                "VID005",
                msg(
                    "the video could not be compared with the brand kit's: {reason}", reason=reason
                ),
                location=self.at(videos[0]),
                evidence={"found": [v.link.resolved for v in videos], "expected": None},
            )
            return
        if any(v.link.normalised == official.normalised for v in videos):
            return
        yield Finding(
            "VID005",
            msg(
                "video link {link} differs from the brand kit's binding video for {model}: "
                "{official}",
                link=videos[0].link.resolved,
                model=model,
                official=official.resolved,
            ),
            location=self.at(videos[0]),
            hint=msg("embed {link}", link=official.resolved),
            evidence={
                "found": [v.link.normalised for v in videos],
                "expected": official.normalised,
            },
        )

    # -- VID006 ----------------------------------------------------------------

    def probe_settings(self) -> ProbeSettings:
        from .fetch import ProbeSettings

        opts = self.options
        return ProbeSettings(
            timeout=float(opts["online-timeout"]),
            max_bytes=max(8, int(opts["max-bytes"])),
            max_redirects=int(opts["max-redirects"]),
            allow_redirect_hosts=tuple(str(h) for h in opts["allow-redirect-hosts"]),
            block_private=bool(opts["block-private-addresses"]),
        )

    def _online(self, videos: list[PageVideo]) -> Iterator[Finding]:
        from .fetch import probe_video

        settings = self.probe_settings()
        # The whole online check shares one budget, so a page full of dead links
        # cannot run past the plugin's time budget.
        budget_end = time.monotonic() + float(self.options["online-budget"])
        fetchable = [v for v in videos if v.link.scheme in ("http", "https") and v.link.host]
        # Links VID002 reports as unfetchable (relative, data:, ...) are not probed.
        probed = 0
        for video in fetchable:
            link = video.link
            if probed >= int(self.options["max-probes"]) or time.monotonic() >= budget_end:
                yield Finding(
                    "VID006",
                    msg(
                        "video link {link} was not probed: the page has more video links than "
                        "the online check covers (max-probes = {max_probes}, online-budget = "
                        "{budget} s)",
                        link=link.resolved,
                        max_probes=self.options["max-probes"],
                        budget=self.options["online-budget"],
                    ),
                    location=self.at(video),
                    hint=msg("embed only the brand's binding video, or raise max-probes"),
                    evidence={"url": link.resolved, "probed": probed},
                )
                continue
            probed += 1
            result = probe_video(link.resolved, settings, budget_end)
            if result.ok:
                continue
            yield Finding(
                "VID006",
                msg(
                    "video link {link} does not answer with an MP4 video: {reason}",
                    link=link.resolved,
                    reason=result.reason,
                ),
                location=self.at(video),
                hint=msg("check the link plays in a browser; use the brand's current link"),
                evidence={**result.evidence, "expected": "video/mp4 with an ftyp box"},
            )
