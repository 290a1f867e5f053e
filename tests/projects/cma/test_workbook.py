"""The CMA workbook: formulas with cached values, safe user text, every sheet and item."""

import io
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from projects.cma.checks import Issue, Validation, validate
from projects.cma.forms import FORMS, FormLine, books_from_items, compute
from projects.cma.heads import HEADS_BY_ID
from projects.cma.workbook import WorkbookItem, safe_text, write_workbook
from tests.projects.cma.test_forms import (
    SAMPLE_NAMES,
    SHREE,
    sample_books,
    statement_items,
    truth,
)

ALL_SHEETS = [
    "Inputs",
    "Form II",
    "Form III",
    "Form IV",
    "Form V",
    "Form VI",
    "Ratios",
    "Line items",
    "Validation",
]
INJECTION = '=HYPERLINK("http://x","y")'
LAKH = Decimal(100000)


def shown(value: Decimal, kind: str) -> Decimal:
    """A figure as the forms show it: money in lakhs (the default unit), the rest as is."""
    return value / LAKH if kind == "money" else value


def items_of(name: str) -> list[WorkbookItem]:
    return [
        WorkbookItem(
            year=item["year"],
            label=item["label"],
            amount=Decimal(str(item["amount"])),
            side=item["side"],
            file_name="trial-balance.xlsx",
            source=f"Trial Balance!A{index + 2}",
            head=item["head"],
            head_label=HEADS_BY_ID[item["head"]].label,
            confidence=0.93,
            method="synonym",
            approved_by="bob@acme.test" if index % 2 else "",
        )
        for index, item in enumerate(truth(name)["line_items"])
    ]


def write(tmp_path: Path, report, items, validation=None, **names) -> Path:
    path = tmp_path / "cma.xlsx"
    write_workbook(
        str(path),
        project_name=names.get("project_name", "CMA FY 2024-25"),
        client_name=names.get("client_name", "Shree Ganesh Polymers Private Limited"),
        report=report,
        line_items=items,
        validation=validation or Validation(),
    )
    return path


def sheet_xml(path: Path) -> dict[str, str]:
    """Sheet name -> its worksheet XML, through the workbook's relationships."""
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(re.findall(r'<Relationship Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
        targets |= {
            rid: target for target, rid in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)
        }
        sheets = re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"', workbook)
        return {
            name.replace("&amp;", "&"): archive.read("xl/" + targets[rid]).decode()
            for name, rid in sheets
        }


def formula_cells(xml: str) -> dict[str, str]:
    """Cell reference -> formula text (unescaped) for every formula cell."""
    found = re.findall(r'<c r="([A-Z]+\d+)"[^>]*><f>([^<]*)</f>', xml)
    return {ref: text.replace("&quot;", '"').replace("&amp;", "&") for ref, text in found}


@pytest.fixture
def shree(tmp_path):
    report = compute(sample_books(SHREE))
    items = items_of(SHREE)
    validation = validate(report)
    return report, items, write(tmp_path, report, items, validation)


def form_values(path: Path, sheet: str) -> list[list]:
    """The sheet's rows from the header row ("Particulars") down, as calamine reads them."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    start = next(i for i, row in enumerate(rows) if row and row[0] == "Particulars")
    return rows[start:]


def test_two_consecutive_years_get_every_sheet_including_the_fund_flow(shree):
    _, _, path = shree

    assert CalamineWorkbook.from_path(str(path)).sheet_names == ALL_SHEETS


def test_a_single_year_gets_no_fund_flow_sheet(tmp_path):
    books = [b for b in sample_books(SHREE) if b.year == "2024-25"]
    path = write(tmp_path, compute(books), [])

    assert CalamineWorkbook.from_path(str(path)).sheet_names == [
        sheet for sheet in ALL_SHEETS if sheet != "Form VI"
    ]


def test_every_form_cell_shows_the_computed_value_without_recalculation(shree):
    report, _, path = shree

    for form in FORMS:
        rows = form_values(path, form.sheet)
        periods = report.form_periods(form)
        headers = [f"{period.year}\nAudited" for period in periods]
        assert rows[0][1 : 1 + len(periods)] == headers
        for row, form_row in zip(rows[1:], form.rows, strict=False):
            assert row[0] == form_row.label
            if not isinstance(form_row, FormLine):
                continue
            for column, period in enumerate(periods, start=1):
                value = report.value(form_row.key, period.year)
                if value is None:
                    assert row[column] == "", (form.sheet, form_row.key)
                else:
                    expected = shown(value, form_row.kind)
                    assert Decimal(str(row[column])) == expected, (form.sheet, form_row.key)


def test_key_figures_read_back_from_the_workbook_match_the_answer_key(shree):
    _, _, path = shree
    expected = truth(SHREE)["key_figures"]
    form_iii = {row[0]: row for row in form_values(path, "Form III")}

    net_worth = form_iii["24. Net worth (19 to 23, less drawings)"]
    total_assets = form_iii["43. Total assets (34 + 37 + 41 + 42)"]
    current_ratio = form_iii["46. Current ratio (34 / 10)"]
    for column, year in ((1, "2023-24"), (2, "2024-25")):
        # In lakhs, to the paisa.
        assert round(net_worth[column] * 100000, 2) == expected[year]["net_worth"]
        assert round(total_assets[column] * 100000, 2) == expected[year]["total_assets"]
        assert current_ratio[column] == expected[year]["current_ratio"]


def test_every_computed_cell_is_a_formula(shree):
    report, _, path = shree
    xml = sheet_xml(path)

    for form in FORMS:
        formulas = formula_cells(xml[form.sheet])
        expected = len(form.lines) * len(report.form_periods(form))
        assert len(formulas) == expected, form.sheet
    assert formula_cells(xml["Inputs"]) == {}  # the inputs are values
    assert "Inputs!" in formula_cells(xml["Form III"])["B6"]


def books_named(name: str):
    if name == "statements":
        bases = {"2023-24": "statements", "2024-25": "statements"}
        return books_from_items(statement_items(), bases)
    return sample_books(name)


@pytest.mark.parametrize("name", [*SAMPLE_NAMES, "statements"])
def test_the_formulas_recompute_the_cached_values(tmp_path, name):
    """Evaluates every formula from the cached values of the cells it refers to."""
    path = write(tmp_path, compute(books_named(name)), [])
    xml = sheet_xml(path)
    book = CalamineWorkbook.from_path(str(path))
    grids = {name: book.get_sheet_by_name(name).to_python() for name in ALL_SHEETS}

    def cell(sheet: str, ref: str):
        column, row = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
        value = grids[sheet][int(row) - 1][ord(column) - ord("A")]
        # A blank input is 0 in Excel arithmetic; a formula's "" is blank (and stays blank).
        if value == "":
            return Decimal(0) if sheet == "Inputs" else None
        return Decimal(str(value))

    checked = 0
    for form in FORMS:
        for ref, formula in formula_cells(xml[form.sheet]).items():
            cached = cell(form.sheet, ref)
            got = ExcelFormula(formula, form.sheet, cell).value()
            if cached is None:
                assert got is None, (form.sheet, ref, formula)
            else:
                assert got == cached, (form.sheet, ref, formula)
            checked += 1
    assert checked > 200


def test_text_from_uploads_is_never_a_formula(tmp_path):
    report = compute(sample_books(SHREE))
    item = WorkbookItem(
        year="2023-24",
        label=INJECTION,
        amount=Decimal("10.00"),
        side="Dr",
        file_name="+cmd|' /C calc'!A0.xlsx",
        source="@SUM(1+1)",
        head=None,
        head_label="",
        confidence=None,
        method="none",
        approved_by="-2+3",
    )
    issue = Issue("unclassified_items", "2023-24", "=1+1 is not a head")
    path = write(
        tmp_path, report, [item], Validation([issue], []), client_name="=cmd()", project_name="P&L"
    )

    items_xml = sheet_xml(path)["Line items"]
    assert "<f>" not in items_xml
    assert "<f>" not in sheet_xml(path)["Validation"]
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("Line items").to_python()
    row = next(row for row in rows if INJECTION in str(row[1]))
    assert row[1] == "'" + INJECTION
    assert row[4] == "'+cmd|' /C calc'!A0.xlsx"
    assert row[5] == "'@SUM(1+1)"
    assert row[6] == "(no head)"
    assert row[10] == "'-2+3"
    assert book.get_sheet_by_name("Form II").to_python()[0][0] == "P&L - =cmd()"
    validation_rows = book.get_sheet_by_name("Validation").to_python()
    assert any(r[3] == "'=1+1 is not a head" for r in validation_rows)


def test_a_title_starting_with_a_formula_character_is_quoted(tmp_path):
    path = write(tmp_path, compute(sample_books(SHREE)), [], project_name="=HACK", client_name="")

    title = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Inputs").to_python()[0][0]
    assert title == "'=HACK"


def test_safe_text_prefixes_only_the_risky_first_characters():
    assert safe_text("=1+1") == "'=1+1"
    assert safe_text("+91 98765") == "'+91 98765"
    assert safe_text("-5% discount") == "'-5% discount"
    assert safe_text("@home") == "'@home"
    assert safe_text("\tx") == "'\tx"
    assert safe_text("\rx") == "'\rx"
    assert safe_text("Sales - Domestic") == "Sales - Domestic"
    assert safe_text("a=b") == "a=b"


def test_the_line_items_sheet_lists_every_item_with_its_source_and_reviewer(shree):
    _, items, path = shree

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Line items").to_python()
    start = next(i for i, row in enumerate(rows) if row and row[0] == "Year") + 1
    listed = [row for row in rows[start:] if row[0]]
    assert len(listed) == len(items)
    for row, item in zip(listed, items, strict=True):
        assert row[:4] == [item.year, item.label, float(item.amount), item.side]
        assert row[5:8] == [item.source, item.head, item.head_label]
        assert row[10] == item.approved_by
    assert rows[start - 1][:3] == ["Year", "Label (as in the file)", "Amount (₹)"]


def test_inputs_hold_each_heads_total_per_year(shree):
    report, _, path = shree

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Inputs").to_python()
    by_label = {row[1]: row for row in rows}
    sales = by_label["Domestic sales (Cr)"]
    assert sales[2:4] == [90.3227709, 105.4330008]  # lakhs: rupees / 1,00,000, paise kept
    assert by_label["Basis"][2] == "Trial balance (before closing)"
    assert by_label["Dividend (Dr)"][2] == ""  # not given: blank, 0 to the formulas
    assert report.books[0].head("sales_domestic") == Decimal("9032277.09")


def test_validation_issues_are_listed(tmp_path):
    report = compute(sample_books(SHREE))
    validation = validate(report, unclassified=2)
    path = write(tmp_path, report, [], validation)

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Validation").to_python()
    assert any(row[0] == "Error" and row[2] == "unclassified_items" for row in rows)
    clean = write(tmp_path, report, [], Validation())
    rows = CalamineWorkbook.from_path(str(clean)).get_sheet_by_name("Validation").to_python()
    assert any(row[3] == "No errors or warnings." for row in rows)


def test_money_uses_indian_grouping_headers_freeze_and_print_titles(shree):
    _, _, path = shree
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("xl/styles.xml").decode()
    xml = sheet_xml(path)

    assert r"##\,##\,##0.00" in styles
    for name in ALL_SHEETS:
        assert 'state="frozen"' in xml[name], name
        assert "CMA FY 2024-25 - Shree Ganesh Polymers Private Limited" in xml[name]  # header


def test_the_workbook_can_be_written_to_a_buffer():
    buffer = io.BytesIO()
    books = books_from_items(
        [("2023-24", "sales_domestic", Decimal(100), "Cr")], {"2023-24": "statements"}
    )
    write_workbook(
        buffer,
        project_name="P",
        client_name="C",
        report=compute(books),
        line_items=[],
        validation=Validation(),
    )

    assert zipfile.ZipFile(io.BytesIO(buffer.getvalue())).testzip() is None


class ExcelFormula:
    """Just enough of Excel's formula language for the formulas the forms write.

    Parses into a tree first, so that IF evaluates only the branch it takes (as Excel does).
    """

    TOKEN = re.compile(
        r"\s*(?:(?P<ref>(?:'[^']+'|[A-Za-z]+)![A-Z]+\d+|[A-Z]+\d+(?![A-Z(]))"
        r"|(?P<num>\d+(?:\.\d+)?)|(?P<str>\"\")|(?P<name>[A-Z]+)\(|(?P<op>[-+*/=(),]))"
    )

    def __init__(self, text: str, sheet: str, cell) -> None:
        self.tokens, position = [], 0
        while position < len(text):
            match = self.TOKEN.match(text, position)
            assert match, text[position:]
            self.tokens.append((match.lastgroup, match[match.lastgroup]))
            position = match.end()
        self.index, self.sheet, self.cell = 0, sheet, cell
        self.tree = self.comparison()
        assert self.index == len(self.tokens), text

    def peek(self):
        return self.tokens[self.index][1] if self.index < len(self.tokens) else None

    def take(self, expected=None):
        token = self.tokens[self.index]
        assert expected is None or token[1] == expected, (token, expected)
        self.index += 1
        return token

    def comparison(self):
        left = self.sum()
        if self.peek() == "=":
            self.take()
            return ("=", left, self.sum())
        return left

    def sum(self):
        node = self.product()
        while self.peek() in ("+", "-"):
            node = (self.take()[1], node, self.product())
        return node

    def product(self):
        node = self.unary()
        while self.peek() in ("*", "/"):
            node = (self.take()[1], node, self.unary())
        return node

    def unary(self):
        if self.peek() == "-":
            self.take()
            return ("neg", self.unary())
        return self.primary()

    def primary(self):
        kind, text = self.take()
        if kind == "num":
            return ("const", Decimal(text))
        if kind == "str":
            return ("const", None)
        if kind == "ref":
            sheet, _, ref = text.rpartition("!")
            return ("ref", sheet.strip("'") or self.sheet, ref)
        if kind == "op" and text == "(":
            node = self.sum()
            self.take(")")
            return node
        assert kind == "name", text
        args = [self.comparison()]
        while self.peek() == ",":
            self.take()
            args.append(self.comparison())
        self.take(")")
        return ("call", text, args)

    def value(self, node=None):
        node = self.tree if node is None else node
        tag = node[0]
        if tag == "const":
            return node[1]
        if tag == "ref":
            return self.cell(node[1], node[2])
        if tag == "neg":
            operand = self.value(node[1])
            return None if operand is None else -operand
        if tag == "call":
            name, args = node[1], node[2]
            if name == "IF":
                condition = self.value(args[0])
                return self.value(args[1] if condition else args[2])
            values = [self.value(arg) for arg in args]
            if None in values:
                return None
            if name == "ROUND":
                # Excel rounds half away from zero (Python's round() would round to even).
                places = Decimal(1).scaleb(-int(values[1]))
                return values[0].quantize(places, rounding=ROUND_HALF_UP)
            return {"MIN": min, "MAX": max}[name](values)
        left, right = self.value(node[1]), self.value(node[2])
        if left is None or right is None:
            return None
        return {
            "+": lambda: left + right,
            "-": lambda: left - right,
            "*": lambda: left * right,
            "/": lambda: left / right,
            "=": lambda: left == right,
        }[tag]()
