"""Shared renders: one render per key and event for the sockets of a process."""

import asyncio

import pytest

from pipeline.renders import SharedRenders, shared_renders


class Renderer:
    """A render that takes a moment, as a database read does, and counts its calls."""

    def __init__(self, fail: bool = False) -> None:
        self.calls = 0
        self.fail = fail

    async def __call__(self) -> dict[str, str]:
        self.calls += 1
        await asyncio.sleep(0.01)
        if self.fail:
            raise RuntimeError("the database went away")
        return {"part": f"render {self.calls}"}


async def test_sockets_asking_for_one_key_share_one_render():
    renders, render = SharedRenders(), Renderer()
    results = await asyncio.gather(*(renders.get(("p", 1), render) for _ in range(20)))
    assert render.calls == 1
    assert all(result == {"part": "render 1"} for result in results)


async def test_a_later_event_or_another_key_renders_again():
    renders, render = SharedRenders(), Renderer()
    await renders.get(("p", 1, (7, 3)), render)
    await renders.get(("p", 1, (7, 4)), render)  # a newer event
    await renders.get(("p", 2, (7, 4)), render)  # another project
    assert render.calls == 3


async def test_a_render_is_forgotten_after_its_time():
    renders, render = SharedRenders(ttl=0.0), Renderer()
    await renders.get("k", render)
    await asyncio.sleep(0.001)
    await renders.get("k", render)
    assert render.calls == 2
    assert len(renders) == 1


async def test_a_failed_render_fails_its_waiters_and_is_not_kept():
    renders, failing = SharedRenders(), Renderer(fail=True)
    results = await asyncio.gather(
        renders.get("k", failing), renders.get("k", failing), return_exceptions=True
    )
    assert failing.calls == 1
    assert all(isinstance(result, RuntimeError) for result in results)
    assert await renders.get("k", Renderer()) == {"part": "render 1"}


async def test_a_socket_that_leaves_while_waiting_does_not_cancel_the_others():
    renders, render = SharedRenders(), Renderer()
    leaving = asyncio.ensure_future(renders.get("k", render))
    staying = asyncio.ensure_future(renders.get("k", render))
    await asyncio.sleep(0)
    leaving.cancel()
    assert await staying == {"part": "render 1"}
    with pytest.raises(asyncio.CancelledError):
        await leaving


async def test_each_event_loop_has_its_own():
    assert shared_renders() is shared_renders()
    other = await asyncio.to_thread(lambda: asyncio.run(_renders_of_a_new_loop()))
    assert other is not shared_renders()


async def _renders_of_a_new_loop() -> SharedRenders:
    return shared_renders()
