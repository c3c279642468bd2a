"""Small plugins the core tests register through ``run_checks(plugins=[...])``."""

from __future__ import annotations

import os
import time

from listguard import Finding, Location, Rule, Severity, hookimpl


def rule(code: str, severity: Severity = Severity.ERROR) -> Rule:
    return Rule(
        code,
        f"test-{code.lower()}",
        severity,
        f"test rule {code}",
        what="w",
        why="y",
        example="e",
        fix="f",
    )


class Reporting:
    """Reports one RPT001 finding per package, from the manifest hook."""

    PLUGIN_NAME = "reporting"

    @hookimpl
    def listguard_register_rules(self):
        return [rule("RPT001", Severity.WARNING)]

    @hookimpl
    def listguard_check_manifest(self, ctx):
        yield Finding("RPT001", f"sku is {ctx.manifest['sku']}", location=Location(pointer="/sku"))


class Crashing:
    """Raises in its manifest check."""

    PLUGIN_NAME = "crashing"

    @hookimpl
    def listguard_register_rules(self):
        return [rule("CRA001")]

    @hookimpl
    def listguard_check_manifest(self, ctx):
        raise RuntimeError("boom in the plugin")


class Hanging:
    """Sleeps far past any test's time budget."""

    PLUGIN_NAME = "hanging"

    @hookimpl
    def listguard_register_rules(self):
        return [rule("HNG001")]

    @hookimpl
    def listguard_check_manifest(self, ctx):
        time.sleep(300)


class Dying:
    """Kills its own worker process, as a native crash would."""

    PLUGIN_NAME = "dying"

    @hookimpl
    def listguard_register_rules(self):
        return [rule("DIE001")]

    @hookimpl
    def listguard_check_manifest(self, ctx):
        os._exit(3)


class Trespassing:
    """Reports a rule code it does not own."""

    PLUGIN_NAME = "trespassing"

    @hookimpl
    def listguard_register_rules(self):
        return [rule("TRS001")]

    @hookimpl
    def listguard_check_manifest(self, ctx):
        yield Finding("RPT001", "not mine to report")
