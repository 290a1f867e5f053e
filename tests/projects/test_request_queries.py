"""What the three busiest requests ask of the database: Process through the API, the
report through the API, and the project page. Fifty people at once on two cores leave a
few milliseconds of CPU per request (bench/request_cost.py), and each query is a good
part of a millisecond; a change that adds one fails here rather than in production.

Counted are the statements a request sends: the test's own transaction turns the
services' transactions into savepoints, which production does not send, so those are
left out (as are BEGIN and COMMIT, which depend on the database).
"""

import math
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pipeline import engine, registry
from pipeline.models import Run, RunStatus, StepRecord, StepStatus
from pipeline.runner import run_execute
from pipeline.services import run_create
from projects.models import AuditLog, Output, Plan, Project, ProjectFile
from projects.services import line_item_correct
from projects.subjects import ProjectSubjects
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


def test_the_project_page_asks_ten_questions(processed, bob):
    item = processed.line_items.exclude(head="").first()
    line_item_correct(item=item, user=bob, head="other_operating_income")
    client = login(bob)
    url = reverse("project-detail", args=[processed.pk])
    client.get(url)  # the session's first request may write it

    response, sent = statements(lambda: client.get(url))

    assert response.status_code == 200
    # The session, the user with their membership and its firm, the project with its
    # plan, its runs (the latest one's steps, review counts and documents), files,
    # outputs, and the corrections since the report.
    assert len(sent) == 10, "\n".join(sent)
    html = response.text
    assert "Acme Associates" in html  # the firm, read with the membership
    assert "1 line item moved to another head after this report" in html
    assert 'Key figures <span class="muted unit">(₹ crores)</span>' in html


def test_the_project_page_of_a_project_never_processed_asks_six(project_file, alice):
    client = login(alice)
    url = reverse("project-detail", args=[project_file.project_id])
    client.get(url)

    response, sent = statements(lambda: client.get(url))

    assert response.status_code == 200
    # No run (so no steps, reviews or documents), and no report to count corrections since.
    assert len(sent) == 6, "\n".join(sent)


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


def test_pressing_process_through_the_api_sends_seven_statements(project_file, alice):
    client: Client = api_client(alice)
    client.get(reverse("api-report", args=[project_file.project_id]))  # the token's first use
    url = reverse("api-process", args=[project_file.project_id])

    response, sent = statements(
        lambda: client.post(url, {"skip_review": True}, content_type="application/json")
    )

    assert response.status_code == 202
    # The token; the project with whether it has files and their size (one question); the
    # run, its steps, its first event and the audit entry; the estimate from the firm's
    # history.
    assert len(sent) == 7, "\n".join(sent)
    run = Run.objects.get(pk=response.json()["run_id"])
    assert run.last_seq == 1
    assert list(run.events.values_list("seq", "type")) == [(1, "run.queued")]
    assert AuditLog.objects.filter(run_id=run.pk, action="pipeline_process").count() == 1


def test_the_project_read_for_process_is_the_firms_and_counts_its_files(
    project_file, alice, charlie, make_project
):
    subjects = ProjectSubjects()
    project = Project.objects.get(pk=project_file.project_id)
    read = subjects.get_for_user(alice, project.pk)
    assert {f.attname: getattr(read, f.attname) for f in Project._meta.concrete_fields} == {
        f.attname: getattr(project, f.attname) for f in Project._meta.concrete_fields
    }
    assert subjects.has_input(read)
    # The size that came with the read is the one the files add up to.
    assert subjects.input_size(read) == subjects.input_size(project)
    # Taken once: asked again (after an upload, say), it counts again.
    with CaptureQueriesContext(connection) as captured:
        assert subjects.has_input(read)
    assert len(captured.captured_queries) == 1

    assert not subjects.has_input(subjects.get_for_user(alice, make_project(alice).pk))
    with pytest.raises(Http404):
        subjects.get_for_user(charlie, project.pk)
    with pytest.raises(Http404):
        subjects.get_for_user(alice, project.pk + 10_000)


def test_the_project_page_says_when_the_plan_was_saved_after_the_report(processed, alice):
    client = login(alice)
    url = reverse("project-detail", args=[processed.pk])
    made = processed.outputs.first().created_at
    assert 'data-notice="plan-changed"' not in client.get(url).text

    Plan.objects.filter(project=processed).update(updated_at=made + timedelta(seconds=1))

    assert 'data-notice="plan-changed"' in client.get(url).text
    # The live parts (htmx, the socket) read the project and its plan the same way.
    assert 'data-notice="plan-changed"' in client.get(url, headers={"HX-Request": "true"}).text


def _history(project: Project, *, runs: int, duration_ms: int, since: datetime) -> None:
    """`runs` finished runs of the project's firm, each step completed in `duration_ms`."""
    steps = registry.get("cma").steps
    made = Run.objects.bulk_create(
        Run(
            project=project,
            tenant_id=project.firm_id,
            pipeline="cma",
            status=RunStatus.COMPLETED,
            input_size=1,
        )
        for _ in range(runs)
    )
    StepRecord.objects.bulk_create(
        StepRecord(
            run=run,
            name=step.name,
            position=position,
            status=StepStatus.COMPLETED,
            duration_ms=duration_ms,
            completed_at=since + timedelta(seconds=n),
        )
        for n, run in enumerate(made)
        for position, step in enumerate(steps)
    )


def test_the_estimate_reads_the_latest_finished_runs_however_many_are_queued(project_file, alice):
    project = project_file.project
    started = timezone.now() - timedelta(days=30)
    _history(project, runs=30, duration_ms=900_000, since=started)
    _history(project, runs=engine.HISTORY_RUNS, duration_ms=1500, since=started + timedelta(days=1))
    # Fifty presses of Process a moment ago: the newest runs have no finished steps yet.
    others = Project.objects.bulk_create(
        Project(firm_id=project.firm_id, name=f"Queued {n}", created_by=alice) for n in range(50)
    )
    Run.objects.bulk_create(
        Run(project=other, tenant_id=project.firm_id, pipeline="cma", input_size=1)
        for other in others
    )

    body = (
        api_client(alice)
        .post(
            reverse("api-process", args=[project.pk]),
            {"skip_review": True},
            content_type="application/json",
        )
        .json()
    )

    input_size = Run.objects.get(pk=body["run_id"]).input_size
    steps = len(registry.get("cma").machine_steps)
    assert body["estimated_duration_seconds"] == math.ceil(steps * 1500 * input_size / 1000)


def test_a_press_of_process_sizes_the_run_by_its_files_and_a_later_question_counts_again(
    project_file,
):
    project = project_file.project
    ProjectFile.objects.filter(pk=project_file.pk).update(size=35_000)
    subjects = ProjectSubjects()

    assert subjects.has_input(project)
    assert subjects.input_size(project) == 3  # 10 kB a unit
    ProjectFile.objects.filter(pk=project_file.pk).update(size=72_000)  # an upload since
    assert subjects.input_size(project) == 7


def test_a_project_without_files_has_no_input_and_the_smallest_size(project):
    subjects = ProjectSubjects()

    assert not subjects.has_input(project)
    assert subjects.input_size(project) == 1
