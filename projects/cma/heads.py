"""The CMA heads of REFERENCE.md as code: what each line item is classified into.

Ids are stable (stored on line items, review decisions and learned labels); `item`
points at the printed form; `normal` is the side a positive balance sits on.
"""

from dataclasses import dataclass
from typing import Literal

Side = Literal["Dr", "Cr"]
Group = Literal["operating", "liabilities", "assets"]


@dataclass(frozen=True)
class Head:
    id: str
    item: str
    label: str
    normal: Side
    group: Group
    typical: str  # typical ledgers or statement lines, as REFERENCE.md lists them

    @property
    def form(self) -> str:
        """ "Form II" for the operating statement, "Form III" for the balance sheet."""
        return "Form II" if self.group == "operating" else "Form III"


HEADS: tuple[Head, ...] = (
    Head(
        "sales_domestic",
        "II.1.i",
        "Domestic sales",
        "Cr",
        "operating",
        "sales, revenue from operations, sale of products/services, local/interstate sales",
    ),
    Head(
        "sales_export",
        "II.1.ii",
        "Export sales",
        "Cr",
        "operating",
        "export sales, sales - export, overseas sales",
    ),
    Head(
        "duties_on_sales",
        "II.2",
        "Excise duty / taxes in sales",
        "Dr",
        "operating",
        "excise duty, GST on sales (only where sales are shown gross)",
    ),
    Head(
        "other_operating_income",
        "II.1 (other)",
        "Other operating income",
        "Cr",
        "operating",
        "export incentives, duty drawback, scrap sales, job work income",
    ),
    Head(
        "opening_stock_rm",
        "II.5",
        "Opening stock - raw materials",
        "Dr",
        "operating",
        "opening stock (raw material / WIP / finished goods)",
    ),
    Head(
        "opening_stock_wip",
        "II.5",
        "Opening stock - work in progress",
        "Dr",
        "operating",
        "opening stock (raw material / WIP / finished goods)",
    ),
    Head(
        "opening_stock_fg",
        "II.5",
        "Opening stock - finished goods",
        "Dr",
        "operating",
        "opening stock (raw material / WIP / finished goods)",
    ),
    Head(
        "purchases_rm",
        "II.5.i",
        "Purchases of raw materials",
        "Dr",
        "operating",
        "purchases, purchase of raw material, purchase - local/import",
    ),
    Head(
        "rm_consumed",
        "II.5.i",
        "Raw materials consumed",
        "Dr",
        "operating",
        "cost of materials consumed (use instead of purchases where given)",
    ),
    Head(
        "changes_in_inventories",
        "II.5.viii-xii",
        "Changes in inventories of FG/WIP",
        "Dr",
        "operating",
        "changes in inventories of finished goods, work-in-progress and stock-in-trade",
    ),
    Head(
        "spares_consumed",
        "II.5.ii",
        "Stores and spares consumed",
        "Dr",
        "operating",
        "stores & spares, consumables",
    ),
    Head(
        "power_fuel",
        "II.5.iii",
        "Power and fuel",
        "Dr",
        "operating",
        "electricity, power & fuel, diesel for generator",
    ),
    Head(
        "direct_labour",
        "II.5.iv",
        "Direct labour",
        "Dr",
        "operating",
        "wages, factory wages, contract labour",
    ),
    Head(
        "other_mfg_expenses",
        "II.5.v",
        "Other manufacturing expenses",
        "Dr",
        "operating",
        "freight inward, repairs to machinery, job work charges, factory rent",
    ),
    Head(
        "depreciation",
        "II.5.vi",
        "Depreciation",
        "Dr",
        "operating",
        "depreciation and amortisation",
    ),
    Head(
        "sga_expenses",
        "II.6",
        "Selling, general & administrative",
        "Dr",
        "operating",
        "salaries (office), rent, audit fees, travel, advertisement, commission, freight outward, office expenses, employee benefit expense (non-factory)",
    ),
    Head(
        "interest",
        "II.9",
        "Interest / finance costs",
        "Dr",
        "operating",
        "interest on CC/term loan, bank charges, finance costs",
    ),
    Head(
        "non_operating_income",
        "II.11.i",
        "Non-operating income",
        "Cr",
        "operating",
        "interest received, dividend, rent received, profit on sale of assets",
    ),
    Head(
        "non_operating_expenses",
        "II.11.ii",
        "Non-operating expenses",
        "Dr",
        "operating",
        "loss on sale of assets, prior-period items, donations",
    ),
    Head(
        "tax_provision",
        "II.13",
        "Provision for taxes",
        "Dr",
        "operating",
        "current tax, deferred tax, income tax expense",
    ),
    Head(
        "dividend",
        "II.15",
        "Dividend",
        "Dr",
        "operating",
        "dividend paid / proposed",
    ),
    Head(
        "bank_borrowings_wc",
        "III.1",
        "Short-term borrowings from banks",
        "Cr",
        "liabilities",
        "cash credit, CC, overdraft, OD, WCDL, packing credit, bills discounted; any bank account with a credit balance",
    ),
    Head(
        "st_borrowings_others",
        "III.2",
        "Short-term borrowings from others",
        "Cr",
        "liabilities",
        "short-term loans from NBFCs, inter-corporate deposits (short)",
    ),
    Head(
        "sundry_creditors",
        "III.3",
        "Sundry creditors (trade)",
        "Cr",
        "liabilities",
        "sundry creditors, trade payables, creditors for goods",
    ),
    Head(
        "advances_from_customers",
        "III.4",
        "Advances from customers",
        "Cr",
        "liabilities",
        "advance from customers, customer deposits; debtors with a credit balance",
    ),
    Head(
        "provision_for_tax",
        "III.5",
        "Provision for taxation",
        "Cr",
        "liabilities",
        "provision for income tax",
    ),
    Head(
        "dividend_payable",
        "III.6",
        "Dividend payable",
        "Cr",
        "liabilities",
        "",
    ),
    Head(
        "statutory_liabilities",
        "III.7",
        "Other statutory liabilities",
        "Cr",
        "liabilities",
        "GST payable, TDS payable, PF/ESI payable, professional tax",
    ),
    Head(
        "term_loan_current_maturities",
        "III.8",
        "Instalments of term loans due within a year",
        "Cr",
        "liabilities",
        "current maturities of long-term debt",
    ),
    Head(
        "other_current_liabilities",
        "III.9",
        "Other current liabilities & provisions",
        "Cr",
        "liabilities",
        "expenses payable, salary payable, audit fee payable, outstanding liabilities",
    ),
    Head(
        "debentures",
        "III.11",
        "Debentures (beyond a year)",
        "Cr",
        "liabilities",
        "",
    ),
    Head(
        "preference_shares",
        "III.12",
        "Redeemable preference shares",
        "Cr",
        "liabilities",
        "",
    ),
    Head(
        "term_loans",
        "III.13",
        "Term loans (beyond a year)",
        "Cr",
        "liabilities",
        "term loan, vehicle loan, machinery loan",
    ),
    Head(
        "deferred_payment_credits",
        "III.14",
        "Deferred payment credits",
        "Cr",
        "liabilities",
        "",
    ),
    Head(
        "term_deposits",
        "III.15",
        "Term deposits (beyond a year)",
        "Cr",
        "liabilities",
        "",
    ),
    Head(
        "other_term_liabilities",
        "III.16",
        "Other term liabilities",
        "Cr",
        "liabilities",
        "unsecured loans from directors/partners/relatives, deferred tax liability, long-term provisions (gratuity)",
    ),
    Head(
        "share_capital",
        "III.19",
        "Share / partners' / proprietor's capital",
        "Cr",
        "liabilities",
        "equity share capital, partners' capital accounts, capital account",
    ),
    Head(
        "drawings",
        "III.19 (less)",
        "Drawings",
        "Dr",
        "liabilities",
        "drawings (reduce capital)",
    ),
    Head(
        "general_reserve",
        "III.20",
        "General reserve",
        "Cr",
        "liabilities",
        "",
    ),
    Head(
        "revaluation_reserve",
        "III.21",
        "Revaluation reserve",
        "Cr",
        "liabilities",
        "",
    ),
    Head(
        "other_reserves",
        "III.22",
        "Other reserves",
        "Cr",
        "liabilities",
        "securities premium, capital reserve",
    ),
    Head(
        "pl_surplus",
        "III.23",
        "Surplus in profit and loss",
        "Cr",
        "liabilities",
        "surplus in statement of P&L, retained earnings, P&L account (a debit balance is a deficit)",
    ),
    Head(
        "cash_bank",
        "III.26",
        "Cash and bank balances",
        "Dr",
        "assets",
        "cash in hand, current account, bank accounts with a debit balance, cash and cash equivalents",
    ),
    Head(
        "current_investments",
        "III.27",
        "Current investments / fixed deposits",
        "Dr",
        "assets",
        "FD with bank, mutual funds (current)",
    ),
    Head(
        "receivables_domestic",
        "III.28.i",
        "Receivables (domestic)",
        "Dr",
        "assets",
        "sundry debtors, trade receivables; creditors with a debit balance go to advances_to_suppliers",
    ),
    Head(
        "receivables_export",
        "III.28.ii",
        "Export receivables",
        "Dr",
        "assets",
        "export debtors",
    ),
    Head(
        "inventory_rm",
        "III.30.i",
        "Raw materials",
        "Dr",
        "assets",
        "closing stock of raw material",
    ),
    Head(
        "inventory_wip",
        "III.30.ii",
        "Stock in process",
        "Dr",
        "assets",
        "work-in-progress",
    ),
    Head(
        "inventory_fg",
        "III.30.iii",
        "Finished goods",
        "Dr",
        "assets",
        "finished goods, stock-in-trade",
    ),
    Head(
        "inventory_spares",
        "III.30.iv",
        "Consumable spares",
        "Dr",
        "assets",
        "stores and spares",
    ),
    Head(
        "advances_to_suppliers",
        "III.31",
        "Advances to suppliers",
        "Dr",
        "assets",
        "advance to suppliers; creditors with a debit balance",
    ),
    Head(
        "advance_tax",
        "III.32",
        "Advance payment of taxes",
        "Dr",
        "assets",
        "advance tax, TDS receivable, self-assessment tax",
    ),
    Head(
        "other_current_assets",
        "III.33",
        "Other current assets",
        "Dr",
        "assets",
        "prepaid expenses, GST input credit, staff advances, short-term deposits",
    ),
    Head(
        "gross_block",
        "III.35",
        "Gross block",
        "Dr",
        "assets",
        "land, building, plant & machinery, furniture, vehicles, computers, capital WIP",
    ),
    Head(
        "accumulated_depreciation",
        "III.36",
        "Depreciation to date",
        "Cr",
        "assets",
        "accumulated depreciation, provision for depreciation",
    ),
    Head(
        "net_block",
        "III.37",
        "Net block",
        "Dr",
        "assets",
        "property, plant and equipment (net) - where only net figures are given",
    ),
    Head(
        "noncurrent_investments",
        "III.38.i",
        "Non-current investments",
        "Dr",
        "assets",
        "investments in subsidiaries, long-term investments",
    ),
    Head(
        "capital_advances",
        "III.38.ii",
        "Advances for capital goods",
        "Dr",
        "assets",
        "capital advances",
    ),
    Head(
        "other_noncurrent_assets",
        "III.40",
        "Other non-current assets",
        "Dr",
        "assets",
        "security deposits (long-term), dues from directors, long-term loans and advances",
    ),
    Head(
        "intangible_assets",
        "III.42",
        "Intangible assets",
        "Dr",
        "assets",
        "goodwill, patents, software, preliminary expenses, deferred revenue expenditure",
    ),
)

HEADS_BY_ID: dict[str, Head] = {head.id: head for head in HEADS}

GROUP_LABELS: dict[str, str] = {
    "operating": "Operating statement (Form II)",
    "liabilities": "Balance sheet - liabilities (Form III)",
    "assets": "Balance sheet - assets (Form III)",
}


def head(head_id: str) -> Head:
    """The head with this id; KeyError names the unknown id."""
    try:
        return HEADS_BY_ID[head_id]
    except KeyError:
        raise KeyError(f"Unknown CMA head {head_id!r}") from None


def head_title(head_id: str) -> str:
    """ "II.1.i Domestic sales" for people; an unknown or empty id as it is, or a dash."""
    found = HEADS_BY_ID.get(head_id)
    return f"{found.item} {found.label}" if found else head_id or "\u2014"


def head_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every head as "II.1.i Domestic sales", grouped by the form it is printed on."""
    return [
        (group_label, [(h.id, head_title(h.id)) for h in HEADS if h.group == group])
        for group, group_label in GROUP_LABELS.items()
    ]


def is_head(head_id: str) -> bool:
    return head_id in HEADS_BY_ID
