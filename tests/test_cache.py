"""The result cache: unchanged packages are not checked again; anything that changes
the result changes the key."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from listguard.cache import ResultCache, cache_for_run, clear_cache, package_digest
from listguard.checks import RunSettings
from listguard.config import Config
from listguard.pluginmanager import PluginHost
from listguard.runner import Runner
from listguard.testing import base_manifest, write_package

from plugins_for_tests import Crashing, Reporting


class Counting(Reporting):
    """Reporting, and counts how often its check ran (in this process)."""

    PLUGIN_NAME = "counting"
    calls = 0

    def listguard_check_manifest(self, ctx):
        type(self).calls += 1
        return super().listguard_check_manifest(ctx)


def make_runner(tmp_path, plugins, as_of="2026-11-22", jobs=0, config=None):
    host = PluginHost(
        plugins=tuple(plugins), entrypoints=False, default_plugins=("listguard.corerules",),
        env={},
    ).load()  # fmt: skip
    settings = RunSettings(config=config or Config(), as_of=dt.date.fromisoformat(as_of))
    cache = cache_for_run(host, settings, folder=tmp_path / "cache")
    return Runner(host, settings, jobs=jobs, cache=cache), cache


@pytest.fixture
def package(tmp_path):
    return write_package(tmp_path / "pkg", base_manifest(), {"notes.txt": "v1"})


def test_second_run_of_an_unchanged_package_is_served_from_the_cache(tmp_path, package):
    runner, cache = make_runner(tmp_path, [Reporting()])
    first = list(runner.run([str(package)]))
    runner, cache = make_runner(tmp_path, [Reporting()])
    second = list(runner.run([str(package)]))
    assert cache.hits == 1
    assert [r.to_dict() for r in first] == [r.to_dict() for r in second]


def test_changed_file_content_misses_the_cache(tmp_path, package):
    runner, _ = make_runner(tmp_path, [Reporting()])
    list(runner.run([str(package)]))
    (package / "notes.txt").write_text("v2")
    runner, cache = make_runner(tmp_path, [Reporting()])
    list(runner.run([str(package)]))
    assert cache.hits == 0


def test_another_check_date_misses_the_cache(tmp_path, package):
    runner, _ = make_runner(tmp_path, [Reporting()])
    list(runner.run([str(package)]))
    runner, cache = make_runner(tmp_path, [Reporting()], as_of="2026-11-23")
    list(runner.run([str(package)]))
    assert cache.hits == 0


def test_another_configuration_misses_the_cache(tmp_path, package):
    runner, _ = make_runner(tmp_path, [Reporting()])
    list(runner.run([str(package)]))
    runner, cache = make_runner(tmp_path, [Reporting()], config=Config(warning_days=10))
    list(runner.run([str(package)]))
    assert cache.hits == 0


def test_cached_result_carries_the_path_given_this_time(tmp_path, package):
    runner, _ = make_runner(tmp_path, [Reporting()])
    list(runner.run([str(package)]))
    copy = tmp_path / "copy"
    import shutil

    shutil.copytree(package, copy)
    runner, cache = make_runner(tmp_path, [Reporting()])
    (result,) = runner.run([str(copy)])
    assert cache.hits == 1 and result.package == str(copy)


def test_corrupt_entry_is_ignored_and_rewritten(tmp_path, package):
    runner, cache = make_runner(tmp_path, [Reporting()])
    list(runner.run([str(package)]))
    (entry,) = (tmp_path / "cache").rglob("*.json")
    entry.write_text("{ truncated")
    runner, cache = make_runner(tmp_path, [Reporting()])
    (result,) = runner.run([str(package)])
    assert cache.hits == 0 and result.findings
    assert json.loads(entry.read_text())["findings"]


def test_results_with_a_crashed_plugin_are_not_stored(tmp_path, package):
    runner, _ = make_runner(tmp_path, [Crashing(), Reporting()])
    list(runner.run([str(package)]))
    assert not list((tmp_path / "cache").rglob("*.json"))


def test_cache_works_with_worker_processes(tmp_path, package):
    runner, _ = make_runner(tmp_path, [Reporting()], jobs=2)
    list(runner.run([str(package)]))
    runner, cache = make_runner(tmp_path, [Reporting()], jobs=2)
    (result,) = runner.run([str(package)])
    assert cache.hits == 1 and result.findings[0].rule == "RPT001"


def test_symlink_is_hashed_by_its_target_text_not_followed(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("a")
    pkg = write_package(tmp_path / "pkg", base_manifest())
    (pkg / "link.txt").symlink_to(outside)
    before = package_digest(str(pkg))
    outside.write_text("changed outside the package")
    assert package_digest(str(pkg)) == before


def test_clear_cache_removes_every_entry(tmp_path, package):
    runner, _ = make_runner(tmp_path, [Reporting()])
    list(runner.run([str(package)]))
    assert clear_cache(tmp_path / "cache") == 1
    assert not (tmp_path / "cache").exists()


def test_unwritable_cache_folder_is_not_fatal(tmp_path, package):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be")
    cache = ResultCache(blocker, "run")
    runner, _ = make_runner(tmp_path, [Reporting()])
    runner.cache = cache
    (result,) = runner.run([str(package)])
    assert result.findings


def test_cache_entry_round_trips_the_result(tmp_path, package):
    runner, cache = make_runner(tmp_path, [Reporting()])
    (first,) = runner.run([str(package)])
    key = cache.key(str(package))
    again = cache.get(key, str(package))
    assert again is not None
    assert dataclasses.asdict(again) == dataclasses.asdict(first)


def test_cache_clear_command_empties_the_cache_dir(tmp_path, package, monkeypatch, capsys):
    from listguard.cli import main

    monkeypatch.setenv("LISTGUARD_CACHE_DIR", str(tmp_path / "cache"))
    runner, _ = make_runner(tmp_path, [Reporting()])
    list(runner.run([str(package)]))
    assert main(["cache", "dir"]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "cache")
    assert main(["cache", "clear"]) == 0
    assert "removed 1 cache entry" in capsys.readouterr().out
    assert not (tmp_path / "cache").exists()


def test_warm_parallel_run_streams_results_without_reading_the_whole_catalog(tmp_path):
    # A cached catalog must not be loaded into memory before the first result
    # is written: lookups run a bounded window ahead of the output.
    paths = [
        str(write_package(tmp_path / f"p{i:03d}", base_manifest(sku=f"TEST-SKU-{i}")))
        for i in range(150)
    ]
    runner, _ = make_runner(tmp_path, [Reporting()])
    list(runner.run(paths))
    runner, cache = make_runner(tmp_path, [Reporting()], jobs=2)
    results = runner.run(paths)
    first = next(results)
    assert first.sku == "TEST-SKU-0"
    assert cache.hits < 100
    rest = list(results)
    assert [r.sku for r in rest] == [f"TEST-SKU-{i}" for i in range(1, 150)]
    assert cache.hits == 150
