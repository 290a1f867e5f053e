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

At most ``at_once`` requests run their middleware and view at a time; the others wait
on the event loop, in arrival order, with their body read and nothing held. The work
is CPU under one GIL: fifty threads at once took twice the CPU of fifty in turn (a
switch every 5 ms, each thread's caches cold) and all finished at the end, so the
first asker waited as long as the last. A few at a time keep the process busy while
one waits for the database. Reading a body and sending a response (a download to a
slow client) are outside the limit.

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
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.db import connections


class ReusedThreadsASGIHandler(ASGIHandler):
    def __init__(self, *, idle: int, at_once: int) -> None:
        super().__init__()
        self.idle = idle
        self._pool: list[ThreadPoolExecutor] = []
        self._lock = threading.Lock()
        self._running = asyncio.Semaphore(at_once)

    def load_middleware(self, is_async: bool = False) -> None:
        """The synchronous chain (as under WSGI), awaited as one call on the request's
        thread (see the module doc); ``ASGIHandler.__init__`` asks for the async one."""
        super().load_middleware(is_async=False)
        self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)

    async def run_get_response(self, request: Any) -> Any:
        """The middleware and the view, at most ``at_once`` requests at a time."""
        async with self._running:
            return await super().run_get_response(request)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        with self._lock:
            executor = self._pool.pop() if self._pool else None
        if executor is None:
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="request")
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            # Back to the pool once its thread is free: the sync code of a request
            # whose client went away may still be running there, and the next request
            # must not queue behind it.
            executor.submit(self._release, executor)

    def _release(self, executor: ThreadPoolExecutor) -> None:
        """Runs on the executor's own thread, after everything its request left."""
        with self._lock:
            if len(self._pool) < self.idle:
                self._pool.append(executor)
                return
        connections.close_all()  # this thread's own connections
        executor.shutdown(wait=False)
