"""The brand kit: reference data a brand owner publishes (SPEC §2).

A folder with ``brandkit.json`` (schema ``schemas/brandkit.schema.json``) and
the files it names (the watermark template). Loaded once per run; an invalid kit
is a :class:`BrandKitError` (the CLI exits 2).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .jsonschemas import load_schema, schema_validator

BRANDKIT_NAME = "brandkit.json"


class BrandKitError(ValueError):
    """The brand kit cannot be read or violates its schema."""


@dataclass(frozen=True)
class Asset:
    """One image of the brand's official asset library, as a 64-bit pHash."""

    id: str
    model: str
    phash: int


@dataclass(frozen=True)
class FirmwareRelease:
    version: str
    released: dt.datetime  # timezone-aware (UTC when the kit gives no offset)


@dataclass(frozen=True)
class Money:
    amount: float
    currency: str


@dataclass(frozen=True)
class BrandModel:
    """An authorised model of the brand."""

    code: str
    name: str
    binding_video: str | None = None
    msrp: Money | None = None
    firmware: tuple[FirmwareRelease, ...] = ()


@dataclass(frozen=True)
class BrandKit:
    root: Path
    brand: str
    watermark_template: Path | None
    assets: tuple[Asset, ...] = ()
    video_hosts: tuple[str, ...] = ()
    models: dict[str, BrandModel] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)  # brandkit.json as read


def load_brand_kit(root: Path) -> BrandKit:
    """Read and validate the brand kit in folder ``root`` (or a ``brandkit.json`` path)."""
    path = root if root.is_file() else root / BRANDKIT_NAME
    folder = path.parent
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BrandKitError(f"brand kit: {path} does not exist") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BrandKitError(f"brand kit: cannot read {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise BrandKitError(
            f"brand kit: {path} is not valid JSON: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}"
        ) from exc
    validator = schema_validator(load_schema("brandkit"))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        pointer = "/" + "/".join(str(p) for p in first.absolute_path)
        raise BrandKitError(f"brand kit: {path}: {pointer}: {first.message}")
    template = None
    if "watermark" in data:
        template = (folder / data["watermark"]["template"]).resolve()
        if not template.is_file():
            raise BrandKitError(f"brand kit: watermark template {template} does not exist")
    models = {
        code: BrandModel(
            code=code,
            name=entry["name"],
            binding_video=entry.get("binding_video"),
            msrp=Money(float(entry["msrp"]["amount"]), entry["msrp"]["currency"])
            if "msrp" in entry
            else None,
            firmware=tuple(
                FirmwareRelease(release["version"], _timestamp(release["released"]))
                for release in entry.get("firmware", [])
            ),
        )
        for code, entry in data["models"].items()
    }
    return BrandKit(
        root=folder.resolve(),
        brand=data["brand"],
        watermark_template=template,
        assets=tuple(
            Asset(a["id"], a["model"], int(a["phash"], 16)) for a in data.get("assets", [])
        ),
        video_hosts=tuple(h.lower() for h in data.get("video_hosts", [])),
        models=models,
        data=data,
    )


def _timestamp(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
