"""The rows above a trial balance's header: who the file is for, and each row accounted for.

Tally prints the company's name first, then sometimes its address, "Trial Balance" and
the period; other software prints some of these in another order, or none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from projects.cma.extract.numbers import unit_multiplier
from projects.cma.years import fiscal_years_in

# The report's own title, which some exports put on the company's line: "X - Trial Balance".
_REPORT_TITLE = re.compile(
    r"\b(?:trial\s+balance|balance\s+sheet|profit\s*(?:&|and)\s*loss|ledger\s+balances?|"
    r"group\s+summary|closing\s+stock|stock\s+(?:summary|statement|valuation)|"
    r"inventory\s+valuation)\b",
    re.IGNORECASE,
)
# A period or date line: "1-Apr-2023 to 31-Mar-2024", "As at 31.03.2024", "Period: ...".
_DATE_LINE = re.compile(
    r"\d{1,2}[-./ ](?:\d{1,2}|[a-z]{3,9})[-./ ,]*\d{2,4}|^\s*(?:as\s+(?:at|on)|for\s+the|"
    r"period|from|page|printed|date)\b",
    re.IGNORECASE,
)
_SEPARATORS = " \t-\u2013\u2014:,|()"
# A letter's lines: a stock statement to the bank begins with whom it is written to.
_LETTER_LINE = re.compile(
    r"^\s*(?:to\b|the\s+(?:branch\s+)?manager\b|branch\s+manager\b|dear\b|sub(?:ject)?\s*:|"
    r"ref(?:erence)?\s*:)",
    re.IGNORECASE,
)


def company_from_title(lines: Sequence[str]) -> str:
    """The company a trial balance's title rows name, as printed; "" when none can be told."""
    for line in lines:
        text = line.strip()
        if not text or _LETTER_LINE.search(text):
            continue
        title = _REPORT_TITLE.search(text)
        if title is not None:
            # "Mehta Traders - Trial Balance (closing stock marked)": the name precedes it.
            text = text[: title.start()].strip(_SEPARATORS)
            if not text:
                continue
        if _DATE_LINE.search(text) or fiscal_years_in(text) or unit_multiplier(text):
            continue
        if not any(char.isalpha() for char in text):
            continue
        return text
    return ""
