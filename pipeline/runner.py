"""Executes a run in a worker: claim it, run each step that should run, stop cleanly."""

import logging
import random
import threading
import time
from typing import Any

from django.conf import settings
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
)

from pipeline import engine, registry, services
from pipeline.context import PauseForReview, PermanentError, StepContext, TransientError
from pipeline.models import ErrorKind, Run, StepRecord

log = logging.getLogger(__name__)

# Database hiccups that pass: a lock, a dropped connection. Anything else is a bug or
# bad data, and retrying it would only repeat the failure.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


class Heartbeat(threading.Thread):
    """Beats from its own thread, so a long step without progress ticks looks alive."""

    def __init__(self, *, run_id: int, claim: str) -> None:
        super().__init__(name=f"heartbeat-{run_id}", daemon=True)
        self.run_id = run_id
        self.claim = claim
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.PIPELINE_HEARTBEAT_SECONDS):
                try:
                    if not services.heartbeat(run_id=self.run_id, claim=self.claim):
                        return
                except DatabaseError:
                    log.warning("Heartbeat of run %s failed; trying again", self.run_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=10)


def run_execute(*, run_id: int) -> str:
    """Runs (or continues) the run; returns how this pass ended.

    Safe to call twice for the same run: only one caller can claim it, and steps that
    completed in an earlier pass are not repeated.
    """
    claimed = services.run_claim(run_id=run_id)
    if claimed is None:
        return "not_queued"
    run, claim = claimed
    pipeline = registry.get(run.pipeline)
    beat = Heartbeat(run_id=run.pk, claim=claim)
    beat.start()
    try:
        # Only this worker changes the records while it holds the claim: one read will do.
        records = StepRecord.objects.filter(run=run).order_by()
        statuses = dict(records.values_list("name", "status"))
        started_at = None  # set when the previous step's commit also started this one
        for position, step in enumerate(pipeline.steps):
            if started_at is None:
                is_current = bool(
                    step.is_current
                    and not run.options.get("force_reprocess")
                    and step.is_current(run.project_id)
                )
                decision = _decide(run, pipeline, statuses, position, is_current=is_current)
                if decision.action == "done":
                    continue
                if decision.action == "skip":
                    services.step_skip(
                        run=run, position=position, reason=decision.reason, claim=claim
                    )
                    continue
            outcome, started_at = _run_step(
                run,
                pipeline,
                position,
                claim,
                started_at=started_at,
                start_next=_runs_next(run, pipeline, statuses, position),
            )
            if outcome != "completed":
                return outcome
        services.run_complete(run=run, claim=claim)
        return "completed"
    except services.ClaimLost:
        log.warning("Run %s was handed to another worker; this one stops", run.pk)
        return "lost"
    except services.Cancelled:
        services.run_cancelled_by_worker(run=run, step=_current_step(run))
        return "cancelled"
    finally:
        beat.stop()


def _decide(
    run: Run,
    pipeline: registry.Pipeline,
    statuses: dict[str, str],
    position: int,
    *,
    is_current: bool,
) -> engine.Decision:
    step = pipeline.steps[position]
    return engine.should_run(
        step=step.name,
        position=position,
        record_status=statuses[step.name],
        options=run.options,
        step_names=pipeline.step_names,
        skip_option=step.skip_option,
        is_current=is_current,
    )


def _runs_next(
    run: Run, pipeline: registry.Pipeline, statuses: dict[str, str], position: int
) -> bool:
    """Whether the step after `position` runs, so that this step's commit can start it.

    Only when that is decided from the run alone: whether a step's results are current
    depends on what the steps before it wrote, so that question waits for their commit.
    """
    following = position + 1
    if following == len(pipeline.steps):
        return False
    step = pipeline.steps[following]
    if step.is_current and not run.options.get("force_reprocess"):
        return False
    return _decide(run, pipeline, statuses, following, is_current=False).action == "run"


def _current_step(run: Run) -> str:
    return Run.objects.values_list("current_step", flat=True).get(pk=run.pk)


def _run_step(
    run: Run,
    pipeline: registry.Pipeline,
    position: int,
    claim: str,
    *,
    started_at: Any,
    start_next: bool,
) -> tuple[str, Any]:
    """Runs the step's attempts; returns how it ended and when the next step started.

    `started_at` is set when the previous step's commit already started this one;
    with `start_next` this step's commit starts the next one, whose start it returns.
    """
    step = pipeline.steps[position]
    for attempt in range(1, engine.MAX_ATTEMPTS + 1):
        if attempt > 1 or started_at is None:
            started_at = services.step_start(
                run=run, position=position, attempt=attempt, claim=claim
            )
        ctx = StepContext(
            run=run,
            step=step.name,
            position=position,
            claim=claim,
            started_at=started_at,
            start_next=start_next,
        )
        try:
            step.run(ctx)
            if not ctx.committed:
                with ctx.commit():
                    pass
            return "completed", ctx.next_started_at
        except services.Cancelled:
            services.run_cancelled_by_worker(run=run, step=step.name)
            return "cancelled", None
        except services.ClaimLost:
            raise
        except PauseForReview as pause:
            services.step_pause(run=run, step=step.name, count=pause.count, claim=claim)
            return "awaiting_review", None
        except (TransientError, *TRANSIENT_DB_ERRORS) as exc:
            close_old_connections()
            error = str(exc) or type(exc).__name__
            if attempt == engine.MAX_ATTEMPTS:
                services.step_fail(
                    run=run,
                    step=step.name,
                    error=f"Gave up after {attempt} attempts: {error}",
                    kind=ErrorKind.TRANSIENT,
                    claim=claim,
                )
                return "failed", None
            delay = engine.backoff_delay(attempt, random.random())
            services.step_retrying(
                run=run,
                step=step.name,
                attempt=attempt + 1,
                delay_s=delay,
                error=error,
                claim=claim,
            )
            _sleep_unless_cancelled(run, claim, delay)
        except PermanentError as exc:
            services.step_fail(
                run=run,
                step=step.name,
                error=str(exc),
                kind=ErrorKind.PERMANENT,
                claim=claim,
                metadata=exc.metadata,
            )
            return "failed", None
        except Exception as exc:
            log.exception("Step %s of run %s failed", step.name, run.pk)
            message = f"Unexpected error in {step.name}: {type(exc).__name__}: {exc}"
            services.step_fail(
                run=run, step=step.name, error=message, kind=ErrorKind.PERMANENT, claim=claim
            )
            return "failed", None
    return "failed", None  # pragma: no cover - the loop always returns


def _sleep_unless_cancelled(run: Run, claim: str, delay: float) -> None:
    deadline = time.monotonic() + delay
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.25))
        services.run_check_claim(run_id=run.pk, claim=claim)
