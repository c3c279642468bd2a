"""Loading plugins: validation of rules and hooks, and the ways to select plugins."""

from __future__ import annotations

import pytest

from listguard import hookimpl
from listguard.pluginmanager import DEFAULT_PLUGINS, PluginHost, PluginLoadError

from plugins_for_tests import Reporting, rule


def host_with(*plugins, env=None) -> PluginHost:
    return PluginHost(
        plugins=plugins, entrypoints=False, default_plugins=("listguard.corerules",), env=env or {}
    )


class Named:
    def __init__(self, name, rules=(), **hooks):
        self.PLUGIN_NAME = name
        self._rules = list(rules)

        @hookimpl
        def listguard_register_rules():
            return self._rules

        self.listguard_register_rules = listguard_register_rules


def test_builtin_plugins_are_plain_modules_loaded_from_default_plugins():
    host = PluginHost(entrypoints=False, env={}).load()
    names = {info.name for info in host.plugin_infos()}
    assert {"core", "text-format", "json-format"} <= names
    assert all(path.startswith("listguard.") for path in DEFAULT_PLUGINS)


def test_loading_is_idempotent():
    host = host_with(Reporting())
    assert host.load() is host.load()
    assert list(host.rules).count("RPT001") == 1


def test_two_plugins_claiming_one_code_is_a_load_error():
    with pytest.raises(PluginLoadError, match="RPT001 is claimed by both"):
        host_with(Named("a", [rule("RPT001")]), Named("b", [rule("RPT001")])).load()


def test_two_plugins_claiming_one_prefix_is_a_load_error():
    with pytest.raises(PluginLoadError, match="prefix RPT is claimed"):
        host_with(Named("a", [rule("RPT001")]), Named("b", [rule("RPT002")])).load()


def test_plugin_with_two_prefixes_is_a_load_error():
    with pytest.raises(PluginLoadError, match="several prefixes"):
        host_with(Named("a", [rule("AAA001"), rule("BBB001")])).load()


@pytest.mark.parametrize("code", ["rpt001", "R001", "TOOLONG001", "RPT01", "RPT0001"])
def test_rule_code_must_match_the_pattern(code):
    with pytest.raises(PluginLoadError, match="does not match"):
        host_with(Named("a", [rule(code)])).load()


def test_misspelled_hook_name_fails_loudly():
    class Typo:
        PLUGIN_NAME = "typo"

        @hookimpl
        def listguard_check_manifesto(self, ctx):
            return None

    with pytest.raises(PluginLoadError, match="typo"):
        host_with(Typo()).load()


def test_plugin_for_an_unsupported_api_version_is_refused():
    class Future:
        PLUGIN_NAME = "future"
        LISTGUARD_API = 99

    with pytest.raises(PluginLoadError, match="plugin API 99"):
        host_with(Future()).load()


def test_disable_plugins_variable_skips_a_builtin():
    host = PluginHost(entrypoints=False, env={"LISTGUARD_DISABLE_PLUGINS": "text-format"}).load()
    assert "text" not in host.output_formats()


def test_dash_p_no_disables_a_plugin():
    host = PluginHost(entrypoints=False, extra=("no:json-format",), env={}).load()
    assert "json" not in host.output_formats()


def test_dash_p_loads_a_module_by_import_path():
    host = PluginHost(
        entrypoints=False, extra=("plugins_for_tests_module",), env={},
        default_plugins=("listguard.corerules",),
    ).load()  # fmt: skip
    assert "MOD001" in host.rules
    assert host.rules["MOD001"].plugin == "plugins_for_tests_module"


def test_dash_p_module_that_fails_to_import_is_a_one_line_error():
    with pytest.raises(PluginLoadError) as info:
        PluginHost(entrypoints=False, extra=("no_such_module_xyz",), env={}).load()
    message = str(info.value)
    assert "no_such_module_xyz" in message and "\n" not in message


def test_rules_know_their_plugin():
    host = host_with(Reporting()).load()
    assert host.rules["RPT001"].plugin == "reporting"
    assert host.rule_owner["LG001"] == "core"


def test_built_in_rule_summaries_have_no_closing_period():
    # A summary is a table cell and a finding's headline: a phrase, not a sentence.
    host = PluginHost(entrypoints=False, env={}).load()
    for code, registered in host.rules.items():
        assert registered.summary.strip() and not registered.summary.endswith("."), code
