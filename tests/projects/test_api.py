"""The projects, files and token calls of API.md, through HTTP."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pipeline.models import Run
from pipeline.services import run_create
from projects.models import ApiToken, Project
from tests.conftest import (
    MEHTA_CSV,
    PASSWORD,
    SGP_PDF,
    SGP_TB_2024,
    SGP_TB_2025,
    api_client,
    login,
    sample,
)


def test_token_is_issued_for_a_right_password(alice):
    response = Client().post(
        reverse("api-auth-token"),
        {"username": "Alice@Acme.test", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    stored = ApiToken.objects.get(user=alice)
    assert token not in stored.key_hash  # only the hash is kept
    me = Client(headers={"Authorization": f"Token {token}"})
    assert me.get(reverse("api-projects")).status_code == 200


@pytest.mark.parametrize(
    "body", [{"username": "alice@acme.test", "password": "wrong"}, {"username": "", "password": ""}]
)
def test_token_refused_for_wrong_credentials(alice, body):
    response = Client().post(reverse("api-auth-token"), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_credentials"


def test_token_endpoint_rejects_get(alice):
    assert Client().get(reverse("api-auth-token")).status_code == 405


def test_a_wrong_token_is_401_even_with_a_session(alice):
    client = login(alice)
    response = client.get(reverse("api-projects"), headers={"Authorization": "Token nope"})
    assert response.status_code == 401
    assert "invalid" in response.json()["detail"]


def test_session_post_needs_csrf_but_token_post_does_not(alice):
    session = Client(enforce_csrf_checks=True)
    session.force_login(alice)
    response = session.post(reverse("api-projects"), {"name": "X"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"] == "csrf_failed"
    token = api_client(alice)
    token.handler.enforce_csrf_checks = True
    response = token.post(reverse("api-projects"), {"name": "X"}, content_type="application/json")
    assert response.status_code == 201


def test_a_token_request_neither_reads_nor_writes_a_session_or_a_cookie(alice):
    """A token names its user: nothing of the session machinery is paid for, or sent."""
    client = api_client(alice)
    client.get(reverse("api-heads"))  # a new token's first use is written down

    with CaptureQueriesContext(connection) as captured:
        read = client.get(reverse("api-heads"))
    sent = [q["sql"] for q in captured.captured_queries]  # the next request clears the log
    created = client.post(reverse("api-projects"), {"name": "X"}, content_type="application/json")

    assert read.status_code == 200
    assert created.status_code == 201
    assert not read.cookies
    assert not created.cookies
    assert len(sent) == 1, sent  # the token with its user and membership
    assert "django_session" not in sent[0]


def test_create_project_returns_its_shape(alice):
    response = api_client(alice).post(
        reverse("api-projects"),
        {"name": " CC renewal ", "client_name": "Mehta Traders"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "CC renewal"
    assert body["client_name"] == "Mehta Traders"
    assert body["status"] == "draft"
    assert body["is_processing"] is False
    assert body["files"] == []
    assert body["latest_run"] is None
    assert body["created_at"].endswith("Z")
    assert Project.objects.get(pk=body["id"]).created_by == alice


@pytest.mark.parametrize("body", [{}, {"name": "   "}])
def test_create_project_needs_a_name(alice, body):
    response = api_client(alice).post(
        reverse("api-projects"), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid"


def test_bad_json_is_a_json_400(alice):
    response = api_client(alice).post(
        reverse("api-projects"), "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_json"


def test_project_list_paginates_fifty_a_page(alice, make_project):
    for i in range(51):
        make_project(alice, name=f"P{i}")
    client = api_client(alice)
    first = client.get(reverse("api-projects")).json()
    assert first["count"] == 51
    assert len(first["results"]) == 50
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert second["previous"].endswith("page=1")
    assert client.get(reverse("api-projects") + "?page=9").status_code == 404


def test_upload_several_files_detects_kind_and_year(project, alice):
    response = api_client(alice).post(
        reverse("api-project-files", args=[project.pk]),
        {"files": [sample(SGP_TB_2024), sample(SGP_TB_2025), sample(SGP_PDF), sample(MEHTA_CSV)]},
    )
    assert response.status_code == 201, response.json()
    files = {f["name"]: f for f in response.json()["files"]}
    assert files["trial-balance-2023-24.xlsx"]["kind"] == "xlsx"
    assert files["trial-balance-2023-24.xlsx"]["fiscal_year"] == "2023-24"
    assert files["trial-balance-2024-25.xlsx"]["fiscal_year"] == "2024-25"
    assert files["financial-statements.pdf"]["kind"] == "pdf"
    assert files["trial-balance.csv"]["kind"] == "csv"
    assert files["trial-balance.csv"]["fiscal_year"] is None  # it holds two years
    for f in files.values():
        assert f["status"] == "uploaded"
        assert f["error"] is None
        assert len(f["sha256"]) == 64
    listed = api_client(alice).get(reverse("api-project-files", args=[project.pk])).json()
    assert listed["count"] == 4
    detail = api_client(alice).get(reverse("api-project", args=[project.pk])).json()
    assert len(detail["files"]) == 4


def test_users_fiscal_year_wins_over_detection(project, alice):
    response = api_client(alice).post(
        reverse("api-project-files", args=[project.pk]),
        {"files": [sample(SGP_TB_2024)], "fiscal_year": "2022-2023"},
    )
    assert response.status_code == 201
    assert response.json()["files"][0]["fiscal_year"] == "2022-23"


def test_nonsense_fiscal_year_is_refused(project, alice):
    response = api_client(alice).post(
        reverse("api-project-files", args=[project.pk]),
        {"files": [sample(SGP_TB_2024)], "fiscal_year": "last year"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_fiscal_year"
    assert not project.files.exists()


def test_download_returns_the_bytes_under_the_original_name(project_file, alice):
    response = api_client(alice).get(
        reverse("api-file-download", args=[project_file.project_id, project_file.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == sample(MEHTA_CSV).read()
    assert 'filename="trial-balance.csv"' in response["Content-Disposition"]


def test_delete_file_removes_row_and_bytes(
    project_file, alice, settings, django_capture_on_commit_callbacks
):
    path = settings.MEDIA_ROOT / project_file.file.name
    assert path.exists()
    url = reverse("api-project-file", args=[project_file.project_id, project_file.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(alice).delete(url)
    assert response.status_code == 204
    assert not path.exists()
    assert api_client(alice).get(url).status_code == 404


@pytest.mark.parametrize("status", ["queued", "running", "awaiting_review"])
def test_files_cannot_change_while_processing(project_file, alice, status):
    run = run_create(
        subject=project_file.project, pipeline_name="toy", options={}, requested_by=alice
    )
    Run.objects.filter(pk=run.pk).update(status=status)
    client = api_client(alice)
    upload = client.post(
        reverse("api-project-files", args=[project_file.project_id]),
        {"files": [sample(SGP_TB_2024)]},
    )
    assert upload.status_code == 409
    assert upload.json()["error"] == "already_running"
    delete = client.delete(
        reverse("api-project-file", args=[project_file.project_id, project_file.pk])
    )
    assert delete.status_code == 409
    assert project_file.project.files.count() == 1
