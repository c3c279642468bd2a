"""Find listing packages and load one: a folder or a zip, confined to its root.

``discover_packages`` turns command-line paths into package sources;
``open_package`` makes a :class:`Package` whose ``resolve`` is the only way
checks turn a manifest path into a file, so nothing outside the package is
ever read. Zips are extracted into a private temporary directory that is
removed when the package is closed.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .archive import ArchiveLimits, ArchiveRefused, extract_zip
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
        if "\x00" in relative:
            raise UnsafePathError(msg("contains a NUL character"))
        normalised = relative.replace("\\", "/")
        if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
            raise UnsafePathError(msg("is an absolute path"))
        if ".." in PurePosixPath(normalised).parts:
            raise UnsafePathError(msg("contains a '..' segment"))
        real = (self.root / normalised).resolve()
        if not real.is_relative_to(self.root):
            raise UnsafePathError(msg("is a symbolic link that leads outside the package"))
        return real

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
    if not package.refused:
        _read_manifest(package)
    return package


def _open_zip(source: str, path: Path, limits: ArchiveLimits) -> Package:
    tempdir = Path(tempfile.mkdtemp(prefix="listguard-"))
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
        # The zip may hold one folder that is the package.
        tops = [child for child in target.iterdir()]
        if len(tops) == 1 and tops[0].is_dir() and (tops[0] / MANIFEST_NAME).is_file():
            package.root = tops[0].resolve()
    return package


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
    if not manifest_path.is_file():
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
    raw = manifest_path.read_bytes()[: MAX_MANIFEST_BYTES + 1]
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
        package.manifest = json.loads(text)
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
