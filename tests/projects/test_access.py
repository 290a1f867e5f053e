"""Every URL the project has: no login, another firm, and the right owner.

The list below is checked against the URL configuration, so a new URL without an
access test fails here.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pipeline.models import Run
from pipeline.services import run_create
from projects.models import Project, ProjectFile
from tests.conftest import api_client, login


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    needs: str  # "", "project", "file" or "run": what the URL points at

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api-")

    def url(self, project_file: ProjectFile, run_id: int = 0) -> str:
        if self.needs == "run":
            return reverse(self.name, args=[run_id])
        if self.needs == "file":
            return reverse(self.name, args=[project_file.project_id, project_file.pk])
        if self.needs == "project":
            return reverse(self.name, args=[project_file.project_id])
        return reverse(self.name)

    def __str__(self) -> str:
        return f"{self.method} {self.name}"


ENDPOINTS = [
    Endpoint("project-list", "GET", ""),
    Endpoint("project-list", "POST", ""),
    Endpoint("project-detail", "GET", "project"),
    Endpoint("project-upload", "POST", "project"),
    Endpoint("project-file-delete", "POST", "file"),
    Endpoint("project-file-download", "GET", "file"),
    Endpoint("api-projects", "GET", ""),
    Endpoint("api-projects", "POST", ""),
    Endpoint("api-project", "GET", "project"),
    Endpoint("api-project-files", "GET", "project"),
    Endpoint("api-project-files", "POST", "project"),
    Endpoint("api-project-file", "GET", "file"),
    Endpoint("api-project-file", "DELETE", "file"),
    Endpoint("api-file-download", "GET", "file"),
    Endpoint("api-process", "POST", "project"),
    Endpoint("api-progress", "GET", "project"),
    Endpoint("api-retry", "POST", "project"),
    Endpoint("api-resume", "POST", "project"),
    Endpoint("api-runs", "GET", ""),
    Endpoint("api-run", "GET", "run"),
    Endpoint("api-run-cancel", "POST", "run"),
    Endpoint("api-run-events", "GET", "run"),
    Endpoint("api-pipeline-stats", "GET", ""),
]
# Reachable without a login by design, each with tests of its own.
PUBLIC = {"login", "logout", "api-auth-token"}


def _names(patterns: list, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin has its own tests (test_admin.py)
            names |= _names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_url_has_an_access_test():
    covered = {e.name for e in ENDPOINTS} | PUBLIC
    assert _names(get_resolver().url_patterns) == covered


@pytest.fixture
def run(project_file, alice) -> Run:
    return run_create(
        subject=project_file.project, pipeline_name="toy", options={}, requested_by=alice
    )


def _call(client, endpoint: Endpoint, project_file: ProjectFile, run_id: int = 0):
    return getattr(client, endpoint.method.lower())(endpoint.url(project_file, run_id))


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_no_login_is_redirected_or_401(client, endpoint, project_file, run):
    response = _call(client, endpoint, project_file, run.pk)
    if endpoint.is_api:
        assert response.status_code == 401
        assert response.json()["error"] == "not_authenticated"
    else:
        assert response.status_code == 302
        url = endpoint.url(project_file, run.pk)
        assert response.url == f"{reverse('login')}?next={url}"


OBJECT_ENDPOINTS = [e for e in ENDPOINTS if e.needs]


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS, ids=str)
def test_other_firm_gets_404(endpoint, project_file, run, charlie):
    response = _call(login(charlie), endpoint, project_file, run.pk)
    assert response.status_code == 404
    if endpoint.is_api:
        assert response.json() == {"error": "not_found", "detail": "Not found."}
    assert ProjectFile.objects.filter(pk=project_file.pk).exists()
    assert Run.objects.get(pk=run.pk).status == "queued"


@pytest.mark.parametrize("endpoint", [e for e in OBJECT_ENDPOINTS if e.is_api], ids=str)
def test_other_firm_gets_404_with_a_token_too(endpoint, project_file, run, charlie):
    response = _call(api_client(charlie), endpoint, project_file, run.pk)
    assert response.status_code == 404


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS, ids=str)
def test_other_firm_404_is_the_same_as_missing(endpoint, project_file, alice):
    missing = ProjectFile(pk=10**9, project_id=10**9)
    response = _call(login(alice), endpoint, missing, 10**9)
    assert response.status_code == 404


def test_lists_show_only_the_callers_firm(project, charlie, make_project):
    theirs = make_project(charlie, name="Brij own books")
    body = api_client(charlie).get(reverse("api-projects")).json()
    assert [p["id"] for p in body["results"]] == [theirs.pk]
    page = login(charlie).get(reverse("project-list"))
    assert theirs.name in page.text
    assert project.name not in page.text


def test_same_firm_colleague_sees_the_project(project_file, bob):
    response = login(bob).get(reverse("project-detail", args=[project_file.project_id]))
    assert response.status_code == 200
    assert project_file.name in response.text


def test_user_without_a_firm_sees_no_projects(project, django_user_model):
    loner = django_user_model.objects.create_user("loner@x.test", password="pw")
    response = api_client(loner).get(reverse("api-projects"))
    assert response.json()["count"] == 0
    response = api_client(loner).post(
        reverse("api-projects"), {"name": "Nope"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"] == "not_a_member"
    assert Project.objects.count() == 1
