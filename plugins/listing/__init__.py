"""The listing plugin: the reseller programme's rules on the manifest (LST001–LST006).

Price within MSRP ±5%, a well-formed IoT filing at least 7 days old, firmware
no older than a release published more than 48 hours ago, the seller's ``MIE-``
enterprise id and an authorised model — all against the brand kit. Rules that
need the brand kit report that they could not be verified when there is none.
"""

from __future__ import annotations

from collections.abc import Iterator

from listguard import Finding, Rule, hookimpl
from listguard.context import CheckContext

from . import checks
from .rules import RULES

PLUGIN_NAME = "listing"
LISTGUARD_API = 1


@hookimpl
def listguard_register_rules() -> list[Rule]:
    """LST001–LST006."""
    return list(RULES)


@hookimpl
def listguard_check_manifest(ctx: CheckContext) -> Iterator[Finding]:
    """Run every listing rule on the manifest."""
    manifest, kit = ctx.manifest, ctx.brand_kit
    yield from checks.check_price(manifest, kit)
    yield from checks.check_filing(manifest, ctx.as_of)
    yield from checks.check_firmware(manifest, kit, ctx.as_of)
    yield from checks.check_enterprise_id(manifest)
    yield from checks.check_model(manifest, kit)
