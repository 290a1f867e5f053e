"""A 20,000-ledger trial balance through the pipeline: the set-based writes change nothing.

The line items the steps write (one multi-row INSERT, one UPDATE ... FROM VALUES per
batch) hold exactly what the pure functions give for the same file, and the report's
figures are the ones computed from those functions' output directly.
"""

from decimal import Decimal

from django.urls import reverse

from bench.cma_throughput import write_trial_balance
from pipeline.services import run_create
from projects.cma.classify.amounts import totals_of
from projects.cma.classify.book import classify_book
from projects.cma.extract import extract_file
from projects.cma.forms import books_from_items, compute, key_figures
from projects.models import LineItem, ReviewItem
from projects.steps.classify import FIELDS, update_line_items
from tests.conftest import api_client, process_inline

LEDGERS = 20_000


def test_a_20000_ledger_book_gives_the_figures_of_the_pure_functions(project, alice, tmp_path):
    path = tmp_path / "trial balance FY 2024-25.xlsx"
    write_trial_balance(path, LEDGERS, seed=11)
    expected_items = extract_file(path=path, kind="xlsx", name=path.name).items
    suggestions = classify_book(expected_items, book_totals=totals_of(expected_items))

    assert process_inline(alice, project, path) == "completed"
    client = api_client(alice)

    stored = list(LineItem.objects.filter(project=project).order_by("position"))
    assert len(stored) == len(expected_items) == LEDGERS
    for item, expected, suggestion in zip(stored, expected_items, suggestions, strict=True):
        assert (item.label, item.year, item.amount, item.side) == (
            expected.label,
            expected.year,
            expected.amount,
            expected.side,
        )
        assert item.head == (suggestion.head or "")
        assert item.confidence == round(suggestion.confidence, 4)
        assert item.method == suggestion.method
        assert item.evidence == list(suggestion.evidence)
        assert [a["head"] for a in item.alternatives] == [h for h, _ in suggestion.alternatives]

    books = books_from_items(
        (
            (i.year, s.head, i.amount, i.side)
            for i, s in zip(expected_items, suggestions, strict=True)
            if s.head
        ),
        {i.year: i.basis for i in expected_items},
    )
    expected_figures = key_figures(compute(books))
    report = client.get(reverse("api-report", args=[project.pk])).json()
    for year, figures in expected_figures.items():
        for name, value in figures.items():
            got = report["key_figures"][year][name]
            if value is None:
                assert got is None, (year, name)
            else:
                assert Decimal(str(got)).quantize(Decimal("0.0001")) == value.quantize(
                    Decimal("0.0001")
                ), (year, name)


def test_the_set_based_update_keeps_ids_and_writes_every_field(project_file, alice):
    project = project_file.project
    items = LineItem.objects.bulk_create(
        LineItem(
            project=project,
            file=project_file,
            year="2024-25",
            label=f"Ledger {n}",
            amount=Decimal("10.00"),
            side="Dr",
            source=f"A{n}",
        )
        for n in range(2_500)  # more than one batch
    )
    run = run_create(subject=project, pipeline_name="toy", options={}, requested_by=alice)
    review = ReviewItem.objects.create(run=run, project=project, line_item=items[7])
    for n, item in enumerate(items):
        item.head = "raw_materials" if n % 2 else ""
        item.confidence = n / 10_000
        item.method = "synonym"
        # Quotes, a backslash and non-ASCII travel as data, not SQL.
        item.alternatives = [{"head": "it's \\ ₹", "confidence": 0.5}]
        item.evidence = [f"word '{n}'"]
        item.review_status = "auto_approved" if n == 3 else ""
    update_line_items(items, FIELDS)

    stored = {i.pk: i for i in LineItem.objects.filter(project=project)}
    assert set(stored) == {i.pk for i in items}
    for n, item in enumerate(items):
        row = stored[item.pk]
        assert row.head == item.head
        assert row.confidence == n / 10_000
        assert row.alternatives == [{"head": "it's \\ ₹", "confidence": 0.5}]
        assert row.evidence == [f"word '{n}'"]
        assert row.review_status == ("auto_approved" if n == 3 else "")
        assert row.label == f"Ledger {n}"  # columns not named are left alone
    review.refresh_from_db()
    assert review.line_item_id == items[7].pk
