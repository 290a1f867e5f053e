"""Evidence beyond the label: the balance's side and its size relative to the book.

A head is a statement about a figure as well as a name. A credit balance on an expense or
a debit on an income is a reversal, a recovery or a mis-posted ledger; a "non-operating"
income that is a fifth of the book is more often the firm's main business (commission,
job work); a sales ledger a ten-thousandth of the book is a round-off or a scrap sale.
None of these says the head is wrong, only that the name alone is not enough: the
confidence is capped below the review line and the reason joins the evidence, so a CA
looks. Checked per item (the amount is not part of the cached label decision); the
book's size is the larger of its debit and credit totals per year (`book_totals`),
closing stock apart, passed by whoever holds the whole book (the classify step).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from projects.cma.classify.normalize import normalize_label, padded_words
from projects.cma.heads import HEADS_BY_ID
from projects.cma.records import ExtractedItem, Suggestion

# At most this sure when the side or the size argues against the head: below the review
# line, as a balance on its unusual side is (constants.WRONG_SIDE_FACTOR x 0.93).
DOUBT_CAP = 0.65

# P&L heads whose balance has one side: the other is a reversal or a mis-posting. Not the
# change in inventories (either way) nor anything on the balance sheet, where the rule
# and section tables already choose a head per side (an overdrawn bank, an advance).
_ONE_SIDED = frozenset(h.id for h in HEADS_BY_ID.values() if h.group == "operating") - {
    "changes_in_inventories"
}

# A ledger that names itself a return or a note against the trade ("Sales Returns",
# "Debit Note - Purchase Return") carries the other side by its nature: that side is its
# meaning, not a reason to doubt it.
_REVERSAL_WORDS = (" return ", " returned ", " credit note ", " debit note ")


def _names_reversal(label: str) -> bool:
    words = padded_words(normalize_label(label))
    return any(p in words for p in _REVERSAL_WORDS)


# Heads that are seldom a large share of a book: above this share of the book's size a
# CA looks (and what the ledger more likely is, offered first). A trading firm's book is
# mostly its purchases, sales, stock, debtors and creditors; these sit around a few per
# cent of it.
USUALLY_SMALL: dict[str, tuple[float, tuple[str, ...]]] = {
    # Commission, rent or job-work income this large is the business itself.
    "non_operating_income": (0.10, ("other_operating_income", "sales_domestic")),
    "non_operating_expenses": (0.10, ("sga_expenses", "other_mfg_expenses")),
    # A tax or duty balance this large is more often the turnover or a loan misread.
    "statutory_liabilities": (0.10, ("other_current_liabilities", "sundry_creditors")),
    "advance_tax": (0.10, ("other_current_assets",)),
    "provision_for_tax": (0.15, ("other_current_liabilities",)),
    "tax_provision": (0.15, ("sga_expenses",)),
    # A year's charge this large is more often the block or the loan behind it.
    "depreciation": (0.20, ("accumulated_depreciation", "gross_block")),
    "interest": (0.20, ("term_loans", "bank_borrowings_wc")),
}
# Heads that are seldom a sliver of a book: below this share a ledger named like them is
# more often a round-off, a scrap sale or a misread figure.
USUALLY_LARGE: dict[str, tuple[float, tuple[str, ...]]] = {
    "sales_domestic": (0.0005, ("other_operating_income", "non_operating_income")),
    "sales_export": (0.0005, ("other_operating_income", "sales_domestic")),
    "purchases_rm": (0.0005, ("other_mfg_expenses", "sga_expenses")),
}


def book_totals(rows: Iterable[tuple[str, str, Decimal]]) -> dict[str, Decimal]:
    """The book's size per year from (year, side, amount) rows of its ledgers (closing
    stock left out by the caller): the larger of the debit and credit totals."""
    sums: dict[tuple[str, str], Decimal] = {}
    for year, side, amount in rows:
        sums[(year, side)] = sums.get((year, side), Decimal(0)) + amount
    years = {year for year, _ in sums}
    return {y: max(sums.get((y, "Dr"), Decimal(0)), sums.get((y, "Cr"), Decimal(0))) for y in years}


def totals_of(items: Iterable[ExtractedItem]) -> dict[str, Decimal]:
    """`book_totals` of a whole book held in memory (its trial-balance ledgers)."""
    return book_totals(
        (i.year, i.side, i.amount)
        for i in items
        if i.basis == "trial_balance" and not i.closing_stock
    )


def _percent(share: float) -> str:
    return f"{share:.0%}" if share >= 0.01 else f"{share:.2%}"


def _doubted(suggestion: Suggestion, reason: str, likelier: tuple[str, ...]) -> Suggestion:
    """Capped below the review line, the reason added, the likelier heads offered first;
    the alternatives share what the new confidence leaves."""
    confidence = min(suggestion.confidence, DOUBT_CAP)
    heads = [h for h in likelier if h != suggestion.head]
    heads += [h for h, _ in suggestion.alternatives if h not in heads and h != suggestion.head]
    remaining = 1.0 - confidence
    alternatives = tuple(
        (h, round(min(share * remaining, confidence - 0.001), 4))
        for h, share in zip(heads[:3], (0.6, 0.25, 0.15), strict=False)
    )
    return replace(
        suggestion,
        confidence=round(confidence, 4),
        alternatives=alternatives,
        evidence=(*suggestion.evidence, reason),
    )


def weigh_amount(
    suggestion: Suggestion, item: ExtractedItem, book_total: Decimal | None = None
) -> Suggestion:
    """The suggestion doubted when the item's side, or its size within the book, argues
    against its head (see the module's docstring); unchanged otherwise. A suggestion
    already below the cap (a rule's own wrong-side penalty) still gets the reason."""
    head_id = suggestion.head
    # A statement's lines are signed by its layout, not as ledger balances.
    if head_id is None or item.basis != "trial_balance":
        return suggestion
    head = HEADS_BY_ID[head_id]
    if head_id in _ONE_SIDED and item.side != head.normal and not _names_reversal(item.label):
        side = "a credit balance" if item.side == "Cr" else "a debit balance"
        reason = f"{side}, which '{head.label}' does not usually carry"
        plain = replace(suggestion, evidence=tuple(e for e in suggestion.evidence if e != side))
        return _doubted(plain, reason, ())
    bounds = USUALLY_SMALL.get(head_id) or USUALLY_LARGE.get(head_id)
    if bounds is None or not book_total or item.closing_stock:
        return suggestion
    share = float(item.amount) / float(book_total)
    limit, likelier = bounds
    if head_id in USUALLY_SMALL and share > limit:
        reason = f"the amount is {_percent(share)} of the book, large for '{head.label}'"
        return _doubted(suggestion, reason, likelier)
    if head_id in USUALLY_LARGE and 0 < share < limit:
        reason = f"the amount is {_percent(share)} of the book, small for '{head.label}'"
        return _doubted(suggestion, reason, likelier)
    return suggestion
