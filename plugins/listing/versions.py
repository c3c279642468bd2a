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
        parts.append((1, int(token)) if token.isdigit() else (0, token.lower()))
    while parts and parts[-1] == (1, 0):
        parts.pop()
    return tuple(parts)


def _pep440(text: str) -> Version | None:
    try:
        return Version(text.strip())
    except InvalidVersion:
        return None


def compare_versions(left: str, right: str) -> int:
    """-1, 0 or 1 as ``left`` is older than, the same as, or newer than ``right``."""
    a, b = _pep440(left), _pep440(right)
    if a is not None and b is not None:
        return (a > b) - (a < b)
    ka, kb = natural_key(left), natural_key(right)
    return (ka > kb) - (ka < kb)
