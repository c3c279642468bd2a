"""A small real multi-package run that every format test renders.

Three packages: ``a-fail`` (a missing file, LG003, plus the stand-in plugin's
page and line findings), ``b-warn`` (only a warning) and ``c-pass``. The
stand-in plugin is named ``watermark`` so that the facts it records travel the
real path (runner → ListingResult.facts["watermark"]) that the HTML report reads;
its rules use their own prefix (``TST``) and it runs with ``builtins=False`` so
the counts do not move as the built-in plugins grow.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from listguard import Finding, Location, Rule, Severity, hookimpl
from listguard.model import Report
from listguard.reporters.base import RenderOptions, ReportWriter
from listguard.testing import CheckRun, base_manifest, make_image, make_pdf, run_checks

AS_OF = "2026-11-22"

_DOCS = dict(
    what="Test rule of the format tests.",
    why="Format tests need findings with every kind of location (listguard test suite).",
    example="A detail page with a <blink> tag.",
    fix="Nothing to fix: it is a test.",
)


def _stand_in() -> Any:
    @hookimpl
    def listguard_register_rules() -> list[Rule]:
        return [
            Rule("TST001", "page-problem", Severity.ERROR, "A manual page has a problem", **_DOCS),
            Rule("TST002", "line-problem", Severity.WARNING, "A detail page line is odd", **_DOCS),
            Rule("TST003", "never-fires", Severity.ERROR, "A rule that finds nothing", **_DOCS),
        ]

    @hookimpl
    def listguard_check_image(ctx: Any, image: Any) -> None:
        ctx.add_fact(
            image.file,
            {
                "width": 1000,
                "height": 1000,
                "watermark": {"found": True, "score": 0.91, "bbox": [700, 800, 250, 150]},
                "asset": None,
            },
        )

    @hookimpl
    def listguard_check_document(ctx: Any, document: Any) -> list[Finding]:
        if "bad" not in document.file:
            return []
        return [
            Finding(
                "TST001",
                'page 2 says "100% safe, <b>guaranteed</b>"',
                location=Location(file=document.file, page=2, bbox=[10, 20, 30, 40]),
                hint="remove the claim",
                evidence={"text": "100% safe"},
            )
        ]

    @hookimpl
    def listguard_check_manifest(ctx: Any) -> list[Finding]:
        if ctx.detail_page is None or "blink" not in ctx.detail_page.read_text():
            return []
        return [
            Finding(
                "TST002",
                "the detail page uses <blink>, line 3",
                location=Location(file="detail.html", line=3, column=5),
            )
        ]

    return SimpleNamespace(
        PLUGIN_NAME="watermark",
        listguard_register_rules=listguard_register_rules,
        listguard_check_image=listguard_check_image,
        listguard_check_document=listguard_check_document,
        listguard_check_manifest=listguard_check_manifest,
    )


STAND_IN = _stand_in()


def build_catalog(root: Path) -> Path:
    """Write the three packages under ``root/catalog`` and return that folder."""
    from listguard.testing import write_package

    catalog = root / "catalog"
    image = make_image((600, 600), (30, 120, 200))
    write_package(
        catalog / "a-fail",
        base_manifest(
            sku="A-1",
            images=[{"file": "images/main.jpg", "role": "main"}],
            manuals=[{"file": "manuals/bad.pdf"}, {"file": "manuals/missing.pdf"}],
            detail_page="detail.html",
        ),
        {
            "images/main.jpg": image,
            "manuals/bad.pdf": make_pdf(["page one", "page two"]),
            "detail.html": "<html>\n<body>\n    <blink>sale</blink>\n</body></html>\n",
        },
    )
    write_package(
        catalog / "b-warn",
        base_manifest(sku="B-2", detail_page="detail.html"),
        {"detail.html": "<p>\nok\n    <blink>x</blink></p>\n"},
    )
    write_package(catalog / "c-pass", base_manifest(sku="C-3"), {})
    return catalog


def catalog_run(root: Path) -> CheckRun:
    """Check the catalog of :func:`build_catalog` (inline, fixed date)."""
    return run_checks(build_catalog(root), plugins=[STAND_IN], builtins=False, as_of=AS_OF)


def render(run: CheckRun, writer: Callable[..., ReportWriter], **options: Any) -> str:
    """Drive ``writer`` the way ``listguard check`` does and return its text."""
    stream = io.StringIO()
    rules = {rule.code: rule for rule in run.run.rules}
    instance = writer(stream, RenderOptions(rules=rules, **options))
    instance.start(run.run)
    for result in run.results:
        instance.add(result)
    instance.finish(Report(run.run, list(run.results)).summary)
    return stream.getvalue()


def test_catalog_has_a_failing_a_warning_and_a_passing_package(tmp_path: Path) -> None:
    run = catalog_run(tmp_path)
    assert [r.status.value for r in run.results] == ["fail", "warn", "pass"]
    run.assert_findings({"LG003": 1, "TST001": 1, "TST002": 2}, only=True)
    assert "images/main.jpg" in run.results[0].facts["watermark"]
