"""The plan through HTTP (API.md "Plan, assessment and bank readiness") and its page."""

import json
import re
import time
from decimal import Decimal

import pytest
from django.urls import reverse

from pipeline.models import Run
from pipeline.runner import run_execute
from pipeline.services import run_create
from projects.cma.forms import KEY_FIGURES
from projects.cma.projections import ASSUMPTION_KEYS
from projects.models import LineItem, Output, PlanVersion
from tests.conftest import SAMPLES, api_client, login

MEHTA = json.loads((SAMPLES / "mehta-traders" / "truth.json").read_text())


@pytest.fixture
def books(project_file):
    """Mehta Traders' classified line items, as a run leaves them."""
    LineItem.objects.bulk_create(
        LineItem(
            project=project_file.project,
            file=project_file,
            year=item["year"],
            label=item["label"],
            amount=Decimal(str(item["amount"])),
            side=item["side"],
            source="trial-balance.csv: row",
            basis="trial_balance",
            head=item["head"],
            position=index,
        )
        for index, item in enumerate(MEHTA["line_items"])
    )
    return project_file.project


def plan_url(project, suffix=""):
    names = {"": "api-plan", "history": "api-plan-history", "preview": "api-plan-preview"}
    return reverse(names[suffix], args=[project.pk])


def put(client, project, body, **headers):
    return client.put(
        plan_url(project), json.dumps(body), content_type="application/json", headers=headers
    )


def test_an_unsaved_plan_has_every_default_from_the_books(books, alice):
    body = api_client(alice).get(plan_url(books)).json()
    assert body["version"] == 0 and body["updated_at"] is None and body["updated_by"] is None
    assert body["years"] == [
        {"year": "2023-24", "kind": "audited"},
        {"year": "2024-25", "kind": "audited"},
        {"year": "2025-26", "kind": "estimated"},
        {"year": "2026-27", "kind": "projected"},
    ]
    assert body["assumptions"] == {"2025-26": {}, "2026-27": {}}
    assert set(body["defaults"]) == {"2025-26", "2026-27"}
    assert set(body["defaults"]["2025-26"]) == set(ASSUMPTION_KEYS)
    assert body["defaults"]["2025-26"]["sales_growth_pct"] == 10
    assert body["display_unit"] == "lakhs" and body["msme"] is False and body["notes"] == {}
    # The books' term loan, as an existing loan; the bank borrowing as a Form I row.
    assert [loan["existing"] for loan in body["term_loans"]] == [True]
    assert {row["facility"] for row in body["limits"]} >= {"term_loan"}
    assert set(body) == {
        "version", "updated_at", "updated_by", "estimate_year", "projected_years", "years",
        "assumptions", "defaults", "limits", "term_loans", "msme", "display_unit", "notes",
        "stock_statement",
    }  # fmt: skip


def test_saving_makes_a_version_with_who_and_what_changed(books, alice, bob):
    client = api_client(alice)
    response = put(
        client, books, {"projected_years": 3, "assumptions": {"2025-26": {"sales_growth_pct": 15}}}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["version"] == 1 and body["updated_by"] == "alice@acme.test"
    assert body["assumptions"]["2025-26"] == {"sales_growth_pct": 15.0}
    assert [y["kind"] for y in body["years"]][-3:] == ["projected"] * 3

    # A second user changes one more thing; the first change stays (assumptions merge).
    body = put(
        api_client(bob), books, {"assumptions": {"2026-27": {"receivables_months": 2}}},
        **{"If-Match": "1"},
    ).json()  # fmt: skip
    assert body["version"] == 2
    assert body["assumptions"]["2025-26"] == {"sales_growth_pct": 15.0}
    history = client.get(plan_url(books, "history")).json()["results"]
    assert [h["version"] for h in history] == [2, 1]
    assert history[0]["updated_by"] == "bob@acme.test"
    assert history[0]["changes"] == [
        {"path": "assumptions.2026-27.receivables_months", "old": None, "new": "2"}
    ]
    assert {"path": "projected_years", "old": None, "new": 3} in history[1]["changes"]


def test_a_stale_version_is_409_and_nothing_is_saved(books, alice):
    client = api_client(alice)
    put(client, books, {"msme": True})
    response = put(client, books, {"msme": False}, **{"If-Match": '"0"'})
    assert response.status_code == 409
    assert response.json()["error"] == "stale_plan"
    assert response.json()["version"] == 1
    assert client.get(plan_url(books)).json()["msme"] is True


def test_bad_values_are_400_with_every_field_path(books, alice):
    response = put(
        api_client(alice),
        books,
        {
            "assumptions": {
                "2025-26": {"rm_months": -1, "sales_growth_pct": -150, "tax_pct": "abc"},
                "2040-41": {"capex": 1},
            },
            "colour": "blue",
        },
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_plan"
    assert set(body["fields"]) == {
        "assumptions.2025-26.rm_months",
        "assumptions.2025-26.sales_growth_pct",
        "assumptions.2025-26.tax_pct",
        "assumptions.2040-41",
        "colour",
    }
    assert "negative" in body["fields"]["assumptions.2025-26.rm_months"]
    assert not PlanVersion.objects.exists()


def test_the_plan_cannot_be_saved_while_a_run_is_active(books, alice):
    run_create(subject=books, pipeline_name="cma", options={}, requested_by=alice)
    response = put(api_client(alice), books, {"msme": True})
    assert response.status_code == 409
    assert response.json()["error"] == "already_running"
    # Reading and previewing stay open.
    assert api_client(alice).get(plan_url(books)).status_code == 200


def test_another_firms_plan_is_404_like_a_missing_one(books, charlie):
    client = api_client(charlie)
    assert client.get(plan_url(books)).status_code == 404
    assert put(client, books, {"msme": True}).status_code == 404
    assert (
        client.post(plan_url(books, "preview"), {}, content_type="application/json").status_code
        == 404
    )
    assert client.get(plan_url(books, "history")).status_code == 404


def test_preview_gives_every_years_key_figures_quickly_and_saves_nothing(books, alice):
    client = api_client(alice)
    body = {"projected_years": 7, "assumptions": {"2025-26": {"sales_growth_pct": 20}}}
    client.post(plan_url(books, "preview"), body, content_type="application/json")  # warm
    started = time.perf_counter()
    response = client.post(plan_url(books, "preview"), body, content_type="application/json")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    preview = response.json()
    assert set(preview) >= {"key_figures", "assessment", "dscr", "checks"}
    assert len(preview["key_figures"]) == 2 + 1 + 7
    assert [y["kind"] for y in preview["years"]].count("projected") == 7
    estimate = preview["key_figures"]["2025-26"]
    assert set(estimate) == {*KEY_FIGURES, "additional_finance_required"}
    assert estimate["net_sales"] == pytest.approx(
        MEHTA["key_figures"]["2024-25"]["net_sales"] * 1.2, abs=0.01
    )
    assert (
        preview["key_figures"]["2024-25"]["net_sales"]
        == MEHTA["key_figures"]["2024-25"]["net_sales"]
    )
    assert elapsed < 0.2, f"preview took {elapsed * 1000:.0f} ms"
    assert not PlanVersion.objects.exists()
    bad = client.post(
        plan_url(books, "preview"),
        {"assumptions": {"2025-26": {"fg_months": "lots"}}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "assumptions.2025-26.fg_months" in bad.json()["fields"]


def test_a_saved_plan_marks_the_report_stale_and_generate_brings_the_projections(
    project_file, alice
):
    project = project_file.project
    run = run_create(
        subject=project, pipeline_name="cma", options={"skip_review": True}, requested_by=alice
    )
    run_execute(run_id=run.pk)
    report = api_client(alice).get(reverse("api-report", args=[project.pk])).json()
    assert report["years"] == ["2023-24", "2024-25"]
    assert report["kinds"] == {"2023-24": "audited", "2024-25": "audited"}

    put(api_client(alice), project, {"projected_years": 2, "years": [
        {"year": "2024-25", "kind": "provisional"}]})  # fmt: skip
    client = login(alice)
    page = client.get(reverse("project-detail", args=[project.pk])).text
    assert "The plan was saved after this report" in page
    assert '<input type="hidden" name="start_from" value="generate">' in page

    client.post(reverse("project-process", args=[project.pk]), {"start_from": "generate"})
    run = Run.objects.latest("pk")
    run_execute(run_id=run.pk)
    assert {s.name: s.status for s in run.steps.all()}["extract"] == "skipped"
    report = api_client(alice).get(reverse("api-report", args=[project.pk])).json()
    assert report["years"] == ["2023-24", "2024-25", "2025-26", "2026-27", "2027-28"]
    assert report["kinds"] == {
        "2023-24": "audited", "2024-25": "provisional", "2025-26": "estimated",
        "2026-27": "projected", "2027-28": "projected",
    }  # fmt: skip
    assert "additional_finance_required" in report["key_figures"]["2027-28"]
    assert Output.objects.filter(project=project, name__endswith=".xlsx").count() == 2
    page = client.get(reverse("project-detail", args=[project.pk])).text
    assert "The plan was saved after this report" not in page
    assert re.search(r'class="num kind kind-estimated">Estimated</th>', page)


def test_the_plan_page_shows_defaults_and_every_years_figures_in_lakhs(books, alice):
    client = login(alice)
    assert (
        f'href="/projects/{books.pk}/plan/"'
        in client.get(reverse("project-detail", args=[books.pk])).text
    )
    html = client.get(reverse("project-plan", args=[books.pk])).text
    assert 'Key figures <span class="muted">(₹ lakhs)</span>' in html
    assert 'name="a.2025-26.sales_growth_pct"' in html
    assert 'placeholder="10"' in html and "default 10" in html
    row = re.search(r'<tr data-figure="net_sales">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)</td>', row)
    lakhs = Decimal(str(MEHTA["key_figures"]["2024-25"]["net_sales"])) / 100000
    assert cells[1] == f"{lakhs:,.2f}"
    assert len(cells) == 4
    assert "Estimated" in html and "Projected" in html


def test_the_preview_fragment_follows_what_is_typed_and_puts_errors_beside_fields(books, alice):
    client = login(alice)
    url = reverse("project-plan-preview", args=[books.pk])
    fast = client.post(url, {"a.2025-26.sales_growth_pct": "50", "projected_years": "1"}).text
    slow = client.post(url, {"a.2025-26.sales_growth_pct": "0", "projected_years": "1"}).text

    def estimate_sales(html):
        row = re.search(r'<tr data-figure="net_sales">(.*?)</tr>', html, re.S).group(1)
        return Decimal(re.findall(r'<td class="num">([^<]*)</td>', row)[2].replace(",", ""))

    assert estimate_sales(fast) == pytest.approx(
        estimate_sales(slow) * Decimal("1.5"), abs=Decimal("0.02")
    )
    bad = client.post(url, {"a.2025-26.rm_months": "-2", "projected_years": "1"}).text
    assert re.search(
        r'<span id="err-assumptions--2025-26--rm_months" class="error field-error" '
        r'hx-swap-oob="true">Months cannot be negative.</span>',
        bad,
    )
    assert not PlanVersion.objects.exists()


def test_saving_from_the_page_and_a_stale_save_is_refused_clearly(books, alice, bob):
    url = reverse("project-plan", args=[books.pk])
    form = {"version": "0", "projected_years": "2", "display_unit": "crores",
            "a.2025-26.capex": "500000"}  # fmt: skip
    response = login(alice).post(url, form, follow=True)
    assert "Plan saved." in response.text
    assert "Version 1" in response.text and "assumptions.2025-26.capex" in response.text
    assert "(₹ crores)" in response.text
    stale = login(bob).post(url, {**form, "a.2025-26.capex": "1"})
    assert stale.status_code == 409
    assert "changed since you opened it" in stale.text
    invalid = login(bob).post(url, {**form, "version": "1", "a.2025-26.capex": "ten"})
    assert invalid.status_code == 400
    assert "is not a number" in invalid.text


def test_a_project_without_books_has_an_empty_plan_and_says_why(project, alice):
    body = api_client(alice).get(plan_url(project)).json()
    assert body["years"] == [] and body["estimate_year"] is None and body["defaults"] == {}
    html = login(alice).get(reverse("project-plan", args=[project.pk])).text
    assert "No books yet" in html
    refused = put(api_client(alice), project, {"assumptions": {"2025-26": {"capex": 1}}})
    assert refused.status_code == 400
    assert "no books yet" in refused.json()["fields"]["assumptions.2025-26"]
