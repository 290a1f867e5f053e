"""Watching a run live in a real Chromium, against a real daphne and a real worker.

The daphne and the qcluster are separate processes on the test's databases (see
tests/processes.py); they run the "toy-watchable" pipeline (tests/browser/toy_pipelines.py),
which is slow enough to watch and pauses for review. Nothing here reloads the page:
a marker set on `window` at the start must still be there at the end.
"""

import json
import urllib.request
from collections.abc import Iterator

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from playwright.sync_api import expect

from pipeline import services
from pipeline.models import Run
from projects.models import Project
from projects.services import api_token_issue, project_create, project_files_add
from tests.browser.conftest import screenshot
from tests.browser.toy_pipelines import CHILD_ENV, WATCHABLE
from tests.conftest import PASSWORD, SAMPLES, SGP_TB_2025, sample
from tests.processes import daphne, qcluster, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, databases="__all__")]


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory) -> Iterator[str]:
    """One daphne and one worker for the module: the database is emptied between tests."""
    logs = tmp_path_factory.mktemp("live-pipeline")
    with daphne(logs, **CHILD_ENV) as host, qcluster(logs, **CHILD_ENV):
        yield f"http://{host}"


@pytest.fixture
def site(servers, alice, settings) -> str:
    # The children check passwords with Django's own hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    User.objects.filter(pk=alice.pk).update(password=make_password(PASSWORD))
    return servers


def log_in(page, site: str, next_path: str = "/") -> None:
    page.goto(f"{site}{next_path}")
    page.get_by_label("Email").fill("alice@acme.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{site}{next_path}")
    page.evaluate("window.notReloaded = true")


def step(page, name: str):
    return page.locator(f'#stepper [data-step="{name}"]')


def expect_live(page) -> None:
    expect(page.locator("[data-live-status]")).to_have_text("Live")


def still_the_same_page(page) -> bool:
    return page.evaluate("window.notReloaded === true")


# Records every state the page shows, however briefly: a step runs for well under a
# second here, less than Playwright's assertions poll.
RECORD_STATES = """() => {
  window.seen = {};
  const note = (key, value) => {
    const values = (window.seen[key] = window.seen[key] || []);
    if (values[values.length - 1] !== value) values.push(value);
  };
  const record = () => {
    document.querySelectorAll("#stepper [data-step]").forEach(
      (li) => note(li.dataset.step, li.dataset.status));
    note("project", document.getElementById("project-status").textContent.trim());
  };
  record();
  new MutationObserver(record).observe(
    document.getElementById("live"), {subtree: true, childList: true, attributes: true});
}"""


def record_states(page) -> None:
    page.evaluate(RECORD_STATES)


def seen(page) -> dict[str, list[str]]:
    return page.evaluate("window.seen")


def wait_for_step(page, name: str, status: str) -> None:
    page.wait_for_function(
        f"document.querySelector('#stepper [data-step={name}]').dataset.status === '{status}'",
        polling=25,
    )


def api_resume(site: str, project: Project, user: User) -> dict:
    request = urllib.request.Request(
        f"{site}/api/v1/projects/{project.pk}/resume",
        method="POST",
        headers={"Authorization": f"Token {api_token_issue(user=user)}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 202
        return json.loads(response.read())


def test_staff_watches_a_run_advance_pause_for_review_and_complete(page, site, alice):
    log_in(page, site)
    page.get_by_label("Project name").fill("Working capital 2025-26")
    page.get_by_label("Client").fill("Shree Ganesh Polymers")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="Working capital 2025-26")).to_be_visible()
    page.evaluate("window.notReloaded = true")
    expect_live(page)
    project = Project.objects.get(name="Working capital 2025-26")

    # Upload without leaving the page; the form's <progress> follows the bytes.
    expect(page.locator("#upload-form progress")).to_be_hidden()
    page.get_by_label("Add trial balances or statements").set_input_files(
        str(SAMPLES / SGP_TB_2025)
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Uploaded trial-balance-2024-25.xlsx.")).to_be_visible()
    expect(page.locator("#files-table tbody tr")).to_have_count(1)
    expect(page.locator("#files-table")).to_contain_text("2024-25")

    record_states(page)
    page.get_by_role("button", name="Process").click()
    expect(page.get_by_role("button", name="Cancel run")).to_be_visible()
    wait_for_step(page, "classify", "running")
    screenshot(page, "project-mid-run")

    # The run pauses for review: the page says so and offers Resume.
    bar = page.get_by_role("progressbar", name="Pipeline progress")
    expect(step(page, "review")).to_have_attribute("data-status", "awaiting_review")
    expect(page.locator("#project-status")).to_have_text("Awaiting review")
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    expect(bar).to_have_attribute("aria-valuenow", "50.0")
    assert Run.objects.get(project=project).status == "awaiting_review"

    # A CA resumes through the API, elsewhere: the page follows by itself.
    api_resume(site, project, alice)
    expect(step(page, "review")).to_have_attribute("data-status", "completed")
    expect(step(page, "validate")).to_have_attribute("data-status", "completed")
    expect(step(page, "generate")).to_have_attribute("data-status", "completed")
    expect(page.locator("#run-controls .badge")).to_have_text("Completed")
    expect(bar).to_have_attribute("aria-valuenow", "100.0")
    expect(page.locator("#project-status")).to_have_text("Completed")
    expect(page.get_by_role("button", name="Process")).to_be_visible()
    screenshot(page, "project-completed")
    assert still_the_same_page(page)
    # Every step went through its states on this one page, in order.
    states = seen(page)
    for name in ("extract", "classify", "validate", "generate"):
        assert states[name] == ["pending", "running", "completed"], (name, states)
    assert states["review"][0] == "pending"
    assert states["review"][-2:] == ["awaiting_review", "completed"]
    assert states["project"][0] == "Draft"
    assert states["project"][-1] == "Completed"
    for status in ("Extracting", "Classifying", "Awaiting review", "Validating", "Generating"):
        assert status in states["project"], states["project"]

    # The run's own page: its event log and a bar per step on the timeline.
    page.locator("#run-controls").get_by_role("link", name="Run ").click()
    expect(page.get_by_role("heading", name="Run ")).to_be_visible()
    log = page.get_by_role("log")
    # Each event in words: what happened, then to what.
    started = log.locator('.log-row[data-type="step.started"]').filter(has_text="Classify")
    expect(started).to_contain_text("Step started")
    expect(log).to_contain_text("2 items need a CA's review")
    expect(log.locator('.log-row[data-type="run.completed"]')).to_contain_text("Run completed")
    expect(log).not_to_contain_text("step.started")
    expect(page.locator("#timeline .tl-row.tl-completed")).to_have_count(5)
    expect_live(page)
    screenshot(page, "run-page")

    page.get_by_role("link", name="Statistics").click()
    expect(page.get_by_text("All runs")).to_be_visible()
    expect(page.locator(".counts .count-completed dd")).to_have_text("1")
    screenshot(page, "stats")


def test_a_page_whose_socket_died_mid_run_catches_up(page, site, alice):
    project = project_create(user=alice, name="Mehta CC renewal", client_name="Mehta Traders")
    project_files_add(project=project, uploads=[sample(SGP_TB_2025)], user=alice)
    log_in(page, site, f"/projects/{project.pk}/")
    expect_live(page)
    page.get_by_role("button", name="Process").click()
    wait_for_step(page, "extract", "running")

    # The network drops and the socket with it: nothing reaches the page meanwhile.
    page.context.set_offline(True)
    page.evaluate("document.getElementById('live')['htmx-internal-data'].webSocket.close()")
    expect(page.locator("[data-live-status]")).to_have_text("Reconnecting…")
    run = Run.objects.get(project=project)
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "awaiting_review", timeout=20)
    expect(step(page, "review")).to_have_attribute("data-status", "pending")
    screenshot(page, "project-offline-stale")

    # Back online: the page reconnects and shows the true state, without a reload.
    page.context.set_offline(False)
    expect(step(page, "review")).to_have_attribute("data-status", "awaiting_review")
    expect(step(page, "classify")).to_have_attribute("data-status", "completed")
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    expect_live(page)

    # And it is live again, not just polled: resuming shows up at once.
    page.get_by_role("button", name="Resume").click()
    expect(step(page, "generate")).to_have_attribute("data-status", "completed")
    expect(page.locator("#run-controls .badge")).to_have_text("Completed")
    assert still_the_same_page(page)


def test_the_live_pages_fit_a_phone(browser, site, alice):
    project = project_create(user=alice, name="Phone check", client_name="Mehta Traders")
    project_files_add(project=project, uploads=[sample(SGP_TB_2025)], user=alice)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    log_in(page, site)
    badge = page.locator(f"#project-{project.pk}-status")
    expect(badge).to_have_text("Draft")
    expect_live(page)

    # The list's one socket follows the project: its badge changes by itself.
    run = services.run_create(
        subject=project, pipeline_name=WATCHABLE, options={"toy_sleep": 0.0}, requested_by=alice
    )
    expect(badge).to_have_text("Awaiting review")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "project-list-phone-live")

    page.get_by_role("link", name="Phone check").click()
    expect(step(page, "review")).to_have_attribute("data-status", "awaiting_review")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "project-phone")
    page.goto(f"{site}/runs/{run.pk}/")
    expect(page.get_by_role("log")).to_contain_text("2 items need a CA's review")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "run-page-phone")
    context.close()
