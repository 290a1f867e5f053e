"""What the event log says: each event type and the payload it carries (DESIGN.md "Events").

`EventType` is a StrEnum, so a member is the string that is stored in `Event.type` and
sent to clients: comparing a stored type with a member works as comparing strings.
The payloads are what the services build; a client gets them merged with `type`,
`run_id`, `seq` and `ts`.
"""

from enum import StrEnum
from typing import Any, NotRequired, TypedDict


class EventType(StrEnum):
    RUN_QUEUED = "run.queued"
    RUN_STARTED = "run.started"
    RUN_REQUEUED = "run.requeued"
    RUN_CANCEL_REQUESTED = "run.cancel_requested"
    RUN_CANCELLED = "run.cancelled"
    RUN_COMPLETED = "run.completed"
    RUN_FAILED = "run.failed"
    STEP_STARTED = "step.started"
    STEP_PROGRESS = "step.progress"
    STEP_COMPLETED = "step.completed"
    STEP_SKIPPED = "step.skipped"
    STEP_RETRYING = "step.retrying"
    STEP_FAILED = "step.failed"
    DOC_PROGRESS = "doc.progress"
    REVIEW_NEEDED = "review.needed"


class RunQueued(TypedDict):
    """Process (`options`), Retry (`reason` "retry", `step`) or Resume (`reason` "resume",
    and who decided the review: `decided_by`, `decided_by_name`)."""

    options: NotRequired[dict[str, Any]]
    reason: NotRequired[str]
    step: NotRequired[str]
    decided_by: NotRequired[int]
    decided_by_name: NotRequired[str]


class RunStarted(TypedDict):
    recoveries: int


class RunRequeued(TypedDict):
    step: str
    reason: str
    recoveries: NotRequired[int]


class StepRef(TypedDict):
    """run.cancel_requested and run.cancelled: the step the run was at."""

    step: str


class RunCompleted(TypedDict):
    summary: dict[str, Any]


class Failure(TypedDict):
    """step.failed and run.failed."""

    step: str
    error: str
    kind: str


class StepStarted(TypedDict):
    step: str
    position: int
    attempt: int
    pipeline_progress: float


class StepProgress(TypedDict):
    step: str
    done: int
    total: int
    pipeline_progress: float


class StepCompleted(TypedDict):
    step: str
    duration_ms: int
    metadata: dict[str, Any]
    pipeline_progress: NotRequired[float]


class StepSkipped(TypedDict):
    step: str
    reason: str
    pipeline_progress: float


class StepRetrying(TypedDict):
    step: str
    attempt: int
    delay_s: float
    error: str


class DocProgressed(TypedDict):
    file_id: int
    name: str
    phase: str
    error: str | None


class ReviewNeeded(TypedDict):
    step: str
    count: int
