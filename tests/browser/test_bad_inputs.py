"""A new user's mixed-up upload in a real Chromium: another company's books, a file of a
far year and a CSV that is no trial balance go in with the right books. The run uses
only the right books, and the project page, never reloaded, says which files were set
aside and why, under the names uploaded; one is accepted from the page."""

from collections.abc import Iterator

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from playwright.sync_api import expect

from projects.models import Project
from tests.browser.conftest import screenshot
from tests.browser.test_live_pipeline import expect_live, log_in, step
from tests.conftest import MEHTA_CSV, PASSWORD, SAMPLES, SGP_TB_2025
from tests.processes import daphne, qcluster
from tests.projects.test_file_checks import NOT_A_TRIAL_BALANCE, OLD_YEAR_CSV

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, databases="__all__")]


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory) -> Iterator[str]:
    logs = tmp_path_factory.mktemp("bad-inputs")
    with daphne(logs) as host, qcluster(logs):
        yield f"http://{host}"


@pytest.fixture
def site(servers, alice, settings) -> str:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    User.objects.filter(pk=alice.pk).update(password=make_password(PASSWORD))
    return servers


def test_files_that_do_not_belong_are_named_on_the_project_page(page, site, tmp_path):
    log_in(page, site)
    page.get_by_label("Project name").fill("CC renewal, mixed upload")
    page.get_by_label("Client").fill("Mehta Traders")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="CC renewal, mixed upload")).to_be_visible()
    expect_live(page)

    bank = tmp_path / "bank-statement.csv"
    bank.write_text(NOT_A_TRIAL_BALANCE)
    page.get_by_label("Add trial balances or statements").set_input_files(
        [str(SAMPLES / MEHTA_CSV), str(SAMPLES / SGP_TB_2025), str(bank)]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#files-table tbody tr")).to_have_count(3)
    old = tmp_path / "mehta-old.csv"
    old.write_text(OLD_YEAR_CSV)
    page.get_by_label("Add trial balances or statements").set_input_files(str(old))
    page.get_by_label("Fiscal year").fill("2019-20")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#files-table tbody tr")).to_have_count(4)

    page.get_by_role("button", name="Process").click()
    expect(step(page, "generate")).to_have_attribute("data-status", "completed")
    files = page.locator("#files-table")

    def notes(name: str):
        """The full-width row under a file's row: what its extraction said."""
        file_id = files.locator("tr[data-file]", has_text=name).get_attribute("data-file")
        return files.locator(f'tr[data-file-notes="{file_id}"]')

    other = notes("trial-balance-2024-25.xlsx")
    expect(other).to_contain_text("is the books of")
    expect(other).to_contain_text("Mehta Traders")
    expect(notes("mehta-old.csv")).to_contain_text("covers 2019-20")
    expect(notes("bank-statement.csv")).to_contain_text("No trial balance table was found")
    expect(files.locator("tr[data-file]", has_text="bank-statement.csv")).to_contain_text("Failed")
    # The report's list of what to check names every file set aside.
    warnings = page.locator("#report-summary .warnings")
    expect(warnings).to_contain_text("trial-balance-2024-25.xlsx")
    expect(warnings).to_contain_text("mehta-old.csv")
    expect(warnings).to_contain_text("bank-statement.csv")
    assert "uploads/" not in page.locator("#live").inner_text()
    screenshot(page, "bad-inputs-project-page")

    # The other company's file is right after all (say, a group company): accept it.
    other.get_by_role("button", name="Accept trial-balance-2024-25.xlsx as it is").click()
    expect(notes("trial-balance-2024-25.xlsx")).to_contain_text("Accepted as it is")
    project = Project.objects.get(name="CC renewal, mixed upload")
    assert project.files.get(name="trial-balance-2024-25.xlsx").accepted

    # Each file's page lists every row that did not become a line item, with the reason.
    files.get_by_role("link", name="trial-balance.csv", exact=True).click()
    expect(page.get_by_role("heading", name="trial-balance.csv")).to_be_visible()
    expect(page.locator("#ignored-heading")).to_contain_text("Rows not taken as line items")
    expect(page.locator("main")).to_contain_text("a title above the table")
    screenshot(page, "bad-inputs-file-page")
