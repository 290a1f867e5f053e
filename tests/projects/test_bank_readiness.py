"""Assessment, DSCR and bank-readiness checks through HTTP and the pages (API.md "Plan,
assessment and bank readiness")."""

import json

import pytest
from django.urls import reverse

from pipeline.models import Run
from pipeline.runner import run_execute
from pipeline.services import run_create
from projects.models import Output, Plan
from tests.conftest import api_client, login
from tests.projects.test_plan import books, plan_url, put  # noqa: F401 (fixture)

REPORT_FIELDS = {"assessment", "dscr", "iscr", "break_even", "term_loans", "checks"}
CHECK_FIELDS = {"code", "level", "year", "figure", "threshold", "message", "note"}


def generate(project, user, **options):
    run = run_create(
        subject=project, pipeline_name="cma", options={"skip_review": True, **options},
        requested_by=user,
    )  # fmt: skip
    run_execute(run_id=run.pk)
    return Run.objects.get(pk=run.pk)


def test_preview_gives_the_assessment_dscr_and_checks_of_every_year(books, alice):  # noqa: F811
    body = {
        "msme": True,
        "assumptions": {"2025-26": {"sales_growth_pct": 45}},
        "limits": [{"bank": "SBI", "facility": "cash_credit", "proposed_limit": 2500000}],
        "term_loans": [{"name": "Machine", "amount": 1200000, "rate_pct": 10,
                        "start_month": "2025-04", "tenor_months": 48}],
    }  # fmt: skip
    preview = api_client(alice).post(plan_url(books, "preview"), body, "application/json").json()
    years = [entry["year"] for entry in preview["years"]]
    assert set(preview["assessment"]) == set(years)
    estimate = preview["assessment"]["2025-26"]
    assert set(estimate) >= {
        "method_1", "method_2", "turnover_method", "applicable", "reason", "drawing_power",
        "excess_borrowing",
    }  # fmt: skip
    assert estimate["applicable"] == "turnover_method" and "₹5 crore" in estimate["reason"]
    assert set(estimate["turnover_method"]) >= {"a_turnover", "g_assessed_limit"}
    assert estimate["drawing_power"] is None
    assert set(preview["dscr"]) == {"average", "minimum", "by_year"}
    assert set(preview["dscr"]["by_year"]["2025-26"]) == {"numerator", "denominator", "dscr"}
    assert set(preview["iscr"]) == set(years) and set(preview["break_even"]) == set(years)
    assert set(preview["break_even"]["2025-26"]) == {"sales", "cash_sales"}
    assert set(preview["term_loans"]["Machine"]["2025-26"]) == {
        "interest", "principal", "closing", "due_within_year"}  # fmt: skip
    growth = [c for c in preview["checks"] if c["code"] == "sales_growth"]
    assert growth and growth[0]["level"] == "error" and growth[0]["year"] == "2025-26"
    assert all(set(check) == CHECK_FIELDS for check in preview["checks"])
    assert preview["ready_to_send"] is False


def test_the_report_carries_the_bank_fields_stored_at_generation(project_file, alice):
    project = project_file.project
    generate(project, alice)
    report = api_client(alice).get(reverse("api-report", args=[project.pk])).json()
    assert set(report) >= REPORT_FIELDS | {"ready_to_send", "validation"}
    assert "bank" not in report["validation"]  # stored beside it, not shown in it
    # No plan yet: the books' years are assessed, nothing projected to check.
    assert set(report["assessment"]) == set(report["years"])
    assert report["checks"] == [] and report["dscr"]["by_year"] == {}

    put(api_client(alice), project, {
        "assumptions": {"2025-26": {"sales_growth_pct": 45}},
        "notes": {"sales_growth:2026-27": "ignored: another year"},
    })  # fmt: skip
    generate(project, alice, start_from="generate")
    report = api_client(alice).get(reverse("api-report", args=[project.pk])).json()
    assert set(report["assessment"]) == set(report["years"])
    [growth] = [c for c in report["checks"] if c["code"] == "sales_growth"]
    assert (growth["year"], growth["level"], growth["note"]) == ("2025-26", "error", None)
    assert growth["figure"] == pytest.approx(45, abs=0.01) and growth["threshold"] == 40
    assert report["ready_to_send"] is False
    page = login(alice).get(reverse("project-detail", args=[project.pk])).text
    assert 'data-report-state="not-ready"' in page and "Not ready to send" in page
    assert "Net sales grow 45.00 % in 2025-26" in page

    put(api_client(alice), project, {"notes": {"sales_growth": "Export order of ₹2 crore"}})
    generate(project, alice, start_from="generate")
    report = api_client(alice).get(reverse("api-report", args=[project.pk])).json()
    [growth] = [c for c in report["checks"] if c["code"] == "sales_growth"]
    assert (growth["level"], growth["note"]) == ("warning", "Export order of ₹2 crore")
    stored = Output.objects.filter(project=project).first().validation["bank"]
    assert stored["checks"] == report["checks"]
    page = login(alice).get(reverse("project-detail", args=[project.pk])).text
    errors = [c for c in report["checks"] if c["level"] == "error"]
    state = "not-ready" if errors or report["validation"]["errors"] else "ready"
    assert f'data-report-state="{state}"' in page
    assert "Note: Export order of ₹2 crore" in page


def test_a_report_made_before_the_checks_has_empty_fields_and_is_not_ready(project_file, alice):
    project = project_file.project
    generate(project, alice)
    output = Output.objects.get(project=project, name__endswith=".xlsx")
    output.validation = {k: v for k, v in output.validation.items() if k != "bank"}
    output.save()
    report = api_client(alice).get(reverse("api-report", args=[project.pk])).json()
    assert report["assessment"] == {} and report["checks"] == []
    assert report["ready_to_send"] is False


def test_the_plan_page_shows_the_method_dscr_and_checks_and_saves_notes_and_limits(
    books,  # noqa: F811
    alice,
):
    client = login(alice)
    url = reverse("project-plan", args=[books.pk])
    put(api_client(alice), books, {"msme": True, "assumptions": {
        "2025-26": {"sales_growth_pct": 30}}})  # fmt: skip
    html = client.get(url).text
    assert "Turnover method applies" in html and "within ₹5 crore" in html
    assert "Debt service coverage (DSCR)" in html
    assert 'data-check="sales_growth:2025-26"' in html
    assert 'name="note.sales_growth:2025-26"' in html
    assert 'name="l.0.proposed_limit"' in html and 'name="ss.as_on"' in html

    form = {
        "version": "1", "projected_years": "1", "display_unit": "lakhs", "msme": "on",
        "a.2025-26.sales_growth_pct": "30",
        "note.sales_growth:2025-26": "New dealer network in two states",
        "limits_edited": "1",
        "l.0.bank": "State Bank of India", "l.0.facility": "cash_credit",
        "l.0.fund_based": "on", "l.0.existing_limit": "2000000",
        "l.0.proposed_limit": "2500000",
        "l.1.bank": "", "l.1.facility": "cash_credit", "l.1.fund_based": "on",
        "ss.as_on": "2025-06-30", "ss.stocks": "3500000", "ss.creditors": "1000000",
        "ss.receivables": "2500000",
    }  # fmt: skip
    response = client.post(url, form, follow=True)
    assert "Plan saved." in response.text
    data = Plan.objects.get(project=books).data
    assert data["notes"] == {"sales_growth:2025-26": "New dealer network in two states"}
    assert [(row["bank"], row["proposed_limit"]) for row in data["limits"]] == [
        ("State Bank of India", "2500000")
    ]
    assert data["stock_statement"]["as_on"] == "2025-06-30"
    assert "Note: New dealer network in two states" in response.text
    body = api_client(alice).get(plan_url(books)).json()
    assert body["stock_statement"]["stocks"] == 3500000
    preview = api_client(alice).post(plan_url(books, "preview"), {}, "application/json").json()
    assert preview["assessment"]["2025-26"]["drawing_power"] == 2000000  # capped at the limit


def test_untouched_form_i_keeps_taking_its_amounts_from_the_books(books, alice):  # noqa: F811
    url = reverse("project-plan", args=[books.pk])
    form = {"version": "0", "projected_years": "1", "display_unit": "lakhs",
            "limits_edited": "0", "l.0.bank": "", "l.0.facility": "cash_credit"}  # fmt: skip
    login(alice).post(url, form)
    assert "limits" not in Plan.objects.get(project=books).data


def test_bad_stock_statement_fields_are_named(books, alice):  # noqa: F811
    response = put(
        api_client(alice), books, {"stock_statement": {"as_on": "30/06/2025", "stocks": -1}}
    )
    assert response.status_code == 400
    assert set(json.loads(response.content)["fields"]) >= {"stock_statement.stocks"}
