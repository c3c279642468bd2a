"""Tell what a file is from its first bytes, not its name."""

from __future__ import annotations

import unicodedata
from pathlib import Path

# What each extension promises; the content decides what the file is.
EXTENSION_KINDS: dict[str, str] = {
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
    ".webp": "webp",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
}

IMAGE_KINDS = frozenset({"jpeg", "png", "webp"})
ARCHIVE_KINDS = frozenset({"zip", "gzip", "7z", "rar", "bzip2", "xz", "tar"})


def sniff_bytes(head: bytes) -> str:
    """Classify a file from its first bytes (1 KiB is plenty).

    Returns one of ``jpeg png webp gif pdf zip gzip 7z rar bzip2 xz tar html
    json text empty binary``.
    """
    if not head:
        return "empty"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    # PDF readers accept the header anywhere in the first KiB.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return "zip"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith(b"Rar!\x1a\x07"):
        return "rar"
    if head.startswith(b"BZh"):
        return "bzip2"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if len(head) > 262 and head[257:262] == b"ustar":
        return "tar"
    return _sniff_text(head)


def _sniff_text(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 with a byte-order mark: NUL bytes are expected here.
        text = head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
        return _classify_text(text) if _mostly_printable(text) else "binary"
    if b"\x00" in head:
        return "binary"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(head) - 4:
            # Text in a legacy 8-bit encoding (cp1252, latin-1) is still text;
            # its reader decodes it (a detail page declares its charset).
            text = head.decode("cp1252", errors="replace")
            return _classify_text(text) if _mostly_printable(text) else "binary"
        text = head[: exc.start].decode("utf-8")
    return _classify_text(text)


#: At most this share of a text sample may be control or undecodable characters.
_MAX_UNPRINTABLE = 0.02


def _mostly_printable(text: str) -> bool:
    """Whether ``text`` reads as text: almost no control characters (other than
    line breaks and tabs) and almost no undecodable bytes."""
    if not text:
        return False
    bad = sum(
        1
        for char in text
        if char == "\ufffd" or (unicodedata.category(char) == "Cc" and char not in "\t\n\r\f\v")
    )
    return bad <= len(text) * _MAX_UNPRINTABLE


def _classify_text(text: str) -> str:
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:1] in ("{", "["):
        return "json"
    if stripped[:1] == "<":
        return "html"
    return "text"


def sniff_file(path: Path) -> str:
    """Classify the file at ``path`` from its content."""
    with path.open("rb") as handle:
        return sniff_bytes(handle.read(1024))


def expected_kind(name: str) -> str | None:
    """The kind a file name's extension promises, or ``None`` when it promises none."""
    return EXTENSION_KINDS.get(Path(name).suffix.lower())


def matches_extension(name: str, kind: str) -> bool:
    """Whether content ``kind`` is what the extension of ``name`` promises.

    HTML pasted from editors often starts with text before the first tag, so
    any text is accepted for ``.html``.
    """
    expected = expected_kind(name)
    if expected is None:
        return True
    if expected == "html":
        return kind in ("html", "text")
    return kind == expected
