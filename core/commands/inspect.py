"""``listguard inspect FILE...``: show what listguard read from a file.

The readings are the plugins' own extractions — the certificates plugin's
``extract_certificate``, the manuals plugin's ``analyse_manual``, the watermark
plugin's ``analyse_image`` — so what ``inspect`` shows is exactly what ``check``
decides on. The JSON shape is ``schemas/inspect.schema.json``.

Exit status: 0 when every file was read, 2 when one could not be (it is still
listed, with the reason), or on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from . import UsageError

KINDS = ("certificate", "manual", "image")
INSPECT_VERSION = "1"


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "inspect",
        help="show what listguard reads from a certificate, manual or image",
        description="Show every field listguard extracts from certificate PDFs, the languages "
        "and model codes it finds in manuals, and the watermark and official-asset match of "
        "images — the same readings the checks use.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", type=Path)
    parser.add_argument(
        "--kind", choices=KINDS, help="what the files are (default: guessed from the content)"
    )
    parser.add_argument(
        "--brand-kit", type=Path, metavar="DIR", help="brand kit, for images (watermark, assets)"
    )
    parser.add_argument(
        "--model", metavar="CODE", help="the listing's model code (manuals: is it mentioned?)"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    from ..brandkit import load_brand_kit

    kit = load_brand_kit(args.brand_kit) if args.brand_kit else None
    readings = [inspect_file(path, args.kind, kit, args.model) for path in args.files]
    if args.format == "json":
        document = {"inspect_version": INSPECT_VERSION, "files": readings}
        print(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        for reading in readings:
            print(render_text(reading))
    failed = [r for r in readings if r.get("error")]
    for reading in failed:
        print(f"listguard: error: {reading['file']}: {reading['error']}", file=sys.stderr)
    return 2 if failed else 0


def guess_kind(path: Path) -> str | None:
    """``image`` for JPEG/PNG/WebP content, ``certificate`` for a PDF that reads as
    one (a known document kind), ``manual`` for any other PDF; ``None`` otherwise."""
    return _guess(path)[0]


def _guess(path: Path) -> tuple[str | None, Any]:
    """The guessed kind, and the certificate extraction made to guess it (reused,
    so a PDF is read once), or ``None``."""
    from ..sniff import IMAGE_KINDS, sniff_file

    content = sniff_file(path)
    if content in IMAGE_KINDS:
        return "image", None
    if content != "pdf":
        return None, None
    from ..plugins.certificates import UnreadablePdf, extract_certificate

    try:
        fields = extract_certificate(path)
    except UnreadablePdf:
        return "certificate", None  # reported as unreadable below
    return ("certificate" if fields.kind != "unknown" else "manual"), fields


def inspect_file(path: Path, kind: str | None, kit: Any, model: str | None) -> dict[str, Any]:
    """The reading of one file (never raises for a bad file: ``error`` says why)."""
    reading: dict[str, Any] = {"file": str(path)}
    if not path.is_file():
        reading.update(kind=kind, error="no such file")
        return reading
    extracted = None
    try:
        if kind is None:
            kind, extracted = _guess(path)
    except OSError as exc:
        reading.update(kind=kind, error=f"cannot be read: {exc}")
        return reading
    reading["kind"] = kind
    if kind is None:
        reading["error"] = "neither a PDF nor an image (JPEG, PNG or WebP); use --kind"
    elif kind == "certificate":
        reading.update(_certificate(path, extracted))
    elif kind == "manual":
        reading.update(_manual(path, model))
    else:
        reading.update(_image(path, kit, model))
    return reading


def _certificate(path: Path, fields: Any = None) -> dict[str, Any]:
    from ..plugins.certificates import UnreadablePdf, extract_certificate
    from ..plugins.certificates.annex3 import ELEMENTS, missing_elements

    if fields is None:
        try:
            fields = extract_certificate(path)
        except UnreadablePdf as exc:
            return {"error": f"not a readable PDF ({exc})"}
    data = fields.to_dict()
    data.pop("file", None)
    data["text_layer"] = fields.readable
    if fields.readable and fields.kind == "ce-doc":
        missing = {e.key for e in missing_elements(fields)}
        data["annex_iii"] = {e.key: e.key not in missing for e in ELEMENTS}
    return {"certificate": data}


def _manual(path: Path, model: str | None) -> dict[str, Any]:
    from ..plugins.manuals import analyse_manual

    analysis = analyse_manual(path, models=[model] if model else [], file=str(path))
    data = analysis.to_dict()
    if analysis.status == "unreadable":
        return {"manual": data, "error": f"not a readable PDF ({analysis.error})"}
    return {"manual": data}


def _image(path: Path, kit: Any, model: str | None) -> dict[str, Any]:
    from ..plugins.watermark.analysis import AnalysisOptions, analyse_image
    from ..plugins.watermark.decode import ImageDecodeError

    try:
        analysis = analyse_image(path, kit, AnalysisOptions(), model)
    except ImageDecodeError as exc:
        return {"error": f"cannot be decoded ({exc})"}
    return {"image": analysis.to_dict()}


# -- text view -------------------------------------------------------------------


def _field_line(name: str, value: Any) -> str:
    if not value:
        return f"  {name:14} not found"
    if isinstance(value, list):
        items = [f"{v['value']} (p.{v['page']})" for v in value]
        return f"  {name:14} " + "; ".join(items)
    shown = value["value"]
    if shown is None and value.get("candidates"):
        shown = " or ".join(value["candidates"]) + " (ambiguous)"
    return f"  {name:14} {shown}   page {value['page']}: {value['text']!r}"


def render_text(reading: dict[str, Any]) -> str:
    """A reading for people."""
    head = f"{reading['file']}  [{reading.get('kind') or 'unknown'}]"
    if reading.get("error") and not reading.get("manual"):
        return f"{head}\n  error: {reading['error']}\n"
    lines = [head]
    if "certificate" in reading:
        cert = reading["certificate"]
        layer = "yes" if cert["text_layer"] else "no"
        problem = f" ({cert['problem']})" if cert["problem"] else ""
        lines.append(f"  {'pages':14} {cert['pages']}, text layer: {layer}{problem}")
        lines.append(f"  {'kind':14} {cert['kind']}")
        for name in ("number", "issued", "expires", "holder", "notified_body"):
            lines.append(_field_line(name, cert[name]))
        for name in ("standards", "directives", "models", "fcc_ids"):
            lines.append(_field_line(name, cert[name]))
        if "annex_iii" in cert:
            marks = ", ".join(f"{k} {'✓' if ok else '✗'}" for k, ok in cert["annex_iii"].items())
            lines.append(f"  {'Annex III':14} {marks}")
    elif "manual" in reading:
        manual = reading["manual"]
        lines.append(f"  {'pages':14} {manual['pages']}, text layer: "
                     f"{'yes' if manual['text'] else 'no'} ({manual['status']})")  # fmt: skip
        if not manual["languages"]:
            lines.append(f"  {'languages':14} none found")
        for code, cover in manual["languages"].items():
            first, last = cover["pages"][0], cover["pages"][-1]
            pages = f"page {first}" if first == last else f"pages {first}–{last}"
            lines.append(f"  {'language ' + code:14} {pages}, {cover['chars']:,} chars")
        lines.append(f"  {'models seen':14} {', '.join(manual['models_seen']) or 'none'}")
        if reading.get("error"):
            lines.append(f"  error: {reading['error']}")
    elif "image" in reading:
        image = reading["image"]
        lines.append(f"  {'size':14} {image['width']}×{image['height']}")
        mark = image.get("watermark")
        if mark:
            lines.append(f"  {'watermark':14} {'found' if mark['found'] else 'not found'}, "
                         f"score {mark['score']:.2f}, bbox {mark['bbox']}")  # fmt: skip
        asset = image.get("asset")
        if asset:
            lines.append(f"  {'nearest asset':14} {asset['id']} ({asset['model']}), "
                         f"{asset['distance']} bits")  # fmt: skip
        for rule, why in (image.get("unverified") or {}).items():
            lines.append(f"  {rule:14} not verified: {why}")
    return "\n".join(lines) + "\n"


__all__ = ["UsageError", "guess_kind", "inspect_file", "render_text"]
