"""Tally XML exports (Tally.ERP 9, TallyPrime), read into line items.

A Trial Balance report exported as XML gives each ledger's closing balance, and in
detailed mode the groups above it; a masters export gives every ledger's group chain
(`Extraction.ledger_groups`), which the extract step lends to the project's other files.

The package, in dependency order: `groups` (Tally's predefined groups); `document` (bytes
to a safe element tree); `report` (the Trial Balance rows and the group tree read from
them); `masters` (groups and ledgers); `extract` (the entry point, years and checks).
"""

from projects.cma.extract.tally.document import decode_xml, hostile_markup, looks_like_tally
from projects.cma.extract.tally.extract import extract_tally_xml, file_period_text

__all__ = [
    "decode_xml",
    "extract_tally_xml",
    "file_period_text",
    "hostile_markup",
    "looks_like_tally",
]
