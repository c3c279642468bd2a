"""A third-party plugin installed with an entry point is discovered like a built-in."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PYPROJECT = """
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "listguard-tinyplugin"
version = "0.3.1"

[project.entry-points.listguard]
tiny = "listguard_tinyplugin"
"""

MODULE = """
from listguard import Finding, Rule, Severity, hookimpl


@hookimpl
def listguard_register_rules():
    return [Rule("TNY001", "tiny-sku", Severity.WARNING, "the SKU is tiny",
                 what="w", why="y", example="e", fix="f")]


@hookimpl
def listguard_check_manifest(ctx):
    if len(ctx.manifest["sku"]) < 12:
        yield Finding("TNY001", "the SKU is shorter than 12 characters")
"""


@pytest.fixture(scope="module")
def installed_plugin(tmp_path_factory) -> dict[str, str]:
    """Build and install the tiny plugin into its own target folder; returns the env."""
    root = tmp_path_factory.mktemp("tiny")
    source = root / "src"
    (source / "listguard_tinyplugin").mkdir(parents=True)
    (source / "pyproject.toml").write_text(PYPROJECT)
    (source / "listguard_tinyplugin" / "__init__.py").write_text(textwrap.dedent(MODULE))
    target = root / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
         "--no-build-isolation", "--no-index", "--target", str(target), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(target), env.get("PYTHONPATH")]))
    env.pop("LISTGUARD_LOAD_PLUGINS", None)
    env.pop("LISTGUARD_DISABLE_PLUGINS", None)
    return env


def listguard(*args: str, env: dict[str, str], cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "listguard", *args],
        capture_output=True, text=True, env=env, cwd=cwd,
    )  # fmt: skip


def test_entry_point_plugin_rules_appear_in_listguard_rules(installed_plugin):
    out = listguard("rules", env=installed_plugin)
    assert out.returncode == 0, out.stderr
    assert "TNY001" in out.stdout and "tiny" in out.stdout


def test_entry_point_plugin_is_listed_with_its_distribution_version(installed_plugin):
    out = listguard("plugins", "--format", "json", env=installed_plugin)
    plugins = {p["name"]: p for p in json.loads(out.stdout)}
    assert plugins["tiny"]["version"] == "0.3.1"
    assert plugins["tiny"]["source"] == "entrypoint:listguard-tinyplugin"
    assert plugins["tiny"]["rules"] == ["TNY001"]


def test_entry_point_plugin_checks_run(installed_plugin, listing_factory):
    package = listing_factory()
    builtins = [f"-p=no:{name}" for name in ("watermark", "certificates", "manuals", "video",
                                             "listing")]  # fmt: skip
    out = listguard("check", str(package), "--format", "json", "--as-of", "2026-11-22",
                    *builtins, env=installed_plugin)  # fmt: skip
    report = json.loads(out.stdout)
    assert [f["rule"] for f in report["listings"][0]["findings"]] == ["TNY001"]


def test_load_plugins_variable_limits_entry_points(installed_plugin):
    env = {**installed_plugin, "LISTGUARD_LOAD_PLUGINS": ""}
    out = listguard("rules", env=env)
    assert "TNY001" not in out.stdout


def test_no_entrypoints_flag_skips_third_party_plugins(installed_plugin):
    out = listguard("rules", "--no-entrypoints", env=installed_plugin)
    assert "TNY001" not in out.stdout
