"""What a worker writes about each step of the run it holds: start, progress (of the step
and of each document), completion (with the next step's start in the same transaction),
skip, retry, pause for review and failure. All but doc_phase_set first check that the
worker still holds the run (step_fail not when the sweep fails a run whose worker is gone)."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pipeline import engine, registry
from pipeline.event_types import (
    DocProgressed,
    EventType,
    Failure,
    ReviewNeeded,
    StepCompleted,
    StepProgress,
    StepRetrying,
    StepSkipped,
    StepStarted,
)
from pipeline.models import DocProgress, ErrorKind, Run, RunStatus, StepRecord, StepStatus
from pipeline.services.common import ms_since
from pipeline.services.errors import ClaimLost
from pipeline.services.eventlog import event_append, events_append, run_advance
from pipeline.services.transitions import run_transition_locked
from pipeline.services.worker import run_check_claim
from pipeline.sql import rows_update

# What a worker writes while it runs ----------------------------------------------------


def step_start(*, run: Run, position: int, attempt: int, claim: str) -> Any:
    """Marks the step running; returns when it started (its first attempt)."""
    pipeline = registry.get(run.pipeline)
    step = pipeline.steps[position]
    now = timezone.now()
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
            type=EventType.STEP_STARTED,
            seq=seq,
            payload=StepStarted(
                step=step.name, position=position, attempt=attempt, pipeline_progress=progress
            ),
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


def step_progress(*, run: Run, step: str, position: int, done: int, total: int, claim: str) -> None:
    pipeline = registry.get(run.pipeline)
    fraction = done / total if total else 1.0
    progress = engine.run_progress(pipeline.weights, position, fraction)
    with transaction.atomic():
        seq = run_advance(
            run, claim=claim, no_cancel=True, progress=progress, heartbeat_at=timezone.now()
        )
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
            type=EventType.STEP_PROGRESS,
            seq=seq,
            payload=StepProgress(step=step, done=done, total=total, pipeline_progress=progress),
        )


def doc_phase_set(*, run: Run, file_id: int, phase: str, error: str = "", name: str = "") -> None:
    with transaction.atomic():
        defaults: dict[str, Any] = {"phase": phase, "error": error}
        if name:
            defaults["name"] = name
        DocProgress.objects.update_or_create(run=run, file_id=file_id, defaults=defaults)
        event_append(
            run=run,
            type=EventType.DOC_PROGRESS,
            payload=DocProgressed(file_id=file_id, name=name, phase=phase, error=error or None),
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
    now = timezone.now()
    # Where this step ends is where the next one starts.
    progress = engine.run_progress(pipeline.weights, position, 1.0)
    changes: dict[str, Any] = {"progress": progress, "heartbeat_at": now}
    if following is not None:
        changes["current_step"] = following.name
    seq = run_advance(run, claim=claim, no_cancel=True, seqs=2 if following else 1, **changes)
    if seq is None:
        run_check_claim(run_id=run.pk, claim=claim)
        raise ClaimLost()
    duration = ms_since(started_at, now)
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
    completed = StepCompleted(
        step=step, duration_ms=duration, metadata=metadata, pipeline_progress=progress
    )
    events: list[tuple[EventType, Mapping[str, Any]]] = [(EventType.STEP_COMPLETED, completed)]
    if following is not None:
        _step_record_started(run, following.name, now)
        # The finished step's status would last no longer than this transaction.
        subject_status = following.running_status or subject_status
        started = StepStarted(
            step=following.name, position=position + 1, attempt=1, pipeline_progress=progress
        )
        events.append((EventType.STEP_STARTED, started))
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
        Run.objects.filter(pk=run.pk).update(progress=progress, heartbeat_at=timezone.now())
        event_append(
            run=run,
            type=EventType.STEP_SKIPPED,
            payload=StepSkipped(step=step.name, reason=reason, pipeline_progress=progress),
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
            type=EventType.STEP_RETRYING,
            payload=StepRetrying(step=step, attempt=attempt, delay_s=delay_s, error=error),
        )


def step_pause(*, run: Run, step: str, count: int, claim: str) -> None:
    """Parks the run until review is done; the worker is free again."""
    with transaction.atomic():
        run_check_claim(run_id=run.pk, claim=claim, lock=True)
        StepRecord.objects.filter(run=run, name=step).update(
            status=StepStatus.AWAITING_REVIEW, metadata={"review_items": count}
        )
        run_transition_locked(run=run, to=RunStatus.AWAITING_REVIEW)
        paused_status = registry.get(run.pipeline).step(step).paused_status
        if paused_status:
            registry.subjects().set_status(run.project_id, paused_status)
        event_append(
            run=run, type=EventType.REVIEW_NEEDED, payload=ReviewNeeded(step=step, count=count)
        )


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
    now = timezone.now()
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
        run_transition_locked(
            run=run, to=RunStatus.FAILED, error=error, error_kind=kind, finished_at=now
        )
        registry.subjects().set_status(run.project_id, pipeline.failed_status)
        failure = Failure(step=step, error=error, kind=kind)
        events_append(
            run=run, events=[(EventType.STEP_FAILED, failure), (EventType.RUN_FAILED, failure)]
        )
