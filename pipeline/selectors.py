"""Reads of runs, always through the subjects the user may see (their firm's)."""

from collections import defaultdict
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

from config.http import iso
from pipeline import engine, registry
from pipeline.models import (
    ACTIVE_RUN_STATUSES,
    FINISHED_RUN_STATUSES,
    DocProgress,
    Run,
    StepRecord,
    StepStatus,
)
from pipeline.sql import CompiledRead
from pipeline.sql import column as sql_column

# The runs an ETA looks back over: the tenant's latest finished ones, twice the history a
# step keeps, as some stopped before their last steps. Bounded by runs, the query reads a
# few hundred step rows by their run, however long the tenant's history; sorting all of
# the tenant's completed steps by completion (no index spans the run's tenant and the
# step's time) grew with every run, on each press of Process and each progress poll.
HISTORY_LOOKBACK_RUNS = 2 * engine.HISTORY_RUNS


def runs_for_user(*, user: Any) -> QuerySet[Run]:
    return Run.objects.filter(project__in=registry.subjects().for_user(user))


def run_get_for_user(*, user: Any, run_id: int) -> Run:
    return get_object_or_404(runs_for_user(user=user), pk=run_id)


def latest_run(*, subject_id: int) -> Run | None:
    return Run.objects.filter(project_id=subject_id).order_by("-created_at", "-id").first()


def subject_is_processing(*, subject_id: int) -> bool:
    return Run.objects.filter(project_id=subject_id, status__in=ACTIVE_RUN_STATUSES).exists()


def step_histories(*, tenant_id: int, pipeline: str) -> dict[str, list[tuple[int, int]]]:
    """Recent (duration_ms, input_size) of this tenant's completed steps, per step.

    Written as SQL: every press of Process and every progress poll asks it, and the ORM
    took ten times longer to build it than the database to answer (pipeline/sql.py)."""
    connection = connections[router.db_for_read(StepRecord)]
    quote = connection.ops.quote_name

    def column(model: type[Model], name: str) -> str:
        return sql_column(model, name, connection)

    runs, steps = quote(Run._meta.db_table), quote(StepRecord._meta.db_table)
    run_id, step_run = column(Run, "id"), column(StepRecord, "run")
    statuses = ", ".join(["%s"] * len(FINISHED_RUN_STATUSES))
    sql = (
        f"SELECT s.{column(StepRecord, 'name')}, s.{column(StepRecord, 'duration_ms')},"
        f" r.{column(Run, 'input_size')}"
        f" FROM {steps} s INNER JOIN {runs} r ON r.{run_id} = s.{step_run}"
        f" WHERE s.{step_run} IN ("
        f"SELECT {run_id} FROM {runs} WHERE {column(Run, 'tenant_id')} = %s"
        f" AND {column(Run, 'pipeline')} = %s AND {column(Run, 'status')} IN ({statuses})"
        f" ORDER BY {run_id} DESC LIMIT %s)"
        f" AND s.{column(StepRecord, 'status')} = %s"
        f" AND s.{column(StepRecord, 'duration_ms')} IS NOT NULL"
        f" ORDER BY s.{column(StepRecord, 'completed_at')} DESC"
    )
    params = [
        tenant_id,
        pipeline,
        *(status.value for status in FINISHED_RUN_STATUSES),
        HISTORY_LOOKBACK_RUNS,
        StepStatus.COMPLETED.value,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    histories: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for name, duration, size in rows:
        if len(histories[name]) < engine.HISTORY_RUNS:
            histories[name].append((duration, size))
    return histories


def estimate_total_seconds(*, tenant_id: int, pipeline_name: str, input_size: int) -> int:
    pipeline = registry.get(pipeline_name)
    return engine.estimate_remaining_seconds(
        steps=pipeline.machine_steps,
        histories=step_histories(tenant_id=tenant_id, pipeline=pipeline_name),
        input_size=input_size,
        statuses={},
        current_fraction={},
    )


def run_progress(run: Run) -> dict[str, Any]:
    """API.md's progress shape for a run."""
    pipeline = registry.get(run.pipeline)
    records = run_steps(run)
    is_processing = run.status in ACTIVE_RUN_STATUSES
    remaining = None
    if run.status in {"queued", "running"}:
        remaining = engine.estimate_remaining_seconds(
            steps=pipeline.machine_steps,
            histories=step_histories(tenant_id=run.tenant_id, pipeline=run.pipeline),
            input_size=run.input_size,
            statuses={r.name: r.status for r in records},
            current_fraction={r.name: r.progress / 100 for r in records},
        )
    review = {"pending": 0, "approved": 0, "corrected": 0}
    if pipeline.review_summary is not None:
        review |= pipeline.review_summary(run)
    return {
        "project_id": run.project_id,
        "run_id": run.pk,
        "status": run.status,
        "project_status": _subject_status(run),
        "current_step": run.current_step or None,
        "pipeline_progress": round(run.progress, 1),
        "is_processing": is_processing,
        "estimated_remaining_seconds": remaining,
        "steps": [
            {
                "name": r.name,
                "status": r.status,
                "started_at": iso(r.started_at),
                "completed_at": iso(r.completed_at),
                "duration_ms": r.duration_ms,
                "attempts": r.attempts,
                "progress": round(r.progress, 1),
                "metadata": r.metadata,
                "error": r.error or None,
            }
            for r in records
        ],
        "documents": [
            {"file_id": d.file_id, "name": d.name, "phase": d.phase, "error": d.error or None}
            for d in run_documents(run)
        ],
        "review": review,
        "last_seq": run.last_seq,
    }


def run_steps(run: Run) -> list[StepRecord]:
    """`run.steps.order_by("position")`, read as `CompiledRead` does (the project page and
    each progress poll ask); each record's `run` is the one given."""
    return _of_run(_STEPS.instances(run.pk), StepRecord, run)


def run_documents(run: Run) -> list[DocProgress]:
    """`run.documents.order_by("file_id")` (by file only: the model's ordering, (run,
    file_id), would join the run to sort), as `run_steps`."""
    return _of_run(_DOCUMENTS.instances(run.pk), DocProgress, run)


def _of_run(rows: list[Any], model: type[Model], run: Run) -> list[Any]:
    # As a related manager gives them: each row's `run` is the instance asked through.
    field = model._meta.get_field("run")
    for row in rows:
        field.set_cached_value(row, run)
    return rows


_STEPS = CompiledRead(
    StepRecord, lambda run_id: StepRecord.objects.filter(run_id=run_id).order_by("position")
)
_DOCUMENTS = CompiledRead(
    DocProgress, lambda run_id: DocProgress.objects.filter(run_id=run_id).order_by("file_id")
)


def _subject_status(run: Run) -> str:
    # A run read through its subject (`project.runs`) has it already: the project page
    # reads the project, then its runs, and shows that project's status.
    if Run.project.is_cached(run):
        return run.project.status
    return registry.subjects().status_of(run.project_id)


def run_summary(run: Run) -> dict[str, Any]:
    return {
        "run_id": run.pk,
        "project_id": run.project_id,
        "pipeline": run.pipeline,
        "status": run.status,
        "current_step": run.current_step or None,
        "pipeline_progress": round(run.progress, 1),
        "requested_by": getattr(run.requested_by, "username", None),
        "error": run.error or None,
        "created_at": iso(run.created_at),
        "started_at": iso(run.started_at),
        "finished_at": iso(run.finished_at),
    }


def run_detail(run: Run) -> dict[str, Any]:
    """The progress shape plus what the run was asked to do and how it ended."""
    requested_by = run.requested_by
    return {
        **run_progress(run),
        "pipeline": run.pipeline,
        "options": run.options,
        "requested_by": getattr(requested_by, "username", None),
        "summary": run.summary,
        "error": run.error or None,
        "error_kind": run.error_kind or None,
        "created_at": iso(run.created_at),
        "started_at": iso(run.started_at),
        "finished_at": iso(run.finished_at),
    }


def run_stats(*, user: Any) -> dict[str, Any]:
    runs = runs_for_user(user=user)
    counts = {
        status: 0
        for status in ["queued", "running", "awaiting_review", "completed", "failed", "cancelled"]
    }
    for status in runs.values_list("status", flat=True):
        counts[status] += 1
    durations: dict[str, list[int]] = defaultdict(list)
    rows = (
        StepRecord.objects.filter(
            run__in=runs, status=StepStatus.COMPLETED, duration_ms__isnull=False
        )
        .order_by("-completed_at")
        .values_list("name", "duration_ms")[:5000]
    )
    for name, duration in rows:
        durations[name].append(duration)
    return {
        "total_runs": sum(counts.values()),
        **counts,
        "step_duration_ms": {
            name: {"p50": engine.percentile(values, 50), "p95": engine.percentile(values, 95)}
            for name, values in durations.items()
        },
    }
