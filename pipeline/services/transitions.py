"""Run status: which status may follow which (one table), and the one function that moves
a run, with the timestamps each status carries.

DESIGN.md: `queued → running → (awaiting_review → running) → completed | failed |
cancelled`, plus what recovery and steering add: a running run whose worker is gone or
stopped is queued again, a paused run is queued again when its review is done (a worker
then claims it), a failed one by Retry, and any active run can be cancelled.

`run_transition` is healthchecks' conditional update: the row changes only if the run is
still in the status the caller read (and, for a worker, still holds its claim), and the
row count says whether it did. The table is checked first, so a move it does not list
never reaches the database.
"""

from collections.abc import Mapping
from typing import Any

from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from pipeline.models import Run, RunStatus

QUEUED, RUNNING, AWAITING_REVIEW = RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.AWAITING_REVIEW
COMPLETED, FAILED, CANCELLED = RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED

RUN_TRANSITIONS: Mapping[RunStatus, frozenset[RunStatus]] = {
    # A worker claims it, or a person cancels it before one does.
    QUEUED: frozenset({RUNNING, CANCELLED}),
    # It ends, pauses for review, or goes back to the queue (worker lost or stopped).
    RUNNING: frozenset({COMPLETED, FAILED, CANCELLED, AWAITING_REVIEW, QUEUED}),
    # Resume queues it for a worker; or it is cancelled while it waits.
    AWAITING_REVIEW: frozenset({QUEUED, CANCELLED}),
    # Retry continues it from the failed step.
    FAILED: frozenset({QUEUED}),
    COMPLETED: frozenset(),
    CANCELLED: frozenset(),
}


class TransitionRefused(Exception):
    """A status change the table does not allow: a bug in the caller, never a user's."""

    def __init__(self, source: str, target: str) -> None:
        super().__init__(f"A run cannot go from {source} to {target}.")
        self.source = source
        self.target = target


def transition_allowed(source: str, target: str) -> bool:
    return RunStatus(target) in RUN_TRANSITIONS[RunStatus(source)]


def transition_check(source: str, target: str) -> None:
    """Raises TransitionRefused unless the table allows `source` → `target`."""
    if not transition_allowed(source, target):
        raise TransitionRefused(source, target)


def status_stamps(target: RunStatus, now: Any) -> dict[str, Any]:
    """What a run's other fields become when it enters `target`.

    Queued and paused runs belong to no worker (no claim); a queued run's heartbeat is
    when it was queued (the sweep redelivers it after a while), a paused one has none (a
    person may take days). A finished run says when it finished.
    """
    if target == RUNNING:
        return {"heartbeat_at": now, "started_at": Coalesce(F("started_at"), Value(now))}
    if target == QUEUED:
        return {"heartbeat_at": now, "claim": "", "finished_at": None}
    if target == AWAITING_REVIEW:
        return {"heartbeat_at": None, "claim": ""}
    return {"finished_at": now, "claim": ""}


def run_transition(
    *,
    run: Run,
    to: RunStatus,
    claimed_by: str | None = None,
    no_cancel: bool = False,
    **changes: Any,
) -> bool:
    """Moves the run from the status it has in memory (`run.status`) to `to`.

    Raises TransitionRefused when the table does not allow it. Returns False when the
    row was no longer in that status (another writer was first) or, with `claimed_by`
    (a worker's claim token), when that worker no longer holds the run (with
    `no_cancel`, also when a cancel was asked); the caller decides what that means.
    `changes` are the other fields of the change (error, summary, …); the status's own
    stamps are set here.
    """
    transition_check(run.status, to)
    rows = Run.objects.filter(pk=run.pk, status=run.status)
    if claimed_by is not None:
        rows = rows.filter(claim=claimed_by)
    if no_cancel:
        rows = rows.filter(cancel_requested_at__isnull=True)
    values = {**status_stamps(to, timezone.now()), **changes, "status": to}
    if rows.update(**values) != 1:
        return False
    for name, value in values.items():
        # Expressions (a counter, "first start") are read back by whoever needs them.
        if not hasattr(value, "resolve_expression"):
            setattr(run, name, value)
    return True


def run_transition_locked(*, run: Run, to: RunStatus, **changes: Any) -> None:
    """`run_transition` for a caller that holds the run's row lock and read its status
    under it: the row cannot have moved, so a refusal is a bug, raised."""
    source = run.status
    if not run_transition(run=run, to=to, **changes):
        raise TransitionRefused(source, to)
