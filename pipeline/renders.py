"""Renders shared by the sockets of one process that watch the same thing.

Every htmx socket re-renders its page's parts from the database after an event. With
many people on one project, each socket would read and render the same state for
the same event. A socket that can say what its render depends on (`share_key`) and
how new a state it needs (the last event it received) takes the render another
socket of this process started for the same key and event, or starts it.

A render serves only sockets that asked for the same event or an older one, so none
gets a state older than its last event. Entries live one second: long enough for
every socket woken by one event, short enough that a change without an event (an
upload) is not hidden for long.
"""

import asyncio
import time
import weakref
from collections.abc import Awaitable, Callable, Hashable

TTL_SECONDS = 1.0

Parts = dict[str, str]


class SharedRenders:
    def __init__(self, ttl: float = TTL_SECONDS) -> None:
        self.ttl = ttl
        self._entries: dict[Hashable, tuple[float, asyncio.Future[Parts]]] = {}

    async def get(self, key: Hashable, render: Callable[[], Awaitable[Parts]]) -> Parts:
        now = time.monotonic()
        self._expire(now)
        entry = self._entries.get(key)
        if entry is None:
            future = asyncio.ensure_future(render())
            # A failed render is not shared beyond the sockets already waiting on it.
            future.add_done_callback(lambda done: self._forget_failed(key, done))
            self._entries[key] = (now, future)
        else:
            future = entry[1]
        # A socket closing while it waits must not cancel the others' render.
        return await asyncio.shield(future)

    def _forget_failed(self, key: Hashable, done: asyncio.Future[Parts]) -> None:
        if done.cancelled() or done.exception() is not None:
            entry = self._entries.get(key)
            if entry is not None and entry[1] is done:
                del self._entries[key]

    def _expire(self, now: float) -> None:
        stale = [
            key
            for key, (born, future) in self._entries.items()
            if now - born > self.ttl and future.done()
        ]
        for key in stale:
            del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)


# One per event loop: a future belongs to the loop that made it (tests run many loops;
# daphne runs one).
_per_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SharedRenders] = (
    weakref.WeakKeyDictionary()
)


def shared_renders() -> SharedRenders:
    loop = asyncio.get_running_loop()
    renders = _per_loop.get(loop)
    if renders is None:
        renders = _per_loop[loop] = SharedRenders()
    return renders
