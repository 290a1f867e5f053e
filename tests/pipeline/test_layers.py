"""The embedded channel layer: Channels' in-memory layer without its O(N²) per event."""

import asyncio

import pytest
from channels.layers import InMemoryChannelLayer

from pipeline.layers import ScalableInMemoryChannelLayer


@pytest.fixture
def layer() -> ScalableInMemoryChannelLayer:
    return ScalableInMemoryChannelLayer()


async def members(layer, count: int, group: str = "run.1") -> list[str]:
    names = [await layer.new_channel() for _ in range(count)]
    for name in names:
        await layer.group_add(group, name)
    return names


async def test_group_send_reaches_every_member_once(layer):
    names = await members(layer, 3)
    await layer.group_send("run.1", {"type": "run.event", "event": {"seq": 1}})
    await layer.group_send("run.1", {"type": "run.event", "event": {"seq": 2}})
    for name in names:
        first, second = await layer.receive(name), await layer.receive(name)
        assert [first["event"]["seq"], second["event"]["seq"]] == [1, 2]
    assert layer.channels == {}  # drained channels are dropped, as Channels does


async def test_the_sender_keeps_its_message_to_itself(layer):
    [name] = await members(layer, 1)
    message = {"type": "run.event", "event": {"seq": 1}}
    await layer.group_send("run.1", message)
    message["event"]["seq"] = 99
    assert (await layer.receive(name))["event"]["seq"] == 1


async def test_a_full_channel_misses_the_message_and_the_others_get_it(layer):
    layer = ScalableInMemoryChannelLayer(capacity=1)
    slow, fast = await members(layer, 2)
    await layer.group_send("run.1", {"type": "run.event", "event": {"seq": 1}})
    await layer.receive(fast)
    await layer.group_send("run.1", {"type": "run.event", "event": {"seq": 2}})
    assert (await layer.receive(fast))["event"]["seq"] == 2
    assert (await layer.receive(slow))["event"]["seq"] == 1
    assert layer.channels == {}


async def test_expired_messages_still_expire_and_leave_their_groups(layer):
    layer = ScalableInMemoryChannelLayer(expiry=0)
    layer.clean_interval = 0
    gone, _ = await members(layer, 2)
    await layer.group_send("run.1", {"type": "run.event", "event": {"seq": 1}})
    await asyncio.sleep(0.01)
    await layer.group_send("run.1", {"type": "run.event", "event": {"seq": 2}})
    # The first message expired unread: its channel left the group, as in Channels.
    assert gone not in layer.groups.get("run.1", {})


async def test_the_expiry_scan_runs_at_most_once_an_interval(layer, monkeypatch):
    scans = []
    monkeypatch.setattr(InMemoryChannelLayer, "_clean_expired", lambda self: scans.append(1))
    names = await members(layer, 50)
    for seq in range(20):
        await layer.group_send("run.1", {"type": "run.event", "event": {"seq": seq}})
    for name in names:
        await layer.receive(name)
    # Channels' own layer scans on every send and every receive: 20 + 50 here.
    assert len(scans) == 1
