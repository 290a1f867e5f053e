"""Reading a page's lines into line items, with the state carried from page to page.

Titles, headings ("EQUITY AND LIABILITIES", "INCOME"), sub-headings, units and wrapped
labels set the state; a line with amounts becomes an item per year, unless it is a total
(kept for the balance sheet's check) or a line computed from others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from projects.cma.extract.numbers import PAISA, unit_multiplier
from projects.cma.extract.statements.lines import (
    _Column,
    _Columns,
    _header_line,
    _Line,
    _parse_line,
    _Parsed,
)
from projects.cma.records import ExtractedItem, ExtractionError, Side
from projects.cma.years import fiscal_year_label, fiscal_years_in

BALANCE_SHEET = "Balance Sheet"
PROFIT_AND_LOSS = "Statement of Profit and Loss"

_RUPEE = Decimal(1)

# Statement titles, on a line without amounts.
_TITLE = re.compile(
    r"^(?:(?:standalone|consolidated|abridged|audited|provisional)\s+)?(?:"
    r"(?P<bs>balance\s+sheet)"
    r"|(?P<pl>statement\s+of\s+profit\s+(?:and|&)\s+loss|(?:trading\s+(?:and|&)\s+)?profit\s+"
    r"(?:and|&)\s+loss\s+(?:account|a/c|statement)|income\s+(?:and|&)\s+expenditure)"
    r")",
    re.IGNORECASE,
)
# Where the statements end and notes, cash flows or signatures begin.
_STOP = re.compile(
    r"^(?:see\s+accompanying|the\s+accompanying\s+notes|notes?\s+(?:to|forming)|"
    r"(?:summary\s+of\s+)?significant\s+accounting|as\s+per\s+our\s+report|"
    r"in\s+terms\s+of\s+our\s+report|for\s+and\s+on\s+behalf|(?:statement\s+of\s+)?cash\s+flows?|"
    r"statement\s+of\s+changes\s+in\s+equity|place\s*:|date\s*:|chartered\s+accountants|"
    r"firm'?s?\s+registration)",
    re.IGNORECASE,
)
# "I.", "(1)", "A.", "(a)", "iv)": list markers before a heading or a line.
_ENUMERATOR = re.compile(
    r"^\s*(?:\(\s*(?:[ivxlcdm]+|[a-z]|\d{1,2})\s*\)|(?:[ivxlcdm]+|[a-z]|\d{1,2})[.)])\s*",
    re.IGNORECASE,
)
_LIABILITY_HEADINGS = frozenset(
    {
        "equity and liabilities",
        "liabilities",
        "sources of funds",
        "source of funds",
        "capital and liabilities",
        "liabilities and equity",
        "equity and liability",
    }
)
_ASSET_HEADINGS = frozenset({"assets", "application of funds", "applications of funds"})
_INCOME_HEADINGS = frozenset({"income", "incomes", "revenue", "revenues"})
_EXPENSE_HEADINGS = frozenset({"expenses", "expense", "expenditure", "expenditures"})
# Lines computed from others: kept out of the items, or the profit would count twice.
_DERIVED = re.compile(
    r"^(?:(?:net\s+)?(?:profit|\(?loss\)?|profit\s*/\s*\(?loss\)?|\(?profit\)?\s*/\s*loss)"
    r"\s+(?:before|after|for|from)\b|(?:gross|net)\s+(?:profit|loss)\b|earnings\s+per|eps\b|"
    r"basic\b|diluted\b|weighted\s+average|(?:number|no\.?)\s+of\s+(?:equity\s+)?shares|"
    r"(?:face|nominal)\s+value|net\s+current\s+assets|other\s+comprehensive\s+income)",
    re.IGNORECASE,
)
# The statement of profit and loss ends here; what follows is OCI, EPS and signatures.
_PROFIT_FOR_PERIOD = re.compile(
    r"^(?:net\s+)?(?:profit|\(?loss\)?|profit\s*/\s*\(?loss\)?)\s+(?:for\s+the|after\s+tax)\b",
    re.IGNORECASE,
)
_TOTAL = re.compile(r"^(?:grand\s+)?total\b", re.IGNORECASE)
_INCOME_WORD = re.compile(r"\b(?:income|revenue)\b", re.IGNORECASE)
_LESS = re.compile(r"^less\b", re.IGNORECASE)
_CONNECTORS = frozenset(
    {"and", "of", "in", "for", "on", "to", "the", "from", "with", "&", "or", "by", "at", "under"}
)


@dataclass
class _State:
    statement: str | None = None
    kind: str | None = None  # "liabilities", "assets", "income", "expenses"
    major: str = ""
    sub: str = ""
    columns: _Columns | None = None
    unit: Decimal | None = None
    title_text: str = ""
    pending: list[str] = field(default_factory=list)
    last_items: list[int] = field(default_factory=list)
    # (year, side) -> total printed on the balance sheet
    totals: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    sums: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    lines_in: dict[tuple[str, str], int] = field(default_factory=dict)
    headers: int = 0


# ----------------------------------------------------------------------------------------
# Reading a page
# ----------------------------------------------------------------------------------------


def _read_page(
    number: int,
    lines: list[_Line],
    state: _State,
    items: list[ExtractedItem],
    fiscal_year: str | None,
    path: Path,
) -> None:
    state.pending = []
    state.last_items = []
    previous_was_item = False
    for index, line in enumerate(lines):
        text = line.text.strip()
        header = _header_line(line)
        if header.two_sided and state.statement is not None:
            raise ExtractionError(
                f"{path.name} shows its statements in two sides (liabilities beside assets, or "
                "expenses beside income). Only the vertical Schedule III layout can be read "
                "from a PDF; upload the trial balance as Excel or CSV instead."
            )
        if header.is_header:
            state.columns = _make_columns(header.columns, header.note, state, fiscal_year, path)
            state.headers += 1
            unit = unit_multiplier(text)
            if unit is not None:
                state.unit = unit
            previous_was_item = False
            continue
        parsed = _parse_line(line, state.columns)
        if not parsed.amounts:
            previous_was_item = _no_amount_line(
                text, line, lines, index, state, items, previous_was_item
            )
            continue
        previous_was_item = _amount_line(parsed, line, state, items)


def _make_columns(
    columns: list[_Column],
    note: tuple[float, float] | None,
    state: _State,
    fiscal_year: str | None,
    path: Path,
) -> _Columns:
    if any(column.relative for column in columns):
        current = _current_year(state.title_text, fiscal_year, path)
        start = int(current[:4])
        for column in columns:
            if column.relative == "current":
                column.year = current
            elif column.relative == "previous":
                column.year = fiscal_year_label(start - 1)
    first = columns[0]
    boundary = first.x0 - max(20.0, first.x1 - first.x0)
    if note is not None:
        boundary = max(boundary, note[1] + 1.0)
    return _Columns(columns, note, boundary)


def _current_year(title: str, fiscal_year: str | None, path: Path) -> str:
    years = fiscal_years_in(title)
    if len(years) == 1:
        return years[0]
    if fiscal_year is not None:
        return fiscal_year
    raise ExtractionError(
        f"{path.name} heads its columns \u201cCurrent year\u201d and \u201cPrevious year\u201d "
        "but does not say which year is current. Choose the fiscal year for this file and "
        "process it again."
    )


def _heading(text: str) -> str:
    plain = _ENUMERATOR.sub("", text).strip().rstrip(":").strip()
    return re.sub(r"\s+", " ", plain.replace("&", "and")).lower()


def _no_amount_line(
    text: str,
    line: _Line,
    lines: list[_Line],
    index: int,
    state: _State,
    items: list[ExtractedItem],
    previous_was_item: bool,
) -> bool:
    """Titles, units, headings, sub-headings and wrapped labels. Returns False."""
    if _STOP.match(text):
        state.statement, state.kind, state.major, state.sub = None, None, "", ""
        state.pending = []
        return False
    title = _TITLE.match(text)
    if title is not None:
        state.statement = BALANCE_SHEET if title.group("bs") else PROFIT_AND_LOSS
        state.kind, state.major, state.sub = None, "", ""
        state.title_text = text
        state.pending = []
        unit = unit_multiplier(text)
        if unit is not None:
            state.unit = unit
        return False
    unit = unit_multiplier(text)
    if unit is not None:
        state.unit = unit
        return False
    heading = _heading(text)
    kind = _kind_of(heading)
    if kind is not None:
        if kind in ("liabilities", "assets") and state.statement != BALANCE_SHEET:
            state.statement = BALANCE_SHEET
        elif kind in ("income", "expenses") and state.statement != PROFIT_AND_LOSS:
            state.statement = PROFIT_AND_LOSS
        state.kind = kind
        state.major = _ENUMERATOR.sub("", text).strip().rstrip(":").strip()
        state.sub = ""
        state.pending = []
        return False
    if state.statement is None or state.columns is None:
        # Company name, period lines: what names the year of "Current year" columns.
        state.title_text = f"{state.title_text}\n{text}"
        return False
    if previous_was_item and text[:1].islower() and state.last_items:
        # The rest of the label just read, wrapped onto this line.
        for position in state.last_items:
            item = items[position]
            items[position] = replace(item, label=f"{item.label} {text}")
        return False
    following = lines[index + 1] if index + 1 < len(lines) else None
    if following is not None and _wraps_into(text, following, state.columns):
        state.pending.append(text)
        return False
    state.sub = _ENUMERATOR.sub("", text).strip().rstrip(":").strip()
    state.pending = []
    state.last_items = []
    return False


def _kind_of(heading: str) -> str | None:
    if heading in _LIABILITY_HEADINGS:
        return "liabilities"
    if heading in _ASSET_HEADINGS:
        return "assets"
    if heading in _INCOME_HEADINGS:
        return "income"
    if heading in _EXPENSE_HEADINGS:
        return "expenses"
    return None


def _wraps_into(text: str, following: _Line, columns: _Columns) -> bool:
    """Whether a line without amounts is the first part of the next line's label."""
    parsed = _parse_line(following, columns)
    if not parsed.amounts or not parsed.label_words:
        return False
    last = text.split()[-1].lower() if text.split() else ""
    if text.endswith((",", "-", "(", "/")) or last in _CONNECTORS:
        return True
    return parsed.label_words[0].text[:1].islower()


def _amount_line(parsed: _Parsed, line: _Line, state: _State, items: list[ExtractedItem]) -> bool:
    """An item, a total or a derived line. Returns whether items were added."""
    columns = state.columns
    assert columns is not None  # amounts are only found under a header
    label = " ".join([*state.pending, " ".join(word.text for word in parsed.label_words)]).strip()
    state.pending = []
    state.last_items = []
    if state.statement is None or not label:
        return False
    plain = _ENUMERATOR.sub("", label).strip()
    unit = state.unit or _RUPEE
    if _TOTAL.match(plain):
        if state.statement == PROFIT_AND_LOSS and _INCOME_WORD.search(plain):
            # Expenses follow the total income even where no "EXPENSES" heading is printed.
            _expenses_follow(state)
        if state.statement == BALANCE_SHEET and state.kind in ("liabilities", "assets"):
            for column, (amount, _side) in parsed.amounts.items():
                year = columns.amounts[column].year
                if year is not None:
                    state.totals[(year, state.kind)] = _scaled(abs(amount), unit)
        return False
    if _DERIVED.match(plain):
        if state.statement == PROFIT_AND_LOSS and _PROFIT_FOR_PERIOD.match(plain):
            state.statement, state.kind, state.major, state.sub = None, None, "", ""
        elif state.statement == PROFIT_AND_LOSS:
            _expenses_follow(state)  # after "Profit before tax" come taxes and exceptional items
        return False
    natural: Side = "Dr" if state.kind in ("assets", "expenses") else "Cr"
    if _LESS.match(plain) or _LESS.match(state.sub):
        # "Less: Accumulated depreciation", "Less: Current liabilities" (old format).
        natural = "Cr" if natural == "Dr" else "Dr"
    section = " / ".join(part for part in (state.statement, state.major, state.sub) if part)
    source = f"page {line.page}, line {line.number}"
    added = False
    for column, (amount, side) in sorted(parsed.amounts.items()):
        year = columns.amounts[column].year
        if year is None or not amount:
            continue
        side = side or natural
        if amount < 0:
            amount, side = -amount, ("Cr" if side == "Dr" else "Dr")
        rupees = _scaled(amount, unit)
        if state.statement == BALANCE_SHEET and state.kind in ("liabilities", "assets"):
            key = (year, state.kind)
            normal = "Cr" if state.kind == "liabilities" else "Dr"
            state.sums[key] = state.sums.get(key, Decimal(0)) + (
                rupees if side == normal else -rupees
            )
            state.lines_in[key] = state.lines_in.get(key, 0) + 1
        state.last_items.append(len(items))
        items.append(
            ExtractedItem(
                year=year,
                label=label,
                amount=rupees,
                side=side,
                source=source,
                section=section,
                basis="statements",
            )
        )
        added = True
    return added


def _expenses_follow(state: _State) -> None:
    if state.kind != "expenses":
        state.kind, state.major, state.sub = "expenses", "", ""


def _scaled(amount: Decimal, unit: Decimal) -> Decimal:
    return (amount * unit).quantize(PAISA, rounding=ROUND_HALF_UP)
