"""Trial balances from spreadsheets (through calamine) and CSV files, into line items.

A table is found by its header row, anywhere in a sheet's first rows, below whatever titles
the accounting software printed (company, "Trial Balance", the period: read for the year).
Each amount column is understood from its header: debit, credit, a balance with Dr/Cr
marks (with or without a separate Dr/Cr column), and which year it is for when a file
holds several. Rows are read once, in order, with nothing compiled per row, so a 20,000
ledger export takes a fraction of a second.

The package, in dependency order: `layout` (the sheet and the table found in it, by its
header row); `titles` (the company named above the table); `years` (which fiscal year each amount
column is for); `cells` (a row's figures); `hierarchy` (groups and their ledgers, by
indentation, a column of their own or arithmetic); `checks` (the checksums and their
messages); `stock` (the rows below a table's closing total: closing stock given apart, or
a memo left out); `rows` (reading the rows into line items and SkippedRows); `indent` (an
.xlsx cell's indent format); `files` (the entry points: opening a workbook or a CSV
file); `printed` (a trial balance printed to PDF, its words laid out as a sheet's rows).
"""

from projects.cma.extract.trial_balance.files import extract_csv, extract_workbook

__all__ = ["extract_csv", "extract_workbook"]
