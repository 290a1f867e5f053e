"""Faults answered, not leaked: the broker or the database down is a 503, never a 500,
and a run is queued only if its task is."""

from unittest import mock

import psycopg
import pytest
import redis
from django.db import OperationalError
from django.test import Client

from pipeline import services
from pipeline.models import Event, Run, RunStatus, StepRecord
from tests.conftest import login

BROKER_DOWN = redis.exceptions.ConnectionError(
    "Error 111 connecting to 127.0.0.1:6379. Connection refused."
)


def broker_down():
    return mock.patch("django_q.tasks.async_task", side_effect=BROKER_DOWN)


@pytest.mark.django_db(transaction=True)
def test_process_while_the_broker_is_down_is_a_json_503_and_leaves_no_run(
    project_file, alice, settings
):
    settings.PIPELINE_DEFAULT = "toy"
    project = project_file.project
    client = Client(headers={"Authorization": f"Token {services_token(alice)}"})
    with broker_down():
        response = client.post(
            f"/api/v1/projects/{project.pk}/process", {}, content_type="application/json"
        )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["error"] == "service_busy"
    assert "task queue" in body["detail"]
    # Nothing half-committed: no run, so the project is not blocked by a phantom one.
    assert not Run.objects.exists()
    assert not StepRecord.objects.exists() and not Event.objects.exists()
    with mock.patch("django_q.tasks.async_task") as enqueued:
        assert (
            client.post(
                f"/api/v1/projects/{project.pk}/process", {}, content_type="application/json"
            ).status_code
            == 202
        )
    assert enqueued.call_count == 1
    assert Run.objects.get().status == RunStatus.QUEUED


@pytest.mark.django_db(transaction=True)
def test_process_from_the_page_while_the_broker_is_down_is_a_friendly_503(
    project_file, alice, settings
):
    settings.PIPELINE_DEFAULT = "toy"
    project = project_file.project
    with broker_down():
        response = login(alice).post(f"/projects/{project.pk}/process/")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "try again" in text and "Traceback" not in text
    assert not Run.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_retry_while_the_broker_is_down_stays_queued_for_the_sweep(
    project_file, alice, settings, monkeypatch
):
    settings.PIPELINE_DEFAULT = "toy"
    project = project_file.project
    with mock.patch("django_q.tasks.async_task"):
        run = services.run_create(subject=project, pipeline_name="toy", options={})
    Run.objects.filter(pk=run.pk).update(status=RunStatus.FAILED)
    with broker_down():
        retried = services.run_retry(subject=project)
    assert Run.objects.get(pk=retried.pk).status == RunStatus.QUEUED


def services_token(user) -> str:
    from projects.services import api_token_issue

    return api_token_issue(user=user)


def unreachable() -> OperationalError:
    try:
        try:
            raise psycopg.OperationalError(
                'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
                "Connection refused"
            )
        except psycopg.OperationalError as exc:
            raise OperationalError(str(exc)) from exc
    except OperationalError as wrapped:
        return wrapped


@pytest.mark.django_db
def test_a_database_that_is_down_is_a_503_for_the_api_and_the_pages(project_file, alice):
    project = project_file.project
    api = Client(headers={"Authorization": f"Token {services_token(alice)}"})
    page = login(alice)
    with mock.patch("projects.selectors.project_get_for_user", side_effect=unreachable()):
        api_response = api.get(f"/api/v1/projects/{project.pk}")
        page_response = page.get(f"/projects/{project.pk}/")
    assert api_response.status_code == 503
    assert api_response.json()["error"] == "service_busy"
    assert page_response.status_code == 503
    assert page_response["Retry-After"] == "5"
