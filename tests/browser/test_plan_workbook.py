"""The plan in a real Chromium: staff change assumptions, watch the key figures follow,
save, update the report, and download a workbook whose projected columns are the new plan.

A daphne and a qcluster run the product's "cma" pipeline on the test's databases; the
project starts processed (Shree Ganesh Polymers' two classified years and a report made
before any plan was saved).
"""

import io
import json
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from pipeline.runner import run_execute
from pipeline.services import run_create
from projects.models import LineItem, Output, Project
from projects.services import project_create, project_files_add
from tests.browser.conftest import screenshot
from tests.browser.test_live_pipeline import log_in, still_the_same_page
from tests.conftest import PASSWORD, SAMPLES, SGP_TB_2025, sample
from tests.processes import daphne, qcluster

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, databases="__all__")]
TRUTH = SAMPLES / "shree-ganesh-polymers-private-limited" / "truth.json"
ESTIMATE = "2025-26"


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory) -> Iterator[str]:
    logs = tmp_path_factory.mktemp("plan-workbook")
    with daphne(logs) as host, qcluster(logs):
        yield f"http://{host}"


@pytest.fixture
def site(servers, alice, settings) -> str:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    User.objects.filter(pk=alice.pk).update(password=make_password(PASSWORD))
    return servers


def processed_project(user: User) -> Project:
    """Two classified years and a first report, as after Process and review."""
    project = project_create(user=user, name="CC renewal 2025-26", client_name="Shree Ganesh")
    [stored] = project_files_add(project=project, uploads=[sample(SGP_TB_2025)], user=user)
    truth = json.loads(TRUTH.read_text())
    LineItem.objects.bulk_create(
        LineItem(
            project=project, file=stored, year=item["year"], label=item["label"],
            amount=Decimal(str(item["amount"])), side=item["side"], source="trial balance",
            basis="trial_balance", head=item["head"], position=index,
        )
        for index, item in enumerate(truth["line_items"])
    )  # fmt: skip
    stored.status = "extracted"
    stored.save(update_fields=["status"])
    run = run_create(
        subject=project,
        pipeline_name="cma",
        options={"start_from": "generate", "skip_validation": True},
        requested_by=user,
    )
    run_execute(run_id=run.pk)
    assert Output.objects.filter(project=project, name__endswith=".xlsx").count() == 1
    return project


def figure(page, name: str, column: int):
    return page.locator(f'#plan-figures tr[data-figure="{name}"] td').nth(column)


def test_staff_change_the_plan_and_the_updated_workbook_has_the_new_projected_columns(
    page, site, alice
):
    project = processed_project(alice)
    before = Output.objects.get(project=project, name__endswith=".xlsx")
    log_in(page, site, f"/projects/{project.pk}/plan/")
    expect(page.locator("#plan-figures")).to_contain_text(ESTIMATE)
    estimate_column = 2  # two actual years, then the estimate
    sales = figure(page, "net_sales", estimate_column)
    # Receivables beyond what the cash can carry: a shortfall, financed short term, so
    # the current ratio falls (at fewer months cash alone would absorb the change).
    current_ratio = figure(page, "current_ratio", estimate_column)
    sales_before = sales.inner_text()

    page.get_by_label(f"Domestic sales growth, {ESTIMATE}").fill("40")
    expect(sales).not_to_have_text(sales_before)
    ratio_with_growth = current_ratio.inner_text()
    page.get_by_label(f"Receivables, domestic (months' sales), {ESTIMATE}").fill("9")
    expect(current_ratio).not_to_have_text(ratio_with_growth)
    assert still_the_same_page(page)  # recomputed without a reload
    screenshot(page, "plan-changed-before-save")

    page.get_by_role("button", name="Save the plan").click()
    page.goto(f"{site}/projects/{project.pk}/")
    notice = page.locator('[data-notice="plan-changed"]')
    expect(notice).to_be_visible()
    notice.get_by_role("button", name="Update the report").click()
    expect(notice).to_be_hidden(timeout=60_000)
    expect(page.locator("#report-summary")).to_contain_text("Estimated")
    screenshot(page, "plan-report-updated")

    after = Output.objects.filter(project=project).latest("pk")
    assert after.pk != before.pk
    link = page.locator(f'#report-summary a[href*="/outputs/{after.pk}/download"]').first
    download = page.request.get(site + link.get_attribute("href"))
    assert download.ok
    book = CalamineWorkbook.from_filelike(io.BytesIO(download.body()))
    assert "Assumptions" in book.sheet_names
    rows = book.get_sheet_by_name("Form II").to_python()
    top = next(i for i, row in enumerate(rows) if row and row[0] == "Particulars")
    column = rows[top].index(f"{ESTIMATE}\nEstimated")
    net_sales = next(row for row in rows if str(row[0]).strip().startswith("3. Net sales"))
    assert round(net_sales[column] * 100000, 2) == after.key_figures[ESTIMATE]["net_sales"]
    assumptions = book.get_sheet_by_name("Assumptions").to_python()
    growth = next(row for row in assumptions if row[0] == "Domestic sales growth")
    months = next(row for row in assumptions if row[0].startswith("Receivables, domestic"))
    assert (growth[3], months[3]) == (40.0, 9.0)
