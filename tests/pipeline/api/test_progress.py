"""GET progress: a run's steps, percentages and timings as the API reports them."""

import math

import pytest

from pipeline import engine, services
from tests.conftest import api_client, login
from tests.pipeline.api.conftest import (
    ISO_UTC,
    PROGRESS_KEYS,
    STEP_KEYS,
    STEPS,
    execute,
    get,
    post,
    processed,
)
from tests.toy import pipeline as toy

pytestmark = pytest.mark.django_db


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
