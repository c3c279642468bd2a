"""examples/listguard-battery installs into a fresh venv, is discovered, and its rules fire."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from listguard.testing import base_manifest, make_venv, pip_install, write_package

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "listguard-battery"


@pytest.fixture(scope="module")
def venv_python(tmp_path_factory):
    """A throwaway venv with the example installed from a copy (so that the
    build leaves no artefacts in the repository)."""
    root = tmp_path_factory.mktemp("battery")
    source = shutil.copytree(
        EXAMPLE, root / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
    )
    python = make_venv(root / "venv")
    pip_install(python, source)
    return python


def _with_battery(**section):
    return base_manifest(**{"x-battery": section})


def _listguard(python, *args, cwd=None):
    return subprocess.run(
        [str(python), "-m", "listguard", *args], capture_output=True, text=True, cwd=cwd
    )


def test_listguard_plugins_lists_battery_from_its_entry_point(venv_python):
    done = _listguard(venv_python, "plugins", "--format", "json")
    assert done.returncode == 0, done.stderr
    battery = {p["name"]: p for p in json.loads(done.stdout)}["battery"]
    assert battery["source"] == "entrypoint:listguard-battery"
    assert battery["version"] == "0.1.0"
    assert battery["rules"] == [f"BAT00{n}" for n in range(1, 7)]
    assert "listguard_manifest_sections" in battery["hooks"]


def test_installed_battery_rules_fire_on_a_package(venv_python, tmp_path):
    manifest = base_manifest(
        **{"x-battery": {"chemistry": "li-ion", "watt_hours": 160, "cells": 8}}
    )
    package = write_package(tmp_path / "pkg", manifest)
    done = _listguard(
        venv_python, "check", str(package), "--format", "json", "--as-of", "2026-11-22", "-j", "0"
    )
    assert done.returncode == 1, done.stderr  # BAT001 is an error
    findings = json.loads(done.stdout)["listings"][0]["findings"]
    battery = sorted(f["rule"] for f in findings if f["plugin"] == "battery")
    assert battery == ["BAT001", "BAT004"]


def test_installed_battery_extends_the_manifest_schema(venv_python, tmp_path):
    manifest = base_manifest(
        **{"x-battery": {"chemistry": "lead-acid", "watt_hours": 5, "cells": 1}}
    )
    package = write_package(tmp_path / "pkg", manifest)
    done = _listguard(venv_python, "check", str(package), "--format", "json", "-j", "0")
    findings = json.loads(done.stdout)["listings"][0]["findings"]
    assert [(f["rule"], f["location"]["pointer"]) for f in findings] == [
        ("LG002", "/x-battery/chemistry")
    ]


def test_installed_battery_rule_docs_print(venv_python):
    done = _listguard(venv_python, "rules", "BAT003")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# BAT003 un38-watt-hours-mismatch")


def test_battery_examples_own_tests_pass_against_the_installed_package(venv_python, tmp_path):
    # The tests and shipped docs, without the checkout's pyproject (whose
    # pythonpath would import the source rather than the installed package).
    shutil.copytree(EXAMPLE / "tests", tmp_path / "tests")
    shutil.copytree(EXAMPLE / "docs", tmp_path / "docs")
    done = subprocess.run(
        [str(venv_python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert " passed" in done.stdout and "skipped" not in done.stdout
