"""Statement totals and lines derived from others: not line items, so they get no head."""

from __future__ import annotations

from projects.cma.classify.normalize import padded_phrase
from projects.cma.classify.rules_pl import ST

_TOTAL_PREFIXES = ("total ", "sub total ", "subtotal ", "grand total ", "net total ")
# Schedule III words two of trade payables' own lines "Total outstanding dues of ...":
# each is a balance, not the note's total.
_NOT_TOTALS = ("total outstanding due ",)
_STATEMENT_DERIVED = tuple(
    padded_phrase(p)
    for p in (
        "profit before tax", "profit after tax", "profit for the year", "profit for the period",
        "loss for the year", "loss for the period", "profit loss for the", "earnings per share",
        "basic", "diluted", "total comprehensive income", "profit before exceptional",
        "profit from continuing", "profit before interest",
    )
)  # fmt: skip


def is_total(words: str, basis: str) -> bool:
    """Whether a line (its padded words) is a total or a figure a statement derives."""
    padded = words.strip() + " "
    if padded == "total " or (
        padded.startswith(_TOTAL_PREFIXES) and not padded.startswith(_NOT_TOTALS)
    ):
        return True
    return basis == ST and any(words.startswith(p) for p in _STATEMENT_DERIVED)
