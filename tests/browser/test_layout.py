"""The pages as a firm's staff and CAs see them, at a laptop's 1366 px and a phone's 390 px.

A real Chromium on the in-process live server; the projects are made by the product's
own "cma" pipeline, run in this process: Shree Ganesh Polymers processed twice (two
actual years, the plan's estimate and projections: a wide table of key figures), the
same books with three ledgers left out (validation fails), and the same books again with
every item waiting for a CA (114 review items). Each page is saved at both widths in
var/screenshots/layout-<page>-<width>.png.
"""

import json
import zipfile
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

from pipeline.models import Run
from pipeline.runner import run_execute
from pipeline.services import run_create
from projects.fragments import review_list_url
from projects.models import LineItem, Output, Project, ProjectFile
from projects.services import plan_save, project_create, project_files_add
from tests.browser.conftest import screenshot
from tests.conftest import MEHTA_CSV, PASSWORD, SAMPLES, SGP_TB_2025, sample

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, databases="__all__")]

WORD_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
TRUTH = SAMPLES / "shree-ganesh-polymers-private-limited" / "truth.json"


# The projects ---------------------------------------------------------------------


def _books(user: User, name: str, leave_out: int = 0) -> tuple[Project, ProjectFile]:
    """Shree Ganesh's two classified years, as after extract and classify; `leave_out`
    drops that many ledgers so that the balance sheet no longer tallies."""
    project = project_create(user=user, name=name, client_name="Shree Ganesh Polymers")
    [stored] = project_files_add(project=project, uploads=[sample(SGP_TB_2025)], user=user)
    items = json.loads(TRUTH.read_text())["line_items"][leave_out:]
    LineItem.objects.bulk_create(
        LineItem(
            project=project, file=stored, year=item["year"], label=item["label"],
            amount=Decimal(str(item["amount"])), side=item["side"], source="trial balance",
            basis="trial_balance", head=item["head"], position=index,
        )
        for index, item in enumerate(items)
    )  # fmt: skip
    ProjectFile.objects.filter(pk=stored.pk).update(status="extracted")
    return project, stored


def _run(project: Project, user: User, **options) -> Run:
    run = run_create(subject=project, pipeline_name="cma", options=options, requested_by=user)
    run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


@pytest.fixture
def failing(alice, bob) -> dict:
    """Three ledgers left out: validation fails and the run stops at validate."""
    failing, _ = _books(alice, "Term loan 2025-26", leave_out=3)
    failed = _run(failing, alice, start_from="validate")
    assert failed.status == "failed", failed.error
    return {"failing": failing, "failed": failed}


@pytest.fixture
def waiting(alice, bob) -> dict:
    """Every one of the 114 items waits for a CA."""
    waiting, _ = _books(alice, "Working capital review")
    review = _run(waiting, alice, start_from="classify", auto_approve_above=0.999)
    assert review.status == "awaiting_review"
    return {"waiting": waiting, "review": review}


@pytest.fixture
def firm(alice, failing, waiting) -> dict:
    """The three projects, and the runs the pages show; one processed twice, with a plan
    between the runs (the estimate and two projected years: five columns of figures)."""
    done, _ = _books(alice, "CC renewal 2025-26")
    first = _run(done, alice, start_from="generate", skip_validation=True)
    plan_save(project=done, user=alice, data={"projected_years": 2})
    latest = _run(done, alice, start_from="generate", skip_validation=True)
    assert Output.objects.filter(project=done, run=latest).exists()
    return {"done": done, "first": first, "latest": latest, **failing, **waiting}


# What the tests look at -----------------------------------------------------------------


def pages(firm: dict) -> dict[str, str]:
    """Every page of the product a firm's people open, by the screenshot's name."""
    done, failing, waiting = firm["done"], firm["failing"], firm["waiting"]
    stored = done.files.get()
    return {
        "projects": reverse("project-list"),
        "project": reverse("project-detail", args=[done.pk]),
        "project-failed": reverse("project-detail", args=[failing.pk]),
        "run": reverse("run-detail", args=[firm["latest"].pk]),
        "run-failed": reverse("run-detail", args=[firm["failed"].pk]),
        "run-review": reverse("run-detail", args=[firm["review"].pk]),
        "line-items": reverse("project-line-items", args=[done.pk]),
        "file": reverse("project-file-detail", args=[done.pk, stored.pk]),
        "review": reverse("project-review", args=[waiting.pk]),
        "plan": reverse("project-plan", args=[done.pk]),
        "stats": reverse("stats"),
    }


def signed_in(browser, site: str, email: str, viewport: dict):
    context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 600)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    return page


def open_page(page, site: str, path: str) -> None:
    page.goto(f"{site}{path}")
    page.wait_for_load_state("load")


# A table whose header is off (stacked on a phone) must label each of its cells.
UNLABELLED_CELLS = """() => {
  const problems = [];
  for (const table of document.querySelectorAll("table")) {
    if (!table.getClientRects().length) continue;  // not shown (a folded section)
    const head = table.tHead;
    const th = head && head.querySelector("th");
    const headShown = th && getComputedStyle(head).position !== "absolute"
      && th.getBoundingClientRect().width > 1;
    if (headShown) continue;
    for (const td of table.querySelectorAll("tbody td")) {
      if (td.classList.contains("actions") || td.closest(".file-notes")) continue;
      if (!td.textContent.trim()) continue;
      const before = getComputedStyle(td, "::before").content;
      if (!td.dataset.label || before === "none" || before === '""') {
        problems.push((table.id || table.className) + ": " + td.textContent.trim().slice(0, 40));
      }
    }
  }
  return problems;
}"""

# Where each table's first header cell is: on screen, not scrolled or clipped away.
HEADERS_OFF_SCREEN = """() => {
  const off = [];
  for (const table of document.querySelectorAll("table")) {
    if (!table.getClientRects().length || !table.tHead) continue;
    if (getComputedStyle(table.tHead).position === "absolute") continue;  // stacked
    const box = table.tHead.querySelector("th").getBoundingClientRect();
    if (box.left < 0 || box.right > window.innerWidth || box.width < 1) {
      off.push(table.id || table.className);
    }
  }
  return off;
}"""


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def top_of(page, selector: str) -> dict:
    return page.locator(selector).first.evaluate(
        "e => { const r = e.getBoundingClientRect(); "
        "return {top: r.top + window.scrollY, left: r.left, right: r.right, bottom: r.bottom}; }"
    )


# At 1366 px ---------------------------------------------------------------------------


def test_on_a_laptop_the_side_column_stays_beside_the_wide_main_column(browser, live_server, firm):
    page = signed_in(browser, live_server.url, "alice@acme.test", LAPTOP)
    for name, path in pages(firm).items():
        open_page(page, live_server.url, path)
        assert page_width(page) <= LAPTOP["width"], name
        screenshot(page, f"layout-{name}-1366")

    for name in ("project", "project-failed"):
        open_page(page, live_server.url, pages(firm)[name])
        main = top_of(page, ".columns > .grow")
        for part in ("#process-panel", "#review-summary", "#outputs", "#run-history"):
            box = top_of(page, part)
            assert box["left"] >= main["right"], (name, part)  # beside, not under
        # Process, the side column's top, is in the first screen.
        assert top_of(page, "#process-panel")["top"] < LAPTOP["height"], name

    # The key figures (two actual years, the estimate and the projections) scroll
    # within their card when they must, never pushing the page wider.
    open_page(page, live_server.url, pages(firm)["project"])
    years = page.locator("#report-summary table.figures thead tr").first.locator("th")
    expect(years).to_have_count(6)  # the figure's name and five years
    # Two runs made workbooks of the same name: the latest is marked, the first folded.
    outputs = page.locator("#outputs")
    expect(outputs.locator(".badge.latest")).to_have_count(1)
    expect(outputs.locator(".output-group.latest")).to_contain_text(f"Run {firm['latest'].pk}")
    expect(outputs.locator("details.earlier-outputs")).to_contain_text(f"Run {firm['first'].pk}")
    expect(outputs.locator("details.earlier-outputs .output-group")).not_to_be_visible()

    # The run page's event log is in words, and names who pressed Process.
    open_page(page, live_server.url, pages(firm)["run"])
    log = page.get_by_role("log")
    expect(log).to_contain_text("Step completed")
    expect(log).to_contain_text("Process pressed by alice@acme.test")
    expect(log).not_to_contain_text("step.completed")
    page.context.close()


def test_a_failed_validation_says_it_once_and_points_to_the_fix(browser, live_server, failing):
    project, failed = failing["failing"], failing["failed"]
    page = signed_in(browser, live_server.url, "alice@acme.test", LAPTOP)
    open_page(page, live_server.url, reverse("project-detail", args=[project.pk]))
    validate = page.locator('#stepper [data-step="validate"]')
    expect(validate).to_contain_text("Validation found 3 error(s)")
    # A short line in the card, not the whole message: the row stays a row.
    assert validate.bounding_box()["height"] < 150
    expect(validate).not_to_contain_text("trial balance does not agree")
    # The whole message once, in the form's words.
    expect(page.get_by_text("does not agree: debits ₹2,03,46,688.60")).to_have_count(1)
    controls = page.locator("#run-controls")
    # One issue a line, under a summary.
    expect(controls.get_by_role("alert").locator("li")).to_have_count(3)
    expect(controls).to_contain_text("“Skip validation”")
    expect(page.locator("body")).not_to_contain_text("skip_validation")
    # What fixes it, before the button; no "Retry from validate" as if that could.
    fix = controls.locator('[data-fix="validation"]')
    expect(fix.get_by_role("link", name="the line items page")).to_have_attribute(
        "href", reverse("project-line-items", args=[project.pk])
    )
    expect(controls.get_by_role("button", name="Retry validation")).to_be_visible()
    expect(controls.get_by_role("button", name="Retry from validate")).to_have_count(0)

    # Retry fails the same way: the green "Retrying…" goes when the red error comes back.
    controls.get_by_role("button", name="Retry validation").click()
    expect(page.locator("#messages .message.success")).to_contain_text("Retrying run")
    assert Run.objects.get(pk=failed.pk).status == "queued"
    run_execute(run_id=failed.pk)
    # What the socket pushes when the run moves: the live parts, and no messages (the
    # live server has no socket; the same fragments, swapped in as htmx swaps a push).
    page.evaluate(
        """async () => {
          const live = document.getElementById("live");
          const url = live.dataset.liveUrl;
          live.removeAttribute("data-live-url");  // no polling either: only this push
          const answer = await fetch(url, {headers: {"HX-Request": "true"}});
          const parts = (await answer.text())
            .replace(/<ul id="messages"[\\s\\S]*?<\\/ul>/, "")
            .replace(/<ul id="upload-messages"[\\s\\S]*?<\\/ul>/, "");
          htmx.swap(live, parts, {swapStyle: "none"});
        }"""
    )
    expect(controls.get_by_role("alert")).to_contain_text("Validation found 3 errors")
    expect(page.locator("#messages .message.success")).to_have_count(0)
    screenshot(page, "layout-project-failed-after-retry-1366", full_page=False)
    page.context.close()


def test_the_admin_review_list_is_titled_and_shows_a_whole_run(browser, live_server, waiting):
    page = signed_in(browser, live_server.url, "bob@acme.test", LAPTOP)
    open_page(page, live_server.url, review_list_url(waiting["waiting"]))
    screenshot(page, "layout-admin-review-1366", full_page=False)
    expect(page.get_by_role("heading", name="Review items", exact=True)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Select review item to change")
    # All 114 items of the run on one page.
    expect(page.locator("#result_list tbody tr")).to_have_count(114)
    # Each head dropdown shows its whole chosen head.
    cut = page.locator("#result_list select").evaluate_all(
        """selects => selects.filter(s => {
          const probe = document.createElement("span");
          probe.style.cssText = "position:absolute;visibility:hidden;white-space:nowrap;font:"
            + getComputedStyle(s).font;
          probe.textContent = s.options[s.selectedIndex].text;
          document.body.appendChild(probe);
          const cut = probe.getBoundingClientRect().width > s.clientWidth - 20;
          probe.remove();
          return cut;
        }).length"""
    )
    assert cut == 0
    # Every column, the decision last, within the screen beside the filters.
    decision = page.locator("#result_list thead th.column-decision")
    assert decision.bounding_box()["x"] + decision.bounding_box()["width"] <= LAPTOP["width"]
    results = page.locator("#changelist .results")
    assert results.evaluate("r => r.scrollWidth - r.clientWidth") == 0
    # Confidence in %, as on the Process form.
    expect(page.locator("#result_list .field-suggestion").first).to_contain_text("%)")
    page.set_viewport_size(PHONE)
    page.reload()
    screenshot(page, "layout-admin-review-390", full_page=False)
    page.context.close()


# At 390 px ----------------------------------------------------------------------------


def test_on_a_phone_every_table_keeps_its_header_or_labels(browser, live_server, firm):
    page = signed_in(browser, live_server.url, "alice@acme.test", PHONE)
    for name, path in pages(firm).items():
        open_page(page, live_server.url, path)
        screenshot(page, f"layout-{name}-390")
        assert page_width(page) <= PHONE["width"], name
        assert page.evaluate(UNLABELLED_CELLS) == [], name
        assert page.evaluate(HEADERS_OFF_SCREEN) == [], name

    # The stats bars are there, and words a CA firm reads.
    open_page(page, live_server.url, pages(firm)["stats"])
    expect(page.locator(".dbar-p50").first).to_be_visible()
    assert page.locator(".dbar-p50").first.bounding_box()["width"] > 0
    expect(page.locator("table.durations thead")).to_contain_text("Typical time")
    expect(page.locator("table.durations thead")).to_contain_text("Slowest 1 in 20")

    # The run's timeline fits: nothing cut at its right edge.
    open_page(page, live_server.url, pages(firm)["run"])
    timeline = page.locator("#timeline")
    expect(timeline.locator(".tl-row.tl-completed")).to_have_count(1)  # generate
    fits = timeline.evaluate(
        "t => [...t.querySelectorAll('.tl-label, .tl-bar, .tl-value')].every(x => {"
        " const r = x.getBoundingClientRect(), box = t.getBoundingClientRect();"
        " return r.left >= box.left - 1 && r.right <= box.right + 1; })"
    )
    assert fits
    assert timeline.evaluate("t => t.scrollWidth <= t.clientWidth")
    page.context.close()


def test_on_a_phone_an_upload_refusal_shows_beside_the_form(
    browser, live_server, alice, project, tmp_path
):
    page = signed_in(browser, live_server.url, "alice@acme.test", PHONE)
    open_page(page, live_server.url, reverse("project-detail", args=[project.pk]))
    letter = tmp_path / "engagement-letter.docx"
    with zipfile.ZipFile(letter, "w") as docx:  # a Word document, as Word saves one
        docx.writestr("[Content_Types].xml", WORD_TYPES)
        docx.writestr("word/document.xml", "<w:document/>")
    picker = page.get_by_label("Add trial balances or statements")
    picker.set_input_files(str(letter))
    page.get_by_role("button", name="Upload").click()
    said = page.locator("#upload-messages .message.error").first
    expect(said).to_contain_text("engagement-letter.docx")
    expect(said).to_be_in_viewport()
    # The refused file stays chosen, next to why, to be fixed or left out.
    assert picker.evaluate("input => input.files.length") == 1
    expect(page.locator("#messages .message")).to_have_count(0)  # not far above
    screenshot(page, "layout-upload-refused-390", full_page=False)

    # A fiscal year typed in full is kept in full, and stored in the usual form.
    page.get_by_label("Fiscal year").fill("2024-2025")
    assert page.get_by_label("Fiscal year").input_value() == "2024-2025"
    picker.set_input_files(str(SAMPLES / MEHTA_CSV))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#upload-messages .message.success")).to_contain_text("Uploaded")
    expect(page.locator("#upload-messages .message.success")).to_be_in_viewport()
    assert picker.evaluate("input => input.files.length") == 0  # stored: the form is reset
    assert project.files.get().fiscal_year == "2024-25"
    expect(page.locator("#files-table")).to_contain_text("2024-25")
    page.context.close()
