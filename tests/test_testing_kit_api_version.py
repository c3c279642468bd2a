"""The versioned plugin API: a plugin declares LISTGUARD_API; the host checks it."""

import sys
import types

import pytest

from listguard import PLUGIN_API_VERSION, hookimpl
from listguard.hookspecs import SUPPORTED_PLUGIN_API_VERSIONS
from listguard.pluginmanager import PluginHost, PluginLoadError
from listguard.testing import run_checks, run_cli


def _plugin(name, api):
    module = types.ModuleType(name)
    module.PLUGIN_NAME = name
    module.LISTGUARD_API = api
    module.listguard_check_manifest = hookimpl(lambda ctx: None)
    return module


@pytest.fixture
def future_plugin_module():
    """An importable module written for an API this host does not implement."""
    module = _plugin("future", 99)
    sys.modules["listguard_future_plugin"] = module
    yield "listguard_future_plugin"
    del sys.modules["listguard_future_plugin"]


def test_host_implements_the_api_version_it_exports():
    assert PLUGIN_API_VERSION in SUPPORTED_PLUGIN_API_VERSIONS


def test_plugin_declaring_the_current_api_loads():
    host = PluginHost(plugins=(_plugin("current", PLUGIN_API_VERSION),), entrypoints=False, env={})
    assert "current" in {info.name for info in host.load().plugin_infos()}


def test_plugin_without_a_declaration_is_taken_as_the_current_api():
    module = _plugin("undeclared", PLUGIN_API_VERSION)
    del module.LISTGUARD_API
    PluginHost(plugins=(module,), entrypoints=False, env={}).load()


def test_plugin_declaring_an_unsupported_api_fails_with_one_clear_line():
    host = PluginHost(plugins=(_plugin("future", 99),), entrypoints=False, env={})
    with pytest.raises(PluginLoadError) as failure:
        host.load()
    message = str(failure.value)
    assert "\n" not in message
    assert "plugin 'future'" in message
    assert "API 99" in message
    assert f"implements API {PLUGIN_API_VERSION}" in message


def test_run_checks_refuses_a_plugin_for_an_unsupported_api(listing_factory):
    with pytest.raises(PluginLoadError, match="plugin 'future' was written for"):
        run_checks(listing_factory(), plugins=[_plugin("future", 99)], builtins=False)


def test_cli_with_an_unsupported_api_plugin_exits_2_with_one_line(future_plugin_module):
    result = run_cli("plugins", "--no-entrypoints", "-p", future_plugin_module)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("listguard: error: plugin 'future' was written for")
