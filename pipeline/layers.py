"""The embedded default's channel layer: Channels' in-memory layer, made to scale.

Channels' `InMemoryChannelLayer` scans every channel and group for expired messages on
each `group_send` and on each `receive`, and deep-copies a message for every member of a
group. With N sockets watching one run, one event costs O(N²): at 500 sockets daphne
spent its time scanning (bench/ws_latency.py, bench/RESULTS.md). Here the scan runs at
most once a second, and a group's members share one copy of the message (consumers
only read messages).
"""

import asyncio
import time
from copy import deepcopy
from typing import Any

from channels.layers import InMemoryChannelLayer


class ScalableInMemoryChannelLayer(InMemoryChannelLayer):
    clean_interval = 1.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._cleaned_at = 0.0

    def _clean_expired(self) -> None:
        # Expiry is measured in a minute (channels) and a day (groups): checking it more
        # than once a second only burns time.
        now = time.monotonic()
        if now - self._cleaned_at < self.clean_interval:
            return
        self._cleaned_at = now
        super()._clean_expired()

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        expires = time.time() + self.expiry
        shared = deepcopy(message)
        for channel in list(self.groups.get(group, {})):
            queue = self.channels.setdefault(
                channel, asyncio.Queue(maxsize=self.get_capacity(channel))
            )
            try:
                queue.put_nowait((expires, shared))
            except asyncio.QueueFull:
                # As Channels does: a full channel (a client far behind) misses it; the
                # consumers fill gaps from the event table.
                continue
        # Channels' group_send yields to the loop once per member; keep one yield so a
        # burst of sends cannot starve the receivers.
        await asyncio.sleep(0)
