"""The project's figures as reports: computed and checked (compute), and rendered for print,
the forms as a PDF beside the workbook (pdf)."""

from projects.reports.pdf import (
    PDF_CONTENT_TYPE,
    PdfUnavailable,
    PendingPdf,
    forms_pdf_start,
    render_forms_pdf,
)

__all__ = [
    "PDF_CONTENT_TYPE",
    "PdfUnavailable",
    "PendingPdf",
    "forms_pdf_start",
    "render_forms_pdf",
]
