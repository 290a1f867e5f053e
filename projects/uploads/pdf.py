"""PDFs: opened with pdfplumber to count their pages and read the first page's text (for
its fiscal year); password-protected, encrypted, damaged and empty PDFs are refused with
a sentence that says which."""

from __future__ import annotations

import io

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from projects.uploads.rejections import UploadRejected, corrupt

# PDF


def inspect_pdf(label: str, data: bytes) -> str:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
            text = _first_page_text(pdf) if pages else ""
    except PdfminerException as exc:
        # pdfplumber wraps pdfminer's error as the first argument instead of chaining it.
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, PDFPasswordIncorrect):
            raise UploadRejected(
                "corrupt",
                f"{label} is password-protected. Save or print a copy without the password "
                "and upload that.",
            ) from exc
        if isinstance(cause, PDFEncryptionError):
            raise UploadRejected(
                "corrupt",
                f"{label} is encrypted in a way that cannot be opened. Save or print a copy "
                "without protection and upload that.",
            ) from exc
        raise corrupt(label, "a PDF") from exc
    except Exception as exc:
        raise corrupt(label, "a PDF") from exc
    if pages == 0:
        raise UploadRejected("corrupt", f"{label} is a PDF without any pages.")
    return text


def _first_page_text(pdf: pdfplumber.PDF) -> str:
    # A page whose text cannot be pulled out is still a page: reading it is the extractor's job.
    try:
        return pdf.pages[0].extract_text() or ""
    except Exception:
        return ""
