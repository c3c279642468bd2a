"""The data that flows through listguard: rules, findings, listing results, the report.

Plugins build :class:`Finding` objects; the host fills in the severity (from the
rule's default and the configuration), the plugin name and the docs link, then
collects them into a :class:`ListingResult` per package and a :class:`Report`.
Everything here is plain data (picklable, JSON-serialisable through ``to_dict``)
so it can cross process boundaries and be cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .i18n import Text

RULE_CODE_RE = re.compile(r"^[A-Z]{2,5}[0-9]{3}$")
RULE_PREFIX_RE = re.compile(r"^[A-Z]{2,5}")


class Severity(StrEnum):
    """How serious a finding is; ``error`` fails a listing, ``warning`` warns."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class Status(StrEnum):
    """A listing's traffic light: red, yellow or green in every human format."""

    FAIL = "fail"
    WARN = "warn"
    PASS = "pass"


@dataclass(frozen=True)
class Rule:
    """A rule a plugin declares through ``listguard_register_rules``.

    ``code`` matches ``^[A-Z]{2,5}[0-9]{3}$`` and its letters are the plugin's
    prefix. ``name`` is a short kebab-case slug. The four documentation fields
    are the sections of the rule's docs page (``listguard rules CODE``):
    ``what`` (what it checks), ``why`` (why it matters, with its source),
    ``example`` (a failing example) and ``fix`` (how to fix it).
    """

    code: str
    name: str
    severity: Severity
    summary: str
    what: str = ""
    why: str = ""
    example: str = ""
    fix: str = ""
    plugin: str = ""

    @property
    def prefix(self) -> str:
        match = RULE_PREFIX_RE.match(self.code)
        return match.group(0) if match else self.code

    def docs_markdown(self) -> str:
        """The rule's documentation page as Markdown."""
        parts = [f"# {self.code} {self.name}", "", self.summary, ""]
        parts += [f"Default severity: **{self.severity.value}**. Plugin: `{self.plugin}`.", ""]
        for title, body in (
            ("What it checks", self.what),
            ("Why it matters", self.why),
            ("Example", self.example),
            ("How to fix", self.fix),
        ):
            parts += [f"## {title}", "", body.strip() or "(not documented)", ""]
        return "\n".join(parts).rstrip() + "\n"


@dataclass
class Location:
    """Where a finding points: a package-relative file, a JSON pointer into the
    manifest, a PDF page (1-based) and a bounding box ``[x, y, w, h]`` (image
    pixels, or PDF points from the page's top-left), or a line/column in a text file."""

    file: str | None = None
    pointer: str | None = None
    page: int | None = None
    bbox: list[float] | None = None
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Location:
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})

    def describe(self) -> str:
        """Where, for people: ``file p.2``, ``file:10:7`` or ``file (/json/pointer)``;
        every human report format writes locations this one way."""
        text = self.file or ""
        if self.page:
            text += f" p.{self.page}"
        elif self.line:
            text += f":{self.line}" + (f":{self.column}" if self.column else "")
        elif self.pointer:
            text += f" ({self.pointer})" if text else self.pointer
        return text

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.file or "",
            self.pointer or "",
            self.page or 0,
            self.line or 0,
            self.column or 0,
        )


@dataclass
class Finding:
    """One problem found in one listing package.

    A plugin sets ``rule`` and ``message`` (and usually ``location``, ``hint``
    and ``evidence``); ``severity`` left as ``None`` takes the rule's default,
    and ``plugin`` / ``docs`` are filled in by the host. ``evidence`` is
    JSON-serialisable data that shows why the rule decided as it did (a
    match score, a bounding box, the text a date was read from).
    """

    rule: str
    #: A :class:`~listguard.i18n.Text` (from ``msg(...)``) can be translated.
    message: str
    severity: Severity | None = None
    plugin: str = ""
    location: Location = field(default_factory=Location)
    hint: str | None = None
    docs: str | None = None
    evidence: dict[str, Any] | None = None
    #: Stable identity across runs (set by the host; see ``listguard.baseline``).
    fingerprint: str | None = None

    def to_dict(self, internal: bool = False) -> dict[str, Any]:
        """The finding as report JSON; ``internal=True`` (the result cache) adds
        ``l10n``, the message and hint templates, so a cached finding can still
        be rendered in any language (see :mod:`listguard.i18n`)."""
        data: dict[str, Any] = {
            "rule": self.rule,
            "severity": (self.severity or Severity.ERROR).value,
            "plugin": self.plugin,
            "message": self.message,
            "location": self.location.to_dict(),
        }
        if self.hint:
            data["hint"] = self.hint
        if self.docs:
            data["docs"] = self.docs
        if self.evidence:
            data["evidence"] = self.evidence
        if self.fingerprint:
            data["fingerprint"] = self.fingerprint
        if internal:
            l10n = {
                key: value.to_l10n()
                for key, value in (("message", self.message), ("hint", self.hint))
                if isinstance(value, Text)
            }
            if l10n:
                data["l10n"] = l10n
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        l10n = data.get("l10n") or {}
        hint = data.get("hint")
        return cls(
            rule=data["rule"],
            message=Text.from_l10n(l10n["message"]) if "message" in l10n else data["message"],
            severity=Severity(data["severity"]),
            plugin=data.get("plugin", ""),
            location=Location.from_dict(data.get("location", {})),
            hint=Text.from_l10n(l10n["hint"]) if "hint" in l10n else hint,
            docs=data.get("docs"),
            evidence=data.get("evidence"),
            fingerprint=data.get("fingerprint"),
        )

    def sort_key(self) -> tuple[Any, ...]:
        return (*self.location.sort_key(), self.rule, self.message)


@dataclass
class ListingResult:
    """All findings for one package, plus what plugins recorded for reports."""

    package: str
    sku: str | None = None
    findings: list[Finding] = field(default_factory=list)
    # Per-plugin data for richer reports (watermark boxes, manual language
    # coverage, certificate dates): ``{plugin_name: {...}}``.
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> Status:
        severities = {f.severity for f in self.findings}
        if Severity.ERROR in severities:
            return Status.FAIL
        if Severity.WARNING in severities:
            return Status.WARN
        return Status.PASS

    def sort(self) -> None:
        self.findings.sort(key=Finding.sort_key)

    def to_dict(self, internal: bool = False) -> dict[str, Any]:
        """The listing as report JSON (``internal``: see :meth:`Finding.to_dict`)."""
        data: dict[str, Any] = {
            "package": self.package,
            "sku": self.sku,
            "status": self.status.value,
            "findings": [f.to_dict(internal) for f in self.findings],
        }
        if self.facts:
            data["facts"] = self.facts
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ListingResult:
        return cls(
            package=data["package"],
            sku=data.get("sku"),
            findings=[Finding.from_dict(f) for f in data.get("findings", [])],
            facts=data.get("facts", {}),
        )


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin as the report and ``listguard plugins`` show it."""

    name: str
    version: str
    rules: tuple[str, ...] = ()
    hooks: tuple[str, ...] = ()
    source: str = "builtin"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "rules": list(self.rules)}


@dataclass
class Summary:
    """Counts over all listings of a run; built incrementally so that a run over a
    huge catalog never needs every result in memory at once."""

    listings: int = 0
    passed: int = 0
    warned: int = 0
    failed: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0

    def add(self, result: ListingResult) -> None:
        self.listings += 1
        status = result.status
        if status is Status.PASS:
            self.passed += 1
        elif status is Status.WARN:
            self.warned += 1
        else:
            self.failed += 1
        for f in result.findings:
            if f.severity is Severity.ERROR:
                self.errors += 1
            elif f.severity is Severity.WARNING:
                self.warnings += 1
            else:
                self.infos += 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "listings": self.listings,
            "pass": self.passed,
            "warn": self.warned,
            "fail": self.failed,
            "findings": {"error": self.errors, "warning": self.warnings, "info": self.infos},
        }


@dataclass
class RunInfo:
    """What a report says about the run before any listing is known."""

    tool_version: str
    as_of: str
    plugins: list[PluginInfo]
    rules: list[Rule] = field(default_factory=list)

    def header(self) -> dict[str, Any]:
        return {
            "report_version": "1",
            "tool": {"name": "listguard", "version": self.tool_version},
            "plugins": [p.to_dict() for p in self.plugins],
            "as_of": self.as_of,
        }


@dataclass
class Report:
    """A whole run: what the JSON format writes (SPEC §4)."""

    run: RunInfo
    listings: list[ListingResult] = field(default_factory=list)

    @property
    def summary(self) -> Summary:
        summary = Summary()
        for listing in self.listings:
            summary.add(listing)
        return summary

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.run.header(),
            "listings": [listing.to_dict() for listing in self.listings],
            "summary": self.summary.to_dict(),
        }
