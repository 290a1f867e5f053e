"""Django's ASGI handler, with the thread each request's sync code runs on reused.

Django's ``ASGIHandler`` runs a request's sync parts (the middleware chain and the view)
in a ``ThreadSensitiveContext`` of its own: a new thread per request, and another one
that joins it afterwards. A new thread also means a new database connection (Django's
connections are per thread): SQLite's connect runs its PRAGMAs and registers Django's
functions, and its close may checkpoint the WAL. Two threads and a connection per
request were about a third of a report GET's cost in a daphne process.

Here each request still gets a thread to itself, as before (requests run side by side,
none waits for another's thread), but from a pool of idle ones: a thread finished with
its request goes back to the pool and keeps its connection for the next request
(SQLite's connections persist, CONN_MAX_AGE None; PostgreSQL's go back to the process's
bounded pool at the end of each request, as before). At most ``idle`` threads wait in
the pool; one beyond that closes its connections and ends, so a burst does not leave
a thread (or a SQLite connection) behind per request it had.

At most ``at_once`` requests have a turn at a time: from the ``request_started``
receivers (Django's first sync call, close_old_connections) through the middleware and
the view. The others wait on the event loop, in arrival order, with their body read,
no thread and nothing held; a client that goes away while waiting is dropped from the
queue. The work is CPU under one GIL: fifty threads at once took twice the CPU of fifty
in turn (a switch every 5 ms, each thread's caches cold) and all finished at the end,
so the first asker waited as long as the last. A few at a time keep the process busy
while one waits for the database. Reading a body and sending a response are outside
the turn, and so is the response's close (request_finished) on the request's thread.

The turn begins in ``read_body``: Django's ``handle`` calls it, and then makes its
first sync call, before it starts listening for a disconnect, so the wait there also
listens for one itself. A request takes its thread (``_Turn``, the executor its
``ThreadSensitiveContext`` is given) at its first sync call, which is inside its turn:
an earlier version took it on arrival, and a burst of fifty made fifty threads that all
ran request_started at once, outside the limit, before queueing for the middleware.

The middleware chain is built the way a WSGI server builds it (every middleware given a
synchronous inner handler, the sync view called directly) and then run whole in one
hop to the request's thread. Built for ASGI, Django keeps the innermost handler
asynchronous: with sync-only middleware above it, the chain hopped from its thread
back to the event loop to resolve the URL, then to the thread again for each
``process_view`` (the CSRF check) and once more for the view. Each hop is a future,
a wake-up of the other side and a context copy; the chain is the same either way.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler
from django.db import connections


class _Turn(Executor):
    """One request's place: its slot among ``at_once`` and the pooled thread its sync
    calls run on, taken at the first of them (inside the turn)."""

    def __init__(self, handler: ReusedThreadsASGIHandler) -> None:
        self.handler = handler
        self.thread: ThreadPoolExecutor | None = None
        self.holding = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if self.thread is None:
            self.thread = self.handler._take_thread()
        return self.thread.submit(fn, *args, **kwargs)

    def end(self) -> None:
        """The middleware and the view are done (or will not run): the next may go."""
        if self.holding:
            self.holding = False
            self.handler._running.release()


# The request's turn, for read_body and run_get_response (the latter runs in a task
# Django creates, with a copy of this context: the same _Turn).
_turn: contextvars.ContextVar[_Turn] = contextvars.ContextVar("turn")


class ReusedThreadsASGIHandler(ASGIHandler):
    def __init__(self, *, idle: int, at_once: int) -> None:
        super().__init__()
        self.idle = idle
        self._pool: list[ThreadPoolExecutor] = []
        self._lock = threading.Lock()
        # FIFO: a newcomer queues behind the waiters even when a slot is free.
        self._running = asyncio.Semaphore(at_once)

    def load_middleware(self, is_async: bool = False) -> None:
        """The synchronous chain (as under WSGI), awaited as one call on the request's
        thread (see the module doc); ``ASGIHandler.__init__`` asks for the async one."""
        super().load_middleware(is_async=False)
        self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        turn = _Turn(self)
        token = _turn.set(turn)
        try:
            async with ThreadSensitiveContext(executor=turn):
                await self.handle(scope, receive, send)
        finally:
            _turn.reset(token)
            turn.end()
            if turn.thread is not None:
                # Back to the pool once its thread is free: the sync code of a request
                # whose client went away may still be running there, and the next
                # request must not queue behind it.
                turn.thread.submit(self._release, turn.thread)

    async def read_body(self, receive: Any) -> Any:
        """The body, then the wait for a turn (see the module doc)."""
        body = await super().read_body(receive)
        try:
            await self._wait_turn(_turn.get(), receive)
        except BaseException:
            body.close()
            raise
        return body

    async def _wait_turn(self, turn: _Turn, receive: Any) -> None:
        if not self._running.locked():
            await self._running.acquire()  # free, nobody waiting: at once
            turn.holding = True
            return
        acquire = asyncio.ensure_future(self._running.acquire())
        # After the body, the only message left is the disconnect (as in Django's own
        # listen_for_disconnect).
        gone = asyncio.ensure_future(receive())
        try:
            await asyncio.wait((acquire, gone), return_when=asyncio.FIRST_COMPLETED)
        finally:
            gone.cancel()
            if not acquire.done():
                acquire.cancel()  # leaves the queue; the semaphore hands the slot on
            elif not acquire.cancelled():
                turn.holding = True  # released by turn.end() whatever comes next
        if gone.done() and not gone.cancelled():
            message = gone.result()
            if message["type"] == "http.disconnect":
                turn.end()
                raise RequestAborted
            raise AssertionError(f"Invalid ASGI message after request body: {message['type']}")

    async def run_get_response(self, request: Any) -> Any:
        """The middleware and the view; the turn ends with them."""
        try:
            return await super().run_get_response(request)
        finally:
            _turn.get().end()

    def _take_thread(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool:
                return self._pool.pop()
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")

    def _release(self, executor: ThreadPoolExecutor) -> None:
        """Runs on the executor's own thread, after everything its request left."""
        with self._lock:
            if len(self._pool) < self.idle:
                self._pool.append(executor)
                return
        connections.close_all()  # this thread's own connections
        executor.shutdown(wait=False)
