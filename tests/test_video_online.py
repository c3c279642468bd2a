"""VID006, the online check: against a local HTTP server, and the address guard.

The server tests run the probe against 127.0.0.1, so they switch the address
guard off explicitly (``block-private-addresses = false``); the guard tests
keep it on and prove that nothing is connected to.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from listguard.plugins.video.fetch import ProbeSettings, probe_video, refused_address
from listguard.testing import base_manifest, run_checks

MODEL = "OV2301A1"
# The start of a real MP4 file: an ftyp box (size 32, brand isom, compatible
# brands isom/iso2/avc1/mp41), then a free box and the head of an mdat box.
MP4_HEAD = (
    b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
    b"\x00\x00\x00\x08free"
    b"\x00\x00\x10\x00mdat" + b"\x00" * 4088
)
GUARD_OFF = {"block-private-addresses": False, "online-timeout": 0.5}


class VideoServer(BaseHTTPRequestHandler):
    """Paths: /ok.mp4, /nohead.mp4, /wrong-type.mp4, /not-mp4-bytes.mp4, /missing.mp4,
    /redirect-same.mp4, /redirect-other.mp4, /slow.mp4, /ignores-range.mp4."""

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def _send(self, status: int, content_type: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _answer(self, head: bool) -> None:
        port = self.server.server_address[1]
        path = self.path.split("?")[0]
        if path == "/ok.mp4" or (path == "/nohead.mp4" and not head):
            body = MP4_HEAD
            if not head and self.headers.get("Range", "").startswith("bytes=0-"):
                last = int(self.headers["Range"].split("-")[1])
                self.send_response(206)
                self.send_header("Content-Type", "video/mp4")
                self.send_header("Content-Range", f"bytes 0-{last}/{len(body)}")
                self.send_header("Content-Length", str(min(last + 1, len(body))))
                self.end_headers()
                self.wfile.write(body[: last + 1])
                return
            self._send(200, "video/mp4", body, head)
        elif path == "/nohead.mp4":
            self._send(405, "text/plain", b"no HEAD here", head)
        elif path == "/wrong-type.mp4":
            self._send(200, "text/html; charset=utf-8", b"<html>please log in</html>", head)
        elif path == "/not-mp4-bytes.mp4":
            self._send(200, "video/mp4", b"<html>please log in</html>", head)
        elif path == "/redirect-same.mp4":
            self._redirect("/ok.mp4")
        elif path == "/redirect-other.mp4":
            self._redirect(f"http://localhost:{port}/ok.mp4")
        elif path == "/slow.mp4":
            time.sleep(2)
            self._send(200, "video/mp4", MP4_HEAD, head)
        elif path == "/ignores-range.mp4":
            self._send(200, "video/mp4", MP4_HEAD + b"\x00" * 2_000_000, head)
        else:
            self._send(404, "text/plain", b"not found", head)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        # The probe stops reading at its cap and hangs up.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._answer(head=False)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The base URL of a local video server on 127.0.0.1."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), VideoServer)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def probe(url: str, **settings: Any):
    return probe_video(url, ProbeSettings(**{"timeout": 0.5, "block_private": False, **settings}))


# -- through the plugin -------------------------------------------------------------


@pytest.fixture
def check_online(listing_factory, tmp_path):
    """check_online(link, **options) -> CheckRun: a page embedding ``link``, checked online."""

    def run(link: str, **options: Any):
        kit = {
            "brand": "Orvina",
            "video_hosts": ["127.0.0.1", "orvina.example"],
            "models": {MODEL: {"name": "Band", "binding_video": link}},
        }
        (tmp_path / "kit").mkdir(exist_ok=True)
        (tmp_path / "kit" / "brandkit.json").write_text(json.dumps(kit), encoding="utf-8")
        html = f'<html><body>\n<video controls src="{link}"></video>\n</body></html>'
        package = listing_factory(base_manifest(detail_page="detail.html"), {"detail.html": html})
        return run_checks(
            package,
            brand_kit=tmp_path / "kit",
            online=True,
            select=["VID006"],
            options={"video": options},
        )

    return run


def test_link_answering_with_an_mp4_passes(check_online, server):
    check_online(f"{server}/ok.mp4", **GUARD_OFF).assert_findings({}, only=True)


def test_wrong_content_type_is_vid006_at_the_element(check_online, server):
    run = check_online(f"{server}/wrong-type.mp4", **GUARD_OFF)
    run.assert_findings({"VID006": 1}, only=True)
    finding = run.findings[0]
    assert "content type 'text/html', not video/mp4" in finding.message
    assert (finding.location.line, finding.location.column) == (2, 1)
    assert finding.evidence["expected"] == "video/mp4 with an ftyp box"


def test_redirect_to_another_host_is_vid006(check_online, server):
    run = check_online(f"{server}/redirect-other.mp4", **GUARD_OFF)
    run.assert_findings({"VID006": 1}, only=True)
    assert "redirects to another host, 'localhost'" in run.findings[0].message


def test_slow_response_times_out_as_vid006(check_online, server):
    started = time.monotonic()
    run = check_online(f"{server}/slow.mp4", **GUARD_OFF)
    run.assert_findings({"VID006": 1}, only=True)
    assert "timed out after 0.5 s" in run.findings[0].message
    assert time.monotonic() - started < 1.9  # did not wait for the server's 2 s


def test_guard_is_on_by_default_even_for_a_real_local_server(check_online, server):
    run = check_online(f"{server}/ok.mp4")
    run.assert_findings({"VID006": 1}, only=True)
    assert "127.0.0.1 is a loopback address (address guard)" in run.findings[0].message


# -- the probe itself ---------------------------------------------------------------


def test_probe_reads_the_ftyp_box_with_a_ranged_get(server):
    result = probe(f"{server}/ok.mp4", max_bytes=1024)
    assert result.ok, result.reason
    assert result.evidence["get"] == {
        "status": 206,
        "content_type": "video/mp4",
        "bytes_read": 1024,
    }
    assert result.evidence["first_bytes"].startswith("0000002066747970")  # size 32, "ftyp"


def test_probe_falls_back_to_get_when_head_is_refused(server):
    result = probe(f"{server}/nohead.mp4")
    assert result.ok, result.reason
    assert result.evidence["head"]["status"] == 405


def test_video_content_type_without_ftyp_box_fails(server):
    result = probe(f"{server}/not-mp4-bytes.mp4")
    assert not result.ok
    assert "does not start with an MP4 'ftyp' box" in result.reason


def test_missing_file_fails_with_its_status(server):
    assert "answers HTTP 404" in probe(f"{server}/missing.mp4").reason


def test_redirect_on_the_same_host_is_followed(server):
    result = probe(f"{server}/redirect-same.mp4")
    assert result.ok, result.reason
    assert result.evidence["redirects"] == [f"{server}/ok.mp4"]


def test_redirect_to_an_allowed_host_is_followed(server):
    result = probe(f"{server}/redirect-other.mp4", allow_redirect_hosts=("localhost",))
    assert result.ok, result.reason


def test_server_ignoring_range_is_read_only_up_to_the_cap(server):
    result = probe(f"{server}/ignores-range.mp4", max_bytes=1024)
    assert result.ok, result.reason
    assert result.evidence["get"]["bytes_read"] == 1024


# -- the address guard --------------------------------------------------------------


@pytest.fixture
def no_connections(monkeypatch) -> list[Any]:
    """Record (and refuse) every attempt to open a connection."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise OSError("connection attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def fake_dns(monkeypatch, *addresses: str) -> None:
    """Make every host name resolve to ``addresses``."""

    def getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize(
    "url",
    ["https://127.0.0.1/bind.mp4", "https://10.0.0.1/bind.mp4", "http://[::1]:8080/bind.mp4"],
)
def test_guard_refuses_loopback_and_private_literals_without_connecting(url, no_connections):
    result = probe_video(url, ProbeSettings())
    assert not result.ok
    assert "(address guard)" in result.reason
    assert no_connections == []


def test_guard_refuses_a_hostname_resolving_to_a_private_address(monkeypatch, no_connections):
    fake_dns(monkeypatch, "10.1.2.3")
    result = probe_video("https://video.orvina.example/bind.mp4", ProbeSettings())
    assert "refused to connect to video.orvina.example: 10.1.2.3 is a private address" in (
        result.reason
    )
    assert no_connections == []


def test_guard_checks_every_resolved_address(monkeypatch, no_connections):
    fake_dns(monkeypatch, "93.184.216.34", "127.0.0.1")
    result = probe_video("https://video.orvina.example/bind.mp4", ProbeSettings())
    assert "127.0.0.1 is a loopback address" in result.reason
    assert no_connections == []


def test_guard_refuses_through_the_plugin_without_connecting(
    check_online, monkeypatch, no_connections
):
    fake_dns(monkeypatch, "169.254.169.254")
    run = check_online("https://video.orvina.example/bind/OV2301A1.mp4")
    run.assert_findings({"VID006": 1}, only=True)
    assert "169.254.169.254 is a link-local address" in run.findings[0].message
    assert no_connections == []


def test_connection_goes_to_the_checked_address(monkeypatch):
    fake_dns(monkeypatch, "93.184.216.34")
    connected: list[Any] = []

    def record(address: Any, *args: Any, **kwargs: Any) -> None:
        connected.append(address)
        raise OSError("stop here")

    monkeypatch.setattr(socket, "create_connection", record)
    result = probe_video("https://video.orvina.example/bind.mp4", ProbeSettings())
    assert connected == [("93.184.216.34", 443)]
    assert "could not be fetched" in result.reason


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("127.0.0.1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "not a public"),
        ("224.0.0.1", "multicast"),
    ],
)
def test_refused_addresses(address, refused):
    reason = refused_address(address)
    assert reason is not None and refused in reason


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_are_allowed(address):
    assert refused_address(address) is None


def test_links_beyond_max_probes_are_reported_not_skipped(listing_factory, tmp_path, server):
    html = "".join(
        f'<video src="{server}/ok.mp4?n={n}" title="Pairing"></video>\n' for n in range(3)
    )
    package = listing_factory(base_manifest(detail_page="detail.html"), {"detail.html": html})
    run = run_checks(
        package, online=True, select=["VID006"], options={"video": {**GUARD_OFF, "max-probes": 2}}
    )
    run.assert_findings({"VID006": 1}, only=True)
    assert "was not probed" in run.findings[0].message
    assert run.findings[0].location.line == 3
