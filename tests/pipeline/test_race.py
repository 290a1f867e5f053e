"""Two Process clicks at the same moment, on a real file database, from two threads.

The one-active-run rule is the database's (a partial unique constraint), so it holds
however the two requests interleave: one run, one 202 and one 409.
"""

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django_q.models import OrmQ

from pipeline.models import Run
from projects.models import Project
from projects.services import api_token_issue, project_files_add
from tests.conftest import MEHTA_CSV, sample

# on_commit fires here and enqueues a django-q2 task in the queue database.
pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


def with_file(project: Project, user) -> Project:
    project_files_add(project=project, uploads=[sample(MEHTA_CSV)], user=user)
    return project


def press_process_together(requests: list[tuple[str, int]]) -> list[tuple[int, dict]]:
    """POSTs process for each (token, project id) from its own thread, all at once."""
    barrier = threading.Barrier(len(requests))
    answers: list[tuple[int, dict] | BaseException | None] = [None] * len(requests)

    def press(index: int, token: str, project_id: int) -> None:
        try:
            client = Client(headers={"Authorization": f"Token {token}"})
            barrier.wait(timeout=10)
            response = client.post(
                f"/api/v1/projects/{project_id}/process", {}, content_type="application/json"
            )
            answers[index] = (response.status_code, response.json())
        except BaseException as exc:
            answers[index] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=press, args=(i, token, project_id))
        for i, (token, project_id) in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for answer in answers:
        if isinstance(answer, BaseException):
            raise answer
    return answers


def test_two_simultaneous_process_clicks_give_one_run_and_one_409(project_file, alice, bob):
    project = project_file.project
    tokens = [api_token_issue(user=alice), api_token_issue(user=bob)]

    answers = press_process_together([(tokens[0], project.pk), (tokens[1], project.pk)])

    codes = sorted(code for code, _ in answers)
    assert codes == [202, 409]
    accepted = next(body for code, body in answers if code == 202)
    refused = next(body for code, body in answers if code == 409)
    [run] = Run.objects.filter(project=project)
    assert accepted["run_id"] == run.pk
    assert accepted["status"] == "queued"
    assert refused["error"] == "already_running"
    assert refused["run_id"] == run.pk
    if settings.Q_CLUSTER.get("orm"):
        # The refused request's transaction rolled back, its task with it.
        assert OrmQ.objects.count() == 1


def test_the_same_user_clicking_twice_at_once_gets_one_run(project_file, alice):
    project = project_file.project
    token = api_token_issue(user=alice)

    answers = press_process_together([(token, project.pk), (token, project.pk)])

    assert sorted(code for code, _ in answers) == [202, 409]
    assert Run.objects.filter(project=project).count() == 1


def test_different_projects_processed_at_once_both_get_a_run(
    project_file, alice, bob, make_project
):
    first = project_file.project
    second = with_file(make_project(bob, "Second"), bob)
    tokens = [api_token_issue(user=alice), api_token_issue(user=bob)]

    answers = press_process_together([(tokens[0], first.pk), (tokens[1], second.pk)])

    assert [code for code, _ in answers] == [202, 202]
    assert {body["project_id"] for _, body in answers} == {first.pk, second.pk}
    assert Run.objects.filter(project=first).count() == 1
    assert Run.objects.filter(project=second).count() == 1
    assert set(Run.objects.values_list("status", flat=True)) == {"queued"}
