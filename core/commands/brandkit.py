"""``listguard brandkit build|verify``: make and check a brand kit's asset library.

``build IMAGES_DIR`` hashes the brand's official images (decoded exactly as the
watermark plugin decodes a listing's images) and writes the ``assets`` of
``brandkit.json``: the SPEC's 64-bit ``phash`` and, as an extra key the schema
allows, a finer ``signature`` (256-bit pHash and a 4×4 colour layout) that WM002
checks for the assets the 64-bit pHash shortlists, and the place of the
asset's watermark (``mark``, with the window round it), where WM001 looks
first in an image that matches the asset. ``verify DIR`` checks a kit before it
is used.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import UsageError

if TYPE_CHECKING:
    from ..plugins.watermark.matcher import Template

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")

BUILD_HELP = """\
Hash the official images in IMAGES_DIR and write them as the "assets" of the kit's
brandkit.json (each with its 64-bit "phash" and a finer "signature": a 256-bit
pHash and a 4×4 colour layout; kits without signatures are matched by the 64-bit
pHash alone, which confuses similar product shots on white). brandkit.json is
created if missing; its other keys are kept. Assets are keyed by id and sorted by
id, so the output is deterministic; ids in the mapping replace earlier entries,
other entries are kept unless --replace is given.

When the kit has a watermark template, the mark is also searched for in each
image as in a listing's, and its place written as the asset's "mark" (scale and
top-left corner): a listing image that matches the asset is then checked for its
mark there first, at about a tenth of the cost of searching the whole image.
The grey pixels round the mark are stored with it (a ~1.5 KB "window"): a copy of
the asset whose mark re-encoding or resizing made too faint to score still
passes WM001 when its window is the asset's own, unaltered (only for an asset
whose own mark reached the threshold). An asset in which the mark is not found,
or scores within 0.1 of the threshold, is reported (listings using it would
fail WM001, or may once re-encoded).

Each image is also hashed in a harsh copy (3 % cropped, resized to 50 %, JPEG
quality 50); an asset whose hashes move by more than 80 % of a match threshold
is reported as fragile (sellers' copies of it may fail WM002), as are two assets
near enough to be confused.

The mapping says which model each image shows: a CSV with a header row and the
columns file,model[,id], or JSON, either {"file": "model", ...} or
[{"file": ..., "model": ..., "id": ...}, ...]. Files are relative to IMAGES_DIR; the
id defaults to the file name without its extension. Without --mapping,
IMAGES_DIR/mapping.csv or IMAGES_DIR/mapping.json is used.

Example (the demo kit):
  listguard brandkit build fixtures/brandkit/official \\
      --mapping fixtures/brandkit/official/mapping.csv --kit fixtures/brandkit
"""


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "brandkit",
        help="build or verify a brand kit's official asset hashes",
        description="Build or verify a brand kit (brandkit.json and its files).",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build",
        help="hash official images into brandkit.json",
        description=BUILD_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument("images", type=Path, metavar="IMAGES_DIR", help="the official images")
    build.add_argument(
        "--mapping", type=Path, metavar="FILE", help="image → model mapping (.csv or .json)"
    )
    build.add_argument(
        "--kit",
        type=Path,
        metavar="DIR",
        help="the kit folder to write brandkit.json in (default: IMAGES_DIR's parent)",
    )
    build.add_argument("--brand", help="brand name, required when the kit is new")
    build.add_argument(
        "--template", metavar="FILE", help="set the watermark template (path relative to the kit)"
    )
    build.add_argument(
        "--replace", action="store_true", help="drop assets that are not in this mapping"
    )
    build.add_argument("--threshold", type=int, help="near-duplicate warning distance (bits)")
    verify = actions.add_parser(
        "verify",
        help="check a brand kit",
        description="Check a brand kit: the schema, the watermark template (readable RGBA, "
        "not empty), unique asset ids, asset models listed under models, and warn when "
        "two assets are within the match threshold of each other (they could be confused).",
    )
    verify.add_argument("kit", type=Path, metavar="DIR", help="the kit folder (or brandkit.json)")
    verify.add_argument("--threshold", type=int, help="near-duplicate warning distance (bits)")


def run(args: argparse.Namespace) -> int:
    if args.action == "build":
        return build(args)
    return verify(args)


# --- build ------------------------------------------------------------------------


def build(args: argparse.Namespace) -> int:
    from ..brandkit import BRANDKIT_NAME, BrandKitError
    from ..jsonschemas import load_schema, schema_validator
    from ..plugins.watermark.analysis import (
        FAINT_MARK_MARGIN,
        asset_mark,
        image_signature,
        signature_drift,
    )
    from ..plugins.watermark.decode import ImageDecodeError
    from ..plugins.watermark.phash import to_hex

    images: Path = args.images
    if not images.is_dir():
        raise UsageError(f"{images} is not a folder of images")
    kit_dir: Path = args.kit or images.resolve().parent
    kit_path = kit_dir / BRANDKIT_NAME
    data = read_kit_json(kit_path, args.brand)
    if args.template:
        old = data.get("watermark")
        data["watermark"] = {**(old if isinstance(old, dict) else {}), "template": args.template}
    entries = read_mapping(args.mapping or default_mapping(images))

    template, problem = kit_template_of(kit_dir, data)
    built: dict[str, dict[str, Any]] = {}
    cautions: list[str] = [] if problem is None else [problem]
    for entry in entries:
        path = images / entry["file"]
        if not path.is_file():
            raise UsageError(f"mapping names {entry['file']!r}, which is not in {images}")
        if entry["id"] in built:
            raise UsageError(f"mapping gives asset id {entry['id']!r} twice")
        try:
            signature = image_signature(path)
            cautions += signature_drift(path, signature).warnings(entry["id"])
            mark = asset_mark(path, template) if template is not None else None
        except ImageDecodeError as exc:
            raise UsageError(f"{path}: {exc}") from None
        built[entry["id"]] = {
            "id": entry["id"],
            "model": entry["model"],
            "phash": to_hex(signature.phash),
            "signature": signature.to_json(),
        }
        if mark is not None:
            found, built[entry["id"]]["mark"] = mark
            if not found.found:
                cautions.append(
                    f"asset {entry['id']}: the watermark was not found in it (best match "
                    f"{found.score:.2f} at {found.bbox}, needs {found.threshold:.2f}): "
                    "listings using it will fail WM001"
                )
            elif found.score < found.threshold + FAINT_MARK_MARGIN:
                cautions.append(
                    f"asset {entry['id']}: its watermark scores only {found.score:.2f}, within "
                    f"{FAINT_MARK_MARGIN:.2f} of the threshold {found.threshold:.2f}: "
                    "re-encoded or resized copies of it may fail WM001 (a clearer mark "
                    "would not)"
                )
    unmapped = sorted(
        p.name
        for p in images.iterdir()
        if p.suffix.lower() in IMAGE_SUFFIXES and p.name not in {e["file"] for e in entries}
    )
    for name in unmapped:
        print(f"warning: {name} is not in the mapping; skipped", file=sys.stderr)

    old = {} if args.replace else {a["id"]: a for a in data.get("assets", [])}
    added = sum(1 for i in built if i not in old)
    merged = {**old, **built}
    data["assets"] = [merged[i] for i in sorted(merged)]
    unknown = sorted({a["model"] for a in data["assets"]} - set(data.get("models", {})))
    for model in unknown:
        print(f"warning: model {model} is not listed under 'models' in {kit_path}", file=sys.stderr)
    errors = sorted(
        schema_validator(load_schema("brandkit")).iter_errors(data),
        key=lambda e: list(e.absolute_path),
    )
    if errors:
        pointer = "/" + "/".join(str(p) for p in errors[0].absolute_path)
        raise BrandKitError(f"brand kit would be invalid: {pointer}: {errors[0].message}")
    kit_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    kit_path.write_text(text, encoding="utf-8")
    print(
        f"{kit_path}: {len(built)} images hashed ({added} new, {len(built) - added} updated), "
        f"{len(data['assets'])} assets in total"
    )
    for warning in cautions + near_duplicates(data["assets"], threshold_of(args)):
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def kit_template_of(kit_dir: Path, data: dict[str, Any]) -> tuple[Template | None, str | None]:
    """The kit's prepared watermark template (``None`` without one) and, when it
    names one that cannot be used, why: the assets are then hashed without the
    place of their mark."""
    from ..plugins.watermark.decode import ImageDecodeError, load_rgba
    from ..plugins.watermark.matcher import Template

    watermark = data.get("watermark")
    name = watermark.get("template") if isinstance(watermark, dict) else None
    if not isinstance(name, str):
        return None, None
    try:
        return Template(load_rgba(kit_dir / name)), None
    except (OSError, ImageDecodeError, ValueError) as exc:
        return None, (
            f"the watermark template {name} cannot be used ({exc}): the assets' marks "
            "were not located"
        )


def read_kit_json(path: Path, brand: str | None) -> dict[str, Any]:
    """The existing ``brandkit.json`` as a dict, or a new kit for ``brand``."""
    from ..brandkit import BrandKitError

    if not path.exists():
        if not brand:
            raise UsageError(f"{path} does not exist; give --brand NAME to create a new kit")
        return {"brand": brand, "assets": [], "models": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BrandKitError(f"brand kit: cannot read {path}: {exc}") from None
    if not isinstance(data, dict):
        raise BrandKitError(f"brand kit: {path} is not a JSON object")
    if brand:
        data["brand"] = brand
    return data


def default_mapping(images: Path) -> Path:
    for name in ("mapping.csv", "mapping.json"):
        if (images / name).is_file():
            return images / name
    raise UsageError(f"no --mapping given and no mapping.csv or mapping.json in {images}")


def read_mapping(path: Path) -> list[dict[str, str]]:
    """``[{"file", "model", "id"}]`` from a CSV (``file,model[,id]``) or JSON mapping."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the mapping {path}: {exc}") from None
    rows: list[dict[str, Any]]
    if path.suffix.lower() == ".json":
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(f"mapping {path} is not valid JSON: {exc.msg}") from None
        if isinstance(raw, dict):
            rows = [{"file": f, "model": m} for f, m in raw.items()]
        elif isinstance(raw, list) and all(isinstance(r, dict) for r in raw):
            rows = raw
        else:
            raise UsageError(f"mapping {path}: expected an object or a list of objects")
    else:
        reader = csv.DictReader(text.splitlines())
        missing = {"file", "model"} - set(reader.fieldnames or ())
        if missing:
            raise UsageError(f"mapping {path}: the header lacks {', '.join(sorted(missing))}")
        rows = list(reader)
    entries = []
    for number, row in enumerate(rows, start=1):
        file, model = str(row.get("file") or "").strip(), str(row.get("model") or "").strip()
        if not file or not model:
            raise UsageError(f"mapping {path}: entry {number} needs both file and model")
        if Path(file).is_absolute() or ".." in Path(file).parts:
            raise UsageError(f"mapping {path}: entry {number}: {file!r} leaves the images folder")
        asset_id = str(row.get("id") or "").strip() or Path(file).stem
        entries.append({"file": file, "model": model, "id": asset_id})
    if not entries:
        raise UsageError(f"mapping {path} lists no images")
    return entries


# --- verify -----------------------------------------------------------------------


def verify(args: argparse.Namespace) -> int:
    from ..brandkit import BrandKitError, load_brand_kit
    from ..plugins.watermark.analysis import kit_index
    from ..plugins.watermark.decode import ImageDecodeError, load_rgba
    from ..plugins.watermark.matcher import Template

    kit = load_brand_kit(args.kit)  # the schema; BrandKitError → exit 2
    warnings: list[str] = []
    if kit.watermark_template is None:
        warnings.append("no watermark template: WM001 cannot be verified with this kit")
    else:
        try:
            template = Template(load_rgba(kit.watermark_template))
        except (ImageDecodeError, ValueError) as exc:
            raise BrandKitError(f"brand kit: watermark template: {exc}") from None
        if not _has_alpha(kit.watermark_template):
            warnings.append("the watermark template has no alpha channel: the mask is its box")
        size = f"{template.width}×{template.height}"
    assets = kit.data.get("assets", [])
    ids = [a["id"] for a in assets]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise BrandKitError(f"brand kit: asset ids used twice: {', '.join(duplicates)}")
    if not assets:
        warnings.append("no assets: WM002 and WM003 cannot be verified with this kit")
    for model in sorted({a.model for a in kit.assets} - set(kit.models)):
        warnings.append(f"assets of model {model}, which is not listed under 'models'")
    warnings += near_duplicates(assets, threshold_of(args))
    # Not wrong, only slower: their listing images are searched whole. Counted as
    # the check reads them, so a damaged or out-of-range place counts as none.
    index = kit_index(kit)
    placeless = len({a["id"] for a in assets} - set(index.marks))
    if assets and kit.watermark_template is not None and placeless:
        warnings.append(
            f"{placeless} of {len(assets)} assets have no usable mark place: rebuild with "
            "`listguard brandkit build` to add them (each image that matches such an "
            "asset is searched whole for the mark, ~10× the cost)"
        )
    if kit.watermark_template is not None:
        windowless = sum(1 for i in index.marks if index.window(i, template) is None)
        if windowless:
            warnings.append(
                f"{windowless} of {len(index.marks)} assets with a mark place have no usable "
                "window round the mark: rebuild with `listguard brandkit build` to add them "
                "(a copy whose mark re-encoding made faint can then pass only on its score)"
            )
    for warning in warnings:
        print(f"warning: {warning}")
    template_text = f", template {size}" if kit.watermark_template is not None else ""
    print(
        f"{kit.root}: brand {kit.brand}, {len(assets)} assets, {len(kit.models)} models"
        f"{template_text}: {'ok' if not warnings else f'{len(warnings)} warnings'}"
    )
    return 0


def _has_alpha(path: Path) -> bool:
    from PIL import Image

    with Image.open(path) as image:
        return "A" in image.getbands() or "transparency" in image.info


def threshold_of(args: argparse.Namespace) -> int:
    from ..plugins.watermark.analysis import DEFAULT_PHASH_THRESHOLD

    return DEFAULT_PHASH_THRESHOLD if args.threshold is None else int(args.threshold)


def near_duplicates(assets: list[dict[str, Any]], threshold: int) -> list[str]:
    """A line for each pair of assets an image of one could match as the other.

    Pairs where both have a ``signature`` are compared as WM002 compares an image
    with an asset (64-bit shortlist, then 256-bit pHash and colour layout, at the
    plugin's default thresholds); other pairs by 64-bit pHash within ``threshold``.
    """
    from ..plugins.watermark.analysis import (
        DEFAULT_CANDIDATE_THRESHOLD,
        DEFAULT_COLOUR_THRESHOLD,
        DEFAULT_FINE_THRESHOLD,
    )
    from ..plugins.watermark.phash import colour_distance

    lines = []
    for a, b in combinations(assets, 2):
        distance = bin(int(a["phash"], 16) ^ int(b["phash"], 16)).count("1")
        sig_a, sig_b = _signature(a), _signature(b)
        if sig_a and sig_b:
            fine = bin(int(sig_a["phash256"], 16) ^ int(sig_b["phash256"], 16)).count("1")
            colour = colour_distance(bytes.fromhex(sig_a["colour"]), bytes.fromhex(sig_b["colour"]))
            close = (
                distance <= DEFAULT_CANDIDATE_THRESHOLD
                and fine <= DEFAULT_FINE_THRESHOLD
                and colour <= DEFAULT_COLOUR_THRESHOLD
            )
            how = f"{distance} bits apart, signatures {fine}/256 bits and colour {colour:.1f} apart"
        else:
            close = distance <= threshold
            how = f"{distance} bits apart (threshold {threshold})"
        if close:
            same = "same model" if a["model"] == b["model"] else "different models"
            lines.append(
                f"assets {a['id']} and {b['id']} are {how} ({same}): an image of one may "
                "match the other"
            )
    return lines


def _signature(asset: dict[str, Any]) -> dict[str, Any] | None:
    from ..plugins.watermark.phash import SIGNATURE_VERSION

    sig = asset.get("signature")
    if isinstance(sig, dict) and sig.get("version") == SIGNATURE_VERSION:
        return sig
    return None
