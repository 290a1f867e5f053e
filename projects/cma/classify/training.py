"""Training data the project writes itself, and the fit of the word model (`fit_model`).

The examples are generated, never collected: every phrase of the rule table with the head
it gives on each side, the stock table's kinds, every head's typical ledgers (heads.py),
the labels of the shared samples (tests/fixtures/samples, written for this project), each
placed with and without a group a firm would file it under (`GROUPS`: Tally's predefined
groups and Schedule III captions, named by the statute and by Tally). Of the labelled
corpus in bench/corpus only the ledger lists written for this project (`own_rows`:
`*_authored.csv`, the project's own licence) are read, for the second reader
(softmax.py); the public sources only measure (MODEL.md says why).

Deterministic: the same inputs give the same examples in the same order and the same
model file, byte for byte.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from projects.cma.classify.features import features
from projects.cma.classify.rules import RULES
from projects.cma.classify.stock import stock_phrases
from projects.cma.heads import HEADS, HEADS_BY_ID, Side

# Groups a firm files each head's ledgers under: Tally's predefined groups, Schedule III
# captions and the usual own groups. The first is the commonest.
# fmt: off
GROUPS: dict[str, tuple[str, ...]] = {
    "sales_domestic": ("Sales Accounts", "Revenue from Operations", "Sale of Products",
                       "Sale of Services", "Direct Incomes"),
    "sales_export": ("Sales Accounts", "Revenue from Operations", "Export Sales"),
    "duties_on_sales": ("Duties & Taxes", "Revenue from Operations", "Sales Accounts"),
    "other_operating_income": ("Direct Incomes", "Other Operating Revenue",
                               "Revenue from Operations"),
    "opening_stock_rm": ("Opening Stock", "Cost of Materials Consumed"),
    "opening_stock_wip": ("Opening Stock", "Changes in Inventories"),
    "opening_stock_fg": ("Opening Stock", "Changes in Inventories"),
    "purchases_rm": ("Purchase Accounts", "Cost of Materials Consumed",
                     "Purchases of Stock-in-Trade"),
    "rm_consumed": ("Cost of Materials Consumed", "Direct Expenses"),
    "changes_in_inventories": ("Changes in Inventories of Finished Goods, Work-in-Progress"
                               " and Stock-in-Trade", "Direct Expenses"),
    "spares_consumed": ("Direct Expenses", "Manufacturing Expenses", "Other Expenses"),
    "power_fuel": ("Direct Expenses", "Manufacturing Expenses", "Other Expenses"),
    "direct_labour": ("Direct Expenses", "Manufacturing Expenses",
                      "Employee Benefits Expense"),
    "other_mfg_expenses": ("Direct Expenses", "Manufacturing Expenses", "Factory Expenses"),
    "depreciation": ("Indirect Expenses", "Depreciation and Amortisation Expense"),
    "sga_expenses": ("Indirect Expenses", "Administrative Expenses", "Selling and"
                     " Distribution Expenses", "Employee Benefits Expense", "Other Expenses",
                     "Establishment Expenses"),
    "interest": ("Indirect Expenses", "Finance Costs", "Financial Charges"),
    "non_operating_income": ("Indirect Incomes", "Other Income"),
    "non_operating_expenses": ("Indirect Expenses", "Other Expenses",
                               "Exceptional Items"),
    "tax_provision": ("Tax Expense", "Provision for Taxation", "Indirect Expenses"),
    "dividend": ("Appropriations", "Reserves & Surplus"),
    "bank_borrowings_wc": ("Bank OD A/c", "Short-term Borrowings", "Secured Loans",
                           "Loans (Liability)"),
    "st_borrowings_others": ("Short-term Borrowings", "Unsecured Loans",
                             "Loans (Liability)"),
    "sundry_creditors": ("Sundry Creditors", "Trade Payables", "Creditors for Goods",
                         "Current Liabilities"),
    "advances_from_customers": ("Current Liabilities", "Other Current Liabilities",
                                "Sundry Debtors"),
    "provision_for_tax": ("Provisions", "Short-term Provisions", "Duties & Taxes"),
    "dividend_payable": ("Current Liabilities", "Other Current Liabilities"),
    "statutory_liabilities": ("Duties & Taxes", "Current Liabilities",
                              "Other Current Liabilities", "Statutory Dues"),
    "term_loan_current_maturities": ("Short-term Borrowings", "Other Current Liabilities",
                                     "Secured Loans"),
    "other_current_liabilities": ("Current Liabilities", "Other Current Liabilities",
                                  "Provisions", "Short-term Provisions"),
    "debentures": ("Long-term Borrowings", "Secured Loans", "Loans (Liability)"),
    "preference_shares": ("Share Capital", "Capital Account"),
    "term_loans": ("Secured Loans", "Long-term Borrowings", "Loans (Liability)",
                   "Term Loans from Banks"),
    "deferred_payment_credits": ("Long-term Borrowings", "Secured Loans"),
    "term_deposits": ("Long-term Borrowings", "Unsecured Loans"),
    "other_term_liabilities": ("Unsecured Loans", "Long-term Borrowings",
                               "Other Long-term Liabilities", "Long-term Provisions",
                               "Non-current Liabilities"),
    "share_capital": ("Capital Account", "Share Capital", "Shareholders' Funds"),
    "drawings": ("Capital Account",),
    "general_reserve": ("Reserves & Surplus", "Other Equity"),
    "revaluation_reserve": ("Reserves & Surplus", "Other Equity"),
    "other_reserves": ("Reserves & Surplus", "Other Equity"),
    "pl_surplus": ("Reserves & Surplus", "Other Equity", "Profit & Loss A/c"),
    "cash_bank": ("Bank Accounts", "Cash-in-Hand", "Cash and Cash Equivalents",
                  "Current Assets"),
    "current_investments": ("Investments", "Current Investments", "Current Assets"),
    "receivables_domestic": ("Sundry Debtors", "Trade Receivables", "Current Assets"),
    "receivables_export": ("Sundry Debtors", "Trade Receivables"),
    "inventory_rm": ("Stock-in-Hand", "Inventories", "Current Assets"),
    "inventory_wip": ("Stock-in-Hand", "Inventories"),
    "inventory_fg": ("Stock-in-Hand", "Inventories"),
    "inventory_spares": ("Stock-in-Hand", "Inventories"),
    "advances_to_suppliers": ("Loans & Advances (Asset)", "Short-term Loans and Advances",
                              "Sundry Creditors"),
    "advance_tax": ("Loans & Advances (Asset)", "Duties & Taxes", "Current Assets",
                    "Other Current Assets"),
    "other_current_assets": ("Loans & Advances (Asset)", "Current Assets",
                             "Other Current Assets", "Short-term Loans and Advances",
                             "Deposits (Asset)"),
    "gross_block": ("Fixed Assets", "Property, Plant and Equipment", "Tangible Assets"),
    "accumulated_depreciation": ("Fixed Assets", "Property, Plant and Equipment"),
    "net_block": ("Fixed Assets",),
    "noncurrent_investments": ("Investments", "Non-current Investments"),
    "capital_advances": ("Loans & Advances (Asset)", "Long-term Loans and Advances",
                         "Capital Work-in-Progress"),
    "other_noncurrent_assets": ("Deposits (Asset)", "Long-term Loans and Advances",
                                "Other Non-current Assets", "Non-current Assets"),
    "intangible_assets": ("Fixed Assets", "Intangible Assets",
                          "Misc. Expenses (Asset)"),
}
# fmt: on

# Words a firm adds to a ledger's name that do not change its head.
_DECORATIONS = ("", " A/c", " Account", " - Head Office", " (Old)")

SAMPLES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "samples"


def _rule_examples() -> Iterator[tuple[str, Side, str]]:
    for rule in RULES:
        for side, head_id in (("Dr", rule.dr), ("Cr", rule.cr)):
            if head_id is None:
                continue
            also = " ".join(group[0].strip() for group in rule.also)
            for phrase in rule.any:
                text = phrase.strip()
                if rule.exact or not text:
                    continue
                yield (f"{text} {also}".strip(), side, head_id)  # type: ignore[misc]


def _typical_examples() -> Iterator[tuple[str, Side, str]]:
    for head in HEADS:
        for part in head.typical.replace(";", ",").split(","):
            text = part.strip()
            if text and "(" not in text:
                yield (text, head.normal, head.id)


def _stock_examples() -> Iterator[tuple[str, Side, str]]:
    # The stock table's kinds as ledgers name them: "Opening Stock - Semi Finished Goods",
    # "Stock of WIP", "Closing Stock - Stores".
    for phrase, opening, closing in stock_phrases():
        yield (f"opening stock {phrase}", "Dr", opening)
        yield (f"stock of {phrase}", "Dr", closing)
        yield (f"closing stock {phrase}", "Dr", closing)


def _sample_examples(samples: Path = SAMPLES) -> Iterator[tuple[str, Side, str]]:
    if not samples.is_dir():
        return
    for truth in sorted(samples.glob("*/truth.json")):
        for line in json.loads(truth.read_text())["line_items"]:
            if line.get("closing_stock"):
                continue  # stock lines are decided by the stock table, not by words
            yield (line["label"], line["side"], line["head"])


def examples(samples: Path = SAMPLES) -> list[tuple[str, str, Side, str]]:
    """(label, group, side, head) training rows, deduplicated, in a fixed order."""
    seen: set[tuple[str, str, Side, str]] = set()
    rows: list[tuple[str, str, Side, str]] = []
    base = [
        *_rule_examples(),
        *_typical_examples(),
        *_stock_examples(),
        *_sample_examples(samples),
    ]
    for number, (label, side, head_id) in enumerate(base):
        if head_id not in HEADS_BY_ID:
            continue
        groups = GROUPS.get(head_id, ())
        decoration = _DECORATIONS[number % len(_DECORATIONS)]
        variants = [(label, ""), (label + decoration, groups[0] if groups else "")]
        variants += [(label, group) for group in groups[1:]]
        for text, group in variants:
            row = (text, group, side, head_id)
            if row not in seen:
                seen.add(row)
                rows.append(row)
    return rows


def fit_model(rows: Iterable[tuple[str, str, Side, str]], *, alpha: float = 0.3) -> dict:
    """A multinomial naive Bayes over the label's and group's features, as a JSON tree.

    Stored sparse: per class a log prior and the log probability of an unseen feature;
    per feature only the classes it was seen with, as the lift over that default. Naive
    Bayes because it trains in one pass, exactly and deterministically, and scores by a
    few dictionary look-ups; its over-confidence is taken out by the calibration.
    """
    class_counts: Counter[str] = Counter()
    feature_counts: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    for label, group, side, head_id in rows:
        class_counts[head_id] += 1
        for feature in features(label, group, side):
            feature_counts.setdefault(feature, Counter())[head_id] += 1
            totals[head_id] += 1
    classes = sorted(class_counts)
    vocabulary = len(feature_counts)
    n = sum(class_counts.values())
    default = {c: math.log(alpha / (totals[c] + alpha * vocabulary)) for c in classes}
    lifts: dict[str, dict[str, float]] = {}
    for feature in sorted(feature_counts):
        per_class = feature_counts[feature]
        lifts[feature] = {
            c: round(
                math.log((per_class[c] + alpha) / (totals[c] + alpha * vocabulary)) - default[c],
                4,
            )
            for c in sorted(per_class)
        }
    return {
        "kind": "multinomial-naive-bayes",
        "alpha": alpha,
        "classes": classes,
        "prior": {c: round(math.log(class_counts[c] / n), 4) for c in classes},
        "default": {c: round(default[c], 4) for c in classes},
        "lifts": lifts,
    }


# The corpus's sources written for this project (bench/corpus/PROVENANCE.md): the
# project's own licence, so the model may learn from them; the public ones only measure.
OWN_SUFFIX = "_authored"


@dataclass(frozen=True, slots=True)
class Labelled:
    label: str
    group: str
    side: Side
    head: str


def read_corpus(directory: Path) -> dict[str, list[Labelled]]:
    """The scored rows of a labelled corpus (bench/corpus layout), by source id."""
    rows: dict[str, list[Labelled]] = {}
    for path in sorted(directory.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row.get("scored") != "yes" or not row.get("head"):
                    continue
                side: Side = "Cr" if row["side"] == "Cr" else "Dr"
                labelled = Labelled(row["label"], row["group"], side, row["head"])
                rows.setdefault(row["source"], []).append(labelled)
    return rows


def own_rows(
    corpus: Path, *, among: Iterable[str], leave_out: Iterable[str] = ()
) -> list[tuple[str, str, Side, str]]:
    """(label, group, side, head) of the scored rows of the project's own ledger lists
    under `corpus` that are `among` these sources (the development split: a list held
    out to measure is never learnt from), in file order, leaving out the sources named
    (a held-out fold)."""
    chosen = set(among) - set(leave_out)
    return [
        (row.label, row.group, row.side, row.head)
        for source, rows in read_corpus(corpus).items()
        if source.endswith(OWN_SUFFIX) and source in chosen
        for row in rows
        if row.head in HEADS_BY_ID
    ]


def dump(tree: dict) -> str:
    """The model file's text: sorted keys, no spaces, one trailing newline."""
    return json.dumps(tree, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
