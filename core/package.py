"""Find listing packages and load one: a folder or a zip, confined to its root.

``discover_packages`` turns command-line paths into package sources;
``open_package`` makes a :class:`Package` whose ``resolve`` is the only way
checks turn a manifest path into a file, so nothing outside the package is
ever read. Zips are extracted into a private temporary directory that is
removed when the package is closed.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .archive import ArchiveLimits, ArchiveRefused, extract_zip, unsafe_member_reason
from .i18n import msg
from .model import Finding, Location

MANIFEST_NAME = "listing.json"
MAX_MANIFEST_BYTES = 4 * 1024 * 1024


class UnsafePathError(ValueError):
    """A manifest path would leave the package (absolute, ``..``, symlink)."""


def reason_of(exc: BaseException) -> str:
    """The exception's message, keeping a :class:`~listguard.i18n.Text` (``str(exc)`` would not)."""
    return exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)


class PackageNotFoundError(FileNotFoundError):
    """A command-line path does not exist."""


def discover_packages(paths: list[str]) -> list[str]:
    """Expand command-line paths into package sources, in a stable order.

    A path is a package when it is a ``.zip`` file or a folder holding
    ``listing.json``; otherwise a folder is a folder of packages, and each child
    folder with a ``listing.json`` and each child ``.zip`` is one package (sorted
    by name). A folder with neither is reported as one package missing its
    manifest. Raises :class:`PackageNotFoundError` for a path that does not exist.
    """
    sources: list[str] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            raise PackageNotFoundError(f"no such file or folder: {raw}")
        if path.is_file() or (path / MANIFEST_NAME).exists():
            sources.append(raw)
            continue
        children = [
            child
            for child in sorted(path.iterdir(), key=lambda p: p.name)
            if (child.is_dir() and (child / MANIFEST_NAME).is_file())
            or (child.is_file() and child.suffix.lower() == ".zip")
        ]
        if children:
            sources.extend(str(child) for child in children)
        else:
            sources.append(raw)
    return sources


@dataclass
class Package:
    """A listing package opened for checking.

    ``root`` is the real path of the package's root directory (for a zip, inside
    a private temporary directory). ``findings`` holds what the loader found
    (``LG001``, ``LG004``–``LG006``). ``manifest`` is the parsed ``listing.json``,
    or ``None`` when it is missing or unreadable.
    """

    source: str
    root: Path
    manifest: dict[str, Any] | None = None
    findings: list[Finding] = field(default_factory=list)
    refused: bool = False  # the archive was refused as a whole
    _tempdir: Path | None = None

    def resolve(self, relative: str) -> Path:
        """The absolute path of a package-relative path, guaranteed to stay inside.

        Raises :class:`UnsafePathError` for an absolute path, a ``..`` segment or a
        symlink that leads out of the package. The file need not exist.
        """
        if not isinstance(relative, str) or not relative.strip():
            raise UnsafePathError(msg("is empty"))
        reason = unsafe_member_reason(relative)
        if reason:
            raise UnsafePathError(reason)
        normalised = relative.replace("\\", "/")
        try:
            real = (self.root / normalised).resolve()
        except RuntimeError as exc:  # Python < 3.13 reports a symlink loop so
            raise UnsafePathError(msg("is a symbolic link loop")) from exc
        except OSError as exc:
            raise UnsafePathError(os_reason(exc)) from exc
        if not real.is_relative_to(self.root):
            raise UnsafePathError(msg("is a symbolic link that leads outside the package"))
        return real

    def relative(self, text: str) -> str:
        """``text`` with this package's absolute paths replaced by package-relative
        ones, so that no temporary or local path reaches a report."""
        for prefix in self._absolute_prefixes():
            if len(prefix) <= 1:
                continue  # a package at the file system root: nothing to hide
            text = text.replace(prefix + os.sep, "")
            text = re.sub(re.escape(prefix) + r"(?![\w.-])", ".", text)
        return text

    def _absolute_prefixes(self) -> list[str]:
        prefixes = {str(self.root)}
        if self._tempdir is not None:
            prefixes |= {str(self._tempdir / "package"), str(self._tempdir)}
            prefixes.add(str(Path(os.path.realpath(self._tempdir))))
        # Longest first: the package root inside the temp dir before the temp dir.
        return sorted(prefixes, key=len, reverse=True)

    def close(self) -> None:
        """Remove the temporary directory of an extracted zip (idempotent)."""
        if self._tempdir is not None:
            shutil.rmtree(self._tempdir, ignore_errors=True)
            self._tempdir = None

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_package(source: str, limits: ArchiveLimits | None = None) -> Package:
    """Open the package at ``source`` (folder or zip) and read its manifest.

    Never raises for bad input: problems become findings on the package. Use the
    result as a context manager so that an extracted zip is removed afterwards.
    """
    limits = limits or ArchiveLimits()
    path = Path(source)
    if path.is_dir():
        package = Package(source=source, root=path.resolve())
    else:
        package = _open_zip(source, path, limits)
    try:
        if not package.refused:
            _read_manifest(package)
    except BaseException:
        package.close()  # never leave an extracted zip behind
        raise
    return package


#: Entries that archivers and file managers add beside a package folder.
_JUNK_NAMES = frozenset({".ds_store", "__macosx", "thumbs.db", "desktop.ini"})


def _is_junk(name: str) -> bool:
    return name.lower() in _JUNK_NAMES or name.startswith("._")


def _open_zip(source: str, path: Path, limits: ArchiveLimits) -> Package:
    tempdir = Path(tempfile.mkdtemp(prefix="listguard-"))
    try:
        target = tempdir / "package"
        target.mkdir()
        package = Package(source=source, root=target.resolve(), _tempdir=tempdir)
        try:
            extraction = extract_zip(path, target, limits, source=path.name)
        except ArchiveRefused as refused:
            package.findings.append(refused.finding)
            package.refused = True
            # Nothing of a refused archive is kept, not even what was extracted so far.
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            return package
        package.findings.extend(extraction.findings)
        if not (target / MANIFEST_NAME).is_file():
            # The zip may hold one folder that is the package, maybe beside the
            # junk a Mac or Windows file manager adds (.DS_Store, __MACOSX/).
            tops = [child for child in target.iterdir() if not _is_junk(child.name)]
            if len(tops) == 1 and tops[0].is_dir() and (tops[0] / MANIFEST_NAME).is_file():
                package.root = tops[0].resolve()
        return package
    except BaseException:
        shutil.rmtree(tempdir, ignore_errors=True)
        raise


def os_reason(exc: OSError) -> str:
    """Why the file system refused a path, as a reason phrase."""
    if exc.errno == errno.ENAMETOOLONG:
        return msg("is longer than the file system allows")
    if exc.errno == errno.ELOOP:
        return msg("is a symbolic link loop")
    return msg("cannot be looked up ({error})", error=exc.strerror or type(exc).__name__)


def is_regular_file(path: Path) -> bool | None:
    """``True`` for a regular file, ``False`` for something else there (a folder,
    FIFO, device or socket), ``None`` when nothing is there. Never opens it:
    opening a FIFO would block."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return None
        raise
    return stat.S_ISREG(mode)


def _read_manifest(package: Package) -> None:
    try:
        manifest_path = package.resolve(MANIFEST_NAME)
    except UnsafePathError as exc:
        package.findings.append(
            Finding(
                "LG004",
                msg("{file} {reason}; it was not read", file=MANIFEST_NAME, reason=reason_of(exc)),
                location=Location(file=MANIFEST_NAME),
                hint=msg("put the manifest itself in the package, not a link to it"),
            )
        )
        return
    try:
        regular = is_regular_file(manifest_path)
    except OSError as exc:
        regular = None
        package.findings.append(
            Finding(
                "LG004",
                msg("{file} {reason}; it was not read", file=MANIFEST_NAME, reason=os_reason(exc)),
                location=Location(file=MANIFEST_NAME),
            )
        )
        return
    if regular is False and not manifest_path.is_dir():
        package.findings.append(
            Finding(
                "LG001",
                msg("{file} is not a regular file; it was not read", file=MANIFEST_NAME),
                location=Location(file=MANIFEST_NAME),
                hint=msg("put the manifest itself in the package, as an ordinary file"),
            )
        )
        return
    if not regular:
        package.findings.append(
            Finding(
                "LG001",
                msg("the package has no {file}", file=MANIFEST_NAME),
                location=Location(file=MANIFEST_NAME),
                hint=msg(
                    "add {file} at the package root (see `listguard schema listing`)",
                    file=MANIFEST_NAME,
                ),
            )
        )
        return
    try:
        with manifest_path.open("rb") as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        package.findings.append(
            Finding(
                "LG001",
                msg(
                    "{file} cannot be read: {error}",
                    file=MANIFEST_NAME,
                    error=exc.strerror or type(exc).__name__,
                ),
                location=Location(file=MANIFEST_NAME),
            )
        )
        return
    if len(raw) > MAX_MANIFEST_BYTES:
        package.findings.append(
            Finding(
                "LG001",
                msg(
                    "{file} is larger than {mib} MiB",
                    file=MANIFEST_NAME,
                    mib=MAX_MANIFEST_BYTES // (1024 * 1024),
                ),
                location=Location(file=MANIFEST_NAME),
            )
        )
        return
    try:
        text = raw.decode("utf-8-sig")
        manifest = json.loads(text)
    except UnicodeDecodeError as exc:
        package.findings.append(
            Finding(
                "LG001",
                msg("{file} is not UTF-8 text (byte {byte})", file=MANIFEST_NAME, byte=exc.start),
                location=Location(file=MANIFEST_NAME),
                hint=msg("save the manifest as UTF-8"),
            )
        )
    except json.JSONDecodeError as exc:
        package.findings.append(
            Finding(
                "LG001",
                msg(
                    "{file} is not valid JSON: {error} at line {line}, column {column}",
                    file=MANIFEST_NAME,
                    error=exc.msg,
                    line=exc.lineno,
                    column=exc.colno,
                ),
                location=Location(file=MANIFEST_NAME, line=exc.lineno, column=exc.colno),
                hint=msg("fix the JSON syntax (a trailing comma or a missing quote is common)"),
            )
        )
    except (ValueError, RecursionError) as exc:
        # An integer beyond Python's digit limit, or nesting too deep to parse.
        too_deep = isinstance(exc, RecursionError)
        package.findings.append(
            Finding(
                "LG001",
                msg("{file} is nested too deeply to be read", file=MANIFEST_NAME)
                if too_deep
                else msg(
                    "{file} holds a number with more than {limit} digits",
                    file=MANIFEST_NAME,
                    limit=sys.get_int_max_str_digits(),
                )
                if "digits" in str(exc)
                else msg("{file} cannot be read: {error}", file=MANIFEST_NAME, error=str(exc)),
                location=Location(file=MANIFEST_NAME),
                hint=msg("keep the manifest to ordinary values: short numbers, shallow nesting"),
            )
        )
    else:
        if isinstance(manifest, dict):
            package.manifest = manifest
        else:
            package.findings.append(
                Finding(
                    "LG002",
                    msg(
                        "the manifest must be a JSON object, not {type}",
                        type=_json_type(manifest),
                    ),
                    location=Location(file=MANIFEST_NAME),
                    hint=msg("see `listguard schema listing` for the manifest format"),
                    evidence={"validator": "type"},
                )
            )


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return msg("a boolean")
    if isinstance(value, int | float):
        return msg("a number")
    if isinstance(value, str):
        return msg("a string")
    return msg("an array")
