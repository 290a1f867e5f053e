"""The only writers of Run, StepRecord, DocProgress and Event.

Every change is one transaction that also appends the event describing it. Work is
claimed with a conditional update and a claim token (healthchecks' pattern): whoever
does not hold the run's current claim writes nothing, so a redelivered task, or a
worker that comes back after the sweep gave its run away, cannot double any work.
"""

import logging
import os
import socket
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Model, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from pipeline import engine, registry
from pipeline.events import event_append, events_append, run_advance
from pipeline.models import (
    ACTIVE_RUN_STATUSES,
    DocProgress,
    ErrorKind,
    Run,
    RunStatus,
    StepRecord,
    StepStatus,
)
from pipeline.sql import rows_update

log = logging.getLogger(__name__)

# A queued run no worker picked up in this long is handed to the queue again.
QUEUED_STALE_SECONDS = 600
MAX_RECOVERIES = 2
WORKER_LOST = (
    "The worker running this step stopped (restarted, killed or out of memory) "
    "and the run could not be recovered. Press Retry to continue from this step."
)


class RunActive(Exception):
    def __init__(self, run_id: int | None) -> None:
        super().__init__("This project already has an active run.")
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


class Cancelled(Exception):
    pass


class ClaimLost(Exception):
    """This worker no longer holds the run (the sweep gave it to another)."""


def _now() -> Any:
    return timezone.now()


def enqueue(run_id: int) -> None:
    """Hands the run to a worker; the task carries only the id."""
    from django_q.tasks import async_task

    async_task(
        "pipeline.tasks.execute_run",
        run_id,
        task_name=f"run-{run_id}-{uuid.uuid4().hex[:8]}",
        group="pipeline",
    )


# Starting and steering runs ------------------------------------------------------------


def run_create(
    *,
    subject: Model,
    pipeline_name: str,
    options: dict[str, Any],
    requested_by: Any = None,
) -> Run:
    """Queues a new run of the pipeline for the subject.

    Raises InvalidOptions, NoInput, or RunActive (with the active run's id) when the
    subject already has a queued, running or paused run: the database enforces that.
    """
    pipeline = registry.get(pipeline_name)
    subjects = registry.subjects()
    options = engine.options_validate(
        options, step_names=pipeline.step_names, extra=pipeline.options
    )
    if not subjects.has_input(subject):
        raise NoInput("Upload at least one file before processing.")
    try:
        with transaction.atomic():
            now = _now()
            run = Run.objects.create(
                project=subject,
                tenant_id=subjects.tenant_of(subject),
                pipeline=pipeline.name,
                options=options,
                input_size=max(1, subjects.input_size(subject)),
                requested_by=requested_by if getattr(requested_by, "pk", None) else None,
                heartbeat_at=now,
            )
            StepRecord.objects.bulk_create(
                StepRecord(run=run, name=step.name, position=i)
                for i, step in enumerate(pipeline.steps)
            )
            event_append(run=run, type="run.queued", payload={"options": options})
            transaction.on_commit(lambda: enqueue(run.pk))
    except IntegrityError:
        active = Run.objects.filter(project=subject, status__in=ACTIVE_RUN_STATUSES).first()
        raise RunActive(active.pk if active else None) from None
    return run


def run_cancel(*, run: Run) -> Run:
    """Stops a run: at once when no worker holds it, else at the worker's next tick."""
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        if not run.is_active:
            raise NotAllowed("already_finished", f"The run is already {run.status}.")
        if run.status == RunStatus.RUNNING:
            if run.cancel_requested_at is None:
                Run.objects.filter(pk=run.pk).update(cancel_requested_at=_now())
                run.cancel_requested_at = _now()
                event_append(
                    run=run, type="run.cancel_requested", payload={"step": run.current_step}
                )
            return run
        _mark_cancelled(run, step=run.current_step)
    return run


def run_retry(*, subject: Model) -> Run:
    """Queues the subject's failed run again, from the step that failed."""
    with transaction.atomic():
        run = _latest_run_locked(subject)
        if run is None or run.status != RunStatus.FAILED:
            raise NotAllowed("not_failed", "Only a failed run can be retried.")
        failed = run.steps.filter(status__in=[StepStatus.FAILED, StepStatus.RUNNING])
        step = failed.values_list("name", flat=True).first() or run.current_step
        failed.update(status=StepStatus.PENDING, progress=0, error="", error_kind="")
        try:
            with transaction.atomic():
                Run.objects.filter(pk=run.pk).update(
                    status=RunStatus.QUEUED,
                    error="",
                    error_kind="",
                    finished_at=None,
                    cancel_requested_at=None,
                    claim="",
                    recoveries=0,
                    heartbeat_at=_now(),
                )
        except IntegrityError:
            active = Run.objects.filter(project=subject, status__in=ACTIVE_RUN_STATUSES).first()
            raise RunActive(active.pk if active else None) from None
        run.refresh_from_db()
        event_append(run=run, type="run.queued", payload={"reason": "retry", "step": step})
        transaction.on_commit(lambda: enqueue(run.pk))
    return run


def run_resume(*, subject: Model, decided_by: Any = None) -> Run:
    """Continues a run paused for review, after the review step; every item must be decided."""
    with transaction.atomic():
        run = _latest_run_locked(subject)
        if run is None or run.status != RunStatus.AWAITING_REVIEW:
            raise NotAllowed("not_awaiting_review", "The run is not waiting for review.")
        pipeline = registry.get(run.pipeline)
        pending = _review_summary(pipeline, run)["pending"]
        if pending:
            raise NotAllowed(
                "review_pending", f"{pending} review items are still pending.", count=pending
            )
        now = _now()
        paused = run.steps.select_for_update().filter(status=StepStatus.AWAITING_REVIEW).first()
        if paused is not None:
            StepRecord.objects.filter(pk=paused.pk).update(
                status=StepStatus.COMPLETED,
                completed_at=now,
                duration_ms=_ms_since(paused.started_at, now),
                progress=100,
            )
            done_status = pipeline.step(paused.name).done_status
            if done_status:
                registry.subjects().set_status(run.project_id, done_status)
            event_append(
                run=run,
                type="step.completed",
                payload={
                    "step": paused.name,
                    "duration_ms": _ms_since(paused.started_at, now),
                    "metadata": paused.metadata,
                },
            )
        Run.objects.filter(pk=run.pk).update(status=RunStatus.QUEUED, heartbeat_at=now)
        run.status = RunStatus.QUEUED
        event_append(run=run, type="run.queued", payload={"reason": "resume"})
        transaction.on_commit(lambda: enqueue(run.pk))
    return run


def _latest_run_locked(subject: Model) -> Run | None:
    latest = (
        Run.objects.filter(project=subject)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if latest is None:
        return None
    return Run.objects.select_for_update().get(pk=latest)


def _review_summary(pipeline: registry.Pipeline, run: Run) -> dict[str, int]:
    summary = {"pending": 0, "approved": 0, "corrected": 0}
    if pipeline.review_summary is not None:
        summary |= pipeline.review_summary(run)
    return summary


# What a worker writes while it runs ----------------------------------------------------


def run_claim(*, run_id: int) -> tuple[Run, str] | None:
    """Takes a queued run for this worker; None when it is not queued (done, or taken)."""
    claim = uuid.uuid4().hex
    now = _now()
    with transaction.atomic():
        claimed = Run.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
            status=RunStatus.RUNNING,
            claim=claim,
            heartbeat_at=now,
            worker=f"{socket.gethostname()}:{os.getpid()}",
            started_at=Coalesce(F("started_at"), Value(now)),
            last_seq=F("last_seq") + 1,  # the seq of run.started
        )
        if claimed != 1:
            return None
        run = Run.objects.get(pk=run_id)
        event_append(
            run=run,
            type="run.started",
            seq=run.last_seq,
            payload={"recoveries": run.recoveries},
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
            heartbeat_at=_now()
        )
    )


def step_start(*, run: Run, position: int, attempt: int, claim: str) -> Any:
    """Marks the step running; returns when it started (its first attempt)."""
    pipeline = registry.get(run.pipeline)
    step = pipeline.steps[position]
    now = _now()
    progress = engine.run_progress(pipeline.weights, position, 0.0)
    with transaction.atomic():
        seq = run_advance(
            run, claim=claim, current_step=step.name, progress=progress, heartbeat_at=now
        )
        if seq is None:
            run_check_claim(run_id=run.pk, claim=claim)
            raise ClaimLost()
        if attempt == 1:
            _step_record_started(run, step.name, now)
            started_at = now
        else:
            record = StepRecord.objects.filter(run=run, name=step.name)
            record.update(status=StepStatus.RUNNING, progress=0, attempts=F("attempts") + 1)
            started_at = record.values_list("started_at", flat=True).get()
        if step.running_status:
            registry.subjects().set_status(run.project_id, step.running_status)
        event_append(
            run=run,
            type="step.started",
            seq=seq,
            payload=_started_payload(step.name, position, attempt, progress),
        )
    return started_at


def _step_record_started(run: Run, step: str, now: Any) -> None:
    rows_update(
        StepRecord,
        where={"run": run.pk, "name": step},
        values={
            "status": StepStatus.RUNNING,
            "started_at": now,
            "completed_at": None,
            "progress": 0.0,
            "error": "",
            "error_kind": "",
        },
        increment=["attempts"],
    )


def _started_payload(step: str, position: int, attempt: int, progress: float) -> dict[str, Any]:
    return {"step": step, "position": position, "attempt": attempt, "pipeline_progress": progress}


def step_progress(*, run: Run, step: str, position: int, done: int, total: int, claim: str) -> None:
    pipeline = registry.get(run.pipeline)
    fraction = done / total if total else 1.0
    progress = engine.run_progress(pipeline.weights, position, fraction)
    with transaction.atomic():
        seq = run_advance(run, claim=claim, no_cancel=True, progress=progress, heartbeat_at=_now())
        if seq is None:
            run_check_claim(run_id=run.pk, claim=claim)
            raise ClaimLost()
        rows_update(
            StepRecord,
            where={"run": run.pk, "name": step},
            values={"progress": round(fraction * 100, 1)},
        )
        event_append(
            run=run,
            type="step.progress",
            seq=seq,
            payload={"step": step, "done": done, "total": total, "pipeline_progress": progress},
        )


def doc_phase_set(*, run: Run, file_id: int, phase: str, error: str = "", name: str = "") -> None:
    with transaction.atomic():
        defaults: dict[str, Any] = {"phase": phase, "error": error}
        if name:
            defaults["name"] = name
        DocProgress.objects.update_or_create(run=run, file_id=file_id, defaults=defaults)
        event_append(
            run=run,
            type="doc.progress",
            payload={"file_id": file_id, "name": name, "phase": phase, "error": error or None},
        )


def step_complete(
    *,
    run: Run,
    step: str,
    metadata: dict[str, Any],
    claim: str,
    started_at: Any,
    start_next: bool = False,
) -> Any:
    """Marks the step done; called inside the transaction that holds its results.

    With `start_next`, the step after it (which the caller decided runs) starts its
    first attempt in the same transaction, as `step_start` would start it: one commit
    between two steps instead of two, and the two events get consecutive seqs. The
    subject then goes straight to that step's running status. Returns when that step
    started, else None.

    A worker that no longer holds the run (or was asked to cancel) raises here, which
    rolls its results back with the rest of the transaction.
    """
    pipeline = registry.get(run.pipeline)
    position = pipeline.step_names.index(step)
    following = pipeline.steps[position + 1] if start_next else None
    now = _now()
    # Where this step ends is where the next one starts.
    progress = engine.run_progress(pipeline.weights, position, 1.0)
    changes: dict[str, Any] = {"progress": progress, "heartbeat_at": now}
    if following is not None:
        changes["current_step"] = following.name
    seq = run_advance(run, claim=claim, no_cancel=True, seqs=2 if following else 1, **changes)
    if seq is None:
        run_check_claim(run_id=run.pk, claim=claim)
        raise ClaimLost()
    duration = _ms_since(started_at, now)
    partial = bool(metadata.get("failed_documents"))
    rows_update(
        StepRecord,
        where={"run": run.pk, "name": step},
        values={
            "status": StepStatus.COMPLETED,
            "completed_at": now,
            "duration_ms": duration,
            "progress": 100.0,
            "metadata": metadata,
            "error_kind": ErrorKind.PARTIAL if partial else "",
            "error": "; ".join(metadata["failed_documents"].values()) if partial else "",
        },
    )
    subject_status = pipeline.steps[position].done_status
    completed = {
        "step": step,
        "duration_ms": duration,
        "metadata": metadata,
        "pipeline_progress": progress,
    }
    events: list[tuple[str, dict[str, Any]]] = [("step.completed", completed)]
    if following is not None:
        _step_record_started(run, following.name, now)
        # The finished step's status would last no longer than this transaction.
        subject_status = following.running_status or subject_status
        started = _started_payload(following.name, position + 1, 1, progress)
        events.append(("step.started", started))
    if subject_status:
        registry.subjects().set_status(run.project_id, subject_status)
    events_append(run=run, events=events, last_seq=seq)
    return now if following is not None else None


def step_skip(*, run: Run, position: int, reason: str, claim: str) -> None:
    pipeline = registry.get(run.pipeline)
    step = pipeline.steps[position]
    with transaction.atomic():
        run_check_claim(run_id=run.pk, claim=claim, lock=True)
        StepRecord.objects.filter(run=run, name=step.name).update(
            status=StepStatus.SKIPPED, metadata={"reason": reason}
        )
        progress = engine.run_progress(pipeline.weights, position, 1.0)
        Run.objects.filter(pk=run.pk).update(progress=progress, heartbeat_at=_now())
        event_append(
            run=run,
            type="step.skipped",
            payload={"step": step.name, "reason": reason, "pipeline_progress": progress},
        )


def step_retrying(
    *, run: Run, step: str, attempt: int, delay_s: float, error: str, claim: str
) -> None:
    with transaction.atomic():
        run_check_claim(run_id=run.pk, claim=claim, lock=True)
        StepRecord.objects.filter(run=run, name=step).update(
            error=error, error_kind=ErrorKind.TRANSIENT
        )
        event_append(
            run=run,
            type="step.retrying",
            payload={"step": step, "attempt": attempt, "delay_s": delay_s, "error": error},
        )


def step_pause(*, run: Run, step: str, count: int, claim: str) -> None:
    """Parks the run until review is done; the worker is free again."""
    with transaction.atomic():
        run_check_claim(run_id=run.pk, claim=claim, lock=True)
        StepRecord.objects.filter(run=run, name=step).update(
            status=StepStatus.AWAITING_REVIEW, metadata={"review_items": count}
        )
        Run.objects.filter(pk=run.pk).update(
            status=RunStatus.AWAITING_REVIEW, claim="", heartbeat_at=None
        )
        run.status = RunStatus.AWAITING_REVIEW
        paused_status = registry.get(run.pipeline).step(step).paused_status
        if paused_status:
            registry.subjects().set_status(run.project_id, paused_status)
        event_append(run=run, type="review.needed", payload={"step": step, "count": count})


def step_fail(
    *,
    run: Run,
    step: str,
    error: str,
    kind: str,
    claim: str | None,
    metadata: dict[str, Any] | None = None,
) -> None:
    pipeline = registry.get(run.pipeline)
    now = _now()
    with transaction.atomic():
        if claim is not None:
            run_check_claim(run_id=run.pk, claim=claim, lock=True)
        StepRecord.objects.filter(run=run, name=step).update(
            status=StepStatus.FAILED,
            error=error,
            error_kind=kind,
            completed_at=now,
            **({"metadata": metadata} if metadata else {}),
        )
        Run.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            error=error,
            error_kind=kind,
            finished_at=now,
            claim="",
        )
        run.status = RunStatus.FAILED
        registry.subjects().set_status(run.project_id, pipeline.failed_status)
        event_append(
            run=run, type="step.failed", payload={"step": step, "error": error, "kind": kind}
        )
        event_append(
            run=run, type="run.failed", payload={"step": step, "error": error, "kind": kind}
        )


def run_cancelled_by_worker(*, run: Run, step: str) -> None:
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        _mark_cancelled(run, step=step)


def _mark_cancelled(run: Run, *, step: str) -> None:
    """Ends the run as cancelled; what earlier steps made stays."""
    pipeline = registry.get(run.pipeline)
    now = _now()
    run.steps.filter(status__in=[StepStatus.RUNNING, StepStatus.AWAITING_REVIEW]).update(
        status=StepStatus.PENDING, progress=0
    )
    Run.objects.filter(pk=run.pk).update(
        status=RunStatus.CANCELLED, finished_at=now, claim="", error="Cancelled."
    )
    run.status = RunStatus.CANCELLED
    done = (
        run.steps.filter(status=StepStatus.COMPLETED)
        .order_by("-position")
        .values_list("name", flat=True)
    )
    last_done = next(
        (pipeline.step(name).done_status for name in done if pipeline.step(name).done_status), ""
    )
    registry.subjects().set_status(run.project_id, last_done or pipeline.initial_status)
    event_append(run=run, type="run.cancelled", payload={"step": step})


def run_complete(*, run: Run, claim: str) -> None:
    now = _now()
    with transaction.atomic():
        # Only this worker writes the step records while it holds the claim, and the
        # UPDATE below checks that it still does before anything is kept.
        records = run.steps.order_by("position").values_list("name", "status", "duration_ms")
        summary = {
            "duration_ms": _ms_since(run.started_at, now),
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
        seq = run_advance(
            run,
            claim=claim,
            no_cancel=True,
            status=RunStatus.COMPLETED,
            progress=100.0,
            finished_at=now,
            summary=summary,
            release=True,
        )
        if seq is None:
            run_check_claim(run_id=run.pk, claim=claim)
            raise ClaimLost()
        run.status = RunStatus.COMPLETED
        run.summary = summary
        event_append(run=run, type="run.completed", seq=seq, payload={"summary": summary})


# Recovery ----------------------------------------------------------------------------------


def run_sweep() -> dict[str, int]:
    """Recovers runs whose worker is gone; queues again runs no worker picked up.

    A running run with a stale heartbeat is handed to a new worker (its unfinished
    step starts over, its finished steps stay) up to MAX_RECOVERIES times, then fails
    with "worker lost", which Retry can continue.
    """
    now = _now()
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
                _mark_cancelled(run, step=run.current_step)
                counts["cancelled"] += 1
            elif run.recoveries < MAX_RECOVERIES:
                run.steps.filter(status=StepStatus.RUNNING).update(
                    status=StepStatus.PENDING, progress=0
                )
                Run.objects.filter(pk=run.pk).update(
                    status=RunStatus.QUEUED,
                    claim="",
                    recoveries=F("recoveries") + 1,
                    heartbeat_at=now,
                )
                event_append(
                    run=run,
                    type="run.requeued",
                    payload={
                        "step": run.current_step,
                        "reason": "worker lost",
                        "recoveries": run.recoveries + 1,
                    },
                )
                transaction.on_commit(lambda run_id=run.pk: enqueue(run_id))
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
    forgotten = Run.objects.filter(
        status=RunStatus.QUEUED, heartbeat_at__lt=now - timedelta(seconds=QUEUED_STALE_SECONDS)
    ).values_list("pk", flat=True)
    for run_id in list(forgotten):
        if Run.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(heartbeat_at=now):
            enqueue(run_id)
            counts["redelivered"] += 1
    return counts


def runs_cleanup(*, older_than_days: int) -> dict[str, int]:
    """Deletes the events and step records of runs finished before the cutoff.

    A project's latest run, when it failed, is kept: Retry still needs its step records.
    """
    from pipeline.models import FINISHED_RUN_STATUSES, Event

    cutoff = _now() - timedelta(days=older_than_days)
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


def _ms_since(start: Any, end: Any) -> int:
    if start is None:
        return 0
    return max(0, int((end - start).total_seconds() * 1000))
