"""The manuals plugin's hooks: read every manual once, then judge the listing.

All the work happens in ``listguard_check_listing``: MAN002 and MAN005 compare
all manuals at once, and reading each manual there, once, serves every rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lingua import IsoCode639_1, Language

from listguard import Finding, Location, Rule, hookimpl
from listguard.context import CheckContext
from listguard.i18n import Text, join, msg

from .analysis import DEFAULT_MIN_CHARS, ManualAnalysis, analyse_manual
from .detect import default_candidates, supported_languages
from .rules import RULES

__all__ = [
    "listguard_check_listing",
    "listguard_plugin_options",
    "listguard_register_rules",
]


@hookimpl
def listguard_register_rules() -> list[Rule]:
    return list(RULES)


@hookimpl
def listguard_plugin_options() -> dict[str, Any]:
    """``min-chars``: letters a language needs to count as present (per manual).
    ``languages``: ISO 639-1 codes to identify; empty means the default set
    (every configured market language, the confusers es/pt, nl/de, cs/sk/pl,
    ar/fa/ur, en/fr/it, id/tr, and one or a few languages per other script:
    see ``detect.default_candidates``). Declared and required languages are
    always added."""
    return {"min-chars": DEFAULT_MIN_CHARS, "languages": []}


def language_name(code: str) -> str:
    """``es`` → ``Spanish`` (the code itself when lingua does not know it)."""
    try:
        return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())).name.title()
    except AttributeError:
        return code


# The names of the languages lingua identifies, as translatable messages.
_LANGUAGE_NAMES: dict[str, Text] = {
    "af": msg("Afrikaans"),
    "ar": msg("Arabic"),
    "az": msg("Azerbaijani"),
    "be": msg("Belarusian"),
    "bg": msg("Bulgarian"),
    "bn": msg("Bengali"),
    "bs": msg("Bosnian"),
    "ca": msg("Catalan"),
    "cs": msg("Czech"),
    "cy": msg("Welsh"),
    "da": msg("Danish"),
    "de": msg("German"),
    "el": msg("Greek"),
    "en": msg("English"),
    "eo": msg("Esperanto"),
    "es": msg("Spanish"),
    "et": msg("Estonian"),
    "eu": msg("Basque"),
    "fa": msg("Persian"),
    "fi": msg("Finnish"),
    "fr": msg("French"),
    "ga": msg("Irish"),
    "gu": msg("Gujarati"),
    "he": msg("Hebrew"),
    "hi": msg("Hindi"),
    "hr": msg("Croatian"),
    "hu": msg("Hungarian"),
    "hy": msg("Armenian"),
    "id": msg("Indonesian"),
    "is": msg("Icelandic"),
    "it": msg("Italian"),
    "ja": msg("Japanese"),
    "ka": msg("Georgian"),
    "kk": msg("Kazakh"),
    "ko": msg("Korean"),
    "la": msg("Latin"),
    "lg": msg("Ganda"),
    "lt": msg("Lithuanian"),
    "lv": msg("Latvian"),
    "mi": msg("Maori"),
    "mk": msg("Macedonian"),
    "mn": msg("Mongolian"),
    "mr": msg("Marathi"),
    "ms": msg("Malay"),
    "nb": msg("Bokmal"),
    "nl": msg("Dutch"),
    "nn": msg("Nynorsk"),
    "pa": msg("Punjabi"),
    "pl": msg("Polish"),
    "pt": msg("Portuguese"),
    "ro": msg("Romanian"),
    "ru": msg("Russian"),
    "sk": msg("Slovak"),
    "sl": msg("Slovene"),
    "sn": msg("Shona"),
    "so": msg("Somali"),
    "sq": msg("Albanian"),
    "sr": msg("Serbian"),
    "st": msg("Sotho"),
    "sv": msg("Swedish"),
    "sw": msg("Swahili"),
    "ta": msg("Tamil"),
    "te": msg("Telugu"),
    "th": msg("Thai"),
    "tl": msg("Tagalog"),
    "tn": msg("Tswana"),
    "tr": msg("Turkish"),
    "ts": msg("Tsonga"),
    "uk": msg("Ukrainian"),
    "ur": msg("Urdu"),
    "vi": msg("Vietnamese"),
    "xh": msg("Xhosa"),
    "yo": msg("Yoruba"),
    "zh": msg("Chinese"),
    "zu": msg("Zulu"),
}


def _name(code: str) -> str:
    """The language's name, translatable when it is one lingua identifies."""
    return _LANGUAGE_NAMES.get(code) or language_name(code)


def _label(code: str) -> str:
    return msg("{name} ({code})", name=_name(code), code=code)


@hookimpl
def listguard_check_listing(ctx: CheckContext) -> Iterator[Finding]:
    entries = ctx.manifest.get("manuals") or []
    if not entries:
        yield Finding(
            "MAN001",
            msg("the listing has no manual"),
            location=Location(pointer="/manuals"),
            hint=msg("add the user manual PDF to the package and list it under `manuals`"),
        )
        return
    min_chars = int(ctx.options.get("min-chars", DEFAULT_MIN_CHARS))
    required = _required_languages(ctx)
    declared = {
        code
        for entry in entries
        if isinstance(entry, dict)
        for code in entry.get("languages") or []
        if isinstance(code, str)
    }
    configured = [c for c in ctx.options.get("languages") or [] if isinstance(c, str)]
    pool = set(configured) if configured else set(default_candidates(_all_market_languages(ctx)))
    candidates = frozenset(pool | declared | {lang for _, lang in required})
    models = [ctx.model] if ctx.model else []

    analyses: list[ManualAnalysis] = []
    for document in ctx.documents:
        if document.kind != "manual":
            continue
        analysis = analyse_manual(document.path, candidates, min_chars, models, file=document.file)
        ctx.add_fact(document.file, analysis.to_dict())
        where = Location(file=document.file, pointer=document.pointer)
        if analysis.status == "unreadable":
            yield Finding(
                "LG006",
                msg(
                    "{file} cannot be read as a PDF: {error}",
                    file=document.file,
                    error=analysis.error,
                ),
                location=where,
                hint=msg("re-export the manual as a PDF; the file is damaged or not a PDF"),
                evidence={"error": analysis.error},
            )
            continue
        analyses.append(analysis)
        if not analysis.has_text:
            yield _unverifiable(analysis, where)
            continue
        yield from _declared_not_found(analysis, document.entry, document.pointer)

    yield from _market_languages_missing(ctx, required, analyses)
    readable = [a for a in analyses if a.has_text]
    if models and readable and not any(a.models_seen for a in readable):
        yield Finding(
            "MAN005",
            msg("no manual mentions the model code {model}", model=models[0]),
            location=Location(pointer="/model"),
            hint=msg("upload the manual written for this model, or check the manifest's `model`"),
            evidence={"model": models[0], "manuals": [a.file for a in readable]},
        )


def _pages(numbers: list[int]) -> str:
    """``[1, 2, 3, 7]`` → ``1–3, 7``."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and spans[-1][1] == n - 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in spans)


def _blind_pages(analyses: list[ManualAnalysis]) -> dict[str, Any]:
    blind = {a.file: a.pages_without_text for a in analyses if a.pages_without_text}
    return {"pages_without_text": blind} if blind else {}


def _all_market_languages(ctx: CheckContext) -> set[str]:
    return {lang for langs in ctx.config.market_languages.values() for lang in langs}


def _required_languages(ctx: CheckContext) -> list[tuple[str, str]]:
    """(market, language) pairs the listing's markets need, in manifest order."""
    pairs: list[tuple[str, str]] = []
    for market in ctx.manifest.get("markets") or []:
        for lang in ctx.config.market_languages.get(market, ()):
            if (market, lang) not in pairs:
                pairs.append((market, lang))
    return pairs


def _unverifiable(analysis: ManualAnalysis, where: Location) -> Finding:
    if analysis.status == "encrypted":
        why = msg("is encrypted with a password")
    else:
        why = msg(
            "has no extractable text ({letters} letters on {pages} page(s); "
            "a scan without a text layer?)",
            letters=analysis.letters,
            pages=analysis.pages,
        )
    return Finding(
        "MAN004",
        msg(
            "{file} {why}, so its languages and model code cannot be verified",
            file=analysis.file,
            why=why,
        ),
        location=where,
        hint=msg(
            "upload a text PDF (exported from the source document, or OCR-ed), without a password"
        ),
        evidence={
            "status": analysis.status,
            "pages": analysis.pages,
            "letters": analysis.letters,
            "pages_without_text": analysis.pages_without_text,
            **({"error": analysis.error} if analysis.error else {}),
        },
    )


def _declared_not_found(analysis: ManualAnalysis, entry: Any, pointer: str) -> Iterator[Finding]:
    declared = entry.get("languages") if isinstance(entry, dict) else None
    for index, code in enumerate(declared or []):
        if not isinstance(code, str) or code in analysis.languages:
            continue
        if code not in supported_languages():
            detail = msg("this check cannot identify that language")
        elif code in analysis.traces:
            detail = msg(
                "only {letters:,} letters of it, below min-chars {min_chars}",
                letters=analysis.traces[code],
                min_chars=analysis.min_chars,
            )
        else:
            detail = msg("none of it")
        yield Finding(
            "MAN003",
            msg(
                "{file} declares {language}, but its text has {detail}; found: {found}",
                file=analysis.file,
                language=_label(code),
                detail=detail,
                found=analysis.summary(),
            ),
            location=Location(file=analysis.file, pointer=f"{pointer}/languages/{index}"),
            hint=msg("correct the declared languages, or upload the manual they describe"),
            evidence={
                "declared": code,
                "found": {c.code: c.describe() for c in analysis.found()},
                "traces": dict(analysis.traces),
            },
        )


def _market_languages_missing(
    ctx: CheckContext, required: list[tuple[str, str]], analyses: list[ManualAnalysis]
) -> Iterator[Finding]:
    readable = [a for a in analyses if a.has_text]
    unverified = [a.file for a in analyses if not a.has_text]
    markets = list(ctx.manifest.get("markets") or [])
    for market, lang in required:
        if any(lang in a.languages for a in readable):
            continue
        if lang not in supported_languages():
            reason: str = msg("this check cannot identify that language")
        elif unverified:
            reason = msg(
                "not found in any readable manual; could not be verified in {files} "
                "(no extractable text)",
                files=", ".join(unverified),
            )
        elif not analyses:
            reason = msg("no manual could be read")
        else:
            seen = sorted({code for a in readable for code in a.languages})
            found = ", ".join(seen) or msg("none")
            # Image-only pages inside a text manual may hold the missing section.
            blind = [
                msg("{file} pages {pages}", file=a.file, pages=_pages(a.pages_without_text))
                for a in readable
                if a.pages_without_text
            ]
            reason = (
                msg(
                    "not found in any manual's text (found: {found}); pages without a text "
                    "layer were not read: {pages}",
                    found=found,
                    pages=join(msg("; "), blind),
                )
                if blind
                else msg("not found in any manual's text (found: {found})", found=found)
            )
        yield Finding(
            "MAN002",
            msg(
                "market {market} needs {language}: {reason}",
                market=market,
                language=_label(lang),
                reason=reason,
            ),
            location=Location(pointer=f"/markets/{markets.index(market)}"),
            hint=msg(
                "add a section in {language} to a manual, or a manual in it", language=_name(lang)
            ),
            evidence={
                "market": market,
                "language": lang,
                "verified": not unverified,
                "unverified_manuals": unverified,
                "manuals": {a.file: a.summary() for a in readable},
                **_blind_pages(readable),
            },
        )
