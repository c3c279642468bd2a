"""listguard.pdf: one way to open a PDF and tell "needs a password" from "not a PDF"."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from listguard.pdf import PdfEncrypted, PdfError, PdfUnreadable, open_pdf
from listguard.testing import make_pdf


def _encrypted(path: Path) -> Path:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.cell(0, 5, "Declaration of conformity")
    path.write_bytes(bytes(pdf.output()))
    return path


def test_open_pdf_returns_a_document_the_caller_closes(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(make_pdf(["one", "two"]))
    document = open_pdf(path)
    try:
        assert len(document) == 2
    finally:
        document.close()


def test_pdf_needing_a_password_raises_pdf_encrypted(tmp_path):
    with pytest.raises(PdfEncrypted):
        open_pdf(_encrypted(tmp_path / "locked.pdf"))


def test_pdf_opens_with_its_password(tmp_path):
    document = open_pdf(_encrypted(tmp_path / "locked.pdf"), password="secret")
    try:
        assert len(document) == 1
    finally:
        document.close()


def test_truncated_pdf_raises_pdf_unreadable(tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(make_pdf(["text"])[:60])
    with pytest.raises(PdfUnreadable):
        open_pdf(path)


def test_missing_file_raises_pdf_unreadable(tmp_path):
    with pytest.raises(PdfUnreadable):
        open_pdf(tmp_path / "absent.pdf")


def test_both_errors_share_the_pdf_error_base():
    assert issubclass(PdfEncrypted, PdfError) and issubclass(PdfUnreadable, PdfError)
    assert not issubclass(PdfEncrypted, PdfUnreadable)
