"""POST process: starting a run through the API."""

import math

import pytest
from django.test import Client

from pipeline import engine, registry
from pipeline.models import Run, StepRecord
from tests.conftest import api_client
from tests.pipeline.api.conftest import STEPS, execute, get, post, processed, with_file

pytestmark = pytest.mark.django_db


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
