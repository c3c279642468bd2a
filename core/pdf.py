"""Opening a PDF with pypdfium2, with one answer for "needs a password" and
one for "not a PDF at all", shared by every plugin that reads PDFs.

::

    from listguard.pdf import PdfEncrypted, PdfUnreadable, open_pdf

    try:
        document = open_pdf(path)
    except PdfEncrypted:
        ...  # report that the PDF needs a password
    except PdfUnreadable:
        ...  # report LG006: the file cannot be decoded as a PDF
    try:
        for index in range(len(document)):
            page = document[index]
            ...
            page.close()  # close pages as you go: a 6000-page PDF stays small
    finally:
        document.close()
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

__all__ = ["PdfEncrypted", "PdfError", "PdfUnreadable", "open_pdf"]


class PdfError(Exception):
    """A PDF could not be opened; see the two subclasses."""


class PdfUnreadable(PdfError):
    """The file cannot be opened as a PDF (corrupt, truncated, not a PDF, not a file)."""


class PdfEncrypted(PdfError):
    """The PDF is encrypted with a password we were not given (or a wrong one)."""


def open_pdf(path: str | Path, password: str | None = None) -> pdfium.PdfDocument:
    """Open the PDF at ``path``; the caller closes the returned document.

    :raises PdfEncrypted: the document needs a password (PDFium's
        ``FPDF_ERR_PASSWORD``).
    :raises PdfUnreadable: anything else that stops PDFium opening it,
        including a missing or unreadable file.
    """
    try:
        return pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_raw.FPDF_ERR_PASSWORD:
            raise PdfEncrypted(str(exc)) from exc
        raise PdfUnreadable(str(exc)) from exc
    except (OSError, ValueError) as exc:
        raise PdfUnreadable(f"{type(exc).__name__}: {exc}") from exc
