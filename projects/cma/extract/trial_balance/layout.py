"""Finding a trial balance table in a sheet by its header row, and what its columns mean.

Holds the shapes shared by the whole package (a sheet, the columns of one year's
balance, the layout of a table, a table found in a sheet) and the header reading: each
cell's role from its words, a header split over two rows, the title rows above it (its
year and unit), and which columns give the closing balance of each year.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from projects.cma.extract.numbers import parse_amount, unit_multiplier
from projects.cma.extract.text import cell_text
from projects.cma.years import fiscal_years_in

# Tally and most software print at most a dozen title rows; 30 leaves room for letterheads.
HEADER_ROWS = 30
# "Closing Balance as on 31-Mar-2024 (Dr)" is as long as column headers get.
_MAX_HEADER_WORDS = 9

# Header words. A cell's role comes from the words in it, checked in the order of _header().
_IGNORED_WORDS = frozenset(
    {"quantity", "qty", "rate", "code", "sr", "sl", "serial", "no", "number", "unit", "uom", "id"}
)
_DEBIT_WORDS = frozenset({"debit", "debits", "dr"})
_CREDIT_WORDS = frozenset({"credit", "credits", "cr"})
_BALANCE_WORDS = frozenset(
    {"balance", "balances", "amount", "amounts", "value", "closing", "net", "rs", "inr", "rupees"}
)
_GROUP_WORDS = frozenset(
    {"group", "groups", "under", "parent", "schedule", "category", "classification", "grouping"}
)
_LABEL_WORDS = frozenset(
    {
        "particulars",
        "particular",
        "ledger",
        "ledgers",
        "account",
        "accounts",
        "description",
        "item",
        "items",
        "name",
        "names",
        "head",
        "heads",
        "details",
    }
)
_OPENING_WORDS = frozenset({"opening"})
_MOVEMENT_WORDS = frozenset(
    {"transaction", "transactions", "during", "inward", "inwards", "outward", "outwards"}
)
_WORD = re.compile(r"[a-z]+|\d+")
# A note on how a balance column shows its side ("(Cr balances negative)", "credits in
# brackets"): it says how to read the figures, not which side the column holds.
_SIGN_NOTE = re.compile(
    r"\(?[^()]*\b(?:negative|minus|brackets?|parenthes[ie]s)\b[^()]*\)?", re.IGNORECASE
)
# A header of three rows at most: the period, then "Closing Balance", then Debit | Credit.
_HEADER_CONTINUATIONS = 2

# Columns of a list of transactions (a bank statement, a ledger account, a day book), which
# a trial balance never has: it lists each ledger once, with no dates.
_TRANSACTION_WORDS = frozenset(
    {
        "date",
        "narration",
        "cheque",
        "chq",
        "withdrawal",
        "withdrawals",
        "deposit",
        "deposits",
        "vch",
        "voucher",
        "txn",
        "utr",
        "instrument",
    }
)
# Rows sampled to see whether an unlabelled column beside an amount column holds figures.
_SAMPLE_ROWS = 400

# A stock statement to the bank or a valuation sheet holds closing stock only.
_STOCK_TITLE = re.compile(
    r"closing\s+stock|stock\s+(?:summary|statement|valuation|status)|inventory\s+valuation",
    re.IGNORECASE,
)
_TB_TITLE = re.compile(r"trial\s+balance", re.IGNORECASE)


@dataclass
class Sheet:
    """One table-shaped source: a worksheet, or the whole CSV file."""

    name: str  # the sheet's name, or the CSV file's name
    rows: Sequence[Sequence[object]]
    # How a cell is cited: "Trial Balance!A12" or "trial-balance.csv line 5".
    cite: Callable[[int, int], str]
    csv: bool = False
    # Given the label column: row index -> that cell's indent format (xlsx only; leading
    # spaces are in the text itself).
    indents_of: Callable[[int], dict[int, int]] | None = None
    # How a run of rows is cited: "Trial Balance!A12:A15" or "lines 12-15".
    cite_rows: Callable[[int, int], str] | None = None


@dataclass
class Slot:
    """The columns that give one year's balance."""

    year: str | None  # from the column header; None: the sheet's year
    dr: int | None = None
    cr: int | None = None
    bal: int | None = None
    side: int | None = None  # a separate "Dr/Cr" column next to a balance column
    # Unlabelled columns beside the labelled ones that hold figures too: Tally prints a
    # ledger's figure and its group's subtotal in two columns under one "Debit" heading.
    # Role ("dr", "cr", "bal") -> column, to the left (inner) or right (outer).
    inner: dict[str, int] = field(default_factory=dict)
    outer: dict[str, int] = field(default_factory=dict)


@dataclass
class Layout:
    header_row: int
    data_start: int
    label: int
    group: int | None
    slots: list[Slot]
    header_label: str  # the label column's header, to recognise it repeated on a new page
    title: str  # the text above the header: company, "Trial Balance", the period
    unit: Decimal | None  # "Amount in lakhs" above or in the header
    stock: bool  # a closing-stock table
    # The header of a column only a list of transactions has ("Date", "Narration"): such a
    # table is a bank statement or a ledger account, not a trial balance.
    transactions: str = ""


@dataclass
class Found:
    sheet: Sheet
    layout: Layout
    year: str | None  # named by the title rows or the sheet's name


# ----------------------------------------------------------------------------------------
# Finding the table
# ----------------------------------------------------------------------------------------


def text_of(cell: object) -> str:
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # a ledger named "4001" is stored as the number 4001.0
    if isinstance(cell, int | float):
        return str(cell)
    return cell_text(cell).strip() if cell is not None else ""


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower().replace("\u20b9", " rs ")))


def _sentence(words: set[str]) -> bool:
    """Too many words for a column's name: a title or a sentence. The figures of a date
    ("1-Apr-2024 to 31-Mar-2025 Closing Balance Debit") do not count."""
    return sum(1 for word in words if not word.isdigit()) > _MAX_HEADER_WORDS


@dataclass(frozen=True)
class _Header:
    role: str | None  # "label", "group", "dr", "cr", "bal", "side" or None
    year: str | None
    phase: str | None  # "opening", "movement", "closing" or None


def _header(text: str) -> _Header:
    text = _SIGN_NOTE.sub(" ", text).strip()
    if not text:
        return _Header(None, None, None)
    words = _words(text)
    if _sentence(words):
        return _Header(None, None, None)
    years = fiscal_years_in(text) if any(char.isdigit() for char in text) else []
    year = years[0] if len(years) == 1 else None
    phase = (
        "closing"
        if "closing" in words
        else "opening"
        if words & _OPENING_WORDS
        else "movement"
        if words & _MOVEMENT_WORDS
        else None
    )
    if words & _IGNORED_WORDS or "%" in text:
        return _Header(None, None, None)
    has_dr, has_cr = bool(words & _DEBIT_WORDS), bool(words & _CREDIT_WORDS)
    if has_dr and has_cr:
        # "Dr/Cr" alone marks the side of the balance beside it; "Balance Dr/Cr" is a balance.
        role = "bal" if words & _BALANCE_WORDS or year else "side"
    elif has_dr:
        role = "dr"
    elif has_cr:
        role = "cr"
    elif words & _GROUP_WORDS:
        role = "group"
    elif words & _BALANCE_WORDS or year:
        role = "bal"
    elif words & _LABEL_WORDS:
        role = "label"
    else:
        role = None
    return _Header(role, year, phase)


def find_layout(rows: Sequence[Sequence[object]], *, stock: bool) -> Layout | None:
    for index, row in enumerate(rows[:HEADER_ROWS]):
        texts = [text_of(cell) for cell in row]
        headers = [_header(text) for text in texts]
        if not _is_header(headers):
            continue
        data_start = index + 1
        for _ in range(_HEADER_CONTINUATIONS):
            below = rows[data_start] if data_start < len(rows) else []
            if not _is_header_continuation(below, headers):
                break
            # "Closing Balance" above "Debit | Credit": one header in two rows, or three
            # with the period above both (Tally's comparative columns, one per year).
            texts = _merge_header_rows(texts, headers, [text_of(cell) for cell in below])
            headers = [_header(text) for text in texts]
            data_start += 1
        layout = _layout(rows, index, data_start, texts, headers, stock=stock)
        if layout is not None:
            return layout
    return None


def _is_header(headers: list[_Header]) -> bool:
    roles = [header.role for header in headers]
    amounts = sum(1 for role in roles if role in ("dr", "cr", "bal"))
    if ("label" in roles or "group" in roles) and amounts:
        # "Category | Value": a stock statement's categories are its lines.
        return True
    if "dr" in roles and "cr" in roles:
        return True
    return sum(1 for header in headers if header.role == "bal" and header.year) >= 2


def _is_header_continuation(row: Sequence[object], upper: list[_Header]) -> bool:
    label = next((column for column, header in enumerate(upper) if header.role == "label"), None)
    if label is not None and label < len(row) and text_of(row[label]):
        return False  # a ledger's name: the data has begun
    for cell in row:
        # A first ledger such as "Capital | 1,54,030.01 Cr" has a "Cr" too, and an amount.
        parsed = parse_amount(cell) if cell != "" else None
        if parsed is not None and parsed[0]:
            return False
    # "Debit | Credit" under "Closing Balance"; "Quantity | Rate | Value" under it in stock.
    return any(_header(text_of(cell)).role in ("dr", "cr", "bal") for cell in row)


def _merge_header_rows(
    upper: list[str], upper_headers: list[_Header], lower: list[str]
) -> list[str]:
    width = max(len(upper), len(lower))
    merged: list[str] = []
    carried = ""
    for column in range(width):
        top = upper[column] if column < len(upper) else ""
        bottom = lower[column] if column < len(lower) else ""
        if top:
            role = upper_headers[column].role
            # A merged cell ("Closing Balance" over two columns) is stored in its first column.
            carried = top if role not in ("label", "group", None) else ""
        elif bottom:
            top = carried
        merged.append(f"{top} {bottom}".strip())
    return merged


def _layout(
    rows: Sequence[Sequence[object]],
    header_row: int,
    data_start: int,
    texts: list[str],
    headers: list[_Header],
    *,
    stock: bool,
) -> Layout | None:
    amount_columns = [
        (column, header)
        for column, header in enumerate(headers)
        if header.role in ("dr", "cr", "bal", "side")
    ]
    phases = {header.phase for _, header in amount_columns if header.role != "side"}
    # Opening balances and the year's transactions sit beside the closing balance in
    # fuller exports; only the closing balance is the trial balance.
    if "closing" in phases:
        keep = {"closing"}
    elif None in phases:
        keep = {None}
    else:
        keep = phases
    slots: dict[str | None, Slot] = {}
    order: list[Slot] = []
    last_balance: Slot | None = None
    replaced: dict[int, Slot] = {}  # id of a slot -> the pair of its year it replaced
    for column, header in amount_columns:
        if header.role == "side":
            if last_balance is not None and last_balance.side is None:
                last_balance.side = column
            continue
        if header.phase not in keep:
            continue
        slot = slots.get(header.year)
        role = header.role
        if slot is None or getattr(slot, role) is not None:
            # A second Debit column for the same year starts a new pair: the last wins.
            previous, slot = slot, Slot(header.year)
            if previous is not None:
                replaced[id(slot)] = previous
            slots[header.year] = slot
            order.append(slot)
        setattr(slot, role, column)
        last_balance = slot if role == "bal" else None
    chosen = [slot for slot in order if slots.get(slot.year) is slot]
    for slot in chosen:
        if slot.bal is not None and (slot.dr is not None or slot.cr is not None):
            slot.bal = slot.side = None  # debit and credit columns say more than a net figure
    if not chosen:
        return None
    sample = rows[data_start : data_start + _SAMPLE_ROWS]
    for slot in chosen:
        previous = replaced.get(id(slot))
        if previous is not None and _one_pair_a_row(sample, previous, slot):
            # Tally's detailed print: two Debit | Credit pairs under one "Closing Balance",
            # the inner for ledgers and sub-groups, the outer for top-level groups.
            slot.inner = {
                role: c
                for role in ("dr", "cr", "bal")
                if (c := getattr(previous, role)) is not None
            }
    amount_indexes = {c for _, c in _slot_columns(chosen)}
    amount_indexes |= {c for slot in chosen for c in slot.inner.values()}
    transactions = next(
        (
            texts[c]
            for c, h in enumerate(headers)
            if h.role in (None, "label") and _words(texts[c]) & _TRANSACTION_WORDS
        ),
        "",
    )
    label = next((c for c, h in enumerate(headers) if h.role == "label"), None)
    if label is None:
        first_amount = min(amount_indexes)
        label = next(
            (c for c in range(first_amount) if headers[c].role not in ("group",)),
            next((c for c in range(first_amount) if headers[c].role == "group"), 0),
        )
    group = next((c for c, h in enumerate(headers) if h.role == "group"), None)
    if group is not None and label == group:
        group = None  # the only text column: its categories are the lines themselves
    used = amount_indexes | {label} | ({group} if group is not None else set())
    _neighbours(rows[data_start : data_start + _SAMPLE_ROWS], texts, chosen, used)
    title = "\n".join(
        " ".join(text_of(cell) for cell in row if text_of(cell)) for row in rows[:header_row]
    )
    unit = unit_multiplier(title) or next(
        (u for text in texts if text and (u := unit_multiplier(text)) is not None), None
    )
    return Layout(
        header_row=header_row,
        data_start=data_start,
        label=label,
        group=group,
        slots=chosen,
        header_label=texts[label].lower() if label < len(texts) else "",
        title=title,
        unit=unit if unit != 1 else None,
        # A trial balance's title may mention closing stock ("closing stock marked").
        stock=stock or (_STOCK_TITLE.search(title) is not None and not _TB_TITLE.search(title)),
        transactions=transactions,
    )


def _neighbours(
    sample: Sequence[Sequence[object]], texts: list[str], slots: list[Slot], used: set[int]
) -> None:
    """Finds the unlabelled figure columns right beside each slot's labelled ones."""
    taken = set(used)
    for slot in slots:
        for role in ("dr", "cr", "bal"):
            column = getattr(slot, role)
            if column is None:
                continue
            for neighbour, where in ((column + 1, slot.outer), (column - 1, slot.inner)):
                if neighbour < 0 or neighbour in taken:
                    continue
                if neighbour < len(texts) and texts[neighbour]:
                    continue
                if _holds_figures(sample, neighbour):
                    where[role] = neighbour
                    taken.add(neighbour)


def _one_pair_a_row(sample: Sequence[Sequence[object]], inner: Slot, outer: Slot) -> bool:
    """Whether each row has figures in one of the two pairs only, and both pairs in some
    row: two levels of one balance, not two balances (opening and closing) side by side."""
    seen = [False, False]
    for row in sample:
        filled = []
        for pair in (inner, outer):
            columns = [c for c in (pair.dr, pair.cr, pair.bal) if c is not None and c < len(row)]
            filled.append(any(_figure(row[c]) for c in columns))
        if all(filled):
            return False
        seen = [a or b for a, b in zip(seen, filled, strict=True)]
    return all(seen)


def _figure(cell: object) -> bool:
    if cell is None or cell == "":
        return False
    parsed = parse_amount(cell)
    return parsed is not None and bool(parsed[0])


def _holds_figures(sample: Sequence[Sequence[object]], column: int) -> bool:
    seen = False
    for row in sample:
        if column >= len(row):
            continue
        cell = row[column]
        if cell is None or cell == "":
            continue
        parsed = parse_amount(cell)
        if parsed is None:
            return False  # words in it: a note or a code column, not figures
        seen = seen or bool(parsed[0])
    return seen


def _slot_columns(slots: list[Slot]) -> list[tuple[str, int]]:
    return [
        (name, column)
        for slot in slots
        for name in ("dr", "cr", "bal", "side")
        if (column := getattr(slot, name)) is not None
    ]
