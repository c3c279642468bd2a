"""Run configuration: defaults from SPEC §3, overridden by a config file, then flags.

The file is ``listguard.toml`` or the ``[tool.listguard]`` table of
``pyproject.toml``, whichever is found first walking up from the working
directory (in one folder, ``listguard.toml`` wins). Keys are kebab-case::

    [tool.listguard]
    brand-kit = "brandkit"          # relative to the config file
    select = ["LG", "CERT"]         # codes or prefixes; default: all
    ignore = ["VID005"]
    fail-on = "error"               # error | warning | never
    time-budget = 60                # seconds per plugin per package
    warning-days = 60               # CERT003 window

    [tool.listguard.severity]       # per-rule overrides; "off" switches a rule off
    MAN005 = "error"

    [tool.listguard.archive]
    max-total-size = 536870912
    max-members = 5000
    max-ratio = 200

    [tool.listguard.market-languages]
    CH = ["de", "fr", "it"]

    [[tool.listguard.required-certificates]]
    markets = ["EU"]                # "EU" stands for every market in eu-markets
    certificates = ["CE"]

    [tool.listguard.plugins.watermark]
    max-pixels = 50000000

A bad file is a :class:`ConfigError` naming the key (the CLI exits 2).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .archive import ArchiveLimits
from .model import Severity


class ConfigError(ValueError):
    """The configuration file (or a flag) is invalid; the message names the key."""


# EU member states plus the EEA countries that apply CE marking (IS, LI, NO).
EU_MARKETS: tuple[str, ...] = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    "IS", "LI", "NO",
)  # fmt: skip

DEFAULT_MARKET_LANGUAGES: dict[str, tuple[str, ...]] = {
    "ES": ("es",),
    "FR": ("fr",),
    "PL": ("pl",),
    "DE": ("de",),
    "IT": ("it",),
    "NL": ("nl",),
    "PT": ("pt",),
    "SA": ("ar",),
    "AE": ("ar", "en"),
    "US": ("en",),
    "GB": ("en",),
}


@dataclass(frozen=True)
class CertificateRequirement:
    """Listings matching every condition given need each of ``certificates``.

    ``markets`` matches when the listing is sold in any of them (``"EU"``
    expands to ``eu_markets``); ``categories`` when its category is one of them;
    ``radio`` when its ``radio`` flag equals it. An absent condition matches all.
    """

    certificates: tuple[str, ...]
    markets: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None
    radio: bool | None = None


DEFAULT_REQUIRED_CERTIFICATES: tuple[CertificateRequirement, ...] = (
    CertificateRequirement(("CE",), markets=("EU",)),
    CertificateRequirement(("FCC",), markets=("US",), radio=True),
    CertificateRequirement(("EN71",), categories=("toy",)),
    CertificateRequirement(("IEC62471",), categories=("lighting",)),
)

FAIL_ON_CHOICES = ("error", "warning", "never")


@dataclass(frozen=True)
class Config:
    """The settings of a run. Plugins read ``ctx.config`` (and ``ctx.options``)."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity | None] = field(default_factory=dict)  # None: rule off
    brand_kit: Path | None = None
    fail_on: str = "error"
    time_budget: float = 60.0
    warning_days: int = 60
    archive: ArchiveLimits = field(default_factory=ArchiveLimits)
    eu_markets: tuple[str, ...] = EU_MARKETS
    market_languages: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_MARKET_LANGUAGES)
    )
    required_certificates: tuple[CertificateRequirement, ...] = DEFAULT_REQUIRED_CERTIFICATES
    plugins: dict[str, dict[str, Any]] = field(default_factory=dict)
    docs_url: str = "https://listguard.dev/rules/{code}"
    source: Path | None = None

    def rule_enabled(self, code: str) -> bool:
        """Whether findings of ``code`` are reported (select, ignore, severity off)."""
        if code in self.severity and self.severity[code] is None:
            return False
        if self.select is not None and not _matches(code, self.select):
            return False
        return not _matches(code, self.ignore)

    def required_certificates_for(self, manifest: dict[str, Any]) -> list[str]:
        """The certificate types the policy requires of a listing, in policy order."""
        markets = set(manifest.get("markets") or [])
        required: list[str] = []
        for requirement in self.required_certificates:
            if requirement.markets is not None:
                wanted = set()
                for market in requirement.markets:
                    wanted |= set(self.eu_markets) if market == "EU" else {market}
                if not markets & wanted:
                    continue
            if (
                requirement.categories is not None
                and manifest.get("category") not in requirement.categories
            ):
                continue
            if requirement.radio is not None and bool(manifest.get("radio")) != requirement.radio:
                continue
            required += [c for c in requirement.certificates if c not in required]
        return required

    def with_overrides(self, **changes: Any) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _matches(code: str, patterns: tuple[str, ...]) -> bool:
    return any(code == p or (p.isalpha() and code.startswith(p)) for p in patterns)


def parse_codes(text: str | list[str] | tuple[str, ...], key: str) -> tuple[str, ...]:
    """Parse ``"LG,WM001"`` (or a list) into codes/prefixes, validating each."""
    items = text.split(",") if isinstance(text, str) else list(text)
    codes = []
    for item in items:
        if not isinstance(item, str):
            raise ConfigError(f"{key}: expected rule codes or prefixes, got {item!r}")
        code = item.strip().upper()
        if not code:
            continue
        if not (code.isalpha() or (code[:-3].isalpha() and code[-3:].isdigit())):
            raise ConfigError(f"{key}: {item!r} is neither a rule code nor a prefix")
        codes.append(code)
    return tuple(codes)


def find_config_file(start: Path) -> Path | None:
    """The nearest ``listguard.toml`` or ``pyproject.toml`` with ``[tool.listguard]``."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / "listguard.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
                continue
            if "listguard" in data.get("tool", {}):
                return pyproject
    return None


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """Load the configuration from ``path``, or discover it from ``start`` (cwd)."""
    if path is None:
        path = find_config_file(start or Path.cwd())
        if path is None:
            return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: no such configuration file") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from exc
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("listguard", {})
    return config_from_mapping(data, base=path.parent, source=path)


_KNOWN_KEYS = {
    "select", "ignore", "severity", "brand-kit", "fail-on", "time-budget", "warning-days",
    "archive", "eu-markets", "market-languages", "required-certificates", "plugins", "docs-url",
}  # fmt: skip


def config_from_mapping(data: dict[str, Any], base: Path, source: Path | None = None) -> Config:
    """Build a :class:`Config` from the parsed ``[tool.listguard]`` table."""
    where = str(source) if source else "configuration"
    for key in data:
        if key not in _KNOWN_KEYS:
            raise ConfigError(f"{where}: unknown key {key!r}")
    config = Config(source=source)
    changes: dict[str, Any] = {}
    if "select" in data:
        changes["select"] = parse_codes(data["select"], f"{where}: select")
    if "ignore" in data:
        changes["ignore"] = parse_codes(data["ignore"], f"{where}: ignore")
    if "severity" in data:
        changes["severity"] = _parse_severity(data["severity"], where)
    if "brand-kit" in data:
        changes["brand_kit"] = base / _expect(data, "brand-kit", str, where)
    if "fail-on" in data:
        value = _expect(data, "fail-on", str, where)
        if value not in FAIL_ON_CHOICES:
            raise ConfigError(f"{where}: fail-on must be one of {', '.join(FAIL_ON_CHOICES)}")
        changes["fail_on"] = value
    if "time-budget" in data:
        budget = _expect(data, "time-budget", (int, float), where)
        if budget <= 0:
            raise ConfigError(f"{where}: time-budget must be positive")
        changes["time_budget"] = float(budget)
    if "warning-days" in data:
        changes["warning_days"] = _expect(data, "warning-days", int, where)
    if "archive" in data:
        changes["archive"] = _parse_archive(data["archive"], where)
    if "eu-markets" in data:
        changes["eu_markets"] = tuple(_string_list(data["eu-markets"], f"{where}: eu-markets"))
    if "market-languages" in data:
        table = _expect(data, "market-languages", dict, where)
        languages = dict(config.market_languages)
        for market, langs in table.items():
            languages[market] = tuple(_string_list(langs, f"{where}: market-languages.{market}"))
        changes["market_languages"] = languages
    if "required-certificates" in data:
        changes["required_certificates"] = _parse_requirements(data["required-certificates"], where)
    if "plugins" in data:
        plugins = _expect(data, "plugins", dict, where)
        for name, options in plugins.items():
            if not isinstance(options, dict):
                raise ConfigError(f"{where}: plugins.{name} must be a table")
        changes["plugins"] = plugins
    if "docs-url" in data:
        changes["docs_url"] = _expect(data, "docs-url", str, where)
    return replace(config, **changes)


def _expect(data: dict[str, Any], key: str, kind: Any, where: str) -> Any:
    value = data[key]
    if isinstance(value, bool) and kind is not bool:
        raise ConfigError(f"{where}: {key} has the wrong type (got a boolean)")
    if not isinstance(value, kind):
        raise ConfigError(f"{where}: {key} has the wrong type ({type(value).__name__})")
    return value


def _string_list(value: Any, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key} must be a list of strings")
    return value


def _parse_severity(table: Any, where: str) -> dict[str, Severity | None]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: severity must be a table of CODE = level")
    result: dict[str, Severity | None] = {}
    for code, level in table.items():
        if level == "off":
            result[code] = None
            continue
        try:
            result[code] = Severity(level)
        except ValueError as exc:
            raise ConfigError(
                f"{where}: severity.{code} must be error, warning, info or off"
            ) from exc
    return result


def _parse_archive(table: Any, where: str) -> ArchiveLimits:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: archive must be a table")
    names = {
        "max-total-size": "max_total_size",
        "max-members": "max_members",
        "max-ratio": "max_ratio",
        "ratio-min-size": "ratio_min_size",
    }
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key not in names:
            raise ConfigError(f"{where}: unknown key archive.{key!r}")
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(f"{where}: archive.{key} must be a positive number")
        changes[names[key]] = value
    return replace(ArchiveLimits(), **changes)


def _parse_requirements(items: Any, where: str) -> tuple[CertificateRequirement, ...]:
    if not isinstance(items, list):
        raise ConfigError(f"{where}: required-certificates must be an array of tables")
    result = []
    for index, item in enumerate(items):
        key = f"{where}: required-certificates[{index}]"
        if not isinstance(item, dict):
            raise ConfigError(f"{key} must be a table")
        unknown = set(item) - {"certificates", "markets", "categories", "radio"}
        if unknown:
            raise ConfigError(f"{key}: unknown key {sorted(unknown)[0]!r}")
        if "certificates" not in item:
            raise ConfigError(f"{key}: certificates is required")
        radio = item.get("radio")
        if radio is not None and not isinstance(radio, bool):
            raise ConfigError(f"{key}: radio must be true or false")
        result.append(
            CertificateRequirement(
                certificates=tuple(_string_list(item["certificates"], f"{key}.certificates")),
                markets=tuple(_string_list(item["markets"], f"{key}.markets"))
                if "markets" in item
                else None,
                categories=tuple(_string_list(item["categories"], f"{key}.categories"))
                if "categories" in item
                else None,
                radio=radio,
            )
        )
    return tuple(result)


def check_codes_known(codes: Iterable[str], rules: Iterable[str], key: str) -> None:
    """Raise :class:`ConfigError` naming the first of ``codes`` (codes or prefixes)
    that matches no loaded rule: a typo would otherwise silently select nothing
    or ignore nothing."""
    known = list(rules)
    for code in codes:
        if not any(_matches(rule, (code,)) for rule in known):
            raise ConfigError(f"{key}: no loaded rule has the code or prefix {code!r}")


def validate_rule_codes(config: Config, rules: Iterable[str]) -> None:
    """Check the configuration's ``select``, ``ignore`` and ``severity`` codes
    against the rules of the loaded plugins (call once plugins are loaded)."""
    where = str(config.source) if config.source else "configuration"
    check_codes_known(config.select or (), rules, f"{where}: select")
    check_codes_known(config.ignore, rules, f"{where}: ignore")
    for code in config.severity:
        if code not in rules:
            raise ConfigError(f"{where}: severity.{code}: no loaded rule has that code")


def validate_plugin_options(config: Config, defaults: dict[str, dict[str, Any]]) -> None:
    """Check ``[plugins.NAME]`` tables against the options plugins declared."""
    where = str(config.source) if config.source else "configuration"
    for name, options in config.plugins.items():
        if name not in defaults:
            raise ConfigError(f"{where}: plugins.{name}: no loaded plugin has that name")
        for key, value in options.items():
            if key not in defaults[name]:
                raise ConfigError(f"{where}: unknown key plugins.{name}.{key!r}")
            default = defaults[name][key]
            if default is not None and not _same_type(value, default):
                raise ConfigError(
                    f"{where}: plugins.{name}.{key} must be {type(default).__name__}, "
                    f"got {type(value).__name__}"
                )


def _same_type(value: Any, default: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, float):
        return isinstance(value, int | float)
    return isinstance(value, type(default))
