"""Qualifiers that move a head to its sibling: a domestic sale or receivable the label
places abroad ("Sale of products - Export", "Customers Control A/c - Foreign") is its
export pair; an advance to a supplier the label says is for capital goods ("Advance to
suppliers - capital goods") is a capital advance.

The rule table reads such a tail, after a dash or a preposition, as a modifier of the
head noun ("sale", "customer", "advance"), which it is; but it is a modifier that
changes the head, so it is read here, once the label's head is known, rather than as
rules ordered before every rule that can name the head.
"""

from __future__ import annotations

_EXPORT_PAIRS = {"sales_domestic": "sales_export", "receivables_domestic": "receivables_export"}
# In the rules' view of a label (stemmed, padded).
_ABROAD = (
    " export ", " foreign ", " oversea ", " abroad ", " outside india ", " usd ", " eur ",
    " euro ", " gbp ", " aed ", " foreign currency ", " fcy ",
)  # fmt: skip
# A party named with a foreign company's legal form or country: a debtor abroad.
_FOREIGN_PARTY = (
    " inc ", " llc ", " gmbh ", " pte ", " fze ", " fzco ", " fzc ", " bv ", " plc ", " sarl ",
    " srl ", " pty ", " usa ", " uae ", " u s a ",
)  # fmt: skip
_TRADE_HEADS = frozenset({*_EXPORT_PAIRS, *_EXPORT_PAIRS.values()})
_BUYERS = (" customer ", " debtor ", " buyer ", " client ")
_AT_HOME = (" domestic ", " local ", " deemed ", " import ", " inland ", " within india ")
# A firm's name ("Balaji Exports") is no qualifier: the normalized label (before
# stemming) keeps its plural. ("Overseas" is plural either way: a party "Shree Overseas"
# named after "Sundry Debtors -" would move; no such label was seen.)
_NAMES = (" exports ",)
# Explicit words only: a party's name may hold "Machinery" or "Plant".
_CAPITAL_GOODS = (
    " capital good ", " capital item ", " capital asset ", " capital expenditure ", " capex ",
    " fixed asset ", " capital work ",
)  # fmt: skip


def with_qualifier(head_id: str, label_head: str, words: str, normalized: str) -> tuple[str, bool]:
    """(head, moved). A sale moves only when the label itself named it (`label_head`, the
    rules' reading of the label alone), not a group; a receivable also when the label
    names a sale or a buyer; an advance to suppliers moves whoever named it."""
    if head_id == "advances_to_suppliers":
        if any(w in words for w in _CAPITAL_GOODS):
            return "capital_advances", True
        return head_id, False
    pair = _EXPORT_PAIRS.get(head_id)
    if pair is None:
        return head_id, False
    # A debtor its group names is an export one when its own words sell abroad: "Export
    # Customer - Bosch GmbH" (read alone, an export sale) or "Receivables from overseas
    # customers" under Trade Receivables; not "Export Incentive Receivable".
    trade_label = label_head in _TRADE_HEADS or any(w in words for w in _BUYERS)
    if label_head != head_id and not (head_id == "receivables_domestic" and trade_label):
        return head_id, False
    return (pair, True) if _abroad(words, normalized) else (head_id, False)


def _abroad(words: str, normalized: str) -> bool:
    if not any(w in words for w in _ABROAD) or any(w in words for w in _AT_HOME):
        return False
    return not any(name in f" {normalized} " for name in _NAMES)


def party_abroad(head_id: str, words: str, normalized: str) -> str:
    """A debtor its group names, which its own name places abroad ("Acme Inc (USA)" under
    Sundry Debtors) or names as a buyer abroad ("Dues from foreign buyers"), is an export
    receivable."""
    if head_id != "receivables_domestic":
        return head_id
    if any(w in words for w in _FOREIGN_PARTY) or (
        any(w in words for w in _BUYERS) and _abroad(words, normalized)
    ):
        return "receivables_export"
    return head_id
