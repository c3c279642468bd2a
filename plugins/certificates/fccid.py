"""FCC identifiers (47 CFR 2.926): a grantee code followed by a product code.

The grantee code is 3 characters (codes issued before May 2013) or 5
characters (later codes, which always begin with ``2``); the product code is
1 to 14 characters of upper-case letters, digits and dashes. The FCC writes IDs
without spaces (``2ATUT-BBONE-AI``, ``BCG-E2431A``).
"""

from __future__ import annotations

import re

from listguard.i18n import msg

_ALLOWED = re.compile(r"^[A-Z0-9-]+$")


def fcc_id_problem(fcc_id: str) -> str | None:
    """Why ``fcc_id`` is malformed, or ``None`` when it is well formed."""
    if not fcc_id:
        return msg("it is empty")
    if fcc_id != fcc_id.strip() or " " in fcc_id:
        return msg("it contains spaces")
    if not _ALLOWED.match(fcc_id):
        bad = sorted({c for c in fcc_id if not re.match(r"[A-Z0-9-]", c)})
        return msg(
            "it contains {characters} (only A-Z, 0-9 and '-' are allowed)",
            characters=", ".join(repr(c) for c in bad),
        )
    if fcc_id.startswith("-"):
        return msg("it starts with a dash, so it has no grantee code")
    grantee_length = 5 if fcc_id[0] == "2" else 3
    grantee, product = fcc_id[:grantee_length], fcc_id[grantee_length:]
    if "-" in grantee:
        return msg(
            "its grantee code {grantee!r} must be {length} letters or digits",
            grantee=grantee,
            length=grantee_length,
        )
    if not product.strip("-"):
        return msg("it has a grantee code ({grantee}) but no product code", grantee=grantee)
    if len(product) > 14:
        return msg(
            "its product code {product!r} is {length} characters long (at most 14)",
            product=product,
            length=len(product),
        )
    return None


def split_fcc_id(fcc_id: str) -> tuple[str, str]:
    """``(grantee code, product code)`` of a well-formed FCC ID."""
    length = 5 if fcc_id[:1] == "2" else 3
    return fcc_id[:length], fcc_id[length:]
