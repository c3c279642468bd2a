"""Messages in Chinese: the catalog is complete and compiled, ``--lang`` and the
locale choose the language, templates survive processes and the cache, and a
third-party plugin's own catalog is used."""

from __future__ import annotations

import gettext
import importlib.util
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from listguard.cli import main
from listguard.i18n import (
    LOCALE_DIR,
    Text,
    lang_from_env,
    msg,
    normalize_lang,
    placeholders,
    translate,
)
from listguard.model import Finding, ListingResult, Location
from listguard.testing import base_manifest

ROOT = Path(__file__).resolve().parent.parent
AS_OF = ["--as-of", "2026-11-22"]
# The host's own checks plus the listing plugin (no brand kit: LST "cannot verify" findings).
LISTING_ONLY = ["-p", "no:watermark", "-p", "no:certificates", "-p", "no:manuals",
                "-p", "no:video", "--no-entrypoints", "--no-cache"]  # fmt: skip


def _script():
    spec = importlib.util.spec_from_file_location("listguard_i18n_script", ROOT / "scripts/i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script():
    return _script()


@pytest.fixture(scope="module")
def extraction(script):
    return script.extract()


@pytest.fixture(scope="module")
def zh_po(script):
    return {m.id: m.string for m in script.read_catalog("zh_CN") if m.id}


def _json_check(capsys, *args):
    status = main(["check", *args, "--format", "json", *AS_OF, *LISTING_ONLY])
    out, _ = capsys.readouterr()
    return status, json.loads(out)


def _missing_manual_package(listing_factory):
    return listing_factory(base_manifest(manuals=[{"file": "manual.pdf"}]))


# -- the catalog -------------------------------------------------------------


def test_extraction_finds_the_built_in_messages(extraction):
    templates = extraction.templates
    assert "{file} is named in the manifest but is not in the package" in templates
    assert "no official watermark found (best match {score:.2f}, needs {threshold:.2f})" in (
        templates
    )
    assert "hint: {hint}" in templates  # report chrome too
    assert len(templates) > 300


def test_every_msg_call_has_a_literal_template(extraction):
    assert extraction.not_literal == []


def test_every_built_in_template_has_a_zh_cn_translation(extraction, zh_po):
    missing = [t for t in extraction.templates if not zh_po.get(t)]
    assert missing == []


def test_every_translation_keeps_the_placeholders_of_its_template(zh_po):
    wrong = {
        template: translated
        for template, translated in zh_po.items()
        if translated and set(placeholders(translated)) != set(placeholders(template))
    }
    assert wrong == {}


def test_compiled_catalog_matches_the_po_file(zh_po):
    with (LOCALE_DIR / "zh_CN/LC_MESSAGES/listguard.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    assert {k: v for k, v in compiled.items() if k} == {k: v for k, v in zh_po.items() if v}


def test_catalog_check_command_passes(script, capsys):
    assert script.main(["check"]) == 0


# -- Text and translate ------------------------------------------------------


def test_msg_is_the_english_text():
    text = msg("{file} is empty", file="a.pdf")
    assert text == "a.pdf is empty" and isinstance(text, str)
    assert (text.template, text.args, text.domain) == (
        "{file} is empty",
        {"file": "a.pdf"},
        "listguard",
    )


def test_translate_formats_the_chinese_template_with_the_args():
    assert translate(msg("{file} is empty", file="a.pdf"), "zh-CN") == "a.pdf 为空"


def test_translate_translates_nested_messages():
    text = msg("{what} could not be verified: {reason}", what=msg("the price"),
               reason=msg("no brand kit was given"))  # fmt: skip
    assert translate(text, "zh-CN") == "无法核验价格：未提供品牌资料包"
    assert translate(text, "en") == "the price could not be verified: no brand kit was given"


def test_translate_leaves_plain_strings_and_unknown_templates_alone():
    assert translate("plain", "zh-CN") == "plain"
    assert translate(msg("not in any catalog {x}", x=1), "zh-CN") == "not in any catalog 1"


def test_text_survives_pickling_with_its_template():
    text = msg("{what} could not be verified: {reason}", what=msg("the price"), reason="x")
    copy = pickle.loads(pickle.dumps(text))
    assert isinstance(copy, Text) and isinstance(copy.args["what"], Text)
    assert translate(copy, "zh-CN") == "无法核验价格：x"


def test_cached_finding_keeps_its_templates_but_the_report_json_does_not():
    finding = Finding(
        "LG003",
        msg("{file} is named in the manifest but is not in the package", file="m.pdf"),
        location=Location(file="m.pdf"),
        hint=msg("add the file, or correct the path (paths are case-sensitive)"),
    )
    listing = ListingResult("pkg", findings=[finding])
    assert "l10n" not in json.dumps(listing.to_dict())
    restored = ListingResult.from_dict(json.loads(json.dumps(listing.to_dict(internal=True))))
    again = restored.findings[0]
    assert again.message == finding.message
    assert translate(again.message, "zh-CN") == "清单中列出了 m.pdf，但商品包中没有该文件"
    assert translate(again.hint, "zh-CN").startswith("请添加该文件")


@pytest.mark.parametrize(
    ("value", "lang"),
    [("zh_CN.UTF-8", "zh-CN"), ("zh_CN", "zh-CN"), ("zh-CN", "zh-CN"), ("en_US.UTF-8", "en"),
     ("C", "en"), ("", "en"), ("de_DE.UTF-8", "en")],
)  # fmt: skip
def test_locale_names_map_to_report_languages(value, lang):
    assert normalize_lang(value) == lang


def test_lc_all_wins_over_lang():
    assert lang_from_env({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}) == "zh-CN"
    assert lang_from_env({"LC_MESSAGES": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert lang_from_env({}) == "en"


# -- end to end --------------------------------------------------------------


def test_check_lang_zh_cn_writes_chinese_messages_and_hints(listing_factory, capsys):
    _, report = _json_check(capsys, str(_missing_manual_package(listing_factory)), "--jobs", "1",
                            "--lang", "zh-CN")  # fmt: skip
    findings = {f["rule"]: f for f in report["listings"][0]["findings"]}
    assert findings["LG003"]["message"] == "清单中列出了 manual.pdf，但商品包中没有该文件"
    assert findings["LG003"]["hint"] == "请添加该文件，或更正路径（路径区分大小写）"
    assert findings["LST006"]["message"] == "无法核验型号授权：未提供品牌资料包"
    assert findings["LST006"]["hint"] == "请使用 --brand-kit DIR 运行"
    assert "l10n" not in json.dumps(report)


def test_check_lang_en_writes_english(listing_factory, capsys):
    _, report = _json_check(capsys, str(_missing_manual_package(listing_factory)), "--jobs", "0",
                            "--lang", "en")  # fmt: skip
    findings = {f["rule"]: f for f in report["listings"][0]["findings"]}
    assert (
        findings["LG003"]["message"]
        == "manual.pdf is named in the manifest but is not in the package"
    )
    assert (
        findings["LST006"]["message"]
        == "the model's authorisation could not be verified: no brand kit was given"
    )


def test_language_defaults_to_the_environment_locale(listing_factory, capsys, monkeypatch):
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    _, report = _json_check(capsys, str(_missing_manual_package(listing_factory)), "--jobs", "0")
    messages = [f["message"] for f in report["listings"][0]["findings"]]
    assert "清单中列出了 manual.pdf，但商品包中没有该文件" in messages


def test_text_format_chrome_is_chinese(listing_factory, capsys):
    package = str(_missing_manual_package(listing_factory))
    main(["check", package, "--jobs", "0", "--lang", "zh-CN", *AS_OF, *LISTING_ONLY])
    out, _ = capsys.readouterr()
    assert out.startswith("不通过  ")
    assert "提示：请添加该文件" in out
    assert "1 个商品：1 个不通过" in out
    assert "LG003" in out and "LST001" in out  # rule codes stay English


def test_html_and_markdown_chrome_are_chinese(listing_factory, capsys, tmp_path):
    package = str(_missing_manual_package(listing_factory))
    page = tmp_path / "report.html"
    main(["check", package, "--jobs", "0", "--lang", "zh-CN", "--format", "html", "-o", str(page),
          *AS_OF, *LISTING_ONLY])  # fmt: skip
    html = page.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "<h2>概览</h2>" in html
    assert "清单中列出了 manual.pdf，但商品包中没有该文件" in html
    assert 'data-status="fail"' in html  # machine attributes stay English
    main(["check", package, "--jobs", "0", "--lang", "zh-CN", "--format", "markdown",
          *AS_OF, *LISTING_ONLY])  # fmt: skip
    markdown, _ = capsys.readouterr()
    assert "## listguard 报告" in markdown and "| 状态 | 商品包 |" in markdown


def test_sarif_message_is_chinese(listing_factory, capsys):
    package = str(_missing_manual_package(listing_factory))
    main(["check", package, "--jobs", "0", "--lang", "zh-CN", "--format", "sarif",
          *AS_OF, *LISTING_ONLY])  # fmt: skip
    sarif = json.loads(capsys.readouterr()[0])
    texts = [r["message"]["text"] for r in sarif["runs"][0]["results"]]
    assert any(t.startswith("清单中列出了 manual.pdf") for t in texts)


# -- a third-party plugin's catalog ------------------------------------------

_PLUGIN = """
from pathlib import Path

from listguard import Finding, Location, Rule, Severity, hookimpl
from listguard.i18n import messages

PLUGIN_NAME = "acme"
LISTGUARD_LOCALE_DIR = Path(__file__).parent / "acme_locale"
msg = messages(PLUGIN_NAME)


@hookimpl
def listguard_register_rules():
    return [Rule("ACM001", "gadget", Severity.WARNING, "the gadget is named",
                 what="w", why="w", example="e", fix="f")]


@hookimpl
def listguard_check_listing(ctx):
    yield Finding("ACM001", msg("the gadget of {sku} is missing", sku=ctx.manifest["sku"]),
                  location=Location(pointer="/sku"), hint=msg("add the gadget"))
"""


def test_a_plugin_ships_its_own_catalog(listing_factory, capsys, tmp_path, monkeypatch):
    folder = tmp_path / "plugin"
    (folder / "acme_locale/zh_CN/LC_MESSAGES").mkdir(parents=True)
    (folder / "acme_i18n_plugin.py").write_text(_PLUGIN, encoding="utf-8")
    catalog = Catalog(locale="zh_CN", domain="acme")
    catalog.add("the gadget of {sku} is missing", "{sku} 缺少小配件")
    catalog.add("add the gadget", "请添加小配件")
    with (folder / "acme_locale/zh_CN/LC_MESSAGES/acme.mo").open("wb") as handle:
        write_mo(handle, catalog)
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, "acme_i18n_plugin", raising=False)
    _, report = _json_check(capsys, str(listing_factory()), "--jobs", "0", "--lang", "zh-CN",
                            "-p", "acme_i18n_plugin", "--select", "ACM")  # fmt: skip
    (finding,) = report["listings"][0]["findings"]
    assert (finding["message"], finding["hint"]) == ("TEST-SKU-1 缺少小配件", "请添加小配件")


def test_chinese_html_report_runs_its_script_in_chromium(listing_factory, capsys, tmp_path):
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (scripts/install-system-deps.sh installs it)")
        pytest.skip("chromium is not installed")
    page = tmp_path / "report.html"
    main(["check", str(_missing_manual_package(listing_factory)), "--jobs", "0", "--lang", "zh-CN",
          "--format", "html", "-o", str(page), *AS_OF, *LISTING_ONLY])  # fmt: skip
    profile = tmp_path / "profile"
    dom = subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-dev-shm-usage",
         f"--user-data-dir={profile}", "--dump-dom", page.as_uri() + "#all"],
        capture_output=True, text=True, timeout=90, env={**os.environ, "HOME": str(profile)},
    )  # fmt: skip
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'data-ready="1"' in dom.stdout and 'data-count="0"' in dom.stdout
    assert "显示 1 / 1 个商品包" in dom.stdout  # the script's count uses the translated template
