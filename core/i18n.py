"""Translated messages: English in the code, other languages in gettext catalogs.

A finding's message and hint are built with :func:`msg`::

    from listguard.i18n import msg

    yield Finding(
        "BAT001",
        msg("{file}: no UN 38.3 test summary", file=document.file),
        hint=msg("upload the UN 38.3 test summary"),
    )

:func:`msg` returns a :class:`Text`: a ``str`` whose value is the English text
(``template.format(**args)``), so code that treats messages as strings keeps
working, and which also remembers its ``template``, ``args`` and catalog
``domain``. Renderers call :func:`translate` with the report language
(``listguard check --lang zh-CN``): the template is looked up in the domain's
catalog for that language and formatted with the same args; a template the
catalog lacks stays English. Rule codes, JSON keys and rule docs are never
translated.

Args must be JSON-serialisable (they travel through the result cache); an arg
that itself depends on the language (a word, a phrase) is passed as a nested
:func:`msg` so that it is translated too.

Catalogs are standard gettext files: ``<localedir>/zh_CN/LC_MESSAGES/<domain>.mo``.
The built-in plugins and the host share the ``listguard`` domain
(``listguard/locale``). A third-party plugin ships its own catalog, in the
domain named after the plugin, and says where it is with a module attribute::

    PLUGIN_NAME = "battery"
    LISTGUARD_LOCALE_DIR = Path(__file__).parent / "locale"
    msg = listguard.i18n.messages(PLUGIN_NAME)   # templates in the "battery" domain

(or by calling :func:`register_catalog` itself).
"""

from __future__ import annotations

import gettext
import os
import string
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

#: The domain of the host's and the built-in plugins' messages.
DOMAIN = "listguard"
#: Where the built-in catalogs live.
LOCALE_DIR = Path(__file__).parent / "locale"
#: The report languages ``--lang`` accepts; ``en`` is the language of the code.
LANGUAGES = ("en", "zh-CN")
DEFAULT_LANG = "en"

# Report language -> gettext locale directory name.
_GETTEXT_NAMES = {"zh-CN": "zh_CN"}
_catalog_dirs: dict[str, Path] = {DOMAIN: LOCALE_DIR}


class Text(str):
    """A message: its value is the English text; ``template``, ``args`` and
    ``domain`` let :func:`translate` render it in another language."""

    __slots__ = ("args", "domain", "template")
    template: str
    args: dict[str, Any]
    domain: str

    def __new__(cls, template: str, args: Mapping[str, Any], domain: str = DOMAIN) -> Text:
        obj = super().__new__(cls, template.format(**args))
        obj.template = template
        obj.args = dict(args)
        obj.domain = domain
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        # Findings cross process boundaries: keep the template, not just the text.
        return (Text, (self.template, self.args, self.domain))

    def to_l10n(self) -> dict[str, Any]:
        """JSON data from which :meth:`from_l10n` rebuilds this text (used by the cache)."""
        return {
            "template": self.template,
            "args": {k: _arg_to_json(v) for k, v in self.args.items()},
            "domain": self.domain,
        }

    @classmethod
    def from_l10n(cls, data: Mapping[str, Any]) -> Text:
        """The inverse of :meth:`to_l10n`."""
        args = {k: _arg_from_json(v) for k, v in dict(data.get("args") or {}).items()}
        return cls(str(data["template"]), args, str(data.get("domain") or DOMAIN))


def _arg_to_json(value: Any) -> Any:
    if isinstance(value, Text):
        return {"$text": value.to_l10n()}
    if value is None or isinstance(value, (str, int, float)):
        return value
    item = getattr(value, "item", None)  # a NumPy scalar
    if callable(item):
        return item()
    return str(value)


def _arg_from_json(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"$text"}:
        return Text.from_l10n(value["$text"])
    return value


def msg(template: str, /, **args: Any) -> Text:
    """A message in the ``listguard`` domain: ``template`` is the English
    ``str.format`` template (also the catalog's msgid), ``args`` its values."""
    return Text(template, args, DOMAIN)


def messages(domain: str) -> Callable[..., Text]:
    """A :func:`msg` for a third-party plugin's own catalog ``domain``
    (by convention the plugin's name)."""

    def plugin_msg(template: str, /, **args: Any) -> Text:
        return Text(template, args, domain)

    plugin_msg.__doc__ = f"A message in the {domain!r} catalog domain."
    return plugin_msg


def register_catalog(domain: str, localedir: str | os.PathLike[str]) -> None:
    """Tell listguard where ``domain``'s catalogs are (``<localedir>/<ll_CC>/LC_MESSAGES``)."""
    _catalog_dirs[domain] = Path(localedir)
    _catalog.cache_clear()


def register_plugin_catalogs(plugins: Mapping[str, Any]) -> None:
    """Register the catalogs of loaded plugins (``{name: module}``) that set
    ``LISTGUARD_LOCALE_DIR``; the domain is the plugin's name."""
    for name, plugin in plugins.items():
        localedir = getattr(plugin, "LISTGUARD_LOCALE_DIR", None)
        if localedir and name != DOMAIN:
            register_catalog(name, localedir)


def normalize_lang(value: str | None) -> str:
    """A locale name (``zh_CN.UTF-8``, ``zh-CN``, ``en_US``, ``C``...) as a report language."""
    if not value:
        return DEFAULT_LANG
    base = value.split(".", 1)[0].split("@", 1)[0].replace("_", "-").lower()
    if base in ("zh-cn", "zh-hans", "zh-hans-cn", "zh-sg"):
        return "zh-CN"
    return DEFAULT_LANG


def lang_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The report language of the environment's locale: the first set of
    ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` (POSIX precedence)."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            return normalize_lang(env[name])
    return DEFAULT_LANG


@lru_cache(maxsize=64)
def _catalog(domain: str, lang: str) -> gettext.NullTranslations:
    localedir = _catalog_dirs.get(domain)
    name = _GETTEXT_NAMES.get(lang)
    if localedir is None or name is None:
        return gettext.NullTranslations()
    return gettext.translation(domain, str(localedir), languages=[name], fallback=True)


def has_catalog(domain: str, lang: str) -> bool:
    """Whether a compiled catalog for ``domain`` in ``lang`` was found."""
    return type(_catalog(domain, lang)) is not gettext.NullTranslations


def translate(text: str | None, lang: str) -> str:
    """``text`` in ``lang``: a :class:`Text` through its domain's catalog (English
    where the catalog lacks it, or its translation is broken); a plain str unchanged."""
    if text is None:
        return ""
    if not isinstance(text, Text):
        return text
    if lang == DEFAULT_LANG:
        return str.__str__(text)
    template = _catalog(text.domain, lang).gettext(text.template)
    args = {k: translate(v, lang) if isinstance(v, Text) else v for k, v in text.args.items()}
    try:
        return template.format(**args)
    except (KeyError, IndexError, ValueError):
        # A translation with a wrong placeholder must not lose the message.
        return text.template.format(**args)


def translator(lang: str) -> Callable[..., str]:
    """``tr(template, **args)``: a report-chrome string (heading, label) in ``lang``."""

    def tr(template: str, /, **args: Any) -> str:
        return translate(msg(template, **args), lang)

    return tr


def placeholders(template: str) -> list[tuple[str, str, str]]:
    """The ``(field, conversion, format_spec)`` of each placeholder in ``template``, sorted."""
    found = []
    for _literal, fieldname, spec, conversion in string.Formatter().parse(template):
        if fieldname is not None:
            found.append((fieldname, conversion or "", spec or ""))
    return sorted(found)


def join(separator: str, items: list[str]) -> Text:
    """``separator.join(items)`` that keeps each item translatable (items may be
    :class:`Text`, and so may ``separator``: ``join(msg("; "), items)``); the
    joined template is not a catalog entry, only its parts are."""
    args: dict[str, Any] = {f"i{n}": item for n, item in enumerate(items)}
    if isinstance(separator, Text):
        args["sep"] = separator
        glue = "{sep}"
    else:
        glue = separator.replace("{", "{{").replace("}", "}}")
    return Text(glue.join(f"{{i{n}}}" for n in range(len(items))), args, DOMAIN)


def N_(template: str, /) -> str:
    """Mark ``template`` for the catalog without translating it here (a word looked
    up later through :func:`translator`, e.g. a status or severity name)."""
    return template


#: Report-chrome words translated by name (severity, status, certificate status).
WORDS = (
    N_("error"),
    N_("warning"),
    N_("info"),
    N_("fail"),
    N_("warn"),
    N_("pass"),
    N_("valid"),
    N_("expiring"),
    N_("expired"),
    N_("unknown"),
)
