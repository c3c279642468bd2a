"""The manuals plugin: are the manuals in the languages of every target market?

Reads each manual's text (pypdfium2), identifies its languages section by
section (lingua, restricted to a candidate set), and reports MAN001–MAN005.
:func:`analyse_manual` is the same analysis for callers outside a check run.
"""

from __future__ import annotations

from .analysis import LanguageCoverage, ManualAnalysis, analyse_manual
from .hooks import listguard_check_listing, listguard_plugin_options, listguard_register_rules

PLUGIN_NAME = "manuals"
LISTGUARD_API = 1

__all__ = [
    "PLUGIN_NAME",
    "LanguageCoverage",
    "ManualAnalysis",
    "analyse_manual",
    "listguard_check_listing",
    "listguard_plugin_options",
    "listguard_register_rules",
]
