"""The video plugin: the detail page must embed the brand's binding tutorial (VID001–VID006).

Finds every video the detail page embeds (``<video>``, ``<source>``, player
iframes, lazy ``data-*`` attributes, ``og:video``, JSON-LD ``VideoObject``),
resolves and normalises the links, and checks the binding-tutorial candidates:
HTTPS, on a brand video host, an MP4, the brand kit's video for the model, and
— only with ``--online`` — that the link really answers with an MP4.

Options (``[tool.listguard.plugins.video]``):

* ``online-timeout`` (5.0 s per socket operation), ``max-bytes`` (65536, read
  cap per probe), ``max-redirects`` (3), ``allow-redirect-hosts`` (``[]``:
  hosts a redirect may lead to besides the same host);
* ``max-probes`` (5) and ``online-budget`` (30 s): how many links, and how
  long in all, the online check spends on one page (links beyond are reported);
* ``block-private-addresses`` (true): refuse loopback, private and link-local
  addresses; switch off only to test against a local server;
* ``max-page-bytes`` (5 MB): larger detail pages are reported, not parsed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from listguard import Finding, Rule, hookimpl
from listguard.context import CheckContext

from .checks import OPTION_DEFAULTS, DetailPageCheck
from .rules import RULES

PLUGIN_NAME = "video"
LISTGUARD_API = 1


@hookimpl
def listguard_register_rules() -> list[Rule]:
    """VID001–VID006."""
    return list(RULES)


@hookimpl
def listguard_plugin_options() -> dict[str, Any]:
    """Online probe limits, the address guard switch and the page size cap."""
    return {
        key: (list(value) if isinstance(value, list) else value)
        for key, value in OPTION_DEFAULTS.items()
    }


@hookimpl
def listguard_check_listing(ctx: CheckContext) -> Iterator[Finding]:
    """Check the detail page's videos."""
    yield from DetailPageCheck(ctx).run()
