"""A one-line progress display for multi-package runs, on stderr.

Shown only when stderr is a terminal (and not with ``--quiet``), so it never
mixes into a report on stdout or into a CI log. The line is redrawn at most ten
times a second: packages done / total, how many failed or warned, findings so
far, the rate and the time left.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from .model import ListingResult, Status


class Progress:
    """Counts finished packages and redraws the progress line."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool | None = None):
        self.total = total
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = total > 1 and bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = enabled
        self.done = self.failed = self.warned = self.findings = 0
        self.started = time.monotonic()
        self._last_draw = 0.0
        self._width = 0

    def update(self, result: ListingResult) -> None:
        """Count one finished package."""
        self.done += 1
        self.findings += len(result.findings)
        status = result.status
        self.failed += status is Status.FAIL
        self.warned += status is Status.WARN
        now = time.monotonic()
        if self.enabled and (now - self._last_draw >= 0.1 or self.done == self.total):
            self._last_draw = now
            self._draw(self.line(now))

    def line(self, now: float | None = None) -> str:
        """The progress line's text."""
        elapsed = max(1e-6, (now or time.monotonic()) - self.started)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        return (
            f"[{self.done:>{len(str(self.total))}}/{self.total}] "
            f"{self.failed} fail, {self.warned} warn, {self.findings} findings · "
            f"{rate:.1f} pkg/s · ETA {_duration(left)}"
        )

    def _draw(self, text: str) -> None:
        padding = " " * max(0, self._width - len(text))
        self._width = len(text)
        self.stream.write(f"\r{text}{padding}")
        self.stream.flush()

    def close(self) -> None:
        """End the line (the report that follows starts on a fresh line)."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()


def _duration(value: float) -> str:
    seconds = round(value)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
