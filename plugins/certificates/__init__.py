"""The certificates plugin: CE, FCC, EN 71 and IEC 62471 documents (CERT001–CERT009).

It checks the manifest's certificate declarations against the listing's
category and markets, and reads each certificate PDF to compare what it really
says (number, dates, standards, models, kind) with the manifest. The field
extractor is public: :func:`extract_certificate` returns a
:class:`CertificateFields` whose ``to_dict()`` is the JSON view.
"""

from .extract import CertificateFields, Field, UnreadablePdf, extract_certificate, fields_from_text
from .hooks import (
    listguard_check_document,
    listguard_check_listing,
    listguard_plugin_options,
    listguard_register_rules,
)

PLUGIN_NAME = "certificates"

__all__ = [
    "PLUGIN_NAME",
    "CertificateFields",
    "Field",
    "UnreadablePdf",
    "extract_certificate",
    "fields_from_text",
    "listguard_check_document",
    "listguard_check_listing",
    "listguard_plugin_options",
    "listguard_register_rules",
]
