"""The pipeline part of API.md: process, progress, retry, resume, cancel, runs, events, stats."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from config.http import ApiError, api_view, json_body, paginate
from pipeline import engine, registry, selectors, services
from pipeline.events import event_message, events_after
from pipeline.models import Run, RunStatus


def _subject(request: HttpRequest, project_id: int) -> Any:
    return registry.subjects().get_for_user(request.user, project_id)


def _accepted(run: Run) -> JsonResponse:
    return JsonResponse(
        {
            "run_id": run.pk,
            "project_id": run.project_id,
            "status": run.status,
            "estimated_duration_seconds": selectors.estimate_total_seconds(
                tenant_id=run.tenant_id, pipeline_name=run.pipeline, input_size=run.input_size
            ),
        },
        status=202,
    )


def _steering_errors(exc: Exception) -> ApiError:
    """API.md's status and code for each refusal of the run services."""
    if isinstance(exc, services.RunActive):
        return ApiError(409, "already_running", str(exc), run_id=exc.run_id)
    if isinstance(exc, services.NotAllowed):
        return ApiError(409, exc.code, exc.detail, **exc.extra)
    if isinstance(exc, services.NoInput):
        return ApiError(400, "no_files", str(exc))
    return ApiError(400, "invalid_options", str(exc))


STEERING_ERRORS = (services.RunActive, services.NotAllowed, services.NoInput, engine.InvalidOptions)


@api_view("POST")
def process(request: HttpRequest, project_id: int) -> HttpResponse:
    subject = _subject(request, project_id)
    try:
        run = services.run_create(
            subject=subject,
            pipeline_name=settings.PIPELINE_DEFAULT,
            options=json_body(request),
            requested_by=request.user,
        )
    except STEERING_ERRORS as exc:
        raise _steering_errors(exc) from exc
    return _accepted(run)


@api_view("GET")
def progress(request: HttpRequest, project_id: int) -> HttpResponse:
    subject = _subject(request, project_id)
    run = selectors.latest_run(subject_id=subject.pk)
    if run is None:
        raise ApiError(404, "never_run", "This project has not been processed yet.")
    return JsonResponse(selectors.run_progress(run))


@api_view("POST")
def retry(request: HttpRequest, project_id: int) -> HttpResponse:
    subject = _subject(request, project_id)
    try:
        run = services.run_retry(subject=subject)
    except STEERING_ERRORS as exc:
        raise _steering_errors(exc) from exc
    return _accepted(run)


@api_view("POST")
def resume(request: HttpRequest, project_id: int) -> HttpResponse:
    subject = _subject(request, project_id)
    try:
        run = services.run_resume(subject=subject, decided_by=request.user)
    except STEERING_ERRORS as exc:
        raise _steering_errors(exc) from exc
    return _accepted(run)


@api_view("POST")
def cancel(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_get_for_user(user=request.user, run_id=run_id)
    try:
        run = services.run_cancel(run=run)
    except STEERING_ERRORS as exc:
        raise _steering_errors(exc) from exc
    status = "cancelling" if run.status == RunStatus.RUNNING else run.status
    return JsonResponse({"run_id": run.pk, "status": status}, status=202)


@api_view("GET")
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_get_for_user(user=request.user, run_id=run_id)
    return JsonResponse(selectors.run_detail(run))


@api_view("GET")
def runs(request: HttpRequest) -> HttpResponse:
    items = selectors.runs_for_user(user=request.user).select_related("requested_by")
    project = request.GET.get("project")
    if project:
        if not project.isdigit():
            raise ApiError(400, "invalid_filter", "project must be a project id.")
        items = items.filter(project_id=int(project))
    status = request.GET.get("status")
    if status:
        if status not in RunStatus.values:
            raise ApiError(
                400, "invalid_filter", f"status must be one of {', '.join(RunStatus.values)}."
            )
        items = items.filter(status=status)
    return paginate(request, items.order_by("-created_at", "-id"), selectors.run_summary)


@api_view("GET")
def run_events(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_get_for_user(user=request.user, run_id=run_id)
    after = request.GET.get("after", "0")
    if not after.isdigit():
        raise ApiError(400, "invalid_after", "after must be a sequence number (0 or more).")
    events = events_after(run_id=run.pk, after=int(after))
    # The seq to ask `after` next: the last one sent. A long run has more events than one
    # answer carries, and events appended since `run` was read are in the answer too.
    last_seq = events[-1].seq if events else run.last_seq
    return JsonResponse({"events": [event_message(e) for e in events], "last_seq": last_seq})


@api_view("GET")
def stats(request: HttpRequest) -> HttpResponse:
    return JsonResponse(selectors.run_stats(user=request.user))
