"""What a check hook receives: the package, its files, and the run's settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .brandkit import BrandKit
    from .config import Config
    from .package import Package


@dataclass(frozen=True)
class ImageRef:
    """An image listed in the manifest, present in the package, sniffed as an image."""

    file: str
    role: str
    path: Path
    pointer: str
    kind: str  # "jpeg", "png" or "webp", from the file's content


@dataclass(frozen=True)
class DocumentRef:
    """A manual or certificate listed in the manifest, present, sniffed as a PDF."""

    kind: str  # "manual" or "certificate"
    file: str
    path: Path
    pointer: str
    entry: Mapping[str, Any]

    @property
    def type(self) -> str | None:
        """For a certificate, its manifest ``type`` (``CE``, ``FCC``, ...)."""
        value = self.entry.get("type")
        return value if isinstance(value, str) else None


@dataclass
class CheckContext:
    """Everything a check needs, passed to every check hook as ``ctx``.

    Attributes a plugin reads:

    * ``package``: the loaded package (``package.root`` is a directory; use
      ``package.resolve(rel)`` to turn a manifest path into a safe absolute path).
    * ``manifest``: the parsed ``listing.json`` (a dict, valid against the schema).
    * ``brand_kit``: the :class:`~listguard.brandkit.BrandKit`, or ``None`` when
      the run has none (rules that need one should say so with a finding).
    * ``as_of``: the check date (``--as-of``), a :class:`datetime.date`.
    * ``online``: true only with ``--online``; otherwise no network access.
    * ``options``: this plugin's options (defaults merged with configuration).
    * ``config``: the whole run configuration (policy tables, limits).
    * ``images`` / ``documents``: everything that reached the per-file hooks.
    * ``detail_page``: the safe path of the manifest's ``detail_page``, or ``None``
      when it is absent, missing or not HTML (the host reported why).
    """

    package: Package
    manifest: dict[str, Any]
    config: Config
    as_of: dt.date
    brand_kit: BrandKit | None = None
    online: bool = False
    detail_page: Path | None = None
    images: list[ImageRef] = field(default_factory=list)
    documents: list[DocumentRef] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    # Filled by the host while one plugin runs; see ``add_fact``.
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)
    current_plugin: str = ""

    @property
    def model(self) -> str | None:
        value = self.manifest.get("model")
        return value if isinstance(value, str) else None

    def certificates_of_type(self, cert_type: str) -> list[DocumentRef]:
        """The certificate documents whose manifest ``type`` is ``cert_type``."""
        return [d for d in self.documents if d.kind == "certificate" and d.type == cert_type]

    def add_fact(self, key: str, value: Any) -> None:
        """Record JSON-serialisable data for the reports (not a finding).

        Stored in the listing's ``facts[<plugin name>][key]``; the HTML report
        uses it to show, for instance, the watermark box found on a main image
        or the languages found in a manual. ``value`` must be JSON-serialisable.
        """
        self.facts.setdefault(self.current_plugin, {})[key] = value
