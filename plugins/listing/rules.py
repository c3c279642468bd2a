"""The programme listing rules (LST001–LST006) and their docs pages."""

from __future__ import annotations

from listguard import Rule, Severity

PROGRAMME = "the brand's authorised-reseller programme rules (SPEC §3)"

PRICE_OUT_OF_BAND = Rule(
    "LST001",
    "price-outside-msrp-band",
    Severity.ERROR,
    "Price is outside MSRP ±5%",
    what=(
        "Compares the manifest's `price` with the brand kit's MSRP for the model. "
        "The price passes when it lies within MSRP ±5% inclusive (exactly 5% above or "
        "below passes); amounts are compared as decimals, so float rounding never "
        "moves a price across the boundary. A price in another currency than the MSRP "
        "is reported, not converted. A missing price, a model without MSRP in the kit, "
        "or a run without a brand kit are reported as 'could not be verified'."
    ),
    why=(
        f"Price discipline is part of {PROGRAMME}: an authorised reseller must sell "
        "within ±5% of the manufacturer's suggested retail price, or the listing is "
        "delisted automatically."
    ),
    example='MSRP 99.00 EUR; manifest `"price": {"amount": 89.00, "currency": "EUR"}` '
    "(10.1% below).",
    fix="Set the price within the band shown in the finding, in the MSRP's currency.",
)

FILING_MALFORMED = Rule(
    "LST002",
    "iot-filing-malformed",
    Severity.ERROR,
    "IoT filing number is malformed or dated in the future",
    what=(
        "Checks `iot_filing_number` has the form `XM-` + 6 characters (upper-case "
        "letters or digits) + `-` + a real calendar date `YYYYMMDD`, and that the date "
        "is not after the check date (`--as-of`). A missing number is reported too."
    ),
    why=(
        f"{PROGRAMME}: every ecosystem IoT device must carry the brand's filing number "
        "XM-XXXXXX-YYYYMMDD; a malformed or not-yet-valid number is treated as no filing."
    ),
    example="`XM-48291-20240315` (5 characters), `XM-482913-20240231` (no 31 February).",
    fix="Copy the filing number exactly as issued by the brand's IoT filing portal.",
)

FILING_TOO_RECENT = Rule(
    "LST003",
    "iot-filing-too-recent",
    Severity.WARNING,
    "IoT filing is less than 7 days old",
    what=(
        "Warns when the date in a well-formed `iot_filing_number` is fewer than 7 days "
        "before the check date: filed 7 or more days before passes, 6 days warns."
    ),
    why=f"{PROGRAMME}: the IoT filing must be made at least 7 days before the listing goes live.",
    example="Check date 2026-11-22, filing `XM-482913-20261116` (6 days).",
    fix="Wait until the filing is 7 days old before publishing, or use the earlier filing.",
)

FIRMWARE_OUTDATED = Rule(
    "LST004",
    "firmware-outdated",
    Severity.ERROR,
    "Firmware older than a release published more than 48 h before the check date",
    what=(
        "Compares `firmware_version` with the brand kit's firmware releases for the "
        "model. The check instant is the **end** of the check date in UTC (`--as-of` "
        "2026-11-22 → 2026-11-23T00:00Z), so the seller keeps the whole check day; a "
        "release counts once it was published more than 48 hours before that instant "
        "(47 h: not yet, exactly 48 h: not yet, 49 h: yes). The newest counting release "
        "(by version) must not be newer than the shipped firmware. Versions compare "
        "numerically part by part (`1.0.10` > `1.0.9`, four-part versions work): PEP 440 "
        "via `packaging` when both parse, otherwise a natural order."
    ),
    why=(
        f"{PROGRAMME}: sellers must update the device firmware within 48 hours of a new "
        "release, so buyers never receive devices with known, fixed defects."
    ),
    example="Shipped `1.0.9`; kit release `1.0.10` published 3 days before the check date.",
    fix="Update the stock to the firmware named in the finding and set `firmware_version`.",
)

ENTERPRISE_ID = Rule(
    "LST005",
    "enterprise-id-prefix",
    Severity.ERROR,
    "Seller enterprise id lacks the MIE- prefix",
    what=(
        "Checks `seller.enterprise_id` starts with `MIE-` (case-sensitive) followed by "
        "the id. A missing `seller` or `enterprise_id` is reported too."
    ),
    why=f"{PROGRAMME}: authorised resellers are identified by an enterprise id MIE-….",
    example='`"seller": {"enterprise_id": "004512"}`',
    fix="Use the enterprise id from the reseller authorisation letter, e.g. `MIE-004512`.",
)

MODEL_NOT_AUTHORISED = Rule(
    "LST006",
    "model-not-authorised",
    Severity.ERROR,
    "The model is not an authorised model of the brand kit",
    what=(
        "Checks the manifest's `model` is one of the brand kit's `models` (exact "
        "match). Without a brand kit the rule reports that it could not be verified."
    ),
    why=f"{PROGRAMME}: a reseller may list only the models the brand has authorised.",
    example="Manifest `model` `OV2301A9`; the kit lists `OV2301A1`, `OV2302B1`.",
    fix="Correct the model code, or ask the brand to authorise the model.",
)

RULES = [
    PRICE_OUT_OF_BAND,
    FILING_MALFORMED,
    FILING_TOO_RECENT,
    FIRMWARE_OUTDATED,
    ENTERPRISE_ID,
    MODEL_NOT_AUTHORISED,
]
