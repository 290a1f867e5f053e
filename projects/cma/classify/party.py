"""A party's ledger named as a firm: its own name, its trade and often its address.

Indian books name a customer or a supplier the way its letterhead does: "Everest Fabrics
Ring Road", "Vinayak Hotels & Resorts, Mapusa", "Balaji Enterprises MG Road". The trade
and the address are words the rule table knows ("hotel", "road"), so without a group to
say "Sundry Debtors" the rules read the party as hotel expenses or a building. A CA reads
a firm's name: a name of its own first (a word no head's wording uses), then a trade
noun ("Fabrics", "Hotels", "Mills"), and no word of what a ledger is kept for
("Expenses", "Loan", "Purchase"). `firm_view` leaves such a label only its own name, so
that it is read as a party is: by its group, or sent to a CA with none.
"""

from __future__ import annotations

from functools import lru_cache

from projects.cma.classify.fuzzy import is_known_word

# Trade nouns and legal forms of firms' names, in the rules' view (stemmed, lower case).
_FIRM = frozenset(
    {
        "trader", "trading", "enterprise", "fabric", "textile", "mill", "industry", "agency",
        "store", "corporation", "co", "company", "son", "brother", "bro", "associate",
        "supplier", "distributor", "motor", "steel", "hotel", "resort", "hardware",
        "electrical", "electronic", "pharma", "pharmaceutical", "medical", "jeweller",
        "agro", "food", "chemical", "plastic", "polymer", "printer", "engineer",
        "engineering", "exporter", "importer", "impex", "overseas", "creation",
        "collection", "emporium", "mart", "bhandar", "kendra", "udyog", "vastra", "saree",
        "garment", "handloom", "logistic", "roadline", "carrier", "builder", "developer",
        "infra", "solution", "technology", "tech", "limited", "private", "llp",
        "international", "global", "marketing", "concern", "house", "centre", "center",
    }
)  # fmt: skip
# An address's last word; the word before it is the street's own name ("Ring", "MG").
_STREET = frozenset(
    {"road", "marg", "street", "nagar", "chowk", "bazar", "bazaar", "gali", "lane", "peth"}
)
# What a ledger is kept for: a label with one of these is no bare party name ("Hotel
# Expenses", "Steel Purchase", "Loan from Balaji Finance").
_LEDGER_KINDS = frozenset(
    {
        "expense", "charge", "bill", "payable", "receivable", "loan", "deposit", "advance",
        "capital", "purchase", "sale", "rent", "salary", "wage", "interest", "tax", "gst",
        "tds", "stock", "machinery", "plant", "equipment", "building", "furniture",
        "vehicle", "repair", "maintenance", "insurance", "commission", "discount",
        "freight", "fee", "provision", "reserve", "depreciation", "income", "cost",
        "consumption", "consumed", "material", "spare", "fund", "investment", "share",
        "debenture", "premium", "bank", "finance", "cash", "creditor", "debtor", "security",
        "retention", "subsidy", "grant", "duty", "cess", "electricity", "telephone",
        "stationery", "travel", "conveyance", "audit", "professional", "labour", "hire",
        "lease", "royalty", "claim", "refund", "prepaid", "outstanding", "accrued",
        "unsecured", "secured", "director", "partner", "proprietor", "drawing",
        "remuneration", "bonus", "gratuity", "staff", "employee", "work", "construction",
        "installation", "od", "cc", "overdraft", "credit", "current",
    }
)  # fmt: skip


@lru_cache(maxsize=16384)
def firm_view(words: str) -> str:
    """The rules' view of a label (`padded_words`), with a firm's trade nouns, legal form
    and street address left out when the label is a firm's name; otherwise unchanged."""
    tokens = words.split()
    if len(tokens) < 2 or is_known_word(tokens[0]) or _FIRM.isdisjoint(tokens):
        return words
    if not _LEDGER_KINDS.isdisjoint(tokens):
        return words
    kept: list[str] = []
    for position, token in enumerate(tokens):
        if token in _STREET or (position + 1 < len(tokens) and tokens[position + 1] in _STREET):
            continue
        if token not in _FIRM and token not in ("and", "pvt", "ltd", "of"):
            kept.append(token)
    return f" {' '.join(kept)} " if kept else words
