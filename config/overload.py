"""A database too busy (or down) and a task queue down are a 503 with Retry-After, never a 500.

Busy means: the process's connection pool stayed empty for DB_POOL_TIMEOUT seconds, the
PostgreSQL server has no connection slot left (another program may hold them), SQLite's
write lock outlasted the busy timeout, or the server cannot be reached at all. The
broker refusing a run's task (Redis down) is answered the same way: the run was
withdrawn (pipeline/services/runs.py). The request did nothing the user must undo (a
write that failed rolled back), so "try again in a few seconds" is the honest answer.
JSON for the API (API.md's error shape), a short page for everything else.

An exception raised in a view reaches ``process_exception``. One raised by a middleware
below this one (the session, a token lookup) has already become a 500 response when it
gets here: the ``got_request_exception`` signal, sent while the exception is being
handled, marks the request, and the 500 is replaced.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.core.signals import got_request_exception
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
RETRY_AFTER_SECONDS = 5
# PostgreSQL's SQLSTATEs for "no room now": too_many_connections (which also covers the
# slots reserved for superusers), cannot_connect_now (starting or shutting down).
BUSY_SQLSTATES = {"53300", "57P03"}
# Class 08: connection exceptions (the server is down or went away).
UNREACHABLE_SQLSTATE_CLASS = "08"
BUSY_MESSAGES = (
    # The server is down, restarting or unreachable: as transient for the user.
    "connection refused",
    "could not connect",
    "connection failed",
    "server closed the connection",
    "terminating connection",
    "the connection is closed",
    "the connection is lost",
    "unable to open database file",
    "couldn't get a connection",  # psycopg_pool.PoolTimeout
    "too many clients",
    "remaining connection slots are reserved",
    "database is locked",
    "database table is locked",
)
_BUSY_MARK = "_database_busy"


def is_database_busy(exc: BaseException | None) -> bool:
    """Whether the exception (or one it was raised from) says the database is saturated."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if type(exc).__name__ in {"PoolTimeout", "TooManyRequests"}:
            return True
        sqlstate = getattr(exc, "sqlstate", None) or ""
        if sqlstate in BUSY_SQLSTATES or sqlstate.startswith(UNREACHABLE_SQLSTATE_CLASS):
            return True
        if isinstance(exc, DatabaseError) or type(exc).__module__.startswith(
            ("psycopg", "sqlite3")
        ):
            message = str(exc).lower()
            if any(text in message for text in BUSY_MESSAGES):
                return True
        exc = exc.__cause__ or exc.__context__
    return False


def is_broker_down(exc: BaseException | None) -> bool:
    """Whether the task queue refused a task (pipeline.services.BrokerUnavailable)."""
    from pipeline.services.errors import BrokerUnavailable

    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, BrokerUnavailable):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def busy_response(request: HttpRequest, *, broker: bool = False) -> HttpResponse:
    what = "its task queue" if broker else "its database"
    detail = (
        f"The service is busy right now and could not reach {what}. "
        f"Nothing was changed; please try again in {RETRY_AFTER_SECONDS} seconds."
    )
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse(
            {"error": "service_busy", "detail": detail}, status=503
        )
    else:
        response = HttpResponse(
            "<!doctype html><title>Busy, try again shortly</title>"
            f"<h1>Busy, try again shortly</h1><p>{detail}</p>",
            status=503,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseBusyMiddleware:
    """Turns a saturated database into 503 + Retry-After (see the module doc)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        mark = getattr(request, _BUSY_MARK, None)
        if response.status_code == 500 and mark:
            return busy_response(request, broker=mark == "broker")
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_broker_down(exception):
            log.warning("Broker down on %s %s: %s", request.method, request.path, exception)
            return busy_response(request, broker=True)
        if is_database_busy(exception):
            log.warning("Database busy on %s %s: %s", request.method, request.path, exception)
            return busy_response(request)
        return None


@receiver(got_request_exception)
def _mark_busy(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    if request is None:
        return
    exc = sys.exc_info()[1]
    if is_broker_down(exc):
        setattr(request, _BUSY_MARK, "broker")
    elif is_database_busy(exc):
        setattr(request, _BUSY_MARK, "database")
