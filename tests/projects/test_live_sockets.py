"""The pages' htmx sockets, with Channels' WebsocketCommunicator against the real ASGI app.

`/ws/projects/{id}/` (project page), `/ws/projects/` (project list) and
`/ws/runs/{id}/live/` (run page) send HTML fragments with hx-swap-oob.
"""

import asyncio
import re
import time

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from config.asgi import application
from pipeline import runner, services
from pipeline.consumers import LiveFragmentConsumer
from pipeline.events import project_group
from pipeline.models import Run
from projects import fragments
from projects.consumers import ProjectPageConsumer
from projects.models import Membership
from projects.services import project_file_delete, project_files_add
from tests.conftest import MEHTA_CSV, SGP_TB_2025, make_user, sample

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


@pytest.fixture(autouse=True)
def _toy(settings):
    settings.PIPELINE_DEFAULT = "toy"
    settings.PIPELINE_HEARTBEAT_SECONDS = 3600


async def cookie_for(client, user) -> tuple[bytes, bytes]:
    await sync_to_async(client.force_login)(user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


async def open_socket(path: str, *headers: tuple[bytes, bytes]) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(application, path, headers=[ORIGIN, *headers])
    connected, _ = await socket.connect()
    assert connected
    return socket


def step_state(html: str, step: str) -> str | None:
    match = re.search(rf'data-step="{step}" data-status="(\w+)"', html)
    return match.group(1) if match else None


def new_run(project, user, **options) -> Run:
    return services.run_create(
        subject=project, pipeline_name="toy", options=options, requested_by=user
    )


def start_first_step(run: Run) -> None:
    """What a worker does first: claim the run and start extract."""
    claimed, claim = services.run_claim(run_id=run.pk)
    services.step_start(run=claimed, position=0, attempt=1, claim=claim)


async def test_no_login_closes_with_4401(project_file):
    for path in (f"/ws/projects/{project_file.project_id}/", "/ws/projects/"):
        socket = await open_socket(path)
        assert (await socket.receive_output())["code"] == 4401


async def test_another_firms_project_closes_with_4404_like_a_missing_one(
    project_file, charlie, client
):
    cookie = await cookie_for(client, charlie)
    for project_id in (project_file.project_id, 10**9):
        socket = await open_socket(f"/ws/projects/{project_id}/", cookie)
        assert (await socket.receive_output())["code"] == 4404


async def test_another_firms_run_page_closes_with_4404(project_file, alice, charlie, client):
    run = await sync_to_async(new_run)(project_file.project, alice)
    socket = await open_socket(f"/ws/runs/{run.pk}/live/", await cookie_for(client, charlie))
    assert (await socket.receive_output())["code"] == 4404


async def test_a_session_socket_needs_our_origin(project_file, alice, client):
    cookie = await cookie_for(client, alice)
    path = f"/ws/projects/{project_file.project_id}/"
    for headers in ([cookie, (b"origin", b"https://evil.example")], [cookie]):
        socket = WebsocketCommunicator(application, path, headers=headers)
        connected, _ = await socket.connect()
        assert not connected


async def test_connect_sends_the_current_state_first(project_file, alice, client):
    run = await sync_to_async(new_run)(project_file.project, alice, toy_review=2)
    await sync_to_async(runner.run_execute)(run_id=run.pk)
    socket = await open_socket(
        f"/ws/projects/{project_file.project_id}/", await cookie_for(client, alice)
    )
    html = await socket.receive_from(timeout=5)
    for part in ("project-status", "run-controls", "stepper", "progress", "documents"):
        assert f'id="{part}"' in html
    parts = ("review-summary", "process-panel", "files", "outputs", "report-summary", "run-history")
    for part in parts:
        assert f'id="{part}"' in html
    assert html.count('hx-swap-oob="true"') == 12
    assert step_state(html, "classify") == "completed"
    assert step_state(html, "review") == "awaiting_review"
    assert step_state(html, "validate") == "pending"
    assert "Resume" in html
    await socket.disconnect()


async def test_many_viewers_of_a_project_share_its_renders(
    project_file, alice, client, monkeypatch
):
    monkeypatch.setattr(LiveFragmentConsumer, "settle_seconds", 60)  # only events render
    renders = []

    def counted(**kwargs):
        renders.append(kwargs)
        return real_render(**kwargs)

    real_render = fragments.render_project_parts
    monkeypatch.setattr(fragments, "render_project_parts", counted)
    run = await sync_to_async(new_run)(project_file.project, alice)
    cookie = await cookie_for(client, alice)
    path = f"/ws/projects/{project_file.project_id}/"
    sockets = [await open_socket(path, cookie) for _ in range(10)]
    for socket in sockets:
        await socket.receive_from(timeout=5)
    assert len(renders) == 10  # a first render is each socket's own
    seq_before = await sync_to_async(lambda: run.events.count())()

    await sync_to_async(start_first_step)(run)
    for socket in sockets:
        html = ""
        while step_state(html, "extract") != "running":
            html = await socket.receive_from(timeout=5)
    events = await sync_to_async(lambda: run.events.count())() - seq_before
    # At most one render per event for all ten sockets, not one per socket.
    assert 1 <= len(renders) - 10 <= events < 10
    for socket in sockets:
        await socket.disconnect()


async def test_files_added_or_removed_show_on_every_open_page(project_file, alice, bob, client):
    socket = await open_socket(
        f"/ws/projects/{project_file.project_id}/", await cookie_for(client, alice)
    )
    first = await socket.receive_from(timeout=5)
    assert "trial-balance-2024-25.xlsx" not in first

    # A colleague uploads from their own browser: no run, no event.
    [added] = await sync_to_async(project_files_add)(
        project=project_file.project, uploads=[sample(SGP_TB_2025)], user=bob
    )
    html = ""
    while added.name not in html:
        html = await socket.receive_from(timeout=3)
    assert 'id="files"' in html

    await sync_to_async(project_file_delete)(project_file=added)
    html = await socket.receive_from(timeout=3)
    while 'id="files"' not in html:
        html = await socket.receive_from(timeout=3)
    assert added.name not in html
    await socket.disconnect()


async def test_an_event_pushes_the_new_step_state(project_file, alice, client):
    run = await sync_to_async(new_run)(project_file.project, alice)
    socket = await open_socket(
        f"/ws/projects/{project_file.project_id}/", await cookie_for(client, alice)
    )
    first = await socket.receive_from(timeout=5)
    assert step_state(first, "extract") == "pending"
    assert "Queued" in first

    # A worker starts the run: its events reach the group through the relay.
    await sync_to_async(start_first_step)(run)
    pushed = await socket.receive_from(timeout=5)
    assert step_state(pushed, "extract") == "running"
    assert 'id="project-status" class="badge status-extracting"' in pushed
    assert "Cancel run" in pushed
    await socket.disconnect()


async def test_fragments_are_read_from_the_database_not_from_the_event(project_file, alice, client):
    # An event that is older than the database (a late or duplicated message) can
    # never bring back an older step state: what is rendered is what is stored.
    run = await sync_to_async(new_run)(project_file.project, alice)
    socket = await open_socket(
        f"/ws/projects/{project_file.project_id}/", await cookie_for(client, alice)
    )
    await socket.receive_from(timeout=5)
    await sync_to_async(runner.run_execute)(run_id=run.pk)
    html = ""
    while step_state(html, "generate") != "completed":
        html = await socket.receive_from(timeout=5)
    stale = {"type": "step.started", "run_id": run.pk, "seq": 3, "step": "extract"}
    await get_channel_layer().group_send(
        project_group(project_file.project_id), {"type": "run.event", "event": stale}
    )
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def test_a_burst_of_progress_is_coalesced(project_file, alice, client, monkeypatch):
    monkeypatch.setattr(LiveFragmentConsumer, "settle_seconds", 3600)  # only events render
    burst = 30
    renders: list[tuple[int, int] | None] = []
    real_render = ProjectPageConsumer.render

    def render_once_the_burst_is_in(self, parts):
        # The burst's first render waits (in its thread) until the socket has received
        # the burst's last event: on any machine, however slow, every event of the burst
        # then arrives while a render is pending or in flight, which is when they must
        # join one render instead of asking for one each.
        renders.append(self.newest_event)
        if self.newest_event is not None:
            deadline = time.monotonic() + 10
            while self.newest_event[1] < burst and time.monotonic() < deadline:
                time.sleep(0.001)
        return real_render(self, parts)

    monkeypatch.setattr(ProjectPageConsumer, "render", render_once_the_burst_is_in)
    await sync_to_async(new_run)(project_file.project, alice)
    socket = await open_socket(
        f"/ws/projects/{project_file.project_id}/", await cookie_for(client, alice)
    )
    await socket.receive_from(timeout=5)
    assert renders == [None]  # the socket's first render
    runs = Run.objects.filter(project=project_file.project)
    await sync_to_async(runs.update)(progress=burst)
    layer = get_channel_layer()
    group = project_group(project_file.project_id)
    for done in range(1, burst + 1):
        event = {"type": "step.progress", "run_id": 0, "seq": done, "done": done, "total": burst}
        await layer.group_send(group, {"type": "run.event", "event": event})
    pushed = await socket.receive_from(timeout=5)
    assert f'aria-valuenow="{burst}.0"' in pushed

    # One more event, after the burst: once its render is sent, every render the burst
    # asked for is done (a socket renders in order), so they can be counted.
    await sync_to_async(runs.update)(progress=burst + 1)
    event = {"type": "step.progress", "run_id": 0, "seq": burst + 1, "done": 1, "total": 1}
    await layer.group_send(group, {"type": "run.event", "event": event})
    html = ""
    while f'aria-valuenow="{burst + 1}.0"' not in html:
        html = await socket.receive_from(timeout=5)
    # The burst's render, perhaps one for events that came during it, and the last
    # event's: never one per event.
    assert 2 <= len(renders) - 1 <= 3
    await socket.disconnect()


async def test_parts_that_did_not_change_are_not_sent_again(project_file, alice, client):
    run = await sync_to_async(new_run)(project_file.project, alice)
    socket = await open_socket(
        f"/ws/projects/{project_file.project_id}/", await cookie_for(client, alice)
    )
    await socket.receive_from(timeout=5)
    event = {"type": "run.queued", "run_id": run.pk, "seq": 1}
    await get_channel_layer().group_send(
        project_group(project_file.project_id), {"type": "run.event", "event": event}
    )
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def test_the_list_socket_follows_every_listed_project(project_file, alice, client):
    other = await sync_to_async(make_user)("erin@acme.test", "Acme Associates", "staff")
    run = await sync_to_async(new_run)(project_file.project, other)
    socket = await open_socket("/ws/projects/", await cookie_for(client, alice))
    first = await socket.receive_from(timeout=5)
    badge = f'id="project-{project_file.project_id}-status"'
    assert badge in first
    assert "Queued" in first

    await sync_to_async(start_first_step)(run)
    pushed = await socket.receive_from(timeout=5)
    assert badge in pushed
    assert "Extracting · 0 %" in pushed
    await socket.disconnect()


async def test_the_list_socket_follows_only_the_projects_of_its_page(
    project_file, alice, client, make_project
):
    term = await sync_to_async(make_project)(alice, "Term loan")
    await sync_to_async(project_files_add)(project=term, uploads=[sample(MEHTA_CSV)], user=alice)
    socket = await open_socket("/ws/projects/?q=term", await cookie_for(client, alice))
    first = await socket.receive_from(timeout=5)
    assert f'id="project-{term.pk}-status"' in first
    assert f'id="project-{project_file.project_id}-status"' not in first

    await sync_to_async(new_run)(project_file.project, alice)  # not on this page
    assert await socket.receive_nothing(timeout=0.5)
    await sync_to_async(new_run)(term, alice)
    assert f'id="project-{term.pk}-status"' in await socket.receive_from(timeout=5)
    await socket.disconnect()


async def test_the_list_socket_shows_nothing_of_another_firm(project_file, charlie, client):
    socket = await open_socket("/ws/projects/", await cookie_for(client, charlie))
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_the_run_page_socket_appends_new_events_in_order(project_file, alice, client):
    run = await sync_to_async(new_run)(project_file.project, alice)
    socket = await open_socket(f"/ws/runs/{run.pk}/live/", await cookie_for(client, alice))
    first = await socket.receive_from(timeout=5)
    assert 'id="event-log"' in first
    assert 'id="event-1"' in first  # run.queued
    assert 'id="timeline"' in first

    await sync_to_async(start_first_step)(run)
    appended = ""
    while 'id="event-3"' not in appended:
        appended += await socket.receive_from(timeout=5)
    assert 'hx-swap-oob="beforeend"' in appended
    assert appended.index('id="event-2"') < appended.index('id="event-3"')
    assert '<span class="log-type">Step started</span><span class="log-text">Extract' in appended
    assert 'id="event-1"' not in appended
    await socket.disconnect()


async def test_the_project_page_closes_when_its_user_leaves_the_firm(
    project_file, alice, charlie, client, settings
):
    settings.PIPELINE_WS_PING_SECONDS = 0.1
    socket = await open_socket(
        f"/ws/projects/{project_file.project_id}/", await cookie_for(client, alice)
    )
    await socket.receive_from(timeout=5)
    await sync_to_async(Membership.objects.filter(user=alice).update)(
        firm_id=await sync_to_async(lambda: charlie.membership.firm_id)()
    )
    for _ in range(20):
        output = await socket.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            break
        assert output["text"] == "<!-- ping -->"
    assert output == {"type": "websocket.close", "code": 4404}


async def test_the_list_socket_follows_a_project_created_after_it_opened(
    project_file, alice, client, settings, make_project
):
    settings.PIPELINE_WS_PING_SECONDS = 0.1
    socket = await open_socket("/ws/projects/", await cookie_for(client, alice))
    await socket.receive_from(timeout=5)
    later = await sync_to_async(make_project)(alice, "Term loan")
    await sync_to_async(project_files_add)(project=later, uploads=[sample(MEHTA_CSV)], user=alice)
    assert await socket.receive_from(timeout=3) == "<!-- ping -->"  # followed again

    await sync_to_async(new_run)(later, alice)
    while (html := await socket.receive_from(timeout=3)) == "<!-- ping -->":
        pass
    assert f'id="project-{later.pk}-status"' in html
    assert "Queued" in html
    await socket.disconnect()


async def _receive_until(socket: WebsocketCommunicator, text: str) -> str:
    """The next message containing `text`, skipping pings and other parts (pings keep
    coming: without a bound a page that never catches up would wait forever)."""
    html = ""
    async with asyncio.timeout(5):
        while text not in html:
            html = await socket.receive_from(timeout=3)
    return html


async def test_the_project_page_catches_up_on_what_the_channel_layer_lost(
    project_file, alice, bob, client, settings, monkeypatch
):
    settings.PIPELINE_WS_PING_SECONDS = 0.1
    # Only the ping may notice: no late settle render to stand in for it.
    monkeypatch.setattr(LiveFragmentConsumer, "settle_seconds", 3600)
    socket = await open_socket(
        f"/ws/projects/{project_file.project_id}/", await cookie_for(client, alice)
    )
    first = await socket.receive_from(timeout=5)
    assert "No runs yet." in first

    # Redis restarting: every message to the project's group is lost on the way.
    layer = get_channel_layer()
    real_group_send = layer.group_send
    lost: list[str] = []

    async def group_send(group, message):
        if group == project_group(project_file.project_id):
            lost.append(message["type"])
            return None
        return await real_group_send(group, message)

    monkeypatch.setattr(layer, "group_send", group_send)
    # A colleague uploads (subject.changed lost), then a run starts (its events lost).
    [added] = await sync_to_async(project_files_add)(
        project=project_file.project, uploads=[sample(SGP_TB_2025)], user=bob
    )
    assert added.name in await _receive_until(socket, 'id="files"')
    run = await sync_to_async(new_run)(project_file.project, alice)
    await sync_to_async(start_first_step)(run)
    pushed = await _receive_until(socket, 'data-step="extract" data-status="running"')
    assert 'id="project-status" class="badge status-extracting"' in pushed
    # The page learnt it from its pings: every message about it was dropped.
    assert "subject.changed" in lost and len(lost) >= 3
    await socket.disconnect()
