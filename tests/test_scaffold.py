"""`listguard plugin new`: the scaffolded plugin installs, is discovered, and its tests pass."""

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from listguard.testing import base_manifest, make_venv, pip_install, run_checks, run_cli

RUFF = Path(sys.executable).with_name("ruff")


def _new(tmp_path, name="acme-power", prefix="ACME"):
    target = tmp_path / f"listguard-{name}"
    result = run_cli("plugin", "new", name, "--prefix", prefix, "--dir", str(target))
    assert result.exit_code == 0, result.stderr
    return target


def _import(path, module):
    spec = importlib.util.spec_from_file_location(module, path / module / "__init__.py")
    plugin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(plugin)
    return plugin


def test_scaffold_writes_package_module_tests_ci_and_readme(tmp_path):
    target = _new(tmp_path)
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
    assert files == [
        ".github/workflows/ci.yml",
        ".gitignore",
        "README.md",
        "listguard_acme_power/__init__.py",
        "listguard_acme_power/py.typed",
        "pyproject.toml",
        "tests/conftest.py",
        "tests/test_plugin.py",
    ]


def test_scaffold_pyproject_registers_the_listguard_entry_point(tmp_path):
    import tomllib

    pyproject = tomllib.loads((_new(tmp_path) / "pyproject.toml").read_text())
    assert pyproject["project"]["name"] == "listguard-acme-power"
    assert pyproject["project"]["entry-points"]["listguard"] == {
        "acme-power": "listguard_acme_power"
    }


def test_scaffold_ci_workflow_keeps_github_expressions(tmp_path):
    workflow = (_new(tmp_path) / ".github/workflows/ci.yml").read_text()
    assert "${{ matrix.python-version }}" in workflow
    assert "p['name'] == 'acme-power'" in workflow


def test_scaffolded_rule_is_documented_and_fires(tmp_path):
    plugin = _import(_new(tmp_path), "listguard_acme_power")
    rule = plugin.RULES[0]
    assert (rule.code, plugin.PLUGIN_NAME, plugin.LISTGUARD_API) == ("ACME001", "acme-power", 1)
    package = tmp_path / "pkg"
    from listguard.testing import write_package

    write_package(package, base_manifest(product_name="Nothing"))
    run_checks(package, plugins=[plugin], builtins=False).assert_findings({"ACME001": 1})


@pytest.mark.skipif(not RUFF.exists(), reason="ruff is not installed next to python")
def test_scaffolded_code_is_ruff_clean_under_its_own_config(tmp_path):
    target = _new(tmp_path)
    done = subprocess.run(
        [str(RUFF), "check", "--no-cache", "."], capture_output=True, text=True, cwd=target
    )
    assert done.returncode == 0, done.stdout


@pytest.mark.parametrize(
    ("name", "prefix", "message"),
    [
        ("Acme", "ACME", "kebab-case"),
        ("acme", "acme", "capital letters"),
        ("acme", "ABCDEF", "capital letters"),
    ],
)
def test_scaffold_refuses_bad_names_and_prefixes(tmp_path, name, prefix, message):
    result = run_cli("plugin", "new", name, "--prefix", prefix, "--dir", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert message in result.stderr


def test_scaffold_refuses_a_non_empty_directory(tmp_path):
    (tmp_path / "README.md").write_text("mine")
    result = run_cli("plugin", "new", "acme", "--prefix", "ACME", "--dir", str(tmp_path))
    assert result.exit_code == 2
    assert "not empty" in result.stderr
    assert (tmp_path / "README.md").read_text() == "mine"


def test_scaffold_installs_in_a_fresh_venv_is_discovered_and_its_tests_pass(tmp_path):
    target = _new(tmp_path)
    python = make_venv(tmp_path / "venv")
    pip_install(python, target)

    plugins = subprocess.run(
        [str(python), "-m", "listguard", "plugins", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    found = {p["name"]: p for p in json.loads(plugins.stdout)}
    assert found["acme-power"]["source"] == "entrypoint:listguard-acme-power"
    assert found["acme-power"]["rules"] == ["ACME001"]

    # Run the scaffold's tests against the *installed* plugin: a copy of tests/
    # without the checkout's pyproject (whose pythonpath would import the source).
    tests = shutil.copytree(target / "tests", tmp_path / "installed-tests")
    done = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 passed" in done.stdout
