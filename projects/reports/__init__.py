"""Reports rendered for print: the forms as a PDF beside the workbook."""

from projects.reports.pdf import PDF_CONTENT_TYPE, PdfUnavailable, render_forms_pdf

__all__ = ["PDF_CONTENT_TYPE", "PdfUnavailable", "render_forms_pdf"]
