"""The plugin author's documentation is complete and current.

* docs/plugin-hooks.md has a section per hook in listguard.hookspecs, with the
  hook's exact arguments, each argument described, what to return, and an
  example that loads as a plugin (like datasette's test_plugins_documented).
* Every loaded rule, built-ins included, has its four docs sections, and
  docs/rules/ is what `listguard plugin docs` generates from them.
"""

import inspect
import re
import types
from pathlib import Path

import pytest

from listguard import hookspecs
from listguard.commands.plugin import render_rule_docs, stale_pages
from listguard.pluginmanager import PluginHost
from listguard.testing import assert_rules_documented, run_cli

ROOT = Path(__file__).resolve().parent.parent
HOOKS_DOC = ROOT / "docs" / "plugin-hooks.md"
RULES_DIR = ROOT / "docs" / "rules"
REGENERATE = "listguard plugin docs --no-entrypoints --output docs/rules"

HOOKS = {
    name: function
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(function, f"{hookspecs.PROJECT_NAME}_spec")
}


def _sections() -> dict[str, tuple[list[str], str]]:
    """``{hook: (arguments in its heading, section text)}`` from plugin-hooks.md."""
    text = HOOKS_DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## (\w+)\(([^)]*)\)\s*$", text, flags=re.MULTILINE)
    sections = {}
    for name, args, body in zip(parts[1::3], parts[2::3], parts[3::3], strict=True):
        sections[name] = ([a.strip() for a in args.split(",") if a.strip()], body)
    return sections


def _example(body: str) -> str:
    blocks = re.findall(r"\*\*Example:\*\*\s*```python\n(.*?)```", body, flags=re.DOTALL)
    assert len(blocks) == 1, "one **Example:** python block per hook"
    return blocks[0]


def _loaded_rules():
    return PluginHost(entrypoints=False, env={}).load().rules


def test_hookspecs_are_found():
    assert "listguard_check_document" in HOOKS and len(HOOKS) >= 8


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_hook_has_a_section_with_its_exact_arguments(hook):
    sections = _sections()
    assert hook in sections, f"docs/plugin-hooks.md has no '## {hook}(...)' section"
    documented, _ = sections[hook]
    assert documented == list(inspect.signature(HOOKS[hook]).parameters)


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_each_hook_argument_is_described(hook):
    _, body = _sections()[hook]
    for argument in inspect.signature(HOOKS[hook]).parameters:
        assert re.search(rf"^\* `{argument}` — \S", body, flags=re.MULTILINE), (
            f"{hook}: argument {argument!r} is not described"
        )
    if not inspect.signature(HOOKS[hook]).parameters:
        assert "**Arguments:** none." in body


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_each_hook_says_what_to_return(hook):
    _, body = _sections()[hook]
    assert re.search(r"^\*\*Returns:\*\* \S", body, flags=re.MULTILINE)


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_each_hook_example_loads_as_a_plugin_implementing_it(hook):
    _, body = _sections()[hook]
    module = types.ModuleType(f"example_{hook}")
    exec(compile(_example(body), f"plugin-hooks.md:{hook}", "exec"), module.__dict__)
    host = PluginHost(plugins=(module,), entrypoints=False, env={}, default_plugins=())
    host.load()  # pluggy's check_pending: hook names and argument names are valid
    assert hook in host.plugin_infos()[0].hooks


def test_no_section_documents_a_hook_that_does_not_exist():
    assert set(_sections()) - set(HOOKS) == set()


@pytest.mark.parametrize("hook", sorted(HOOKS))
def test_hookspec_docstring_documents_parameters_and_return(hook):
    doc = inspect.getdoc(HOOKS[hook]) or ""
    for argument in inspect.signature(HOOKS[hook]).parameters:
        assert f":param {argument}:" in doc
    assert ":return:" in doc


def test_every_loaded_rule_has_all_four_docs_sections():
    assert_rules_documented(_loaded_rules().values())


def test_docs_rules_is_what_the_generator_writes():
    stale = stale_pages(RULES_DIR, render_rule_docs(_loaded_rules().values()))
    assert stale == [], f"docs/rules is out of date ({', '.join(stale)}); run: {REGENERATE}"


def test_rules_command_prints_the_same_page_as_docs_rules():
    rule = _loaded_rules()["LG002"]
    result = run_cli("rules", "LG002", "--no-entrypoints")
    assert result.stdout == rule.docs_markdown()
    assert (RULES_DIR / "LG002.md").read_text(encoding="utf-8").endswith(result.stdout)


def test_docs_check_reports_a_stale_page_and_exits_1(tmp_path):
    assert run_cli("plugin", "docs", "--no-entrypoints", "--output", str(tmp_path)).exit_code == 0
    (tmp_path / "LG001.md").write_text("edited by hand\n")
    result = run_cli("plugin", "docs", "--no-entrypoints", "--check", "--output", str(tmp_path))
    assert result.exit_code == 1
    assert "LG001.md: out of date" in result.stderr


def test_docs_generation_removes_pages_of_rules_that_are_gone(tmp_path):
    (tmp_path / "ZZ001.md").write_text("an old rule\n")
    (tmp_path / "notes.md").write_text("not a rule page\n")
    run_cli("plugin", "docs", "--no-entrypoints", "--output", str(tmp_path))
    assert not (tmp_path / "ZZ001.md").exists()
    assert (tmp_path / "notes.md").exists()


def test_docs_index_links_every_rule():
    rules = _loaded_rules()
    index = render_rule_docs(rules.values())["index.md"]
    assert all(f"[{code}]({code}.md)" in index for code in rules)


def test_writing_plugins_guide_example_rule_works_as_written(listing_factory):
    from listguard.testing import base_manifest, run_checks

    guide = (ROOT / "docs" / "writing-plugins.md").read_text(encoding="utf-8")
    plugin_code = re.findall(r"```python\n(.*?)```", guide, flags=re.DOTALL)[0]
    module = types.ModuleType("listguard_acme_power")
    exec(compile(plugin_code, "writing-plugins.md", "exec"), module.__dict__)
    assert_rules_documented(module.RULES)
    failing = listing_factory(base_manifest(category="power"), name="fails")
    passing = listing_factory(base_manifest(category="power", **{"x-acme": {}}), name="passes")
    run_checks(failing, plugins=[module], builtins=False).assert_findings({"ACME002": 1})
    run_checks(passing, plugins=[module], builtins=False).assert_no_findings()
