"""The progress line: on a terminal only, never in the report."""

from __future__ import annotations

import io

from listguard.model import Finding, ListingResult, Severity
from listguard.progress import Progress


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def failing() -> ListingResult:
    return ListingResult("p", findings=[Finding("LG003", "m", severity=Severity.ERROR)])


def test_progress_is_drawn_on_a_terminal():
    stream = FakeTTY()
    progress = Progress(2, stream=stream)
    progress.update(failing())
    progress.update(ListingResult("q"))
    assert "[2/2] 1 fail, 0 warn, 1 findings" in stream.getvalue()


def test_progress_is_silent_when_not_a_terminal():
    stream = io.StringIO()
    progress = Progress(5, stream=stream)
    for _ in range(5):
        progress.update(ListingResult("p"))
    progress.close()
    assert stream.getvalue() == ""


def test_progress_is_silent_for_a_single_package():
    stream = FakeTTY()
    Progress(1, stream=stream).update(ListingResult("p"))
    assert stream.getvalue() == ""


def test_progress_line_is_cleared_on_close():
    stream = FakeTTY()
    progress = Progress(2, stream=stream)
    progress.update(ListingResult("p"))
    progress.update(ListingResult("q"))
    progress.close()
    assert stream.getvalue().endswith("\r")


def test_progress_line_shows_rate_and_eta():
    progress = Progress(10, stream=io.StringIO(), enabled=False)
    progress.started -= 2.0
    for _ in range(4):
        progress.update(ListingResult("p"))
    line = progress.line()
    assert "[ 4/10]" in line and "pkg/s" in line and "ETA 3s" in line
