"""A big book streams through the steps a chunk at a time, and nothing changes for it.

The steps insert, classify, read back and write line items in chunks (a 100,000-ledger
book is never held whole); here the chunks are a few rows, so that every boundary is
crossed many times, and the results are compared with the pure functions' and with
XlsxWriter's own cells. The figures are added up in the database as whole paise.
"""

import importlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bench.cma_throughput import write_trial_balance
from projects.cma.checks import Validation
from projects.cma.classify.amounts import totals_of
from projects.cma.classify.book import classify_book
from projects.cma.extract import extract_file
from projects.cma.forms import books_from_items, compute, key_figures
from projects.cma.workbook import WorkbookItem, rows, safe_text, write_workbook
from projects.models import LineItem
from projects.reports.compute import head_totals, trial_balance_totals
from tests.conftest import api_client, process_inline

LEDGERS = 300
# The step modules (projects.steps' names are the step functions).
extract, classify, generate = (
    importlib.import_module(f"projects.steps.{name}")
    for name in ("extract", "classify", "generate")
)


@pytest.fixture
def tiny_chunks(monkeypatch) -> None:
    monkeypatch.setattr(extract, "INSERT_BATCH", 7)
    monkeypatch.setattr(classify, "CLASSIFY_CHUNK", 11)
    monkeypatch.setattr(classify, "UPDATE_BATCH", 5)
    monkeypatch.setattr(generate, "ITEMS_CHUNK", 13)
    monkeypatch.setattr(rows, "SPOOL_IN_MEMORY", 4096)  # the rows go to a temporary file
    monkeypatch.setattr(rows, "SPLICE_CHUNK", 97)
    monkeypatch.setattr(rows, "WRITE_BATCH", 7)


def test_a_book_streamed_in_small_chunks_gives_the_pure_functions_results(
    tiny_chunks, project, alice, tmp_path
):
    path = tmp_path / "trial balance FY 2024-25.xlsx"
    write_trial_balance(path, LEDGERS, seed=5)
    expected = extract_file(path=path, kind="xlsx", name=path.name).items
    suggestions = classify_book(expected, book_totals=totals_of(expected))
    assert process_inline(alice, project, path) == "completed"
    client = api_client(alice)

    stored = list(LineItem.objects.filter(project=project).order_by("position"))
    assert [i.position for i in stored] == list(range(LEDGERS))
    for item, want, suggestion in zip(stored, expected, suggestions, strict=True):
        assert (item.label, item.year, item.amount, item.side) == (
            want.label,
            want.year,
            want.amount,
            want.side,
        )
        assert (item.head, item.method) == (suggestion.head or "", suggestion.method)
        assert item.evidence == list(suggestion.evidence)
        assert (item.alternatives, item.review_status) == (
            [{"head": h, "confidence": round(c, 4)} for h, c in suggestion.alternatives],
            "",
        )

    books = books_from_items(
        (
            (i.year, s.head, i.amount, i.side)
            for i, s in zip(expected, suggestions, strict=True)
            if s.head
        ),
        {i.year: i.basis for i in expected},
    )
    report = client.get(reverse("api-report", args=[project.pk])).json()
    for year, figures in key_figures(compute(books)).items():
        for name, value in figures.items():
            got = report["key_figures"][year][name]
            assert got == (None if value is None else float(value)), (year, name)

    content = b"".join(client.get(report["output"]["download_url"]).streaming_content)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name("Line items")
    grid = sheet.to_python()
    top = next(n for n, row in enumerate(grid) if row and row[0] == "Year") + 1
    assert [row[:4] for row in grid[top:]] == [
        [i.year, i.label, float(i.amount), i.side] for i in stored
    ]
    assert [row[6] for row in grid[top:]] == [i.head or "(no head)" for i in stored]


def test_figures_are_added_up_to_the_paisa(project_file):
    # 0.10 added up as floats a thousand times is 99.9999999999986, not 100.00.
    LineItem.objects.bulk_create(
        LineItem(
            project=project_file.project,
            file=project_file,
            year="2024-25",
            label=f"Petty expense {n}",
            amount=Decimal("0.10") if n < 1000 else Decimal("9999999999.99"),
            side="Dr" if n < 1002 else "Cr",
            source=f"A{n}",
            head="other_expenses" if n < 1002 else "sales_domestic",
        )
        for n in range(1003)
    )

    totals = head_totals(project_id=project_file.project_id)

    assert trial_balance_totals(totals) == {
        "2024-25": (Decimal("20000000099.98"), Decimal("9999999999.99"))
    }
    assert sum(t.count for t in totals) == 1003


TRICKY_TEXTS = [
    "Tom & Jerry <Pvt> Ltd",
    "  leading and trailing spaces  ",
    "bell \x07 and tab \t inside",
    "looks escaped _x0041_ already",
    "quotes \"double\" and 'single'",
    "₹ रुपये 日本",
    "line\nbreak",
    "=1+1",
]


def test_the_line_items_sheet_reads_back_as_xlsxwriter_writes_the_same_text(tmp_path):
    items = [
        WorkbookItem(
            year="2024-25",
            label=text,
            amount=Decimal("1234.56"),
            side="Dr",
            file_name=f"{text}.xlsx",
            source=text,
            head=None if n % 2 else "sales_domestic",
            head_label="" if n % 2 else "Domestic sales",
            confidence=None if n % 3 == 0 else 0.5,
            method="synonym",
            approved_by=text,
        )
        for n, text in enumerate(TRICKY_TEXTS)
    ]
    path = tmp_path / "cma.xlsx"
    write_workbook(
        str(path),
        project_name="P",
        client_name="C",
        report=compute(books_from_items([], {"2024-25": "trial_balance"})),
        line_items=iter(items),
        validation=Validation(),
    )
    reference = io.BytesIO()
    with xlsxwriter.Workbook(reference, {"in_memory": True}) as book:
        sheet = book.add_worksheet()
        for n, text in enumerate(TRICKY_TEXTS):
            sheet.write_string(n, 0, safe_text(text))
    reference.seek(0)
    expected = CalamineWorkbook.from_filelike(reference).get_sheet_by_name("Sheet1").to_python()

    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Line items").to_python()
    top = next(n for n, row in enumerate(grid) if row and row[0] == "Year") + 1
    written = grid[top:]
    assert [row[1] for row in written] == [row[0] for row in expected]
    assert [row[5] for row in written] == [row[0] for row in expected]
    assert [row[10] for row in written] == [row[0] for row in expected]
    assert [row[4] for row in written] == [f"{row[0]}.xlsx" for row in expected]
    assert [row[6] for row in written] == [
        "(no head)" if n % 2 else "sales_domestic" for n in range(len(items))
    ]
    assert [row[8] for row in written] == ["" if n % 3 == 0 else 0.5 for n in range(len(items))]


def test_an_empty_book_still_has_its_line_items_frame(tmp_path):
    path = Path(tmp_path / "cma.xlsx")
    write_workbook(
        str(path),
        project_name="P",
        client_name="C",
        report=compute(books_from_items([], {"2024-25": "trial_balance"})),
        line_items=[],
        validation=Validation(),
    )

    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Line items").to_python()
    assert grid[-1][:3] == ["Year", "Label (as in the file)", "Amount (₹)"]


def test_the_books_evidence_decides_stock_read_in_another_chunk(
    tiny_chunks, project, alice, tmp_path
):
    # The stock lines come first, the purchases and sales that decide them chunks later.
    rows = [
        ("Stock of Paddy", "1,00,000.00 Dr"),
        ("Stock of Rice", "50,000.00 Dr"),
        *((f"Cash at Branch {n}", "1,000.00 Dr") for n in range(1, 31)),
        ("Paddy Purchase", "4,70,000.00 Dr"),
        ("Factory Wages", "60,000.00 Dr"),
        ("Power & Fuel - Boiler", "40,000.00 Dr"),
        ("Factory Expenses", "20,000.00 Dr"),
        ("Sales - Rice", "7,00,000.00 Cr"),
        ("Partner Capital - A. Rao", "70,000.00 Cr"),
    ]
    path = tmp_path / "rice mill trial balance.csv"
    path.write_text(
        "Ledger,FY 2024-25\n" + "".join(f'{label},"{amount}"\n' for label, amount in rows)
    )
    process_inline(alice, project, path)

    stored = {i.label: i for i in LineItem.objects.filter(project=project)}
    paddy, rice = stored["Stock of Paddy"], stored["Stock of Rice"]
    assert (paddy.head, paddy.method) == ("inventory_rm", "book")
    assert paddy.confidence >= 0.7
    assert (rice.head, rice.method) == ("inventory_fg", "book")
    assert "Sales - Rice" in rice.evidence[0]
