"""Check one package: load it, validate its manifest, run each plugin on its own.

:func:`execute_package` runs in a worker process (or inline) and reports what
happens as a stream of events, so that the host keeps every plugin's findings
even when a later plugin hangs and the worker is killed. :class:`ResultBuilder`
turns those events back into a :class:`~listguard.model.ListingResult`.
"""

from __future__ import annotations

import datetime as dt
import json
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from .brandkit import BrandKit
from .config import Config
from .context import CheckContext
from .i18n import Text, msg
from .manifest import resolve_references, validate_manifest
from .model import Finding, ListingResult, Location, Rule, Severity
from .package import MANIFEST_NAME, open_package
from .pluginmanager import CHECK_HOOKS, PluginHost, call_impl

CORE_PLUGIN = "core"
#: Codes any plugin may report besides its own: a file it cannot decode.
SHARED_CODES = frozenset({"LG006"})


@dataclass(frozen=True)
class RunSettings:
    """What every package of a run is checked with."""

    config: Config
    as_of: dt.date
    brand_kit: BrandKit | None = None
    online: bool = False


# Events sent from :func:`execute_package` to whoever collects the result.
Event = tuple[Any, ...]
Emit = Callable[[Event], None]


def execute_package(
    host: PluginHost,
    settings: RunSettings,
    source: str,
    emit: Emit,
    skip: frozenset[str] = frozenset(),
) -> None:
    """Check the package at ``source``, emitting events:

    * ``("load", findings, sku, tempdir)`` once, after loading;
    * ``("start", plugin)`` before each plugin, ``("plugin", plugin, findings,
      facts)`` after it;
    * ``("done",)`` at the end.

    Plugins named in ``skip`` are not run (they already ran, or hung).
    """
    try:
        package = open_package(source, settings.config.archive)
    except Exception as exc:  # a bug in the loader: a finding, never a lost package
        emit(("load", [host_crash_finding(host, exc)], None, None))
        emit(("done",))
        return
    try:
        findings = list(package.findings)
        manifest = package.manifest
        ctx = None
        try:
            if manifest is not None:
                sections = host.manifest_sections()
                schema_findings = validate_manifest(manifest, sections)
                findings += schema_findings
                refs = resolve_references(package, manifest)
                findings += refs.findings
                if not schema_findings:
                    ctx = CheckContext(
                        package=package,
                        manifest=manifest,
                        config=settings.config,
                        as_of=settings.as_of,
                        brand_kit=settings.brand_kit,
                        online=settings.online,
                        images=refs.images,
                        documents=refs.documents,
                        detail_page=refs.detail_page,
                    )
        except Exception as exc:  # a host bug: keep what loading found so far
            findings.append(host_crash_finding(host, exc))
            ctx = None
        sku = manifest.get("sku") if isinstance(manifest, dict) else None
        tempdir = str(package._tempdir) if package._tempdir else None
        emit(
            (
                "load",
                relative_paths(findings, package),
                sku if isinstance(sku, str) else None,
                tempdir,
            )
        )
        if ctx is not None:
            defaults = host.plugin_option_defaults()
            for plugin in plugins_to_run(host, settings.config):
                if plugin in skip:
                    continue
                emit(("start", plugin))
                try:
                    ctx.current_plugin = plugin
                    ctx.options = {
                        **defaults.get(plugin, {}),
                        **settings.config.plugins.get(plugin, {}),
                    }
                    plugin_findings = run_plugin(host, plugin, ctx)
                    facts = ctx.facts.pop(plugin, {})
                    if not _is_json(facts):  # serialised once: facts can be large
                        plugin_findings.append(_facts_error(host, plugin))
                        facts = {}
                except Exception as exc:  # a host bug around this plugin
                    plugin_findings, facts = [host_crash_finding(host, exc)], {}
                emit(("plugin", plugin, relative_paths(plugin_findings, package), facts))
        emit(("done",))
    finally:
        package.close()


def host_crash_finding(host: PluginHost, exc: BaseException) -> Finding:
    """The ``LG900`` for a bug in the host itself; the same whether the package
    ran inline or in a worker process."""
    return crash_finding(host, CORE_PLUGIN, "check", exc)


def relative_paths(findings: list[Finding], package: Any) -> list[Finding]:
    """``findings`` with the package's absolute paths (its temporary directory, a
    folder's location) replaced by package-relative ones in message, hint and
    evidence: reports are deterministic and reveal no local paths, whatever text
    a plugin copied from an exception."""
    return [_relative_finding(finding, package.relative) for finding in findings]


def _relative_finding(finding: Finding, fix: Callable[[str], str]) -> Finding:
    return replace(
        finding,
        message=_relative_text(finding.message, fix),
        hint=_relative_text(finding.hint, fix) if finding.hint else finding.hint,
        evidence=_relative_value(finding.evidence, fix),
    )


def _relative_text(text: Any, fix: Callable[[str], str]) -> Any:
    if isinstance(text, Text):
        # Rebuild from the args, so that the translated message is fixed too.
        return Text(
            text.template,
            {key: _relative_text(value, fix) for key, value in text.args.items()},
            text.domain,
        )
    if isinstance(text, str):
        return fix(text)
    return text


def _relative_value(value: Any, fix: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return _relative_text(value, fix)
    if isinstance(value, dict):
        return {key: _relative_value(item, fix) for key, item in value.items()}
    if isinstance(value, list):
        return [_relative_value(item, fix) for item in value]
    return value


def plugins_to_run(host: PluginHost, config: Config) -> list[str]:
    """Plugins with check hooks, sorted, less those whose rules are all switched off."""
    names = []
    for name in host.check_plugins():
        codes = [c for c, owner in host.rule_owner.items() if owner == name]
        if codes and not any(config.rule_enabled(c) for c in codes):
            continue
        names.append(name)
    return names


def run_plugin(host: PluginHost, plugin: str, ctx: CheckContext) -> list[Finding]:
    """Run every check hook of one plugin over the package, isolated: an exception
    ends that plugin's checks for this package with an ``LG900`` finding."""
    own = {code for code, owner in host.rule_owner.items() if owner == plugin} | SHARED_CODES
    findings: list[Finding] = []
    calls: list[tuple[str, dict[str, Any]]] = [("listguard_check_manifest", {"ctx": ctx})]
    calls += [("listguard_check_image", {"ctx": ctx, "image": image}) for image in ctx.images]
    calls += [("listguard_check_document", {"ctx": ctx, "document": d}) for d in ctx.documents]
    calls += [("listguard_check_listing", {"ctx": ctx})]
    impls = {hook: _impl_of(host, hook, plugin) for hook in CHECK_HOOKS}
    for hook, kwargs in calls:
        impl = impls[hook]
        if impl is None:
            continue
        produced: list[Any] = []
        crashed = None
        try:
            # Iterate here, not with list(): what a generator yielded before it
            # raised is kept.
            for item in _iterate(call_impl(impl.function, kwargs)):
                produced.append(item)
        except Exception as exc:  # a plugin's bug must not stop the others
            crashed = crash_finding(host, plugin, hook, exc)
        for item in produced:
            if not isinstance(item, Finding):
                findings.append(
                    _plugin_error(
                        host,
                        plugin,
                        msg(
                            "{hook} returned {type}, not a Finding",
                            hook=hook,
                            type=type(item).__name__,
                        ),
                    )
                )
            elif item.rule not in own:
                findings.append(
                    _plugin_error(
                        host,
                        plugin,
                        msg(
                            "{hook} reported rule {rule!r}, which it does not own",
                            hook=hook,
                            rule=item.rule,
                        ),
                    )
                )
            else:
                findings.append(replace(item, plugin=plugin))
        if crashed is not None:
            findings.append(crashed)
            break
    return findings


def _impl_of(host: PluginHost, hook: str, plugin: str) -> Any:
    for impl in host.implementations(hook):
        if impl.plugin_name == plugin:
            return impl
    return None


def _iterate(result: Iterable[Finding] | Finding | None) -> Iterable[Any]:
    if result is None:
        return ()
    if isinstance(result, Finding):
        return (result,)
    return result


def crash_finding(host: PluginHost, plugin: str, hook: str, exc: BaseException) -> Finding:
    """The ``LG900`` finding for a plugin that raised ``exc`` in ``hook``."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
    version = host.version_of(plugin)
    return Finding(
        "LG900",
        msg(
            "{plugin} raised {exception}: {error} (in {hook})",
            plugin=_named(plugin, version),
            exception=type(exc).__name__,
            error=str(exc),
            hook=hook,
        ),
        plugin=CORE_PLUGIN,
        hint=msg("the plugin's other checks did not run for this package; report it to its author"),
        evidence={
            "plugin": plugin,
            "version": version,
            "hook": hook,
            "exception": type(exc).__name__,
            "where": where,
        },
    )


def _named(plugin: str, version: str) -> str:
    if version == "unknown":
        return msg("plugin {name!r}", name=plugin)
    return msg("plugin {name!r} {version}", name=plugin, version=version)


def _plugin_error(host: PluginHost, plugin: str, message: str) -> Finding:
    return Finding(
        "LG900",
        msg("{plugin}: {problem}", plugin=_named(plugin, host.version_of(plugin)), problem=message),
        plugin=CORE_PLUGIN,
        evidence={"plugin": plugin, "version": host.version_of(plugin)},
    )


def _is_json(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def _facts_error(host: PluginHost, plugin: str) -> Finding:
    """The ``LG900`` for a plugin whose facts are not JSON (they are dropped)."""
    return _plugin_error(host, plugin, msg("recorded facts that are not JSON-serialisable"))


def timeout_finding(plugin: str, version: str, budget: float) -> Finding:
    """The ``LG901`` finding for a plugin stopped after ``budget`` seconds."""
    what = msg("loading the package") if plugin == CORE_PLUGIN else _named(plugin, version)
    return Finding(
        "LG901",
        msg(
            "{what} exceeded its time budget of {budget:g} s and was stopped",
            what=what,
            budget=budget,
        ),
        plugin=CORE_PLUGIN,
        hint=msg("look for an unusually large or malformed file; raise time-budget if legitimate"),
        evidence={"plugin": plugin, "budget_seconds": budget},
    )


def worker_died_finding(plugin: str, version: str, exitcode: int | None) -> Finding:
    """The ``LG900`` finding for a worker process that died inside a plugin."""
    what = msg("loading the package") if plugin == CORE_PLUGIN else _named(plugin, version)
    return Finding(
        "LG900",
        msg(
            "the worker process died while {what} ran (exit code {exitcode})",
            what=what,
            exitcode=exitcode,
        ),
        plugin=CORE_PLUGIN,
        hint=msg("a native library crashed or the process ran out of memory on this package"),
        evidence={"plugin": plugin, "exitcode": exitcode},
    )


@dataclass
class ResultBuilder:
    """Collects the events of one package into a finished :class:`ListingResult`."""

    source: str
    sku: str | None = None
    findings: list[Finding] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    done_plugins: set[str] = field(default_factory=set)
    current: str | None = None
    loaded: bool = False
    finished: bool = False
    tempdir: str | None = None

    def handle(self, event: Event) -> None:
        kind = event[0]
        if kind == "load":
            if not self.loaded:  # a resumed run loads again; keep the first
                self.findings += [replace(f, plugin=f.plugin or CORE_PLUGIN) for f in event[1]]
                self.sku = event[2]
                self.loaded = True
            self.tempdir = event[3]
            self.current = None
        elif kind == "start":
            self.current = event[1]
        elif kind == "plugin":
            _, plugin, findings, facts = event
            self.findings += findings
            if facts:
                self.facts[plugin] = facts
            self.done_plugins.add(plugin)
            self.current = None
        elif kind == "done":
            self.finished = True
            self.current = None

    def interrupted(self, finding: Finding) -> frozenset[str]:
        """Record that the running plugin was stopped; returns the plugins to skip
        when the package is resumed in a fresh worker."""
        self.findings.append(finding)
        if self.current is not None:
            self.done_plugins.add(self.current)
        elif not self.loaded:
            self.loaded = True  # loading itself failed: nothing more can run
            self.finished = True
        self.current = None
        return frozenset(self.done_plugins)

    def result(self, rules: dict[str, Rule], config: Config) -> ListingResult:
        findings = self.findings
        if self.tempdir:  # a last net for findings made outside the worker's package
            tempdir = self.tempdir
            findings = [
                _relative_finding(f, lambda text: text.replace(tempdir, "<package>"))
                for f in findings
            ]
        return finalize(ListingResult(self.source, self.sku, findings, self.facts), rules, config)


def finalize(result: ListingResult, rules: dict[str, Rule], config: Config) -> ListingResult:
    """Apply severities, select/ignore, docs links; drop duplicates; sort."""
    seen = set()
    kept = []
    for finding in result.findings:
        if not config.rule_enabled(finding.rule):
            continue
        rule = rules.get(finding.rule)
        severity = config.severity.get(finding.rule) or finding.severity
        if severity is None:
            severity = rule.severity if rule else Severity.ERROR
        finding = replace(
            finding,
            severity=severity,
            plugin=finding.plugin or (rule.plugin if rule else ""),
            docs=finding.docs or config.docs_url.format(code=finding.rule),
        )
        key = (finding.rule, finding.message, _location_key(finding.location))
        if key in seen:
            continue
        seen.add(key)
        kept.append(finding)
    result.findings = kept
    result.sort()
    assign_fingerprints(result)
    return result


def assign_fingerprints(result: ListingResult) -> None:
    """Give every finding its stable fingerprint (for SARIF, baselines, the JSON report)."""
    from .baseline import fingerprints

    for finding in result.findings:
        finding.fingerprint = None
    for finding, fingerprint in zip(result.findings, fingerprints(result), strict=True):
        finding.fingerprint = fingerprint


def _location_key(location: Location) -> tuple[Any, ...]:
    return (*location.sort_key(), tuple(location.bbox or ()))


def check_inline(host: PluginHost, settings: RunSettings, source: str) -> ListingResult:
    """Check one package in this process (no time budget; used by tests and Dask)."""
    builder = ResultBuilder(source)
    try:
        execute_package(host, settings, source, builder.handle)
    except Exception as exc:  # a bug in the host itself: still a finding, not a traceback
        for event in host_crash_events(host, exc):
            builder.handle(event)
    return builder.result(host.rules, settings.config)


def host_crash_events(host: PluginHost, exc: BaseException) -> list[Event]:
    """The events that end a package whose check the host itself broke off; the
    same inline and in a worker, so both report the same ``LG900``."""
    return [("plugin", CORE_PLUGIN, [host_crash_finding(host, exc)], {}), ("done",)]


__all__ = ["MANIFEST_NAME", "ResultBuilder", "RunSettings", "check_inline", "execute_package"]
