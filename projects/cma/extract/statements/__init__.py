"""Schedule III balance sheets and statements of profit and loss from a PDF's text layer.

Lines are rebuilt from word positions, not from the page's plain text: amounts belong to
the year whose column header they sit under, and a long label can run into the "Note"
column (plain text then reads "work-in-progre2ss1"). Words are taken in the PDF's own
drawing order, so a label and a note number printed over each other stay apart.

The package, in dependency order: `lines` (words into lines, header lines and their year
columns, a line's label and amounts); `page` (reading a page's lines into items, with the
state carried from page to page); `totals` (the balance sheet's totals, the user's year);
`pdf` (the entry point: opening the PDF and reading it page by page).
"""

from projects.cma.extract.statements.pdf import extract_pdf

__all__ = ["extract_pdf"]
