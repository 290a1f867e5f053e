"""What the firm's records and inboxes get when a pipeline event happens.

Registered as pipeline hooks; a failure is logged by the engine, never fails the run.
The audit hook runs inside the event's transaction and returns its row unsaved (the
engine writes the rows of a change together); the email hook runs after the commit.
"""

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from pipeline.event_types import EventType
from projects.fragments import review_list_url
from projects.models import REVIEWER_ROLES, AuditLog, Membership, Output, Project

log = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def audit_pipeline_event(event_type: str, run: Any, payload: dict[str, Any]) -> list[AuditLog]:
    """Audit rows: process/retry/resume pressed, pipeline_<step>_start/_complete, review
    needed, complete, failed."""
    step = payload.get("step", "")
    actor_id = run.requested_by_id
    if event_type == EventType.RUN_QUEUED:
        # Who pressed Process, Retry or Resume (a resume names who decided the review).
        reason = payload.get("reason", "")
        action = {"retry": "pipeline_retry", "resume": "pipeline_resume"}.get(
            reason, "pipeline_process"
        )
        detail = {"options": payload["options"]} if "options" in payload else {}
        actor_id = payload.get("decided_by") or actor_id
    elif event_type == EventType.STEP_STARTED and payload.get("attempt", 1) == 1:
        action, detail = f"pipeline_{step}_start", {}
    elif event_type == EventType.STEP_COMPLETED:
        action, detail = f"pipeline_{step}_complete", {"duration_ms": payload.get("duration_ms")}
    elif event_type == EventType.REVIEW_NEEDED:
        action, detail = "pipeline_review_needed", {"count": payload.get("count")}
    elif event_type == EventType.RUN_COMPLETED:
        summary = payload.get("summary", {})
        action = "pipeline_complete"
        detail = {
            "duration_ms": summary.get("duration_ms"),
            "failures": summary.get("failed_documents", {}),
        }
    elif event_type == EventType.RUN_FAILED:
        action, detail = "pipeline_failed", {"step": step, "error": payload.get("error")}
    else:
        return []
    return [
        AuditLog(
            firm_id=run.tenant_id,
            project_id=run.project_id,
            run_id=run.pk,
            actor_id=actor_id,
            action=action,
            detail=detail,
        )
    ]


def _send(*, template: str, subject: str, to: list[str], context: dict[str, Any]) -> None:
    if not to:
        return
    context = {**context, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{template}.txt", context),
        to=to,
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    try:
        message.send()
    except Exception:
        # A mail server being down must not fail the run; the page shows the same news.
        log.exception("Could not send the %r email to %s", template, to)


def email_pipeline_event(event_type: str, run: Any, payload: dict[str, Any]) -> None:
    """review needed → the firm's CAs; report ready or run failed → whoever asked."""
    if event_type not in {EventType.REVIEW_NEEDED, EventType.RUN_COMPLETED, EventType.RUN_FAILED}:
        return
    project = Project.objects.get(pk=run.project_id)
    project_url = absolute(reverse("project-detail", args=[project.pk]))
    if event_type == EventType.REVIEW_NEEDED:
        if not run.options.get("notify_on_review", True):
            return
        reviewers = Membership.objects.filter(firm_id=project.firm_id, role__in=REVIEWER_ROLES)
        _send(
            template="review_needed",
            subject=f"Review needed: {project.name} ({payload.get('count', 0)} items)",
            to=[m.user.email for m in reviewers.select_related("user") if m.user.email],
            context={
                "project": project,
                "count": payload.get("count", 0),
                "review_url": absolute(review_list_url(project)),
                "project_url": project_url,
            },
        )
        return
    requester = run.requested_by
    if requester is None or not requester.email:
        return
    if event_type == EventType.RUN_COMPLETED:
        output = Output.objects.filter(run_id=run.pk).order_by("-pk").first()
        _send(
            template="report_ready",
            subject=f"Report ready: {project.name}",
            to=[requester.email],
            context={
                "project": project,
                "project_url": project_url,
                "download_url": absolute(reverse("output-download", args=[output.pk]))
                if output
                else None,
                "output": output,
                # Every file-level warning and check reaches the requester, not only the
                # page: a figure left out must be named where the user will read it.
                "warnings": output.validation.get("warnings", []) if output else [],
            },
        )
    else:
        _send(
            template="run_failed",
            subject=f"Processing failed: {project.name}",
            to=[requester.email],
            context={
                "project": project,
                "project_url": project_url,
                "error": payload.get("error", ""),
            },
        )
