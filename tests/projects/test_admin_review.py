"""CAs decide review items in the admin, through the admin's own URLs and forms."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from pipeline.models import Run, RunStatus
from pipeline.runner import run_execute
from projects.cma.heads import head_title
from projects.models import AuditLog, LabelMemory, LineItem, Output, ReviewItem
from projects.services import project_files_add, review_item_decide
from tests.conftest import MEHTA_CSV, api_client, login, sample

CHANGELIST = reverse("admin:projects_reviewitem_changelist")


@pytest.fixture
def paused(project, alice, django_capture_on_commit_callbacks) -> Run:
    """Mehta Traders' books processed with a bar so high that items wait for a CA."""
    project_files_add(project=project, uploads=[sample(MEHTA_CSV)], user=alice)
    response = api_client(alice).post(
        reverse("api-process", args=[project.pk]),
        {"auto_approve_above": 0.99},
        content_type="application/json",
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_execute(run_id=response.json()["run_id"])
    run = Run.objects.get(pk=response.json()["run_id"])
    assert run.status == RunStatus.AWAITING_REVIEW
    return run


def listing(client, run: Run, query: str = ""):
    return client.get(f"{CHANGELIST}?project__id__exact={run.project_id}{query}")


def editable_rows(response) -> dict:
    """The change list's formset as a browser would post it back, unchanged."""
    formset = response.context["cl"].formset
    data = {
        f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()
    }
    for form in formset.forms:
        data[f"{form.prefix}-id"] = form.instance.pk
        data[f"{form.prefix}-final_head"] = form.initial["final_head"]
    data["_save"] = "Save"
    return data


def row_prefix(response, item: ReviewItem) -> str:
    return next(f.prefix for f in response.context["cl"].formset.forms if f.instance.pk == item.pk)


# The resume enqueues the run: the broker's table may live in the "queue" database.
@pytest.mark.django_db(databases="__all__")
def test_ca_approves_in_bulk_corrects_one_and_the_run_completes(
    paused, bob, django_capture_on_commit_callbacks
):
    client = login(bob)
    items = list(ReviewItem.objects.filter(run=paused).select_related("line_item"))
    assert len(items) > 5
    # A CA's call the books leave open: an expense that is manufacturing, not selling.
    # (The same ledger of the other year waits too: approved below as suggested, it does
    # not undo this correction in the firm's memory.)
    party = next(i for i in items if i.suggested_head == "sga_expenses")

    # One head corrected from the change list's dropdown, without opening the item.
    page = listing(client, paused)
    assert page.status_code == 200
    data = editable_rows(page)
    data[f"{row_prefix(page, party)}-final_head"] = "other_mfg_expenses"
    saved = client.post(f"{CHANGELIST}?project__id__exact={paused.project_id}", data)
    assert saved.status_code == 302
    party.refresh_from_db()
    assert (party.status, party.final_head, party.decided_by) == (
        "corrected",
        "other_mfg_expenses",
        bob,
    )
    assert ReviewItem.objects.filter(run=paused, status="pending").count() == len(items) - 1

    # The rest in one go; the last decision resumes the run.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{CHANGELIST}?project__id__exact={paused.project_id}",
            {"action": "approve_confident", "index": 0, "min_confidence": 0},
            follow=True,
        )
    text = response.content.decode()
    assert f"Approved {len(items) - 1} items" in text
    assert "the run continues by itself" in text
    assert not ReviewItem.objects.filter(run=paused, status="pending").exists()
    assert Run.objects.get(pk=paused.pk).status == RunStatus.QUEUED

    with django_capture_on_commit_callbacks(execute=True):
        run_execute(run_id=paused.pk)
    finished = Run.objects.get(pk=paused.pk)
    assert finished.status == RunStatus.COMPLETED, finished.error
    assert Output.objects.filter(run=paused).exists()
    line = LineItem.objects.get(pk=party.line_item_id)
    assert (line.head, line.review_status) == ("other_mfg_expenses", "corrected")
    assert LabelMemory.objects.filter(head="other_mfg_expenses", decided_by=bob).exists()
    audit = AuditLog.objects.filter(run_id=paused.pk, action__startswith="review_", actor=bob)
    assert audit.count() == len(items)


def test_approve_above_a_confidence_leaves_the_rest_pending(paused, bob):
    items = ReviewItem.objects.filter(run=paused)
    bar = sorted(items.values_list("confidence", flat=True))[len(items) // 2]
    login(bob).post(
        f"{CHANGELIST}?project__id__exact={paused.project_id}",
        {"action": "approve_confident", "index": 0, "min_confidence": round(bar * 100)},
    )
    for item in items.all():
        above = item.confidence >= round(bar * 100) / 100
        assert item.status == ("approved" if above else "pending"), item.confidence
    assert Run.objects.get(pk=paused.pk).status == RunStatus.AWAITING_REVIEW


def test_approve_selected_touches_only_the_ticked_rows(paused, olga):
    first, second = ReviewItem.objects.filter(run=paused)[:2]
    login(olga).post(
        CHANGELIST,
        {"action": "approve_selected", "index": 0, "_selected_action": [first.pk, second.pk]},
    )
    decided = ReviewItem.objects.filter(run=paused).exclude(status="pending")
    assert set(decided.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert set(decided.values_list("decided_by__username", flat=True)) == {"olga@acme.test"}


def test_the_list_shows_what_a_ca_needs_to_decide(paused, bob):
    item = ReviewItem.objects.filter(run=paused).select_related("line_item").first()
    LineItem.objects.filter(pk=item.line_item_id).update(amount=Decimal("1234567.5"))
    text = listing(login(bob), paused).content.decode()
    assert item.line_item.label in text
    assert "12,34,567.50 Dr" in text  # Indian grouping, and the side as a ledger prints it
    assert "trial-balance.csv" in text
    assert f"({item.confidence:.0%})" in text
    # The runners-up sit under the suggestion, in the same column.
    runner_up = escape(head_title(item.alternatives[0]["head"]))
    assert f'<span class="alternatives">{runner_up} (' in text
    # The dropdown offers every head, grouped by the form it is printed on.
    assert '<optgroup label="Operating statement (Form II)">' in text
    assert '<optgroup label="Balance sheet - assets (Form III)">' in text


def test_the_list_is_titled_for_a_ca_and_holds_a_whole_run(paused, bob, alice):
    response = listing(login(bob), paused)
    text = response.content.decode()
    assert "<h1>Review items</h1>" in text
    assert "Check each suggested head" in text  # what to do, under the title
    assert "Select review item to change" not in text
    assert response.context["cl"].list_per_page >= 200  # a run's items on one page
    # Someone who only looks gets the title without the instruction.
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    assert "Check each suggested head" not in listing(login(alice), paused).content.decode()


def test_the_run_page_names_who_decided_each_review_item(paused, alice, bob):
    items = ReviewItem.objects.filter(run=paused).select_related("line_item")
    first = items[0]
    second = items.exclude(line_item__label=first.line_item.label)[0]
    review_item_decide(item=first, user=bob, action="approve")
    html = login(alice).get(reverse("run-detail", args=[paused.pk])).text
    decisions = html.split('id="decisions"')[1].split("</section>")[0]
    assert "Review decisions (1)" in decisions
    assert f"<strong>bob@acme.test</strong>: Approved “{first.line_item.label}”" in decisions
    assert second.line_item.label not in decisions


def test_filters_and_search_narrow_the_list(paused, bob):
    client = login(bob)
    items = ReviewItem.objects.filter(run=paused).select_related("line_item")
    label = items[0].line_item.label
    found = client.get(f"{CHANGELIST}?q={label}").context["cl"].result_list
    assert label in {i.line_item.label for i in found}
    low = client.get(f"{CHANGELIST}?confidence=low").context["cl"].result_list
    assert {i.pk for i in low} == {i.pk for i in items if i.confidence < 0.40}
    head = items[0].suggested_head
    by_head = client.get(f"{CHANGELIST}?head={head}").context["cl"].result_list
    assert {i.suggested_head for i in by_head} == {head}
    pending = client.get(f"{CHANGELIST}?status__exact=pending").context["cl"].result_list
    assert len(pending) == len(items)


def test_staff_cannot_decide_in_the_admin(paused, alice):
    item = ReviewItem.objects.filter(run=paused).first()
    client = login(alice)
    assert client.get(CHANGELIST).status_code == 302  # to the admin's login
    client.post(
        CHANGELIST, {"action": "approve_selected", "index": 0, "_selected_action": [item.pk]}
    )
    client.post(
        reverse("admin:projects_reviewitem_change", args=[item.pk]), {"final_head": "share_capital"}
    )
    assert not ReviewItem.objects.filter(run=paused).exclude(status="pending").exists()


def test_staff_read_the_items_on_the_project_review_page(paused, alice):
    item = ReviewItem.objects.filter(run=paused).select_related("line_item").first()
    response = login(alice).get(reverse("project-review", args=[paused.project_id]))
    assert response.status_code == 200
    text = response.content.decode()
    assert item.line_item.label in text
    assert "<form" not in text.split("<main", 1)[1].replace(
        '<form method="post" action="/accounts/logout/"', ""
    )
    assert "Decide in the admin" not in text


def test_ca_of_another_firm_sees_nothing_and_gets_404(paused, dave):
    item = ReviewItem.objects.filter(run=paused).first()
    client = login(dave)
    assert list(listing(client, paused).context["cl"].result_list) == []
    assert (
        client.get(reverse("admin:projects_reviewitem_change", args=[item.pk])).status_code == 404
    )
    client.post(
        CHANGELIST, {"action": "approve_selected", "index": 0, "_selected_action": [item.pk]}
    )
    client.post(CHANGELIST, {"action": "approve_confident", "index": 0, "min_confidence": 0})
    assert not ReviewItem.objects.filter(run=paused).exclude(status="pending").exists()


def test_a_decision_can_change_until_the_run_resumes_then_it_is_locked(paused, bob):
    client = login(bob)
    item = ReviewItem.objects.filter(run=paused).first()
    url = reverse("admin:projects_reviewitem_change", args=[item.pk])
    assert client.post(url, {"final_head": "share_capital"}).status_code == 302
    assert client.post(url, {"final_head": "general_reserve"}).status_code == 302
    item.refresh_from_db()
    assert (item.final_head, item.status) == ("general_reserve", "corrected")

    Run.objects.filter(pk=paused.pk).update(status=RunStatus.RUNNING)
    page = client.get(url)
    assert "Locked: the run has resumed." in page.content.decode()
    client.post(url, {"final_head": "share_capital"})
    item.refresh_from_db()
    assert item.final_head == "general_reserve"
    listed = listing(client, paused)
    assert all(f.fields["final_head"].disabled for f in listed.context["cl"].formset.forms)


def test_learned_labels_are_listed_for_the_firm_only(paused, bob, dave):
    item = ReviewItem.objects.filter(run=paused).select_related("line_item").first()
    login(bob).post(
        reverse("admin:projects_reviewitem_change", args=[item.pk]), {"final_head": "share_capital"}
    )
    memory_list = reverse("admin:projects_labelmemory_changelist")
    assert login(bob).get(memory_list).context["cl"].result_count == 1
    assert login(dave).get(memory_list).context["cl"].result_count == 0
