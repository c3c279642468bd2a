"""listguard: a compliance validator for marketplace listing packages.

A plugin author needs one import::

    from listguard import Finding, Location, Rule, Severity, hookimpl

The hooks are documented in :mod:`listguard.hookspecs` (and docs/plugin-hooks.md).
"""

from ._version import __version__
from .hookspecs import PLUGIN_API_VERSION, hookimpl
from .model import Finding, ListingResult, Location, Report, Rule, Severity, Status

__all__ = [
    "PLUGIN_API_VERSION",
    "Finding",
    "ListingResult",
    "Location",
    "Report",
    "Rule",
    "Severity",
    "Status",
    "__version__",
    "hookimpl",
]
