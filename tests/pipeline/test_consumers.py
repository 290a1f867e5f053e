"""`/ws/runs/{id}/` with Channels' WebsocketCommunicator against the real ASGI app."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User

from config.asgi import application
from pipeline import runner, services
from pipeline.events import GROUP_MESSAGE_TYPE, run_group
from projects.models import ApiToken, Membership
from projects.services import api_token_issue

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


def communicator(path: str, *headers: tuple[bytes, bytes]) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, path, headers=list(headers))


async def token_header(user) -> tuple[bytes, bytes]:
    key = await sync_to_async(api_token_issue)(user=user)
    return (b"authorization", f"Token {key}".encode())


async def session_cookie(client, user) -> tuple[bytes, bytes]:
    await sync_to_async(client.force_login)(user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


@pytest.fixture
def finished_run(project_file, alice):
    run = services.run_create(
        subject=project_file.project, pipeline_name="toy", options={}, requested_by=alice
    )
    runner.run_execute(run_id=run.pk)
    run.refresh_from_db()
    return run


async def test_no_credentials_closes_with_4401(finished_run):
    socket = communicator(f"/ws/runs/{finished_run.pk}/", ORIGIN)
    connected, _ = await socket.connect()
    assert connected
    assert (await socket.receive_output())["code"] == 4401


async def test_other_firm_closes_with_4404_like_a_missing_run(finished_run, charlie):
    header = await token_header(charlie)
    for run_id in (finished_run.pk, 10**9):
        socket = communicator(f"/ws/runs/{run_id}/", header)
        await socket.connect()
        assert (await socket.receive_output())["code"] == 4404


async def test_sync_then_replay_after_seq(finished_run, alice):
    socket = communicator(f"/ws/runs/{finished_run.pk}/?after=3", await token_header(alice))
    await socket.connect()
    sync = await socket.receive_json_from()
    assert sync["type"] == "sync"
    assert sync["status"] == "completed"
    assert sync["last_seq"] == finished_run.last_seq
    replayed = [await socket.receive_json_from() for _ in range(finished_run.last_seq - 3)]
    assert [e["seq"] for e in replayed] == list(range(4, finished_run.last_seq + 1))
    assert replayed[-1]["type"] == "run.completed"
    assert await next_is_the_live_event(socket, finished_run)
    await socket.disconnect()


async def test_without_after_only_the_snapshot_is_sent(finished_run, alice):
    socket = communicator(f"/ws/runs/{finished_run.pk}/", await token_header(alice))
    await socket.connect()
    assert (await socket.receive_json_from())["type"] == "sync"
    assert await next_is_the_live_event(socket, finished_run)
    await socket.disconnect()


async def next_is_the_live_event(socket: WebsocketCommunicator, run) -> bool:
    """Whether the next message the socket sends is a live event published now: nothing
    (no replay, no duplicate) came before it. A socket sends in order, so this needs no
    waiting for silence."""
    seq = run.last_seq + 1
    event = {"type": "run.note", "run_id": run.pk, "seq": seq, "ts": "", "note": "live"}
    await get_channel_layer().group_send(
        run_group(run.pk), {"type": GROUP_MESSAGE_TYPE, "event": event}
    )
    return await socket.receive_json_from(timeout=5) == event


async def test_session_needs_our_origin(finished_run, alice, client):
    cookie = await session_cookie(client, alice)
    foreign = communicator(
        f"/ws/runs/{finished_run.pk}/", cookie, (b"origin", b"https://evil.example")
    )
    connected, _ = await foreign.connect()
    assert not connected
    no_origin = communicator(f"/ws/runs/{finished_run.pk}/", cookie)
    connected, _ = await no_origin.connect()
    assert not connected
    ours = communicator(f"/ws/runs/{finished_run.pk}/", cookie, ORIGIN)
    connected, _ = await ours.connect()
    assert connected
    assert (await ours.receive_json_from())["type"] == "sync"
    await ours.disconnect()


async def test_server_pings_and_takes_pong(finished_run, alice, settings):
    settings.PIPELINE_WS_PING_SECONDS = 0.1
    socket = communicator(f"/ws/runs/{finished_run.pk}/", await token_header(alice))
    await socket.connect()
    await socket.receive_json_from()
    ping = await socket.receive_json_from(timeout=2)
    assert ping["type"] == "ping"
    await socket.send_json_to({"type": "pong"})
    assert (await socket.receive_json_from(timeout=2))["type"] == "ping"
    await socket.disconnect()


async def test_live_events_reach_the_socket_without_a_hop_to_the_sync_thread(
    finished_run, alice, monkeypatch
):
    # Channels would close old database connections in the sync thread before every
    # message; these consumers do their database work in database_sync_to_async only.
    hops = []

    async def counted() -> None:
        hops.append(1)

    monkeypatch.setattr("channels.consumer.aclose_old_connections", counted)
    socket = communicator(f"/ws/runs/{finished_run.pk}/", await token_header(alice))
    await socket.connect()
    assert (await socket.receive_json_from())["type"] == "sync"
    seq = finished_run.last_seq + 1
    event = {"type": "progress", "run_id": finished_run.pk, "seq": seq, "ts": "", "percent": 1}
    await get_channel_layer().group_send(
        run_group(finished_run.pk), {"type": GROUP_MESSAGE_TYPE, "event": event}
    )
    assert (await socket.receive_json_from(timeout=2))["seq"] == seq
    await socket.disconnect()
    assert hops == []


async def closed_with(socket: WebsocketCommunicator, pings: int = 20) -> int:
    """Skips pings until the server closes the socket; returns the close code."""
    for _ in range(pings):
        output = await socket.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            return output["code"]
        assert json.loads(output["text"])["type"] == "ping"
    raise AssertionError(f"still open after {pings} pings")


async def test_a_deleted_token_closes_the_socket_at_the_next_ping(finished_run, alice, settings):
    settings.PIPELINE_WS_PING_SECONDS = 0.1
    socket = communicator(f"/ws/runs/{finished_run.pk}/", await token_header(alice))
    await socket.connect()
    assert (await socket.receive_json_from())["type"] == "sync"
    assert (await socket.receive_json_from(timeout=2))["type"] == "ping"
    await sync_to_async(ApiToken.objects.filter(user=alice).delete)()
    assert await closed_with(socket) == 4401


async def test_logging_out_closes_the_session_socket(finished_run, alice, client, settings):
    settings.PIPELINE_WS_PING_SECONDS = 0.1
    socket = communicator(
        f"/ws/runs/{finished_run.pk}/", await session_cookie(client, alice), ORIGIN
    )
    await socket.connect()
    assert (await socket.receive_json_from())["type"] == "sync"
    assert (await socket.receive_json_from(timeout=2))["type"] == "ping"
    await sync_to_async(client.logout)()
    assert await closed_with(socket) == 4401


async def test_a_password_change_elsewhere_closes_the_session_socket(
    finished_run, alice, client, settings
):
    settings.PIPELINE_WS_PING_SECONDS = 0.1
    socket = communicator(
        f"/ws/runs/{finished_run.pk}/", await session_cookie(client, alice), ORIGIN
    )
    await socket.connect()
    assert (await socket.receive_json_from())["type"] == "sync"

    def change_password() -> None:
        alice.set_password("a-new-pass-2026")
        alice.save(update_fields=["password"])

    await sync_to_async(change_password)()
    assert await closed_with(socket) == 4401


async def test_a_deactivated_user_is_closed_out(finished_run, alice, settings):
    settings.PIPELINE_WS_PING_SECONDS = 0.1
    socket = communicator(f"/ws/runs/{finished_run.pk}/", await token_header(alice))
    await socket.connect()
    assert (await socket.receive_json_from())["type"] == "sync"
    await sync_to_async(User.objects.filter(pk=alice.pk).update)(is_active=False)
    assert await closed_with(socket) == 4401


async def test_a_user_moved_to_another_firm_gets_4404(finished_run, alice, charlie, settings):
    settings.PIPELINE_WS_PING_SECONDS = 0.1
    socket = communicator(f"/ws/runs/{finished_run.pk}/", await token_header(alice))
    await socket.connect()
    assert (await socket.receive_json_from())["type"] == "sync"
    await sync_to_async(Membership.objects.filter(user=alice).update)(
        firm_id=await sync_to_async(lambda: charlie.membership.firm_id)()
    )
    assert await closed_with(socket) == 4404


def lose_the_event(run) -> int:
    """An event the database has but the channel layer never delivered (Redis down)."""
    from pipeline.models import Event, Run

    seq = run.last_seq + 1
    Event.objects.create(run=run, seq=seq, type="run.note", payload={"note": "missed"})
    Run.objects.filter(pk=run.pk).update(last_seq=seq)
    return seq


async def test_a_socket_opens_while_the_channel_layer_is_down_and_catches_up_at_pings(
    finished_run, alice, settings, monkeypatch
):
    settings.PIPELINE_WS_PING_SECONDS = 0.1
    layer = get_channel_layer()
    real_group_add = layer.group_add
    down = {"yes": True}

    async def group_add(group, channel):
        if down["yes"]:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        return await real_group_add(group, channel)

    monkeypatch.setattr(layer, "group_add", group_add)
    socket = communicator(f"/ws/runs/{finished_run.pk}/", await token_header(alice))
    connected, _ = await socket.connect()
    assert connected  # not an HTTP 500
    assert (await socket.receive_json_from())["type"] == "sync"

    seq = await sync_to_async(lose_the_event)(finished_run)
    missed = await socket.receive_json_from(timeout=2)
    assert (missed["seq"], missed["type"]) == (seq, "run.note")
    ping = await socket.receive_json_from(timeout=2)
    assert ping == {"type": "ping", "ts": ping["ts"], "last_seq": seq}
    down["yes"] = False
    assert (await socket.receive_json_from(timeout=2))["type"] == "ping"
    await socket.disconnect()
