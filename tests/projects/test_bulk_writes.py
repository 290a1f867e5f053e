"""The steps' writes of thousands of values: kept out of DEBUG's query log (which would
quote every value in, and keep a copy of every batch), still seen by a test that
captures queries, and the values stored as the fields would store them; a book read
again replaces its own line items (and their reviews) only."""

from decimal import Decimal

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext, override_settings

from pipeline.services import run_create
from projects.models import LineItem, ProjectFile, ReviewItem
from projects.steps.classify import update_rows
from projects.steps.extract import insert_line_items, line_items_delete

ROWS = 1_500  # more than one batch


def rows_of(project_file) -> list[dict[str, object]]:
    return [
        {
            "project_id": project_file.project_id,
            "file_id": project_file.pk,
            "year": "2024-25",
            "label": f"Ledger {n}",
            "amount": Decimal("12.34"),
            "side": "Dr",
            "source": f"A{n}",
            "position": n,
        }
        for n in range(ROWS)
    ]


def writes_in(queries: list[dict[str, str]]) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith(("INSERT INTO", "WITH", "UPDATE"))]


def test_with_debug_on_the_big_writes_stay_out_of_the_query_log(project_file):
    with override_settings(DEBUG=True):
        reset_queries()
        insert_line_items(rows_of(project_file))
        ids = list(LineItem.objects.filter(file=project_file).values_list("id", flat=True))
        update_rows(((pk, "cash", [{"head": "bank", "confidence": 0.5}]) for pk in ids),
                    ["head", "alternatives"])  # fmt: skip
        logged = list(connection.queries)
    assert len(ids) == ROWS
    assert logged  # the log is on: the read above is in it
    assert writes_in(logged) == []


def test_a_test_capturing_queries_sees_every_batch_and_the_values_are_stored(project_file):
    with CaptureQueriesContext(connection) as captured:
        insert_line_items(rows_of(project_file))
    assert len(writes_in(captured.captured_queries)) == 2
    ids = list(
        LineItem.objects.filter(file=project_file).order_by("id").values_list("id", flat=True)
    )
    with CaptureQueriesContext(connection) as captured:
        update_rows(
            ((pk, "cash", [{"head": "it's \\ ₹", "confidence": 0.5}], None) for pk in ids),
            ["head", "alternatives", "ocr_confidence"],
        )
    assert len(writes_in(captured.captured_queries)) == 2
    stored = LineItem.objects.filter(file=project_file)
    assert {(i.head, i.amount, i.ocr_confidence) for i in stored} == {
        ("cash", Decimal("12.34"), None)
    }
    assert all(i.alternatives == [{"head": "it's \\ ₹", "confidence": 0.5}] for i in stored)
    assert all(i.evidence == [] and i.review_status == "" for i in stored)  # defaults


def test_reading_a_book_again_deletes_its_line_items_and_their_reviews_only(
    project_file, alice, make_project
):
    other = make_project(alice, "Other")
    other_file = ProjectFile.objects.create(project=other, name="other.csv", kind="csv", size=1)
    insert_line_items(rows_of(project_file))
    insert_line_items(
        [{**row, "project_id": other.pk, "file_id": other_file.pk} for row in rows_of(project_file)]
    )
    mine = LineItem.objects.filter(project=project_file.project).first()
    theirs = LineItem.objects.filter(project=other).first()
    for project, item in ((project_file.project, mine), (other, theirs)):
        run = run_create(subject=project, pipeline_name="toy", options={}, requested_by=alice)
        ReviewItem.objects.create(run=run, project=project, line_item=item)

    line_items_delete(project_id=project_file.project_id)

    assert not LineItem.objects.filter(project=project_file.project).exists()
    assert not ReviewItem.objects.filter(project=project_file.project).exists()
    assert LineItem.objects.filter(project=other).count() == ROWS
    assert ReviewItem.objects.get(project=other).line_item_id == theirs.pk
