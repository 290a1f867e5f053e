"""Every URL the project has: no login, another firm, and the right owner.

The list below is checked against the URL configuration, so a new URL without an
access test fails here.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from pipeline.models import Run
from pipeline.services import run_create
from projects.models import LineItem, Output, Project, ProjectFile, ReviewItem
from tests.conftest import api_client, login


@dataclass(frozen=True)
class Ids:
    """The objects of one firm that the URLs point at."""

    project: int
    file: int
    run: int
    review: int
    output: int
    line: int


MISSING = Ids(*(10**9,) * 6)


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    needs: str  # "", "project", "file", "line", "run", "review" or "output": what it points at

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api-")

    def url(self, ids: Ids) -> str:
        if self.needs in {"file", "line"}:  # both nested under their project
            return reverse(self.name, args=[ids.project, getattr(ids, self.needs)])
        if self.needs:
            return reverse(self.name, args=[getattr(ids, self.needs)])
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
    Endpoint("project-file-detail", "GET", "file"),
    Endpoint("project-file-accept", "POST", "file"),
    Endpoint("project-process", "POST", "project"),
    Endpoint("project-retry", "POST", "project"),
    Endpoint("project-resume", "POST", "project"),
    Endpoint("project-review", "GET", "project"),
    Endpoint("project-line-items", "GET", "project"),
    Endpoint("project-line-item", "GET", "line"),
    Endpoint("project-line-item", "POST", "line"),
    Endpoint("project-plan", "GET", "project"),
    Endpoint("project-plan", "POST", "project"),
    Endpoint("project-plan-preview", "POST", "project"),
    Endpoint("run-detail", "GET", "run"),
    Endpoint("run-cancel", "POST", "run"),
    Endpoint("output-download", "GET", "output"),
    Endpoint("stats", "GET", ""),
    Endpoint("audit", "GET", ""),
    Endpoint("audit-export", "GET", ""),
    Endpoint("audit-unlock", "POST", ""),
    Endpoint("api-projects", "GET", ""),
    Endpoint("api-projects", "POST", ""),
    Endpoint("api-project", "GET", "project"),
    Endpoint("api-project-files", "GET", "project"),
    Endpoint("api-project-files", "POST", "project"),
    Endpoint("api-project-file", "GET", "file"),
    Endpoint("api-project-file", "DELETE", "file"),
    Endpoint("api-file-download", "GET", "file"),
    Endpoint("api-file-rows", "GET", "file"),
    Endpoint("api-file-accept", "POST", "file"),
    Endpoint("api-process", "POST", "project"),
    Endpoint("api-progress", "GET", "project"),
    Endpoint("api-retry", "POST", "project"),
    Endpoint("api-resume", "POST", "project"),
    Endpoint("api-runs", "GET", ""),
    Endpoint("api-run", "GET", "run"),
    Endpoint("api-run-cancel", "POST", "run"),
    Endpoint("api-run-events", "GET", "run"),
    Endpoint("api-pipeline-stats", "GET", ""),
    Endpoint("api-line-items", "GET", "project"),
    Endpoint("api-review-items", "GET", "project"),
    Endpoint("api-review-item", "POST", "review"),
    Endpoint("api-heads", "GET", ""),
    Endpoint("api-report", "GET", "project"),
    Endpoint("api-plan", "GET", "project"),
    Endpoint("api-plan", "PUT", "project"),
    Endpoint("api-plan-history", "GET", "project"),
    Endpoint("api-plan-preview", "POST", "project"),
    Endpoint("api-outputs", "GET", "project"),
    Endpoint("api-output-download", "GET", "output"),
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


@pytest.fixture
def ids(project_file, run) -> Ids:
    line = LineItem.objects.create(
        project=project_file.project, file=project_file, year="2024-25", label="Misc",
        amount=Decimal(1), side="Dr", source="line 2",
    )  # fmt: skip
    review = ReviewItem.objects.create(run=run, project=project_file.project, line_item=line)
    output = Output(project=project_file.project, run=run, name="cma.xlsx", size=2, sha256="0")
    output.file.save("cma.xlsx", ContentFile(b"PK"), save=False)
    output.save()
    return Ids(project_file.project_id, project_file.pk, run.pk, review.pk, output.pk, line.pk)


def _call(client, endpoint: Endpoint, ids: Ids):
    return getattr(client, endpoint.method.lower())(endpoint.url(ids))


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_no_login_is_redirected_or_401(client, endpoint, ids):
    if endpoint.is_api:
        # An outside client with no credentials, CSRF enforced as in production: a POST
        # is told it needs credentials, not a CSRF token it has no use for.
        response = _call(Client(enforce_csrf_checks=True), endpoint, ids)
        assert response.status_code == 401
        assert response.json()["error"] == "not_authenticated"
    else:
        response = _call(client, endpoint, ids)
        assert response.status_code == 302
        url = endpoint.url(ids)
        assert response.url == f"{reverse('login')}?next={url}"


OBJECT_ENDPOINTS = [e for e in ENDPOINTS if e.needs]


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS, ids=str)
def test_other_firm_gets_404(endpoint, ids, charlie):
    response = _call(login(charlie), endpoint, ids)
    assert response.status_code == 404
    if endpoint.is_api:
        assert response.json() == {"error": "not_found", "detail": "Not found."}
    assert ProjectFile.objects.filter(pk=ids.file).exists()
    assert Run.objects.get(pk=ids.run).status == "queued"
    assert ReviewItem.objects.get(pk=ids.review).status == "pending"


@pytest.mark.parametrize("endpoint", [e for e in OBJECT_ENDPOINTS if e.is_api], ids=str)
def test_other_firm_gets_404_with_a_token_too(endpoint, ids, charlie):
    response = _call(api_client(charlie), endpoint, ids)
    assert response.status_code == 404


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS, ids=str)
def test_other_firm_404_is_the_same_as_missing(endpoint, alice):
    response = _call(login(alice), endpoint, MISSING)
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
