"""The head noun of a ledger name and what it allows.

English names put the thing last and its modifiers before it ("Export Expenses" are
expenses, "Capital Equipments" equipment, "Debenture Redemption Reserve" a reserve) and
hang further modifiers after a preposition ("Rates and taxes, excluding taxes on
income": rates and taxes). A rule whose phrase only matched a modifier must not decide
a head the head noun rules out: `HeadNoun` says where the head noun sits in the rules'
view of a label and which heads it excludes; `decide._rule_match` uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from projects.cma.classify.constants import COST_OF_SALES_PHRASES
from projects.cma.heads import HEADS

# Words after which the rest of the label modifies what came before ("Interest on Term
# Loan", "Advance to Suppliers", "Taxes excluding income tax").
_CUT_WORDS = frozenset(
    {"of", "on", "to", "for", "from", "with", "in", "at", "by", "against", "under",
     "excluding", "except", "including", "towards", "but", "than", "other", "via", "per",
     "relating", "pertaining", "regarding", "within"}
)  # fmt: skip
# Trailing words that name the ledger or its movement, not the thing ("Sales Tax Paid",
# "PF Control A/c", "Freight Charges Recovered").
_NOT_HEAD = frozenset(
    {"account", "ledger", "control", "head", "paid", "balance", "each", "only", "recovered",
     "recovery", "reimbursed", "reimbursement", "payable",
     # A department after the thing ("Salaries - Sales", "Travel - Sales Team").
     "sale", "team", "department", "dept", "division"}
)  # fmt: skip

_INCOMES = frozenset({"sales_domestic", "sales_export", "other_operating_income",
                      "non_operating_income"})  # fmt: skip
_NET_WORTH = frozenset({"share_capital", "preference_shares", "general_reserve",
                        "other_reserves", "revaluation_reserve", "pl_surplus",
                        "drawings"})  # fmt: skip
_BORROWINGS = frozenset({"bank_borrowings_wc", "st_borrowings_others", "term_loans",
                         "term_loan_current_maturities", "debentures", "term_deposits",
                         "deferred_payment_credits"})  # fmt: skip
_FIXED = frozenset({"gross_block", "net_block", "intangible_assets", "capital_advances"})
_INVENTORIES = frozenset({"inventory_rm", "inventory_wip", "inventory_fg", "inventory_spares"})
_INVESTMENTS = frozenset({"current_investments", "noncurrent_investments"})
_PL = frozenset(h.id for h in HEADS if h.group == "operating")

# What each head noun rules out. Only nouns whose meaning is unmistakable are listed: a
# label ending in one of them cannot be the excluded heads whatever its modifiers say.
_EXPENSE = (
    _INCOMES
    | _NET_WORTH
    | _BORROWINGS
    | _INVESTMENTS
    | _INVENTORIES
    | {
        "gross_block",
        "net_block",
        "cash_bank",
        "receivables_domestic",
        "receivables_export",
        "sundry_creditors",
        "advances_from_customers",
        "accumulated_depreciation",
    }
)
_PAY = _EXPENSE | {"rm_consumed", "purchases_rm", "spares_consumed"}
_FIXED_ASSET = (
    _INCOMES
    | _NET_WORTH
    | _BORROWINGS
    | _INVENTORIES
    | {
        "purchases_rm",
        "rm_consumed",
        "spares_consumed",
        "cash_bank",
        "sundry_creditors",
        "receivables_domestic",
    }
)
_RESERVE = frozenset(h.id for h in HEADS) - {
    "other_reserves",
    "general_reserve",
    "revaluation_reserve",
    "pl_surplus",
    "accumulated_depreciation",
    "receivables_domestic",
    "other_current_liabilities",
    "other_term_liabilities",
}
_HOLDING = _PL | _NET_WORTH | _INVENTORIES | {"gross_block", "net_block"}  # advances, deposits
# A gain or a loss is an income or an expense, never the asset or the account it arose on
# ("Bank revaluation loss", "Fixed Asset Sale Gain"); the year's profit or loss stays open.
_GAIN_LOSS = (
    (_NET_WORTH - {"pl_surplus"})
    | _BORROWINGS
    | _INVESTMENTS
    | _INVENTORIES
    | _FIXED
    | {"sales_domestic", "sales_export", "purchases_rm", "cash_bank", "receivables_domestic",
       "receivables_export", "sundry_creditors", "advances_from_customers"}
)  # fmt: skip
# A service or a rent is bought or sold, never the thing it is for ("Outside Computer
# Services", "Store Equipment Rent").
_SERVICE = (
    _NET_WORTH
    | _BORROWINGS
    | _INVESTMENTS
    | _INVENTORIES
    | _FIXED
    | {"cash_bank", "rm_consumed", "spares_consumed", "purchases_rm"}
)  # fmt: skip
# A loan, a mortgage or a bond is a borrowing or a lending, not a running expense or a
# payable to a supplier ("Mortgage Payable").
_BORROWING_NOUN = _PL | {"sundry_creditors", "other_current_liabilities", "statutory_liabilities"}
_EXCLUDES: dict[str, frozenset[str]] = {
    **dict.fromkeys(("expense", "charge", "cost", "overhead", "fee"), _EXPENSE),
    # Costs named by what they pay for ("Salaries - Sales" is no sale).
    **dict.fromkeys(
        ("travel", "travelling", "conveyance", "entertainment", "training", "advertisement",
         "gift"),
        _EXPENSE,
    ),
    # Pay is never material ("Cost of Sales - Wages" is labour, not materials consumed).
    **dict.fromkeys(("salary", "wage", "labour"), _PAY),
    **dict.fromkeys(
        ("equipment", "machinery", "machine", "furniture", "fixture", "vehicle", "computer",
         "building", "premise", "plant"),
        _FIXED_ASSET,
    ),
    "reserve": _RESERVE,
    **dict.fromkeys(("advance", "deposit"), _HOLDING),
    "off": _INCOMES | _NET_WORTH | _BORROWINGS | _INVESTMENTS | {"gross_block"},  # written off
    **dict.fromkeys(("gain", "loss"), _GAIN_LOSS),
    **dict.fromkeys(("service", "rent", "rental"), _SERVICE),
    **dict.fromkeys(
        ("loan", "mortgage", "bond", "debenture", "borrowing", "instalment", "installment",
         "emi"),
        _BORROWING_NOUN,
    ),
    # An income is never a cost ("Freight income", "Commission income").
    "income": _PL - _INCOMES,
}  # fmt: skip


# A borrowing or a holding named before the asset it is for: the asset after it is a
# tail the dash dropped ("SIDBI Term Loan - Medical Equipment", "Deposit - Building"),
# as English puts the thing last ("Equipment Loan").
_ASSET_NOUNS = frozenset(
    ("equipment", "machinery", "machine", "furniture", "fixture", "vehicle", "computer",
     "building", "premise", "plant")
)  # fmt: skip
# What is paid on a loan or an asset, named before it ("Interest - Term Loan",
# "Depreciation - Plant", "Insurance - Vehicle"): the cost is the head.
_COSTS = frozenset(
    ("interest", "charge", "fee", "commission", "insurance", "repair", "maintenance",
     "depreciation", "rent", "hire", "premium")
)  # fmt: skip
_HOLDERS = frozenset({"loan", "advance", "deposit", "borrowing", "subsidy", "finance"}) | _COSTS
_LOANS = frozenset({"loan", "borrowing", "mortgage"})


@dataclass(frozen=True, slots=True)
class HeadNoun:
    """Where the head noun sits in a padded label (character span) and the head segment's
    end (what comes after it only modifies)."""

    start: int
    end: int
    segment_end: int
    excludes: frozenset[str]

    def covered_by(self, phrase: str, words: str) -> bool:
        """Whether an occurrence of the padded phrase includes the head noun."""
        at = words.find(phrase)
        while at >= 0:
            if at <= self.start and at + len(phrase) >= self.end:
                return True
            at = words.find(phrase, at + 1)
        return False

    def in_segment(self, phrase: str, words: str) -> bool:
        """Whether the phrase occurs before the modifying tail."""
        at = words.find(phrase)
        return at >= 0 and at + len(phrase) <= self.segment_end + 1


# "Cost of sales" is one noun, a heading: what follows it ("Cost of Sales - Labour")
# is the thing, not a modifier.
_COMPOUND_OF = frozenset((p.split()[0], p.split()[2]) for p in COST_OF_SALES_PHRASES)


def _compound_of(tokens: list[str], at: int) -> bool:
    if tokens[at] != "of" or at + 1 >= len(tokens):
        return False
    # A label that opens "Sale of ..." names what was sold: that is the thing ("Sale of
    # Process Scrap" is scrap sold).
    if at == 1 and tokens[0] == "sale":
        return True
    return (tokens[at - 1], tokens[at + 1]) in _COMPOUND_OF and at + 2 < len(tokens) - (
        tokens[at + 1] == "good"
    )


@lru_cache(maxsize=65536)
def head_noun(words: str) -> HeadNoun | None:
    """The head noun of a padded label in the rules' view (" rate and tax excluding tax
    on income " -> "tax", before "excluding"); None for a label of one word or none."""
    tokens = words.split()
    if len(tokens) < 2:
        return None
    cut = next(
        (
            i
            for i, w in enumerate(tokens)
            if i > 0 and w in _CUT_WORDS and not _compound_of(tokens, i)
        ),
        len(tokens),
    )
    segment = tokens[:cut]
    last = len(segment) - 1
    while last > 0 and segment[last] in _NOT_HEAD:
        last -= 1
    if segment[last] in _ASSET_NOUNS or segment[last] in _LOANS:
        holders = _HOLDERS if segment[last] in _ASSET_NOUNS else _COSTS
        last = max(
            # "Interest Free Loan" is a loan.
            (i for i in range(last) if segment[i] in holders and segment[i + 1] != "free"),
            default=last,
        )
    # Character spans in the padded string " w0 w1 ... ": token k starts after the k
    # tokens before it and their k spaces, past the leading space.
    last_start = 1 + sum(map(len, tokens[:last])) + last
    start = last_start - 1
    end = last_start + len(segment[last]) + 1
    segment_end = sum(map(len, tokens[:cut])) + cut
    return HeadNoun(start, end, segment_end, _EXCLUDES.get(segment[last], frozenset()))
