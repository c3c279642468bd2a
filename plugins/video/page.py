"""Reading a detail page's bytes as text, the way a browser would pick the encoding."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# UTF-32 first: its little-endian BOM begins with UTF-16's.
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip
# Text codecs a page cannot be written in: a <meta> naming them is read as no
# declaration (WHATWG: a UTF-16/32 label in an ASCII-compatible page means
# UTF-8, and UTF-7 is refused outright); idna and punycode encode host names.
_NOT_PAGE_ENCODINGS = frozenset(
    {"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "utf-7",
     "idna", "punycode", "utf-8", "utf-8-sig", "undefined"}
)  # fmt: skip
FALLBACK = "cp1252"


class PageTooLarge(Exception):
    """The page is larger than the plugin's ``max-page-bytes``."""


def declared_encoding(data: bytes) -> str | None:
    """The codec a ``<meta charset>`` in the first 4 KiB names, when it is a real
    text encoding a page can be written in; ``None`` otherwise.

    Page content is untrusted: a label naming a bytes-to-bytes codec (``rot13``,
    ``base64``, ``zlib``, ``uu``, ``hex``), a host-name codec (``idna``,
    ``punycode``) or no codec at all must fall back, never raise.
    """
    match = _META_CHARSET_RE.search(data[:4096])
    if not match:
        return None
    try:
        info = codecs.lookup(match.group(1).decode("ascii"))
    except (LookupError, UnicodeError, ValueError):
        return None
    # _is_text_encoding is False for the codecs str.decode refuses (rot13, base64...).
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_ENCODINGS:
        return None
    return info.name


def decode_page(data: bytes) -> tuple[str, str]:
    """Decode a page's bytes: the text and the codec name used.

    A byte-order mark decides first (UTF-8, UTF-16, UTF-32), then valid UTF-8,
    then a ``<meta charset>`` in the first 4 KiB, then Windows-1252 (what browsers
    assume for legacy pages); undecodable bytes become U+FFFD rather than an
    error, because a link is ASCII in every one of these and must still be found.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding, errors="replace"), encoding
            except UnicodeError:  # pragma: no cover - "replace" handles every byte
                break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    name = declared_encoding(data)
    if name is not None:
        try:
            return data.decode(name, errors="replace"), name
        except (UnicodeError, LookupError):  # a codec that cannot replace: fall back
            pass
    return data.decode(FALLBACK, errors="replace"), FALLBACK


def read_page(path: Path, max_bytes: int) -> tuple[str, str]:
    """The page's text and the encoding it was read with (see :func:`decode_page`).

    Raises :class:`PageTooLarge` when the file is over ``max_bytes``.
    """
    size = path.stat().st_size
    if size > max_bytes:
        raise PageTooLarge(f"{size} bytes, more than max-page-bytes = {max_bytes}")
    return decode_page(path.read_bytes())
