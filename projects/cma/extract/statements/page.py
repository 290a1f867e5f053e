"""Reading a page's lines into statement rows, with the state carried from page to page.

Titles, headings ("EQUITY AND LIABILITIES", "INCOME"), sub-headings, units, notes and
wrapped labels set the state; every line becomes a `StatementRow`. A line with figures
is not judged here: whether it is an item or a total is its arithmetic, which
`checksums` settles once the whole statement is read. Lines computed from others
(profit before tax, earnings per share) are marked as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from projects.cma.extract.numbers import unit_multiplier
from projects.cma.extract.statements.lines import (
    NOTE_REF,
    Column,
    Columns,
    Line,
    Parsed,
    header_line,
    parse_line,
    stacked_header,
)
from projects.cma.extract.statements.rows import (
    BALANCE_SHEET,
    NOTE,
    PROFIT_AND_LOSS,
    Figure,
    NoteTitle,
    StatementRow,
)
from projects.cma.records import ExtractedItem, ExtractionError, Side
from projects.cma.years import fiscal_year_label, fiscal_years_in

__all__ = ["BALANCE_SHEET", "PROFIT_AND_LOSS", "TOTAL_LABEL", "plain_label"]

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
    r"(?:face|nominal)\s+value|net\s+current\s+assets|other\s+comprehensive\s+income|"
    r"total\s+comprehensive\s+income)",
    re.IGNORECASE,
)
# The statement of profit and loss ends here; what follows is OCI, EPS and signatures.
_PROFIT_FOR_PERIOD = re.compile(
    r"^(?:net\s+)?(?:profit|\(?loss\)?|profit\s*/\s*\(?loss\)?)\s+(?:for\s+the|after\s+tax)\b",
    re.IGNORECASE,
)
_TOTAL = re.compile(r"^(?:grand\s+)?total\b", re.IGNORECASE)
# Worded like a total but an item: Schedule III splits trade payables into "total
# outstanding dues of micro enterprises and small enterprises" and "... of creditors other
# than micro enterprises and small enterprises".
_TOTAL_ITEM = re.compile(r"^total\s+outstanding\s+dues\b", re.IGNORECASE)
# "Total", "Grand total", "Total (A)", "Sub-total", and a line of figures with no words.
TOTAL_LABEL = re.compile(r"^(?:(?:grand|sub)[\s-]*)?total\b|^[^a-z]*$", re.IGNORECASE)
# A note to the accounts that details a face line: "Note 5: Long-term borrowings",
# "5. Short-term borrowings", "Note No. 14 Borrowings (non-current)".
_NOTE_TITLE = re.compile(
    r"^(?P<note>note\s*(?:no\.?\s*)?)?(?P<number>\d{1,2}(?:\.\d{1,2})?)\s*[.:)\-\u2013]?\s+"
    r"(?P<title>[a-z].*)$",
    re.IGNORECASE,
)
# The broad groups of a balance sheet: a new one ends the sub-headings before it.
_TOP_GROUP = re.compile(
    r"^(?:(?:non[\s-]*)?current\s+(?:assets|liabilities)|equity|liabilities|"
    r"shareholders?['\u2019]?\s*funds?|share\s*application\s+money.*)$",
    re.IGNORECASE,
)
_BORROWINGS = re.compile(
    r"^(?:(?:long|short)[\s-]*term\s+|(?:non[\s-]*)?current\s+)?borrowings\b", re.IGNORECASE
)
_INCOME_WORD = re.compile(r"\b(?:income|revenue)\b", re.IGNORECASE)
_LESS = re.compile(r"^less\b", re.IGNORECASE)
_CONNECTORS = frozenset(
    {"and", "of", "in", "for", "on", "to", "the", "from", "with", "&", "or", "by", "at", "under"}
)


@dataclass
class State:
    statement: str | None = None
    kind: str | None = None  # "liabilities", "assets", "income", "expenses"
    major: str = ""
    sub: str = ""
    columns: Columns | None = None
    unit: Decimal | None = None
    title_text: str = ""
    pending: list[str] = field(default_factory=list)
    last_items: list[int] = field(default_factory=list)  # the last row with figures
    headers: int = 0
    name: str = ""  # the file's name as uploaded, for messages
    rows: list[StatementRow] = field(default_factory=list)  # every line read, in order
    pending_rows: list[int] = field(default_factory=list)  # rows holding `pending`
    block: int = 0
    scope: int = 0
    sub_scope: int = 0
    note: NoteTitle | None = None
    subs: list[tuple[float, str]] = field(default_factory=list)  # (indent, sub-heading)
    preamble: set[str] = field(default_factory=set)  # lines read outside a statement


def plain_label(label: str) -> str:
    """A label without its list marker: "(B) total outstanding dues" -> "total outstanding..."."""
    return _ENUMERATOR.sub("", label).strip()


def is_total_label(label: str) -> bool:
    """Worded as a total, or figures without words; "total outstanding dues" is an item."""
    plain = plain_label(label)
    return TOTAL_LABEL.match(plain) is not None and _TOTAL_ITEM.match(plain) is None


# ----------------------------------------------------------------------------------------
# Reading a page
# ----------------------------------------------------------------------------------------


def read_page(
    number: int,
    lines: list[Line],
    state: State,
    items: list[ExtractedItem],
    fiscal_year: str | None,
    path: Path,
) -> None:
    """Adds a row to ``state.rows`` for every line of the page.

    ``items`` stays as it is: rows become items only once the whole file is read and its
    totals are checked (`checksums.resolve`).
    """
    state.pending = []
    state.pending_rows = []
    state.last_items = []
    name = state.name or path.name
    previous_was_item = False
    heading_until = -1  # lines up to this index are a wrapped column heading
    for index, line in enumerate(lines):
        text = line.text.strip()
        row = StatementRow(line.page, line.number, text, confidence=line.confidence)
        state.rows.append(row)
        if index <= heading_until:
            row.reason = "the column headings"
            continue
        header = header_line(line)
        if not header.is_header and (stacked := stacked_header(lines, index)) is not None:
            header, count = stacked
            heading_until = index + count - 1
        if header.two_sided and state.statement is not None:
            raise ExtractionError(
                f"{name} shows its statements in two sides (liabilities beside assets, or "
                "expenses beside income). Only the vertical Schedule III layout can be read "
                "from a PDF; upload the trial balance as Excel or CSV instead."
            )
        if header.is_header:
            state.columns = _make_columns(header.columns, header.note, state, fiscal_year, name)
            state.headers += 1
            unit = unit_multiplier(text)
            if unit is not None and (unit != _RUPEE or state.unit is None):
                state.unit = unit
            row.reason = "the column headings"
            previous_was_item = False
            continue
        parsed = parse_line(line, state.columns)
        if not parsed.amounts or _only_a_year(text, parsed):
            previous_was_item = _no_amount_line(row, line, lines, index, state, previous_was_item)
            continue
        previous_was_item = _amount_line(row, parsed, state)


def _only_a_year(text: str, parsed: Parsed) -> bool:
    """A centred title or period line whose year reaches into the figures' columns:
    "for the year ended 31st March, 2025" has no figure 2025."""
    if not fiscal_years_in(text):
        return False
    return all(
        parsed.quanta.get(column) == 1 and 1990 <= amount <= 2100 and side is None
        for column, (amount, side) in parsed.amounts.items()
    )


def _make_columns(
    columns: list[Column],
    note: tuple[float, float] | None,
    state: State,
    fiscal_year: str | None,
    name: str,
) -> Columns:
    if any(column.relative for column in columns):
        current = _current_year(state.title_text, fiscal_year, name)
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
    return Columns(columns, note, boundary)


def _current_year(title: str, fiscal_year: str | None, name: str) -> str:
    years = fiscal_years_in(title)
    if len(years) == 1:
        return years[0]
    if fiscal_year is not None:
        return fiscal_year
    raise ExtractionError(
        f"{name} heads its columns \u201cCurrent year\u201d and \u201cPrevious year\u201d "
        "but does not say which year is current. Choose the fiscal year for this file and "
        "process it again."
    )


def _heading(text: str) -> str:
    plain = _ENUMERATOR.sub("", text).strip().rstrip(":").strip()
    return re.sub(r"\s+", " ", plain.replace("&", "and")).lower()


def _new_kind(state: State, kind: str | None, major: str) -> None:
    state.kind, state.major, state.sub = kind, major, ""
    state.subs = []
    state.scope += 1
    state.sub_scope += 1


def _new_statement(state: State, statement: str | None) -> None:
    if statement != state.statement or statement == NOTE:
        state.block += 1
    state.statement = statement
    _new_kind(state, None, "")
    state.pending, state.pending_rows = [], []


def _no_amount_line(
    row: StatementRow,
    line: Line,
    lines: list[Line],
    index: int,
    state: State,
    previous_was_item: bool,
) -> bool:
    """Titles, units, headings, notes, sub-headings and wrapped labels. Returns False."""
    text = row.text
    note = _NOTE_TITLE.match(text)
    if note is not None and (note["note"] or state.statement in (None, NOTE)):
        if _BORROWINGS.match(note["title"]):
            _new_statement(state, NOTE)
            state.note = NoteTitle(note["number"], note["title"].strip().rstrip(":"))
            _new_kind(state, "liabilities", state.note.name)
            row.reason = "the title of a note that details the borrowings"
            return False
        if state.statement == NOTE:
            _new_statement(state, None)
            state.note = None
            row.reason = "the title of a note that is not read (only borrowings notes are)"
            return False
    if _STOP.match(text):
        _new_statement(state, None)
        state.note = None
        row.reason = "where the statement ends: notes, cash flows or signatures follow"
        return False
    title = _TITLE.match(text)
    if title is not None:
        _new_statement(state, BALANCE_SHEET if title.group("bs") else PROFIT_AND_LOSS)
        state.note = None
        state.title_text = text
        unit = unit_multiplier(text)
        if unit is not None:
            state.unit = unit
        row.reason = "the statement's title"
        return False
    unit = unit_multiplier(text)
    if unit is not None:
        state.unit = unit
        row.reason = "the unit the figures are in"
        return False
    previous = state.rows[-2] if len(state.rows) > 1 else None
    if (
        text[:1].islower()
        and previous is not None
        and previous.reason == "a sub-heading"
        and state.subs
    ):
        # "(a) Property, Plant and Equipment and Intangible" / "assets": the rest of a
        # wrapped sub-heading, not the ASSETS heading.
        x0, sub = state.subs[-1]
        state.subs[-1] = (x0, f"{sub} {text}")
        state.sub = " / ".join(part for _x0, part in state.subs)
        row.reason = f"the rest of the sub-heading on {previous.source}"
        return False
    heading = _heading(text)
    kind = _kind_of(heading)
    if kind is not None and kind == state.kind:
        # Ind AS prints "Liabilities" inside "EQUITY AND LIABILITIES": the same side goes on,
        # and "Total equity and liabilities" still adds up across it.
        _sub_heading(state, text, line)
        row.reason = "a heading"
        return False
    if kind is not None and state.statement != NOTE:
        if kind in ("liabilities", "assets") and state.statement != BALANCE_SHEET:
            _new_statement(state, BALANCE_SHEET)
        elif kind in ("income", "expenses") and state.statement != PROFIT_AND_LOSS:
            _new_statement(state, PROFIT_AND_LOSS)
        _new_kind(state, kind, _ENUMERATOR.sub("", text).strip().rstrip(":").strip())
        row.reason = "a heading"
        return False
    if state.statement is not None and text in state.preamble:
        row.reason = "a page header repeated from above the statement (the company's name)"
        return False
    if state.statement is None or state.columns is None:
        # Company name, period lines: what names the year of "Current year" columns.
        state.title_text = f"{state.title_text}\n{text}"
        state.preamble.add(text)
        row.reason = "outside the statements (a title, a period, a signature or a note)"
        return False
    if (
        previous_was_item
        and state.last_items
        and (text[:1].islower() or _unfinished(state.rows[state.last_items[-1]].label))
        # "(B) total outstanding dues…" after "(A) … small enterprises; and": a new item.
        and _ENUMERATOR.match(text) is None
    ):
        # The rest of the label just read, wrapped onto this line ("Changes in
        # inventories of finished goods, work-in-progress and" / "Stock-in-Trade").
        previous = state.rows[state.last_items[-1]]
        previous.label = join_label(previous.label, text)
        row.reason = f"the rest of the label on {previous.source}"
        return False
    following = lines[index + 1] if index + 1 < len(lines) else None
    if following is not None and _wraps_into(text, following, state.columns):
        state.pending.append(text)
        state.pending_rows.append(len(state.rows) - 1)
        row.reason = (
            f"the first part of the label on page {following.page}, line {following.number}"
        )
        return False
    _sub_heading(state, text, line)
    state.pending, state.pending_rows = [], []
    state.last_items = []
    row.reason = "a sub-heading"
    return False


def join_label(*parts: str) -> str:
    """A label printed over several lines, as one: "work-in-" + "progress" is one word."""
    label = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        hyphenated = label.endswith("-") and not label.endswith(" -") and part[:1].islower()
        label = f"{label}{part}" if hyphenated or not label else f"{label} {part}"
    return label


def _unfinished(label: str) -> bool:
    """A label that stops mid-phrase: its last word joins it to what follows."""
    words = label.split()
    return bool(words) and (
        label.endswith((",", "-", "(", "/")) or words[-1].lower() in _CONNECTORS
    )


def _sub_heading(state: State, text: str, line: Line) -> None:
    """Sub-headings nest by indentation: "Current liabilities / Financial liabilities"."""
    columns = state.columns
    last = line.words[-1] if line.words else None
    if (
        columns is not None
        and columns.note is not None
        and last is not None
        and len(line.words) > 1
    ):
        low, high = columns.note
        if low - 10 <= last.center <= high + 10 and NOTE_REF.match(last.text):
            # "(b) Trade payables   7": the note number is no part of the heading.
            text = " ".join(word.text for word in line.words[:-1])
    plain = _ENUMERATOR.sub("", text).strip().rstrip(":").strip()
    x0 = line.words[0].x0 if line.words else 0.0
    if _TOP_GROUP.match(plain):
        state.subs = []
    while state.subs and state.subs[-1][0] >= x0 - 1:
        state.subs.pop()
    state.subs.append((x0, plain))
    state.sub = " / ".join(text for _x0, text in state.subs)
    state.sub_scope += 1


def _leave_sub_headings(state: State, x0: float) -> None:
    """A line printed no deeper than a sub-heading is no longer under it; the broad
    groups ("Current liabilities") stay, as many statements print their lines flush
    with them."""
    while state.subs and state.subs[-1][0] >= x0 - 1 and not _TOP_GROUP.match(state.subs[-1][1]):
        state.subs.pop()
    state.sub = " / ".join(text for _x0, text in state.subs)


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


def _wraps_into(text: str, following: Line, columns: Columns) -> bool:
    """Whether a line without amounts is the first part of the next line's label."""
    parsed = parse_line(following, columns)
    if not parsed.amounts or not parsed.label_words:
        return False
    last = text.split()[-1].lower() if text.split() else ""
    if text.endswith((",", "-", "(", "/")) or last in _CONNECTORS:
        return True
    return parsed.label_words[0].text[:1].islower()


def _amount_line(row: StatementRow, parsed: Parsed, state: State) -> bool:
    """A line with figures, recorded for the checksums. Returns whether it may wrap on."""
    columns = state.columns
    assert columns is not None  # amounts are only found under a header
    words = " ".join(word.text for word in parsed.label_words)
    row.label = join_label(*state.pending, words)
    for position in state.pending_rows:
        state.rows[position].reason = f"the first part of the label on {row.source}"
    state.pending, state.pending_rows = [], []
    state.last_items = []
    row.note_ref = parsed.note
    for column, (amount, side) in sorted(parsed.amounts.items()):
        year = columns.amounts[column].year
        if year is not None:
            quantum = parsed.quanta.get(column, Decimal(0))
            row.figures[year] = Figure(amount, quantum, side)
    if state.statement is None:
        row.reason = "figures outside the balance sheet and the statement of profit and loss"
        return False
    if not row.figures:
        row.reason = "figures under a column that names no year"
        return False
    plain = plain_label(row.label)
    row.statement, row.kind, row.unit = state.statement, state.kind, state.unit
    row.block, row.scope, row.sub_scope = state.block, state.scope, state.sub_scope
    row.note = state.note
    natural: Side = "Dr" if state.kind in ("assets", "expenses") else "Cr"
    if _LESS.match(plain) or _LESS.match(state.sub):
        # "Less: Accumulated depreciation", "Less: Current liabilities" (old format).
        natural = "Cr" if natural == "Dr" else "Dr"
        row.subtracts = True
    row.natural = natural
    if parsed.label_words:
        _leave_sub_headings(state, parsed.label_words[0].x0)
    if state.note is not None:
        row.section = " / ".join(part for part in (state.note.name, state.sub) if part)
    else:
        row.section = " / ".join(part for part in (state.statement, state.major, state.sub) if part)
    if _DERIVED.match(plain):
        row.derived = "a line computed from others (a profit, earnings per share)"
        if state.statement == PROFIT_AND_LOSS and _PROFIT_FOR_PERIOD.match(plain):
            _new_statement(state, None)
        elif state.statement == PROFIT_AND_LOSS:
            _expenses_follow(state)  # after "Profit before tax" come taxes and exceptional items
            state.scope += 1  # the taxes' own total starts afresh
        return False
    if _TOTAL.match(plain) and state.statement == PROFIT_AND_LOSS and _INCOME_WORD.search(plain):
        # Expenses follow the total income even where no "EXPENSES" heading is printed.
        _expenses_follow(state)
    state.last_items = [len(state.rows) - 1]
    return True


def _expenses_follow(state: State) -> None:
    if state.kind != "expenses":
        _new_kind(state, "expenses", "")
