"""A CA's decision is remembered by the firm and decides the same ledger next time."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pipeline.runner import run_execute
from projects.models import LineItem, ReviewItem
from projects.services import project_create
from tests.conftest import api_client, login

BOOKS = (
    "Trial Balance 1-Apr-2024 to 31-Mar-2025\n"
    "Particulars,Debit,Credit\n"
    "Capital Account,,50000.00\n"
    "Sales,,150000.00\n"
    "Purchases,120000.00,\n"
    "Shree Balaji Enterprises,5000.00,\n"
    "Cash in Hand,75000.00,\n"
)


def processed(user, name: str, **options) -> int:
    project = project_create(user=user, name=name)
    client = api_client(user)
    client.post(
        reverse("api-project-files", args=[project.pk]),
        {"files": [SimpleUploadedFile("tb.csv", BOOKS.encode())]},
    )
    run = client.post(
        reverse("api-process", args=[project.pk]), options, content_type="application/json"
    ).json()
    run_execute(run_id=run["run_id"])
    return project.pk


def test_a_correction_decides_the_same_ledger_in_the_next_project(alice, bob):
    first = processed(alice, "First", auto_approve_above=0.999)
    ca = api_client(bob)
    pending = ca.get(reverse("api-review-items", args=[first]) + "?status=pending").json()
    party = next(i for i in pending["results"] if i["line_item"]["label"].startswith("Shree"))
    corrected = ca.post(
        reverse("api-review-item", args=[party["id"]]),
        {"action": "correct", "head": "advances_to_suppliers"},
        content_type="application/json",
    )
    assert corrected.status_code == 200

    second = processed(alice, "Second")
    item = LineItem.objects.get(project_id=second, label="Shree Balaji Enterprises")
    assert (item.head, item.method) == ("advances_to_suppliers", "learned")
    assert item.confidence >= 0.95
    assert item.review_status == "auto_approved"


def test_a_correction_in_the_admin_teaches_the_same(alice, bob):
    first = processed(alice, "First", auto_approve_above=0.999)
    item = ReviewItem.objects.get(project_id=first, line_item__label="Shree Balaji Enterprises")
    changed = login(bob).post(
        reverse("admin:projects_reviewitem_change", args=[item.pk]),
        {"final_head": "advances_to_suppliers"},
    )
    assert changed.status_code == 302

    second = processed(alice, "Second")
    line = LineItem.objects.get(project_id=second, label="Shree Balaji Enterprises")
    assert (line.head, line.method, line.review_status) == (
        "advances_to_suppliers",
        "learned",
        "auto_approved",
    )
    assert not ReviewItem.objects.filter(project_id=second, line_item=line).exists()
