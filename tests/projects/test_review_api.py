"""Line items, review decisions and heads through the API (API.md "Line items and review")."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pipeline import services as pipeline_services
from pipeline.models import Run, RunStatus
from projects.models import AuditLog, LabelMemory, LineItem, ReviewItem
from tests.conftest import api_client


@pytest.fixture
def paused(project_file, alice):
    """A run waiting for review of two line items, as the review step leaves it."""
    run = pipeline_services.run_create(
        subject=project_file.project, pipeline_name="toy", options={}, requested_by=alice
    )
    Run.objects.filter(pk=run.pk).update(status=RunStatus.AWAITING_REVIEW)
    items = []
    for position, (label, head, confidence) in enumerate(
        [("Kotak OD A/c", "bank_borrowings_wc", 0.55), ("Misc Receipts", "", 0.0)]
    ):
        line = LineItem.objects.create(
            project=project_file.project,
            file=project_file,
            year="2024-25",
            label=label,
            amount=Decimal("1234.50"),
            side="Cr",
            source="trial-balance.csv line 3",
            head=head,
            confidence=confidence,
            method="fuzzy" if head else "none",
            alternatives=[{"head": "st_borrowings_others", "confidence": 0.3}],
            review_status="pending",
            position=position,
        )
        items.append(
            ReviewItem.objects.create(
                run=run,
                project=project_file.project,
                line_item=line,
                suggested_head=head,
                confidence=confidence,
                alternatives=line.alternatives,
            )
        )
    return run, items


def decide(user, item, **body):
    return api_client(user).post(
        reverse("api-review-item", args=[item.pk]), body, content_type="application/json"
    )


def test_review_items_list_shows_the_suggestion_and_the_line(paused, alice):
    run, _ = paused
    body = (
        api_client(alice)
        .get(reverse("api-review-items", args=[run.project_id]) + "?status=pending")
        .json()
    )
    assert body["count"] == 2
    first = body["results"][0]
    assert set(first) >= {
        "id",
        "status",
        "suggested_head",
        "final_head",
        "confidence",
        "alternatives",
        "line_item",
    }
    assert first["line_item"]["file"] == "trial-balance.csv"
    assert first["line_item"]["amount"] == 1234.5


def test_staff_cannot_decide(paused, alice):
    _, items = paused
    response = decide(alice, items[0], action="approve")
    assert response.status_code == 403
    assert response.json()["error"] == "not_a_reviewer"
    assert ReviewItem.objects.get(pk=items[0].pk).status == "pending"


def test_ca_of_another_firm_gets_404(paused, dave):
    _, items = paused
    assert decide(dave, items[0], action="approve").status_code == 404


def test_unknown_head_is_refused(paused, bob):
    _, items = paused
    response = decide(bob, items[0], action="correct", head="not_a_head")
    assert response.status_code == 400
    assert response.json()["error"] == "unknown_head"


def test_approve_records_who_and_when_and_learns(paused, bob):
    _, items = paused
    response = decide(bob, items[0], action="approve")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved"
    assert body["final_head"] == "bank_borrowings_wc"
    assert body["decided_by"] == "bob@acme.test"
    assert body["decided_at"]
    line = LineItem.objects.get(pk=items[0].line_item_id)
    assert (line.head, line.review_status) == ("bank_borrowings_wc", "approved")
    memory = LabelMemory.objects.get()
    assert (memory.side, memory.head) == ("Cr", "bank_borrowings_wc")
    assert AuditLog.objects.filter(action="review_approved", actor=bob).exists()


def test_approving_nothing_suggested_asks_for_a_correction(paused, bob):
    _, items = paused
    response = decide(bob, items[1], action="approve")
    assert response.status_code == 400


def test_last_decision_resumes_the_run(paused, bob, django_capture_on_commit_callbacks):
    run, items = paused
    decide(bob, items[0], action="approve")
    assert Run.objects.get(pk=run.pk).status == "awaiting_review"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = decide(bob, items[1], action="correct", head="other_current_liabilities")
    assert response.json()["status"] == "corrected"
    # What the commit runs: the resume (whose own enqueue waits for a commit of its own).
    for callback in callbacks:
        callback()
    assert Run.objects.get(pk=run.pk).status == "queued"


def test_a_decision_can_change_until_the_run_resumes(paused, bob):
    run, items = paused
    decide(bob, items[0], action="correct", head="st_borrowings_others")
    response = decide(bob, items[0], action="correct", head="bank_borrowings_wc")
    assert response.status_code == 200
    assert response.json()["final_head"] == "bank_borrowings_wc"
    Run.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING)
    response = decide(bob, items[0], action="approve")
    assert response.status_code == 409
    assert response.json()["error"] == "review_locked"


def test_line_items_list_filters(paused, alice):
    run, _ = paused
    url = reverse("api-line-items", args=[run.project_id])
    body = api_client(alice).get(url + "?head=bank_borrowings_wc").json()
    assert [i["label"] for i in body["results"]] == ["Kotak OD A/c"]
    item = body["results"][0]
    assert set(item) >= {
        "id",
        "file_id",
        "year",
        "label",
        "amount",
        "side",
        "source",
        "head",
        "confidence",
        "method",
        "review_status",
    }
    assert api_client(alice).get(url + "?status=pending").json()["count"] == 2
    assert api_client(alice).get(url + "?year=2023-24").json()["count"] == 0


def test_heads_lists_every_cma_head(alice):
    heads = api_client(alice).get(reverse("api-heads")).json()
    ids = {h["id"] for h in heads}
    assert {"sales_domestic", "bank_borrowings_wc", "inventory_rm", "pl_surplus"} <= ids
    assert all(set(h) == {"id", "item", "label", "side", "normal"} for h in heads)


def test_report_is_404_before_one_exists(project, alice):
    response = api_client(alice).get(reverse("api-report", args=[project.pk]))
    assert response.status_code == 404
    assert response.json()["error"] == "no_report"
