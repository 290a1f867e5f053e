"""The pipeline part of the JSON API (API.md "Pipeline"), with the toy pipeline."""

import math
import re

import pytest
from django.test import Client

from pipeline import engine, registry, runner, services
from pipeline.models import Run, StepRecord
from projects.models import Project
from projects.services import project_files_add
from tests.conftest import MEHTA_CSV, api_client, login, sample
from tests.toy import pipeline as toy

pytestmark = pytest.mark.django_db

STEPS = ["extract", "classify", "review", "validate", "generate"]
PROGRESS_KEYS = {
    "project_id",
    "run_id",
    "status",
    "project_status",
    "current_step",
    "pipeline_progress",
    "is_processing",
    "estimated_remaining_seconds",
    "steps",
    "documents",
    "review",
}
STEP_KEYS = {
    "name",
    "status",
    "started_at",
    "completed_at",
    "duration_ms",
    "attempts",
    "progress",
    "metadata",
    "error",
}
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def post(client: Client, path: str, body: object = None):
    return client.post(
        f"/api/v1/{path}", {} if body is None else body, content_type="application/json"
    )


def get(client: Client, path: str):
    return client.get(f"/api/v1/{path}")


def with_file(project: Project, user) -> Project:
    project_files_add(project=project, uploads=[sample(MEHTA_CSV)], user=user)
    return project


def execute(run_id: int) -> str:
    return runner.run_execute(run_id=run_id)


@pytest.fixture
def client(alice) -> Client:
    return api_client(alice)


@pytest.fixture
def ready(project_file) -> Project:
    """Alice's project with a file: it can be processed."""
    return project_file.project


def processed(client: Client, project: Project, **options) -> dict:
    response = post(client, f"projects/{project.pk}/process", options)
    assert response.status_code == 202, response.json()
    return response.json()


# Process ------------------------------------------------------------------------------------


def test_process_queues_a_run_and_answers_202(client, ready, alice):
    response = post(client, f"projects/{ready.pk}/process")

    assert response.status_code == 202
    body = response.json()
    run = Run.objects.get()
    assert body == {
        "run_id": run.pk,
        "project_id": ready.pk,
        "status": "queued",
        "estimated_duration_seconds": body["estimated_duration_seconds"],
    }
    assert isinstance(body["estimated_duration_seconds"], int)
    assert body["estimated_duration_seconds"] > 0
    assert run.requested_by == alice
    assert run.pipeline == "toy"
    toy_options = registry.get("toy").options
    assert run.options == engine.options_validate({}, step_names=STEPS, extra=toy_options)


def test_process_estimates_from_defaults_before_any_history(client, ready):
    body = processed(client, ready)
    run = Run.objects.get(pk=body["run_id"])
    machine_steps = len(registry.get("toy").machine_steps)
    expected = math.ceil(machine_steps * engine.DEFAULT_STEP_MS * run.input_size / 1000)
    assert body["estimated_duration_seconds"] == expected


def test_process_estimates_from_the_firms_own_history(client, ready, alice, charlie, make_project):
    first = processed(client, ready)
    execute(first["run_id"])
    StepRecord.objects.filter(run_id=first["run_id"]).update(duration_ms=1500)
    # Another firm's slow runs do not make Acme's estimates slower.
    theirs = with_file(make_project(charlie, "T"), charlie)
    their_run = processed(api_client(charlie), theirs)
    execute(their_run["run_id"])
    StepRecord.objects.filter(run_id=their_run["run_id"]).update(duration_ms=900_000)

    again = processed(client, ready)

    input_size = Run.objects.get(pk=again["run_id"]).input_size
    assert again["estimated_duration_seconds"] == math.ceil(4 * 1500 * input_size / 1000)


def test_process_stores_the_options_given(client, ready):
    body = processed(client, ready, skip_review=True, auto_approve_above=0.9, toy_items=2)
    run = Run.objects.get(pk=body["run_id"])
    assert run.options["skip_review"] is True
    assert run.options["auto_approve_above"] == 0.9
    assert run.options["toy_items"] == 2


def test_process_without_files_is_400_no_files(client, project):
    response = post(client, f"projects/{project.pk}/process")
    assert response.status_code == 400
    assert response.json()["error"] == "no_files"
    assert response.json()["detail"]
    assert not Run.objects.exists()


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"colour": "red"}, "colour"),
        ({"skip_review": "yes"}, "skip_review"),
        ({"auto_approve_above": True}, "auto_approve_above"),
        ({"auto_approve_above": 1.5}, "auto_approve_above"),
        ({"start_from": "upload"}, "start_from"),
        ({"notify_on_review": None}, "notify_on_review"),
    ],
)
def test_process_with_bad_options_is_400_invalid_options(client, ready, options, named):
    response = post(client, f"projects/{ready.pk}/process", options)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_options"
    assert named in response.json()["detail"]
    assert not Run.objects.exists()


def test_process_with_a_body_that_is_not_an_object_is_400(client, ready):
    response = post(client, f"projects/{ready.pk}/process", ["skip_review"])
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_json"


def test_a_second_process_while_a_run_is_active_is_409_with_its_run_id(client, ready):
    first = processed(client, ready)

    response = post(client, f"projects/{ready.pk}/process")

    assert response.status_code == 409
    assert response.json()["error"] == "already_running"
    assert response.json()["run_id"] == first["run_id"]
    assert Run.objects.count() == 1


def test_a_run_paused_for_review_still_blocks_a_new_one(client, ready):
    first = processed(client, ready, toy_review=2)
    execute(first["run_id"])

    response = post(client, f"projects/{ready.pk}/process")

    assert response.status_code == 409
    assert response.json()["run_id"] == first["run_id"]


def test_process_again_after_a_run_finished_is_a_new_run(client, ready):
    first = processed(client, ready)
    execute(first["run_id"])
    second = processed(client, ready)
    assert second["run_id"] != first["run_id"]


def test_another_firms_project_is_404_for_every_pipeline_call(ready, charlie):
    theirs = api_client(charlie)
    for path in ["process", "retry", "resume"]:
        response = post(theirs, f"projects/{ready.pk}/{path}")
        assert response.status_code == 404, path
        assert response.json()["error"] == "not_found"
    assert get(theirs, f"projects/{ready.pk}/progress").status_code == 404
    assert not Run.objects.exists()


def test_pipeline_calls_without_credentials_are_401_json(ready):
    anonymous = Client()
    response = post(anonymous, f"projects/{ready.pk}/process")
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"
    assert get(anonymous, "runs").status_code == 401
    assert get(anonymous, "pipeline/stats").status_code == 401


def test_process_with_get_is_405(client, ready):
    response = get(client, f"projects/{ready.pk}/process")
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


# Progress -------------------------------------------------------------------------------------


def test_progress_before_any_run_is_404_never_run(client, ready):
    response = get(client, f"projects/{ready.pk}/progress")
    assert response.status_code == 404
    assert response.json()["error"] == "never_run"


def test_progress_of_a_queued_run_has_the_whole_shape(client, ready):
    body = processed(client, ready)

    progress = get(client, f"projects/{ready.pk}/progress").json()

    assert set(progress) >= PROGRESS_KEYS
    assert progress["run_id"] == body["run_id"]
    assert progress["project_id"] == ready.pk
    assert progress["status"] == "queued"
    assert progress["project_status"] == "draft"
    assert progress["current_step"] is None
    assert progress["pipeline_progress"] == 0.0
    assert progress["is_processing"] is True
    assert progress["estimated_remaining_seconds"] == body["estimated_duration_seconds"]
    assert [s["name"] for s in progress["steps"]] == STEPS
    for step in progress["steps"]:
        assert set(step) == STEP_KEYS
        assert step["status"] == "pending"
        assert step["started_at"] is None
        assert step["attempts"] == 0
    assert progress["documents"] == []
    assert progress["review"] == {"pending": 0, "approved": 0, "corrected": 0}


def test_progress_after_a_run_shows_each_completed_step(client, ready):
    body = processed(client, ready, toy_bad_doc=2)
    execute(body["run_id"])

    progress = get(client, f"projects/{ready.pk}/progress").json()

    assert progress["status"] == "completed"
    assert progress["project_status"] == "completed"
    assert progress["is_processing"] is False
    assert progress["pipeline_progress"] == 100.0
    assert progress["current_step"] == "generate"
    for step in progress["steps"]:
        assert step["status"] == "completed"
        assert isinstance(step["duration_ms"], int)
        assert step["attempts"] == 1
        assert step["progress"] == 100
        assert ISO_UTC.match(step["started_at"])
        assert ISO_UTC.match(step["completed_at"])
        assert step["started_at"] <= step["completed_at"]
    extract = progress["steps"][0]
    assert extract["metadata"] == {"items": 3, "failed_documents": {"2": "unreadable"}}
    assert extract["error"] == "unreadable"
    assert progress["steps"][1]["metadata"] == {"items": 3}
    assert progress["steps"][1]["error"] is None
    assert progress["documents"] == [
        {"file_id": 1, "name": "doc1.csv", "phase": "extracted", "error": None},
        {"file_id": 2, "name": "doc2.csv", "phase": "failed", "error": "unreadable"},
    ]


def test_progress_while_a_step_runs_shows_it_and_what_is_left(client, ready, monkeypatch):
    body = processed(client, ready)
    real = services.step_progress
    seen: list[dict] = []

    def step_progress(**kwargs):
        real(**kwargs)
        if (kwargs["step"], kwargs["done"]) == ("classify", 1):
            seen.append(get(client, f"projects/{ready.pk}/progress").json())
            seen.append(post(client, f"runs/{body['run_id']}/cancel").json())

    monkeypatch.setattr(services, "step_progress", step_progress)
    assert execute(body["run_id"]) == "cancelled"

    progress, cancel = seen
    assert progress["status"] == "running"
    assert progress["project_status"] == "classifying"
    assert progress["current_step"] == "classify"
    assert progress["is_processing"] is True
    assert progress["pipeline_progress"] == 33.3
    assert [s["status"] for s in progress["steps"]] == ["completed", "running"] + ["pending"] * 3
    assert progress["steps"][1]["progress"] == 33.3
    assert progress["steps"][1]["completed_at"] is None
    # No history yet: the default per step, classify by what is left of it, review
    # (a person's time) not at all.
    left_ms = engine.DEFAULT_STEP_MS * (1 - 0.333) + 2 * engine.DEFAULT_STEP_MS
    assert progress["estimated_remaining_seconds"] == math.ceil(left_ms / 1000)
    assert cancel == {"run_id": body["run_id"], "status": "cancelling"}
    after = get(client, f"projects/{ready.pk}/progress").json()
    assert (after["status"], after["project_status"]) == ("cancelled", "extracted")
    assert after["is_processing"] is False
    assert after["estimated_remaining_seconds"] is None


def test_progress_shows_the_latest_run(client, ready):
    first = processed(client, ready)
    execute(first["run_id"])
    second = processed(client, ready)
    assert get(client, f"projects/{ready.pk}/progress").json()["run_id"] == second["run_id"]


def test_progress_of_a_run_awaiting_review_shows_the_review_counts(client, ready):
    body = processed(client, ready, toy_review=3)
    execute(body["run_id"])
    toy.REVIEW_PENDING[body["run_id"]] = 3

    progress = get(client, f"projects/{ready.pk}/progress").json()

    assert progress["status"] == "awaiting_review"
    assert progress["project_status"] == "reviewing"
    assert progress["is_processing"] is True
    assert progress["review"] == {"pending": 3, "approved": 0, "corrected": 0}
    review = progress["steps"][2]
    assert (review["status"], review["metadata"]) == ("awaiting_review", {"review_items": 3})


def test_progress_works_with_a_browser_session_too(ready, alice):
    body = processed(api_client(alice), ready)
    response = get(login(alice), f"projects/{ready.pk}/progress")
    assert response.status_code == 200
    assert response.json()["run_id"] == body["run_id"]


# Retry, resume, cancel ------------------------------------------------------------------------


def test_retry_of_a_failed_run_is_202_and_continues_at_the_failed_step(client, ready):
    body = processed(client, ready, toy_crash="generate")
    execute(body["run_id"])
    assert get(client, f"projects/{ready.pk}/progress").json()["status"] == "failed"
    Run.objects.filter(pk=body["run_id"]).update(
        options={**Run.objects.get(pk=body["run_id"]).options, "toy_crash": ""}
    )

    response = post(client, f"projects/{ready.pk}/retry")

    assert response.status_code == 202
    assert response.json()["run_id"] == body["run_id"]
    assert response.json()["status"] == "queued"
    assert response.json()["estimated_duration_seconds"] > 0
    progress = get(client, f"projects/{ready.pk}/progress").json()
    assert [s["status"] for s in progress["steps"]] == ["completed"] * 4 + ["pending"]
    assert execute(body["run_id"]) == "completed"


def test_retry_of_a_run_that_did_not_fail_is_409_not_failed(client, ready):
    response = post(client, f"projects/{ready.pk}/retry")
    assert response.status_code == 409
    assert response.json()["error"] == "not_failed"

    body = processed(client, ready)
    execute(body["run_id"])
    response = post(client, f"projects/{ready.pk}/retry")
    assert response.status_code == 409
    assert response.json()["error"] == "not_failed"


def test_resume_after_review_is_202(client, ready):
    body = processed(client, ready, toy_review=2)
    execute(body["run_id"])

    response = post(client, f"projects/{ready.pk}/resume")

    assert response.status_code == 202
    assert response.json()["run_id"] == body["run_id"]
    assert response.json()["status"] == "queued"
    assert execute(body["run_id"]) == "completed"


def test_resume_while_items_are_pending_is_409_review_pending_with_the_count(client, ready):
    body = processed(client, ready, toy_review=2)
    execute(body["run_id"])
    toy.REVIEW_PENDING[body["run_id"]] = 2

    response = post(client, f"projects/{ready.pk}/resume")

    assert response.status_code == 409
    assert response.json()["error"] == "review_pending"
    assert response.json()["count"] == 2
    assert Run.objects.get(pk=body["run_id"]).status == "awaiting_review"


def test_resume_of_a_run_not_waiting_for_review_is_409_not_awaiting_review(client, ready):
    processed(client, ready)
    response = post(client, f"projects/{ready.pk}/resume")
    assert response.status_code == 409
    assert response.json()["error"] == "not_awaiting_review"


def test_cancel_of_a_queued_run_is_202_cancelled(client, ready):
    body = processed(client, ready)

    response = post(client, f"runs/{body['run_id']}/cancel")

    assert response.status_code == 202
    assert response.json() == {"run_id": body["run_id"], "status": "cancelled"}
    assert get(client, f"projects/{ready.pk}/progress").json()["status"] == "cancelled"


def test_cancel_of_a_running_run_is_202_and_takes_effect_at_the_workers_next_tick(client, ready):
    body = processed(client, ready)
    services.run_claim(run_id=body["run_id"])  # a worker has taken it

    response = post(client, f"runs/{body['run_id']}/cancel")

    assert response.status_code == 202
    assert response.json()["status"] == "cancelling"
    run = Run.objects.get(pk=body["run_id"])
    assert run.status == "running"
    assert run.cancel_requested_at is not None


def test_cancel_of_a_finished_run_is_409_already_finished(client, ready):
    body = processed(client, ready)
    execute(body["run_id"])
    response = post(client, f"runs/{body['run_id']}/cancel")
    assert response.status_code == 409
    assert response.json()["error"] == "already_finished"


def test_cancel_of_another_firms_run_is_404(ready, alice, charlie):
    body = processed(api_client(alice), ready)
    response = post(api_client(charlie), f"runs/{body['run_id']}/cancel")
    assert response.status_code == 404
    assert Run.objects.get(pk=body["run_id"]).status == "queued"


# Runs ---------------------------------------------------------------------------------------


def test_runs_lists_the_callers_firms_runs_newest_first(
    client, ready, alice, charlie, make_project
):
    first = processed(client, ready)
    execute(first["run_id"])
    second = processed(client, ready)
    theirs = with_file(make_project(charlie, "T"), charlie)
    processed(api_client(charlie), theirs)

    body = get(client, "runs").json()

    assert body["count"] == 2
    assert (body["next"], body["previous"]) == (None, None)
    assert [r["run_id"] for r in body["results"]] == [second["run_id"], first["run_id"]]
    row = body["results"][1]
    assert row["project_id"] == ready.pk
    assert row["status"] == "completed"
    assert row["requested_by"] == alice.username
    assert ISO_UTC.match(row["finished_at"])


def test_runs_filter_by_project_and_status(client, ready, alice, make_project):
    other = with_file(make_project(alice, "Other"), alice)
    done = processed(client, ready)
    execute(done["run_id"])
    waiting = processed(client, ready)
    elsewhere = processed(client, other)

    def ids(query):
        response = get(client, f"runs?{query}")
        assert response.status_code == 200
        return [r["run_id"] for r in response.json()["results"]]

    assert ids(f"project={ready.pk}") == [waiting["run_id"], done["run_id"]]
    assert ids(f"project={other.pk}") == [elsewhere["run_id"]]
    assert ids("status=queued") == [elsewhere["run_id"], waiting["run_id"]]
    assert ids("status=completed") == [done["run_id"]]
    assert ids(f"project={ready.pk}&status=queued") == [waiting["run_id"]]
    assert ids("status=failed") == []


def test_runs_refuses_bad_filters(client):
    assert get(client, "runs?status=sleeping").json()["error"] == "invalid_filter"
    assert get(client, "runs?project=acme").status_code == 400


def test_runs_are_paginated_50_a_page(client, ready, alice):
    run_ids = []
    for _ in range(51):
        run = services.run_create(subject=ready, pipeline_name="toy", options={})
        services.run_cancel(run=run)
        run_ids.append(run.pk)

    first = get(client, f"runs?project={ready.pk}").json()

    assert first["count"] == 51
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert "page=2" in first["next"]
    assert f"project={ready.pk}" in first["next"]
    assert first["next"].startswith("http")
    second = client.get(first["next"]).json()
    assert [r["run_id"] for r in second["results"]] == [run_ids[0]]
    assert second["next"] is None
    assert "page=1" in second["previous"]
    assert get(client, "runs?page=3").json()["error"] == "invalid_page"


def test_a_run_shows_progress_options_requester_summary_and_error(client, ready, alice):
    body = processed(client, ready, toy_fail="classify", skip_validation=True)
    execute(body["run_id"])

    response = get(client, f"runs/{body['run_id']}")

    assert response.status_code == 200
    run = response.json()
    assert set(run) >= PROGRESS_KEYS | {"options", "requested_by", "summary", "error"}
    assert run["status"] == "failed"
    assert run["project_status"] == "error"
    assert run["options"]["skip_validation"] is True
    assert run["options"]["toy_fail"] == "classify"
    assert run["requested_by"] == alice.username
    assert run["error"] == "classify cannot read the books"
    assert run["error_kind"] == "permanent"
    assert run["summary"] == {}
    assert run["steps"][1]["status"] == "failed"
    assert run["steps"][1]["error"] == "classify cannot read the books"


def test_a_completed_run_has_its_summary(client, ready):
    body = processed(client, ready)
    execute(body["run_id"])
    run = get(client, f"runs/{body['run_id']}").json()
    assert run["error"] is None
    assert set(run["summary"]["steps"]) == set(STEPS)
    assert run["summary"]["steps"]["extract"]["status"] == "completed"


def test_another_firms_run_is_404(ready, alice, charlie):
    body = processed(api_client(alice), ready)
    theirs = api_client(charlie)
    assert get(theirs, f"runs/{body['run_id']}").status_code == 404
    assert get(theirs, f"runs/{body['run_id']}/events").status_code == 404
    assert get(theirs, "runs").json()["count"] == 0
    assert get(api_client(alice), "runs/999999").status_code == 404


# Events -------------------------------------------------------------------------------------


def test_events_after_n_are_exactly_those_with_a_higher_seq(client, ready):
    body = processed(client, ready)
    execute(body["run_id"])
    everything = get(client, f"runs/{body['run_id']}/events").json()
    last = Run.objects.get(pk=body["run_id"]).last_seq
    assert [e["seq"] for e in everything["events"]] == list(range(1, last + 1))
    assert everything["last_seq"] == last

    later = get(client, f"runs/{body['run_id']}/events?after=10").json()

    assert later["events"] == everything["events"][10:]
    assert later["last_seq"] == last
    caught_up = get(client, f"runs/{body['run_id']}/events?after={last}").json()
    assert caught_up == {"events": [], "last_seq": last}


def test_events_have_type_run_id_seq_ts_and_their_payload(client, ready):
    body = processed(client, ready)
    execute(body["run_id"])
    events = get(client, f"runs/{body['run_id']}/events").json()["events"]
    for event in events:
        assert event["run_id"] == body["run_id"]
        assert ISO_UTC.match(event["ts"])
    by_type = {e["type"]: e for e in events}
    assert {"run.queued", "run.started", "step.started", "step.progress"} <= set(by_type)
    assert {"step.completed", "doc.progress", "run.completed"} <= set(by_type)
    assert by_type["step.progress"]["done"] == 3
    assert by_type["step.progress"]["total"] == 3
    assert by_type["step.completed"]["metadata"] == {"items": 3}
    assert isinstance(by_type["step.completed"]["duration_ms"], int)
    assert by_type["doc.progress"]["file_id"] == 2
    assert by_type["run.completed"]["summary"]["steps"]["generate"]["status"] == "completed"


def test_events_can_be_read_page_by_page_by_following_last_seq(client, ready):
    body = processed(client, ready)
    run = Run.objects.get(pk=body["run_id"])
    # A run over many documents logs more events than one answer carries.
    for file_id in range(1, 1101):
        services.doc_phase_set(run=run, file_id=file_id, phase="extracted")
    total = Run.objects.get(pk=run.pk).last_seq
    assert total > 1100

    seen: list[int] = []
    after = 0
    for _ in range(5):
        page = get(client, f"runs/{run.pk}/events?after={after}").json()
        if not page["events"]:
            break
        seen += [e["seq"] for e in page["events"]]
        assert page["last_seq"] == page["events"][-1]["seq"]
        after = page["last_seq"]

    assert seen == list(range(1, total + 1))


def test_events_refuse_an_after_that_is_not_a_sequence_number(client, ready):
    body = processed(client, ready)
    for after in ["-1", "x", "1.5"]:
        response = get(client, f"runs/{body['run_id']}/events?after={after}")
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_after"


# Stats --------------------------------------------------------------------------------------


def test_stats_count_the_firms_runs_per_status(client, ready, alice, charlie, make_project):
    def fresh_project(name):
        return with_file(make_project(alice, name), alice)

    done = processed(client, ready)
    execute(done["run_id"])
    execute(processed(client, ready)["run_id"])
    execute(processed(client, fresh_project("F"), toy_fail="extract")["run_id"])
    post(client, f"runs/{processed(client, fresh_project('C'))['run_id']}/cancel")
    processed(client, fresh_project("Q"))
    execute(processed(client, fresh_project("A"), toy_review=1)["run_id"])
    services.run_claim(run_id=processed(client, fresh_project("R"))["run_id"])
    theirs = with_file(make_project(charlie, "T"), charlie)
    execute(processed(api_client(charlie), theirs)["run_id"])

    stats = get(client, "pipeline/stats").json()

    assert {key: value for key, value in stats.items() if key != "step_duration_ms"} == {
        "total_runs": 7,
        "queued": 1,
        "running": 1,
        "awaiting_review": 1,
        "completed": 2,
        "failed": 1,
        "cancelled": 1,
    }


def test_stats_give_p50_and_p95_step_durations_of_the_firm_only(
    client, ready, charlie, make_project
):
    run_ids = []
    for _ in range(3):
        body = processed(client, ready)
        execute(body["run_id"])
        run_ids.append(body["run_id"])
    for run_id, extract, classify in zip(run_ids, [300, 100, 200], [30, 10, 20], strict=True):
        StepRecord.objects.filter(run_id=run_id, name="extract").update(duration_ms=extract)
        StepRecord.objects.filter(run_id=run_id, name="classify").update(duration_ms=classify)
    theirs = with_file(make_project(charlie, "T"), charlie)
    their_run = processed(api_client(charlie), theirs)
    execute(their_run["run_id"])
    StepRecord.objects.filter(run_id=their_run["run_id"]).update(duration_ms=99_999)

    durations = get(client, "pipeline/stats").json()["step_duration_ms"]

    assert set(durations) == set(STEPS)
    assert durations["extract"] == {"p50": 200, "p95": 300}
    assert durations["classify"] == {"p50": 20, "p95": 30}
    assert all(d["p95"] < 99_999 for d in durations.values())


def test_stats_of_a_firm_without_runs_are_zero(client):
    assert get(client, "pipeline/stats").json() == {
        "total_runs": 0,
        "queued": 0,
        "running": 0,
        "awaiting_review": 0,
        "completed": 0,
        "failed": 0,
        "cancelled": 0,
        "step_duration_ms": {},
    }
