"""The project pages' live parts, rendered for the page and for its htmx socket.

Each part is one element with a fixed id. The page includes them; the socket
(projects/consumers.py) and the htmx views send them again with hx-swap-oob when the
state changes. Both render from `project_page_context`, so they cannot disagree.
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst

from pipeline import fragments
from pipeline.models import Run, RunStatus
from projects import selectors
from projects.audit import audit_describe, audit_who
from projects.cma.extract.numbers import format_inr as grouped
from projects.cma.forms import KEY_FIGURE_LABELS, KEY_FIGURES, RATIO_FIGURES
from projects.cma.projections import DISPLAY_UNITS, UNIT_LABELS
from projects.models import AuditLog, Output, Project

PROJECT_PARTS = {
    "project-status": "projects/partials/project_status.html",
    "run-controls": "projects/partials/run_controls.html",
    "progress": "pipeline/partials/progress.html",
    "stepper": "pipeline/partials/stepper.html",
    "documents": "projects/partials/documents.html",
    "review-summary": "projects/partials/review_summary.html",
    "process-panel": "projects/partials/process_panel.html",
    "files": "projects/partials/files.html",
    "upload-panel": "projects/partials/upload_panel.html",
    "outputs": "projects/partials/outputs.html",
    "report-summary": "projects/partials/report_summary.html",
    "run-history": "projects/partials/run_history.html",
}


def review_list_url(project: Project) -> str:
    """The admin's review items of this project (DESIGN.md "Interfaces")."""
    return f"{link('admin:index')}projects/reviewitem/?project__id__exact={project.pk}"


# What the page's links and times cost: `{% url %}` ~16 µs a link and `|date` 20-40 µs a
# time, dozens of each per page. Both are pure functions of their arguments and of the
# request's URL prefix, time zone and language, so each is computed once per process
# for those and reused.

# Stand for the ids while reversing once: the URL then has "{0}", "{1}" where they go.
_URL_MARKS = (7_319_024_117, 7_319_024_118)


@lru_cache(maxsize=256)
def _url_pattern(name: str, arity: int, prefix: str, urlconf: str | None) -> str:
    url = reverse(name, urlconf=urlconf, args=_URL_MARKS[:arity])
    url = url.replace("{", "{{").replace("}", "}}")
    for position, mark in enumerate(_URL_MARKS[:arity]):
        url = url.replace(str(mark), f"{{{position}}}")
    return url


def linker() -> Callable[..., str]:
    """`link` for a page's many links: the request's URL prefix and urlconf (each a
    context-local lookup, a good part of a link's cost) read once."""
    prefix, urlconf = get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF

    def link_for(name: str, *ids: int) -> str:
        return _url_pattern(name, len(ids), prefix, urlconf).format(*map(int, ids))

    return link_for


def link(name: str, *ids: int) -> str:
    """`reverse(name, args=ids)` for integer ids, as `{% url %}` gives it."""
    return linker()(name, *ids)


@lru_cache(maxsize=2048)
def _date_text(value: datetime, fmt: str, zone: Any, language: str | None, use_tz: bool) -> str:
    # As the template's `|date` does: an aware time in the current zone (template_localtime).
    if use_tz and timezone.is_aware(value):
        value = timezone.localtime(value, zone)
    return formats.date_format(value, fmt)


@lru_cache(maxsize=2048)
def _times(value: datetime, zone: Any, language: str | None, use_tz: bool) -> Mapping[str, str]:
    # Read-only: one mapping is shared by every page that shows this time.
    return MappingProxyType(
        {
            "iso": _date_text(value, "c", zone, language, use_tz),
            "day": _date_text(value, "j M Y, H:i", zone, language, use_tz),
            "short": _date_text(value, "j M, H:i", zone, language, use_tz),
        }
    )


_NO_TIME: Mapping[str, str] = MappingProxyType({"iso": "", "day": "", "short": ""})


def clock() -> Callable[[datetime | None], Mapping[str, str]]:
    """`when` for a page's many times: the request's time zone and language read once."""
    key = (timezone.get_current_timezone(), translation.get_language(), settings.USE_TZ)

    def when_for(value: datetime | None) -> Mapping[str, str]:
        return _NO_TIME if value is None else _times(value, *key)

    return when_for


def when(value: datetime | None) -> Mapping[str, str]:
    """A time as the page's `<time>` elements show it, as `|date` renders them: `iso` for
    the datetime attribute, `day` ("1 Dec 2026, 14:05") and `short` ("1 Dec, 14:05")."""
    return clock()(value)


@lru_cache(maxsize=1024)
def _size_text(size: int, language: str | None) -> str:
    return filesizeformat(size)


def size_text(size: int) -> str:
    """`|filesizeformat` (~20 µs, a file and an output each), kept per size and language."""
    return _size_text(size, translation.get_language())


@lru_cache(maxsize=8)
def _status_choices(model: type[Model]) -> dict[str, Any]:
    return dict(model._meta.get_field("status").flatchoices)


def status_label(instance: Model) -> str:
    """`instance.get_status_display()`, which flattens the field's choices on every call."""
    return str(_status_choices(type(instance)).get(instance.status, instance.status))


def project_page_context(*, project: Project, is_reviewer: bool) -> dict[str, Any]:
    runs = selectors.project_runs(project=project)
    run = runs[0] if runs else None
    pipeline_name = run.pipeline if run else settings.PIPELINE_DEFAULT
    view = fragments.run_view(run, pipeline_name=pipeline_name)
    files = selectors.project_file_list(project=project)
    outputs = selectors.output_list(project=project)
    latest = outputs[0] if outputs else None
    state = selectors.report_state(project=project, since=latest.created_at if latest else None)
    processing = view["is_processing"]
    status = run.status if run else None
    validation_failed = status == RunStatus.FAILED and run.current_step == "validate"
    pk = project.pk
    link, when = linker(), clock()
    start_from = fragments.step_names(settings.PIPELINE_DEFAULT)
    groups = output_groups(outputs, link=link, when=when)
    return {
        # Each part asks `oob` (render_parts sets it): a name the context lacks costs a
        # raised and caught exception per part.
        "oob": False,
        "project": project,
        "project_status": status_label(project),
        "run": run,
        "run_links": _run_links(run, link=link, when=when),
        "view": view,
        "files": files,
        # Each file with its links, its size and its id as text (the template's `{% url %}`,
        # `|filesizeformat` and number formatting cost more than the rest).
        "file_rows": [
            (
                f,
                {
                    "status": status_label(f),
                    "detail": link("project-file-detail", pk, f.pk),
                    "download": link("project-file-download", pk, f.pk),
                    "delete": link("project-file-delete", pk, f.pk),
                    "size": size_text(f.size),
                    "id": str(f.pk),
                },
            )
            for f in files
        ],
        "outputs": outputs,
        "output_groups": groups,
        "earlier_reports": str(len(groups) - 1),
        "report": report_summary(
            latest,
            corrected_since=state.corrected_since,
            plan_changed=state.plan_changed,
            display_unit=state.display_unit,
            link=link,
            when=when,
        ),
        "runs": runs,
        # Ids as text: `{{ r.pk }}` formats a number for the locale (~10 µs), a string not.
        "run_rows": [
            (r, link("run-detail", r.pk), when(r.created_at), status_label(r), str(r.pk))
            for r in runs
        ],
        "urls": {
            "detail": link("project-detail", pk),
            "list": link("project-list"),
            "plan": link("project-plan", pk),
            "process": link("project-process", pk),
            "resume": link("project-resume", pk),
            "retry": link("project-retry", pk),
            "review": link("project-review", pk),
            "line_items": link("project-line-items", pk),
            "upload": link("project-upload", pk),
        },
        "is_processing": processing,
        "can_process": not processing and bool(files),
        "can_cancel": processing and not view.get("cancel_requested"),
        "can_retry": status == RunStatus.FAILED,
        # A failed validation needs a CA's fix before a retry can pass.
        "validation_failed": validation_failed,
        "validation_errors": _validation_errors(view) if validation_failed else [],
        "can_resume": status == RunStatus.AWAITING_REVIEW and not view["review"]["pending"],
        "is_reviewer": is_reviewer,
        "review_url": review_list_url(project),
        "start_from_choices": start_from,
        "start_from_options": _start_from_options(tuple(start_from)),
        "max_upload_mb": str(settings.MAX_UPLOAD_MB),
    }


@lru_cache(maxsize=8)
def _start_from_options(names: tuple[str, ...]) -> str:
    """The Process form's "Start from" options: the same for every page (~50 µs of
    template loop each)."""
    options = (
        f'<option value="{conditional_escape(name)}">{conditional_escape(capfirst(name))}</option>'
        for name in names
    )
    return mark_safe("".join(options))


def _run_links(
    run: Run | None, *, link: Callable[..., str], when: Callable[..., Mapping[str, str]]
) -> dict[str, Any]:
    if run is None:
        return {}
    return {
        "detail": link("run-detail", run.pk),
        "cancel": link("run-cancel", run.pk),
        "when": when(run.created_at),
    }


def _validation_errors(view: dict[str, Any]) -> list[dict[str, Any]]:
    """What a failed validate step found, one issue a line (its error joins them)."""
    step = next((step for step in view["steps"] if step["name"] == "validate"), None)
    errors = ((step or {}).get("metadata") or {}).get("errors") or []
    return [issue for issue in errors if isinstance(issue, dict) and issue.get("message")]


def run_decisions(*, run_id: int) -> list[dict[str, Any]]:
    """Who decided what in a run's review, oldest first: the event log has the run's
    machinery, the audit log the people."""
    entries = (
        AuditLog.objects.filter(run_id=run_id, action__startswith="review_")
        .select_related("actor")
        .order_by("created_at", "id")
    )
    return [
        {"created_at": entry.created_at, "who": audit_who(entry), "what": audit_describe(entry)}
        for entry in entries
    ]


def output_groups(
    outputs: list[Output],
    *,
    link: Callable[..., str] = link,
    when: Callable[..., Mapping[str, str]] = when,
) -> list[dict[str, Any]]:
    """The outputs by the run that made them, newest first; the first group is the latest
    report (processing again makes a workbook of the same name, so the name cannot tell)."""
    groups: dict[int | None, dict[str, Any]] = {}
    for output in outputs:  # newest first
        key = output.run_id if output.run_id is not None else -output.pk
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "run_id": output.run_id,
                "created_at": output.created_at,
                "when": when(output.created_at),
                "run_url": link("run-detail", output.run_id) if output.run_id else "",
                "run": "" if output.run_id is None else str(output.run_id),
                "outputs": [],
                "links": [],  # (output, its download link, its size as text)
            }
        group["outputs"].append(output)
        group["links"].append((output, link("output-download", output.pk), size_text(output.size)))
    ordered = list(groups.values())
    for index, group in enumerate(ordered):
        group["latest"] = index == 0
    return ordered


@lru_cache(maxsize=8192, typed=True)
def figure_text(name: str, value: float | None, display_unit: str = "rupees") -> str:
    """A key figure as a page shows it: money in the plan's unit with Indian grouping
    (two decimals), a ratio as it is. Kept per (name, value, unit): a report of nine
    years has some 150 of them, each ~4 µs of Decimal arithmetic, on every page."""
    if value is None:
        return "—"  # a ratio with nothing to divide by
    if name in RATIO_FIGURES:
        return f"{value:.2f}"
    amount = (Decimal(str(value)) / DISPLAY_UNITS[display_unit]).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    # The unit is named once, in the heading; the figures are bare numbers.
    return f"{'-' if amount < 0 else ''}{grouped(abs(amount))}"


@lru_cache(maxsize=4096)
def _figure_cells(values: tuple[str, ...]) -> str:
    """A key figures row's cells, made here: a report of nine years has some 150 of them,
    ~5 µs each through the template's loop."""
    return mark_safe("".join(f'<td class="num">{conditional_escape(v)}</td>' for v in values))


@lru_cache(maxsize=4096)
def _figure_row(name: str, label: str, values: tuple[str, ...]) -> str:
    """The whole row, as the template wrote it (its three variables were ~15 µs a row)."""
    return mark_safe(
        f'<tr data-figure="{conditional_escape(name)}"><th scope="row">'
        f"{conditional_escape(label)}</th>{_figure_cells(values)}</tr>"
    )


KIND_LABELS = {
    "audited": "Audited",
    "provisional": "Provisional",
    "estimated": "Estimated",
    "projected": "Projected",
}


def report_summary(
    output: Output | None,
    corrected_since: int = 0,
    plan_changed: bool = False,
    display_unit: str = "lakhs",
    *,
    link: Callable[..., str] = link,
    when: Callable[..., Mapping[str, str]] = when,
) -> dict[str, Any] | None:
    """The latest report at a glance: its key figures by year (each year with its kind),
    what validation said, how many line items a CA moved to another head since it was
    made and whether the plan was saved since."""
    if output is None or not output.key_figures:
        return None
    years = list(output.years)
    names = list(KEY_FIGURES)
    # A shortfall is worth a row only where some year has one.
    if any(output.key_figures.get(y, {}).get("additional_finance_required") for y in years):
        names.append("additional_finance_required")
    rows = []
    for name in names:
        values = [
            figure_text(name, output.key_figures.get(y, {}).get(name), display_unit) for y in years
        ]
        label = KEY_FIGURE_LABELS.get(name, "Additional finance required")
        rows.append(
            {
                "name": name,
                "label": label,
                "values": values,
                "cells": _figure_cells(tuple(values)),
                "html": _figure_row(name, label, tuple(values)),
            }
        )
    kinds = output.kinds or {}
    return {
        "output": output,
        "download_url": link("output-download", output.pk),
        "when": when(output.created_at),
        "years": years,
        "unit": UNIT_LABELS[display_unit],
        "columns": [
            {"year": year, "kind": KIND_LABELS.get(kinds.get(year, "audited"), "")}
            for year in years
        ],
        "has_projections": any(kind in ("estimated", "projected") for kind in kinds.values()),
        "plan_changed": plan_changed,
        "rows": rows,
        "errors": output.validation.get("errors", []),
        "warnings": output.validation.get("warnings", []),
        "corrected_since": corrected_since,
        **_bank_summary(output),
    }


def _bank_summary(output: Output) -> dict[str, Any]:
    """The bank-readiness state the report was made with: errors keep it from being
    ready to send (API.md ``checks``); a report made before the checks existed says so."""
    bank = selectors.report_bank(output=output)
    checks = bank["checks"]
    return {
        "ready_to_send": bank["ready_to_send"],
        "checked": "bank" in (output.validation or {}),
        "check_errors": [c for c in checks if c.get("level") == "error"],
        "check_warnings": [c for c in checks if c.get("level") == "warning"],
        "dscr_average": bank["dscr"].get("average"),
    }


def render_project_parts(
    *, project_id: int, is_reviewer: bool, parts: set[str] | None = None
) -> dict[str, str]:
    """The named parts (all of them by default) as out-of-band fragments."""
    project = Project.objects.filter(pk=project_id).select_related("plan").first()
    if project is None:  # deleted while its page was open
        return {}
    context = project_page_context(project=project, is_reviewer=is_reviewer)
    return fragments.render_parts(PROJECT_PARTS, context, parts or PROJECT_PARTS)


def badge_key(project_id: int) -> str:
    return f"project-{project_id}-status"


def render_badges(*, project_ids: list[int]) -> dict[str, str]:
    """The project list's status badges, as out-of-band fragments."""
    return {
        badge_key(badge["project_id"]): render_to_string(
            "projects/partials/project_badge.html", {"badge": badge, "oob": True}
        )
        for badge in selectors.project_badges(project_ids=project_ids)
    }
