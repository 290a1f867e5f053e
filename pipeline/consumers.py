"""WebSocket consumers.

`/ws/runs/{id}/?after=SEQ`: a run's events as JSON (API.md "WebSocket"). First a
`sync` snapshot, then every event after `after` that the client missed, then live
events. Gaps are filled from the event table, so a client never skips a seq even
when a transport drops or reorders a message.

`LiveFragmentConsumer`: the base of the pages' htmx sockets, which send HTML
fragments (hx-swap-oob) re-rendered from the database; `/ws/runs/{id}/live/` is the
run page's.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Hashable
from typing import Any, ClassVar
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from config.http import iso
from pipeline import fragments, selectors
from pipeline.events import event_message, events_after, relay_ensure_started, run_group
from pipeline.models import Run
from pipeline.renders import shared_renders

log = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_NOT_FOUND = 4404


class DirectDispatch:
    """Hands each message to its handler without Channels' hop to the sync thread.

    Channels runs `close_old_connections` in the sync thread before every handler, one
    thread hop per message and socket: with hundreds of sockets on a run, those hops
    (serialized on one thread) were most of daphne's time. These consumers touch the
    database only through `database_sync_to_async`, which closes old connections in
    its own thread around every call.
    """

    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)


class AccessRecheck:
    """Ends a socket whose user may no longer watch: checked again at every ping.

    The handshake checks access once; a socket can stay open for hours. At each ping
    the consumer asks `scope["reauthenticate"]` (set by the auth middleware) who the
    user is now, then checks access as at connect: a deleted token, a logged-out or
    deactivated user closes with 4401, a user moved out of the firm with 4404. Once a
    ping interval rather than before every message: one query per socket and interval
    holds with hundreds of sockets on a run.
    """

    scope: dict[str, Any]

    async def user_now(self) -> Any | None:
        """The user as of now, or None after closing the socket with 4401."""
        reauthenticate = self.scope.get("reauthenticate")
        if reauthenticate is None:
            return self.scope["user"]
        user = await database_sync_to_async(reauthenticate)()
        if user is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)  # type: ignore[attr-defined]
        return user


def _visible_run(user: Any, run_id: int) -> Run | None:
    return selectors.runs_for_user(user=user).filter(pk=run_id).first()


def _snapshot(run_id: int) -> dict[str, Any]:
    return selectors.run_progress(Run.objects.get(pk=run_id))


def _missed(run_id: int, after: int) -> list[dict[str, Any]]:
    return [event_message(e) for e in events_after(run_id=run_id, after=after)]


async def join(consumer: Any, group: str) -> bool:
    """Joins a group; False when the channel layer is down (the socket still opens, and
    catches up from the event table at each ping until a later join succeeds)."""
    try:
        await consumer.channel_layer.group_add(group, consumer.channel_name)
    except Exception as exc:
        log.warning("Could not join %s (channel layer down?): %s", group, exc)
        return False
    return True


async def leave(consumer: Any, group: str) -> None:
    try:
        await consumer.channel_layer.group_discard(group, consumer.channel_name)
    except Exception as exc:
        log.warning("Could not leave %s (channel layer down?): %s", group, exc)


class RunConsumer(DirectDispatch, AccessRecheck, AsyncJsonWebsocketConsumer):
    run_id: int
    last_sent: int
    joined: bool = False
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
        self.joined = await join(self, run_group(self.run_id))
        relay_ensure_started()
        snapshot = await database_sync_to_async(_snapshot)(self.run_id)
        after = self._after()
        self.last_sent = snapshot["last_seq"] if after is None else min(after, snapshot["last_seq"])
        await self.send_json(
            {
                "type": "sync",
                "seq": snapshot["last_seq"],
                "ts": iso(timezone.now()),
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
            if not await self._still_allowed():
                return
            if not self.joined:
                self.joined = await join(self, run_group(self.run_id))
            # Whatever the channel layer lost while it was down (Redis restarting) is in
            # the table: each ping sends it first, and says where the log stands.
            await self._catch_up()
            await self.send_json(
                {"type": "ping", "ts": iso(timezone.now()), "last_seq": self.last_sent}
            )

    async def _still_allowed(self) -> bool:
        user = await self.user_now()
        if user is None:
            return False
        if await database_sync_to_async(_visible_run)(user, self.run_id) is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return False
        return True

    async def disconnect(self, code: int) -> None:
        if self.ping_task is not None:
            self.ping_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.ping_task
        if hasattr(self, "run_id"):
            await leave(self, run_group(self.run_id))


class LiveFragmentConsumer(DirectDispatch, AccessRecheck, AsyncWebsocketConsumer):
    """An htmx socket: HTML fragments with hx-swap-oob, re-rendered from the database.

    A subclass says which groups the user may follow (`follow`, also the access check:
    None closes with 4404), which parts an event touches (`parts_for`) and how parts
    render (`render`, in a thread: it reads the database). On connect every part is
    sent, so a page that reconnects is whole again: the htmx ws extension replays
    nothing. Events are coalesced: at most one render every `throttle` seconds, and
    each render reads the database after the events that asked for it were committed,
    so a fragment never shows an older state than the last event. A part whose HTML
    did not change is not sent again. Keys of `render` starting with "+" are appends:
    always sent, never compared.

    A subclass whose render depends only on what it can name (`share_key`) shares
    renders with the other sockets of this process that watch the same thing
    (pipeline/renders.py): many viewers of one project cost one render an event.
    """

    ALL: ClassVar[frozenset[str]] = frozenset({"*"})
    # A key of `render`'s result that is not sent: the state it read, kept for `behind`.
    STATE: ClassVar[str] = "=state"
    rendered_state: Hashable = None
    throttle = 0.15
    # The relay (embedded default) starts with the first socket of a process, from the
    # newest event at that moment: one more look shortly after connecting closes that gap.
    settle_seconds = 1.0

    followed: list[str]
    unjoined: set[str]
    pending: set[str]
    sent: dict[str, int]
    flush_task: asyncio.Task | None = None
    settle_task: asyncio.Task | None = None
    ping_task: asyncio.Task | None = None
    next_flush_at: float = 0.0
    # The newest event received, as (run id, seq): how new a shared render must be.
    newest_event: tuple[int, int] | None = None
    # A change that is not an event (subject.changed) has no seq to share renders by.
    render_alone: bool = False

    def follow(self, user: Any) -> list[str] | None:
        """The groups to join, or None when the user may not watch. Called at connect
        and at every ping (AccessRecheck), so it may update what it renders."""
        raise NotImplementedError

    def parts_for(self, event: dict[str, Any]) -> set[str]:
        return set(self.ALL)

    def render(self, parts: set[str]) -> dict[str, str]:
        raise NotImplementedError

    def share_key(self, parts: set[str]) -> Hashable | None:
        """What `render(parts)` depends on besides the database, when another socket's
        render of the same key may stand in for this one's; None renders alone."""
        return None

    async def connect(self) -> None:
        # Accept first: a close code (4401/4404) only exists on an open socket.
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        followed = await database_sync_to_async(self.follow)(user)
        if followed is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.followed, self.pending, self.sent = followed, set(), {}
        # Join before the first render, so nothing falls between the two.
        self.unjoined = set()
        for group in self.followed:
            if not await join(self, group):
                self.unjoined.add(group)
        relay_ensure_started()
        await self._send_parts(set(self.ALL))
        self.settle_task = asyncio.create_task(self._settle())
        self.ping_task = asyncio.create_task(self._ping())

    async def run_event(self, message: dict[str, Any]) -> None:
        event = message["event"]
        mark = (int(event.get("run_id") or 0), int(event.get("seq") or 0))
        if self.newest_event is None or mark > self.newest_event:
            self.newest_event = mark
        self._want(self.parts_for(event))

    async def subject_changed(self, message: dict[str, Any]) -> None:
        self.render_alone = True
        self._want(set(self.ALL))

    def _want(self, parts: set[str]) -> None:
        self.pending |= parts
        if self.flush_task is None or self.flush_task.done():
            self.flush_task = asyncio.create_task(self._flush())

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        while self.pending:
            wait = self.next_flush_at - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)  # events arriving meanwhile join this render
            parts, self.pending = self.pending, set()
            if self.ALL & parts:
                parts = set(self.ALL)
            try:
                await self._send_parts(parts)
            except Exception:
                # The next event renders again; a socket must not die of one bad read.
                log.exception("Rendering live fragments failed on %s", self.scope["path"])

    async def _send_parts(self, parts: set[str]) -> None:
        rendered = dict(await self._render(parts))
        # Not HTML: what the render read, for `behind` (the dict may be shared: a copy).
        self.rendered_state = rendered.pop(self.STATE, self.rendered_state)
        changed = []
        for key, html in rendered.items():
            if key.startswith("+"):
                changed.append(html)
                continue
            digest = hash(html)
            if self.sent.get(key) != digest:
                self.sent[key] = digest
                changed.append(html)
        if changed:
            await self.send(text_data="".join(changed))
        self.next_flush_at = asyncio.get_running_loop().time() + self.throttle

    async def _render(self, parts: set[str]) -> dict[str, str]:
        def alone() -> Awaitable[dict[str, str]]:
            return database_sync_to_async(self.render)(parts)

        # A socket that has seen no event yet (its first render) renders alone: it
        # cannot say how new a state it needs; so does one told of a change (files).
        key = self.share_key(parts) if self.newest_event is not None else None
        if key is None or self.render_alone:
            self.render_alone = False
            return await alone()
        return await shared_renders().get((type(self), key, self.newest_event), alone)

    async def _settle(self) -> None:
        await asyncio.sleep(self.settle_seconds)
        self._want(set(self.ALL))

    def behind(self) -> bool:
        """Whether the database moved past what this socket rendered (events the channel
        layer lost); a subclass that can tell cheaply says so. Checked at each ping."""
        return False

    async def _ping(self) -> None:
        # Keeps proxies from closing an idle socket; htmx swaps nothing for a comment.
        while True:
            await asyncio.sleep(settings.PIPELINE_WS_PING_SECONDS)
            if not await self._follow_again():
                return
            missed = bool(self.unjoined)
            for group in list(self.unjoined):
                if await join(self, group):
                    self.unjoined.discard(group)
            if missed or await database_sync_to_async(self.behind)():
                self.render_alone = True
                self._want(set(self.ALL))
            await self.send(text_data="<!-- ping -->")

    async def _follow_again(self) -> bool:
        user = await self.user_now()
        if user is None:
            return False
        followed = await database_sync_to_async(self.follow)(user)
        if followed is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return False
        # The list page's socket follows projects created since it connected, and
        # leaves those the user can no longer see.
        for group in set(followed) - set(self.followed):
            if not await join(self, group):
                self.unjoined.add(group)
        for group in set(self.followed) - set(followed):
            self.unjoined.discard(group)
            await leave(self, group)
        self.followed = followed
        return True

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        return  # the page only listens

    async def disconnect(self, code: int) -> None:
        for task in (self.flush_task, self.settle_task, self.ping_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        for group in getattr(self, "followed", []):
            await leave(self, group)


class RunPageConsumer(LiveFragmentConsumer):
    """`/ws/runs/{id}/live/`: the run page's status, stepper, progress, timeline and log."""

    run_id: int
    last_seq: int = 0

    def follow(self, user: Any) -> list[str] | None:
        run = _visible_run(user, int(self.scope["url_route"]["kwargs"]["run_id"]))
        if run is None:
            return None
        self.run_id = run.pk
        return [run_group(run.pk)]

    def behind(self) -> bool:
        return Run.objects.filter(pk=self.run_id, last_seq__gt=self.last_seq).exists()

    def parts_for(self, event: dict[str, Any]) -> set[str]:
        # Every part but the log is rendered again from one read (one consistent state;
        # unchanged parts are not sent); the log only gets the events it has not shown.
        return {"run-status", "stepper", "progress", "timeline", "+event-log"}

    def render(self, parts: set[str]) -> dict[str, str]:
        run = Run.objects.get(pk=self.run_id)
        if self.ALL & parts:
            context = fragments.run_page_context(run)
            self.last_seq = context["log"]["last_seq"]
            return fragments.render_parts(
                fragments.RUN_PAGE_PARTS, context, fragments.RUN_PAGE_PARTS
            )
        wanted = [part for part in parts if not part.startswith("+")]
        context = fragments.run_page_context(run, wanted)
        rendered = fragments.render_parts(fragments.RUN_PAGE_PARTS, context, wanted)
        if "+event-log" in parts:
            rendered |= self._new_log_rows()
        return rendered

    def _new_log_rows(self) -> dict[str, str]:
        rows = []
        while events := events_after(run_id=self.run_id, after=self.last_seq):
            rows += fragments.event_rows(events)
            self.last_seq = events[-1].seq
        if not rows:
            return {}
        html = render_to_string("pipeline/partials/event_rows.html", {"rows": rows, "oob": True})
        return {"+event-log": html}
