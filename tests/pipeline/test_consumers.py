"""`/ws/runs/{id}/` with Channels' WebsocketCommunicator against the real ASGI app."""

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from config.asgi import application
from pipeline import runner, services
from pipeline.events import GROUP_MESSAGE_TYPE, run_group
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
    assert await socket.receive_nothing(timeout=0.2)
    await socket.disconnect()


async def test_without_after_only_the_snapshot_is_sent(finished_run, alice):
    socket = communicator(f"/ws/runs/{finished_run.pk}/", await token_header(alice))
    await socket.connect()
    assert (await socket.receive_json_from())["type"] == "sync"
    assert await socket.receive_nothing(timeout=0.2)
    await socket.disconnect()


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
