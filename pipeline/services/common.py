"""What every run service shares: the clock they read, the hand-off of a run to a
django-q2 worker (`enqueue`, which carries only the run's id), and step durations in
milliseconds."""

import uuid
from typing import Any

from django.utils import timezone


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


def _ms_since(start: Any, end: Any) -> int:
    if start is None:
        return 0
    return max(0, int((end - start).total_seconds() * 1000))
