"""Shared fixtures: two firms and their people, as in the healthchecks tests.

alice (staff) and bob (CA) work for Acme Associates; charlie (staff) for another
firm, Brij & Co. Access rules are proved by who can and cannot see what.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.urls import reverse

from pipeline.runner import run_execute
from projects.models import Project, ProjectFile
from projects.services import api_token_issue, project_create, project_files_add, user_add

SAMPLES = Path(__file__).parent / "fixtures" / "samples"
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session", autouse=True)
def _no_one_left_on_the_test_databases(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Before the test databases are dropped, ends whatever session still holds one.

    A thread's connection (a heartbeat, a relay) or a child process that is still
    exiting would make PostgreSQL refuse the DROP ("being accessed by other users")
    and leave a test database behind for every CI run.
    """
    yield
    with django_db_blocker.unblock():
        for alias in connections:
            connection = connections[alias]
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path: Path) -> None:
    # Every test stores uploads in its own folder, never in ./var.
    settings.MEDIA_ROOT = tmp_path / "files"
    # Real password hashing costs a quarter second a user; the tests make many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(email: str, firm: str, role: str) -> User:
    user, _ = user_add(email=email, firm_name=firm, role=role, password=PASSWORD)
    return user


@pytest.fixture
def alice(db) -> User:
    return make_user("alice@acme.test", "Acme Associates", "staff")


@pytest.fixture
def bob(db) -> User:
    return make_user("bob@acme.test", "Acme Associates", "ca")


@pytest.fixture
def olga(db) -> User:
    return make_user("olga@acme.test", "Acme Associates", "owner")


@pytest.fixture
def charlie(db) -> User:
    return make_user("charlie@brij.test", "Brij & Co", "staff")


@pytest.fixture
def dave(db) -> User:
    """A CA of the other firm."""
    return make_user("dave@brij.test", "Brij & Co", "ca")


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_client(user: User) -> Client:
    return Client(headers={"Authorization": f"Token {api_token_issue(user=user)}"})


def process_inline(user: User, project: Project, path: Path) -> str:
    """Uploads `path` through the API, presses Process (no review) and runs the run in
    this process; the project's status after it."""
    client = api_client(user)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    assert client.post(reverse("api-project-files", args=[project.pk]), {"files": [upload]})
    started = client.post(
        reverse("api-process", args=[project.pk]),
        {"skip_review": True},
        content_type="application/json",
    )
    run_execute(run_id=started.json()["run_id"])
    return client.get(reverse("api-progress", args=[project.pk])).json()["status"]


def sample(relative: str) -> SimpleUploadedFile:
    path = SAMPLES / relative
    return SimpleUploadedFile(path.name, path.read_bytes())


MEHTA_CSV = "mehta-traders/trial-balance.csv"
SGP_TB_2024 = "shree-ganesh-polymers-private-limited/trial-balance-2023-24.xlsx"
SGP_TB_2025 = "shree-ganesh-polymers-private-limited/trial-balance-2024-25.xlsx"
SGP_PDF = "shree-ganesh-polymers-private-limited/financial-statements.pdf"


@pytest.fixture
def project(alice) -> Project:
    return project_create(user=alice, name="CC renewal", client_name="Mehta Traders")


@pytest.fixture
def project_file(project, alice) -> ProjectFile:
    [stored] = project_files_add(project=project, uploads=[sample(MEHTA_CSV)], user=alice)
    return stored


@pytest.fixture
def make_project() -> Callable[..., Project]:
    def make(user: User, name: str = "Project") -> Project:
        return project_create(user=user, name=name)

    return make


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Removes what SQLite left of this session's databases.

    Django deletes a test database's file, not the -wal and -shm files beside it, which
    outlive the file when a connection (a child process's, a thread's) closed after it:
    4-10 MB each, one pair per session, collecting in DATA_DIR.
    """
    from django.conf import settings

    for path in Path(settings.DATA_DIR).glob(f"test-*-{settings.SESSION}.sqlite3*"):
        path.unlink(missing_ok=True)
