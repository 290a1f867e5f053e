"""Schedule III balance sheets and statements of profit and loss from a PDF's text layer.

Lines are rebuilt from word positions, not from the page's plain text: amounts belong to
the year whose column header they sit under, and a long label can run into the "Note"
column (plain text then reads "work-in-progre2ss1"). Words are taken in the PDF's own
drawing order, so a label and a note number printed over each other stay apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from projects.cma.extract.numbers import PAISA, format_inr, parse_amount, unit_multiplier
from projects.cma.records import ExtractedItem, Extraction, ExtractionError, Side
from projects.cma.years import fiscal_year_label, fiscal_years_in

__all__ = ["extract_pdf"]

Progress = Callable[[int, int], None]

BALANCE_SHEET = "Balance Sheet"
PROFIT_AND_LOSS = "Statement of Profit and Loss"

_RUPEE = Decimal(1)
# Fewer characters than this on a page is a stamp or a page number, not a statement.
_MIN_CHARS = 25

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
_NOTE_HEADER = re.compile(
    r"^(?:notes?|note\s*no\.?|notes?\s*ref\.?|sch(?:edule)?\.?(?:\s*no\.?)?)$", re.I
)
_NOTE_REF = re.compile(r"^\d{1,3}(?:\.\d{1,2})?(?:\s*\(?[a-z]\)?)?$|^[a-z]$", re.IGNORECASE)
_YEAR_WORD = re.compile(r"\b(?:year|period)\b", re.IGNORECASE)
# "Amount", "Amount (Rs.)", "(₹)": one column of the year the title names.
_AMOUNT_HEADER = re.compile(r"^(?:amount\b|\(?\s*(?:rs\.?|\u20b9|inr)\s*\)?$)", re.IGNORECASE)
# A header with one of each is a two-sided ("T") statement: liabilities left, assets right.
_T_SIDES = {
    "liabilities": "left",
    "capital and liabilities": "left",
    "expenditure": "left",
    "expenses": "left",
    "dr": "left",
    "assets": "right",
    "property and assets": "right",
    "income": "right",
    "cr": "right",
}
_CURRENT = re.compile(r"\b(?:current|this)\b", re.IGNORECASE)
_PREVIOUS = re.compile(r"\b(?:previous|prior|last|preceding)\b", re.IGNORECASE)
# A column header is short; a title that names a date is not one.
_NOT_HEADER_WORDS = re.compile(
    r"sheet|statement|profit|loss|limited|ltd|private|company|account", re.IGNORECASE
)
_AMOUNT_PARTS = frozenset({"(", ")", "dr", "cr", "dr.", "cr.", "\u20b9", "rs", "rs.", "inr"})
_CONNECTORS = frozenset(
    {"and", "of", "in", "for", "on", "to", "the", "from", "with", "&", "or", "by", "at", "under"}
)


@dataclass
class _Word:
    text: str
    x0: float
    x1: float
    top: float
    height: float

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class _Line:
    page: int  # 1-based
    number: int  # 1-based, within the page
    words: list[_Word]

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


@dataclass
class _Column:
    x0: float
    x1: float
    year: str | None
    relative: str | None  # "current" / "previous" when the header names no date


@dataclass
class _Columns:
    amounts: list[_Column]
    note: tuple[float, float] | None
    boundary: float  # words right of this may be amounts


@dataclass
class _Parsed:
    label_words: list[_Word]
    amounts: dict[int, tuple[Decimal, Side | None]]  # column index -> amount


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


def extract_pdf(
    path: Path, *, fiscal_year: str | None, progress: Progress | None = None
) -> Extraction:
    """The balance sheet and statement of profit and loss in a PDF, every year it shows."""
    items: list[ExtractedItem] = []
    warnings: list[str] = []
    state = _State()
    scanned_pages: list[int] = []
    textless: list[int] = []
    try:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
            for number, page in enumerate(pdf.pages, start=1):
                # A scanner's "Scanned by ..." stamp is text too, but no statement.
                if sum(1 for char in page.chars if not char["text"].isspace()) < _MIN_CHARS:
                    textless.append(number)
                    if page.images:
                        scanned_pages.append(number)
                else:
                    deduped = page.dedupe_chars()  # fake bold prints every letter twice
                    _read_page(number, _lines(deduped, number), state, items, fiscal_year, path)
                page.close()  # a long annual report's pages are not all kept in memory
                if progress is not None:
                    progress(number, pages)
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise ExtractionError(
                f"{path.name} is password-protected. Save or print a copy without the "
                "password and upload that."
            ) from exc
        raise _unreadable(path) from exc
    except ExtractionError:
        raise
    except Exception as exc:
        raise _unreadable(path) from exc
    if len(textless) == pages:
        raise ExtractionError(
            f"{path.name} has no text layer (it looks scanned), so its figures cannot be "
            "read. Upload the PDF as exported from the accounting software, or the trial "
            "balance as Excel."
        )
    if not items:
        if state.headers == 0:
            raise ExtractionError(
                f"No balance sheet or statement of profit and loss was found in {path.name}: "
                'no column is headed with a year (such as "As at 31.03.2025").'
            )
        raise ExtractionError(
            f"No balance sheet or statement of profit and loss was found in {path.name}: it "
            "has year columns, but no line under an \u201cEQUITY AND LIABILITIES\u201d, "
            "\u201cASSETS\u201d, \u201cINCOME\u201d or \u201cEXPENSES\u201d heading or a "
            "statement title."
        )
    if scanned_pages and items:
        listed = ", ".join(str(number) for number in scanned_pages)
        warnings.append(
            f"Page {listed} of {path.name} has no text layer (it looks scanned) and was not read."
            if len(scanned_pages) == 1
            else f"Pages {listed} of {path.name} have no text layer (they look scanned) and "
            "were not read."
        )
    if state.unit is None:
        warnings.append(
            f"{path.name} has no line saying which unit its figures are in (such as "
            '"\u20b9 in lakhs"); they were read as rupees.'
        )
    items, totals = _apply_user_year(
        items, _totals(state, path, warnings), fiscal_year, path, warnings
    )
    years = sorted({item.year for item in items})
    items.sort(key=lambda item: item.year)
    return Extraction(
        items=items, years=years, basis="statements", totals=totals, warnings=warnings
    )


def _unreadable(path: Path) -> ExtractionError:
    return ExtractionError(
        f"{path.name} could not be read as a PDF; it may be damaged or incomplete. Save or "
        "download a fresh copy and upload that."
    )


# ----------------------------------------------------------------------------------------
# Lines from words
# ----------------------------------------------------------------------------------------


def _lines(page: pdfplumber.page.Page, number: int) -> list[_Line]:
    # Text flow keeps a label and a note number printed over it as separate words.
    raw = page.extract_words(use_text_flow=True, keep_blank_chars=False)
    words = sorted(
        (
            _Word(
                w["text"],
                float(w["x0"]),
                float(w["x1"]),
                float(w["top"]),
                float(w["bottom"] - w["top"]),
            )
            for w in raw
            if w["text"].strip()
        ),
        key=lambda word: (word.top, word.x0),
    )
    grouped: list[list[_Word]] = []
    current_top = None
    for word in words:
        # Words of one printed line share a baseline within a fraction of their height.
        if current_top is None or word.top - current_top > max(word.height, 1.0) * 0.5:
            grouped.append([word])
            current_top = word.top
        else:
            grouped[-1].append(word)
    return [
        _Line(number, index, sorted(line, key=lambda word: word.x0))
        for index, line in enumerate(grouped, start=1)
    ]


def _phrases(line: _Line) -> list[list[_Word]]:
    """Runs of words separated by ordinary spaces; columns are set further apart."""
    heights = sorted(word.height for word in line.words)
    gap = max(heights[len(heights) // 2], 4.0) * 0.8
    phrases: list[list[_Word]] = []
    for word in line.words:
        if phrases and word.x0 - phrases[-1][-1].x1 <= gap:
            phrases[-1].append(word)
        else:
            phrases.append([word])
    return phrases


@dataclass
class _HeaderLine:
    columns: list[_Column]
    note: tuple[float, float] | None
    particulars: bool
    two_sided: bool  # liabilities beside assets, or expenses beside income

    @property
    def is_header(self) -> bool:
        return bool(self.columns) and (
            len(self.columns) >= 2 or self.particulars or self.note is not None
        )


def _header_line(line: _Line) -> _HeaderLine:
    """The year columns a header line names, its note column, and whether it has two sides."""
    columns: list[_Column] = []
    note = None
    particulars = False
    sides = set()
    for phrase in _phrases(line):
        text = " ".join(word.text for word in phrase)
        x0, x1 = phrase[0].x0, phrase[-1].x1
        if _NOTE_HEADER.match(text.strip(" .")):
            note = (x0, x1)
            continue
        side = _T_SIDES.get(text.strip(" .:").lower())
        if side is not None:
            sides.add(side)
            continue
        if text.lower().startswith("particulars"):
            particulars = True
            continue
        if len(phrase) > 10 or _NOT_HEADER_WORDS.search(text):
            continue
        if parse_amount(text) is not None:
            # A figure: this is a line of the statement, not its header.
            return _HeaderLine([], None, False, False)
        years = fiscal_years_in(text)
        if len(years) == 1:
            columns.append(_Column(x0, x1, years[0], None))
        elif years:
            continue
        elif _CURRENT.search(text) and _YEAR_WORD.search(text):
            columns.append(_Column(x0, x1, None, "current"))
        elif _PREVIOUS.search(text) and _YEAR_WORD.search(text):
            columns.append(_Column(x0, x1, None, "previous"))
        elif _AMOUNT_HEADER.match(text) and len(phrase) <= 6:
            columns.append(_Column(x0, x1, None, "current"))
    named = [(column.year, column.relative) for column in columns]
    two_sided = len(sides) == 2 or len(set(named)) < len(named)
    return _HeaderLine(columns, note, particulars, two_sided)


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


def _is_amount_word(text: str) -> bool:
    return text.lower() in _AMOUNT_PARTS or parse_amount(text) is not None


def _parse_line(line: _Line, columns: _Columns | None) -> _Parsed:
    if columns is None:
        return _Parsed(line.words, {})
    label_words: list[_Word] = []
    by_column: dict[int, list[_Word]] = {}
    for word in line.words:
        if word.x1 <= columns.boundary or not _is_amount_word(word.text):
            label_words.append(word)
            continue
        by_column.setdefault(_nearest(word, columns.amounts), []).append(word)
    amounts: dict[int, tuple[Decimal, Side | None]] = {}
    for column, words in by_column.items():
        parsed = parse_amount(" ".join(word.text for word in words))
        if parsed is None or all(w.text.lower() in _AMOUNT_PARTS for w in words):
            label_words.extend(words)  # "(Dr)" alone, or parts that make no figure
            continue
        amounts[column] = parsed
    if amounts and columns.note is not None:
        # The note number: the last label word, under the "Note" header.
        low, high = columns.note
        for position in range(len(label_words) - 1, -1, -1):
            word = label_words[position]
            if low - 10 <= word.center <= high + 10 and _NOTE_REF.match(word.text):
                del label_words[position]
                break
            if word.x1 < low - 10:
                break
    label_words.sort(key=lambda word: word.x0)
    return _Parsed(label_words, amounts)


def _nearest(word: _Word, columns: list[_Column]) -> int:
    best, best_overlap = 0, -1.0
    for index, column in enumerate(columns):
        overlap = min(word.x1, column.x1) - max(word.x0, column.x0)
        if overlap > best_overlap:
            best, best_overlap = index, overlap
    if best_overlap > 0:
        return best
    # No overlap: amounts are right-aligned under their header more often than centred.
    return min(
        range(len(columns)),
        key=lambda i: min(abs(word.x1 - columns[i].x1), abs(word.center - _mid(columns[i]))),
    )


def _mid(column: _Column) -> float:
    return (column.x0 + column.x1) / 2


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


# ----------------------------------------------------------------------------------------
# Totals and years
# ----------------------------------------------------------------------------------------


def _totals(state: _State, path: Path, warnings: list[str]) -> dict[str, tuple[Decimal, Decimal]]:
    """Per year (total assets, total liabilities) as printed, else as the lines add up."""
    unit = state.unit or _RUPEE
    years = sorted({year for year, _ in state.sums} | {year for year, _ in state.totals})
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for year in years:
        pair = []
        for kind in ("assets", "liabilities"):
            key = (year, kind)
            computed = state.sums.get(key, Decimal(0))
            printed = state.totals.get(key)
            if printed is None:
                pair.append(computed)
                continue
            pair.append(printed)
            # Each printed figure is rounded to its last digit: allow half a digit a line.
            tolerance = unit * PAISA * (state.lines_in.get(key, 0) + 1) / 2
            if key in state.sums and abs(printed - computed) > tolerance:
                warnings.append(
                    f"In {path.name} the {kind} lines for {year} add up to "
                    f"\u20b9{format_inr(computed)}, but its total says "
                    f"\u20b9{format_inr(printed)}; a line may have been missed."
                )
        assets, liabilities = pair
        if assets != liabilities:
            warnings.append(
                f"The balance sheet in {path.name} does not balance for {year}: total assets "
                f"\u20b9{format_inr(assets)}, total liabilities \u20b9{format_inr(liabilities)}."
            )
        totals[year] = (assets, liabilities)
    return totals


def _apply_user_year(
    items: list[ExtractedItem],
    totals: dict[str, tuple[Decimal, Decimal]],
    fiscal_year: str | None,
    path: Path,
    warnings: list[str],
) -> tuple[list[ExtractedItem], dict[str, tuple[Decimal, Decimal]]]:
    """The user's fiscal year replaces the file's when the file shows one year."""
    years = {item.year for item in items}
    if fiscal_year is None or len(years) != 1 or fiscal_year in years:
        return items, totals
    named = next(iter(years))
    warnings.append(
        f"{path.name} names the fiscal year {named}, but {fiscal_year} was chosen for it; its "
        f"figures are filed under {fiscal_year}."
    )
    items = [replace(item, year=fiscal_year) for item in items]
    # One year in the file, so at most one pair of totals.
    totals = {fiscal_year: totals[named]} if named in totals else {}
    return items, totals
