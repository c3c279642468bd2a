"""Validate a manifest and resolve the files it references.

Every schema violation is its own ``LG002`` finding with its JSON pointer. Each
referenced path is confined to the package (``LG004``), must exist (``LG003``)
and must be what its extension says (``LG006``); only files that pass reach the
plugins' per-file hooks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .context import DocumentRef, ImageRef
from .i18n import msg
from .jsonschemas import load_schema, pointer, schema_validator
from .model import Finding, Location
from .package import MANIFEST_NAME, Package, UnsafePathError, is_regular_file, os_reason, reason_of
from .sniff import IMAGE_KINDS, expected_kind, matches_extension, sniff_file

_IMAGE_EXTENSIONS = frozenset({"jpeg", "png", "webp"})


def manifest_schema(sections: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The listing schema, extended with plugins' ``x-`` sections."""
    schema = load_schema("listing")
    for key, fragment in sorted((sections or {}).items()):
        schema["properties"][key] = fragment
    return schema


#: Validators already built, by the JSON text of the plugins' sections (at most a
#: few per process: one host, one set of sections).
_VALIDATORS: dict[str, Any] = {}


def manifest_validator(sections: dict[str, dict[str, Any]] | None = None) -> Any:
    """The validator of :func:`manifest_schema` for ``sections``, built once per
    process: parsing the schema and building a validator (its reference resolver,
    its format checker) for every package cost more than validating one."""
    # The key keeps the sections' key order, which is the schema's and so the
    # order errors are found in: equal keys mean an identical schema.
    # ``default=repr``: a plugin's section may hold what JSON cannot (a set, say),
    # which jsonschema accepts; the key must not be what fails.
    key = json.dumps(sections or {}, default=repr)
    validator = _VALIDATORS.get(key)
    if validator is None:
        validator = _VALIDATORS[key] = schema_validator(manifest_schema(sections))
    return validator


def validate_manifest(
    manifest: Any, sections: dict[str, dict[str, Any]] | None = None
) -> list[Finding]:
    """One ``LG002`` finding per schema violation, sorted by pointer."""
    validator = manifest_validator(sections)
    try:
        errors = [(pointer(list(e.absolute_path)), e) for e in validator.iter_errors(manifest)]
    except RecursionError:  # nesting deeper than the validator can follow
        return [
            _schema_finding(
                "", msg("the manifest is nested too deeply to be validated"), "recursion"
            )
        ]
    # A wrong value under an item that `contains` also rejects (a misspelt role)
    # is reported once, at the value.
    enum_under = {
        where for where, e in errors if e.validator in ("enum", "const") and where.count("/") > 1
    }
    findings = []
    for where, error in errors:
        validator_name = str(error.validator)
        if validator_name == "additionalProperties" and isinstance(error.instance, dict):
            for key in _unknown_keys(error.instance, error.schema):
                key_where = pointer([*error.absolute_path, key])
                message = (
                    msg("unknown key {key!r}: only x- keys may be added", key=key)
                    if not where
                    else msg("{where}: unknown key {key!r}", where=where, key=key)
                )
                findings.append(_schema_finding(key_where, message, validator_name))
            continue
        if validator_name == "contains":
            if any(w.startswith(where + "/") for w in enum_under):
                continue
            if where == "/images":
                message = msg("/images: needs at least one image with role 'main'")
                findings.append(_schema_finding(where, message, validator_name))
                continue
        message = msg("{where}: {error}", where=where or msg("the manifest"), error=error.message)
        findings.append(_schema_finding(where, message, validator_name))
    findings.sort(key=lambda f: (f.location.pointer or "", f.message))
    return findings


def _schema_finding(where: str, message: str, validator: str) -> Finding:
    return Finding(
        "LG002",
        message,
        location=Location(file=MANIFEST_NAME, pointer=where or None),
        hint=msg("see `listguard schema listing` for the manifest format"),
        evidence={"validator": validator},
    )


def _unknown_keys(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """The keys of ``instance`` that ``additionalProperties: false`` rejects."""
    known = schema.get("properties", {})
    patterns = schema.get("patternProperties", {})
    return sorted(
        key for key in instance if key not in known and not any(re.search(p, key) for p in patterns)
    )


@dataclass
class References:
    """The manifest's files that reached the per-file hooks, and the findings for
    those that did not."""

    images: list[ImageRef] = field(default_factory=list)
    documents: list[DocumentRef] = field(default_factory=list)
    detail_page: Path | None = None
    findings: list[Finding] = field(default_factory=list)


def resolve_references(package: Package, manifest: dict[str, Any]) -> References:
    """Resolve, confine and sniff every file the manifest names."""
    refs = References()
    # This also runs on a manifest that failed the schema (to report missing
    # files all at once), so every field may have any JSON type.
    for index, entry in _entries(manifest, "images"):
        where = f"/images/{index}/file"
        path, kind = _check_file(package, entry.get("file"), where, refs.findings, "image")
        if path is not None and kind is not None:
            role = entry.get("role")
            refs.images.append(
                ImageRef(
                    file=entry["file"],
                    role=role if isinstance(role, str) else "gallery",
                    path=path,
                    pointer=f"/images/{index}",
                    kind=kind,
                )
            )
    for section, kind_name in (("manuals", "manual"), ("certificates", "certificate")):
        for index, entry in _entries(manifest, section):
            where = f"/{section}/{index}/file"
            path, kind = _check_file(package, entry.get("file"), where, refs.findings, "pdf")
            if path is not None and kind is not None:
                refs.documents.append(
                    DocumentRef(
                        kind=kind_name,
                        file=entry["file"],
                        path=path,
                        pointer=f"/{section}/{index}",
                        entry=entry,
                    )
                )
    if "detail_page" in manifest:
        path, _ = _check_file(
            package, manifest["detail_page"], "/detail_page", refs.findings, "html"
        )
        refs.detail_page = path
    return refs


def _entries(manifest: dict[str, Any], section: str) -> list[tuple[int, dict[str, Any]]]:
    """The object entries of the array ``section``, with their indexes; anything
    else is left to the schema's findings."""
    value = manifest.get(section)
    if not isinstance(value, list):
        return []
    return [(index, entry) for index, entry in enumerate(value) if isinstance(entry, dict)]


def _not_read(relative: str, reason: str, location: Location) -> Finding:
    """The ``LG004`` for a manifest path that was refused and never followed."""
    return Finding(
        "LG004",
        msg("{file!r} {reason}; it was not read", file=_shown(relative), reason=reason),
        location=location,
        hint=msg("use a path inside the package, relative to its root"),
    )


def _check_file(
    package: Package, relative: Any, where: str, findings: list[Finding], wanted: str
) -> tuple[Path | None, str | None]:
    if not isinstance(relative, str):
        return None, None
    location = Location(file=relative, pointer=where)
    try:
        path = package.resolve(relative)
    except UnsafePathError as exc:
        findings.append(_not_read(relative, reason_of(exc), location))
        return None, None
    try:
        regular = is_regular_file(path)
    except OSError as exc:
        findings.append(_not_read(relative, os_reason(exc), location))
        return None, None
    if regular is False and not path.is_dir():
        # A FIFO, device or socket: never opened (opening a FIFO blocks).
        findings.append(
            Finding(
                "LG006",
                msg("{file} is not a regular file; it was not read", file=relative),
                location=location,
                hint=msg("upload the real file, saved in the format its name says"),
            )
        )
        return None, None
    if not regular:
        findings.append(
            Finding(
                "LG003",
                msg("{file} is named in the manifest but is not in the package", file=relative),
                location=location,
                hint=msg("add the file, or correct the path (paths are case-sensitive)"),
            )
        )
        return None, None
    try:
        kind = sniff_file(path)
    except OSError as exc:
        findings.append(
            Finding(
                "LG006",
                msg(
                    "{file} cannot be read: {error}",
                    file=relative,
                    error=exc.strerror or type(exc).__name__,
                ),
                location=location,
            )
        )
        return None, None
    problem = _type_problem(relative, kind, wanted)
    if problem:
        findings.append(
            Finding(
                "LG006",
                problem,
                location=location,
                hint=msg("upload the real file, saved in the format its name says"),
                evidence={"content": kind, "extension": expected_kind(relative)},
            )
        )
        return None, None
    return path, kind


#: Longer paths are shortened in messages (the location keeps the whole path).
_MAX_SHOWN = 120


def _shown(relative: str) -> str:
    """``relative`` for a message: a path of thousands of characters is cut in
    the middle, so that the finding stays readable."""
    if len(relative) <= _MAX_SHOWN:
        return relative
    return f"{relative[:60]}…{relative[-40:]}"


def _type_problem(relative: str, kind: str, wanted: str) -> str | None:
    expected = expected_kind(relative)
    if kind == "empty":
        return msg("{file} is empty", file=relative)
    if not matches_extension(relative, kind):
        return msg(
            "{file} is named .{extension} but its content is {kind}",
            file=relative,
            extension=Path(relative).suffix.lstrip("."),
            kind=kind,
        )
    if wanted == "image" and kind not in IMAGE_KINDS:
        return msg(
            "{file} is not an image (JPEG, PNG or WebP); its content is {kind}",
            file=relative,
            kind=kind,
        )
    if wanted == "image" and expected is not None and expected not in _IMAGE_EXTENSIONS:
        return msg(
            "{file} has the extension of a {expected}, not of an image",
            file=relative,
            expected=expected,
        )
    if wanted == "pdf" and kind != "pdf":
        return msg("{file} is not a PDF; its content is {kind}", file=relative, kind=kind)
    if wanted == "html" and kind not in ("html", "text"):
        return msg("{file} is not an HTML page; its content is {kind}", file=relative, kind=kind)
    return None
