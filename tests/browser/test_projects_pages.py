"""A staff member logs in, creates a project and uploads books, in a real browser."""

import pytest
from playwright.sync_api import expect

from projects.models import Project
from tests.browser.conftest import screenshot
from tests.conftest import MEHTA_CSV, PASSWORD, SAMPLES, SGP_TB_2025

pytestmark = pytest.mark.browser


def log_in(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_staff_creates_a_project_and_uploads_books(page, live_server, alice):
    log_in(page, live_server, "alice@acme.test")
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()

    page.get_by_label("Project name").fill("CC renewal 2025")
    page.get_by_label("Client").fill("Mehta Traders")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="CC renewal 2025")).to_be_visible()

    page.get_by_label("Add trial balances or statements").set_input_files(
        [str(SAMPLES / MEHTA_CSV), str(SAMPLES / SGP_TB_2025)]
    )
    page.get_by_role("button", name="Upload").click()
    expect(
        page.get_by_text("Uploaded trial-balance.csv, trial-balance-2024-25.xlsx.")
    ).to_be_visible()
    rows = page.locator("#files tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="trial-balance-2024-25.xlsx")).to_contain_text("2024-25")
    expect(rows.filter(has_text="trial-balance.csv")).to_contain_text("CSV")
    screenshot(page, "project-with-files")

    project = Project.objects.get(name="CC renewal 2025")
    assert project.files.count() == 2


def test_a_refused_upload_explains_itself(page, live_server, alice, project, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    log_in(page, live_server, "alice@acme.test")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.get_by_label("Add trial balances or statements").set_input_files(str(empty))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("empty.csv is empty")).to_be_visible()
    expect(page.get_by_text("No files yet.")).to_be_visible()


def test_pages_fit_a_phone(browser, live_server, alice, project):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, live_server, "alice@acme.test")
    expect(page.get_by_role("link", name="CC renewal")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(page, "project-list-phone")
    context.close()
