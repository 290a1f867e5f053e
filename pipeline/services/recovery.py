"""Recovery and housekeeping: the sweep that hands a run whose worker is gone to a new one
(or fails it as "worker lost" after MAX_RECOVERIES) and redelivers queued runs no worker
picked up, and the cleanup that deletes the logs of old finished runs.
"""

import contextlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django_q.conf import Conf
from django_q.models import OrmQ

from pipeline.event_types import EventType, RunRequeued
from pipeline.models import (
    FINISHED_RUN_STATUSES,
    DocProgress,
    ErrorKind,
    Event,
    Run,
    RunStatus,
    StepRecord,
    StepStatus,
)
from pipeline.services.common import broker, enqueue
from pipeline.services.errors import BrokerUnavailable
from pipeline.services.eventlog import event_append
from pipeline.services.runs import run_mark_cancelled
from pipeline.services.steps import step_fail
from pipeline.services.transitions import run_transition_locked

# A queued run no worker picked up in this long is handed to the queue again when the
# broker holds nothing (its task was lost with a killed cluster); after the longer one,
# whatever the broker says. A duplicate task is harmless: a run is claimed only once.
QUEUED_LOST_SECONDS = 30
QUEUED_STALE_SECONDS = 600
MAX_RECOVERIES = 2
WORKER_LOST = (
    "The worker running this step stopped (restarted, killed or out of memory) "
    "and the run could not be recovered. Press Retry to continue from this step."
)


# Recovery ----------------------------------------------------------------------------------


def run_sweep() -> dict[str, int]:
    """Recovers runs whose worker is gone; queues again runs no worker picked up.

    A running run with a stale heartbeat is handed to a new worker (its unfinished
    step starts over, its finished steps stay) up to MAX_RECOVERIES times, then fails
    with "worker lost", which Retry can continue.
    """
    now = timezone.now()
    # The heartbeat beats every few seconds from its own thread, whatever the step does.
    cutoff = now - timedelta(seconds=settings.PIPELINE_STALE_SECONDS)
    counts = {"requeued": 0, "failed": 0, "cancelled": 0, "redelivered": 0}
    stale = Run.objects.filter(status=RunStatus.RUNNING, heartbeat_at__lt=cutoff).values_list(
        "pk", flat=True
    )
    for run_id in list(stale):
        with transaction.atomic():
            run = Run.objects.select_for_update().get(pk=run_id)
            if run.status != RunStatus.RUNNING or run.heartbeat_at >= cutoff:
                continue
            if run.cancel_requested_at is not None:
                run_mark_cancelled(run, step=run.current_step)
                counts["cancelled"] += 1
            elif run.recoveries < MAX_RECOVERIES:
                run.steps.filter(status=StepStatus.RUNNING).update(
                    status=StepStatus.PENDING, progress=0
                )
                recoveries = run.recoveries + 1
                run_transition_locked(run=run, to=RunStatus.QUEUED, recoveries=recoveries)
                event_append(
                    run=run,
                    type=EventType.RUN_REQUEUED,
                    payload=RunRequeued(
                        step=run.current_step, reason="worker lost", recoveries=recoveries
                    ),
                )
                transaction.on_commit(lambda run_id=run.pk: _enqueue_quietly(run_id))
                counts["requeued"] += 1
            else:
                step_fail(
                    run=run,
                    step=run.current_step,
                    error=WORKER_LOST,
                    kind=ErrorKind.WORKER_LOST,
                    claim=None,
                )
                counts["failed"] += 1
    waiting = Run.objects.filter(
        status=RunStatus.QUEUED, heartbeat_at__lt=now - timedelta(seconds=QUEUED_LOST_SECONDS)
    )
    if waiting.exists() and broker_queue_size() != 0:
        # Tasks wait in the broker: the workers are busy, not robbed. Only the long wait.
        waiting = waiting.filter(heartbeat_at__lt=now - timedelta(seconds=QUEUED_STALE_SECONDS))
    for run_id in list(waiting.values_list("pk", flat=True)):
        if Run.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(heartbeat_at=now):
            try:
                enqueue(run_id)
            except BrokerUnavailable:
                # Marked as handed on: the next sweep past the wait tries again.
                continue
            counts["redelivered"] += 1
    return counts


def broker_queue_size() -> int | None:
    """Tasks waiting in django-q2's broker; None when it cannot be asked (it is down)."""
    try:
        if Conf.ORM:
            # The ORM broker's own count closes this thread's connections first.
            waiting = OrmQ.objects.using(Conf.ORM).filter(
                key=Conf.CLUSTER_NAME, lock__lte=timezone.now()
            )
            return waiting.count()
        return int(broker().queue_size() or 0)
    except Exception:
        return None


def runs_hand_back(*, workers: list[str]) -> int:
    """Queues again the running runs of workers that were stopped (not lost).

    `workers` are Run.worker values ("host:pid"). Their unfinished step starts over in
    the next worker; this is not a recovery from a crash, so it does not count as one.
    """
    handed = 0
    for run_id in list(
        Run.objects.filter(status=RunStatus.RUNNING, worker__in=workers).values_list(
            "pk", flat=True
        )
    ):
        with transaction.atomic():
            run = Run.objects.select_for_update().get(pk=run_id)
            if run.status != RunStatus.RUNNING or run.worker not in workers:
                continue
            if run.cancel_requested_at is not None:
                run_mark_cancelled(run, step=run.current_step)
                continue
            run.steps.filter(status=StepStatus.RUNNING).update(
                status=StepStatus.PENDING, progress=0
            )
            run_transition_locked(run=run, to=RunStatus.QUEUED)
            event_append(
                run=run,
                type=EventType.RUN_REQUEUED,
                payload=RunRequeued(step=run.current_step, reason="worker stopped"),
            )
            transaction.on_commit(lambda run_id=run.pk: _enqueue_quietly(run_id))
            handed += 1
    return handed


def _enqueue_quietly(run_id: int) -> None:
    # Still queued if the broker is down: the sweep delivers it once it is back.
    with contextlib.suppress(BrokerUnavailable):
        enqueue(run_id)


def runs_cleanup(*, older_than_days: int) -> dict[str, int]:
    """Deletes the events and step records of runs finished before the cutoff.

    A project's latest run, when it failed, is kept: Retry still needs its step records.
    """
    cutoff = timezone.now() - timedelta(days=older_than_days)
    latest = Run.objects.filter(project=OuterRef("project")).order_by("-created_at", "-id")
    # Retry continues a project's latest failed run from its step records, so a run that
    # can still be retried keeps them (without them its worker would crash on Retry).
    old = Run.objects.filter(status__in=FINISHED_RUN_STATUSES, finished_at__lt=cutoff).exclude(
        status=RunStatus.FAILED, pk=Subquery(latest.values("pk")[:1])
    )
    with transaction.atomic():
        events, _ = Event.objects.filter(run__in=old).delete()
        steps, _ = StepRecord.objects.filter(run__in=old).delete()
        documents, _ = DocProgress.objects.filter(run__in=old).delete()
    return {"runs": old.count(), "events": events, "step_records": steps, "documents": documents}
