"""Firmware version ordering: PEP 440 where both versions parse, else a natural order.

Brands number firmware as ``1.0.10``, ``2.3.1.4`` or ``2.3.1_0045``; plain string
comparison gets ``1.0.10`` < ``1.0.9`` wrong, and :class:`packaging.version.Version`
rejects some vendor spellings, so those fall back to a natural sort key.
"""

from __future__ import annotations

import re
from typing import Any

from packaging.version import InvalidVersion, Version

_TOKEN_RE = re.compile(r"\d+|[A-Za-z]+")
# Real firmware versions are a few dozen characters at most; anything longer is
# a data error, and digit runs past Python's int-conversion limit (4300 digits)
# would raise ValueError in int().
MAX_VERSION_CHARS = 64


def too_long(text: str) -> bool:
    """``text`` is longer than any firmware version (:data:`MAX_VERSION_CHARS`)."""
    return len(text.strip()) > MAX_VERSION_CHARS


def shorten(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters for a message (the evidence keeps its length)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(token: str) -> tuple[int, str]:
    # Compared by digit count then digits, which orders numbers of any length
    # the way int() would, without int()'s size limit.
    digits = token.lstrip("0") or "0"
    return len(digits), digits


def natural_key(text: str) -> tuple[tuple[int, Any], ...]:
    """A sort key that compares digit runs as numbers and letter runs as text.

    A leading ``v`` is ignored and trailing ``.0`` parts do not count, so
    ``v1.2`` == ``1.2.0``. Numbers sort after letters in the same position, so a
    pre-release ``1.0.rc1`` sorts before the release ``1.0.1``.
    """
    cleaned = text.strip()
    if cleaned[:1] in ("v", "V") and cleaned[1:2].isdigit():
        cleaned = cleaned[1:]
    parts: list[tuple[int, Any]] = []
    for token in _TOKEN_RE.findall(cleaned):
        parts.append((1, _number(token)) if token.isdigit() else (0, token.lower()))
    while parts and parts[-1] == (1, (1, "0")):
        parts.pop()
    return tuple(parts)


def _pep440(text: str) -> Version | None:
    if too_long(text):
        return None
    try:
        return Version(text.strip())
    except (InvalidVersion, ValueError):  # ValueError: int() limits on huge numbers
        return None


def compare_versions(left: str, right: str) -> int:
    """-1, 0 or 1 as ``left`` is older than, the same as, or newer than ``right``."""
    a, b = _pep440(left), _pep440(right)
    if a is not None and b is not None:
        return (a > b) - (a < b)
    ka, kb = natural_key(left), natural_key(right)
    return (ka > kb) - (ka < kb)
