"""Maintain the built-in message catalogs (gettext, domain ``listguard``).

    python scripts/i18n.py extract   # collect msg()/tr()/N_() templates into the .po files
    python scripts/i18n.py compile   # write the .mo files listguard reads at run time
    python scripts/i18n.py check     # exit 1 on a missing or broken translation, or a stale .mo

A template is the literal first argument of a call to ``msg``, ``tr`` or ``N_``
anywhere under ``core/`` and ``plugins/`` (an AST walk, so only literals count:
``msg(variable)`` is reported by ``check``, because no catalog can hold it).
``extract`` keeps existing translations, adds new templates with an empty
translation and drops templates no longer in the code. Needs Babel (a dev
dependency; listguard itself reads the .mo with the standard library).
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import gettext
import sys
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (ROOT / "core", ROOT / "plugins")
LOCALE_DIR = ROOT / "core" / "locale"
DOMAIN = "listguard"
LOCALES = ("zh_CN",)
MARKERS = {"msg", "tr", "N_"}
# Where the markers are defined (their own bodies call them with variables).
_DEFINITIONS = {ROOT / "core" / "i18n.py"}


@dataclass
class Extraction:
    """Templates found in the code, with where they are, and calls no catalog can hold."""

    templates: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    not_literal: list[str] = field(default_factory=list)


def _marker(node: ast.Call) -> str | None:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    return name if name in MARKERS else None


def extract(sources: tuple[Path, ...] = SOURCES) -> Extraction:
    """Every marker call's literal template under ``sources``."""
    found = Extraction()
    for base in sources:
        for path in sorted(base.rglob("*.py")):
            if "scaffold" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            relative = path.relative_to(ROOT).as_posix()
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or _marker(node) is None:
                    continue
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.templates.setdefault(first.value, []).append((relative, node.lineno))
                elif _marker(node) != "tr" and path not in _DEFINITIONS:
                    # tr(word) looks a word up by name (the word is marked with N_).
                    found.not_literal.append(f"{relative}:{node.lineno}")
    return found


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(locale: str) -> Catalog:
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, domain=DOMAIN, project="listguard")
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def _flags(template: str) -> set[str]:
    from listguard.i18n import placeholders

    return {"python-brace-format"} if placeholders(template) else set()


def update(locale: str, found: Extraction) -> tuple[int, int]:
    """Merge ``found`` into the locale's .po; ``(added, removed)``."""
    old = read_catalog(locale)
    new = Catalog(
        locale=locale,
        domain=DOMAIN,
        project="listguard",
        # Fixed, so that extracting twice gives the same file.
        creation_date=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        revision_date=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        language_team="listguard <https://github.com/listguard>",
        header_comment="# Translations of listguard's messages and report headings.\n"
        "# Edit the msgstr lines; regenerate with: python scripts/i18n.py extract",
    )
    previous = {m.id: m.string for m in old if m.id}
    for template in sorted(found.templates):
        locations = sorted(set(found.templates[template]))
        new.add(
            template,
            previous.get(template, ""),
            locations=[(file, 0) for file, _ in locations][:3],
            flags=_flags(template),
        )
    path = po_path(locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, new, width=100, include_lineno=False, omit_header=False, sort_output=True)
    added = len(set(found.templates) - set(previous))
    removed = len(set(previous) - set(found.templates))
    return added, removed


def compile_catalog(locale: str) -> Path:
    """Write the locale's .mo next to its .po."""
    catalog = read_catalog(locale)
    target = po_path(locale).with_suffix(".mo")
    with target.open("wb") as handle:
        write_mo(handle, catalog, use_fuzzy=False)
    return target


def problems(locale: str, found: Extraction) -> list[str]:
    """Everything wrong with the locale's catalog against the code."""
    from listguard.i18n import placeholders

    out = [
        f"not a literal template (no catalog can hold it): {where}" for where in found.not_literal
    ]
    catalog = read_catalog(locale)
    strings = {m.id: m.string for m in catalog if m.id}
    for template in sorted(found.templates):
        translated = strings.get(template)
        where = found.templates[template][0][0]
        if not translated:
            out.append(f"{locale}: no translation for {template!r} ({where})")
        elif set(placeholders(translated)) != set(placeholders(template)):
            out.append(
                f"{locale}: placeholders differ for {template!r}: "
                f"{placeholders(template)} vs {placeholders(translated)}"
            )
    mo = po_path(locale).with_suffix(".mo")
    if not mo.exists():
        out.append(
            f"{locale}: {mo.relative_to(ROOT)} is missing; run: python scripts/i18n.py compile"
        )
    else:
        with mo.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        wanted = {k: v for k, v in strings.items() if v}
        have = {k: v for k, v in compiled.items() if k}
        if have != wanted:
            out.append(
                f"{locale}: {mo.relative_to(ROOT)} is stale; run: python scripts/i18n.py compile"
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("extract", "compile", "check"))
    args = parser.parse_args(argv)
    found = extract()
    if args.action == "extract":
        for locale in LOCALES:
            added, removed = update(locale, found)
            print(
                f"{po_path(locale).relative_to(ROOT)}: {len(found.templates)} templates, "
                f"{added} new, {removed} removed"
            )
        return 0
    if args.action == "compile":
        for locale in LOCALES:
            print(compile_catalog(locale).relative_to(ROOT))
        return 0
    issues = [p for locale in LOCALES for p in problems(locale, found)]
    for issue in issues:
        print(issue, file=sys.stderr)
    print(f"{len(found.templates)} templates; {len(issues)} problem(s)")
    return 1 if issues else 0


if __name__ == "__main__":
    sys.exit(main())
