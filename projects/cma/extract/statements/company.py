"""The company a statement names: the line above its title, as printed."""

from __future__ import annotations

import re

from projects.cma.extract.statements.rows import StatementRow

__all__ = ["company_name"]

_ENTITY = re.compile(
    r"\b(?:private\s+limited|pvt\.?\s*ltd\.?|limited|ltd\.?|llp|m/s\.?|company|co\.|"
    r"corporation|industries|enterprises|traders|& sons|partners)(?![a-z])",
    re.IGNORECASE,
)
# Lines above a title that are not a name: an address, an identity number, a period.
_NOT_A_NAME = re.compile(
    r"\b(?:cin|gstin|pan|regd|registered|office|address|road|floor|for\s+the\s+year|"
    r"as\s+at|ended|report|schedule|notes?)\b|\d{3,}|balance\s+sheet|profit",
    re.IGNORECASE,
)
_TITLE_REASONS = frozenset({"the statement's title", "a heading", "the column headings"})


def company_name(rows: list[StatementRow]) -> str:
    """The first line above the first statement title that reads as an entity's name.

    A line naming a form of entity ("... Private Limited", "... LLP", "M/s ...") is taken
    first; else a line in capitals. "" when there is none.
    """
    above: list[str] = []
    for row in rows:
        if row.reason in _TITLE_REASONS or row.figures:
            break
        text = " ".join(row.text.split()).strip(" ,:")
        if text and not _NOT_A_NAME.search(text):
            above.append(text)
    for text in above:
        if _ENTITY.search(text):
            return text
    for text in above:
        letters = [char for char in text if char.isalpha()]
        if len(text.split()) >= 2 and letters and all(char.isupper() for char in letters):
            return text
    return ""
