"""Video URLs: resolving, normalising, host matching and the file kind by path.

Two links to the same video must compare equal however a seller wrote them, so
:func:`normalise_url` folds the differences browsers ignore: the case of the
scheme and host, a trailing dot on the host, default ports, dot segments, a
trailing slash, the fragment, user information, and percent-encoding
(unreserved characters decoded, other escapes upper-cased, raw non-ASCII
encoded as UTF-8).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import SplitResult, unquote, urljoin, urlsplit

from listguard.i18n import msg

DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters RFC 3986 allows unescaped in a path or query.
_PATH_SAFE = _UNRESERVED | frozenset("!$&'()*+,;=:@/")
_QUERY_SAFE = _PATH_SAFE | frozenset("?")
_ESCAPE_RE = re.compile(r"%([0-9A-Fa-f]{2})")
# Browsers drop ASCII tab and newlines anywhere in a URL (WHATWG URL §4.4).
_STRIPPED_RE = re.compile(r"[\t\n\r]")
# The scheme and the path of a link urlsplit refuses ("https://[::1/x.mp4"),
# read the generic RFC 3986 way so the other checks still have something to go on.
_ROUGH_RE = re.compile(r"^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?://[^/?#]*)?([^?#]*)")

MP4_SUFFIXES = (".mp4",)
STREAMING_MANIFESTS = {
    ".m3u8": msg("an HLS streaming manifest"),
    ".mpd": msg("a DASH streaming manifest"),
}
VIDEO_SUFFIXES = (".mp4", ".m4v", ".mov", ".webm", ".ogv", ".avi", ".mkv", ".flv", ".3gp")


@dataclass(frozen=True)
class VideoUrl:
    """A video link as written and as resolved.

    ``resolved`` is the link after ``<base href>`` resolution (or as written when
    it cannot be resolved); ``normalised`` is the comparison form; ``scheme`` is
    ``""`` for a protocol-relative or relative link and ``host`` is ``None`` when
    the link names no host.
    """

    raw: str
    resolved: str
    normalised: str
    scheme: str
    host: str | None
    path: str
    error: str | None = None  # why the link is not a parsable URL (then host is None)


def clean(raw: str) -> str:
    """The link as a browser reads the attribute: whitespace trimmed, tabs and newlines dropped."""
    return _STRIPPED_RE.sub("", raw).strip(" \f\v\u00a0")


def split(link: str) -> SplitResult | None:
    """``urlsplit(link)``, or ``None`` for a link it refuses (an unclosed IPv6
    bracket, ...): page content is untrusted and must never raise."""
    try:
        return urlsplit(link)
    except ValueError:
        return None


def resolve(raw: str, base: str | None) -> str:
    """Resolve ``raw`` against the page's ``<base href>`` (when absolute).

    A link or base that cannot be parsed is returned as written (cleaned)."""
    link = clean(raw)
    base_parts = split(base) if base else None
    if base and base_parts is not None and base_parts.scheme:
        try:
            return urljoin(base, link)
        except ValueError:
            return link
    return link


def _normalise_escapes(text: str, safe: frozenset[str]) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        match = _ESCAPE_RE.match(text, i)
        if match:
            char = chr(int(match.group(1), 16))
            out.append(char if char in _UNRESERVED else "%" + match.group(1).upper())
            i += 3
            continue
        char = text[i]
        if char in safe:
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8"))
        i += 1
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    if not path:
        return "/"
    normal = posixpath.normpath(path)
    # normpath keeps a leading "//" and drops a trailing slash; neither matters here.
    return "/" + normal.lstrip("/") if path.startswith("/") else normal


def normalise_host(host: str) -> str:
    """Lower-case, without a trailing dot, internationalised names as punycode."""
    host = host.strip().rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def parse(raw: str, base: str | None = None) -> VideoUrl:
    """Resolve and normalise one link found in the page."""
    resolved = resolve(raw, base)
    try:
        parts = urlsplit(resolved)
    except ValueError as exc:
        rough = _ROUGH_RE.match(resolved)
        scheme = (rough.group(1) or "").lower() if rough else ""
        path = rough.group(2) if rough else ""
        return VideoUrl(raw, resolved, resolved, scheme, None, path, error=str(exc))
    scheme = parts.scheme.lower()
    host = normalise_host(parts.hostname) if parts.hostname else None
    netloc = ""
    if host is not None:
        netloc = f"[{host}]" if ":" in host else host
        try:
            port = parts.port
        except ValueError:  # "host:abc" or out of range: keep the text as written
            netloc = parts.netloc.rsplit("@", 1)[-1].lower()
        else:
            if port is not None and port != DEFAULT_PORTS.get(scheme):
                netloc += f":{port}"
    if scheme and scheme not in DEFAULT_PORTS and host is None:
        path = parts.path  # data:, blob:, javascript: ... are opaque: compare as written
    else:
        path = _remove_dot_segments(_normalise_escapes(parts.path, _PATH_SAFE))
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    query = _normalise_escapes(parts.query, _QUERY_SAFE)
    normalised = (f"{scheme}:" if scheme else "") + (f"//{netloc}" if parts.netloc else "")
    normalised += path + (f"?{query}" if query else "")
    return VideoUrl(raw, resolved, normalised, scheme, host, path)


def host_matches(host: str | None, allowed: str) -> bool:
    """``host`` is ``allowed`` or a subdomain of it (label-wise, so neither
    ``orvina.example.evil.test`` nor ``evilorvina.example`` matches ``orvina.example``)."""
    if not host:
        return False
    allowed = normalise_host(allowed)
    return host == allowed or host.endswith("." + allowed)


def suffix(path: str) -> str:
    """The lower-case extension of the path's last segment (percent-decoded)."""
    last = unquote(path).rsplit("/", 1)[-1].lower()
    return posixpath.splitext(last)[1]


def is_mp4(link: VideoUrl) -> bool:
    return suffix(link.path) in MP4_SUFFIXES


def looks_like_video_file(path: str) -> bool:
    """The path names a video file or a streaming manifest."""
    ext = suffix(path)
    return ext in VIDEO_SUFFIXES or ext in STREAMING_MANIFESTS
