"""The host's own rules (prefix ``LG``): package, manifest and plugin problems.

The host reports these itself while loading a package or running plugins; they
are registered through the same hook as every plugin's rules so that
``listguard rules`` and the report's rule tables treat them alike.
"""

from __future__ import annotations

from .hookspecs import hookimpl
from .model import Rule, Severity

PLUGIN_NAME = "core"

_E = Severity.ERROR

RULES = [
    Rule(
        "LG001",
        "manifest-unreadable",
        _E,
        "The manifest `listing.json` is missing or is not valid JSON",
        what="That the package has a `listing.json` at its root (or in the zip's single "
        "top-level folder) and that it parses as UTF-8 JSON. The finding gives the line and "
        "column of a syntax error.",
        why="Every other check reads the manifest: without it nothing about the listing can "
        "be verified, and the marketplace's upload pipeline rejects the package outright.",
        example='`{"sku": "MB8-BLK-EU",}` — a trailing comma: *not valid JSON: Illegal '
        "trailing comma before end of object at line 1, column 22*.",
        fix="Add `listing.json` at the package root and make it valid JSON "
        "(`python -m json.tool listing.json` shows the first error). "
        "`listguard schema listing` prints the format.",
    ),
    Rule(
        "LG002",
        "manifest-schema",
        _E,
        "The manifest violates the listing schema (one finding per violation)",
        what="The manifest against `schemas/listing.schema.json` (JSON Schema Draft 2020-12, "
        "with date formats checked), plus the `x-` sections that plugins add. Each violation "
        "is its own finding with the JSON pointer of the offending value.",
        why="SPEC §1 defines the package format; plugin checks run only on a valid manifest, "
        "since their inputs are undefined otherwise.",
        example='`"markets": []` → `/markets: [] should be non-empty`.',
        fix="Correct each value at the pointer given; `listguard schema listing` prints the "
        "schema.",
    ),
    Rule(
        "LG003",
        "file-missing",
        _E,
        "A file named in the manifest is not in the package",
        what="Every `file` in `images`, `manuals` and `certificates`, and `detail_page`, "
        "exists in the package. The finding points at the manifest field.",
        why="A listing whose images or certificates are missing is rejected on upload; a "
        "missing file also means its checks could not run.",
        example='`"file": "images/main-1.jpg"` when the package has `images/Main-1.jpg` '
        "(paths are case-sensitive).",
        fix="Add the file, or correct the path in the manifest.",
    ),
    Rule(
        "LG004",
        "path-escape",
        _E,
        "A path leaves the package: absolute, `..`, a symlink out, or a zip-slip member",
        what="That every path stays inside the package: manifest paths that are absolute or "
        "contain `..`, symbolic links that resolve outside the package, and zip members whose "
        "names would extract outside it (zip slip) or that are symlinks. Such paths are never "
        "followed.",
        why="A package is untrusted input. Following such a path would read (or, for a zip, "
        "write) files outside the package: the classic zip-slip and symlink attacks.",
        example='`"file": "../../etc/passwd"`, or a zip member named `../../.bashrc`.',
        fix="Use paths relative to the package root, without `..`, and store files "
        "themselves rather than links.",
    ),
    Rule(
        "LG005",
        "archive-refused",
        _E,
        "The archive is refused: too large, too many members, a ratio bomb, encrypted, "
        "or nested archives",
        what="A zipped package against the archive limits (total uncompressed size, member "
        "count, compression ratio; see `[tool.listguard.archive]`), enforced while "
        "decompressing, not trusted from the headers. Encrypted members and archives inside "
        "the archive are refused too.",
        why="A decompression bomb (a few KB that expand to gigabytes) or a huge archive would "
        "exhaust the disk or memory of the machine that checks it, a CI runner or the "
        "marketplace's pipeline.",
        example="A 40 KB zip whose single member expands to 4 GB of zeros.",
        fix="Package only the listing's ordinary files, unencrypted, without inner archives. "
        "If a real package is larger than the limits, raise them in the configuration.",
    ),
    Rule(
        "LG006",
        "file-undecodable",
        _E,
        "A file is not what its extension says, or cannot be decoded",
        what="Each file's content (its first bytes), not its name: a `.pdf` must be a PDF, an "
        "image a JPEG, PNG or WebP, a `.zip` a zip. Plugins also report this rule for a file "
        "whose content is corrupt (a truncated JPEG, a PDF that does not parse).",
        why="Marketplaces sniff uploads the same way and reject mismatches; a renamed file "
        "also hides the real document from every check.",
        example="`certificates/ce.pdf` whose content is a PNG screenshot of the certificate.",
        fix="Upload the real file, in the format its name says (export the certificate as a "
        "PDF rather than renaming a picture).",
    ),
    Rule(
        "LG900",
        "plugin-crashed",
        _E,
        "A plugin raised an exception; the other plugins still ran",
        what="The host calls every plugin on its own. When one raises, its exception type and "
        "message become this finding, naming the plugin and its version.",
        why="A crash means that plugin's rules were not checked for this package: the listing "
        "cannot be called compliant. It is reported so that nothing passes silently.",
        example="`plugin 'acme-batteries' 1.2.0 raised KeyError: 'wh'` in "
        "`listguard_check_listing`.",
        fix="Report it to the plugin's author with the package that triggers it; meanwhile "
        "disable the plugin (`-p no:NAME`) if its rules do not apply.",
    ),
    Rule(
        "LG901",
        "plugin-timeout",
        _E,
        "A plugin exceeded its time budget for one package and was stopped",
        what="Each plugin has a time budget per package (default 60 s, `time-budget` in the "
        "configuration). Checks run in worker processes that the host stops when a plugin "
        "runs past it.",
        why="A pathological file (a PDF that loops the parser) must not hang a CI job or a "
        "marketplace pipeline; the listing cannot be called compliant either.",
        example="`plugin 'certificates' exceeded its 60 s budget on this package`.",
        fix="Look for an unusual file in the package (very many pages, a huge image); if the "
        "package is legitimately large, raise `time-budget`.",
    ),
]


@hookimpl
def listguard_register_rules() -> list[Rule]:
    return RULES
