"""A saturated database answers 503 with Retry-After, never 500; the pool's cap holds."""

import sqlite3
import threading
from unittest import mock

import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.urls import reverse
from psycopg_pool import PoolTimeout

from config.overload import is_database_busy
from projects.services import api_token_issue

POSTGRES = connection.vendor == "postgresql"


def raised_from(cause: BaseException) -> OperationalError:
    """An error as Django raises it: its own OperationalError over the driver's."""
    try:
        try:
            raise cause
        except BaseException as exc:
            raise OperationalError(str(exc)) from exc
    except OperationalError as wrapped:
        return wrapped


def test_an_empty_pool_a_full_server_and_a_locked_sqlite_count_as_busy():
    assert is_database_busy(raised_from(PoolTimeout("couldn't get a connection after 10 s")))
    assert is_database_busy(
        raised_from(OperationalError("FATAL:  sorry, too many clients already"))
    )
    assert is_database_busy(raised_from(sqlite3.OperationalError("database is locked")))


def test_other_database_errors_are_not_busy():
    assert not is_database_busy(raised_from(sqlite3.OperationalError("no such table: x")))
    assert not is_database_busy(ValueError("database is locked"))


def client_of(user) -> Client:
    return Client(
        raise_request_exception=False,
        headers={"Authorization": f"Token {api_token_issue(user=user)}"},
    )


def test_a_busy_database_in_an_api_view_is_a_json_503_with_retry_after(project, alice):
    busy = raised_from(sqlite3.OperationalError("database is locked"))
    with mock.patch("projects.api.selectors.project_get_for_user", side_effect=busy):
        response = client_of(alice).get(reverse("api-report", args=[project.pk]))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"] == "service_busy"


def test_a_busy_database_below_the_view_is_a_503_page_not_a_500(project, alice):
    # The session middleware reads the session before any view runs.
    busy = raised_from(PoolTimeout("couldn't get a connection after 10.00 sec"))
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=busy):
        response = client.get(reverse("project-detail", args=[project.pk]))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert b"try again" in response.content


def test_any_other_error_stays_a_500(project, alice):
    broken = raised_from(sqlite3.OperationalError("no such column: x"))
    with mock.patch("projects.api.selectors.project_get_for_user", side_effect=broken):
        response = client_of(alice).get(reverse("api-report", args=[project.pk]))
    assert response.status_code == 500


@pytest.fixture
def small_pool():
    """The pool of this test process, rebuilt with room for two connections."""
    pool = connection.settings_dict["OPTIONS"]["pool"]
    saved = dict(pool)
    connection.close()
    connection.close_pool()
    pool.update(max_size=2, timeout=1.5)
    yield pool
    connection.close()
    connection.close_pool()
    pool.clear()
    pool.update(saved)


@pytest.mark.skipif(not POSTGRES, reason="the connection pool is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_more_concurrent_requests_than_connections_are_all_answered_none_500(
    project, alice, small_pool
):
    # Requests wait for a connection rather than fail, as long as the wait is bounded.
    small_pool["timeout"] = 30
    url = reverse("api-project", args=[project.pk])
    token = api_token_issue(user=alice)
    statuses: list[int] = []
    barrier = threading.Barrier(10)

    def get() -> None:
        client = Client(raise_request_exception=False, headers={"Authorization": f"Token {token}"})
        barrier.wait()
        for _ in range(3):
            statuses.append(client.get(url).status_code)
            # What the server does at the end of each request (the test client does not).
            connection.close()

    threads = [threading.Thread(target=get) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert statuses == [200] * 30
    assert connection.pool.get_stats()["pool_max"] == 2
    assert connection.pool.get_stats().get("connections_num", 0) <= 2


@pytest.mark.skipif(not POSTGRES, reason="the connection pool is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_request_that_waits_past_the_pool_timeout_gets_503_not_500(project, alice, small_pool):
    url = reverse("api-project", args=[project.pk])
    token = api_token_issue(user=alice)
    connection.close()  # this thread's connection goes back: two holders take both
    held = threading.Semaphore(0)
    release = threading.Event()

    def hold() -> None:
        with transaction.atomic():  # takes a connection and keeps it
            connection.cursor().execute("SELECT 1")
            held.release()
            release.wait(20)
        connection.close()

    holders = [threading.Thread(target=hold) for _ in range(2)]
    for thread in holders:
        thread.start()
    try:
        assert held.acquire(timeout=20) and held.acquire(timeout=20)
        result: list = []

        def get() -> None:
            client = Client(
                raise_request_exception=False, headers={"Authorization": f"Token {token}"}
            )
            result.append(client.get(url))
            connection.close()

        waiting = threading.Thread(target=get)
        waiting.start()
        waiting.join(30)
    finally:
        release.set()
        for thread in holders:
            thread.join(30)
    assert result[0].status_code == 503
    assert result[0]["Retry-After"] == "5"
    assert result[0].json()["error"] == "service_busy"
