"""The real CMA pipeline in a real Chromium: staff process, a CA reviews, the report downloads.

A daphne and a qcluster run the product's own "cma" pipeline on the test's databases.
Staff press Process with a bar so high that the classifier's suggestions wait for a
CA; the CA decides in the admin (or, for outside clients, through the API), and the
staff member's page, never reloaded, moves to completed by itself.
"""

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from pipeline.models import Run
from projects.models import LineItem, Project, ReviewItem
from projects.services import api_token_issue
from tests.browser.conftest import screenshot
from tests.browser.test_live_pipeline import expect_live, log_in, step, still_the_same_page
from tests.conftest import MEHTA_CSV, PASSWORD, SAMPLES
from tests.processes import daphne, qcluster

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, databases="__all__")]


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory) -> Iterator[str]:
    logs = tmp_path_factory.mktemp("cma-review")
    with daphne(logs) as host, qcluster(logs):
        yield f"http://{host}"


@pytest.fixture
def site(servers, alice, bob, settings) -> str:
    # The children check passwords with Django's own hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    User.objects.filter(pk__in=[alice.pk, bob.pk]).update(password=make_password(PASSWORD))
    return servers


def process_until_review(page, site: str) -> Project:
    """Staff create a project, upload Mehta Traders' books and press Process."""
    log_in(page, site)
    page.get_by_label("Project name").fill("CC renewal 2025-26")
    page.get_by_label("Client").fill("Mehta Traders")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="CC renewal 2025-26")).to_be_visible()
    page.evaluate("window.notReloaded = true")
    expect_live(page)
    page.get_by_label("Add trial balances or statements").set_input_files(str(SAMPLES / MEHTA_CSV))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#files-table tbody tr")).to_have_count(1)

    # Only a near-certain classification passes without a CA.
    page.get_by_text("Options").click()
    page.get_by_label("Auto-approve above").fill("99")
    page.get_by_role("button", name="Process").click()
    expect(step(page, "review")).to_have_attribute("data-status", "awaiting_review")
    expect(step(page, "classify")).to_have_attribute("data-status", "completed")
    expect(page.locator("#project-status")).to_have_text("Awaiting review")
    project = Project.objects.get(name="CC renewal 2025-26")
    pending = ReviewItem.objects.filter(project=project, status="pending").count()
    assert pending > 0
    expect(page.locator("#review-summary")).to_contain_text(
        f"The run waits for a CA to decide {pending} items"
    )
    screenshot(page, "cma-review-pause")
    return project


def expect_completed_and_download(page, project: Project, tmp_path: Path) -> None:
    expect(step(page, "validate")).to_have_attribute("data-status", "completed")
    expect(step(page, "generate")).to_have_attribute("data-status", "completed")
    expect(page.locator("#project-status")).to_have_text("Completed")
    # The run's two outputs: the workbook (the live model) and the print-ready PDF.
    expect(page.locator("#outputs a[download]")).to_have_count(2)
    link = page.locator("#outputs a[download]", has_text=".xlsx")
    expect(page.locator("#outputs a[download]", has_text=".pdf")).to_have_count(1)
    # The key figures arrive with the report, without a reload.
    expect(page.locator("#report-summary")).to_be_visible()
    expect(page.locator('#report-summary tr[data-figure="net_sales"] td').last).to_have_text(
        "28.51"  # truth.json's 2024-25 net sales for Mehta Traders, ₹28,51,405.58, in lakhs
    )
    screenshot(page, "cma-completed")
    assert still_the_same_page(page)

    with page.expect_download() as download_info:
        link.click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    sheets = CalamineWorkbook.from_path(str(saved)).sheet_names
    assert len(sheets) >= 5, sheets
    assert Run.objects.get(project=project).status == "completed"


def test_ca_approves_in_the_admin_and_the_staff_page_completes(browser, page, site, tmp_path):
    project = process_until_review(page, site)

    # The CA follows the email's link into the admin, logging in on the way.
    ca = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    ca.set_default_timeout(15_000)
    review_list = f"/admin/projects/reviewitem/?project__id__exact={project.pk}"
    ca.goto(f"{site}{review_list}")
    ca.get_by_label("Email").fill("bob@acme.test")
    ca.get_by_label("Password").fill(PASSWORD)
    ca.get_by_role("button", name="Log in").click()
    ca.wait_for_url(f"{site}{review_list}")
    rows = ca.locator("#result_list tbody tr")
    pending = ReviewItem.objects.filter(project=project, status="pending").count()
    expect(rows).to_have_count(pending)

    # One head corrected from the list's dropdown: an expense that is manufacturing.
    item = ReviewItem.objects.filter(project=project, suggested_head="sga_expenses").first()
    row = rows.filter(has_text=item.line_item.label).first
    row.locator("select").select_option("other_mfg_expenses")
    ca.get_by_role("button", name="Save").click()
    expect(ca.locator(".messagelist")).to_contain_text("was changed successfully")
    screenshot(ca, "cma-admin-review", full_page=False)

    # Everything else in one action.
    ca.locator("select[name=action]").select_option("approve_confident")
    ca.locator("input[name=min_confidence]").fill("0")
    ca.get_by_title("Run the selected action").click()
    expect(ca.locator(".messagelist")).to_contain_text("the run continues by itself")
    ca.context.close()

    expect_completed_and_download(page, project, tmp_path)
    line = LineItem.objects.get(pk=item.line_item_id)
    assert (line.head, line.review_status) == ("other_mfg_expenses", "corrected")


def test_ca_approves_through_the_api_and_the_staff_page_completes(page, site, bob, tmp_path):
    project = process_until_review(page, site)
    token = api_token_issue(user=bob)
    for item in ReviewItem.objects.filter(project=project, status="pending"):
        request = urllib.request.Request(
            f"{site}/api/v1/review-items/{item.pk}",
            data=json.dumps({"action": "approve"}).encode(),
            method="POST",
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
    expect_completed_and_download(page, project, tmp_path)
