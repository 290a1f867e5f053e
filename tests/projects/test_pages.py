"""The server-rendered pages: login, project list and create, project page."""

import json
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from pipeline.runner import run_execute
from pipeline.services import run_create
from projects.models import Output, Project, ProjectStatus
from projects.selectors import PROJECTS_PER_PAGE
from projects.services import project_create
from tests.conftest import MEHTA_CSV, PASSWORD, SAMPLES, login, sample


def listed(html: str) -> list[str]:
    """The project names in the list's table, in order."""
    return re.findall(r'<td data-label="Project"><a href="/projects/\d+/">([^<]+)</a></td>', html)


def test_login_lands_on_the_page_asked_for(project, alice):
    target = reverse("project-detail", args=[project.pk])
    client = Client()
    redirect = client.get(target)
    assert redirect.status_code == 302
    response = client.post(
        redirect.url, {"username": "alice@acme.test", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.url == target
    assert client.get(target).status_code == 200


def test_login_with_a_wrong_password_says_so(alice):
    response = Client().post(reverse("login"), {"username": "alice@acme.test", "password": "nope"})
    assert response.status_code == 200
    assert "didn't match" in response.text


def test_logout_is_a_post_and_ends_the_session(alice):
    client = login(alice)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("project-list")).status_code == 302


def test_create_project_from_the_list_page(alice):
    client = login(alice)
    response = client.post(
        reverse("project-list"), {"name": "CC renewal", "client_name": "Mehta Traders"}
    )
    project = Project.objects.get()
    assert response.url == reverse("project-detail", args=[project.pk])
    page = client.get(response.url)
    assert "CC renewal" in page.text
    assert "Mehta Traders" in page.text


def test_create_project_without_a_name_shows_the_error(alice):
    response = login(alice).post(reverse("project-list"), {"name": " "})
    assert response.status_code == 400
    assert "A project needs a name." in response.text
    assert not Project.objects.exists()


def test_the_list_pages_newest_first(alice):
    for number in range(PROJECTS_PER_PAGE + 5):
        project_create(user=alice, name=f"Project {number:02}")
    client = login(alice)
    first = client.get(reverse("project-list")).text
    assert listed(first) == [f"Project {n:02}" for n in range(PROJECTS_PER_PAGE + 4, 4, -1)]
    assert f"Page 1 of 2 · {PROJECTS_PER_PAGE + 5} projects" in first
    assert 'href="?page=2" rel="next"' in first
    second = client.get(reverse("project-list"), {"page": 2}).text
    assert listed(second) == [f"Project {n:02}" for n in range(4, -1, -1)]
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second


def test_a_page_out_of_range_or_not_a_number_shows_the_nearest(alice):
    for number in range(PROJECTS_PER_PAGE + 1):
        project_create(user=alice, name=f"Project {number:02}")
    client = login(alice)
    assert listed(client.get(reverse("project-list"), {"page": "99"}).text) == ["Project 00"]
    assert len(listed(client.get(reverse("project-list"), {"page": "x"}).text)) == PROJECTS_PER_PAGE


def test_search_finds_projects_by_name_or_client(alice):
    project_create(user=alice, name="CC renewal", client_name="Mehta Traders")
    project_create(user=alice, name="Term loan", client_name="Shree Ganesh Polymers")
    project_create(user=alice, name="Mehta term loan", client_name="")
    client = login(alice)
    html = client.get(reverse("project-list"), {"q": " mehta "}).text
    assert listed(html) == ["Mehta term loan", "CC renewal"]
    assert 'value="mehta"' in html
    assert listed(client.get(reverse("project-list"), {"q": "POLYMERS"}).text) == ["Term loan"]


def test_status_narrows_the_list_and_pages_keep_the_search(alice):
    for number in range(PROJECTS_PER_PAGE + 2):
        project_create(user=alice, name=f"Mehta {number:02}")
    project_create(user=alice, name="Mehta done")
    Project.objects.filter(name="Mehta done").update(status=ProjectStatus.COMPLETED)
    client = login(alice)
    done = client.get(reverse("project-list"), {"status": "completed"}).text
    assert listed(done) == ["Mehta done"]
    assert '<option value="completed" selected>' in done
    drafts = client.get(reverse("project-list"), {"q": "mehta", "status": "draft"}).text
    assert 'href="?q=mehta&amp;status=draft&amp;page=2" rel="next"' in drafts
    # A status that does not exist narrows nothing rather than failing.
    assert len(listed(client.get(reverse("project-list"), {"status": "bogus"}).text)) == 25


def test_search_never_shows_another_firms_projects(alice, charlie):
    project_create(user=charlie, name="Mehta CC", client_name="Mehta Traders")
    html = login(alice).get(reverse("project-list"), {"q": "mehta"}).text
    assert listed(html) == []
    assert "No project matches." in html


def test_project_page_lists_files_with_kind_and_year(project, alice):
    client = login(alice)
    response = client.post(
        reverse("project-upload", args=[project.pk]),
        {"files": [sample(MEHTA_CSV)], "fiscal_year": ""},
        follow=True,
    )
    assert "Uploaded trial-balance.csv." in response.text
    assert "CSV" in response.text
    assert (
        reverse("project-file-download", args=[project.pk, project.files.get().pk]) in response.text
    )


@pytest.mark.parametrize("typed", ["2024-2025", "2024-25", "FY2024-25", "2024/25"])
def test_a_fiscal_year_typed_as_people_write_it_is_stored_in_the_usual_form(project, alice, typed):
    client = login(alice)
    form = client.get(reverse("project-detail", args=[project.pk])).text
    field = re.search(r'<input id="id_fiscal_year"[^>]*>', form).group(0)
    assert 'maxlength="7"' not in field and "pattern=" not in field  # never cut to 2024-20
    client.post(
        reverse("project-upload", args=[project.pk]),
        {"files": [sample(MEHTA_CSV)], "fiscal_year": typed},
    )
    assert project.files.get().fiscal_year == "2024-25"


def test_a_fiscal_year_that_is_not_one_is_refused_beside_the_form(project, alice):
    response = login(alice).post(
        reverse("project-upload", args=[project.pk]),
        {"files": [sample(MEHTA_CSV)], "fiscal_year": "2024"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith("#upload-messages")
    beside = response.text.split('id="upload-messages"')[1].split("</ul>")[0]
    assert "is not a fiscal year like 2024-25." in beside
    assert not project.files.exists()


def test_page_download_returns_the_file(project_file, bob):
    response = login(bob).get(
        reverse("project-file-download", args=[project_file.project_id, project_file.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == sample(MEHTA_CSV).read()


def test_remove_file_from_the_page(project_file, alice):
    response = login(alice).post(
        reverse("project-file-delete", args=[project_file.project_id, project_file.pk]),
        follow=True,
    )
    assert "Removed trial-balance.csv." in response.text
    assert not project_file.project.files.exists()


def figure_cells(html: str, name: str) -> list[str]:
    row = re.search(rf'<tr data-figure="{name}">(.*?)</tr>', html, re.S)
    assert row, name
    return re.findall(r'<td class="num">([^<]*)</td>', row.group(1))


def test_project_page_shows_the_reports_key_figures_and_what_to_check(project_file, alice):
    client = login(alice)
    before = client.get(reverse("project-detail", args=[project_file.project_id])).text
    assert (
        '<section id="report-summary" class="card" aria-labelledby="report-heading" hidden>'
        in before
    )

    run = run_create(
        subject=project_file.project,
        pipeline_name="cma",
        options={"skip_review": True},
        requested_by=alice,
    )
    run_execute(run_id=run.pk)
    html = client.get(reverse("project-detail", args=[project_file.project_id])).text

    truth = json.loads((SAMPLES / "mehta-traders" / "truth.json").read_text())["key_figures"]
    years = sorted(truth)
    assert re.findall(r'<th scope="col" class="num">([^<]+)</th>', html) == years
    # In lakhs, two decimals, the unit named once in the heading (banks read lakhs).
    lakhs = Decimal(100_000)
    money = [
        f"{(Decimal(str(truth[year]['net_sales'])) / lakhs).quantize(Decimal('0.01'))}"
        for year in years
    ]
    assert figure_cells(html, "net_sales") == money
    assert 'Key figures <span class="muted unit">(₹ lakhs)</span>' in html
    ratio = [f"{Decimal(str(truth[year]['current_ratio'])):.2f}" for year in years]
    assert figure_cells(html, "current_ratio") == ratio
    # What validation asked a CA to look at, year by year.
    output = Output.objects.get(project=project_file.project, name__endswith=".xlsx")
    assert output.validation["warnings"]
    for warning in output.validation["warnings"]:
        assert warning["message"].replace("'", "&#x27;") in html
    assert "Validation found" not in html


def test_a_report_made_with_validation_skipped_says_what_failed(project_file, alice):
    output = Output(
        project=project_file.project,
        name="CMA - Mehta Traders.xlsx",
        size=10,
        sha256="0",
        years=["2024-25"],
        key_figures={"2024-25": {"net_sales": 1234567.5, "current_ratio": None}},
        validation={
            "errors": [
                {"code": "unbalanced", "year": "2024-25", "message": "Assets ≠ liabilities."}
            ],
            "warnings": [],
        },
    )
    output.file.save("cma.xlsx", ContentFile(b"0123456789"))
    html = login(alice).get(reverse("project-detail", args=[project_file.project_id])).text
    assert "Validation found 1 error; this report was made with validation skipped." in html
    assert "2024-25: Assets ≠ liabilities." in html
    assert figure_cells(html, "net_sales") == ["12.35"]  # ₹12,34,567.50 in lakhs
    assert figure_cells(html, "current_ratio") == ["—"]  # nothing to divide by
    assert figure_cells(html, "net_profit") == ["—"]  # not in this report
