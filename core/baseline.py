"""Stable finding fingerprints, and baselines that suppress known findings.

A *fingerprint* identifies one finding across runs: a hash of the rule code,
the package, the file, the JSON pointer and the PDF page, plus an occurrence
number for findings that share all of those. It leaves out the message (so a
reworded message or a changed date inside it still matches) and the line,
column and box (so an edit elsewhere in the file does not reset it). The SARIF
format publishes it as ``partialFingerprints`` and baselines match on it.

A *baseline* is a JSON file of fingerprints recorded from an earlier run,
each with a ``reason`` and an optional ``until`` date::

    {"baseline_version": "1", "as_of": "2026-11-22",
     "entries": [{"fingerprint": "…", "rule": "WM004", "package": "listings/a",
                  "file": "images/main.jpg", "message": "…",
                  "reason": "supplier re-shoots in January", "until": "2027-01-31"}]}

``listguard check --baseline FILE`` drops the findings it records; an entry whose
``until`` is before the run's ``as_of`` no longer suppresses (the finding
resurfaces). ``rule``, ``package``, ``file`` and ``message`` are for the people
reading the file; only ``fingerprint`` is matched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .config import ConfigError
from .model import Finding, ListingResult, Summary

BASELINE_VERSION = "1"
#: Name of the ``partialFingerprints`` entry in SARIF results.
FINGERPRINT_KEY = "listguardFingerprint/v1"


def package_key(package: str) -> str:
    """The package as it enters a fingerprint: its path normalised to forward
    slashes, relative to the working directory when it lies inside it, so that
    ``./listings/a``, ``listings/a/`` and the absolute path agree."""
    path = Path(os.path.normpath(package))
    if path.is_absolute():
        with contextlib.suppress(ValueError):  # outside the working directory: keep it
            path = path.relative_to(Path.cwd())
    return PurePosixPath(*path.parts).as_posix() if path.parts else "."


def _base_key(package: str, finding: Finding) -> str:
    loc = finding.location
    parts = [finding.rule, package_key(package), loc.file or "", loc.pointer or ""]
    parts.append(str(loc.page) if loc.page else "")
    return "\x1f".join(parts)


def fingerprints(listing: ListingResult) -> list[str]:
    """One fingerprint per finding of ``listing``, in order.

    Findings that share rule, package, file, pointer and page are numbered in
    the listing's (sorted) order. A finding that already carries a
    ``fingerprint`` (set when a baseline filtered the listing, so that the
    numbering of the full list is kept) keeps it.
    """
    seen: dict[str, int] = {}
    out = []
    for finding in listing.findings:
        given = finding.fingerprint
        key = _base_key(listing.package, finding)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        if isinstance(given, str) and given:
            out.append(given)
            continue
        digest = hashlib.sha256(f"{key}\x1e{occurrence}".encode()).hexdigest()
        out.append(digest[:32])
    return out


@dataclass(frozen=True)
class BaselineEntry:
    """One recorded finding: matched by ``fingerprint``; ``until`` (inclusive)
    is the last day it is suppressed."""

    fingerprint: str
    reason: str
    until: dt.date | None = None
    rule: str = ""
    package: str = ""
    file: str = ""
    message: str = ""

    def active(self, as_of: dt.date) -> bool:
        return self.until is None or as_of <= self.until

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "fingerprint": self.fingerprint,
            "rule": self.rule,
            "package": self.package,
            "file": self.file,
            "message": self.message,
            "reason": self.reason,
        }
        if self.until:
            data["until"] = self.until.isoformat()
        return data


class BaselineError(ConfigError):
    """The baseline file cannot be read (exit status 2, like a bad configuration)."""


@dataclass
class Baseline:
    """A loaded baseline, and what it matched during a run."""

    entries: list[BaselineEntry] = field(default_factory=list)
    as_of: str | None = None
    matched: set[str] = field(default_factory=set)
    expired_matches: int = 0
    suppressed: int = 0

    # -- reading and writing ----------------------------------------------

    @classmethod
    def load(cls, path: str | Path) -> Baseline:
        """Read a baseline file; any problem is a :class:`BaselineError`."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BaselineError(f"baseline {path} is not valid JSON: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise BaselineError(f"baseline {path}: expected an object with an 'entries' list")
        if data.get("baseline_version", BASELINE_VERSION) != BASELINE_VERSION:
            raise BaselineError(
                f"baseline {path}: version {data.get('baseline_version')!r} is not supported "
                f"(this listguard reads version {BASELINE_VERSION})"
            )
        entries = [
            _entry(item, f"baseline {path}: entries[{i}]") for i, item in enumerate(data["entries"])
        ]
        as_of = data.get("as_of")
        return cls(entries=entries, as_of=as_of if isinstance(as_of, str) else None)

    @classmethod
    def from_results(
        cls,
        results: Iterable[ListingResult],
        reason: str,
        until: dt.date | None = None,
        as_of: str | None = None,
    ) -> Baseline:
        """A baseline recording every finding of ``results``."""
        entries = []
        for listing in results:
            for finding, fp in zip(listing.findings, fingerprints(listing), strict=True):
                entries.append(
                    BaselineEntry(
                        fingerprint=fp,
                        reason=reason,
                        until=until,
                        rule=finding.rule,
                        package=package_key(listing.package),
                        file=finding.location.file or "",
                        message=finding.message,
                    )
                )
        return cls(entries=entries, as_of=as_of)

    def dumps(self) -> str:
        """The baseline file's text (sorted, so rewriting it gives small diffs)."""
        entries = sorted(self.entries, key=lambda e: (e.package, e.file, e.rule, e.fingerprint))
        data: dict[str, Any] = {"baseline_version": BASELINE_VERSION}
        if self.as_of:
            data["as_of"] = self.as_of
        data["entries"] = [e.to_dict() for e in entries]
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    # -- applying ------------------------------------------------------------

    def apply(self, listing: ListingResult, as_of: dt.date) -> ListingResult:
        """Drop the findings this baseline suppresses on ``as_of``; returns
        ``listing`` with the rest. Each kept finding gets its ``fingerprint``
        attribute so formats number the remaining findings as in the full run."""
        by_fp = {e.fingerprint: e for e in self.entries}
        kept = []
        for finding, fp in zip(listing.findings, fingerprints(listing), strict=True):
            entry = by_fp.get(fp)
            if entry is not None:
                self.matched.add(fp)
                if entry.active(as_of):
                    self.suppressed += 1
                    continue
                self.expired_matches += 1
            # Keep the fingerprint of the full list: numbering must survive filtering.
            finding.fingerprint = fp
            kept.append(finding)
        listing.findings = kept
        return listing

    @property
    def stale(self) -> list[BaselineEntry]:
        """Entries that matched no finding in the run so far (fixed, or gone)."""
        return [e for e in self.entries if e.fingerprint not in self.matched]


@dataclass
class GatedSummary(Summary):
    """A :class:`Summary` that also reports what a baseline did (the optional
    ``suppressed`` and ``stale_baseline_entries`` fields of the report schema)."""

    suppressed: int = 0
    stale_baseline_entries: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["suppressed"] = self.suppressed
        data["stale_baseline_entries"] = self.stale_baseline_entries
        return data


def baseline_note(baseline: Baseline) -> str:
    """One line for the log: what the baseline suppressed and what went stale."""
    stale = len(baseline.stale)
    note = (
        f"baseline suppressed {baseline.suppressed} finding(s); "
        f"{stale} baseline entr{'y' if stale == 1 else 'ies'} no longer match anything"
    )
    expired = baseline.expired_matches
    if expired:
        note += f"; {expired} finding(s) resurfaced because their entry expired"
    return note


def _entry(item: Any, where: str) -> BaselineEntry:
    if not isinstance(item, dict):
        raise BaselineError(f"{where}: expected an object")
    fp = item.get("fingerprint")
    if not isinstance(fp, str) or not fp:
        raise BaselineError(f"{where}: 'fingerprint' must be a non-empty string")
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise BaselineError(f"{where}: every entry needs a 'reason'")
    until = item.get("until")
    until_date = None
    if until is not None:
        try:
            until_date = dt.date.fromisoformat(str(until))
        except ValueError:
            raise BaselineError(f"{where}: 'until' {until!r} is not a date (YYYY-MM-DD)") from None
    texts = {}
    for key in ("rule", "package", "file", "message"):
        value = item.get(key)
        texts[key] = value if isinstance(value, str) else ""
    return BaselineEntry(fingerprint=fp, reason=reason, until=until_date, **texts)
