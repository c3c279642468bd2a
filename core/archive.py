"""Extract a listing package's zip into a private directory, within limits.

A zip from a seller is untrusted input. Members that would land outside the
target (absolute names, ``..``, drive letters) and symlink members are refused
one by one (``LG004``); an archive that is too large, has too many members, has
a compression ratio of a bomb, is encrypted or nests another archive is refused
as a whole (``LG005``); a file that is not a readable zip is ``LG006``.
Sizes are enforced while decompressing, not taken from the headers on trust.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .i18n import msg
from .model import Finding, Location
from .sniff import ARCHIVE_KINDS, sniff_bytes

ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz", ".jar", ".apk")
_CHUNK = 1 << 16


@dataclass(frozen=True)
class ArchiveLimits:
    """Limits for reading a packaged zip; configurable under ``[tool.listguard.archive]``."""

    max_total_size: int = 512 * 1024 * 1024  # uncompressed bytes, all members
    max_members: int = 5000
    max_ratio: float = 200.0  # uncompressed / compressed, per member and overall
    # A small member may compress very well by nature (a blank PNG); the ratio
    # only condemns members larger than this.
    ratio_min_size: int = 1024 * 1024


class ArchiveRefused(Exception):
    """The archive as a whole is refused; ``finding`` says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


@dataclass
class Extraction:
    findings: list[Finding] = field(default_factory=list)
    members: list[str] = field(default_factory=list)


def unsafe_member_reason(name: str) -> str | None:
    """Why a package-relative name would escape its root (NUL, absolute, drive
    letter, ``..``), or ``None``. Used for zip members and manifest paths alike."""
    if "\x00" in name:
        return msg("contains a NUL character")
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        return msg("is an absolute path")
    if ".." in PurePosixPath(normalised).parts:
        return msg("contains a '..' segment")
    return None


def _refuse(source: str, message: str, hint: str) -> ArchiveRefused:
    return ArchiveRefused(Finding("LG005", message, location=Location(file=source), hint=hint))


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return info.create_system == 3 and stat.S_ISLNK(mode)


def extract_zip(archive: Path, target: Path, limits: ArchiveLimits, source: str) -> Extraction:
    """Extract ``archive`` into the empty directory ``target`` within ``limits``.

    Returns the per-member findings (``LG004``) and the extracted member names;
    raises :class:`ArchiveRefused` when the whole archive is refused.
    """
    result = Extraction()
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveRefused(
            Finding(
                "LG006",
                msg("{file} is not a readable zip archive ({error})", file=source, error=str(exc)),
                location=Location(file=source),
                hint=msg("re-create the archive with a standard zip tool"),
            )
        ) from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise _refuse(
                source,
                msg(
                    "archive has {count} members, more than the limit of {limit}",
                    count=len(infos),
                    limit=limits.max_members,
                ),
                msg("package only the listing's files"),
            )
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_total_size:
            raise _refuse(
                source,
                msg(
                    "archive would unpack to {size:,} bytes, more than the limit of {limit:,}",
                    size=declared,
                    limit=limits.max_total_size,
                ),
                msg("reduce image sizes or raise [tool.listguard.archive] max-total-size"),
            )
        _refuse_collisions(infos, source)
        written = 0
        compressed_total = max(1, sum(i.compress_size for i in infos))
        for info in infos:
            name = info.filename
            reason = unsafe_member_reason(name)
            if reason:
                result.findings.append(
                    Finding(
                        "LG004",
                        msg(
                            "archive member {name!r} {reason}; it was not extracted",
                            name=name,
                            reason=reason,
                        ),
                        location=Location(file=source),
                        hint=msg("re-create the zip from inside the package folder"),
                    )
                )
                continue
            if _is_symlink(info):
                result.findings.append(
                    Finding(
                        "LG004",
                        msg(
                            "archive member {name!r} is a symbolic link; it was not extracted",
                            name=name,
                        ),
                        location=Location(file=source),
                        hint=msg("store the file itself, not a link to it"),
                    )
                )
                continue
            if info.flag_bits & 0x1:
                raise _refuse(
                    source,
                    msg("archive member {name!r} is encrypted", name=name),
                    msg("upload an archive without a password"),
                )
            if info.is_dir():
                try:
                    (target / name).mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise _unreadable_member(info, exc, source) from exc
                continue
            if name.lower().endswith(ARCHIVE_SUFFIXES):
                raise _refuse(
                    source,
                    f"archive member {name!r} is itself an archive; nested archives are refused",
                    "unpack the inner archive and package its files directly",
                )
            written += _extract_member(zf, info, target, limits, source, written)
            result.members.append(name)
        if written > limits.ratio_min_size and written / compressed_total > limits.max_ratio:
            raise _refuse(
                source,
                f"archive expands {written / compressed_total:.0f}-fold, more than the limit "
                f"of {limits.max_ratio:.0f}: a decompression bomb",
                "package ordinary files; do not upload crafted archives",
            )
    return result


def _extract_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    target: Path,
    limits: ArchiveLimits,
    source: str,
    already_written: int,
) -> int:
    destination = target / info.filename
    budget = limits.max_total_size - already_written
    size = 0
    first = True
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, destination.open("wb") as dst:
            while chunk := src.read(_CHUNK):
                if first:
                    first = False
                    if sniff_bytes(chunk[:1024]) in ARCHIVE_KINDS:
                        raise _refuse(
                            source,
                            f"archive member {info.filename!r} is itself an archive; "
                            "nested archives are refused",
                            "unpack the inner archive and package its files directly",
                        )
                size += len(chunk)
                if size > budget:
                    raise _refuse(
                        source,
                        msg(
                            "archive unpacks to more than the limit of {limit:,} bytes "
                            "(the headers understate the sizes)",
                            limit=limits.max_total_size,
                        ),
                        msg("package ordinary files; do not upload crafted archives"),
                    )
                if size > limits.ratio_min_size and size / max(1, info.compress_size) > (
                    limits.max_ratio
                ):
                    raise _refuse(
                        source,
                        msg(
                            "archive member {name!r} expands more than {ratio:.0f}-fold: "
                            "a decompression bomb",
                            name=info.filename,
                            ratio=limits.max_ratio,
                        ),
                        msg("package ordinary files; do not upload crafted archives"),
                    )
                dst.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise _unreadable_member(info, exc, source) from exc
    return size


def _unreadable_member(info: zipfile.ZipInfo, exc: BaseException, source: str) -> ArchiveRefused:
    # An OSError's str() names the file in the temporary directory: report its
    # reason only, so that no local path reaches the report.
    error = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return ArchiveRefused(
        Finding(
            "LG006",
            msg(
                "archive member {name!r} cannot be read ({error})", name=info.filename, error=error
            ),
            location=Location(file=source),
            hint=msg("re-create the archive with a standard zip tool"),
        )
    )


def _member_key(name: str) -> str:
    """The path an unzipper would create for ``name``, as it would compare it.

    Separators are normalised (``\\`` and ``/``, repeated or ``./`` segments) and
    the comparison ignores case: the default file systems of macOS (APFS) and
    Windows (NTFS) are case-insensitive, so ``Listing.json`` and ``listing.json``
    are one file there and an unzipper keeps only one of them.
    """
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
    return "/".join(parts).casefold()


def _refuse_collisions(infos: list[zipfile.ZipInfo], source: str) -> None:
    """Refuse an archive in which two members would land on the same path, or a
    file would land where another member needs a folder: which one an unzipper
    keeps depends on the tool, so the package is ambiguous."""
    files: dict[str, str] = {}
    folders: dict[str, str] = {}
    for info in infos:
        name = info.filename
        if unsafe_member_reason(name) or _is_symlink(info):
            continue  # refused one by one, never extracted
        key = _member_key(name)
        if not key:
            continue
        parts = key.split("/")
        for depth in range(1, len(parts)):
            folders.setdefault("/".join(parts[:depth]), name)
        if info.is_dir():
            folders.setdefault(key, name)
            continue
        if key in files:
            raise _refuse(
                source,
                msg(
                    "archive member {name!r} is stored twice; which copy an unzipper keeps "
                    "is undefined",
                    name=name,
                )
                if files[key] == name
                else msg(
                    "archive members {first!r} and {second!r} have the same name; "
                    "which one an unzipper keeps is undefined",
                    first=files[key],
                    second=name,
                ),
                msg("re-create the archive so that each file is stored once"),
            )
        files[key] = name
    for key, name in sorted(files.items()):
        if key in folders:
            raise _refuse(
                source,
                msg(
                    "archive member {file!r} is a file, but {other!r} needs a folder "
                    "of the same name",
                    file=name,
                    other=folders[key],
                ),
                msg("re-create the archive so that each file is stored once"),
            )
