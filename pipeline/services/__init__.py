"""The only writers of Run, StepRecord, DocProgress and Event.

Every change is one transaction that also appends the event describing it. Work is
claimed with a conditional update and a claim token (healthchecks' pattern): whoever
does not hold the run's current claim writes nothing, so a redelivered task, or a
worker that comes back after the sweep gave its run away, cannot double any work.

This package re-exports every service, so callers import from ``pipeline.services``.
Its modules import each name from the module that defines it, so a test that patches
a name a service reads (``enqueue``, ``events_append``) patches it in that module.
"""

from pipeline.services.common import enqueue
from pipeline.services.errors import (
    BrokerUnavailable,
    Cancelled,
    ClaimLost,
    NoInput,
    NotAllowed,
    RunActive,
)
from pipeline.services.recovery import (
    MAX_RECOVERIES,
    QUEUED_LOST_SECONDS,
    QUEUED_STALE_SECONDS,
    WORKER_LOST,
    broker_queue_size,
    run_sweep,
    runs_cleanup,
    runs_hand_back,
)
from pipeline.services.runs import run_cancel, run_create, run_resume, run_retry
from pipeline.services.steps import (
    doc_phase_set,
    step_complete,
    step_fail,
    step_pause,
    step_progress,
    step_retrying,
    step_skip,
    step_start,
)
from pipeline.services.worker import (
    heartbeat,
    run_cancelled_by_worker,
    run_check_claim,
    run_claim,
    run_complete,
)

__all__ = [
    "MAX_RECOVERIES",
    "QUEUED_LOST_SECONDS",
    "QUEUED_STALE_SECONDS",
    "WORKER_LOST",
    "BrokerUnavailable",
    "Cancelled",
    "ClaimLost",
    "NoInput",
    "NotAllowed",
    "RunActive",
    "broker_queue_size",
    "doc_phase_set",
    "enqueue",
    "heartbeat",
    "run_cancel",
    "run_cancelled_by_worker",
    "run_check_claim",
    "run_claim",
    "run_complete",
    "run_create",
    "run_resume",
    "run_retry",
    "run_sweep",
    "runs_cleanup",
    "runs_hand_back",
    "step_complete",
    "step_fail",
    "step_pause",
    "step_progress",
    "step_retrying",
    "step_skip",
    "step_start",
]
