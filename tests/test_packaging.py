"""The distribution: one import package, ``listguard``, with its schemas as data."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """Build the wheel from a copy of the source tree (the repo stays untouched)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    for folder in ("core", "plugins", "schemas"):
        shutil.copytree(
            REPO / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "-w", str(work / "dist"), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    (built,) = (work / "dist").glob("listguard-*.whl")
    return zipfile.ZipFile(built)


def test_wheel_ships_the_json_schemas(wheel):
    names = set(wheel.namelist())
    for schema in ("listing", "brandkit", "report"):
        assert f"listguard/schemas/{schema}.schema.json" in names


def test_wheel_has_no_bare_core_or_plugins_package(wheel):
    tops = {name.split("/")[0] for name in wheel.namelist()}
    assert "core" not in tops and "plugins" not in tops and "schemas" not in tops
    assert "listguard" in tops


def test_wheel_ships_the_builtin_plugins_under_listguard(wheel):
    names = set(wheel.namelist())
    for plugin in ("watermark", "certificates", "manuals", "video", "listing"):
        assert f"listguard/plugins/{plugin}/__init__.py" in names


def test_wheel_declares_the_console_script(wheel):
    (entry_points,) = [n for n in wheel.namelist() if n.endswith("entry_points.txt")]
    assert "listguard = listguard.cli:main" in wheel.read(entry_points).decode()


def test_every_source_package_is_in_the_wheel(wheel):
    """A new subpackage must be listed in pyproject.toml, or it silently goes missing."""
    names = set(wheel.namelist())
    for folder, prefix in (("core", "listguard"), ("plugins", "listguard/plugins")):
        for init in (REPO / folder).rglob("__init__.py"):
            if "__pycache__" in init.parts or "templates" in init.parts:
                continue
            relative = init.relative_to(REPO / folder).as_posix()
            assert f"{prefix}/{relative}" in names, f"{folder}/{relative} is not packaged"
