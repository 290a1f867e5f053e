"""Retry, resume and cancel through the API."""

import pytest

from pipeline import services
from pipeline.models import Run
from tests.conftest import api_client
from tests.pipeline.api.conftest import execute, get, post, processed
from tests.toy import pipeline as toy

pytestmark = pytest.mark.django_db


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
