"""The ASGI handler reuses request threads and runs at most `at_once` requests at a time,
in arrival order, from their request_started receivers through their view."""

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from channels.testing import HttpCommunicator
from django.core.signals import request_started
from django.http import HttpRequest, HttpResponse

from config.threads import ReusedThreadsASGIHandler
from projects.services import api_token_issue

pytestmark = pytest.mark.django_db(transaction=True)

HOST = [(b"host", b"testserver")]


class Watched(ReusedThreadsASGIHandler):
    """Records how many requests ran their middleware and view at once."""

    def __init__(self, **kwargs: int) -> None:
        super().__init__(**kwargs)
        self.running = 0
        self.most = 0

    async def get_response_async(self, request: HttpRequest) -> HttpResponse:
        self.running += 1
        self.most = max(self.most, self.running)
        try:
            # Long enough that the requests sent together overlap here.
            await asyncio.sleep(0.02)
            response = await super().get_response_async(request)
        finally:
            self.running -= 1
        return response


def get(app: ReusedThreadsASGIHandler, path: str = "/accounts/login/") -> int:
    async def send() -> int:
        response = await HttpCommunicator(app, "GET", path, headers=HOST).get_response(timeout=30)
        return response["status"]

    return asyncio.run(send())


def pooled(app: ReusedThreadsASGIHandler, count: int) -> bool:
    """Whether the pool holds `count` idle threads within a few seconds: a thread goes
    back once its request's last sync call is done, just after the answer."""
    pause = threading.Event()
    for _ in range(100):
        if len(app._pool) == count:
            return True
        pause.wait(0.05)
    return False


def test_requests_one_after_another_share_one_thread():
    app = ReusedThreadsASGIHandler(idle=4, at_once=4)
    assert get(app) == 200
    assert pooled(app, 1)
    executor = app._pool[0]
    thread = next(iter(executor._threads))
    for _ in range(3):
        assert get(app) == 200
        assert pooled(app, 1)
    assert app._pool == [executor]
    assert next(iter(executor._threads)) is thread
    assert thread.is_alive()


def test_a_burst_runs_at_most_at_once_requests_and_keeps_at_most_idle_threads():
    app = Watched(idle=2, at_once=3)

    async def burst() -> list[int]:
        requests = [
            HttpCommunicator(app, "GET", "/accounts/login/", headers=HOST) for _ in range(12)
        ]
        replies = await asyncio.gather(*(r.get_response(timeout=60) for r in requests))
        return [reply["status"] for reply in replies]

    assert asyncio.run(burst()) == [200] * 12
    assert app.most == 3
    # Threads beyond `idle` end once their request is answered.
    assert pooled(app, 2)


class CountingLoop(asyncio.SelectorEventLoop):
    """An event loop that counts the calls it hands to a thread: each is a hop of
    sync_to_async, with its future, its wake-ups and its context copy."""

    def __init__(self) -> None:
        super().__init__()
        self.handed = 0

    def run_in_executor(self, executor: Any, func: Callable[..., Any], *args: Any) -> Any:
        self.handed += 1
        return super().run_in_executor(executor, func, *args)


def hops(app: ReusedThreadsASGIHandler, path: str, headers: list) -> tuple[int, dict, int]:
    """The answer to one GET, and how many calls its handling handed to a thread."""

    async def answer() -> dict:
        communicator = HttpCommunicator(app, "GET", path, headers=HOST + headers)
        response = await communicator.get_response(timeout=30)
        await communicator.wait(timeout=30)  # the response's close comes after the body
        return response

    loop = CountingLoop()
    try:
        response = loop.run_until_complete(answer())
    finally:
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()
    return response["status"], dict(response["headers"]), loop.handed


def test_the_middleware_chain_and_the_view_take_one_hop_to_the_request_thread():
    """The sign-in page runs every middleware, the CSRF check's process_view, the view and
    its template: all in one call on the request's thread, as under WSGI."""
    app = ReusedThreadsASGIHandler(idle=2, at_once=2)

    status, headers, handed = hops(app, "/accounts/login/", [])

    assert status == 200
    # The session request keeps what the chain gives it: its CSRF cookie, the headers.
    assert b"csrftoken=" in headers[b"Set-Cookie"]
    assert headers[b"X-Frame-Options"] == b"DENY"
    # request_started's receivers, the chain with the view, the response's close (an
    # ASGI-built chain took three more: its view middleware, the view, the render).
    assert handed == 3


def test_a_token_request_takes_one_hop_for_its_middleware_and_view(alice):
    app = ReusedThreadsASGIHandler(idle=2, at_once=2)
    token = api_token_issue(user=alice)

    status, headers, handed = hops(
        app, "/api/v1/heads", [(b"authorization", f"Token {token}".encode())]
    )

    assert status == 200
    assert b"Set-Cookie" not in headers
    assert handed == 3


class Counted(ReusedThreadsASGIHandler):
    """Counts the requests in their turn: from the request_started receivers (Django's
    first sync call, on the request's thread) until the middleware and the view are done;
    and notes the order in which requests start (their ``?n=``) and reach the view."""

    def __init__(self, **kwargs: int) -> None:
        super().__init__(**kwargs)
        self.inside = 0
        self.most = 0
        self.started_order: list[str] = []
        self.view_order: list[str] = []
        self._counting = threading.Lock()

    def started(self, scope: dict[str, Any], **kwargs: Any) -> None:
        query = parse_qs(scope["query_string"].decode())
        with self._counting:
            self.inside += 1
            self.most = max(self.most, self.inside)
            self.started_order.append(query["n"][0])
        # Long enough that requests sent together would overlap here.
        time.sleep(float(query.get("pause", ["0.02"])[0]))

    async def run_get_response(self, request: HttpRequest) -> HttpResponse:
        self.view_order.append(request.GET["n"])
        response = await super().run_get_response(request)
        with self._counting:
            self.inside -= 1
        return response


@pytest.fixture
def counted() -> Iterator[Callable[..., Counted]]:
    apps: list[Counted] = []

    def make(**kwargs: int) -> Counted:
        app = Counted(**kwargs)
        request_started.connect(app.started, sender=Counted)
        apps.append(app)
        return app

    yield make
    for app in apps:
        request_started.disconnect(app.started, sender=Counted)


REQUEST = {"type": "http.request", "body": b""}


def test_a_burst_runs_request_started_receivers_within_the_limit_too(counted):
    app = counted(idle=2, at_once=3)

    async def burst() -> list[int]:
        requests = [
            HttpCommunicator(app, "GET", f"/accounts/login/?n={n}", headers=HOST) for n in range(12)
        ]
        replies = await asyncio.gather(*(r.get_response(timeout=60) for r in requests))
        return [reply["status"] for reply in replies]

    assert asyncio.run(burst()) == [200] * 12
    assert len(app.started_order) == 12
    assert app.most == 3


def test_waiting_requests_take_their_turn_in_arrival_order(counted):
    """The earlier a request came, the longer its request_started receivers take: had
    it queued after them, the latecomers would go first."""
    app = counted(idle=2, at_once=1)

    async def arrive() -> list[int]:
        requests = [
            HttpCommunicator(
                app, "GET", f"/accounts/login/?n={n}&pause={0.04 - n * 0.005}", headers=HOST
            )
            for n in range(8)
        ]
        for request in requests:
            request.sent_request = True
            await request.send_input(REQUEST)
            await asyncio.sleep(0.002)  # one after another
        return [(await r.get_response(timeout=30))["status"] for r in requests]

    assert asyncio.run(arrive()) == [200] * 8
    assert app.started_order == [str(n) for n in range(8)]
    assert app.view_order == [str(n) for n in range(8)]


def test_a_client_that_goes_away_while_waiting_leaves_the_queue(counted):
    app = counted(idle=2, at_once=1)

    async def scenario() -> tuple[int, int]:
        first = HttpCommunicator(app, "GET", "/accounts/login/?n=first&pause=0.5", headers=HOST)
        await first.send_input(REQUEST)  # in its turn for half a second
        await asyncio.sleep(0.05)
        gone = HttpCommunicator(app, "GET", "/accounts/login/?n=gone", headers=HOST)
        await gone.send_input(REQUEST)
        await asyncio.sleep(0.05)
        await gone.send_input({"type": "http.disconnect"})
        # Its handler returns while the first request still has the turn, unanswered.
        await gone.wait(timeout=0.2)
        assert gone.output_queue.empty()
        first.sent_request = True
        answered = await first.get_response(timeout=30)
        # The place it left is not held: the next request gets its turn.
        then = HttpCommunicator(app, "GET", "/accounts/login/?n=then", headers=HOST)
        return answered["status"], (await then.get_response(timeout=5))["status"]

    assert asyncio.run(scenario()) == (200, 200)
    assert app.started_order == ["first", "then"]
    assert app.view_order == ["first", "then"]
