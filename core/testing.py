"""Testing kit for listguard plugins (``pytest_plugins = ["listguard.testing"]``).

* :func:`write_package` builds a package folder from a manifest and files;
  :func:`make_image` and :func:`make_pdf` make small real files for it.
* :func:`run_checks` checks a package with a fresh plugin host and returns a
  :class:`CheckRun` with ``assert_findings({"BAT001": 1})`` and the JSON report.
* The ``listing_factory`` fixture wraps :func:`write_package` in ``tmp_path``,
  with generated images and PDFs: ``listing_factory(manifest,
  images={"images/main.jpg": (1000, 1000)}, pdfs={"certificates/un38.pdf":
  ["page 1 text", "page 2 text"]})``.
* :func:`zip_package` zips a package folder (to test archive handling).
* :func:`run_cli` runs the ``listguard`` command line in-process and captures it.
* :func:`missing_doc_sections` / :func:`assert_rules_documented` check that
  every rule has the four docs sections (what, why, example, fix).
* :func:`make_venv` / :func:`pip_install` install a plugin into a throwaway
  virtualenv that sees this environment's packages (no network), to test that
  the plugin is discovered through its entry point.

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
from .model import Finding, ListingResult, Report, Rule, RunInfo

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


#: What :func:`write_package` accepts for a generated image: a size ``(width,
#: height)``, encoded bytes, or a PIL image.
ImageSpec = Any
#: What :func:`write_package` accepts for a generated PDF: the text of each page,
#: or encoded bytes.
PdfSpec = Iterable[str] | bytes


def write_package(
    root: Path,
    manifest: Mapping[str, Any] | str | None,
    files: Mapping[str, bytes | str] | None = None,
    *,
    images: Mapping[str, ImageSpec] | None = None,
    pdfs: Mapping[str, PdfSpec] | None = None,
) -> Path:
    """Create package folder ``root`` with ``listing.json`` (a dict is dumped as
    JSON; a string is written as is; ``None`` writes none) and ``files``
    (package-relative path → bytes or text). Returns ``root``.

    :param images: package-relative path → ``(width, height)`` (a plain image is
        generated, encoded after the extension: ``.jpg``/``.jpeg``, ``.png`` or
        ``.webp``), encoded bytes, or a PIL image.
    :param pdfs: package-relative path → a list of page texts (a text PDF is
        generated with :func:`make_pdf`) or encoded bytes.

    The manifest is written as given: list the files in it yourself, so a test
    can also show what happens when the manifest and the files disagree.
    """
    generated: dict[str, bytes | str] = {}
    for relative, spec in (images or {}).items():
        generated[relative] = _image_bytes(relative, spec)
    for relative, spec in (pdfs or {}).items():
        generated[relative] = spec if isinstance(spec, bytes) else make_pdf(spec)
    files = {**generated, **(files or {})}
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


_IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}


def _image_bytes(relative: str, spec: ImageSpec) -> bytes:
    if isinstance(spec, bytes):
        return spec
    fmt = _IMAGE_FORMATS.get(Path(relative).suffix.lower(), "JPEG")
    if isinstance(spec, tuple):
        return make_image(size=(int(spec[0]), int(spec[1])), fmt=fmt)
    buffer = io.BytesIO()  # a PIL image
    spec.save(buffer, format=fmt)
    return buffer.getvalue()


def zip_package(root: Path, target: Path | None = None, top_folder: bool = False) -> Path:
    """Zip the package folder ``root`` (to ``root.with_suffix(".zip")`` unless
    ``target`` is given), members sorted; with ``top_folder`` the members sit
    under one top-level folder named after ``root``, as SPEC §1 also allows."""
    import zipfile

    target = target or root.with_suffix(".zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix()
            archive.write(path, f"{root.name}/{name}" if top_folder else name)
    return target


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

    def report_json(self) -> str:
        """The JSON report as ``listguard check --format json`` writes it."""
        from .reporters.json import dumps_report

        return dumps_report(Report(self.run, list(self.results)))

    def facts(self, plugin: str) -> dict[str, Any]:
        """What ``plugin`` recorded with ``ctx.add_fact`` (single-listing runs)."""
        return dict(self.result.facts.get(plugin, {}))

    def assert_no_findings(self) -> None:
        """Assert that the run produced no finding at all."""
        self.assert_findings({}, only=True)


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


@dataclass
class CliResult:
    """What :func:`run_cli` captured."""

    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, env: Mapping[str, str] | None = None) -> CliResult:
    """Run ``listguard ARGS...`` in this process and capture its output.

    ``env`` temporarily sets environment variables (``LISTGUARD_LOAD_PLUGINS``
    and the like) for the run. Example: ``run_cli("rules", "BAT001")``.
    """
    import contextlib
    import os

    from .cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = {key: os.environ.get(key) for key in (env or {})}
    os.environ.update(env or {})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse exits on bad arguments and --help
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return CliResult(code, out.getvalue(), err.getvalue())


#: The docs sections every rule must fill, by :class:`~listguard.Rule` field.
DOC_SECTIONS: dict[str, str] = {
    "what": "What it checks",
    "why": "Why it matters",
    "example": "Example",
    "fix": "How to fix",
}


def missing_doc_sections(rule: Rule) -> list[str]:
    """The titles of the docs sections ``rule`` leaves empty (``[]`` when complete)."""
    missing = [title for name, title in DOC_SECTIONS.items() if not getattr(rule, name).strip()]
    if not rule.summary.strip():
        missing.insert(0, "summary")
    return missing


def assert_rules_documented(rules: Iterable[Rule]) -> None:
    """Assert every rule has a summary and all four docs sections."""
    problems = {r.code: missing_doc_sections(r) for r in rules}
    problems = {code: missing for code, missing in problems.items() if missing}
    if problems:
        lines = "\n".join(f"  {code}: {', '.join(m)}" for code, m in sorted(problems.items()))
        raise AssertionError(f"rules with undocumented sections:\n{lines}")


def make_venv(target: Path) -> Path:
    """Create a throwaway virtualenv at ``target`` that also sees the packages
    of the environment running this function (listguard, pytest, setuptools,
    pip): nothing is downloaded. Returns the venv's python executable.

    ``venv --system-site-packages`` would only expose the *base* interpreter's
    packages, not this virtualenv's, so a ``.pth`` file adds this environment's
    site-packages (processing its own ``.pth`` files, hence editable installs).
    Packages installed into the new venv come first on its ``sys.path``.
    """
    import site
    import subprocess
    import sys
    import sysconfig

    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(target)],
        check=True,
        capture_output=True,
    )
    python = target / ("Scripts" if sys.platform == "win32" else "bin") / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    parents = [sysconfig.get_paths()["purelib"], *site.getsitepackages()]
    lines = [f"import site; site.addsitedir({p!r})" for p in dict.fromkeys(parents)]
    (Path(purelib) / "_listguard_parent_env.pth").write_text("\n".join(lines) + "\n")
    return python


def pip_install(python: Path, project: Path, editable: bool = False) -> None:
    """``pip install --no-deps --no-build-isolation PROJECT`` into the venv of
    ``python`` (from :func:`make_venv`): offline, with this environment's
    setuptools. Raises ``RuntimeError`` with pip's output when it fails."""
    import subprocess

    command = [str(python), "-m", "pip", "install", "--no-deps", "--no-build-isolation"]
    command += ["--no-index", "--disable-pip-version-check", "--quiet"]
    command += ["-e", str(project)] if editable else [str(project)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"pip install {project} failed:\n{done.stdout}\n{done.stderr}")


try:  # the fixture exists only where pytest is installed
    import pytest

    @pytest.fixture
    def listing_factory(tmp_path: Path) -> Callable[..., Path]:
        """Build a package in ``tmp_path``: ``listing_factory(manifest, files,
        name="pkg", images={...}, pdfs={...})`` (see :func:`write_package`);
        ``manifest`` defaults to :func:`base_manifest`. Returns the folder."""

        def factory(
            manifest: Mapping[str, Any] | str | None = None,
            files: Mapping[str, bytes | str] | None = None,
            name: str = "pkg",
            *,
            images: Mapping[str, ImageSpec] | None = None,
            pdfs: Mapping[str, PdfSpec] | None = None,
        ) -> Path:
            return write_package(
                tmp_path / name,
                base_manifest() if manifest is None else manifest,
                files,
                images=images,
                pdfs=pdfs,
            )

        return factory

except ImportError:  # pragma: no cover
    pass
