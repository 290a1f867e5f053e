"""Sections and Tally groups ("Sundry Debtors", "Indirect Expenses"): the head sets they
allow (assets, liabilities, net worth...), the `SECTIONS` table built with `S`, and
`section_of`, which reads a section path from its most specific part.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from projects.cma.classify.constants import INVENTORY_HEADS
from projects.cma.classify.normalize import normalize_label, padded_phrase, padded_words
from projects.cma.classify.ocr import read_label, unjoined
from projects.cma.extract.tally.groups import (
    is_predefined_group,
    is_primary_group,
    predefined_parent,
)
from projects.cma.heads import HEADS

# --------------------------------------------------------------------------------------
# Sections and Tally groups: a fallback when the label says nothing, a check otherwise.
# --------------------------------------------------------------------------------------


def _ids(where: Callable[[str, str, str], bool]) -> frozenset[str]:
    return frozenset(h.id for h in HEADS if where(h.id, h.group, h.normal))


_ASSETS = _ids(lambda i, g, n: g == "assets")
_LIABILITIES = _ids(lambda i, g, n: g == "liabilities") | {"accumulated_depreciation"}
_EXPENSES = _ids(lambda i, g, n: g == "operating" and n == "Dr") | {"changes_in_inventories"}
_INCOMES = _ids(lambda i, g, n: g == "operating" and n == "Cr") | {"changes_in_inventories"}
_NET_WORTH = frozenset(
    {"share_capital", "drawings", "general_reserve", "revaluation_reserve", "other_reserves",
     "pl_surplus", "preference_shares"}
)  # fmt: skip
_FIXED = frozenset(
    {"gross_block", "accumulated_depreciation", "net_block", "intangible_assets",
     "capital_advances"}
)  # fmt: skip
_BORROWINGS = frozenset(
    {"bank_borrowings_wc", "st_borrowings_others", "term_loan_current_maturities", "term_loans",
     "debentures", "deferred_payment_credits", "term_deposits", "other_term_liabilities",
     "cash_bank"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Section:
    phrases: tuple[str, ...]
    dr: str | None
    cr: str | None
    conf_dr: float
    conf_cr: float
    allowed: frozenset[str]
    kind: str = ""  # "direct" / "indirect" expenses: picks a rule's direct/indirect head
    # A group of parties or accounts (debtors, creditors, banks, cash): its name says what
    # a ledger under it is, whatever the ledger's own name seems to say ("Ganesh Travels"
    # under Sundry Creditors).
    party: bool = False
    # The group names a head a CA must still confirm (firms file differently under it): no
    # second reading lifts a ledger the group alone placed over the review line.
    doubt: bool = False


def S(
    when: str,
    dr: str | None,
    cr: str | None,
    cdr: float,
    ccr: float,
    allowed: frozenset[str] | set[str],
    kind: str = "",
    *,
    party: bool = False,
    doubt: bool = False,
) -> Section:
    # "^capital": the whole part must be this ("Capital Account", not "Working Capital").
    phrases = tuple(
        ("^" if p.startswith("^") else "") + padded_phrase(p.lstrip("^")) for p in when.split("|")
    )
    allowed = frozenset(allowed) | {dr, cr} - {None}
    return Section(phrases, dr, cr, cdr, ccr, allowed, kind, party, doubt)


# Some charts file investments with the fixed assets (both long-held): a ledger named as
# an investment stays one under such a group.
_INVESTMENTS = {"current_investments", "noncurrent_investments"}
_OPENING_STOCK = {"opening_stock_rm", "opening_stock_wip", "opening_stock_fg"}
_SALES = {"sales_domestic", "sales_export"}
_RECEIVABLES = {"receivables_domestic", "receivables_export", "advances_from_customers"}
_CURRENT_ASSETS = _ASSETS - _FIXED - {"noncurrent_investments"}
_CURRENT_LIABILITIES = _LIABILITIES - _NET_WORTH - {"accumulated_depreciation"}

# Specific groups first; a section path ("Balance Sheet / ASSETS / Sundry Debtors") is
# read from its most specific part. Tally's party groups decide a party's head outright.
# fmt: off
SECTIONS: tuple[Section, ...] = (
    # Dues to and from the state are not trade: "Statutory Creditors" is no party group.
    S("statutory creditor|statutory debtor|statutory payable|statutory receivable"
      "|statutory due", "other_current_assets", "statutory_liabilities", 0.6, 0.8,
      {"advance_tax", "provision_for_tax", "duties_on_sales"}),
    # Deductions from pay held for the state (tax withheld, social security): statutory.
    S("payroll deduction|salary deduction|deduction from salary|employee deduction"
      "|payroll withholding|payroll tax", None, "statutory_liabilities", 0.0, 0.8, set()),
    # Debtors the group names as abroad ("Sundry Debtors - Export"): export receivables.
    S("export debtor|debtor export|foreign debtor|debtor foreign|overseas debtor|debtor"
      " overseas|export receivable|receivable export|export customer|foreign customer",
      "receivables_export", "advances_from_customers", 0.8, 0.78,
      _RECEIVABLES | {"other_current_assets"}, party=True),
    S("sundry debtor|trade receivable|debtor|account receivable", "receivables_domestic",
      "advances_from_customers", 0.8, 0.78, _RECEIVABLES | {"other_current_assets"}, party=True),
    # Advances a firm files apart from its creditors ("Advance to Suppliers"): the group
    # says what each party's balance is, whatever the party is called.
    S("advance to supplier|supplier advance|advance to creditor|advance to vendor|vendor"
      " advance|advance for purchase|advance against purchase|advance to party|trade advance",
      "advances_to_suppliers", None, 0.85, 0.0, {"capital_advances"}, party=True),
    S("sundry creditor|trade payable|creditor", "advances_to_suppliers", "sundry_creditors",
      0.75, 0.8, {"other_current_liabilities", "capital_advances", "other_current_assets"},
      party=True),
    S("bank od|bank occ|bank cc|cash credit|overdraft", "cash_bank", "bank_borrowings_wc",
      0.78, 0.8, {"term_loans"}, party=True),
    # A bank's charges are a cost of its facilities ("Financing > Bank Charges"), a bank's
    # interest credited an income: neither is the bank account.
    S("bank charge|bank commission|bank interest", "interest", "non_operating_income", 0.75,
      0.6, {"interest", "non_operating_expenses", "sga_expenses", "other_operating_income"}),
    S("bank account|bank balance|balance with bank|bank", "cash_bank", "bank_borrowings_wc",
      0.8, 0.75, {"current_investments", "term_loans"}, party=True),
    S("cash in hand|cash", "cash_bank", None, 0.78, 0.0, {"current_investments"}, party=True),
    # Schedule III's deferred tax notes: every line under them ("Related to fixed assets",
    # "On provision for gratuity") is the deferred tax, whatever it is computed on.
    S("deferred tax", "other_noncurrent_assets", "other_term_liabilities", 0.8, 0.8,
      {"tax_provision", "provision_for_tax"}),
    # Tax on income, as an expense, a provision or a payment ahead: never a trade due.
    S("income tax|taxes on income|tax on income|provision for tax|provision for income tax"
      "|provision for taxation", "tax_provision", "provision_for_tax", 0.6, 0.6,
      {"advance_tax", "statutory_liabilities", "other_term_liabilities",
       "other_noncurrent_assets", "drawings"}),
    S("duty and tax|statutory|gst|tds|sale tax|vat|tax payable", "other_current_assets",
      "statutory_liabilities", 0.6, 0.78, {"advance_tax", "provision_for_tax", "duties_on_sales"}),
    # A group named by a class of fixed asset ("Buildings", "Plant & Machinery") holds
    # assets of that class; only the whole group name counts ("Vehicle Expenses" does not).
    S("fixed asset|property plant and equipment|tangible asset|block|^land|^building"
      "|^land and building|^plant and machinery|^machinery|^furniture|^furniture and fixture"
      "|^vehicle|^motor vehicle|^computer|^office equipment|^equipment|^plant"
      "|^capital asset", "gross_block",
      "accumulated_depreciation", 0.75, 0.65, _FIXED | _INVESTMENTS),
    S("investment", "noncurrent_investments", None, 0.65, 0.0,
      {"current_investments", "cash_bank", "other_noncurrent_assets"}),
    # Before the inventories: "Changes in inventories of FG, WIP and stock-in-trade".
    S("change in inventory|change in stock|increase decrease in inventory|increase decrease"
      " in stock", "changes_in_inventories", "changes_in_inventories", 0.7, 0.7,
      _EXPENSES | _INCOMES | INVENTORY_HEADS | _OPENING_STOCK),
    # Firms keep their opening stock beside the closing one under Stock-in-Hand.
    S("stock in hand|stock on hand|inventory|closing stock", "inventory_rm", None, 0.55, 0.0,
      INVENTORY_HEADS | _OPENING_STOCK),
    # What the owners took out: whatever the ledger says it paid for ("Home Expenses").
    S("^drawing|^drawings account|partner drawing|proprietor drawing|owner drawing"
      "|^personal account|^personal expense", "drawings", None, 0.85, 0.0, _NET_WORTH,
      party=True),
    # Partners' current accounts: the surplus as the rules read the name (rules_bs), though
    # firms differ (some show them with the capital): a partner named alone under such a
    # group is for a CA to place.
    S("partner current|partners current|current account of partner|proprietor current",
      "drawings", "pl_surplus", 0.6, 0.66, _NET_WORTH | {"other_term_liabilities"},
      doubt=True),
    S("^capital account|share capital|partner capital|proprietor capital|owner fund"
      "|shareholder fund|shareholders equity|equity share|partner contribution"
      "|contribution account",
      "drawings", "share_capital", 0.6, 0.7, _NET_WORTH | {"other_term_liabilities"}),
    # Ind AS names the reserves "Other equity": a liability word inside a reserve's name
    # ("Statutory Reserve", "Share Options Outstanding") does not make it owed to anyone;
    # dividends are paid out of it (the statement of changes in equity).
    S("reserve and surplus|reserve|other equity", None, "pl_surplus", 0.0, 0.6,
      _NET_WORTH | {"dividend"}),
    S("advance from customer|advance received|customer advance|customer payable|customer"
      " deposit|deposit from customer|customer credit", None,
      "advances_from_customers", 0.0, 0.78, _RECEIVABLES | {"other_current_liabilities"}),
    S("deposit asset|deposit", "other_noncurrent_assets", None, 0.6, 0.0, _CURRENT_ASSETS),
    S("loan and advance asset|loan and advance|advance", "other_current_assets", None, 0.6,
      0.0, _ASSETS - {"gross_block", "accumulated_depreciation", "net_block"}),
    # Owners' and relatives' money lent to the firm: unsecured, no fixed term.
    S("loan from director|loan from partner|loan from relative|loan from promoter|loan"
      " from shareholder|loan from family|loan from proprietor|director loan|partner loan"
      "|loan from member|unsecured loan from", None, "other_term_liabilities", 0.0, 0.8,
      _BORROWINGS),
    # Loans against an asset bought with them, repaid in instalments: the group says what
    # each is, whoever lent it ("Swift Dzire - HDFC Bank" is no bank account).
    # Schedule III's short-term borrowings: a bank's working-capital loan, mostly.
    S("short term borrowing|short term loan|current borrowing", None, "bank_borrowings_wc",
      0.0, 0.5, _BORROWINGS),
    S("vehicle loan|car loan|term loan|machinery loan|equipment loan|hypothecation loan"
      "|equipment finance|vehicle finance", None, "term_loans", 0.0, 0.8,
      _BORROWINGS - {"cash_bank", "bank_borrowings_wc"}, party=True),
    S("secured loan", None, "term_loans", 0.0, 0.65, _BORROWINGS),
    S("unsecured loan", None, "other_term_liabilities", 0.0, 0.7, _BORROWINGS),
    # Loans the firm gave, not took ("Loans Receivable", "Loan to Staff"): assets.
    S("loan receivable|loan given|loan to|loans and advances given|staff loan|employee loan"
      "|loan and advance given", "other_current_assets", None, 0.6, 0.0,
      _ASSETS - {"gross_block", "accumulated_depreciation", "net_block"}),
    S("loan liability|loan|borrowing", None, "term_loans", 0.0, 0.5, _BORROWINGS),
    S("provision", None, "other_current_liabilities", 0.0, 0.6,
      _CURRENT_LIABILITIES | {"accumulated_depreciation", "receivables_domestic",
                               "other_term_liabilities"}),
    S("miscellaneous expense asset|miscellaneous expenditure|misc expense asset",
      "intangible_assets", None, 0.6, 0.0, {"other_noncurrent_assets"}),
    S("intangible", "intangible_assets", "accumulated_depreciation", 0.75, 0.6, _FIXED
      | {"other_noncurrent_assets"}),
    # Groups of operating costs that are never production's.
    S("advertisement|marketing|publicity|business promotion|travel|professional service"
      "|data processing|education|training|printing and stationery|stationery",
      "sga_expenses", None, 0.6, 0.0, _EXPENSES, "indirect"),
    # Wages of the workers who make the goods.
    S("^labour|^wage|direct labour|manufacturing wage|factory wage|production wage",
      "direct_labour", None, 0.65, 0.0, _EXPENSES, "direct"),
    # Expenses paid ahead or still owed: balances, not the expenses a group of that name
    # would otherwise hold.
    S("prepaid|prepaid expense|expense paid in advance|advance paid", "other_current_assets",
      None, 0.75, 0.0, _CURRENT_ASSETS),
    S("outstanding expense|expense payable|outstanding liability|expense outstanding", None,
      "other_current_liabilities", 0.0, 0.75, _CURRENT_LIABILITIES),
    S("accrued expense|accrued liability|accrual", "other_current_assets",
      "other_current_liabilities", 0.5, 0.68, _CURRENT_LIABILITIES | _CURRENT_ASSETS),
    # Running a vehicle is administrative: its fuel is no power and fuel for production.
    S("vehicle expense|car expense|motor vehicle expense|motor car expense|motor expense"
      "|vehicle running|vehicle maintenance|conveyance expense", "sga_expenses", None, 0.6,
      0.0, _EXPENSES - {"power_fuel", "direct_labour", "other_mfg_expenses", "rm_consumed",
                         "purchases_rm", "spares_consumed"}, "indirect"),
    # Schedule III's captions used as groups (ERP charts, a CA's working): what they state.
    S("cost of material consumed|cost of material|material consumed|raw material consumed"
      "|consumption of raw material|consumption of material", "rm_consumed", None, 0.7, 0.0,
      _EXPENSES | INVENTORY_HEADS, "direct"),
    S("power and fuel", "power_fuel", None, 0.7, 0.0, _EXPENSES, "direct"),
    S("direct expense|manufacturing|factory|production|direct cost|cost of good sold"
      "|cost of sale|cost of revenue|expense direct|construction expense|construction cost"
      "|site expense|project expense|contract expense|cost of service|cost of operation"
      "|operating and maintenance|operation and maintenance",
      "other_mfg_expenses",
      None, 0.6, 0.0, _EXPENSES | INVENTORY_HEADS, "direct"),
    S("indirect expense|administrative|administration|establishment|selling|distribution"
      "|office expense|general expense|expense indirect", "sga_expenses", None, 0.74, 0.0,
      _EXPENSES,
      "indirect"),
    # Schedule III's finance costs are interest and other borrowing costs: a charge or fee
    # under them ("LC opening charges", "Processing fees - term loan") is one.
    S("finance cost|financial expense|borrowing cost", "interest", None, 0.8, 0.0,
      {"interest", "non_operating_expenses"}),
    # Tally's Direct Incomes and Busy's "Income (Direct/Opr.)" hold what a service firm
    # earns from its trade (fees, charges, commission): read as sales when the wording is
    # generic, as its own head when specific (scrap, incentives).
    S("direct income|income direct|operating income|income operating", None,
      "other_operating_income", 0.0, 0.6, _INCOMES, "sales"),
    # Tally's Sales Accounts hold the firm's turnover and its Indirect Incomes what is not
    # turnover: "Sale of ..." under the one and "... Income" under the other is a CA's call.
    S("indirect income|other income|income indirect", None, "non_operating_income", 0.0, 0.65,
      _INCOMES - _SALES),
    S("sale account|^sale|revenue from operation", None, "sales_domestic", 0.0, 0.6,
      _INCOMES - {"non_operating_income"}, "sales"),
    # An app's "Income" account type (Zoho Books, QuickBooks) is operating income, apart
    # from its "Other Income".
    S("^income|^operating revenue", None, "sales_domestic", 0.0, 0.6, _INCOMES, "sales"),
    # An ERP's "Revenue" or "Sales" heading holds every income, turnover or not.
    S("sale|revenue", None, "sales_domestic", 0.0, 0.6, _INCOMES),
    # Schedule III's "Purchases of Stock-in-Trade": goods bought to sell, whatever they are
    # ("Purchase of Spares & Lubricants" at a dealer's).
    S("purchase of stock in trade|purchase of traded good|purchase of trading good"
      "|purchase of good for resale|purchase of finished good", "purchases_rm", None, 0.85,
      0.0, {"purchases_rm"}, party=True),
    S("purchase account|purchase", "purchases_rm", None, 0.6, 0.0, _EXPENSES),
    S("current liability|current liabilities and provision", None,
      "other_current_liabilities", 0.0, 0.5, _CURRENT_LIABILITIES),
    S("current asset", "other_current_assets", None, 0.5, 0.0, _ASSETS),
    S("non current liability|long term liability|term liability", None,
      "other_term_liabilities", 0.0, 0.5, _CURRENT_LIABILITIES),
    S("non current asset", "other_noncurrent_assets", None, 0.5, 0.0, _ASSETS),
    S("expense|expenditure", "sga_expenses", None, 0.45, 0.0, _EXPENSES),
    S("income", None, "non_operating_income", 0.0, 0.45, _INCOMES),
    S("liability|equity and liability|source of fund", None, "other_current_liabilities",
      0.0, 0.3, _LIABILITIES),
    S("asset|application of fund", "other_current_assets", None, 0.3, 0.0, _ASSETS),
    # A trading or manufacturing account carries the closing stock on its credit side.
    S("profit and loss|trading account|income statement", "sga_expenses",
      "non_operating_income", 0.3, 0.3, _EXPENSES | _INCOMES | INVENTORY_HEADS),
)
# fmt: on
_SECTION_PARTS = re.compile(r"\s*[/>|\u00bb\\]\s*|\s+-\s+")
# Tally's primary group "Branch / Divisions" holds the separator chains are joined with.
_BRANCH_DIVISIONS = re.compile(r"branch\s*/\s*divisions", re.IGNORECASE)


@lru_cache(maxsize=1024)
def is_tally_chain(section: str) -> bool:
    """Whether a group path is Tally's chain of groups, nearest first, ending in one of its
    primary groups ("Sundry Debtors / Current Assets")."""
    parts = _SECTION_PARTS.split(_BRANCH_DIVISIONS.sub("Branch Divisions", section))
    return len(parts) > 1 and is_primary_group(
        parts[-1].replace("Branch Divisions", "Branch / Divisions")
    )


@lru_cache(maxsize=1024)
def section_of(section: str) -> Section | None:
    parts = _SECTION_PARTS.split(_BRANCH_DIVISIONS.sub("Branch Divisions", section))
    if is_tally_chain(section):
        return _tally_chain(parts)
    if len(parts) == 1 and is_predefined_group(parts[0]):
        return _tally_chain(parts)
    if len(parts) > 1:
        # A group qualified after a dash ("Sundry Debtors - Export") is one name: read
        # whole, it may say what neither half says alone.
        whole = _part_section(" ".join(parts[-2:]))
        if whole is not None and whole not in (_part_section(parts[-2]), _part_section(parts[-1])):
            return whole
    for part in reversed(parts):
        found = _part_section(part)
        if found is not None:
            return found
    return None


def _part_section(part: str) -> Section | None:
    words = padded_words(read_label(normalize_label(unjoined(part))))
    if words.strip():
        for candidate in SECTIONS:
            if any(p[1:] == words if p[0] == "^" else p in words for p in candidate.phrases):
                return candidate
    return None


def _tally_chain(parts: list[str]) -> Section | None:
    """A Tally group chain, nearest group first, ending in a primary group.

    The nearest of Tally's predefined groups speaks for the ledger: Tally gives each its
    meaning (a party under Sundry Debtors is owed to the firm). A company's own group
    nearer the ledger ("Creditors for Expenses") counts only when its name says something
    more specific (earlier in SECTIONS) that the predefined group allows.
    """
    names = [part.replace("Branch Divisions", "Branch / Divisions") for part in parts]
    position = next(i for i, name in enumerate(names) if predefined_parent(name) is not None)
    predefined = _part_section(names[position])
    if predefined is None:
        return None  # Suspense A/c, Branch / Divisions: the ledger's own name decides
    rank = SECTIONS.index(predefined)
    for name in names[:position]:
        own = _part_section(name)
        if own is None or SECTIONS.index(own) >= rank:
            continue
        if {own.dr, own.cr} & predefined.allowed:
            return own
    return predefined


@lru_cache(maxsize=1024)
def section_parts(section: str) -> tuple[Section, ...]:
    """The sections every part of a group path names, most specific first."""
    parts = _SECTION_PARTS.split(_BRANCH_DIVISIONS.sub("Branch Divisions", section))
    found = (_part_section(part) for part in reversed(parts))
    return tuple(f for f in found if f is not None)
