"""Current or non-current: the words "long-term", "non-current", "short-term" and
"current ..." in a label or its group decide between paired heads (investments, trade
receivables and payables, loans and advances, deposits, borrowings, provisions).

`term_of` reads the term; `with_term` moves a head to its pair when the term says so.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from projects.cma.classify.headnoun import head_noun
from projects.cma.classify.normalize import normalize_label, padded_words

Term = Literal["long", "short"]

# In the rules' view of a label (stemmed, padded with spaces).
_LONG = re.compile(r" (?:long term|non current|noncurrent) ")
_SHORT_EXPLICIT = re.compile(r" short term ")
# "current" alone is a term only before a balance-sheet noun ("Other Current Assets",
# "Current Investments"), never in "current account" or "current tax".
_CURRENT = re.compile(
    r"(?<!non) current (?:asset|liability|investment|loan|borrowing|provision|deposit"
    r"|advance|receivable|payable)"
)

# A tenure the label states ("Repayable over 3 years", "Refundable after 2 years"): read
# anywhere in it, as it qualifies the ledger itself, not a thing its tail names.
_TENURE_LONG = re.compile(
    r" (?:repayable|refundable|recoverable|payable|due|maturing|lock in) (?:after|over|beyond"
    r"|in) (?:[2-9]|[1-9]\d|two|three|four|five|ten) (?:year|yr)"
    r"| (?:more than|over|beyond|exceeding|after) (?:12|twelve) month"
    r"| (?:more than|beyond|exceeding) (?:one|1) (?:year|yr)"
)
# Due within the year ("HDFC TL - due within 12 months"): the current part.
_TENURE_SHORT = re.compile(
    r" (?:due|repayable|payable) (?:within|in) (?:12|twelve) month| (?:due|repayable|payable)"
    r" within (?:one|1) (?:year|yr)"
)
# A term ending the label qualifies the whole ledger ("Provision for gratuity (current)",
# "Loans to employees - long term"), wherever its head noun sits.
_TRAILING = re.compile(r" (?:(?P<long>long term|non current|noncurrent)|short term|current) $")
# A group of dues by their nature ("Salary & Wages Payable", "Outstanding Expenses"):
# what is owed now, whatever its ledger's usual term.
_PAYABLE_GROUP = re.compile(r" (?:payable|outstanding) ")

_TO_LONG = {
    "current_investments": "noncurrent_investments",
    "other_current_assets": "other_noncurrent_assets",
    "receivables_domestic": "other_noncurrent_assets",
    "sundry_creditors": "other_term_liabilities",
    "other_current_liabilities": "other_term_liabilities",
    "st_borrowings_others": "other_term_liabilities",
}
_TO_SHORT = {
    "noncurrent_investments": "current_investments",
    "other_noncurrent_assets": "other_current_assets",
    # A term loan's part due within the year ("Term loan - current portion").
    "term_loans": "term_loan_current_maturities",
}
_BORROWED = (" loan ", " borrowing ", " deposit ", " debt ")


def term_of(words: str) -> Term | None:
    """The term a padded, stemmed label (or group) names, if any."""
    if "term" not in words and "current" not in words:
        return None  # what all three patterns need: most labels are spared the searches
    if _LONG.search(words):
        return "long"
    if _SHORT_EXPLICIT.search(words) or _CURRENT.search(words):
        return "short"
    return None


@lru_cache(maxsize=4096)
def group_term(section: str) -> Term | None:
    """The term a group path names, from its most specific part that names one.

    Only explicit wording counts: Tally's primary groups "Current Assets" and "Current
    Liabilities" hold deposits and provisions of any term, so a bare "current assets" or
    "current liabilities" in a group says nothing."""
    for part in reversed(re.split(r"\s*[/>|\\]\s*", section)):
        words = padded_words(normalize_label(part))
        if _LONG.search(words):
            return "long"
        if _SHORT_EXPLICIT.search(words) or " current investment " in words:
            return "short"
        if words.endswith(" current ") and words.strip() != "current":
            # A caption qualified after its noun, as Ind AS charts write them:
            # "Investments - current", "Borrowings - current".
            return "short"
        if " other current asset " in words or " other current liability " in words:
            return "short"
        if _PAYABLE_GROUP.search(words):
            return "short"
    return None


def _tenure(words: str) -> Term | None:
    if _TENURE_LONG.search(words):
        return "long"
    if _TENURE_SHORT.search(words):
        return "short"
    return None


def with_term(head_id: str, words: str, section: str) -> tuple[str, bool]:
    """(head, moved): the paired head the label's or group's term calls for. The label's
    own term counts before its modifying tail only: "Interest accrued on long-term loans"
    is a current liability."""
    noun = head_noun(words)
    own = words[: noun.segment_end + 1] + " " if noun is not None else words
    trailing = _TRAILING.search(words) if words.endswith(("term ", "current ")) else None
    own_term = (
        term_of(own)
        or (("long" if trailing.group("long") else "short") if trailing else None)
        or (_tenure(words) if "year" in words or "month" in words else None)
    )
    if head_id == "term_loans" and own_term != "short":
        # Only the label moves a term loan to its current part: a group of dues
        # ("Mortgage Payable") says nothing of when the loan falls due.
        return head_id, False
    term = own_term or (group_term(section) if section else None)
    if term == "long" and head_id in _TO_LONG:
        return _TO_LONG[head_id], True
    if term == "short" and head_id in _TO_SHORT:
        return _TO_SHORT[head_id], True
    if term == "short" and head_id == "other_term_liabilities":
        where = words + " " + padded_words(normalize_label(section))
        if any(w in where for w in _BORROWED):
            return "st_borrowings_others", True
        return "other_current_liabilities", True
    return head_id, False
