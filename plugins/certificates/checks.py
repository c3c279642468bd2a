"""Judging one certificate: the manifest entry against what its PDF says.

:func:`judge_certificate` is the whole per-document decision, shared by the
document hook (PDF read) and the listing hook (the file never reached the
document hook, so the manifest is all there is).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from listguard import Finding, Location
from listguard.i18n import msg

from .annex3 import missing_elements
from .extract import (
    CertificateFields,
    Field,
    cfr_parts,
    normalize_standard,
    split_corrigenda,
    standard_key,
)
from .fccid import fcc_id_problem

#: The certificate types this plugin owns; other types belong to other plugins.
OWN_TYPES = frozenset({"CE", "FCC", "EN71", "IEC62471"})
#: Types whose documents are test reports with a maximum age (CERT004).
TEST_REPORT_TYPES = frozenset({"EN71", "IEC62471"})
#: Document kinds that have no expiry by law.
NO_EXPIRY_KINDS = frozenset({"ce-doc", "fcc-grant", "fcc-sdoc"})

# Document kinds that cannot be the declared type (a CE entry holding an FCC grant).
_WRONG_KINDS = {
    "CE": {"fcc-grant", "fcc-sdoc", "fcc-test-report"},
    "FCC": {"ce-doc", "eu-type-examination", "en71-report", "iec62471-report"},
    "EN71": {
        "fcc-grant",
        "fcc-sdoc",
        "fcc-test-report",
        "ce-doc",
        "eu-type-examination",
        "iec62471-report",
    },
    "IEC62471": {
        "fcc-grant",
        "fcc-sdoc",
        "fcc-test-report",
        "ce-doc",
        "eu-type-examination",
        "en71-report",
    },
}

_KIND_NAMES = {
    "ce-doc": msg("an EU declaration of conformity"),
    "eu-type-examination": msg("an EU-type examination certificate"),
    "fcc-grant": msg("an FCC grant"),
    "fcc-sdoc": msg("an FCC supplier's declaration of conformity"),
    "fcc-test-report": msg("an FCC test report"),
    "en71-report": msg("an EN 71 test report"),
    "iec62471-report": msg("an IEC 62471 test report"),
    "test-report": msg("a test report"),
    "certificate": msg("a certificate"),
    "unknown": msg("a document of unknown kind"),
}


@dataclass(frozen=True)
class Target:
    """The certificate being judged: its manifest entry and where it lives."""

    entry: Mapping[str, Any]
    pointer: str
    file: str | None

    @property
    def type(self) -> str:
        return str(self.entry.get("type", ""))

    @property
    def number(self) -> str:
        return str(self.entry.get("number", ""))

    def label(self) -> str:
        if not self.number:
            return msg("{type} certificate", type=self.type)
        return msg("{type} certificate {number}", type=self.type, number=self.number)

    def date(self, key: str) -> dt.date | None:
        value = self.entry.get(key)
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def location(self, key: str | None = None, source: Field | None = None) -> Location:
        pointer = f"{self.pointer}/{key}" if key else self.pointer
        if source is None:
            return Location(file=self.file, pointer=pointer)
        return Location(file=self.file, pointer=pointer, page=source.page, bbox=source.bbox)


@dataclass(frozen=True)
class Policy:
    """What the checks need from the context and the plugin's options."""

    as_of: dt.date
    warning_days: int
    category: str | None
    model: str | None
    report_max_age_days: int
    quarterly_max_age_days: int
    quarterly_categories: tuple[str, ...]

    def max_report_age(self) -> int:
        if self.category in self.quarterly_categories:
            return self.quarterly_max_age_days
        return self.report_max_age_days


@dataclass
class Verdict:
    """The facts a judged certificate leaves for the report."""

    kind: str
    number: str | None
    issued: dt.date | None
    expires: dt.date | None
    status: str

    def fact(self, cert_type: str) -> dict[str, Any]:
        return {
            "type": cert_type,
            "kind": self.kind,
            "number": self.number,
            "issued": self.issued.isoformat() if self.issued else None,
            "expires": self.expires.isoformat() if self.expires else None,
            "status": self.status,
        }


def squash(text: str) -> str:
    """Upper case without spaces, dashes, dots and slashes, for tolerant comparison."""
    return re.sub(r"[\s\-_./]", "", text).upper()


def judge_certificate(
    target: Target, fields: CertificateFields | None, policy: Policy, verdict: Verdict
) -> Iterator[Finding]:
    """Every finding for one certificate. ``fields`` is ``None`` or unreadable when
    the PDF could not be read; the manifest is then judged on its own.
    ``verdict`` is filled in for the report's facts."""
    readable = fields is not None and fields.readable
    if readable:
        assert fields is not None
        yield from _kind(target, fields)
        yield from _number(target, fields)
        yield from _standards(target, fields)
        yield from _models(target, fields, policy)
        if target.type == "CE" and fields.kind == "ce-doc":
            yield from _annex3(target, fields)
        if fields.kind.startswith("fcc") or target.type == "FCC":
            for fcc in fields.fcc_ids:
                yield from _fcc_id(target, fcc.value, target.location("number", fcc), fcc)
    if target.type == "FCC" and not (
        readable and fields and fields.kind in ("fcc-test-report", "fcc-sdoc")
    ):
        # The manifest number of an FCC grant is its FCC ID (a test report's or a
        # supplier's declaration's is not).
        pdf_ids = {squash(f.value) for f in fields.fcc_ids} if readable and fields else set()
        if squash(target.number) not in pdf_ids or not pdf_ids:
            yield from _fcc_id(target, target.number, target.location("number"), None)
    issued, issued_findings = _resolve_date(target, fields if readable else None, "issued")
    yield from issued_findings
    expires, expiry_findings = _resolve_date(target, fields if readable else None, "expires")
    yield from expiry_findings
    verdict.number = (
        fields.number.value if readable and fields and fields.number else None
    ) or target.number
    verdict.issued = issued[0] if issued else None
    verdict.expires = expires[0] if expires else None
    verdict.status = "valid" if readable else "unknown"
    if expires:
        yield from _expiry(target, expires, policy, verdict)
    elif (
        readable
        and fields
        and fields.kind not in NO_EXPIRY_KINDS
        and target.type not in ("CE", "FCC")
    ):
        verdict.status = "valid"
    if target.type in TEST_REPORT_TYPES and issued:
        yield from _report_age(target, issued, policy, verdict)


# A resolved date: (date, the PDF field it came from or None, how it was chosen)
Resolved = tuple[dt.date, Field | None, str]


def _resolve_date(
    target: Target, fields: CertificateFields | None, key: str
) -> tuple[Resolved | None, list[Finding]]:
    """The date to judge by: the PDF's when it states one, else the manifest's; when they
    disagree, a CERT005 and the earlier of the two (never the more lenient one)."""
    manifest = target.date(key)
    source = getattr(fields, key) if fields is not None else None
    word = msg("issue date") if key == "issued" else msg("expiry date")
    findings: list[Finding] = []
    if source is None:
        if manifest is None:
            return None, findings
        return (manifest, None, "manifest"), findings
    if source.ambiguous:
        readings = ", ".join(c.isoformat() for c in source.candidates)
        if manifest is not None and manifest in source.candidates:
            return (manifest, source, "manifest-resolved"), findings
        earliest = min(source.candidates)
        judged = min(earliest, manifest or earliest).isoformat()
        args = {"label": target.label(), "word": word, "quote": source.quote()}
        findings.append(
            Finding(
                "CERT005",
                msg(
                    "{label}: the PDF's {word} {quote} is ambiguous (day/month order: "
                    "{readings}) and matches neither reading of the manifest's {manifest}; "
                    "judged by {judged}",
                    **args,
                    readings=readings,
                    manifest=manifest.isoformat(),
                    judged=judged,
                )
                if manifest
                else msg(
                    "{label}: the PDF's {word} {quote} is ambiguous (day/month order: "
                    "{readings}); judged by {judged}",
                    **args,
                    readings=readings,
                    judged=judged,
                ),
                location=target.location(key, source),
                hint=msg(
                    "state the {word} unambiguously (ISO 8601, or the month in words)", word=word
                ),
                evidence={
                    "pdf": source.to_dict(),
                    "manifest": manifest.isoformat() if manifest else None,
                },
            )
        )
        return (min(earliest, manifest or earliest), source, "ambiguous"), findings
    value: dt.date = source.value
    if manifest is not None and manifest != value:
        findings.append(
            Finding(
                "CERT005",
                msg(
                    "{label}: the manifest's {word} is {manifest} but the PDF says {pdf}: {quote}",
                    label=target.label(),
                    word=word,
                    manifest=manifest.isoformat(),
                    pdf=value.isoformat(),
                    quote=source.quote(),
                ),
                location=target.location(key, source),
                hint=msg(
                    "correct `{key}` in the manifest, or upload the matching document", key=key
                ),
                evidence={"pdf": source.to_dict(), "manifest": manifest.isoformat()},
            )
        )
        if key == "expires":
            return (min(manifest, value), source, "earlier"), findings
        return (min(manifest, value), source, "earlier"), findings
    return (value, source, "pdf"), findings


def _cite(resolved: Resolved) -> str:
    _, source, how = resolved
    if source is None:
        return msg("(manifest)")
    if how == "earlier":
        return msg("(the earlier of the manifest's and the PDF's {quote})", quote=source.quote())
    return source.quote()


def _expiry(
    target: Target, expires: Resolved, policy: Policy, verdict: Verdict
) -> Iterator[Finding]:
    date, source, _ = expires
    evidence: dict[str, Any] = {"expires": date.isoformat(), "as_of": policy.as_of.isoformat()}
    if source is not None:
        evidence["pdf"] = source.to_dict()
    if date < policy.as_of:
        verdict.status = "expired"
        yield Finding(
            "CERT002",
            msg(
                "{label} expired on {date} {source}",
                label=target.label(),
                date=date.isoformat(),
                source=_cite(expires),
            ),
            location=target.location("expires", source),
            hint=msg("upload the renewed certificate and update number, issued and expires"),
            evidence=evidence,
        )
    elif (date - policy.as_of).days <= policy.warning_days:
        verdict.status = "expiring"
        days = (date - policy.as_of).days
        yield Finding(
            "CERT003",
            msg(
                "{label} expires on {date}, in {days} days {source}",
                label=target.label(),
                date=date.isoformat(),
                days=days,
                source=_cite(expires),
            ),
            location=target.location("expires", source),
            hint=msg("start the renewal now"),
            evidence={**evidence, "days_left": days, "warning_days": policy.warning_days},
        )
    else:
        verdict.status = "valid"


def _report_age(
    target: Target, issued: Resolved, policy: Policy, verdict: Verdict
) -> Iterator[Finding]:
    date, source, _ = issued
    age = (policy.as_of - date).days
    limit = policy.max_report_age()
    if age > limit:
        verdict.status = "expired"
        category = policy.category or msg("this category")
        yield Finding(
            "CERT004",
            msg(
                "{label} was issued on {date}, {age} days ago; {category} test reports may be "
                "at most {limit} days old {source}",
                label=target.label(),
                date=date.isoformat(),
                age=age,
                category=category,
                limit=limit,
                source=_cite(issued),
            ),
            location=target.location("issued", source),
            hint=msg("have current production retested and upload the new report"),
            evidence={
                "issued": date.isoformat(),
                "age_days": age,
                "max_age_days": limit,
                "as_of": policy.as_of.isoformat(),
            },
        )


def _kind(target: Target, fields: CertificateFields) -> Iterator[Finding]:
    if fields.kind in _WRONG_KINDS.get(target.type, set()):
        source = fields.kind_field
        quote = msg(": {quote}", quote=source.quote()) if source else ""
        yield Finding(
            "CERT005",
            msg(
                "{label}: the file is {kind}, not a {type} document{quote}",
                label=target.label(),
                kind=_KIND_NAMES[fields.kind],
                type=target.type,
                quote=quote,
            ),
            location=target.location("type", source),
            hint=msg("upload the right document for this entry, or correct its type"),
            evidence={"kind": fields.kind, "type": target.type},
        )


def _number(target: Target, fields: CertificateFields) -> Iterator[Finding]:
    if not target.number or fields.find(target.number) is not None:
        return
    shown = fields.number
    if shown is None and fields.fcc_ids and target.type == "FCC":
        shown = fields.fcc_ids[0]
    if shown is None:
        return  # the PDF shows no number to contradict the manifest's
    yield Finding(
        "CERT005",
        msg(
            "{label}: the PDF's number is {pdf}, not {manifest}: {quote}",
            label=target.label(),
            pdf=shown.value,
            manifest=target.number,
            quote=shown.quote(),
        ),
        location=target.location("number", shown),
        hint=msg("upload the document with this number, or correct `number` in the manifest"),
        evidence={"pdf": shown.to_dict(), "manifest": target.number},
    )


def _standards(target: Target, fields: CertificateFields) -> Iterator[Finding]:
    cited: dict[str, list[Field]] = {}
    exact = set()
    without_ac = set()  # (base, edition) with corrigenda left out
    for f in fields.standards:
        base, edition = standard_key(f.value)
        cited.setdefault(base, []).append(f)
        exact.add((base, edition))
        without_ac.add((base, split_corrigenda(edition)[0]))
    parts = cfr_parts(fields.text)
    text = squash(fields.text)
    for index, declared in enumerate(target.entry.get("standards") or []):
        if not isinstance(declared, str):
            continue
        declared_parts = cfr_parts(declared)
        if declared_parts:
            # FCC rule parts: a grant lists them in a table ("15C"), a report in prose.
            if declared_parts & parts or all(
                re.search(rf"(?<![0-9]){p}(?![0-9])", fields.text) for p in declared_parts
            ):
                continue
            yield _standard_finding(target, index, declared, [], fields)
            continue
        base, edition = standard_key(declared)
        if (base, edition) in exact or (not edition and base in cited):
            continue
        if (base, split_corrigenda(edition)[0]) in without_ac:
            continue  # the same edition, one side also citing a corrigendum (AC)
        if squash(normalize_standard(declared)) in text:
            continue  # cited whole, but wrapped across lines or table cells
        yield _standard_finding(target, index, declared, cited.get(base, []), fields)


def _standard_finding(
    target: Target, index: int, declared: str, same_base: list[Field], fields: CertificateFields
) -> Finding:
    if same_base:
        shown = same_base[0]
        editions = ", ".join(f.value for f in same_base)
        message = msg(
            "{label}: the manifest cites {declared} but the PDF cites {editions}: {quote}",
            label=target.label(),
            declared=declared,
            editions=editions,
            quote=shown.quote(),
        )
        location = target.location(f"standards/{index}", shown)
    else:
        message = msg(
            "{label}: the manifest cites {declared}, which the PDF does not cite",
            label=target.label(),
            declared=declared,
        )
        location = target.location(f"standards/{index}")
        location.page = 1
    return Finding(
        "CERT005",
        message,
        location=location,
        hint=msg("list only the standards (and editions) the document itself cites"),
        evidence={
            "manifest": declared,
            "pdf": [f.value for f in fields.standards][:40],
            # Corrigenda are left out of the comparison; shown so a reader sees why
            # "+AC:2015" alone was not the difference.
            "corrigenda_ignored": sorted(
                {ac for f in same_base for ac in split_corrigenda(standard_key(f.value)[1])[1]}
                | set(split_corrigenda(standard_key(declared)[1])[1])
            ),
        },
    )


def _models(target: Target, fields: CertificateFields, policy: Policy) -> Iterator[Finding]:
    models = [m for m in (target.entry.get("models") or [policy.model]) if isinstance(m, str) and m]
    listed = ", ".join(fields.model_values()[:10])
    for model in models:
        if fields.find(model) is not None:
            continue
        shown = fields.models[0] if fields.models else None
        message = (
            msg(
                "{label} does not mention model {model}; it covers {listed}: {quote}",
                label=target.label(),
                model=model,
                listed=listed,
                quote=shown.quote(),
            )
            if shown
            else msg(
                "{label} does not mention model {model} on any of its {pages} pages",
                label=target.label(),
                model=model,
                pages=fields.pages,
            )
        )
        yield Finding(
            "CERT006",
            message,
            location=target.location("models" if target.entry.get("models") else None, shown)
            if shown
            else Location(file=target.file, pointer=target.pointer, page=1),
            hint=msg("upload the certificate issued for this model, or have the model added to it"),
            evidence={"model": model, "pdf_models": fields.model_values()[:20]},
        )


def _annex3(target: Target, fields: CertificateFields) -> Iterator[Finding]:
    for element in missing_elements(fields):
        yield Finding(
            "CERT008",
            msg(
                "{label}: the declaration of conformity lacks the {element} "
                "(Decision 768/2008/EC Annex III) in its {pages} page(s) of text",
                label=target.label(),
                element=element.title,
                pages=fields.pages,
            ),
            location=Location(file=target.file, pointer=target.pointer, page=1),
            hint=msg("reissue the declaration following the Annex III model"),
            evidence={
                "element": element.key,
                "kind": fields.kind,
                **(
                    {"issued": fields.issued.value.isoformat()}
                    if element.key == "place-date"
                    and fields.issued is not None
                    and isinstance(fields.issued.value, dt.date)
                    else {}
                ),
            },
        )


def _fcc_id(
    target: Target, value: str, location: Location, source: Field | None
) -> Iterator[Finding]:
    problem = fcc_id_problem(value)
    if problem is None:
        return
    where = msg(": {quote}", quote=source.quote()) if source else msg(" (manifest)")
    yield Finding(
        "CERT009",
        msg(
            "FCC ID {value!r} is malformed: {problem}{where}",
            value=value,
            problem=problem,
            where=where,
        ),
        location=location,
        hint=msg(
            "an FCC ID is a 3- or 5-character grantee code and a product code of up to 14 "
            "characters, as printed on the grant"
        ),
        evidence={"fcc_id": value, "problem": problem},
    )
