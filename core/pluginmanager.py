"""Load plugins and answer questions about them.

Built-in plugins are plain modules listed in :data:`DEFAULT_PLUGINS`, loaded the
same way as third-party ones. Third-party plugins come from the ``listguard``
entry-point group or ``-p module.path`` on the command line.

Environment variables (read at load time):

* ``LISTGUARD_LOAD_PLUGINS``: comma-separated entry-point names; only those
  third-party plugins load (empty: none). Built-ins and ``-p`` are unaffected.
* ``LISTGUARD_DISABLE_PLUGINS``: comma-separated plugin names (built-in or
  not) that are not loaded. ``-p no:NAME`` does the same for one run.

Loading is lazy (nothing is imported until a command needs the plugins),
idempotent, and ends with pluggy's ``check_pending()`` so that a misspelled
hook name fails loudly instead of never running. Any problem is a
:class:`PluginLoadError` with a one-line message naming the plugin.
"""

from __future__ import annotations

import importlib
import inspect
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import pluggy

from . import hookspecs
from ._version import __version__
from .model import RULE_CODE_RE, PluginInfo, Rule

ENTRY_POINT_GROUP = "listguard"

#: Built-in plugins, by module path. The plugin's name is the module's
#: ``PLUGIN_NAME`` attribute, or the last component of its path.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "listguard.corerules",
    "listguard.plugins.watermark",
    "listguard.plugins.certificates",
    "listguard.plugins.manuals",
    "listguard.plugins.video",
    "listguard.plugins.listing",
    "listguard.reporters.text",
    "listguard.reporters.json",
    "listguard.reporters.jsonl",
    "listguard.reporters.sarif",
    "listguard.reporters.junit",
    "listguard.reporters.github",
    "listguard.reporters.markdown",
    "listguard.reporters.html",
)

CHECK_HOOKS = (
    "listguard_check_manifest",
    "listguard_check_image",
    "listguard_check_document",
    "listguard_check_listing",
)


class PluginLoadError(RuntimeError):
    """A plugin could not be loaded or declares something invalid."""


@dataclass
class _Loaded:
    name: str
    plugin: Any
    version: str
    source: str  # "builtin", "entrypoint:<dist>", "-p"


@dataclass
class PluginHost:
    """The pluggy plugin manager plus what listguard needs to know of each plugin.

    :param extra: module paths given with ``-p`` (``no:NAME`` disables a plugin).
    :param entrypoints: load third-party plugins from the entry-point group.
    :param plugins: plugin objects registered directly (the testing kit uses
        this); each may have a ``PLUGIN_NAME`` attribute.
    :param default_plugins: the built-in modules to load.
    :param env: where to read ``LISTGUARD_*`` variables from.
    """

    extra: tuple[str, ...] = ()
    entrypoints: bool = True
    plugins: tuple[Any, ...] = ()
    default_plugins: tuple[str, ...] = DEFAULT_PLUGINS
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))

    def __post_init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self._loaded: list[_Loaded] = []
        self._is_loaded = False
        self.rules: dict[str, Rule] = {}
        self.rule_owner: dict[str, str] = {}
        self._memo: dict[str, Any] = {}

    # -- loading -----------------------------------------------------------

    def load(self) -> PluginHost:
        """Import and register every plugin (once), then validate them."""
        if self._is_loaded:
            return self
        disabled = _split(self.env.get("LISTGUARD_DISABLE_PLUGINS", ""))
        disabled |= {e[3:] for e in self.extra if e.startswith("no:")}
        for module_path in self.default_plugins:
            name = _module_plugin_name(module_path)
            if name in disabled:
                continue
            module = _import(module_path, name)
            name = getattr(module, "PLUGIN_NAME", name)
            if name not in disabled:
                self._register(module, name, __version__, "builtin")
        for obj in self.plugins:
            name = str(
                getattr(obj, "PLUGIN_NAME", None)
                or getattr(obj, "__name__", None)
                or type(obj).__name__
            )
            if name not in disabled:
                self._register(obj, name, _object_version(obj), "object")
        if self.entrypoints:
            self._load_entrypoints(disabled)
        for module_path in self.extra:
            if module_path.startswith("no:"):
                continue
            module = _import(module_path, module_path)
            name = getattr(module, "PLUGIN_NAME", None) or module_path
            if name not in disabled:
                self._register(module, name, _object_version(module), "-p")
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginLoadError(f"plugin {self.pm.get_name(exc.plugin)!r}: {exc}") from None
        self._collect_rules()
        self._is_loaded = True
        return self

    def _load_entrypoints(self, disabled: set[str]) -> None:
        only = self.env.get("LISTGUARD_LOAD_PLUGINS")
        allowed = _split(only) if only is not None else None
        entry_points = sorted(
            metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name
        )
        for ep in entry_points:
            if ep.name in disabled or (allowed is not None and ep.name not in allowed):
                continue
            if self.pm.has_plugin(ep.name):
                continue
            try:
                plugin = ep.load()
            except Exception as exc:  # any import failure is the plugin's, not ours
                raise PluginLoadError(
                    f"cannot load plugin {ep.name!r} (entry point {ep.value}): "
                    f"{type(exc).__name__}: {exc}"
                ) from None
            dist = ep.dist
            version = dist.version if dist is not None else _object_version(plugin)
            source = f"entrypoint:{dist.name}" if dist is not None else "entrypoint"
            self._register(plugin, ep.name, version, source)

    def _register(self, plugin: Any, name: str, version: str, source: str) -> None:
        if self.pm.has_plugin(name):
            raise PluginLoadError(f"two plugins are named {name!r}")
        api = getattr(plugin, "LISTGUARD_API", hookspecs.PLUGIN_API_VERSION)
        if api not in hookspecs.SUPPORTED_PLUGIN_API_VERSIONS:
            raise PluginLoadError(
                f"plugin {name!r} was written for listguard plugin API {api!r}; this listguard "
                f"(version {__version__}) implements API "
                f"{', '.join(map(str, sorted(hookspecs.SUPPORTED_PLUGIN_API_VERSIONS)))}"
            )
        try:
            self.pm.register(plugin, name=name)
        except (ValueError, pluggy.PluginValidationError) as exc:
            raise PluginLoadError(f"plugin {name!r}: {exc}") from None
        self._loaded.append(_Loaded(name, plugin, version, source))

    def _collect_rules(self) -> None:
        prefixes: dict[str, str] = {}
        for loaded in self._loaded:
            impl = getattr(loaded.plugin, "listguard_register_rules", None)
            if impl is None:
                continue
            try:
                rules = list(impl() or [])
            except Exception as exc:
                raise PluginLoadError(
                    f"plugin {loaded.name!r} failed to register its rules: "
                    f"{type(exc).__name__}: {exc}"
                ) from None
            own_prefixes = set()
            for rule in rules:
                if not isinstance(rule, Rule):
                    raise PluginLoadError(
                        f"plugin {loaded.name!r} registered {rule!r}, which is not a Rule"
                    )
                if not RULE_CODE_RE.match(rule.code):
                    raise PluginLoadError(
                        f"plugin {loaded.name!r}: rule code {rule.code!r} does not match "
                        f"{RULE_CODE_RE.pattern}"
                    )
                if rule.code in self.rules:
                    raise PluginLoadError(
                        f"rule {rule.code} is claimed by both {self.rule_owner[rule.code]!r} "
                        f"and {loaded.name!r}"
                    )
                own_prefixes.add(rule.prefix)
                self.rules[rule.code] = _with_plugin(rule, loaded.name)
                self.rule_owner[rule.code] = loaded.name
            if len(own_prefixes) > 1:
                raise PluginLoadError(
                    f"plugin {loaded.name!r} claims several prefixes "
                    f"({', '.join(sorted(own_prefixes))}); a plugin owns one prefix"
                )
            for prefix in own_prefixes:
                if prefix in prefixes:
                    raise PluginLoadError(
                        f"prefix {prefix} is claimed by both {prefixes[prefix]!r} and "
                        f"{loaded.name!r}"
                    )
                prefixes[prefix] = loaded.name

    # -- questions ---------------------------------------------------------

    def plugin_infos(self, with_rules_only: bool = False) -> list[PluginInfo]:
        """Every loaded plugin: name, version, rule codes, hooks it implements."""
        self.load()
        infos = []
        for loaded in sorted(self._loaded, key=lambda item: item.name):
            codes = tuple(sorted(c for c, owner in self.rule_owner.items() if owner == loaded.name))
            if with_rules_only and not codes:
                continue
            hooks = tuple(
                sorted(caller.name for caller in self.pm.get_hookcallers(loaded.plugin) or [])
            )
            infos.append(PluginInfo(loaded.name, loaded.version, codes, hooks, loaded.source))
        return infos

    def version_of(self, name: str) -> str:
        for loaded in self._loaded:
            if loaded.name == name:
                return loaded.version
        return "unknown"

    def manifest_sections(self) -> dict[str, dict[str, Any]]:
        """The ``x-`` sections plugins add to the manifest schema."""
        if "sections" in self._memo:
            return dict(self._memo["sections"])
        sections: dict[str, dict[str, Any]] = {}
        for name, result in self.call_each("listguard_manifest_sections"):
            for key, schema in (result or {}).items():
                if not key.startswith("x-"):
                    raise PluginLoadError(
                        f"plugin {name!r} extends the manifest with {key!r}; plugin sections "
                        "must start with 'x-'"
                    )
                sections[key] = schema
        self._memo["sections"] = sections
        return dict(sections)

    def plugin_option_defaults(self) -> dict[str, dict[str, Any]]:
        """``{plugin: {option: default}}`` from ``listguard_plugin_options``."""
        if "options" not in self._memo:
            self._memo["options"] = {
                name: dict(result or {})
                for name, result in self.call_each("listguard_plugin_options")
            }
        return {name: dict(options) for name, options in self._memo["options"].items()}

    def output_formats(self) -> dict[str, Any]:
        """``{name: OutputFormat}`` from every plugin's ``listguard_output_formats``."""
        formats: dict[str, Any] = {}
        for name, result in self.call_each("listguard_output_formats"):
            for fmt in result or []:
                if fmt.name in formats:
                    raise PluginLoadError(
                        f"output format {fmt.name!r} is provided twice ({name!r})"
                    )
                formats[fmt.name] = fmt
        return formats

    def call_each(self, hook_name: str, **kwargs: Any) -> Iterable[tuple[str, Any]]:
        """Call each plugin's implementation of a registration hook on its own,
        yielding ``(plugin_name, result)``; a failure is a :class:`PluginLoadError`."""
        self.load()
        for impl in self.implementations(hook_name):
            try:
                result = call_impl(impl.function, kwargs)
            except Exception as exc:
                raise PluginLoadError(
                    f"plugin {impl.plugin_name!r} failed in {hook_name}: "
                    f"{type(exc).__name__}: {exc}"
                ) from None
            yield impl.plugin_name, result

    def implementations(self, hook_name: str) -> list[Any]:
        """The hook's implementations, sorted by plugin name for determinism."""
        caller = getattr(self.pm.hook, hook_name)
        return sorted(caller.get_hookimpls(), key=lambda impl: impl.plugin_name)

    def check_plugins(self) -> list[str]:
        """Names of the plugins that implement at least one check hook, sorted."""
        self.load()
        names = {impl.plugin_name for hook in CHECK_HOOKS for impl in self.implementations(hook)}
        return sorted(names)


def call_impl(function: Callable[..., Any], kwargs: Mapping[str, Any]) -> Any:
    """Call a hook implementation with the subset of arguments it accepts."""
    params = inspect.signature(function).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return function(**kwargs)
    return function(**{k: v for k, v in kwargs.items() if k in params})


def _with_plugin(rule: Rule, plugin: str) -> Rule:
    from dataclasses import replace

    return replace(rule, plugin=plugin)


def _split(text: str) -> set[str]:
    return {part.strip() for part in text.split(",") if part.strip()}


def _module_plugin_name(module_path: str) -> str:
    return module_path.rsplit(".", 1)[-1]


def _import(module_path: str, name: str) -> Any:
    try:
        return importlib.import_module(module_path)
    except Exception as exc:  # any import failure is the plugin's
        raise PluginLoadError(
            f"cannot load plugin {name!r} ({module_path}): {type(exc).__name__}: {exc}"
        ) from None


def _object_version(obj: Any) -> str:
    version = getattr(obj, "__version__", None)
    if isinstance(version, str):
        return version
    module = inspect.getmodule(obj)
    top = (getattr(module, "__name__", "") or "").split(".")[0]
    if top:
        try:
            return metadata.version(top)
        except metadata.PackageNotFoundError:
            pass
    return "unknown"
