"""The manuals plugin's rules (prefix ``MAN``)."""

from __future__ import annotations

from listguard import Rule, Severity

_LANGUAGE_LAW = (
    "GPSR (Regulation (EU) 2023/988) Art. 9(7) and the Radio Equipment Directive "
    "2014/53/EU Art. 10(8) require instructions and safety information in a language "
    "easily understood by consumers, as determined by the Member State where the "
    "product is sold (Toy Safety Directive 2009/48/EC Art. 4(7) likewise for toys); "
    "Saudi SASO and UAE ECAS rules require Arabic. The authorised-reseller programme "
    "delists SKUs whose manuals lack a target market's language."
)

NO_MANUAL = Rule(
    "MAN001",
    "manual-missing",
    Severity.ERROR,
    "The listing has no manual",
    what="Checks that the manifest lists at least one manual under `manuals`.",
    why=_LANGUAGE_LAW + " Without a manual there are no instructions at all.",
    example='`"manuals": []`, or no `manuals` key in `listing.json`.',
    fix="Add the product's user manual (PDF) to the package and list it under `manuals`.",
)

MARKET_LANGUAGE_MISSING = Rule(
    "MAN002",
    "market-language-missing",
    Severity.ERROR,
    "A target market's language is not found in any manual's text",
    what=(
        "For every market in `markets`, looks up its languages (configurable with "
        "`[tool.listguard.market-languages]`; default SPEC §3: ES→es, FR→fr, PL→pl, "
        "DE→de, IT→it, NL→nl, PT→pt, SA→ar, AE→ar+en, US→en, GB→en) and checks that "
        "at least one manual's *text* contains a section in that language of at least "
        "`min-chars` letters (default 300). Declarations are not proof: a manual "
        "whose text cannot be read cannot cover a language, and the finding says so."
    ),
    why=_LANGUAGE_LAW,
    example=(
        '`markets: ["ES", "PL"]` with one manual whose text is English, Spanish and '
        "Czech: PL needs Polish, found in no manual."
    ),
    fix="Add the missing language section to the manual, or add a manual in that language.",
)

DECLARED_LANGUAGE_NOT_FOUND = Rule(
    "MAN003",
    "declared-language-not-found",
    Severity.WARNING,
    "A language declared for a manual is not found in its text",
    what=(
        "For every manual with `languages`, checks each declared ISO 639-1 code "
        "against the languages identified in that manual's text, and says what was "
        "found instead."
    ),
    why=(
        "The seller's declaration feeds the marketplace's language filters; a wrong one "
        "(Portuguese text declared as Spanish is common) misleads buyers and reviewers. "
        + _LANGUAGE_LAW
    ),
    example='`{"file": "manuals/a.pdf", "languages": ["es"]}` where the text is Portuguese.',
    fix="Correct the declaration to match the manual, or upload the manual it describes.",
)

MANUAL_UNVERIFIABLE = Rule(
    "MAN004",
    "manual-text-unreadable",
    Severity.WARNING,
    "A manual has no extractable text (scanned) or is encrypted: its languages cannot be verified",
    what=(
        "Flags a manual PDF from which fewer than `min-chars` letters can be "
        "extracted (a scan without a text layer) or which needs a password. Its "
        "languages and model code cannot be checked; MAN002 then reports the market "
        "languages as unverified rather than passing on the declaration."
    ),
    why=(
        "The language requirement is about what the manual says, so it must be read. "
        + _LANGUAGE_LAW
        + " Scanned manuals also fail accessibility expectations (EU Accessibility Act, "
        "Directive (EU) 2019/882, Annex I)."
    ),
    example="`manuals/scan.pdf` made of page images only.",
    fix="Upload the manual as a text PDF (exported from its source, or OCR-ed), unencrypted.",
)

MODEL_NOT_MENTIONED = Rule(
    "MAN005",
    "model-not-mentioned",
    Severity.WARNING,
    "No manual mentions the listing's model code",
    what=(
        "Searches the text of every readable manual for the manifest's `model` "
        "(ignoring case, spaces, hyphens and dots: `OV-2301 A1` matches `OV2301A1`)."
    ),
    why=(
        "GPSR Art. 9(5)-(6) requires the product identifier on or with the product and "
        "its instructions; a manual that never names the model is often the manual of "
        "another product."
    ),
    example="`model: OV2301A1` with a manual that only mentions `OV2208B`.",
    fix="Upload the manual written for this model, or check the manifest's `model`.",
)

RULES = [
    NO_MANUAL,
    MARKET_LANGUAGE_MISSING,
    DECLARED_LANGUAGE_NOT_FOUND,
    MANUAL_UNVERIFIABLE,
    MODEL_NOT_MENTIONED,
]
