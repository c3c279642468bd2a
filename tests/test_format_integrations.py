"""The pre-commit hook and the GitHub Action, run the way their hosts run them."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from listguard.testing import base_manifest, write_package

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ONLY_CORE = "watermark,certificates,manuals,video,listing"


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    write_package(repo / "listings" / "ok", base_manifest(sku="OK"))
    write_package(
        repo / "listings" / "bad", base_manifest(sku="BAD", manuals=[{"file": "m/x.pdf"}])
    )
    return repo


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "LISTGUARD_DISABLE_PLUGINS": ONLY_CORE,
        **extra,
    }


def test_pre_commit_hook_files_pattern_matches_package_files_only() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    for path in (
        "listings/a/listing.json",
        "a/images/main.JPG".lower(),
        "p.zip",
        "d/detail.html",
        "m/manual.pdf",
    ):
        assert pattern.search(path), path
    for path in ("README.md", "src/app.py", "listing.json.bak"):
        assert not pattern.search(path), path


def test_pre_commit_hook_entry_checks_the_packages_and_fails_on_errors(tmp_path: Path) -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    repo = _repo(tmp_path)
    # pre-commit runs `entry` + `args` in the repository root, with no file names.
    command = [*shlex.split(hook["entry"]), "listings", "--as-of", "2026-11-22", "-j", "0"]
    result = subprocess.run(
        command, cwd=repo, env=_env(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1, result.stderr
    assert "LG003" in result.stdout and "\x1b[" not in result.stdout


def _check_step_script() -> tuple[str, dict[str, str]]:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "check")
    defaults = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    env = {}
    for key, value in step["env"].items():
        match = re.fullmatch(r"\$\{\{ inputs\.([a-z-]+) \}\}", value)
        assert match, value
        env[key] = defaults[match.group(1)]
    return step["run"], env


def test_action_check_step_writes_sarif_annotations_and_summary(tmp_path: Path) -> None:
    script, env = _check_step_script()
    repo = _repo(tmp_path)
    outputs, summary = tmp_path / "outputs", tmp_path / "summary.md"
    env.update(LG_PATHS="listings", LG_AS_OF="2026-11-22", LG_ARGS="-j 0")
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(
            tmp_path,
            **env,
            RUNNER_TEMP=str(tmp_path),
            GITHUB_OUTPUT=str(outputs),
            GITHUB_STEP_SUMMARY=str(summary),
        ),
    )
    assert result.returncode == 0, result.stderr  # the findings fail a later step
    assert "exit-code=1" in outputs.read_text()
    sarif = json.loads((repo / "listguard.sarif").read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["LG003"]
    assert "::error file=listings/bad/m/x.pdf" in result.stdout
    assert "| 🔴 fail | listings/bad | BAD |" in summary.read_text()


def test_action_check_step_stops_when_the_run_cannot_happen(tmp_path: Path) -> None:
    script, env = _check_step_script()
    outputs = tmp_path / "outputs"
    env.update(LG_PATHS="does-not-exist")
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(
            tmp_path,
            **env,
            RUNNER_TEMP=str(tmp_path),
            GITHUB_OUTPUT=str(outputs),
            GITHUB_STEP_SUMMARY=str(tmp_path / "s.md"),
        ),
    )
    assert result.returncode == 2
    assert "exit-code=2" in outputs.read_text()
