"""The detail-page video rules (VID001–VID006) and their docs pages."""

from __future__ import annotations

from listguard import Rule, Severity

PROGRAMME = "the brand's authorised-reseller programme (SPEC §3)"

NO_TUTORIAL = Rule(
    "VID001",
    "binding-video-missing",
    Severity.ERROR,
    "The detail page embeds no binding-tutorial video",
    what=(
        "Looks for every video embedded in the detail page: `<video src>`, "
        "`<video><source src>`, `<embed>` of a video, video-player `<iframe src>` "
        "(and pages in `srcdoc`), lazy-loading attributes (`data-src`, `data-video`, "
        "`data-url`, …), `og:video` meta tags and JSON-LD `VideoObject` "
        "(`contentUrl`, `embedUrl`). Reports when there is none, or when every video "
        "found is clearly something else (its title, label or file name says "
        "unboxing, review, promo, advert, trailer… and nothing says binding, "
        "pairing, setup or tutorial, and it is not the brand kit's video). Also "
        "reported when the manifest has no detail page or it could not be read."
    ),
    why=(
        f"{PROGRAMME}: the detail page must embed the brand's device-binding tutorial "
        "video, so buyers can pair the device with the ecosystem app."
    ),
    example='A page with only `<video src="promo/summer-sale.mp4" title="Unboxing">`.',
    fix="Embed the binding video the brand supplies for the model, e.g. "
    '`<video src="https://video.orvina.example/bind/OV2301A1.mp4" controls></video>`.',
)

NOT_HTTPS = Rule(
    "VID002",
    "video-not-https",
    Severity.ERROR,
    "The video link is not HTTPS",
    what=(
        "Checks each binding-tutorial candidate's link (after resolving it against "
        "`<base href>`) uses `https:`. Plain `http:`, protocol-relative `//host/…`, "
        "`data:`/`blob:` links and relative links that cannot be resolved are reported."
    ),
    why=(
        f"{PROGRAMME}; marketplaces serve detail pages over HTTPS and browsers block "
        "mixed content, so an `http:` video does not play for buyers."
    ),
    example='`<video src="http://video.orvina.example/bind/OV2301A1.mp4">`',
    fix="Use the `https://` link the brand supplies.",
)

HOST_NOT_ALLOWED = Rule(
    "VID003",
    "video-host-not-allowed",
    Severity.ERROR,
    "The video host is not one of the brand's video_hosts",
    what=(
        "Checks the host of each binding-tutorial candidate is one of the brand kit's "
        "`video_hosts` or a subdomain of one, label by label: with `orvina.example` "
        "listed, `cdn.orvina.example` passes while `orvina.example.evil.test` and "
        "`evilorvina.example` do not. Without a brand kit (or with no `video_hosts`) "
        "it reports that the host could not be verified."
    ),
    why=(
        f"{PROGRAMME}: only the brand's own video hosts are trusted to serve the "
        "genuine tutorial; re-uploads elsewhere go stale or are altered."
    ),
    example='`<iframe src="https://www.youtube.com/embed/abc">` when the kit lists '
    "`video.orvina.example`.",
    fix="Link the video on the brand's host named in the finding.",
)

NOT_MP4 = Rule(
    "VID004",
    "video-not-mp4",
    Severity.ERROR,
    "The video link is not an MP4",
    what=(
        "Checks each binding-tutorial candidate's path ends in `.mp4` (case-insensitive, "
        "query string ignored). Streaming manifests (`.m3u8` HLS, `.mpd` DASH), player "
        "pages and other formats are reported."
    ),
    why=f"{PROGRAMME}: the tutorial must be the brand's MP4 link, playable everywhere.",
    example='`<source src="https://video.orvina.example/bind/OV2301A1.m3u8">`',
    fix="Use the MP4 link the brand supplies for the model.",
)

NOT_KIT_VIDEO = Rule(
    "VID005",
    "video-not-brand-kit-video",
    Severity.WARNING,
    "The video differs from the brand kit's video for this model",
    what=(
        "Compares the page's videos, normalised (scheme and host case, default ports, "
        "dot segments, trailing slash, percent-encoding, fragment), with the brand "
        "kit's `binding_video` for the manifest's model. Warns when none matches, or "
        "when it cannot compare (no brand kit, model not in the kit, no "
        "`binding_video` for the model)."
    ),
    why=(
        f"{PROGRAMME}: the brand supplies one tutorial per model; another video may "
        "show another model's pairing steps."
    ),
    example="The page embeds `…/bind/OV2301A0.mp4` but the kit's video for OV2301A1 is "
    "`…/bind/OV2301A1.mp4`.",
    fix="Embed the exact link from the brand kit.",
)

NOT_A_VIDEO_ONLINE = Rule(
    "VID006",
    "video-link-broken",
    Severity.ERROR,
    "(online mode only) The link does not answer with a video",
    what=(
        "Only with `--online`: sends `HEAD`, then a ranged `GET` (`Range: bytes=0-…`) "
        "to each binding-tutorial candidate, and requires status 200/206, content type "
        "`video/mp4` and the MP4 `ftyp` box at byte offset 4. Short timeouts "
        "(`online-timeout`), a read cap (`max-bytes`), redirects only to the same host "
        "or `allow-redirect-hosts`, and an address guard that refuses loopback, private "
        "and link-local addresses (all resolved addresses are checked, and the "
        "connection goes to the checked one)."
    ),
    why=(
        f"{PROGRAMME}: a dead or wrong link shows buyers an empty player; the listing "
        "is delisted as if the video were missing."
    ),
    example="The link answers `404`, or `200 text/html` (a login page).",
    fix="Replace the link with the current one from the brand kit and check it plays.",
)

RULES = [NO_TUTORIAL, NOT_HTTPS, HOST_NOT_ALLOWED, NOT_MP4, NOT_KIT_VIDEO, NOT_A_VIDEO_ONLINE]
