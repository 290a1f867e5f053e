"""Getting events to browsers.

An event row is appended in the same transaction as the state change, so the log is
the durable truth (``pipeline.services.eventlog`` writes it). After commit it is
published to the groups ``run.<id>`` and ``project.<id>``:

- with ``REDIS_URL``: through channels-redis, from one long-lived event loop per process
  (a new ``async_to_sync`` loop per event would open a new Redis connection each time);
- without it (the embedded default): the in-memory layer does not cross processes, so
  the ASGI process runs a relay that tails the Event table and feeds its local groups.
"""

import asyncio
import logging
import threading
from collections.abc import Iterable
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from config.http import iso
from pipeline import registry
from pipeline.models import Event, Run

log = logging.getLogger(__name__)

GROUP_MESSAGE_TYPE = "run.event"
# A subject changed outside any run (its files): pages re-render, nothing is logged.
SUBJECT_CHANGED_TYPE = "subject.changed"
RELAY_POLL_SECONDS = 0.05
RELAY_BATCH = 500


def run_group(run_id: int) -> str:
    return f"run.{run_id}"


def project_group(project_id: int) -> str:
    return f"project.{project_id}"


def event_message(event: Event) -> dict[str, Any]:
    """An event as clients see it: type, run_id, seq, ts, then its payload."""
    return {
        "type": event.type,
        "run_id": event.run_id,
        "seq": event.seq,
        "ts": iso(event.created_at),
        **event.payload,
    }


def events_publish(events: list[Event], project_id: int, run: Run) -> None:
    """After the commit of their change: publishes the events (with Redis; the relay
    reads them from the table otherwise) and calls the after-commit hooks."""
    for event in events:
        if settings.PIPELINE_EVENT_TRANSPORT == "redis":
            publisher().publish(
                event_message(event), [run_group(event.run_id), project_group(project_id)]
            )
        for hook in registry.hooks():
            try:
                hook(event.type, run, event.payload)
            except Exception:
                # Hooks are fire-and-forget: an audit row or an email must never fail a run.
                log.exception("Pipeline hook %r failed on %s", hook, event)


def subject_changed_publish(subject_id: int) -> None:
    """Tells the pages watching a subject that it changed outside a run (files added
    or removed), so that every viewer's page shows it. Call it after commit.

    Not durable, unlike events: a page that misses it is whole again at its next event
    or reconnect. Without Redis it reaches the sockets of this process only, which is
    every socket in the embedded setup, where the web process serves them all.
    """
    message = {"type": SUBJECT_CHANGED_TYPE, "subject_id": subject_id}
    try:
        if settings.PIPELINE_EVENT_TRANSPORT == "redis":
            publisher().send(message, [project_group(subject_id)])
        else:
            # From a view, async_to_sync runs on daphne's own loop, where the sockets are.
            async_to_sync(get_channel_layer().group_send)(project_group(subject_id), message)
    except Exception:
        log.exception("Telling the pages of subject %s about a change failed", subject_id)


class Publisher:
    """One event loop in a daemon thread, shared by every publish of this process."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="event-publisher", daemon=True
        )
        self._thread.start()
        self._layer = get_channel_layer()

    def publish(self, message: dict[str, Any], groups: Iterable[str]) -> None:
        self.send({"type": GROUP_MESSAGE_TYPE, "event": message}, groups)

    def send(self, message: dict[str, Any], groups: Iterable[str]) -> None:
        """Sends a channel-layer message as it is to the groups."""
        future = asyncio.run_coroutine_threadsafe(self._send(message, list(groups)), self._loop)
        future.add_done_callback(self._log_failure)

    async def _send(self, message: dict[str, Any], groups: list[str]) -> None:
        for group in groups:
            await self._layer.group_send(group, message)

    @staticmethod
    def _log_failure(future: "asyncio.Future[None]") -> None:
        if future.exception() is not None:
            log.error("Publishing an event failed: %s", future.exception())


_publisher: Publisher | None = None
_publisher_lock = threading.Lock()


def publisher() -> Publisher:
    global _publisher
    with _publisher_lock:
        if _publisher is None:
            _publisher = Publisher()
        return _publisher


class Relay:
    """Tails the Event table and feeds this process's in-memory groups (embedded default).

    One per event loop, started by the first WebSocket that connects. It starts from the
    newest event at that moment: a client gets older ones by replay (``after=SEQ``).
    """

    def __init__(self) -> None:
        self.last_id: int | None = None
        self.task: asyncio.Task | None = None

    def ensure_started(self) -> None:
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._loop())

    async def _loop(self) -> None:
        layer = get_channel_layer()
        if self.last_id is None:
            self.last_id = await sync_to_async(_newest_event_id)()
        while True:
            try:
                batch = await sync_to_async(_events_after)(self.last_id)
            except Exception:
                log.exception("The event relay could not read events; trying again")
                await asyncio.sleep(1.0)
                continue
            for event, project_id in batch:
                message = {"type": GROUP_MESSAGE_TYPE, "event": event_message(event)}
                await layer.group_send(run_group(event.run_id), message)
                await layer.group_send(project_group(project_id), message)
                self.last_id = event.pk
            if len(batch) < RELAY_BATCH:
                await asyncio.sleep(RELAY_POLL_SECONDS)


def _newest_event_id() -> int:
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _events_after(last_id: int) -> list[tuple[Event, int]]:
    events = Event.objects.filter(id__gt=last_id).select_related("run").order_by("id")[:RELAY_BATCH]
    return [(event, event.run.project_id) for event in events]


_relays: dict[int, Relay] = {}


def relay_ensure_started() -> None:
    """Starts this event loop's relay if the events need one (no Redis)."""
    if settings.PIPELINE_EVENT_TRANSPORT != "relay":
        return
    loop = asyncio.get_running_loop()
    relay = _relays.setdefault(id(loop), Relay())
    relay.ensure_started()


def events_after(*, run_id: int, after: int, limit: int = 1000) -> list[Event]:
    return list(Event.objects.filter(run_id=run_id, seq__gt=after).order_by("seq")[:limit])
