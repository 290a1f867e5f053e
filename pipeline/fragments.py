"""A run as the pages show it: steps, progress with ETA, a timeline, the event log.

The pages (HTTP) and the htmx sockets render the same templates from the same views
built here, so what a socket pushes is exactly what a reload would show. Everything
is read from the database at render time: a fragment is never older than the newest
event that asked for it.
"""

import re
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import timezone, translation

from pipeline import registry, selectors
from pipeline.event_types import EventType
from pipeline.models import ACTIVE_RUN_STATUSES, Event, Run, RunStatus, StepRecord, StepStatus

STEP_STATUS_LABELS = dict(StepStatus.choices)
RUN_STATUS_LABELS = dict(RunStatus.choices)
# The run page lists at most this many events on a full render; live appends add more.
LOG_LIMIT = 1000
# step.progress ticks are many and the stepper already shows them: not in the log.
LOG_HIDDEN_TYPES = (EventType.STEP_PROGRESS,)


def duration_text(ms: float | None) -> str:
    if ms is None:
        return ""
    # Steps of a few milliseconds are common; "0.0 s" reads as "did nothing".
    if ms < 1:
        return "under 1 ms"
    if ms < 100:
        return f"{round(ms)} ms"
    seconds = ms / 1000
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{round(seconds)} s"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {rest} s" if rest else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def eta_text(seconds: int | None) -> str:
    if seconds is None:
        return ""
    if seconds < 5:
        return "a few seconds left"
    if seconds < 90:
        return f"about {seconds} s left"
    return f"about {round(seconds / 60)} min left"


def human_steps(pipeline_name: str) -> frozenset[str]:
    """The steps that wait for a person (review), or none when it is not registered."""
    try:
        pipeline = registry.get(pipeline_name)
    except LookupError:
        return frozenset()
    return frozenset(pipeline.step_names) - frozenset(pipeline.machine_steps)


def step_names(pipeline_name: str) -> list[str]:
    """The pipeline's steps, or none when it is not registered (yet) in this process."""
    try:
        return registry.get(pipeline_name).step_names
    except LookupError:
        return []


# The run options as the Process form names them: what pages and errors call them.
OPTION_LABELS = {
    "skip_review": "Skip review",
    "skip_validation": "Skip validation",
    "force_reprocess": "Force reprocess",
    "notify_on_review": "Email the firm's CAs when review is needed",
    "start_from": "Start from",
    "auto_approve_above": "Auto-approve above",
}
_OPTION_NAME = re.compile(r"\b(" + "|".join(OPTION_LABELS) + r")\b")
STEP_SUMMARY_CHARS = 80


def ui_words(text: str) -> str:
    """A message with run options named as the Process form names them (a stored error
    may say "skip_validation"; the form says "Skip validation")."""
    return _OPTION_NAME.sub(lambda match: f"“{OPTION_LABELS[match[1]]}”", text)


def error_summary(error: str) -> str:
    """A failed step's short line: its error's first clause. The whole message is shown
    once, under the run's status; a step card is too narrow for it."""
    first = re.split(r"[:;]\s|\.\s|\.$", error.strip(), maxsplit=1)[0]
    if len(first) <= STEP_SUMMARY_CHARS:
        return first
    return first[: STEP_SUMMARY_CHARS - 1].rstrip() + "…"


def skip_reason_text(reason: str) -> str:
    """Why a step was skipped, in the Process form's words (the engine stores
    "start_from=generate", "skip_validation" or "up to date")."""
    if reason.startswith("start_from="):
        return f"started from {reason.removeprefix('start_from=').replace('_', ' ').capitalize()}"
    if reason in OPTION_LABELS:
        return f"“{OPTION_LABELS[reason]}” was ticked"
    return reason.replace("_", " ")


def _step_detail(step: dict[str, Any]) -> str:
    """The short line under a step's name in the stepper."""
    status = step["status"]
    metadata = step.get("metadata") or {}
    if status == StepStatus.RUNNING:
        attempt = f" · attempt {step['attempts']}" if step["attempts"] > 1 else ""
        return f"{step['progress']:g} %{attempt}"
    if status == StepStatus.COMPLETED:
        return duration_text(step["duration_ms"])
    if status == StepStatus.SKIPPED:
        reason = metadata.get("reason", "")
        return skip_reason_text(reason) if reason else "skipped"
    if status == StepStatus.FAILED:
        return error_summary(ui_words(step["error"])) if step["error"] else "failed"
    if status == StepStatus.AWAITING_REVIEW:
        count = metadata.get("review_items")
        return f"{count} items to review" if count else "waiting for review"
    if step.get("error"):  # pending again after a transient error: it will be retried
        return "retrying"
    return ""


# The stepper's mark of a step by its status (a pending or running one shows its number),
# and the statuses it marks as the current step: decided here, not by the template's
# chain of comparisons for every step of every page.
STEP_MARKERS = {
    StepStatus.COMPLETED: "✓",
    StepStatus.FAILED: "✕",
    StepStatus.SKIPPED: "\u2013",  # an en dash
    StepStatus.AWAITING_REVIEW: "❚❚",
}
CURRENT_STEP_STATUSES = frozenset({StepStatus.RUNNING, StepStatus.AWAITING_REVIEW})


def _step_view(step: dict[str, Any], position: int) -> dict[str, Any]:
    status = step["status"]
    return {
        **step,
        "number": position + 1,
        "label": step["name"].replace("_", " ").capitalize(),
        "status_label": STEP_STATUS_LABELS.get(status, status),
        "detail": _step_detail(step),
        "marker": STEP_MARKERS.get(status) or str(position + 1),
        "current": status in CURRENT_STEP_STATUSES,
    }


def _pending_steps(names: Iterable[str]) -> list[dict[str, Any]]:
    return [
        _step_view(
            {
                "name": name,
                "status": StepStatus.PENDING,
                "progress": 0,
                "attempts": 0,
                "duration_ms": None,
                "metadata": {},
                "error": None,
            },
            position,
        )
        for position, name in enumerate(names)
    ]


def _progress_note(run: Run, progress: dict[str, Any]) -> str:
    """What the bar's caption says besides the percent."""
    status = run.status
    if status == RunStatus.QUEUED:
        return "waiting for a worker"
    if status == RunStatus.RUNNING:
        if run.cancel_requested_at is not None:
            return "cancelling at the next safe point"
        return eta_text(progress["estimated_remaining_seconds"])
    if status == RunStatus.AWAITING_REVIEW:
        return "paused for review"
    if status == RunStatus.COMPLETED:
        took = run.summary.get("duration_ms") if isinstance(run.summary, dict) else None
        return f"done in {duration_text(took)}" if took is not None else "done"
    if status == RunStatus.FAILED:
        return f"stopped at {run.current_step}" if run.current_step else "stopped"
    return "cancelled"


@lru_cache(maxsize=2048)
def _percent_text(value: float, language: str | None) -> str:
    return floatformat(value, 0)


def percent_text(value: float) -> str:
    """The bar's percent, as `|floatformat:0` shows it (its Decimal rounding, ~15 µs, was
    done twice a render), kept per value and language."""
    return _percent_text(value, translation.get_language())


def run_view(run: Run | None, *, pipeline_name: str) -> dict[str, Any]:
    """The stepper and progress bar of a run; a run not there yet has every step pending."""
    if run is None:
        return {
            "run": None,
            "status": None,
            "steps": _pending_steps(step_names(pipeline_name)),
            "pipeline_progress": 0,
            "percent": percent_text(0),
            "progress_note": "not processed yet",
            "documents": [],
            "review": {"pending": 0, "approved": 0, "corrected": 0},
            "is_processing": False,
        }
    progress = selectors.run_progress(run)
    return {
        **progress,
        "percent": percent_text(progress["pipeline_progress"]),
        "run": run,
        "status_label": RUN_STATUS_LABELS.get(run.status, run.status),
        "error": ui_words(run.error or ""),
        "steps": [_step_view(step, i) for i, step in enumerate(progress["steps"])],
        "progress_note": _progress_note(run, progress),
        "cancel_requested": run.cancel_requested_at is not None,
        "is_active": run.status in ACTIVE_RUN_STATUSES,
    }


# The run page's timeline: a bar per step, from when it started to when it ended.

TIMELINE_WIDTH = 640
TIMELINE_LABEL = 96
TIMELINE_ROW = 30
TIMELINE_BAR = 16
TIMELINE_PAD = 8
# Steps still under way: their bar runs to now.
_OPEN_STEPS = (StepStatus.RUNNING, StepStatus.AWAITING_REVIEW)


def _step_end(record: StepRecord, run: Run, now: datetime) -> datetime | None:
    """Where a step's bar ends: done, still open (now), or stopped with its run."""
    if record.completed_at or not record.started_at:
        return record.completed_at
    if record.status in _OPEN_STEPS:
        return now
    return max(run.finished_at or record.started_at, record.started_at)


def timeline(run: Run, *, now: datetime | None = None) -> dict[str, Any]:
    """Geometry of an SVG step-duration chart (x in viewBox units), and its scale."""
    now = now or timezone.now()
    records = list(StepRecord.objects.filter(run=run).order_by("position"))
    started = [r.started_at for r in records if r.started_at]
    area = TIMELINE_WIDTH - TIMELINE_LABEL - TIMELINE_PAD * 2 - 90
    height = TIMELINE_ROW * len(records) + 28
    if not started:
        return {"rows": [], "width": TIMELINE_WIDTH, "height": 0, "empty": True}
    origin = min(started)
    ends = [_step_end(r, run, now) for r in records]
    end = max([e for e in ends if e] + [origin])
    total = max((end - origin).total_seconds(), 0.001)
    rows = []
    for i, (record, ended) in enumerate(zip(records, ends, strict=True)):
        y = TIMELINE_PAD + i * TIMELINE_ROW
        row: dict[str, Any] = {
            "name": record.name.replace("_", " ").capitalize(),
            "status": record.status,
            "status_label": STEP_STATUS_LABELS.get(record.status, record.status),
            "label_y": y + TIMELINE_BAR - 3,
            "bar_y": y,
            "bar": None,
        }
        if record.started_at:
            begin = (record.started_at - origin).total_seconds()
            length = ((ended or record.started_at) - record.started_at).total_seconds()
            x = TIMELINE_LABEL + TIMELINE_PAD + begin / total * area
            width = max(length / total * area, 2)
            took = record.duration_ms if record.duration_ms is not None else length * 1000
            if record.status in _OPEN_STEPS:
                note = " so far"
            elif not record.completed_at:
                note = " (stopped)"  # a cancelled or lost run left it unfinished
            else:
                note = ""
            row["bar"] = {
                # Where the bar sits on its track, in % of the run (the page's bars).
                "left_pct": round(100 * begin / total, 2),
                "width_pct": round(max(100 * length / total, 0.5), 2),
                "x": round(x, 1),
                "width": round(width, 1),
                "text_x": round(x + width + 6, 1),
                "text": duration_text(took) + note,
            }
        rows.append(row)
    axis_y = TIMELINE_PAD + len(records) * TIMELINE_ROW + 4
    return {
        "rows": rows,
        "width": TIMELINE_WIDTH,
        "height": height,
        "axis_y": axis_y,
        "axis_text_y": axis_y + 14,
        "axis_start": TIMELINE_LABEL + TIMELINE_PAD,
        "axis_end": TIMELINE_LABEL + TIMELINE_PAD + area,
        "total_text": duration_text(total * 1000),
        "empty": False,
    }


# The event log.


def _step_label(payload: dict[str, Any]) -> str:
    return str(payload.get("step") or "").replace("_", " ").capitalize() or "A step"


# What kind of event a row is, in words (the stored types are codes like step.completed).
EVENT_TITLES = {
    EventType.RUN_QUEUED: "Queued",
    EventType.RUN_STARTED: "Started",
    EventType.RUN_REQUEUED: "Queued again",
    EventType.RUN_CANCEL_REQUESTED: "Cancel requested",
    EventType.RUN_CANCELLED: "Cancelled",
    EventType.RUN_COMPLETED: "Run completed",
    EventType.RUN_FAILED: "Run failed",
    EventType.STEP_STARTED: "Step started",
    EventType.STEP_PROGRESS: "Step progress",
    EventType.STEP_COMPLETED: "Step completed",
    EventType.STEP_SKIPPED: "Step skipped",
    EventType.STEP_RETRYING: "Step retrying",
    EventType.STEP_FAILED: "Step failed",
    EventType.DOC_PROGRESS: "Document",
    EventType.REVIEW_NEEDED: "Review needed",
}


def event_title(event_type: str) -> str:
    return EVENT_TITLES.get(event_type, event_type.replace(".", " ").replace("_", " ").capitalize())


def _by(payload: dict[str, Any], requested_by: str) -> str:
    """Who caused the event: a resume names who decided; the first queueing, who pressed
    Process."""
    who = payload.get("decided_by_name") or payload.get("requested_by_name") or requested_by
    return f" by {who}" if who else ""


def event_text(event_type: str, payload: dict[str, Any], requested_by: str = "") -> str:
    """One human sentence per event type (DESIGN.md "Events"), read after its title."""
    step = _step_label(payload)
    if event_type == EventType.RUN_QUEUED:
        reason = payload.get("reason")
        if reason == "retry":
            retry_from = _step_label(payload) if payload.get("step") else "the failed step"
            return f"To retry from {retry_from}" + _by(payload, "")
        if reason == "resume":
            return "Again after review" + _by(payload, "")
        return "Process pressed" + _by(payload, requested_by)
    if event_type == EventType.RUN_STARTED:
        recoveries = payload.get("recoveries") or 0
        return "On a worker" + (f" (recovery {recoveries})" if recoveries else "")
    if event_type == EventType.STEP_STARTED:
        attempt = payload.get("attempt") or 1
        return step + (f", attempt {attempt}" if attempt > 1 else "")
    if event_type == EventType.STEP_PROGRESS:
        return f"{step}: {payload.get('done')} of {payload.get('total')}"
    if event_type == EventType.STEP_COMPLETED:
        return f"{step}, in {duration_text(payload.get('duration_ms'))}"
    if event_type == EventType.STEP_SKIPPED:
        reason = skip_reason_text(str(payload.get("reason") or ""))
        return step + (f" ({reason})" if reason else "")
    if event_type == EventType.STEP_RETRYING:
        return (
            f"{step}: attempt {payload.get('attempt')} failed ({payload.get('error')}); "
            f"retrying in {payload.get('delay_s')} s"
        )
    if event_type == EventType.STEP_FAILED:
        return f"{step}: {ui_words(str(payload.get('error')))}"
    if event_type == EventType.DOC_PROGRESS:
        name = payload.get("name") or f"Document {payload.get('file_id')}"
        error = payload.get("error")
        return f"{name}: {payload.get('phase')}" + (f" ({error})" if error else "")
    if event_type == EventType.REVIEW_NEEDED:
        return f"{payload.get('count')} items need a CA's review"
    if event_type == EventType.RUN_CANCEL_REQUESTED:
        return "Stops at the next safe point" + _by(payload, "")
    if event_type == EventType.RUN_CANCELLED:
        return f"During {step}" if payload.get("step") else "Before it started"
    if event_type == EventType.RUN_REQUEUED:
        return f"Worker lost during {step}"
    if event_type == EventType.RUN_COMPLETED:
        took = (payload.get("summary") or {}).get("duration_ms")
        return f"In {duration_text(took)}" if took is not None else "Done"
    if event_type == EventType.RUN_FAILED:
        return f"At {step}: {ui_words(str(payload.get('error')))}"
    return event_title(event_type)


def event_rows(events: Iterable[Event], *, requested_by: str = "") -> list[dict[str, Any]]:
    """The log's rows; `requested_by` names who pressed Process (the run has it, not its
    first event)."""
    rows = []
    for event in events:
        if event.type in LOG_HIDDEN_TYPES:
            continue
        kind = event.type.split(".")[-1]
        rows.append(
            {
                "seq": event.seq,
                "created_at": event.created_at,
                "type": event.type,
                "title": event_title(event.type),
                "kind": kind,
                "text": event_text(event.type, event.payload, requested_by),
            }
        )
    return rows


def run_log(run: Run) -> dict[str, Any]:
    """The log of a run as the page first shows it: up to LOG_LIMIT latest events.

    `last_seq` is read first and bounds the rows, so an event appended meanwhile is
    not counted as shown: the socket appends it.
    """
    last_seq = Event.objects.filter(run=run).order_by("-seq").values_list("seq", flat=True).first()
    events = list(
        Event.objects.filter(run=run, seq__lte=last_seq or 0)
        .exclude(type__in=LOG_HIDDEN_TYPES)
        .order_by("-seq")[:LOG_LIMIT]
    )
    events.reverse()
    requester = run.requested_by
    return {
        "rows": event_rows(
            events, requested_by=requester.get_username() if requester is not None else ""
        ),
        "last_seq": last_seq or 0,
        "limited": len(events) == LOG_LIMIT,
    }


# The run page's parts, rendered for the page and for its socket.

RUN_PAGE_PARTS = {
    "run-status": "pipeline/partials/run_status.html",
    "stepper": "pipeline/partials/stepper.html",
    "progress": "pipeline/partials/progress.html",
    "timeline": "pipeline/partials/timeline.html",
    "event-log": "pipeline/partials/event_log.html",
}


def run_page_context(run: Run, parts: Iterable[str] = RUN_PAGE_PARTS) -> dict[str, Any]:
    """What the run page's parts need; the timeline and the log only when asked for."""
    parts = set(parts)
    context: dict[str, Any] = {
        "oob": False,  # as the project page's (projects/fragments.py): asked by each part
        "run": run,
        "view": run_view(run, pipeline_name=run.pipeline),
    }
    if "timeline" in parts:
        context["timeline"] = timeline(run)
    if "event-log" in parts:
        context["log"] = run_log(run)
    return context


def render_parts(
    templates: dict[str, str], context: dict[str, Any], parts: Iterable[str]
) -> dict[str, str]:
    """Each part as an out-of-band fragment (hx-swap-oob), by part name."""
    context = {**context, "oob": True}
    return {part: render_to_string(templates[part], context) for part in parts}


def stats_view(
    stats: dict[str, Any], step_order: list[str], human_steps: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """`run_stats` for the stats page: counts by status, and p50/p95 bars per step.

    A human step (review) lasts until a person decides: minutes against the machine
    steps' milliseconds. It gets no bar, and the bars are scaled to the machine steps.
    """
    durations = stats["step_duration_ms"]
    names = [n for n in step_order if n in durations] + sorted(set(durations) - set(step_order))
    scaled = [durations[n]["p95"] or 0 for n in names if n not in human_steps]
    longest = max(scaled, default=0) or 1
    steps = [
        {
            "name": name.replace("_", " ").capitalize(),
            "human": name in human_steps,
            "p50": duration_text(durations[name]["p50"]),
            "p95": duration_text(durations[name]["p95"]),
            "p50_pct": round(100 * (durations[name]["p50"] or 0) / longest, 1),
            "p95_pct": round(100 * (durations[name]["p95"] or 0) / longest, 1),
        }
        for name in names
    ]
    statuses = [
        {"status": status, "label": label, "count": stats.get(status, 0)}
        for status, label in RunStatus.choices
    ]
    return {"total_runs": stats["total_runs"], "statuses": statuses, "steps": steps}
