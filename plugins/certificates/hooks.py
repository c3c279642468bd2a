"""The certificates plugin's hook implementations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from listguard import Finding, Location, Rule, hookimpl
from listguard.context import CheckContext, DocumentRef
from listguard.i18n import msg

from .checks import OWN_TYPES, Policy, Target, Verdict, judge_certificate
from .extract import UnreadablePdf, extract_certificate
from .rules import RULES

OPTIONS: dict[str, Any] = {
    # CERT004: maximum age of EN 71 / IEC 62471 test reports, in days.
    "report-max-age-days": 365,
    "quarterly-max-age-days": 92,
    "quarterly-categories": ["toy", "lighting"],
}


@hookimpl
def listguard_register_rules() -> list[Rule]:
    return list(RULES)


@hookimpl
def listguard_plugin_options() -> dict[str, Any]:
    return dict(OPTIONS)


def _policy(ctx: CheckContext) -> Policy:
    options = {**OPTIONS, **ctx.options}
    category = ctx.manifest.get("category")
    return Policy(
        as_of=ctx.as_of,
        warning_days=ctx.config.warning_days,
        category=category if isinstance(category, str) else None,
        model=ctx.model,
        report_max_age_days=int(options["report-max-age-days"]),
        quarterly_max_age_days=int(options["quarterly-max-age-days"]),
        quarterly_categories=tuple(options["quarterly-categories"]),
    )


@hookimpl
def listguard_check_document(ctx: CheckContext, document: DocumentRef) -> Iterator[Finding]:
    if document.kind != "certificate" or document.type not in OWN_TYPES:
        return
    target = Target(document.entry, document.pointer, document.file)
    verdict = Verdict(kind="unknown", number=None, issued=None, expires=None, status="unknown")
    fields = None
    try:
        fields = extract_certificate(document.path)
    except UnreadablePdf as exc:
        yield Finding(
            "LG006",
            msg(
                "{file} cannot be decoded as a PDF ({error}); only the manifest was checked",
                file=document.file,
                error=str(exc),
            ),
            location=Location(file=document.file, pointer=f"{document.pointer}/file"),
            hint=msg("upload the complete, unmodified PDF"),
            evidence={"error": str(exc)},
        )
    if fields is not None and not fields.readable:
        why = (
            msg("needs a password")
            if fields.problem == "encrypted"
            else msg(
                "has no extractable text ({chars} characters on {pages} page(s); "
                "a scan or an image-only PDF)",
                chars=fields.text_chars,
                pages=fields.pages,
            )
        )
        yield Finding(
            "CERT007",
            msg(
                "{label}: {file} {why}, so its number, dates, standards and models could not "
                "be verified; expiry was judged from the manifest alone",
                label=target.label(),
                file=document.file,
                why=why,
            ),
            location=Location(file=document.file, pointer=document.pointer, page=1),
            hint=msg("upload the original text PDF without a password (or OCR the scan)"),
            evidence={
                "problem": fields.problem,
                "pages": fields.pages,
                "text_chars": fields.text_chars,
            },
        )
    if fields is not None:
        verdict.kind = fields.kind
    yield from judge_certificate(target, fields, _policy(ctx), verdict)
    ctx.add_fact(document.file, verdict.fact(target.type))


@hookimpl
def listguard_check_listing(ctx: CheckContext) -> Iterator[Finding]:
    entries = [e for e in ctx.manifest.get("certificates") or [] if isinstance(e, dict)]
    present = {e.get("type") for e in entries}
    for cert_type in ctx.config.required_certificates_for(ctx.manifest):
        if cert_type in present:
            continue
        yield Finding(
            "CERT001",
            msg(
                "no {type} certificate, which a {category} listing sold in {markets} requires",
                type=cert_type,
                category=str(ctx.manifest.get("category")),
                markets=", ".join(ctx.manifest.get("markets") or []),
            ),
            location=Location(pointer="/certificates"),
            hint=msg(
                "add the {type} certificate to `certificates` and upload its PDF", type=cert_type
            ),
            evidence={
                "required": ctx.config.required_certificates_for(ctx.manifest),
                "present": sorted(t for t in present if isinstance(t, str)),
            },
        )
    # Entries whose file never reached the document hook (missing, outside the
    # package, not a PDF: the host reported why) are judged on the manifest alone.
    checked = {d.pointer for d in ctx.documents if d.kind == "certificate"}
    policy = _policy(ctx)
    for index, entry in enumerate(ctx.manifest.get("certificates") or []):
        pointer = f"/certificates/{index}"
        if not isinstance(entry, dict) or entry.get("type") not in OWN_TYPES or pointer in checked:
            continue
        file = entry.get("file") if isinstance(entry.get("file"), str) else None
        verdict = Verdict(kind="unknown", number=None, issued=None, expires=None, status="unknown")
        yield from judge_certificate(Target(entry, pointer, file), None, policy, verdict)
        ctx.add_fact(file or pointer, verdict.fact(str(entry.get("type"))))
