"""Starting and steering runs, as people ask for them: create, cancel, retry and resume.

Each is one transaction that also appends its event and, when the run is queued again,
hands it to a worker after commit. A cancel of a run no worker holds, a worker's own
cancel and the sweep's all end the run through `run_mark_cancelled`. Status changes go
through `run_transition` (pipeline/services/transitions.py).
"""

import logging
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from pipeline import engine, registry
from pipeline.event_types import EventType, RunQueued, StepCompleted, StepRef
from pipeline.models import ACTIVE_RUN_STATUSES, Run, RunStatus, StepRecord, StepStatus
from pipeline.services.common import enqueue, ms_since
from pipeline.services.errors import BrokerUnavailable, NoInput, NotAllowed, RunActive
from pipeline.services.eventlog import event_append
from pipeline.services.transitions import run_transition_locked
from pipeline.sql import row_create, rows_insert

log = logging.getLogger(__name__)

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
            now = timezone.now()
            run = Run(
                project=subject,
                tenant_id=subjects.tenant_of(subject),
                pipeline=pipeline.name,
                options=options,
                input_size=max(1, subjects.input_size(subject)),
                requested_by=requested_by if getattr(requested_by, "pk", None) else None,
                heartbeat_at=now,
                # Its first event's seq: no one else sees the run before this transaction
                # commits, so it needs no `run_advance` (an UPDATE) to take it.
                last_seq=1,
            )
            # Both INSERTs written by hand (pipeline/sql.py): the ORM took longer to build
            # them than the database to run them, a good part of a press of Process.
            row_create(run)
            rows_insert(
                [
                    StepRecord(run=run, name=step.name, position=i)
                    for i, step in enumerate(pipeline.steps)
                ]
            )
            event_append(
                run=run, type=EventType.RUN_QUEUED, payload=RunQueued(options=options), seq=1
            )
            transaction.on_commit(lambda: enqueue(run.pk))
    except IntegrityError:
        active = Run.objects.filter(project=subject, status__in=ACTIVE_RUN_STATUSES).first()
        raise RunActive(active.pk if active else None) from None
    except BrokerUnavailable:
        # A run is queued only if its task is: a queued run without one would block the
        # subject (RunActive) until the sweep. Nothing ran yet, so nothing else is undone.
        _withdraw(run.pk)
        raise
    return run


def _withdraw(run_id: int) -> None:
    """Deletes a run the broker refused, unless a worker took it meanwhile."""
    try:
        with transaction.atomic():
            Run.objects.filter(pk=run_id, status=RunStatus.QUEUED, claim="").delete()
    except DatabaseError:
        # The database went too: the run stays queued and the sweep delivers it later.
        log.warning("Run %s stays queued without a task; the sweep will deliver it", run_id)


def _enqueue_or_leave_to_sweep(run_id: int) -> None:
    """For a run that was queued before (retry, resume): if the broker is down it stays
    queued, as the person asked, and the sweep hands it over once the broker is back."""
    try:
        enqueue(run_id)
    except BrokerUnavailable:
        log.warning("Run %s is queued; the broker is down, the sweep will deliver it", run_id)


def run_cancel(*, run: Run) -> Run:
    """Stops a run: at once when no worker holds it, else at the worker's next tick."""
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        if not run.is_active:
            raise NotAllowed("already_finished", f"The run is already {run.status}.")
        if run.status == RunStatus.RUNNING:
            if run.cancel_requested_at is None:
                run.cancel_requested_at = timezone.now()
                Run.objects.filter(pk=run.pk).update(cancel_requested_at=run.cancel_requested_at)
                event_append(
                    run=run,
                    type=EventType.RUN_CANCEL_REQUESTED,
                    payload=StepRef(step=run.current_step),
                )
            return run
        run_mark_cancelled(run, step=run.current_step)
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
                run_transition_locked(
                    run=run,
                    to=RunStatus.QUEUED,
                    error="",
                    error_kind="",
                    cancel_requested_at=None,
                    recoveries=0,
                )
        except IntegrityError:
            active = Run.objects.filter(project=subject, status__in=ACTIVE_RUN_STATUSES).first()
            raise RunActive(active.pk if active else None) from None
        run.refresh_from_db()
        event_append(
            run=run, type=EventType.RUN_QUEUED, payload=RunQueued(reason="retry", step=step)
        )
        transaction.on_commit(lambda: _enqueue_or_leave_to_sweep(run.pk))
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
        now = timezone.now()
        paused = run.steps.select_for_update().filter(status=StepStatus.AWAITING_REVIEW).first()
        if paused is not None:
            StepRecord.objects.filter(pk=paused.pk).update(
                status=StepStatus.COMPLETED,
                completed_at=now,
                duration_ms=ms_since(paused.started_at, now),
                progress=100,
            )
            done_status = pipeline.step(paused.name).done_status
            if done_status:
                registry.subjects().set_status(run.project_id, done_status)
            event_append(
                run=run,
                type=EventType.STEP_COMPLETED,
                payload=StepCompleted(
                    step=paused.name,
                    duration_ms=ms_since(paused.started_at, now),
                    metadata=paused.metadata,
                ),
            )
        run_transition_locked(run=run, to=RunStatus.QUEUED)
        event_append(
            run=run,
            type=EventType.RUN_QUEUED,
            payload=RunQueued(reason="resume", **_decider(decided_by)),
        )
        transaction.on_commit(lambda: _enqueue_or_leave_to_sweep(run.pk))
    return run


def _decider(user: Any) -> RunQueued:
    """Who resumed a run, for its event (and through it the audit log)."""
    if not getattr(user, "pk", None):
        return {}
    return RunQueued(decided_by=user.pk, decided_by_name=user.get_username())


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


def run_mark_cancelled(run: Run, *, step: str) -> None:
    """Ends the run as cancelled; what earlier steps made stays.

    The caller holds the run's row lock (`select_for_update`), inside its transaction.
    """
    pipeline = registry.get(run.pipeline)
    run.steps.filter(status__in=[StepStatus.RUNNING, StepStatus.AWAITING_REVIEW]).update(
        status=StepStatus.PENDING, progress=0
    )
    run_transition_locked(run=run, to=RunStatus.CANCELLED, error="Cancelled.")
    done = (
        run.steps.filter(status=StepStatus.COMPLETED)
        .order_by("-position")
        .values_list("name", flat=True)
    )
    last_done = next(
        (pipeline.step(name).done_status for name in done if pipeline.step(name).done_status), ""
    )
    registry.subjects().set_status(run.project_id, last_done or pipeline.initial_status)
    event_append(run=run, type=EventType.RUN_CANCELLED, payload=StepRef(step=step))
