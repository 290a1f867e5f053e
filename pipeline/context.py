"""What a step sees of the engine: its run, progress reporting, cancel checks, commit.

A step is a plain function ``step(ctx) -> None``. It reports progress with
``ctx.progress(done, total)`` (cheap to call per item: writes are throttled), records
each document's phase with ``ctx.doc_phase``, and writes its results inside
``with ctx.commit():`` so that the results and the step's completion are one
transaction. A step that writes nothing need not call ``commit``. It raises
``TransientError`` for what may pass (retried), ``PermanentError`` for what will not,
and calls ``ctx.pause_for_review(count)`` to stop the run until a CA has decided.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from pipeline import services
from pipeline.models import Run

# Progress writes at most this often; a cancel is noticed within the same interval.
TICK_SECONDS = 0.25


class StepError(Exception):
    kind = "permanent"


class TransientError(StepError):
    """Something that may pass (a timeout, a lock, a rate limit): the step is retried."""

    kind = "transient"


class PermanentError(StepError):
    """Bad input or missing data: the step and the run fail with this message.

    `metadata` is kept on the failed step's record (e.g. what validation found).
    """

    kind = "permanent"

    def __init__(self, message: str, *, metadata: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.metadata = metadata or {}


class PauseForReview(Exception):
    def __init__(self, count: int) -> None:
        super().__init__(f"{count} items need review")
        self.count = count


class StepContext:
    def __init__(
        self,
        *,
        run: Run,
        step: str,
        position: int,
        claim: str,
        started_at: Any = None,
        start_next: bool = False,
    ) -> None:
        self.run = run
        self.run_id = run.pk
        self.subject_id = run.project_id
        self.options: dict[str, Any] = dict(run.options)
        self.step = step
        self.position = position
        self.metadata: dict[str, Any] = {}
        self.committed = False
        # When the commit also started the next step (the runner said it runs next).
        self.next_started_at: Any = None
        self._start_next = start_next
        self._claim = claim
        self._started_at = started_at
        self._last_tick = 0.0
        self._failed_documents: dict[int, str] = {}

    def progress(self, done: int, total: int, *, force: bool = False) -> None:
        """Reports `done` of `total`; also where a cancel request takes effect."""
        now = time.monotonic()
        if not force and done < total and now - self._last_tick < TICK_SECONDS:
            return
        self._last_tick = now
        services.step_progress(
            run=self.run,
            step=self.step,
            position=self.position,
            done=done,
            total=total,
            claim=self._claim,
        )

    def doc_phase(
        self, file_id: int, phase: str, error: str | None = None, *, name: str = ""
    ) -> None:
        """Records where a document is; a phase "failed" with an error is a partial failure."""
        if error:
            self._failed_documents[file_id] = error
        services.doc_phase_set(
            run=self.run, file_id=file_id, phase=phase, error=error or "", name=name
        )

    @contextmanager
    def commit(self) -> Iterator[None]:
        """One transaction for the step's results and its completion.

        It also starts the next step when the runner asked for that (see `run_execute`).
        """
        with transaction.atomic():
            yield
            if self._failed_documents:
                self.metadata["failed_documents"] = {
                    str(file_id): error for file_id, error in self._failed_documents.items()
                }
            next_started_at = services.step_complete(
                run=self.run,
                step=self.step,
                metadata=self.metadata,
                claim=self._claim,
                started_at=self._started_at,
                start_next=self._start_next,
            )
        self.committed = True
        if next_started_at is not None:
            self.next_started_at = next_started_at
            self._start_next = False

    def pause_for_review(self, count: int) -> None:
        raise PauseForReview(count)
