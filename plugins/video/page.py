"""Reading a detail page's bytes as text, the way a browser would pick the encoding."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip


class PageTooLarge(Exception):
    """The page is larger than the plugin's ``max-page-bytes``."""


def read_page(path: Path, max_bytes: int) -> tuple[str, str]:
    """The page's text and the encoding it was read with.

    A byte-order mark decides first, then valid UTF-8, then a ``<meta charset>``
    in the first 4 KiB, then Windows-1252 (what browsers assume for legacy
    pages); undecodable bytes become U+FFFD rather than an error, because a link
    is ASCII in every one of these and must still be found.
    """
    size = path.stat().st_size
    if size > max_bytes:
        raise PageTooLarge(f"{size} bytes, more than max-page-bytes = {max_bytes}")
    data = path.read_bytes()
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET_RE.search(data[:4096])
    if match:
        try:
            name = codecs.lookup(match.group(1).decode("ascii")).name
        except LookupError:
            name = ""
        if name and name != "utf-8":
            return data.decode(name, errors="replace"), name
    return data.decode("cp1252", errors="replace"), "cp1252"
