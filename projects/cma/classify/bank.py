"""Bank accounts named by the bank alone ("HDFC Bank A/c 1234"): cash in debit, a
working-capital borrowing in credit, a term loan when the wording says loan.
"""

from __future__ import annotations

from projects.cma.classify.normalize import padded_phrase
from projects.cma.records import Side

# --------------------------------------------------------------------------------------
# Banks: a bank account is cash in debit and a borrowing in credit. Facility wording
# (CC, OD, term loan, FD) is decided by the rule table (rules.py); this handles the rest.
# --------------------------------------------------------------------------------------

_BANK_NAMES = tuple(
    padded_phrase(p)
    for p in (
        "bank", "sbi", "state bank", "hdfc", "icici", "axis", "kotak", "pnb", "bob", "idbi",
        "indusind", "idfc", "yes bank", "rbl", "dcb", "uco", "iob", "boi", "canara",
        "saraswat", "cosmos", "tjsb", "svc", "citi", "hsbc", "standard chartered", "dbs",
        "federal bank", "union bank", "indian bank", "central bank", "karur vysya", "kvb",
        "city union", "tmb", "bandhan", "au small finance", "equitas", "ujjivan",
        "janata sahakari", "sahakari", "nagrik", "urban cooperative", "cooperative bank",
        "co operative bank", "dena", "vijaya", "syndicate", "andhra bank", "allahabad",
        "oriental bank", "obc", "corporation bank", "south indian", "karnataka bank",
        "jk bank", "j and k bank", "lakshmi vilas", "catholic syrian", "csb", "deutsche",
        "barclays", "paytm", "eefc", "escrow",
    )
)  # fmt: skip
# The bank names by their first word: a name can only occur where its first word does, so
# a label tries only those (many party names hold "co", "union" or "central").
_BANK_NAMES_BY_TOKEN: dict[str, tuple[str, ...]] = {}
for _name in _BANK_NAMES:
    _first = _name.split()[0]
    _BANK_NAMES_BY_TOKEN[_first] = (*_BANK_NAMES_BY_TOKEN.get(_first, ()), _name)
# A fund named after the bank whose fund house runs it ("ICICI Overnight Fund") is a
# mutual fund scheme, not an account with the bank.
_BANK_NOT = tuple(
    padded_phrase(p)
    for p in ("charges", "commission", "interest", "guarantee", "reconciliation", "fund", "share")
)


def bank_head(words: str, side: Side) -> tuple[str, float, tuple[str, ...]] | None:
    candidates = [name for token in words.split() for name in _BANK_NAMES_BY_TOKEN.get(token, ())]
    if not any(name in words for name in candidates) or any(p in words for p in _BANK_NOT):
        return None
    if " loan " in words:
        return ("term_loans", 0.7, ("bank_borrowings_wc", "st_borrowings_others"))
    if side == "Dr":
        return ("cash_bank", 0.95, ("current_investments", "bank_borrowings_wc"))
    return ("bank_borrowings_wc", 0.93, ("cash_bank", "term_loans"))
