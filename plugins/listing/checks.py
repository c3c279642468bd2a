"""The listing checks: one function per rule, each from the manifest, the brand kit
and the check date to a list of findings.

Every function reports when it cannot decide (a field missing, no brand kit,
no MSRP for the model) instead of passing silently.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from listguard import Finding, Location
from listguard.brandkit import BrandKit, BrandModel, FirmwareRelease
from listguard.i18n import Text, msg

from .versions import MAX_VERSION_CHARS, compare_versions, shorten, too_long

MANIFEST = "listing.json"
#: ±5% of MSRP, inclusive (SPEC §3).
PRICE_TOLERANCE = Decimal("0.05")
#: A filing must be at least this old on the check date.
FILING_MIN_AGE = dt.timedelta(days=7)
#: A firmware release binds the seller once it is older than this.
FIRMWARE_GRACE = dt.timedelta(hours=48)
ENTERPRISE_PREFIX = "MIE-"
FILING_RE = re.compile(r"^XM-(?P<code>[A-Z0-9]{6})-(?P<date>[0-9]{8})$")


def _at(pointer: str) -> Location:
    return Location(file=MANIFEST, pointer=pointer)


def _decimal(value: Any) -> Decimal | None:
    """A JSON number as the decimal it was written as (``repr`` of a float is the
    shortest string that round-trips, so 94.05 stays 94.05, not 94.0499999…)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _money(amount: Decimal) -> str:
    """An amount for people: cents when it has no finer part (100.0 → 100.00)."""
    cents = amount.quantize(Decimal("0.01"))
    return f"{cents:f}" if cents == amount else f"{amount.normalize():f}"


def _kit_model(kit: BrandKit | None, model: str | None) -> BrandModel | None:
    if kit is None or model is None:
        return None
    return kit.models.get(model)


def _cannot_verify(
    code: str, what: Text, kit: BrandKit | None, model: str | None, pointer: str
) -> Finding:
    """The finding for a rule that needs the kit's data for the model but has none."""
    if kit is None:
        reason, hint = msg("no brand kit was given"), msg("run with --brand-kit DIR")
    else:
        reason = msg(
            "model {model!r} is not in the brand kit of {brand!r}", model=model, brand=kit.brand
        )
        hint = msg("see LST006; correct the model code")
    return Finding(
        code,
        msg("{what} could not be verified: {reason}", what=what, reason=reason),
        location=_at(pointer),
        hint=hint,
        evidence={"brand_kit": kit.brand if kit else None, "model": model},
    )


# -- LST001 ------------------------------------------------------------------


def check_price(manifest: dict[str, Any], kit: BrandKit | None) -> list[Finding]:
    """LST001: the price lies within the model's MSRP ±5% (inclusive, in decimals)."""
    model = manifest.get("model")
    price = manifest.get("price")
    if not isinstance(price, dict) or "amount" not in price:
        return [
            Finding(
                "LST001",
                msg("the manifest has no price, so it cannot be checked against the MSRP"),
                location=_at("/price"),
                hint=msg('add "price": {{"amount": ..., "currency": "EUR"}}'),
                evidence={"price": price},
            )
        ]
    entry = _kit_model(kit, model)
    if entry is None:
        return [_cannot_verify("LST001", msg("the price"), kit, model, "/price")]
    if entry.msrp is None:
        return [
            Finding(
                "LST001",
                msg(
                    "the price could not be verified: the brand kit has no MSRP "
                    "for model {model!r}",
                    model=model,
                ),
                location=_at("/price"),
                hint=msg("ask the brand for the MSRP, or add it to the brand kit"),
                evidence={"model": model, "msrp": None},
            )
        ]
    amount = _decimal(price.get("amount"))
    msrp = _decimal(entry.msrp.amount)
    currency, msrp_currency = price.get("currency"), entry.msrp.currency
    evidence: dict[str, Any] = {
        "price": {"amount": str(amount), "currency": currency},
        "msrp": {"amount": str(msrp), "currency": msrp_currency},
    }
    if currency != msrp_currency:
        return [
            Finding(
                "LST001",
                msg(
                    "the price is in {currency} but the MSRP of {model} is {msrp} "
                    "{msrp_currency}: the currencies differ, so the ±5% band cannot be checked",
                    currency=str(currency),
                    model=str(model),
                    msrp=_money(msrp) if msrp is not None else "?",
                    msrp_currency=msrp_currency,
                ),
                location=_at("/price/currency"),
                hint=msg("give the price in {currency}", currency=msrp_currency),
                evidence=evidence,
            )
        ]
    if amount is None or msrp is None:  # the schema makes this unreachable
        return [
            Finding(
                "LST001", msg("the price amount is not a number"), location=_at("/price/amount")
            )
        ]
    low, high = msrp * (1 - PRICE_TOLERANCE), msrp * (1 + PRICE_TOLERANCE)
    if low <= amount <= high:
        return []
    deviation = (amount - msrp) / msrp * 100
    evidence |= {
        "allowed": {"min": str(low), "max": str(high)},
        "deviation_percent": f"{deviation:+.2f}",
    }
    args = {
        "amount": _money(amount),
        "currency": currency,
        "deviation": f"{abs(deviation):.2f}",
        "msrp": _money(msrp),
        "msrp_currency": msrp_currency,
        "low": _money(low),
        "high": _money(high),
    }
    return [
        Finding(
            "LST001",
            msg(
                "price {amount} {currency} is {deviation}% above the MSRP {msrp} {msrp_currency}; "
                "the programme allows {low}–{high} {currency} (±5%)",
                **args,
            )
            if deviation > 0
            else msg(
                "price {amount} {currency} is {deviation}% below the MSRP {msrp} {msrp_currency}; "
                "the programme allows {low}–{high} {currency} (±5%)",
                **args,
            ),
            location=_at("/price/amount"),
            hint=msg(
                "set the price between {low} and {high} {currency}",
                low=_money(low),
                high=_money(high),
                currency=currency,
            ),
            evidence=evidence,
        )
    ]


# -- LST002 / LST003 ---------------------------------------------------------


def parse_filing_date(number: str) -> dt.date | None:
    """The date of a well-formed filing number ``XM-XXXXXX-YYYYMMDD``, else ``None``."""
    match = FILING_RE.match(number)
    if not match:
        return None
    text = match.group("date")
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def check_filing(manifest: dict[str, Any], as_of: dt.date) -> list[Finding]:
    """LST002 (malformed, missing or future-dated) and LST003 (filed < 7 days ago)."""
    number = manifest.get("iot_filing_number")
    where = _at("/iot_filing_number")
    expected = msg("XM- + 6 upper-case letters or digits + - + a date YYYYMMDD")
    if not isinstance(number, str):
        return [
            Finding(
                "LST002",
                msg("the manifest has no iot_filing_number"),
                location=where,
                hint=msg("add the IoT filing number issued by the brand, e.g. XM-482913-20240315"),
                evidence={"value": number, "expected": expected},
            )
        ]
    match = FILING_RE.match(number)
    if not match:
        return [
            Finding(
                "LST002",
                msg(
                    "IoT filing number {number!r} is malformed: expected {expected}",
                    number=number,
                    expected=expected,
                ),
                location=where,
                hint=msg("copy the number exactly as issued, e.g. XM-482913-20240315"),
                evidence={"value": number, "expected": expected, "pattern": FILING_RE.pattern},
            )
        ]
    filed = parse_filing_date(number)
    if filed is None:
        return [
            Finding(
                "LST002",
                msg(
                    "IoT filing number {number!r} carries {date!r}, which is not a calendar date",
                    number=number,
                    date=match.group("date"),
                ),
                location=where,
                evidence={"value": number, "date": match.group("date"), "expected": "YYYYMMDD"},
            )
        ]
    evidence = {"value": number, "filed": filed.isoformat(), "as_of": as_of.isoformat()}
    if filed > as_of:
        return [
            Finding(
                "LST002",
                msg(
                    "IoT filing number {number} is dated {filed}, after the check date {as_of}",
                    number=number,
                    filed=filed.isoformat(),
                    as_of=as_of.isoformat(),
                ),
                location=where,
                hint=msg("a filing cannot be dated in the future: check the number"),
                evidence=evidence,
            )
        ]
    age = as_of - filed
    if age < FILING_MIN_AGE:
        earliest = filed + FILING_MIN_AGE
        return [
            Finding(
                "LST003",
                msg(
                    "IoT filing {number} was made {days} day(s) before the check date {as_of}; "
                    "the programme requires at least 7 days",
                    number=number,
                    days=age.days,
                    as_of=as_of.isoformat(),
                ),
                location=where,
                hint=msg("publish on or after {date}", date=earliest.isoformat()),
                evidence=evidence
                | {"age_days": age.days, "earliest_listing": earliest.isoformat()},
            )
        ]
    return []


# -- LST004 ------------------------------------------------------------------


def check_instant(as_of: dt.date) -> dt.datetime:
    """The instant a check date stands for: the end of that day in UTC."""
    return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(0, 0), tzinfo=dt.UTC)


def binding_release(
    releases: tuple[FirmwareRelease, ...], as_of: dt.date
) -> FirmwareRelease | None:
    """The newest release (by version) published more than 48 h before the check instant."""
    cutoff = check_instant(as_of) - FIRMWARE_GRACE
    newest: FirmwareRelease | None = None
    # Sorted first so that equal versions resolve the same way on every run.
    for release in sorted(releases, key=lambda r: (r.released, r.version)):
        if release.released >= cutoff:
            continue
        if newest is None or compare_versions(release.version, newest.version) > 0:
            newest = release
    return newest


def check_firmware(manifest: dict[str, Any], kit: BrandKit | None, as_of: dt.date) -> list[Finding]:
    """LST004: the shipped firmware is not older than the binding release."""
    model = manifest.get("model")
    version = manifest.get("firmware_version")
    entry = _kit_model(kit, model)
    if entry is None:
        return [
            _cannot_verify("LST004", msg("the firmware version"), kit, model, "/firmware_version")
        ]
    if not entry.firmware:
        if version is None:
            return []  # neither the kit nor the seller knows of firmware: nothing to update
        return [
            Finding(
                "LST004",
                msg(
                    "firmware {version} could not be verified: the brand kit lists no firmware "
                    "releases for model {model!r}",
                    version=shorten(str(version)),
                    model=model,
                ),
                location=_at("/firmware_version"),
                evidence={"firmware_version": version, "releases": []},
            )
        ]
    latest = binding_release(entry.firmware, as_of)
    expected = latest.version if latest else None
    if not isinstance(version, str):
        return [
            Finding(
                "LST004",
                msg(
                    "the manifest has no firmware_version, but the brand kit lists firmware "
                    "releases for {model} (current: {expected})",
                    model=model,
                    expected=expected,
                )
                if expected
                else msg(
                    "the manifest has no firmware_version, but the brand kit lists firmware "
                    "releases for {model}",
                    model=model,
                ),
                location=_at("/firmware_version"),
                hint=msg("add the firmware version the devices ship with"),
                evidence={"firmware_version": None, "expected_at_least": expected},
            )
        ]
    if too_long(version):
        return [
            Finding(
                "LST004",
                msg(
                    "firmware_version {version} could not be compared: it is {length} "
                    "characters long, not a version (at most {limit})",
                    version=shorten(version.strip()),
                    length=len(version.strip()),
                    limit=MAX_VERSION_CHARS,
                ),
                location=_at("/firmware_version"),
                hint=msg("write the firmware version the devices ship with, e.g. 2.3.1"),
                evidence={
                    "firmware_version": shorten(version.strip(), 200),
                    "length": len(version.strip()),
                    "unparsable": True,
                    "expected_at_least": expected,
                },
            )
        ]
    if latest is None or compare_versions(version, latest.version) >= 0:
        return []
    age = check_instant(as_of) - latest.released
    hours = int(age.total_seconds() // 3600)
    return [
        Finding(
            "LST004",
            msg(
                "firmware {version} is older than release {latest}, published {released} "
                "({hours} h before the end of {as_of} UTC; the programme allows 48 h)",
                version=version,
                latest=latest.version,
                released=latest.released.isoformat(),
                hours=hours,
                as_of=as_of.isoformat(),
            ),
            location=_at("/firmware_version"),
            hint=msg("update the devices to firmware {version} or later", version=latest.version),
            evidence={
                "firmware_version": version,
                "expected_at_least": latest.version,
                "released": latest.released.isoformat(),
                "check_instant": check_instant(as_of).isoformat(),
                "hours_since_release": round(age.total_seconds() / 3600, 2),
            },
        )
    ]


# -- LST005 ------------------------------------------------------------------


def check_enterprise_id(manifest: dict[str, Any]) -> list[Finding]:
    """LST005: ``seller.enterprise_id`` starts with ``MIE-`` and has an id after it."""
    seller = manifest.get("seller")
    if not isinstance(seller, dict):
        return [
            Finding(
                "LST005",
                msg("the manifest has no seller, so the enterprise id (MIE-…) cannot be checked"),
                location=_at("/seller"),
                hint=msg('add "seller": {{"name": ..., "enterprise_id": "MIE-…"}}'),
                evidence={"value": None, "expected": "MIE-…"},
            )
        ]
    value = seller.get("enterprise_id")
    if not isinstance(value, str):
        return [
            Finding(
                "LST005",
                msg("the seller has no enterprise_id (expected MIE-…)"),
                location=_at("/seller"),
                hint=msg("add the enterprise id from the reseller authorisation, e.g. MIE-004512"),
                evidence={"value": None, "expected": "MIE-…"},
            )
        ]
    if value.startswith(ENTERPRISE_PREFIX) and value[len(ENTERPRISE_PREFIX) :].strip():
        return []
    problem = (
        msg("has nothing after the MIE- prefix")
        if value.startswith(ENTERPRISE_PREFIX)
        else msg("lacks the MIE- prefix")
    )
    return [
        Finding(
            "LST005",
            msg("seller enterprise id {value!r} {problem}", value=value, problem=problem),
            location=_at("/seller/enterprise_id"),
            hint=msg("use the enterprise id exactly as issued, e.g. MIE-004512"),
            evidence={"value": value, "expected": "MIE-…"},
        )
    ]


# -- LST006 ------------------------------------------------------------------


def check_model(manifest: dict[str, Any], kit: BrandKit | None) -> list[Finding]:
    """LST006: the model is one of the brand kit's authorised models."""
    model = manifest.get("model")
    if kit is None:
        return [_cannot_verify("LST006", msg("the model's authorisation"), None, model, "/model")]
    if isinstance(model, str) and model in kit.models:
        return []
    authorised = sorted(kit.models)
    near = [m for m in authorised if isinstance(model, str) and m.lower() == model.lower()]
    return [
        Finding(
            "LST006",
            msg(
                "model {model!r} is not an authorised model of {brand} (did you mean {near!r}?)",
                model=model,
                brand=kit.brand,
                near=near[0],
            )
            if near
            else msg(
                "model {model!r} is not an authorised model of {brand}",
                model=model,
                brand=kit.brand,
            ),
            location=_at("/model"),
            hint=msg("correct the model code, or ask the brand to authorise the model"),
            evidence={"value": model, "expected_one_of": authorised[:50]},
        )
    ]
