"""The line-items page: every item with its head, and a CA moving one to another head."""

import json
import re
from decimal import Decimal

from django.urls import reverse

from pipeline.models import Run
from pipeline.runner import run_execute
from pipeline.services import run_create
from projects.cma.checks import format_inr
from projects.models import AuditLog, LabelMemory, LineItem, Output, ReviewStatus
from projects.services import project_files_add
from tests.conftest import MEHTA_CSV, SAMPLES, login, sample


def processed(project_file, user, **options) -> None:
    run = run_create(
        subject=project_file.project, pipeline_name="cma", options=options, requested_by=user
    )
    run_execute(run_id=run.pk)


def line_item_rows(html: str) -> list[list[str]]:
    body = re.search(r'<table class="[^"]*" id="line-items">.*?<tbody>(.*?)</tbody>', html, re.S)
    rows = re.findall(r"<tr data-line-item=\"\d+\">(.*?)</tr>", body.group(1), re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in row] for row in cells]


def test_line_items_page_lists_every_item_with_its_head_and_how_it_was_found(project_file, alice):
    client = login(alice)
    url = reverse("project-line-items", args=[project_file.project_id])
    assert "No line items yet" in client.get(url).text
    processed(project_file, alice)
    truth = json.loads((SAMPLES / "mehta-traders" / "truth.json").read_text())["line_items"]

    html = client.get(url).text
    assert f"{len(truth)} of {len(truth)} line items" in html
    stock = client.get(url, {"year": "2024-25", "head": "inventory_rm"}).text
    [row] = line_item_rows(stock)
    expected = next(t for t in truth if t["year"] == "2024-25" and t["head"] == "inventory_rm")
    label, year, amount, side, source, head, confidence, method, review = row
    assert label.startswith(expected["label"])
    rupees = format_inr(Decimal(str(expected["amount"]))).lstrip("₹")
    assert (year, amount, side, source) == ("2024-25", rupees, "Dr", "trial-balance.csv: line 40")
    # The calibrated confidence (calibration.json) as stored, shown in whole per cent.
    stored = LineItem.objects.get(project=project_file.project, year="2024-25", head="inventory_rm")
    assert confidence == f"{round(stored.confidence * 100)} %"
    assert head == "III.30.i Raw materials"
    assert method == "Ledger name"
    assert review == "Auto-approved"
    assert "1 of" in stock
    searched = line_item_rows(client.get(url, {"q": "rent deposit"}).text)
    assert {r[0] for r in searched} == {"Rent Deposit"}
    assert len(searched) == 2  # both years


def test_line_items_page_pages_a_long_trial_balance(project_file, alice, monkeypatch):
    from projects import views

    monkeypatch.setattr(views, "LINE_ITEMS_PER_PAGE", 5)
    processed(project_file, alice)
    client = login(alice)
    url = reverse("project-line-items", args=[project_file.project_id])
    first = client.get(url, {"year": "2023-24"}).text
    assert len(line_item_rows(first)) == 5
    assert 'href="?year=2023-24&amp;page=2" rel="next"' in first


def rent_deposit(year: str = "2024-25") -> LineItem:
    return LineItem.objects.get(label="Rent Deposit", year=year)


def corrected_page(client, project_file, item, head, **query):
    url = reverse("project-line-item", args=[project_file.project_id, item.pk])
    return client.post(url, {"head": head, **query})


def test_a_ca_moves_an_auto_approved_item_and_updates_the_report(project_file, bob):
    processed(project_file, bob)
    truth = json.loads((SAMPLES / "mehta-traders" / "truth.json").read_text())["key_figures"]
    item = rent_deposit()
    assert (item.head, item.review_status) == ("other_noncurrent_assets", "auto_approved")
    client = login(bob)

    response = corrected_page(
        client, project_file, item, "other_current_assets", back="year=2024-25"
    )
    list_url = reverse("project-line-items", args=[project_file.project_id])
    assert response.status_code == 302
    assert response.url == f"{list_url}?year=2024-25"
    item.refresh_from_db()
    assert (item.head, item.review_status) == ("other_current_assets", ReviewStatus.CORRECTED)
    lesson = LabelMemory.objects.get(label="rent deposit", side="Dr")
    assert (lesson.head, lesson.decided_by) == ("other_current_assets", bob)
    audit = AuditLog.objects.get(action="line_item_corrected")
    assert audit.detail == {
        "label": "Rent Deposit", "year": "2024-25",
        "from": "other_noncurrent_assets", "head": "other_current_assets",
    }  # fmt: skip
    assert "now goes to III.33 Other current assets" in client.get(response.url).text

    page = client.get(reverse("project-detail", args=[project_file.project_id])).text
    assert "1 line item moved to another head after this report" in page
    assert '<input type="hidden" name="start_from" value="validate">' in page

    # "Update the report": validate and generate again, from the corrected heads.
    client.post(
        reverse("project-process", args=[project_file.project_id]), {"start_from": "validate"}
    )

    run_execute(run_id=Run.objects.latest("pk").pk)
    latest = Output.objects.filter(project=project_file.project).latest("created_at")
    moved = Decimal(str(item.amount))
    before = Decimal(str(truth["2024-25"]["total_current_assets"]))
    assert Decimal(str(latest.key_figures["2024-25"]["total_current_assets"])) == before + moved
    page = client.get(reverse("project-detail", args=[project_file.project_id])).text
    assert "moved to another head after this report" not in page


def test_staff_see_a_line_item_but_cannot_move_it(project_file, alice):
    processed(project_file, alice)
    item = rent_deposit()
    client = login(alice)
    url = reverse("project-line-item", args=[project_file.project_id, item.pk])
    page = client.get(url).text
    assert "Only a CA or an owner of the firm can change a head." in page
    assert 'name="head"' not in page
    assert corrected_page(client, project_file, item, "other_current_assets").status_code == 403
    item.refresh_from_db()
    assert item.head == "other_noncurrent_assets"
    assert not AuditLog.objects.filter(action="line_item_corrected").exists()


def test_an_unknown_head_is_refused_and_changes_nothing(project_file, bob):
    processed(project_file, bob)
    item = rent_deposit()
    response = corrected_page(login(bob), project_file, item, "made_up")
    assert response.status_code == 400
    assert "&#x27;made_up&#x27; is not a CMA head." in response.text
    item.refresh_from_db()
    assert item.head == "other_noncurrent_assets"


def test_heads_stay_while_the_project_is_processing(project_file, bob):
    processed(project_file, bob)
    item = rent_deposit()
    run_create(subject=project_file.project, pipeline_name="cma", options={}, requested_by=bob)
    client = login(bob)
    response = corrected_page(client, project_file, item, "other_current_assets")
    assert response.status_code == 302
    assert (
        "Heads cannot change while the project is being processed." in client.get(response.url).text
    )
    item.refresh_from_db()
    assert item.head == "other_noncurrent_assets"


def test_the_next_project_learns_the_corrected_head(project_file, bob, make_project):
    processed(project_file, bob)
    corrected_page(login(bob), project_file, rent_deposit(), "other_current_assets")
    later = make_project(bob, "Renewal")
    project_files_add(project=later, uploads=[sample(MEHTA_CSV)], user=bob)
    run = run_create(subject=later, pipeline_name="cma", options={}, requested_by=bob)
    run_execute(run_id=run.pk)
    learned = LineItem.objects.get(project=later, label="Rent Deposit", year="2024-25")
    assert (learned.head, learned.method) == ("other_current_assets", "learned")


def test_the_line_item_page_says_why_its_head_and_what_came_next(project_file, alice, bob):
    processed(project_file, alice, skip_review=True)
    item = LineItem.objects.filter(
        project=project_file.project, label__startswith="Partner Capital"
    ).first()
    assert item.evidence  # the classifier said what decided it
    page = login(bob).get(reverse("project-line-item", args=[item.project_id, item.pk]))
    text = page.content.decode()
    assert "Why this head" in text
    assert item.evidence[0].replace("'", "&#x27;") in text
