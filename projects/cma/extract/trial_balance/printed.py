"""A trial balance printed to PDF (Tally, Busy, Excel's "Print to PDF"), read as a sheet.

A PDF with a text layer holds a trial balance when one of its first pages has a header
line that `layout.find_layout` recognises as a trial balance's (a ledger name column and
Debit/Credit or closing-balance columns), naming Debit or Credit or titled "Trial
Balance". Its pages' words are rebuilt into rows of cells aligned to that header's
columns, and the whole document becomes one `Sheet` for the spreadsheet reader
(`rows.extract_sheets`), every row cited "page N, line M":

- the header may take two printed lines ("Closing Balance" above "Debit  Credit");
- figures are right-aligned in their column, whether the header above them is printed
  left, centred or right: a figure belongs to the rightmost column whose header begins
  left of the figure's right edge;
- a ledger's indentation becomes leading spaces, as in an exported sheet, so group
  headings without totals still gather the ledgers under them;
- a label wrapped onto a second line is joined to its ledger;
- the header, the company's name and page numbers printed again on later pages are left
  out here, as SkippedRows.

A PDF without such a header (Schedule III statements, a scan) is left to the statements
reader: `read_printed_trial_balance` returns None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pdfplumber

from projects.cma.extract.numbers import parse_amount
from projects.cma.extract.statements.lines import Line, Word, page_lines
from projects.cma.extract.statements.pdf import textless_warning
from projects.cma.extract.trial_balance.layout import Sheet, find_layout
from projects.cma.extract.trial_balance.rows import Progress, extract_sheets
from projects.cma.records import Extraction, SkippedRow

__all__ = ["read_printed_trial_balance"]

# A trial balance's header is near the top of its first page; a cover page or a letter
# may come first, so a few pages are looked at, and no more: an annual report is long.
_SEARCH_PAGES = 3
_SEARCH_LINES = 40
# Fewer characters than this on a page is a stamp or a page number (as statements.pdf).
_MIN_CHARS = 25
# One leading space of indentation per this many points of a label's offset.
_POINTS_PER_SPACE = 3.0
_DEBIT_CREDIT = re.compile(r"\b(?:debit|credit|dr|cr)\b", re.IGNORECASE)
_TB_TITLE = re.compile(r"trial\s+balance", re.IGNORECASE)
_PAGE_NUMBER = re.compile(
    r"^(?:-\s*)?(?:page\s*(?:no\.?\s*)?)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*-)?$",
    re.IGNORECASE,
)
_CONTINUED = re.compile(r"^\(?\s*(?:contd|continued)\b.*$", re.IGNORECASE)
_CONNECTORS = frozenset(
    {"and", "of", "in", "for", "on", "to", "the", "from", "with", "&", "or", "by", "at", "under"}
)
_LABEL_HEADER = re.compile(r"^(?:particulars?|ledgers?|account\s+name|description)\b", re.I)
_SIDE_MARKS = frozenset({"dr", "cr", "dr.", "cr."})


@dataclass
class _Cell:
    text: str
    x0: float
    x1: float


@dataclass
class _Grid:
    """The table's columns, from its header: each column's left and right edge."""

    edges: list[tuple[float, float]]
    texts: list[str]
    label: int
    amounts: list[int]  # the columns whose cells are figures or Dr/Cr marks, left to right
    sides: list[int]  # of those, the Dr/Cr marks' columns
    left: float  # where the label column begins: indentation is counted from here
    header_lines: int  # 1 or 2

    @property
    def amount_left(self) -> float:
        return min(self.edges[column][0] for column in self.amounts)


@dataclass
class _Row:
    page: int
    line: int
    x0: float  # where the label begins
    label: str
    cells: dict[int, str] = field(default_factory=dict)  # column -> text, label excluded
    top: float = 0.0

    @property
    def has_amount(self) -> bool:
        return any(parse_amount(text) is not None for text in self.cells.values())


def read_printed_trial_balance(
    path: Path,
    *,
    name: str,
    fiscal_year: str | None,
    accept_mismatches: bool = False,
    progress: Progress | None = None,
) -> Extraction | None:
    """The trial balance printed in a PDF, read as the spreadsheet reader reads a sheet; or
    None when the PDF shows no trial balance header (or cannot be opened): the caller then
    reads it as Schedule III statements, which also reports scans and passwords."""
    try:
        with pdfplumber.open(path) as pdf:
            textless: list[int] = []
            pages = _text_pages(pdf.pages[:_SEARCH_PAGES], 1, textless)
            found = _find_header(pages)
            if found is None:
                return None
            pages += _text_pages(pdf.pages[_SEARCH_PAGES:], _SEARCH_PAGES + 1, textless)
    except Exception:
        return None  # damaged or password-protected: the statements reader says which
    page_index, line_index, grid = found
    skipped: list[SkippedRow] = []
    warnings: list[str] = []
    if textless:
        warnings.append(textless_warning(name, textless))
        skipped.extend(
            SkippedRow(f"page {number}", "", "no text layer (it looks scanned): not read")
            for number in textless
        )
    rows = _table_rows(pages, page_index, line_index, grid, skipped)
    sheet = _sheet(name, pages[page_index][1][:line_index], grid, rows)
    extraction = extract_sheets(
        name, [sheet], fiscal_year, accept_mismatches, progress, warnings, skipped
    )
    # The rows left out here and by the reader, in the order they are printed.
    extraction.skipped.sort(key=_printed_order)
    return extraction


def _printed_order(row: SkippedRow) -> tuple[int, ...]:
    return tuple(int(number) for number in re.findall(r"\d+", row.source)[:2])


# ----------------------------------------------------------------------------------------
# Pages and the header
# ----------------------------------------------------------------------------------------


def _text_pages(
    pages: list[pdfplumber.page.Page], first: int, textless: list[int]
) -> list[tuple[int, list[Line]]]:
    """Each page with a text layer, as lines; the numbers of the others go to ``textless``."""
    read: list[tuple[int, list[Line]]] = []
    for number, page in enumerate(pages, start=first):
        if sum(1 for char in page.chars if not char["text"].isspace()) >= _MIN_CHARS:
            # Fake bold prints every letter twice.
            read.append((number, page_lines(page.dedupe_chars(), number)))
        else:
            textless.append(number)
        page.close()  # a long file's pages are not all kept in memory
    return read


def _phrases(line: Line) -> list[_Cell]:
    """Runs of words set an ordinary space apart; columns are set further apart."""
    heights = sorted(word.height for word in line.words)
    gap = max(heights[len(heights) // 2], 4.0) * 0.8
    groups: list[list[Word]] = []
    for word in line.words:
        if groups and word.x0 - groups[-1][-1].x1 <= gap:
            groups[-1].append(word)
        else:
            groups.append([word])
    return [_Cell(" ".join(w.text for w in group), group[0].x0, group[-1].x1) for group in groups]


def _find_header(
    pages: list[tuple[int, list[Line]]],
) -> tuple[int, int, _Grid] | None:
    for page_index, (_number, lines) in enumerate(pages[:_SEARCH_PAGES]):
        for index, line in enumerate(lines[:_SEARCH_LINES]):
            upper = _phrases(line)
            following = lines[index + 1] if index + 1 < len(lines) else None
            candidates: list[tuple[_Grid, int]] = []
            if following is not None:
                merged = _two_line_grid(upper, _phrases(following))
                if merged is not None:
                    candidates.append((merged, 2))
            candidates.append((_one_line_grid(upper), 1))
            for grid, _count in candidates:
                layout = find_layout([grid.texts], stock=False)
                if layout is None or layout.transactions or _two_sided(grid.texts):
                    continue
                title = " ".join(other.text for other in lines[:index])
                if not (_DEBIT_CREDIT.search(" ".join(grid.texts)) or _TB_TITLE.search(title)):
                    continue  # "Particulars | As at 31 March 2025": a statement's header
                grid.label = layout.label
                grid.amounts = sorted(
                    column
                    for slot in layout.slots
                    for role in ("dr", "cr", "bal", "side")
                    if (column := getattr(slot, role)) is not None
                )
                grid.sides = [slot.side for slot in layout.slots if slot.side is not None]
                grid.left = grid.edges[grid.label][0]
                return page_index, index, grid
    return None


def _two_sided(texts: list[str]) -> bool:
    """Two ledger-name columns: a T-shaped account (liabilities beside assets), which the
    statements reader explains it cannot read, not a trial balance."""
    return sum(1 for text in texts if _LABEL_HEADER.match(text)) > 1


def _one_line_grid(cells: list[_Cell]) -> _Grid:
    return _Grid([(c.x0, c.x1) for c in cells], [c.text for c in cells], 0, [], [], 0.0, 1)


def _two_line_grid(upper: list[_Cell], lower: list[_Cell]) -> _Grid | None:
    """A header printed on two lines: "Particulars ... Closing Balance" over "Debit  Credit".

    The lower line names the figure columns; a phrase above them (a "Closing Balance" or a
    year spanning a Debit and a Credit column) is read into each column it is nearest to,
    as a merged cell is in a sheet. Phrases above nothing are columns of their own.
    """
    if not upper or not lower or any(_is_amount(cell.text) for cell in upper + lower):
        return None
    if lower[0].x0 <= upper[0].x1:
        return None  # the lower line starts under the label: it is a row, not a header
    over = [cell for cell in upper if cell.x1 >= lower[0].x0 - 2 * _width(lower[0])]
    own = [cell for cell in upper if cell not in over]
    if not over:
        return None
    columns: list[tuple[float, float, str]] = [(c.x0, c.x1, c.text) for c in own]
    for cell in lower:
        centre = (cell.x0 + cell.x1) / 2
        nearest = min(over, key=lambda top: abs((top.x0 + top.x1) / 2 - centre))
        columns.append((cell.x0, cell.x1, f"{nearest.text} {cell.text}"))
    columns.sort(key=lambda column: column[0])
    return _Grid(
        [(x0, x1) for x0, x1, _t in columns], [t for _x0, _x1, t in columns], 0, [], [], 0.0, 2
    )


def _width(cell: _Cell) -> float:
    return cell.x1 - cell.x0


def _is_amount(text: str) -> bool:
    return any(char.isdigit() for char in text) and parse_amount(text) is not None


# ----------------------------------------------------------------------------------------
# The rows
# ----------------------------------------------------------------------------------------


def _table_rows(
    pages: list[tuple[int, list[Line]]],
    page_index: int,
    line_index: int,
    grid: _Grid,
    skipped: list[SkippedRow],
) -> list[_Row]:
    """Every line below the header, as a row of the grid; repeats of the header (and of the
    titles above it) on later pages and page numbers go to ``skipped``."""
    titles = {line.text.strip().lower() for line in pages[page_index][1][:line_index]}
    header_text = {
        line.text.strip().lower()
        for line in pages[page_index][1][line_index : line_index + grid.header_lines]
    }
    rows: list[_Row] = []
    for number, lines in pages[page_index:]:
        start = line_index + grid.header_lines if number == pages[page_index][0] else 0
        # A later page may print the company and the header again above its rows.
        repeat = -1
        if number != pages[page_index][0]:
            repeat = max(
                (
                    i
                    for i, line in enumerate(lines[:_SEARCH_LINES])
                    if line.text.strip().lower() in header_text
                ),
                default=-1,
            )
        for index, line in enumerate(lines[start:], start=start):
            text = line.text.strip()
            source = f"page {number}, line {line.number}"
            if index <= repeat and text.lower() in header_text:
                skipped.append(
                    SkippedRow(source, text, "the table's header, repeated on a new page")
                )
                continue
            if index < repeat:
                skipped.append(SkippedRow(source, text, "the page's heading, repeated"))
                continue
            if text.lower() in titles:
                skipped.append(
                    SkippedRow(source, text, "the page's heading (the company), repeated")
                )
                continue
            if _PAGE_NUMBER.match(text) or _CONTINUED.match(text):
                skipped.append(SkippedRow(source, text, "a page number or a continuation mark"))
                continue
            rows.append(_row(line, grid))
    return _join_wrapped(rows, grid, skipped)


def _row(line: Line, grid: _Grid) -> _Row:
    label_parts: list[str] = []
    cells: dict[int, str] = {}
    x0 = line.words[0].x0
    amount_left = grid.amount_left
    last_amount: int | None = None
    for cell in _phrases(line):
        if _is_amount(cell.text) and cell.x1 > amount_left:
            column = _amount_column(cell, grid)
            cells[column] = f"{cells[column]} {cell.text}".strip() if column in cells else cell.text
            last_amount = column
            continue
        if cell.text.lower() in _SIDE_MARKS and last_amount is not None:
            side = _nearest_column(cell, grid)
            if side not in grid.amounts or side in cells:
                # "1,234.00   Dr" set a little apart: the mark of the figure before it.
                cells[last_amount] = f"{cells[last_amount]} {cell.text}"
                continue
        column = _nearest_column(cell, grid)
        if column in grid.amounts and cell.x0 < amount_left:
            # Words in figure columns are a long label reaching across them ("Closing stock
            # as on 31.03.2025 (not included in the above trial balance)"), not a figure.
            column = grid.label
        if column == grid.label:
            label_parts.append(cell.text)
        else:
            cells[column] = f"{cells[column]} {cell.text}".strip() if column in cells else cell.text
    top = min(word.top for word in line.words)
    return _Row(line.page, line.number, x0, " ".join(label_parts), cells, top)


def _amount_column(cell: _Cell, grid: _Grid) -> int:
    """Figures are right-aligned: the rightmost figure column whose header starts left of
    the figure's right edge (a header printed left, centred or right over it)."""
    figures = [c for c in grid.amounts if c != grid.label and c not in grid.sides]
    chosen = figures[0]
    for column in figures:
        if grid.edges[column][0] < cell.x1:
            chosen = column
    return chosen


def _nearest_column(cell: _Cell, grid: _Grid) -> int:
    centre = (cell.x0 + cell.x1) / 2

    def distance(column: int) -> float:
        x0, x1 = grid.edges[column]
        if x0 <= centre <= x1:
            return 0.0
        return min(abs(centre - x0), abs(centre - x1))

    return min(range(len(grid.edges)), key=distance)


def _join_wrapped(rows: list[_Row], grid: _Grid, skipped: list[SkippedRow]) -> list[_Row]:
    """A label wrapped onto a second line belongs to its ledger: the line without figures
    after a ledger (indented further, starting in lower case, or after an unfinished label),
    or before one (when it stops mid-phrase, or the ledger's line starts in lower case)."""
    pitches = sorted(b.top - a.top for a, b in pairwise(rows) if a.page == b.page)
    pitch = pitches[len(pitches) // 2] if pitches else 0.0
    joined: list[_Row] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        following = rows[index + 1] if index + 1 < len(rows) else None
        if (
            not row.cells
            and row.label
            and following is not None
            and following.page == row.page
            and following.cells
            and following.has_amount
            and abs(following.x0 - row.x0) <= 1.0
            and (
                _unfinished(row.label)
                or following.label[:1].islower()
                or _tight(row, following, pitch)
            )
        ):
            skipped.append(
                SkippedRow(
                    f"page {row.page}, line {row.line}",
                    row.label,
                    f"the first part of the label on page {following.page}, line {following.line}",
                )
            )
            following.label = _join(row.label, following.label)
            index += 1
            continue
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and not row.cells
            and row.label
            and previous.page == row.page
            and previous.has_amount
            and (
                # Indented under the ledger, and not a sub-group heading over deeper rows.
                (row.x0 > previous.x0 + 1.0 and (following is None or following.x0 < row.x0))
                or row.label[:1].islower()
                or _unfinished(previous.label)
                or (_tight(previous, row, pitch) and abs(row.x0 - previous.x0) <= 1.0)
            )
            and row.x0 >= previous.x0 - 1.0
        ):
            skipped.append(
                SkippedRow(
                    f"page {row.page}, line {row.line}",
                    row.label,
                    f"the rest of the label on page {previous.page}, line {previous.line}",
                )
            )
            previous.label = _join(previous.label, row.label)
            index += 1
            continue
        joined.append(row)
        index += 1
    return joined


def _tight(upper: _Row, lower: _Row, pitch: float) -> bool:
    """Lines of one wrapped cell are set closer than the table's rows are."""
    return pitch > 0 and lower.top - upper.top < pitch * 0.8


def _unfinished(label: str) -> bool:
    words = label.split()
    return bool(words) and (
        label.endswith((",", "-", "(", "/", "&")) or words[-1].lower() in _CONNECTORS
    )


def _join(first: str, rest: str) -> str:
    if first.endswith("-") and not first.endswith(" -") and rest[:1].islower():
        return f"{first}{rest}"
    return f"{first} {rest}"


# ----------------------------------------------------------------------------------------
# The sheet
# ----------------------------------------------------------------------------------------


def _sheet(name: str, titles: list[Line], grid: _Grid, rows: list[_Row]) -> Sheet:
    width = len(grid.edges)
    # Indentation is counted from the leftmost label, wherever the header is printed.
    left = min((row.x0 for row in rows if row.label), default=grid.left)
    cells: list[list[str]] = []
    sources: list[str] = []
    for line in titles:
        cells.append([line.text.strip()] + [""] * (width - 1))
        sources.append(f"page {line.page}, line {line.number}")
    cells.append(list(grid.texts))
    sources.append("the header")
    for row in rows:
        spaces = max(0, round((row.x0 - left) / _POINTS_PER_SPACE))
        printed = [""] * width
        printed[grid.label] = (" " * spaces + row.label) if row.label else ""
        for column, text in row.cells.items():
            printed[column] = text
        cells.append(printed)
        sources.append(f"page {row.page}, line {row.line}")
    header_row = len(titles)
    first_header = rows[0] if rows else None
    header_source = (
        f"page {titles[0].page}, line {titles[-1].number + 1}"
        if titles
        else (f"page {first_header.page}, line 1" if first_header else "page 1")
    )
    sources[header_row] = header_source

    def cite(row: int, _column: int) -> str:
        return sources[row]

    def cite_rows(first: int, last: int) -> str:
        return f"{sources[first]} to {sources[last]}"

    return Sheet(name, cells, cite, csv=True, cite_rows=cite_rows)
