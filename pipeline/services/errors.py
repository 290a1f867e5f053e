"""What the run services raise: refusals a person or client sees (RunActive, NoInput,
NotAllowed with API.md's error code), the broker being down (BrokerUnavailable, answered
503 by config/overload.py) and the two signals that stop a worker (Cancelled,
ClaimLost), which the runner catches to end its run cleanly."""

from typing import Any


class RunActive(Exception):
    """The subject already has a queued, running or paused run; the message is the one
    pages and the API both show."""

    def __init__(self, run_id: int | None) -> None:
        super().__init__("This project is already being processed.")
        self.run_id = run_id


class NoInput(Exception):
    pass


class NotAllowed(Exception):
    """The run is not in a state that allows this; `code` is API.md's error code."""

    def __init__(self, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.extra = extra


class BrokerUnavailable(Exception):
    """The task queue (Redis, or the queue's database) did not take the task."""


class Cancelled(Exception):
    pass


class ClaimLost(Exception):
    """This worker no longer holds the run (the sweep gave it to another)."""
