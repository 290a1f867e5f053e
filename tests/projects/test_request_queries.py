"""What the three busiest requests ask of the database: Process through the API, the
report through the API, and the project page. Fifty people at once on two cores leave a
few milliseconds of CPU per request (bench/request_cost.py), and each query is a good
part of a millisecond; a change that adds one fails here rather than in production.

Counted are the statements a request sends: the test's own transaction turns the
services' transactions into savepoints, which production does not send, so those are
left out (as are BEGIN and COMMIT, which depend on the database).
"""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pipeline.models import Run
from pipeline.runner import run_execute
from pipeline.services import run_create
from projects.models import AuditLog, Output, Plan, Project
from projects.services import line_item_correct
from tests.conftest import api_client, login

pytestmark = pytest.mark.django_db

TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN", "COMMIT")


def statements(call: Callable[[], object]) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    sent = [q["sql"] for q in captured.captured_queries]
    return result, [sql for sql in sent if not sql.upper().startswith(TRANSACTION_CONTROL)]


@pytest.fixture
def processed(project_file, alice) -> Project:
    """A project with a report, a CA's correction since it and a saved plan: every
    part of the page has something to read."""
    project = project_file.project
    run = run_create(
        subject=project, pipeline_name="cma", options={"skip_review": True}, requested_by=alice
    )
    run_execute(run_id=run.pk)
    Plan.objects.create(project=project, version=1, data={"display_unit": "crores"})
    return project


def test_the_project_page_asks_eleven_questions(processed, bob):
    item = processed.line_items.exclude(head="").first()
    line_item_correct(item=item, user=bob, head="other_operating_income")
    client = login(bob)
    url = reverse("project-detail", args=[processed.pk])
    client.get(url)  # the session's first request may write it

    response, sent = statements(lambda: client.get(url))

    assert response.status_code == 200
    # The session, the user, their membership with its firm, the project with its plan,
    # its runs (the latest one's steps, review counts and documents), files, outputs,
    # and the corrections since the report.
    assert len(sent) == 11, "\n".join(sent)
    html = response.text
    assert "Acme Associates" in html  # the firm, read with the membership
    assert "1 line item moved to another head after this report" in html
    assert 'Key figures <span class="muted unit">(₹ crores)</span>' in html


def test_the_project_page_of_a_project_never_processed_asks_seven(project_file, alice):
    client = login(alice)
    url = reverse("project-detail", args=[project_file.project_id])
    client.get(url)

    response, sent = statements(lambda: client.get(url))

    assert response.status_code == 200
    # No run (so no steps, reviews or documents), and no report to count corrections since.
    assert len(sent) == 7, "\n".join(sent)


def test_the_report_api_reads_the_report_and_its_access_in_one_query(processed, alice):
    client = api_client(alice)
    url = reverse("api-report", args=[processed.pk])
    client.get(url)  # a new token's first use is written down

    response, sent = statements(lambda: client.get(url))

    assert response.status_code == 200
    assert response.json()["output"]["id"] == processed.outputs.first().pk
    # The token with its user and membership, then the latest report of the firm's project.
    assert len(sent) == 2, "\n".join(sent)


def test_the_report_api_still_tells_another_firms_project_from_one_without_a_report(
    processed, charlie, make_project
):
    client = api_client(charlie)
    theirs = client.get(reverse("api-report", args=[processed.pk]))
    assert theirs.status_code == 404
    assert theirs.json()["error"] == "not_found"

    own = make_project(charlie, "Fresh")
    none_yet = client.get(reverse("api-report", args=[own.pk]))
    assert none_yet.status_code == 404
    assert none_yet.json()["error"] == "no_report"


def test_the_report_api_answers_the_latest_report(processed, alice):
    newer = Output(
        project=processed,
        name="CMA - newer.xlsx",
        size=1,
        sha256="0",
        years=["2030-31"],
        key_figures={"2030-31": {"net_sales": 1.0}},
        validation={"errors": [], "warnings": []},
    )
    newer.file.save("newer.xlsx", ContentFile(b"0"))

    body = api_client(alice).get(reverse("api-report", args=[processed.pk])).json()

    assert body["output"]["id"] == newer.pk
    assert body["years"] == ["2030-31"]


def test_pressing_process_through_the_api_sends_nine_statements(project_file, alice):
    client: Client = api_client(alice)
    client.get(reverse("api-report", args=[project_file.project_id]))  # the token's first use
    url = reverse("api-process", args=[project_file.project_id])

    response, sent = statements(
        lambda: client.post(url, {"skip_review": True}, content_type="application/json")
    )

    assert response.status_code == 202
    # The token, the project, whether it has files and their size; the run, its steps,
    # its first event and the audit entry; the estimate from the firm's history.
    assert len(sent) == 9, "\n".join(sent)
    run = Run.objects.get(pk=response.json()["run_id"])
    assert run.last_seq == 1
    assert list(run.events.values_list("seq", "type")) == [(1, "run.queued")]
    assert AuditLog.objects.filter(run_id=run.pk, action="pipeline_process").count() == 1


def test_the_project_page_says_when_the_plan_was_saved_after_the_report(processed, alice):
    client = login(alice)
    url = reverse("project-detail", args=[processed.pk])
    made = processed.outputs.first().created_at
    assert 'data-notice="plan-changed"' not in client.get(url).text

    Plan.objects.filter(project=processed).update(updated_at=made + timedelta(seconds=1))

    assert 'data-notice="plan-changed"' in client.get(url).text
    # The live parts (htmx, the socket) read the project and its plan the same way.
    assert 'data-notice="plan-changed"' in client.get(url, headers={"HX-Request": "true"}).text
