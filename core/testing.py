"""Testing kit for listguard plugins (``pytest_plugins = ["listguard.testing"]``).

* :func:`write_package` builds a package folder from a manifest and files;
  :func:`make_image` and :func:`make_pdf` make small real files for it.
* :func:`run_checks` checks a package with a fresh plugin host and returns a
  :class:`CheckRun` with ``assert_findings({"BAT001": 1})`` and the JSON report.
* The ``listing_factory`` fixture wraps :func:`write_package` in ``tmp_path``.

PDF generation needs the ``fpdf2`` package (``pip install listguard[testing]``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .checks import RunSettings
from .config import Config
from .model import Finding, ListingResult, Report, RunInfo

DEFAULT_AS_OF = dt.date(2026, 11, 22)


def base_manifest(**overrides: Any) -> dict[str, Any]:
    """A small valid manifest (no files); keyword arguments replace its fields."""
    manifest: dict[str, Any] = {
        "schema_version": "1",
        "sku": "TEST-SKU-1",
        "brand": "Orvina",
        "model": "OV2301A1",
        "product_name": "Orvina Test Product",
        "category": "other",
        "markets": ["US"],
    }
    manifest.update(overrides)
    return manifest


def write_package(
    root: Path,
    manifest: Mapping[str, Any] | str | None,
    files: Mapping[str, bytes | str] | None = None,
) -> Path:
    """Create package folder ``root`` with ``listing.json`` (a dict is dumped as
    JSON; a string is written as is; ``None`` writes none) and ``files``
    (package-relative path → bytes or text). Returns ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    if manifest is not None:
        text = manifest if isinstance(manifest, str) else json.dumps(manifest, indent=2)
        (root / "listing.json").write_text(text, encoding="utf-8")
    for relative, content in (files or {}).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    return root


def make_image(
    size: tuple[int, int] = (1000, 1000),
    color: tuple[int, int, int] = (200, 200, 200),
    fmt: str = "JPEG",
    quality: int = 90,
) -> bytes:
    """A plain image of ``size`` encoded as ``fmt`` (JPEG, PNG or WEBP)."""
    from PIL import Image

    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    kwargs = {"quality": quality} if fmt.upper() in ("JPEG", "WEBP") else {}
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def make_pdf(pages: Iterable[str], font_path: str | None = None) -> bytes:
    """A text PDF with one page per string (Helvetica; pass a TTF ``font_path``
    for text outside Latin-1, such as Arabic or Chinese)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    if font_path:
        pdf.add_font("custom", fname=font_path)
        pdf.set_font("custom", size=10)
    else:
        pdf.set_font("Helvetica", size=10)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 5, text)
    return bytes(pdf.output())


@dataclass
class CheckRun:
    """The outcome of :func:`run_checks`."""

    results: list[ListingResult]
    run: RunInfo
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def findings(self) -> list[Finding]:
        return [f for result in self.results for f in result.findings]

    @property
    def result(self) -> ListingResult:
        """The single listing's result (for a run over one package)."""
        assert len(self.results) == 1, f"{len(self.results)} listings were checked"
        return self.results[0]

    def codes(self) -> Counter[str]:
        """How many findings each rule produced."""
        return Counter(f.rule for f in self.findings)

    def by_rule(self, code: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == code]

    def assert_findings(self, expected: Mapping[str, int], only: bool = False) -> None:
        """Assert the count of findings per rule (``{"BAT001": 1, "BAT002": 0}``).

        With ``only=True`` every other rule must have no finding.
        """
        counts = self.codes()
        wrong = {
            code: counts.get(code, 0) for code, n in expected.items() if counts.get(code, 0) != n
        }
        if only:
            wrong |= {code: n for code, n in counts.items() if code not in expected}
        if wrong:
            lines = "\n".join(f"  {f.rule} {f.severity}: {f.message}" for f in self.findings)
            raise AssertionError(
                f"expected {dict(expected)}, got {dict(counts)} (mismatch: {wrong})\n{lines}"
            )

    @property
    def report(self) -> dict[str, Any]:
        """The JSON report (SPEC §4) as a dict."""
        return Report(self.run, list(self.results)).to_dict()


def run_checks(
    *paths: str | Path,
    plugins: Iterable[Any] = (),
    entrypoints: bool = False,
    builtins: bool = True,
    as_of: dt.date | str = DEFAULT_AS_OF,
    brand_kit: str | Path | None = None,
    config: Config | None = None,
    online: bool = False,
    jobs: int = 0,
    select: Iterable[str] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> CheckRun:
    """Check packages with a fresh plugin host and return a :class:`CheckRun`.

    :param plugins: plugin modules or objects to register besides the built-ins.
    :param entrypoints: also load installed third-party plugins (off by default,
        so tests see only what they ask for).
    :param builtins: load the built-in plugins (``DEFAULT_PLUGINS``).
    :param jobs: 0 runs inline (fast, no time budget); >0 uses worker processes.
    :param options: plugin options, ``{"watermark": {"max-pixels": 1000}}``.
    """
    from dataclasses import replace

    from ._version import __version__
    from .brandkit import load_brand_kit
    from .package import discover_packages
    from .pluginmanager import DEFAULT_PLUGINS, PluginHost
    from .runner import Runner

    host = PluginHost(
        plugins=tuple(plugins),
        entrypoints=entrypoints,
        default_plugins=DEFAULT_PLUGINS if builtins else ("listguard.corerules",),
        env={},
    ).load()
    config = config or Config()
    if select is not None:
        config = replace(config, select=tuple(select))
    if options:
        config = replace(
            config, plugins={**config.plugins, **{k: dict(v) for k, v in options.items()}}
        )
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    kit = load_brand_kit(Path(brand_kit)) if brand_kit else None
    settings = RunSettings(config=config, as_of=as_of, brand_kit=kit, online=online)
    sources = discover_packages([str(p) for p in paths])
    results = list(Runner(host, settings, jobs=jobs).run(sources))
    run = RunInfo(
        tool_version=__version__,
        as_of=as_of.isoformat(),
        plugins=host.plugin_infos(with_rules_only=True),
        rules=sorted(host.rules.values(), key=lambda r: r.code),
    )
    return CheckRun(results, run)


try:  # the fixture exists only where pytest is installed
    import pytest

    @pytest.fixture
    def listing_factory(tmp_path: Path) -> Callable[..., Path]:
        """Build a package in ``tmp_path``: ``listing_factory(manifest, files, name="pkg")``."""

        def factory(
            manifest: Mapping[str, Any] | str | None = None,
            files: Mapping[str, bytes | str] | None = None,
            name: str = "pkg",
        ) -> Path:
            return write_package(
                tmp_path / name, base_manifest() if manifest is None else manifest, files
            )

        return factory

except ImportError:  # pragma: no cover
    pass
