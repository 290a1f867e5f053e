"""`/ws/runs/{id}/?after=SEQ`: a run's events as JSON (API.md "WebSocket").

First a `sync` snapshot, then every event after `after` that the client missed, then
live events. Gaps are filled from the event table, so a client never skips a seq even
when a transport drops or reorders a message.
"""

import asyncio
import contextlib
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import timezone

from pipeline import selectors
from pipeline.events import event_message, events_after, relay_ensure_started, run_group
from pipeline.models import Run

CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_FOUND = 4404


def _visible_run(user: Any, run_id: int) -> Run | None:
    return selectors.runs_for_user(user=user).filter(pk=run_id).first()


def _snapshot(run_id: int) -> dict[str, Any]:
    return selectors.run_progress(Run.objects.get(pk=run_id))


def _missed(run_id: int, after: int) -> list[dict[str, Any]]:
    return [event_message(e) for e in events_after(run_id=run_id, after=after)]


class RunConsumer(AsyncJsonWebsocketConsumer):
    run_id: int
    last_sent: int
    ping_task: asyncio.Task | None = None

    async def connect(self) -> None:
        # Accept first: a close code (4401/4404) only exists on an open socket.
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        run = await database_sync_to_async(_visible_run)(
            user, int(self.scope["url_route"]["kwargs"]["run_id"])
        )
        if run is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.run_id = run.pk
        # Join before the snapshot, so nothing falls between the two; seq dedupes.
        await self.channel_layer.group_add(run_group(self.run_id), self.channel_name)
        relay_ensure_started()
        snapshot = await database_sync_to_async(_snapshot)(self.run_id)
        after = self._after()
        self.last_sent = snapshot["last_seq"] if after is None else min(after, snapshot["last_seq"])
        await self.send_json(
            {
                "type": "sync",
                "seq": snapshot["last_seq"],
                "ts": timezone.now().isoformat().replace("+00:00", "Z"),
                **snapshot,
            }
        )
        await self._catch_up()
        self.ping_task = asyncio.create_task(self._ping())

    def _after(self) -> int | None:
        query = parse_qs(self.scope.get("query_string", b"").decode())
        value = (query.get("after") or [""])[0]
        return int(value) if value.isdigit() else None

    async def _catch_up(self) -> None:
        # Page through the log: a long run has more events than one read returns.
        while missed := await database_sync_to_async(_missed)(self.run_id, self.last_sent):
            for message in missed:
                await self._send_event(message)

    async def _send_event(self, message: dict[str, Any]) -> None:
        if message["seq"] <= self.last_sent:
            return
        await self.send_json(message)
        self.last_sent = message["seq"]

    async def run_event(self, message: dict[str, Any]) -> None:
        event = message["event"]
        if event["seq"] > self.last_sent + 1:
            await self._catch_up()
        await self._send_event(event)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        # The client's "pong" needs no answer; anything else is ignored, not an error.
        return

    async def _ping(self) -> None:
        while True:
            await asyncio.sleep(settings.PIPELINE_WS_PING_SECONDS)
            await self.send_json(
                {"type": "ping", "ts": timezone.now().isoformat().replace("+00:00", "Z")}
            )

    async def disconnect(self, code: int) -> None:
        if self.ping_task is not None:
            self.ping_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.ping_task
        if hasattr(self, "run_id"):
            await self.channel_layer.group_discard(run_group(self.run_id), self.channel_name)
