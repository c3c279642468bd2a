"""The listguard plugin API: every hook a plugin can implement.

A plugin is a module (or any object) with functions named after these hooks and
decorated with ``@hookimpl``::

    from listguard import Finding, Location, Rule, Severity, hookimpl

    @hookimpl
    def listguard_register_rules():
        return [Rule("BAT001", "battery-summary-missing", Severity.ERROR,
                     "A product with a lithium battery has no UN 38.3 test summary")]

    @hookimpl
    def listguard_check_listing(ctx):
        if "x-battery" in ctx.manifest and not ctx.certificates_of_type("UN38_3"):
            yield Finding("BAT001", "no UN 38.3 test summary",
                          location=Location(pointer="/x-battery"))

Rules of the game:

* The host calls every plugin's implementation **on its own**: an exception in
  one becomes an ``LG900`` finding naming the plugin, and every other check still
  runs. A plugin that runs past its time budget (per package, default 60 s) is
  stopped and reported as ``LG901``.
* Check hooks return (or yield) :class:`~listguard.Finding` objects, or ``None``.
  A plugin may only report the rule codes it registered, plus ``LG006`` for a
  file it cannot decode. The host fills in severity, plugin name and docs link.
* Plugins never print, never exit, and never touch the network unless
  ``ctx.online`` is true.
* A check hook may accept any subset of its documented arguments.

Hooks are grouped by phase. Within one package the host runs each plugin's
checks in this order: manifest, each image, each document, the whole listing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .context import CheckContext, DocumentRef, ImageRef
    from .model import Finding, Rule
    from .reporters.base import OutputFormat

PROJECT_NAME = "listguard"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

#: The plugin API version this host implements. A plugin may declare the
#: version it was written for as a module attribute ``LISTGUARD_API = 1``; the
#: host refuses to load a plugin written for an API it does not implement.
PLUGIN_API_VERSION = 1
SUPPORTED_PLUGIN_API_VERSIONS = frozenset({1})


# ---------------------------------------------------------------------------
# Registration: called once, when the plugins are loaded
# ---------------------------------------------------------------------------


@hookspec
def listguard_register_rules() -> list[Rule]:  # type: ignore[empty-body]
    """Declare the rules this plugin reports.

    :return: a list of :class:`~listguard.Rule`. Every code must match
        ``^[A-Z]{2,5}[0-9]{3}$``, all of one plugin's codes share one prefix
        (the capitals before the digits; the plugin *owns* that prefix), and no
        two plugins may claim the same prefix or code: loading fails with a
        clear error if they do. Codes are stable and never reused.

    Each rule carries its docs page (``what``, ``why``, ``example``, ``fix``),
    printed by ``listguard rules CODE``.
    """


@hookspec
def listguard_manifest_sections() -> dict[str, dict[str, Any]]:  # type: ignore[empty-body]
    """Extend the manifest schema with the plugin's own top-level sections.

    :return: ``{"x-battery": {<JSON Schema, Draft 2020-12>}, ...}``. Keys must
        start with ``x-``. The host validates each section present in a manifest
        against its schema and reports violations as ``LG002``, with the JSON
        pointer, exactly as for the core schema.
    """


@hookspec
def listguard_plugin_options() -> dict[str, Any]:  # type: ignore[empty-body]
    """Declare the plugin's configuration options and their defaults.

    :return: ``{"option-name": default, ...}``. Users set them under
        ``[tool.listguard.plugins.<plugin-name>]`` (or ``[plugins.<name>]`` in
        ``listguard.toml``); an unknown key, or a value of another type than the
        default's, is a configuration error (exit 2). At check time the merged
        values are in ``ctx.options``.
    """


@hookspec
def listguard_output_formats() -> list[OutputFormat]:  # type: ignore[empty-body]
    """Provide report formats (``--format NAME``).

    :return: a list of :class:`~listguard.reporters.base.OutputFormat`: a name,
        a one-line description, ``for_humans`` (coloured on a TTY, never mixed
        with machine output), and a factory that builds a streaming
        :class:`~listguard.reporters.base.ReportWriter` (subclass
        :class:`~listguard.reporters.base.CollectingWriter` and implement
        ``render`` for a format written all at once).
    """


# ---------------------------------------------------------------------------
# Checks: called per package, each plugin on its own, in a worker process
# ---------------------------------------------------------------------------


@hookspec
def listguard_check_manifest(ctx: CheckContext) -> Iterable[Finding] | None:
    """Check the manifest (``ctx.manifest``, already valid against the schema).

    Called once per package whose manifest could be read. Use it for rules that
    need only the manifest's values (prices, dates, identifiers). Date rules
    use ``ctx.as_of``, never today's date, so that reports are reproducible.

    :param ctx: the package, manifest, brand kit, options and check date.
    :return: findings, or ``None``.
    """


@hookspec
def listguard_check_image(ctx: CheckContext, image: ImageRef) -> Iterable[Finding] | None:
    """Check one image listed in the manifest's ``images``.

    Called for each image whose file exists inside the package and whose content
    is an image (JPEG, PNG or WebP); missing files and files of the wrong type
    were already reported by the host (``LG003`` / ``LG006``).

    :param ctx: the check context.
    :param image: the image: ``file`` (package-relative), ``role`` (``main``,
        ``gallery`` or ``detail``), ``path`` (absolute, safe to open),
        ``pointer`` (JSON pointer of its manifest entry) and ``kind``.
    :return: findings, or ``None``.
    """


@hookspec
def listguard_check_document(ctx: CheckContext, document: DocumentRef) -> Iterable[Finding] | None:
    """Check one document: a manual (``manuals[i]``) or a certificate
    (``certificates[i]``) whose file is a PDF inside the package.

    :param ctx: the check context.
    :param document: ``kind`` (``"manual"`` or ``"certificate"``), ``file``,
        ``path``, ``pointer`` and ``entry`` (the manifest entry as a dict; for a
        certificate its ``type`` tells whose it is: ignore types you don't own;
        ``document.type`` is ``None`` for a manual).
    :return: findings, or ``None``. A PDF that does not open is ``LG006`` from
        your plugin; one without a text layer is your own cannot-verify rule,
        never a silent pass.
    """


@hookspec
def listguard_check_listing(ctx: CheckContext) -> Iterable[Finding] | None:
    """Check the listing as a whole, after this plugin's manifest, image and
    document checks for the package.

    Use it for rules about what is *missing* (no manual, a required certificate
    absent) or that compare several files.

    :param ctx: the check context; ``ctx.images`` and ``ctx.documents`` list
        every image and document that reached the per-file hooks.
    :return: findings, or ``None``.
    """
