"""What a worker writes about the run it holds: the claim (healthchecks' conditional
update with a claim token), the check that it still holds it, the heartbeat, and how the
run ends in its hands, completed or cancelled."""

import os
import socket
import uuid

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pipeline.event_types import EventType, RunCompleted, RunStarted
from pipeline.models import DocProgress, Run, RunStatus
from pipeline.services.common import ms_since
from pipeline.services.errors import Cancelled, ClaimLost
from pipeline.services.eventlog import event_append
from pipeline.services.runs import run_mark_cancelled
from pipeline.services.transitions import run_transition

# What a worker writes while it runs ----------------------------------------------------


def run_claim(*, run_id: int) -> tuple[Run, str] | None:
    """Takes a queued run for this worker; None when it is not queued (done, or taken)."""
    claim = uuid.uuid4().hex
    with transaction.atomic():
        # The run as this worker expects it; the conditional update says if it still is.
        queued = Run(pk=run_id, status=RunStatus.QUEUED)
        claimed = run_transition(
            run=queued,
            to=RunStatus.RUNNING,
            claim=claim,
            worker=f"{socket.gethostname()}:{os.getpid()}",
            last_seq=F("last_seq") + 1,  # the seq of run.started
        )
        if not claimed:
            return None
        run = Run.objects.get(pk=run_id)
        event_append(
            run=run,
            type=EventType.RUN_STARTED,
            seq=run.last_seq,
            payload=RunStarted(recoveries=run.recoveries),
        )
    return run, claim


def run_check_claim(*, run_id: int, claim: str, lock: bool = False) -> None:
    """Raises Cancelled when a cancel was asked for, ClaimLost when the run is not ours."""
    runs = Run.objects.filter(pk=run_id)
    if lock:
        runs = runs.select_for_update()
    status, current, cancel = runs.values_list("status", "claim", "cancel_requested_at").get()
    if status != RunStatus.RUNNING or current != claim:
        raise ClaimLost()
    if cancel is not None:
        raise Cancelled()


def heartbeat(*, run_id: int, claim: str) -> bool:
    return bool(
        Run.objects.filter(pk=run_id, claim=claim, status=RunStatus.RUNNING).update(
            heartbeat_at=timezone.now()
        )
    )


def run_cancelled_by_worker(*, run: Run, step: str) -> None:
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        run_mark_cancelled(run, step=step)


def run_complete(*, run: Run, claim: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        # Only this worker writes the step records while it holds the claim, and the
        # UPDATE below checks that it still does before anything is kept.
        records = run.steps.order_by("position").values_list("name", "status", "duration_ms")
        summary = {
            "duration_ms": ms_since(run.started_at, now),
            "steps": {
                name: {"status": status, "duration_ms": duration}
                for name, status, duration in records
            },
            "failed_documents": {
                str(file_id): error
                for file_id, error in DocProgress.objects.filter(run=run)
                .exclude(error="")
                .values_list("file_id", "error")
            },
        }
        completed = run_transition(
            run=run,
            to=RunStatus.COMPLETED,
            claimed_by=claim,
            no_cancel=True,
            progress=100.0,
            finished_at=now,
            summary=summary,
        )
        if not completed:
            run_check_claim(run_id=run.pk, claim=claim)
            raise ClaimLost()
        event_append(run=run, type=EventType.RUN_COMPLETED, payload=RunCompleted(summary=summary))
