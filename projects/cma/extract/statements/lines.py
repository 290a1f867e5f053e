"""A PDF page's words rebuilt into lines, and what a line holds: a header or amounts.

Holds the words and lines of a page, the header line that names each year's column (and
the note column, and whether the statement has two sides), and the split of an ordinary
line into its label and the amount under each year's column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import pdfplumber

from projects.cma.extract.numbers import parse_amount
from projects.cma.records import Side
from projects.cma.years import fiscal_years_in

_NOTE_HEADER = re.compile(
    r"^(?:notes?|note\s*no\.?|notes?\s*ref\.?|sch(?:edule)?\.?(?:\s*no\.?)?)$", re.I
)
NOTE_REF = re.compile(r"^\d{1,3}(?:\.\d{1,2})?(?:\s*\(?[a-z]\)?)?$|^[a-z]$", re.IGNORECASE)
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
# An Ind AS transition balance sheet's third column, "As at 1 April 2023": the opening
# balance sheet of 2023-24 is the closing one of 2022-23, so it is read as 31 March.
_OPENING_DATE = re.compile(
    r"\b(?:0?1(?:st)?[\s.\-/]*(?:april|apr)[\s.,\-/]*(?P<a>\d{4}|\d{2})"
    r"|(?:april|apr)[\s.]*0?1(?:st)?[\s,]*(?P<b>\d{4})"
    r"|0?1[.\-/]0?4[.\-/](?P<c>\d{4}))\b",
    re.IGNORECASE,
)
_AS_AT = re.compile(r"\bas\s+(?:at|on)\b", re.IGNORECASE)


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    height: float

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Line:
    page: int  # 1-based
    number: int  # 1-based, within the page
    words: list[Word]
    # How sure OCR was of this line (0..1); None for a text layer. Carried to its items.
    confidence: float | None = None

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


@dataclass
class Column:
    x0: float
    x1: float
    year: str | None
    relative: str | None  # "current" / "previous" when the header names no date


@dataclass
class Columns:
    amounts: list[Column]
    note: tuple[float, float] | None
    boundary: float  # words right of this may be amounts


@dataclass
class Parsed:
    label_words: list[Word]
    amounts: dict[int, tuple[Decimal, Side | None]]  # column index -> amount
    # Column index -> the value of the last digit printed ("12.40" -> 0.01, "1,234" -> 1):
    # a printed figure is exact only to half of it, which is what a checksum allows.
    quanta: dict[int, Decimal] = field(default_factory=dict)
    note: str | None = None  # the number printed in the Note column


# ----------------------------------------------------------------------------------------
# Lines from words
# ----------------------------------------------------------------------------------------


def page_lines(page: pdfplumber.page.Page, number: int) -> list[Line]:
    # Text flow keeps a label and a note number printed over it as separate words.
    raw = page.extract_words(use_text_flow=True, keep_blank_chars=False)
    words = sorted(
        (
            Word(
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
    grouped: list[list[Word]] = []
    current_top = None
    for word in words:
        # Words of one printed line share a baseline within a fraction of their height.
        if current_top is None or word.top - current_top > max(word.height, 1.0) * 0.5:
            grouped.append([word])
            current_top = word.top
        else:
            grouped[-1].append(word)
    return [
        Line(number, index, sorted(line, key=lambda word: word.x0))
        for index, line in enumerate(grouped, start=1)
    ]


def _phrases(line: Line) -> list[list[Word]]:
    """Runs of words separated by ordinary spaces; columns are set further apart."""
    heights = sorted(word.height for word in line.words)
    gap = max(heights[len(heights) // 2], 4.0) * 0.8
    phrases: list[list[Word]] = []
    for word in line.words:
        if phrases and word.x0 - phrases[-1][-1].x1 <= gap:
            phrases[-1].append(word)
        else:
            phrases.append([word])
    return phrases


@dataclass
class _HeaderLine:
    columns: list[Column]
    note: tuple[float, float] | None
    particulars: bool
    two_sided: bool  # liabilities beside assets, or expenses beside income

    @property
    def is_header(self) -> bool:
        return bool(self.columns) and (
            len(self.columns) >= 2 or self.particulars or self.note is not None
        )


def header_line(line: Line) -> _HeaderLine:
    """The year columns a header line names, its note column, and whether it has two sides."""
    columns: list[Column] = []
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
        if not years and _AS_AT.search(text):
            years = fiscal_years_in(_OPENING_DATE.sub(_closing_date, text))
        if len(years) == 1:
            columns.append(Column(x0, x1, years[0], None))
        elif years:
            continue
        elif _CURRENT.search(text) and _YEAR_WORD.search(text):
            columns.append(Column(x0, x1, None, "current"))
        elif _PREVIOUS.search(text) and _YEAR_WORD.search(text):
            columns.append(Column(x0, x1, None, "previous"))
        elif _AMOUNT_HEADER.match(text) and len(phrase) <= 6:
            columns.append(Column(x0, x1, None, "current"))
    named = [(column.year, column.relative) for column in columns]
    two_sided = len(sides) == 2 or len(set(named)) < len(named)
    return _HeaderLine(columns, note, particulars, two_sided)


# Words a column heading printed over several lines is made of: "As at", "31st",
# "March,", "2025", "Note", "No.", "(Rs. in lakhs)". A figure of the statement is not.
_HEADING_PIECE = re.compile(
    r"^(?:\(?(?:\d{1,2}(?:st|nd|rd|th)?|(?:19|20)\d{2}|\d{1,2}[.\-/]\d{1,2}[.\-/]\d{2,4})[,.)]?"
    r"|[^\d]*)$",
    re.IGNORECASE,
)
_HEADING_CUE = re.compile(
    r"\b(?:particulars|notes?|as\s+(?:at|on)|year|period|ended|amount)\b|\u20b9|\brs\b",
    re.IGNORECASE,
)
# Most lines a heading is wrapped over ("As at" / "31st" / "March," / "2025").
_MAX_HEADING_LINES = 5


def stacked_header(lines: list[Line], index: int) -> tuple[_HeaderLine, int] | None:
    """A column heading wrapped over several printed lines, read as one header line.

    Narrow year columns print "As at 31st March, 2025" over two to five lines. Each line
    alone names no year; the pieces stacked in the same column do. Returns the header
    and how many lines it takes, or None when the lines from ``index`` are not one.
    """
    first = lines[index]
    if _HEADING_CUE.search(first.text) is None or not _only_heading_pieces(first):
        return None
    for count in range(2, _MAX_HEADING_LINES + 1):
        if index + count > len(lines) or not _only_heading_pieces(lines[index + count - 1]):
            return None
        below = lines[index + count - 1]
        above = lines[index + count - 2]
        if (
            below.words
            and above.words
            and below.words[0].top - above.words[0].top > 3 * max(above.words[0].height, 1.0)
        ):
            return None  # a gap: the heading has ended
        header = header_line(_stack(lines[index : index + count]))
        if header.is_header and len(header.columns) >= 1:
            return header, count
    return None


def _only_heading_pieces(line: Line) -> bool:
    # A title ("Balance Sheet as at 31st March, 2025") is no column heading.
    if _NOT_HEADER_WORDS.search(line.text):
        return False
    return all(_HEADING_PIECE.match(word.text) for word in line.words)


def _stack(lines: list[Line]) -> Line:
    """One line whose words are the columns of ``lines``: the pieces printed one under
    another in a column, joined top to bottom."""
    columns: list[list[Word]] = []
    for line in lines:
        for phrase in _phrases(line):
            x0, x1 = phrase[0].x0, phrase[-1].x1
            for column in columns:
                if min(x1, column[-1].x1) - max(x0, column[-1].x0) > 0:
                    column.append(Word(" ".join(w.text for w in phrase), x0, x1, 0.0, 1.0))
                    break
            else:
                columns.append([Word(" ".join(w.text for w in phrase), x0, x1, 0.0, 1.0)])
    # Tiny heights keep the columns apart in `_phrases`: they are columns, not words.
    words = [
        Word(
            " ".join(w.text for w in column),
            min(w.x0 for w in column),
            max(w.x1 for w in column),
            0.0,
            1.0,
        )
        for column in columns
    ]
    return Line(lines[0].page, lines[0].number, sorted(words, key=lambda w: w.x0))


def _closing_date(match: re.Match[str]) -> str:
    year = match["a"] or match["b"] or match["c"]
    return f"31.03.{year}"


def _is_amount_word(text: str) -> bool:
    return text.lower() in _AMOUNT_PARTS or parse_amount(text) is not None


def parse_line(line: Line, columns: Columns | None) -> Parsed:
    if columns is None:
        return Parsed(line.words, {})
    label_words: list[Word] = []
    by_column: dict[int, list[Word]] = {}
    for word in line.words:
        if word.x1 <= columns.boundary or not _is_amount_word(word.text):
            label_words.append(word)
            continue
        by_column.setdefault(_nearest(word, columns.amounts), []).append(word)
    amounts: dict[int, tuple[Decimal, Side | None]] = {}
    quanta: dict[int, Decimal] = {}
    for column, words in by_column.items():
        text = " ".join(word.text for word in words)
        parsed = parse_amount(text)
        if parsed is None or all(w.text.lower() in _AMOUNT_PARTS for w in words):
            label_words.extend(words)  # "(Dr)" alone, or parts that make no figure
            continue
        amounts[column] = parsed
        quanta[column] = _quantum(text)
    note = None
    if amounts and columns.note is not None:
        # The note number: the last label word, under the "Note" header.
        low, high = columns.note
        for position in range(len(label_words) - 1, -1, -1):
            word = label_words[position]
            if low - 10 <= word.center <= high + 10 and NOTE_REF.match(word.text):
                note = word.text
                del label_words[position]
                break
            if word.x1 < low - 10:
                break
    label_words.sort(key=lambda word: word.x0)
    return Parsed(label_words, amounts, quanta, note)


def _quantum(text: str) -> Decimal:
    digits = re.search(r"\d[\d,]*(?:\.(\d*))?", text)
    if digits is None:
        return Decimal(0)  # a dash or "nil": exactly nothing
    return Decimal(1).scaleb(-len(digits.group(1) or ""))


def _nearest(word: Word, columns: list[Column]) -> int:
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


def _mid(column: Column) -> float:
    return (column.x0 + column.x1) / 2
