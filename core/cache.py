"""A result cache: skip packages whose inputs have not changed since the last run.

A package's result is stored under a key made of everything that can change it:

* the content of every file in the package (a zip: its bytes; a folder: each
  file's relative path and bytes, symlinks by their target text, never followed),
* each loaded plugin's name and version (for the built-in plugins, also a digest
  of listguard's own source files, so an edited checkout never reads stale results),
* the run's configuration, the brand kit's files, the check date and ``--online``.

The check date is part of every key because most rules depend on it (expiry,
firmware age, filing age): a nightly re-check with a new ``--as-of`` is a cold run
by design. Entries are JSON files written atomically (a temporary file, then
``os.replace``), so concurrent runs never see half an entry; an entry that cannot
be read is ignored and overwritten. Results with ``LG900`` / ``LG901`` findings
are not stored: a crash or a time-out may not happen again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ._version import __version__
from .model import ListingResult

#: Bump when the stored layout changes; old entries then simply stop matching.
CACHE_FORMAT = "2"  # 2: findings carry their message templates (l10n)
_TRANSIENT_RULES = frozenset({"LG900", "LG901"})
_CHUNK = 1 << 20


def default_cache_dir() -> Path:
    """``$LISTGUARD_CACHE_DIR``, else the user's cache directory (platformdirs)."""
    override = os.environ.get("LISTGUARD_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("listguard", appauthor=False))


def _hash_file(digest: Any, path: Path) -> None:
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)


def package_digest(source: str) -> str | None:
    """A digest of the package's content, or ``None`` when it cannot be read."""
    digest = hashlib.sha256()
    path = Path(source)
    try:
        if path.is_file():
            digest.update(b"zip\0")
            _hash_file(digest, path)
            return digest.hexdigest()
        for root, dirs, files in os.walk(path, followlinks=False):
            dirs.sort()
            for name in sorted(files + [d for d in dirs if Path(root, d).is_symlink()]):
                item = Path(root, name)
                relative = item.relative_to(path).as_posix()
                digest.update(relative.encode("utf-8", "surrogateescape") + b"\0")
                if item.is_symlink():
                    digest.update(b"link\0" + os.readlink(item).encode("utf-8", "surrogateescape"))
                elif item.is_file():
                    _hash_file(digest, item)
                digest.update(b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def source_digest() -> str:
    """A digest of listguard's own installed source files (paths, sizes, mtimes)."""
    root = Path(__file__).resolve().parent
    roots = [root]
    try:
        import listguard.plugins as builtin_plugins

        roots += [Path(p).resolve() for p in builtin_plugins.__path__]
    except ImportError:  # pragma: no cover - the plugins ship with the host
        pass
    digest = hashlib.sha256(__version__.encode())
    for base in roots:
        for path in sorted(base.rglob("*.py")):
            stat = path.stat()
            digest.update(f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def files_digest(paths: Iterable[Path]) -> str:
    """A digest of some files' bytes (the brand kit's, say); missing files count too."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path).encode() + b"\0")
        try:
            _hash_file(digest, path)
        except OSError:
            digest.update(b"<unreadable>")
    return digest.hexdigest()


class ResultCache:
    """Stores and finds :class:`ListingResult` objects by run and package digest.

    :param folder: where entries live (``default_cache_dir()`` by default).
    :param run_key: a digest of everything about the run that is not the package
        (plugins and versions, configuration, brand kit, check date, online).
    """

    def __init__(self, folder: Path, run_key: str) -> None:
        self.folder = folder / f"v{CACHE_FORMAT}"
        self.run_key = run_key
        self.hits = 0
        self.misses = 0

    def key(self, source: str) -> str | None:
        """The entry key of a package, or ``None`` when it cannot be computed."""
        content = package_digest(source)
        if content is None:
            return None
        return hashlib.sha256(f"{self.run_key}:{content}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str | None, source: str) -> ListingResult | None:
        """The stored result for ``key`` (its ``package`` set to ``source``), or ``None``."""
        if key is None:
            return None
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            result = ListingResult.from_dict(data)
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None  # absent or corrupt: check the package again
        result.package = source
        from .checks import assign_fingerprints

        assign_fingerprints(result)  # the fingerprint includes the path given this time
        self.hits += 1
        return result

    def put(self, key: str | None, result: ListingResult) -> None:
        """Store ``result`` atomically (silently skipped when the cache is unwritable)."""
        if key is None or any(f.rule in _TRANSIENT_RULES for f in result.findings):
            return
        path = self._path(key)
        temporary: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False
            ) as handle:
                temporary = handle.name
                json.dump(result.to_dict(internal=True), handle, ensure_ascii=False)
            os.replace(temporary, path)
        except OSError:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)


def run_key(parts: dict[str, Any]) -> str:
    """A digest of the run's settings; ``parts`` must be JSON-serialisable."""
    text = json.dumps({"format": CACHE_FORMAT, **parts}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def clear_cache(folder: Path | None = None) -> int:
    """Remove every cache entry; returns how many entries were removed."""
    folder = folder or default_cache_dir()
    if not folder.exists():
        return 0
    removed = sum(1 for _ in folder.rglob("*.json"))
    shutil.rmtree(folder, ignore_errors=True)
    return removed


def cache_for_run(host: Any, settings: Any, folder: Path | None = None) -> ResultCache:
    """The cache for a run of ``host`` (a loaded PluginHost) with ``settings`` (RunSettings)."""
    from dataclasses import replace

    kit = settings.brand_kit
    kit_files = []
    if kit is not None:
        kit_files.append(kit.root / "brandkit.json")
        if kit.watermark_template is not None:
            kit_files.append(kit.watermark_template)
    parts = {
        "tool": __version__,
        "source": source_digest(),
        "plugins": [[p.name, p.version, p.source] for p in host.plugin_infos()],
        "config": repr(replace(settings.config, source=None)),
        "brand_kit": files_digest(kit_files) if kit_files else None,
        "as_of": settings.as_of.isoformat(),
        "online": settings.online,
    }
    return ResultCache(folder or default_cache_dir(), run_key(parts))
