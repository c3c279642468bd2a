"""Each plugin runs on its own: a crash or a hang is a finding, never the end of the run."""

from __future__ import annotations

import time

from listguard import Finding, Location, hookimpl
from listguard.config import Config
from listguard.testing import run_checks

from plugins_for_tests import Crashing, Dying, Hanging, Reporting, Trespassing, rule


def test_plugin_that_raises_is_lg900_and_other_plugins_still_report(listing_factory):
    run = run_checks(listing_factory(), plugins=[Crashing(), Reporting()], builtins=False)
    run.assert_findings({"LG900": 1, "RPT001": 1}, only=True)
    crash = run.by_rule("LG900")[0]
    assert "crashing" in crash.message
    assert "RuntimeError: boom in the plugin" in crash.message
    assert crash.evidence["hook"] == "listguard_check_manifest"


def test_plugin_that_raises_in_a_worker_process_is_lg900(listing_factory):
    run = run_checks(listing_factory(), plugins=[Crashing(), Reporting()], builtins=False, jobs=1)
    run.assert_findings({"LG900": 1, "RPT001": 1}, only=True)


def test_plugin_past_its_budget_is_lg901_within_budget_plus_a_few_seconds(listing_factory):
    started = time.monotonic()
    run = run_checks(
        listing_factory(),
        plugins=[Hanging(), Reporting()],
        builtins=False,
        jobs=1,
        config=Config(time_budget=1.0),
    )
    elapsed = time.monotonic() - started
    run.assert_findings({"LG901": 1, "RPT001": 1}, only=True)
    assert "hanging" in run.by_rule("LG901")[0].message
    assert elapsed < 1.0 + 5


def test_hung_plugin_does_not_hold_up_the_next_package(listing_factory):
    first = listing_factory(name="a")
    second = listing_factory(name="b")
    run = run_checks(
        first, second, plugins=[Hanging(), Reporting()], builtins=False, jobs=1,
        config=Config(time_budget=1.0),
    )  # fmt: skip
    assert [r.package for r in run.results] == [str(first), str(second)]
    assert run.codes() == {"LG901": 2, "RPT001": 2}


def test_worker_that_dies_is_lg900_and_the_package_still_completes(listing_factory):
    run = run_checks(listing_factory(), plugins=[Dying(), Reporting()], builtins=False, jobs=1)
    run.assert_findings({"LG900": 1, "RPT001": 1}, only=True)
    assert "died" in run.by_rule("LG900")[0].message


def test_plugin_reporting_a_code_it_does_not_own_is_lg900(listing_factory):
    run = run_checks(listing_factory(), plugins=[Trespassing(), Reporting()], builtins=False)
    run.assert_findings({"LG900": 1, "RPT001": 1}, only=True)
    assert "does not own" in run.by_rule("LG900")[0].message


def test_results_keep_the_order_of_the_sources_with_two_workers(listing_factory):
    paths = [listing_factory(name=f"p{i}") for i in range(5)]
    run = run_checks(*paths, plugins=[Reporting()], builtins=False, jobs=2)
    assert [r.package for r in run.results] == [str(p) for p in paths]


class Early(Reporting):
    """Reports RPT001 and runs before any other plugin (by name)."""

    PLUGIN_NAME = "aaa-early"


class Late:
    """Reports LAT001 and runs after every other plugin (by name)."""

    PLUGIN_NAME = "zzz-late"

    @hookimpl
    def listguard_register_rules(self):
        return [rule("LAT001")]

    @hookimpl
    def listguard_check_manifest(self, ctx):
        yield Finding("LAT001", "late", location=Location(pointer="/sku"))


def test_results_of_a_plugin_before_a_dying_one_are_kept_and_the_blame_is_right(
    listing_factory,
):
    # The worker sends a plugin's results with the next plugin's start: they
    # must be with the parent before the next plugin can kill the worker.
    packages = [listing_factory(name=f"p{i}") for i in range(3)]
    run = run_checks(*packages, plugins=[Early(), Dying(), Late()], builtins=False, jobs=2)
    for result in run.results:
        assert sorted(f.rule for f in result.findings) == ["LAT001", "LG900", "RPT001"]
        assert "dying" in next(f for f in result.findings if f.rule == "LG900").message


def test_results_of_a_plugin_before_a_hanging_one_are_kept(listing_factory):
    packages = [listing_factory(name=f"p{i}") for i in range(2)]
    run = run_checks(
        *packages,
        plugins=[Early(), Hanging(), Late()],
        builtins=False,
        jobs=1,
        config=Config(time_budget=1.0),
    )
    for result in run.results:
        assert sorted(f.rule for f in result.findings) == ["LAT001", "LG901", "RPT001"]
        assert "hanging" in next(f for f in result.findings if f.rule == "LG901").message
