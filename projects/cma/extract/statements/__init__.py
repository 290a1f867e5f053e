"""Schedule III balance sheets and statements of profit and loss from a PDF's text layer.

Lines are rebuilt from word positions, not from the page's plain text: amounts belong to
the year whose column header they sit under, and a long label can run into the "Note"
column (plain text then reads "work-in-progre2ss1"). Words are taken in the PDF's own
drawing order, so a label and a note number printed over each other stay apart.

The package, in dependency order: `lines` (words into lines, header lines and their year
columns, a line's label and amounts); `rows` (a line as read, before it is known to be an
item or a total); `page` (reading a page's lines into rows, with the state carried from
page to page); `checksums` (every printed total checked against the rows above it, the
rest become items); `notes` (a borrowings note's lines in place of the face line they add
up to); `totals` (the balance sheet's totals, the user's year); `company` (the name above
the title); `pdf` (the entry point: opening the PDF and reading it page by page).
"""

from projects.cma.extract.statements.pdf import extract_pdf

__all__ = ["extract_pdf"]
