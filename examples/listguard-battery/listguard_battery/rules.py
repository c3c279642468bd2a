"""The battery plugin's rules (prefix ``BAT``) and their docs pages."""

from __future__ import annotations

from listguard import Rule, Severity

_MANUAL = "UN Manual of Tests and Criteria, sub-section 38.3.5 (test summary)"

RULES = [
    Rule(
        "BAT001",
        "un38-summary-missing",
        Severity.ERROR,
        "A product with a lithium battery has no UN 38.3 test summary.",
        what="A manifest with an `x-battery` section lists at least one certificate of type "
        "`UN38_3` (the UN 38.3 test summary). A listed summary whose file is missing is "
        "already `LG003`, so this rule fires only when none is listed.",
        why="UN Model Regulations special provision 188 and the IATA Dangerous Goods "
        "Regulations (section 3.9.2.6.1) require every manufacturer and subsequent "
        "distributor of lithium cells and batteries to make the test summary available "
        f"({_MANUAL}). "
        "Marketplaces' dangerous-goods reviews ask for it before a battery product may be "
        "listed or shipped.",
        example='```json\n"x-battery": {"chemistry": "li-ion", "watt_hours": 55.4, "cells": 3},\n'
        '"certificates": [{"type": "CE", "file": "certificates/ce.pdf", ...}]\n```',
        fix="Ask the battery manufacturer for the UN 38.3 test summary, add it to the package "
        'and list it: `{"type": "UN38_3", "file": "certificates/un38.pdf", "number": '
        '"<report number>", "issued": "<date>"}`.',
    ),
    Rule(
        "BAT002",
        "un38-summary-incomplete",
        Severity.ERROR,
        "The UN 38.3 test summary lacks a required element.",
        what="The summary's text names the manufacturer (`Manufacturer: ...`), the test "
        "laboratory (`Test laboratory: ...`), the date of the test report, the watt-hour "
        "rating (`Watt-hour rating: 55.4 Wh`), and each test T1 to T8 with its result "
        "(pass, fail, or not applicable). One finding per missing element; its evidence "
        "lists what was found.",
        why=f"{_MANUAL} lists the elements a test summary must contain, among them (a) the "
        "manufacturer's name, (c) the test laboratory's name, (e) the date of the test "
        "report, (f) the battery's description including its watt-hour rating, and (g) the "
        "list of tests conducted and their results. A summary without them is not accepted "
        "by carriers.",
        example="A summary whose test table stops at T6: *UN 38.3 test summary does not list "
        "a result for T7, T8*.",
        fix="Get a complete test summary from the test laboratory or the battery manufacturer "
        "(the template in 38.3.5 has every field).",
    ),
    Rule(
        "BAT003",
        "un38-watt-hours-mismatch",
        Severity.ERROR,
        "The watt-hour rating in the test summary differs from the manifest's.",
        what="The summary's watt-hour rating against `x-battery.watt_hours`, compared at the "
        "precision the summary states (55.4 Wh matches 55.44 Wh) plus the plugin option "
        "`wh-tolerance-percent` (default 0).",
        why="A test summary covers one battery design (Manual of Tests and Criteria 38.3.2.2: "
        "a change in rated capacity is a new design that must be tested again). A summary "
        "with another rating belongs to another battery, so the product sold is untested.",
        example='`"watt_hours": 74` in the manifest; the summary says *Watt-hour rating: 55.4 Wh*.',
        fix="Correct `x-battery.watt_hours` to the rating on the battery, or provide the test "
        "summary of the battery actually fitted.",
    ),
    Rule(
        "BAT004",
        "dangerous-goods-shipping",
        Severity.INFO,
        "A battery over 100 Wh (or 2 g lithium metal) ships as fully regulated dangerous goods.",
        what="`x-battery.watt_hours` above 100 for lithium-ion chemistries (`li-ion`, "
        "`li-polymer`, `lifepo4`), or `lithium_grams` above 2 for `li-metal`. "
        "Informational: the listing is not wrong, but its logistics must be.",
        why="IATA Dangerous Goods Regulations packing instructions 965-967 (lithium ion) and "
        "968-970 (lithium metal): above 100 Wh (2 g lithium per battery) the small-battery "
        "exceptions of Section II no longer apply, so the product ships as Class 9 dangerous "
        "goods (UN 3480/3481, UN 3090/3091) with a declaration and trained staff; the same "
        "limits apply to road transport under ADR special provision 188.",
        example='`"x-battery": {"chemistry": "li-ion", "watt_hours": 160, "cells": 8}`.',
        fix="Nothing to fix in the listing: book dangerous-goods shipping for this product, "
        "and select the marketplace's dangerous-goods logistics option.",
    ),
    Rule(
        "BAT005",
        "un38-test-failed",
        Severity.ERROR,
        "The UN 38.3 test summary reports a failed test.",
        what="Each test T1 to T8 in the summary whose result is *fail*.",
        why="Manual of Tests and Criteria 38.3.4: a cell or battery type must pass every "
        "applicable test to be transported as UN 3480/3481/3090/3091; one that failed is "
        "forbidden from transport until redesigned and retested.",
        example="*T6 Impact/Crush: Fail*.",
        fix="Do not list the product with this battery; ask the manufacturer for the summary "
        "of a design that passed every test.",
    ),
    Rule(
        "BAT006",
        "un38-summary-unreadable",
        Severity.WARNING,
        "The UN 38.3 test summary has no extractable text, so nothing could be verified.",
        what="That the summary PDF has a text layer. A scanned page (an image only) cannot be "
        "checked for its elements or its watt-hour rating; rather than pass silently, this "
        "rule says so.",
        why=f"The checks of BAT002, BAT003 and BAT005 ({_MANUAL}) read the summary's text; "
        "without it their verdict would be a guess.",
        example="A summary printed, signed and scanned to PDF without OCR.",
        fix="Upload the laboratory's original PDF, or run OCR on the scan (e.g. `ocrmypdf`) "
        "before packaging.",
    ),
]
