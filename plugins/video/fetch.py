"""The online check (VID006): does a video link answer with an MP4?

Only called with ``--online``. One probe is a ``HEAD`` (status and content type)
and then a ranged ``GET`` (``Range: bytes=0-N``) whose first bytes must hold the
MP4 ``ftyp`` box at offset 4. Every hop is guarded:

* the host is resolved once, **every** address it resolves to is checked with
  :mod:`ipaddress`, and the connection goes to the checked address (so a DNS
  answer that changes between check and connect cannot smuggle in another
  one); loopback, private, link-local, multicast, reserved and other
  non-global addresses are refused before any connection (SSRF guard, on by
  default; ``block-private-addresses = false`` switches it off for tests);
* redirects are followed only to the same host or to one of
  ``allow-redirect-hosts``, at most ``max-redirects`` times;
* each socket operation has a short timeout, the whole probe a deadline, and
  at most ``max-bytes`` of the body are read even when a server ignores
  ``Range``.

Uses only :mod:`http.client` (standard library): the probe needs control over
the address connected to, which higher-level clients hide.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from .urls import host_matches, normalise_host

USER_AGENT = "listguard-video-check/1"
MP4_CONTENT_TYPES = frozenset({"video/mp4"})


@dataclass(frozen=True)
class ProbeSettings:
    """Limits of one probe; built from the plugin's options."""

    timeout: float = 5.0
    max_bytes: int = 65536
    max_redirects: int = 3
    allow_redirect_hosts: tuple[str, ...] = ()
    block_private: bool = True


@dataclass
class ProbeResult:
    """``ok`` when the link answered with an MP4; otherwise ``reason`` says why."""

    ok: bool
    reason: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)


class ProbeError(Exception):
    """A probe step failed; the message is the reason shown to the seller."""


def refused_address(address: str) -> str | None:
    """Why ``address`` may not be connected to (``None`` when it may)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for label, flag in (
        # Most specific first: link-local and loopback ranges are also "private".
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    ):
        if flag:
            return f"{ip} is a {label} address"
    if not ip.is_global:
        return f"{ip} is not a public address"
    return None


def resolve_host(host: str, port: int, settings: ProbeSettings) -> str:
    """The address to connect to: the first of the host's addresses, after the
    guard checked every one of them."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise ProbeError(f"host {host} cannot be resolved ({exc})") from exc
    addresses = sorted({str(info[4][0]) for info in infos}, key=lambda a: (":" in a, a))
    if not addresses:
        raise ProbeError(f"host {host} resolves to no address")
    if settings.block_private:
        for address in addresses:
            reason = refused_address(address)
            if reason:
                raise ProbeError(f"refused to connect to {host}: {reason} (address guard)")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to a given, already checked address."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a checked address, verifying the certificate for the host."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def _request(
    url: str, method: str, settings: ProbeSettings, deadline: float
) -> tuple[int, dict[str, str], bytes]:
    """One request without following redirects: status, headers (lower-case), body start."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ProbeError(f"{url} is not an http(s) link")
    host = normalise_host(parts.hostname)
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise ProbeError(f"{url} has an invalid port") from exc
    address = resolve_host(host, port, settings)
    cls = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = cls(host, port, address, settings.timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"User-Agent": USER_AGENT, "Accept": "video/mp4,*/*;q=0.1"}
    if method == "GET":
        headers["Range"] = f"bytes=0-{settings.max_bytes - 1}"
    try:
        connection.request(method, target, headers=headers)
        response = connection.getresponse()
        body = b""
        if method == "GET" and not 300 <= response.status < 400:
            while len(body) < settings.max_bytes:
                if time.monotonic() > deadline:
                    raise ProbeError(f"{url} did not answer within the probe deadline")
                chunk = response.read1(min(8192, settings.max_bytes - len(body)))
                if not chunk:
                    break
                body += chunk
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    except TimeoutError as exc:
        raise ProbeError(f"{url} timed out after {settings.timeout:g} s") from exc
    except ssl.SSLError as exc:
        raise ProbeError(f"TLS with {host} failed: {exc.reason or exc}") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise ProbeError(f"{url} could not be fetched: {type(exc).__name__}: {exc}") from exc
    finally:
        connection.close()


def _follow(
    url: str, method: str, settings: ProbeSettings, deadline: float, hops: list[str]
) -> tuple[str, int, dict[str, str], bytes]:
    """A request that follows redirects within the rules; returns the final URL too."""
    current = url
    for _ in range(settings.max_redirects + 1):
        if time.monotonic() > deadline:
            raise ProbeError(f"{url} did not answer within the probe deadline")
        status, headers, body = _request(current, method, settings, deadline)
        if status not in (301, 302, 303, 307, 308) or "location" not in headers:
            return current, status, headers, body
        try:  # the Location header is the server's text: it may not be a URL
            target = urljoin(current, headers["location"])
            urlsplit(target)
        except ValueError as exc:
            raise ProbeError(
                f"{current} redirects to an unparsable URL {headers['location']!r}: {exc}"
            ) from exc
        old_host = normalise_host(urlsplit(current).hostname or "")
        new_host = normalise_host(urlsplit(target).hostname or "")
        if new_host != old_host and not any(
            host_matches(new_host, allowed) for allowed in settings.allow_redirect_hosts
        ):
            raise ProbeError(
                f"{current} redirects to another host, {new_host or target!r}; allowed: "
                "the same host" + "".join(f", {h}" for h in settings.allow_redirect_hosts)
            )
        hops.append(target)
        current = target
    raise ProbeError(f"{url} redirects more than {settings.max_redirects} times")


def _content_type(headers: dict[str, str]) -> str:
    return headers.get("content-type", "").split(";")[0].strip().lower()


def probe_video(url: str, settings: ProbeSettings, deadline: float | None = None) -> ProbeResult:
    """Check that ``url`` answers with an MP4 file (``HEAD``, then ranged ``GET``).

    ``deadline`` (a :func:`time.monotonic` instant) ends the probe early; by
    default it is twice the socket timeout from now.
    """
    own_deadline = time.monotonic() + settings.timeout * 2
    deadline = own_deadline if deadline is None else min(deadline, own_deadline)
    hops: list[str] = []
    evidence: dict[str, Any] = {"url": url, "redirects": hops}
    try:
        final, status, headers, _ = _follow(url, "HEAD", settings, deadline, hops)
        evidence["head"] = {"status": status, "content_type": _content_type(headers)}
        # Some servers refuse HEAD (405/501); the GET decides for them.
        if status >= 400 and status not in (405, 501):
            raise ProbeError(f"{final} answers HTTP {status} to HEAD")
        if status < 300 and headers.get("content-type"):
            kind = _content_type(headers)
            if kind not in MP4_CONTENT_TYPES:
                raise ProbeError(f"{final} answers with content type {kind!r}, not video/mp4")
        final, status, headers, body = _follow(final, "GET", settings, deadline, hops)
        kind = _content_type(headers)
        evidence["get"] = {"status": status, "content_type": kind, "bytes_read": len(body)}
        if status not in (200, 206):
            raise ProbeError(f"{final} answers HTTP {status} to a ranged GET")
        if kind not in MP4_CONTENT_TYPES:
            raise ProbeError(f"{final} answers with content type {kind!r}, not video/mp4")
        evidence["first_bytes"] = body[:16].hex()
        if len(body) < 8 or body[4:8] != b"ftyp":
            raise ProbeError(
                f"{final} does not start with an MP4 'ftyp' box (first bytes {body[:8].hex()})"
            )
    except ProbeError as exc:
        return ProbeResult(False, str(exc), evidence)
    return ProbeResult(True, "", evidence)
