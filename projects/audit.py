"""The firm owner's audit page: who did what and when, and who the throttle locked out.

Selectors read the firm's AuditLog rows (the pipeline's hook, the review, plan and file
services write them) narrowed by who, what, project and dates; the page and its CSV ask
the same question. The writers here cover what no other service records: downloads
(a view streams the file; this row is the record of it) and unlocking a member.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.http import QueryDict
from django.utils import timezone

from config.throttle import normalise_username
from projects.cma.heads import head_title
from projects.models import (
    FILE_ACCEPTED,
    LINE_ITEM_CORRECTED,
    AuditLog,
    Firm,
    Membership,
    Output,
    Project,
    ProjectFile,
    Role,
)

# Actions written here and by the file services (the others live with their writers).
FILE_UPLOADED = "file_uploaded"
FILE_DELETED = "file_deleted"
FILE_DOWNLOADED = "file_downloaded"
OUTPUT_DOWNLOADED = "output_downloaded"
MEMBER_UNLOCKED = "member_unlocked"
# The plan service's action.
PLAN_SAVED = "plan_saved"

ENTRIES_PER_PAGE = 50

_RUN_ACTIONS = (
    "pipeline_process",
    "pipeline_retry",
    "pipeline_resume",
    "pipeline_review_needed",
    "pipeline_complete",
    "pipeline_failed",
)

# "What" on the page: each a label and the rows it selects.
KINDS: dict[str, tuple[str, Q]] = {
    "files": (
        "Uploads and files",
        Q(action__in=[FILE_UPLOADED, FILE_DELETED, FILE_ACCEPTED]),
    ),
    "runs": ("Processing", Q(action__in=_RUN_ACTIONS)),
    "steps": (
        "Pipeline steps",
        Q(action__startswith="pipeline_") & ~Q(action__in=_RUN_ACTIONS),
    ),
    "review": ("Review decisions", Q(action__startswith="review_")),
    "moves": ("Line-item moves", Q(action=LINE_ITEM_CORRECTED)),
    "plan": ("Plan changes", Q(action=PLAN_SAVED)),
    "downloads": ("Downloads", Q(action__in=[FILE_DOWNLOADED, OUTPUT_DOWNLOADED])),
    "sign_ins": ("Sign-in unlocks", Q(action=MEMBER_UNLOCKED)),
}


class NotAnOwner(Exception):
    """Only the firm's owner sees its audit log and unlocks its members."""


def audit_owner_firm(*, user: AbstractBaseUser) -> Firm:
    try:
        membership = user.membership  # type: ignore[attr-defined]
    except (AttributeError, Membership.DoesNotExist):
        membership = None
    if membership is None or membership.role != Role.OWNER:
        raise NotAnOwner("Only the firm's owner can see its audit log.")
    return membership.firm


# Filters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    who: int | None = None
    what: str = ""
    project: int | None = None
    since: date | None = None
    until: date | None = None
    errors: dict[str, str] = field(default_factory=dict)

    def query(self) -> str:
        """The filters as a query string, for the CSV link and the pager."""
        params = QueryDict(mutable=True)
        for name in ("who", "what", "project", "since", "until"):
            value = getattr(self, name)
            if value not in (None, ""):
                params[name] = str(value)
        return params.urlencode()


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _date(text: str, name: str, errors: dict[str, str]) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors[name] = f"{text!r} is not a date like 2026-11-30."
        return None


def audit_filters_parse(query: QueryDict) -> AuditFilters:
    """Filters from the page's query string; an unknown value filters nothing and says so."""
    errors: dict[str, str] = {}
    what = query.get("what", "")
    if what and what not in KINDS:
        errors["what"] = f"{what!r} is not a kind of action."
        what = ""
    since = _date(query.get("since", ""), "since", errors)
    until = _date(query.get("until", ""), "until", errors)
    if since and until and since > until:
        errors["until"] = "The end date is before the start date."
    return AuditFilters(
        who=_int(query.get("who", "")),
        what=what,
        project=_int(query.get("project", "")),
        since=since,
        until=until,
        errors=errors,
    )


# Selectors -----------------------------------------------------------------------------


def audit_entries(*, firm: Firm, filters: AuditFilters) -> QuerySet[AuditLog]:
    """The firm's rows, newest first. Ids of another firm's people or projects match nothing."""
    entries = AuditLog.objects.filter(firm=firm).select_related("actor", "project")
    if filters.who is not None:
        entries = entries.filter(actor_id=filters.who)
    if filters.what:
        entries = entries.filter(KINDS[filters.what][1])
    if filters.project is not None:
        entries = entries.filter(project_id=filters.project)
    zone = timezone.get_current_timezone()
    if filters.since:
        entries = entries.filter(
            created_at__gte=datetime.combine(filters.since, time.min, tzinfo=zone)
        )
    if filters.until:
        # The whole of the last day counts.
        end = datetime.combine(filters.until + timedelta(days=1), time.min, tzinfo=zone)
        entries = entries.filter(created_at__lt=end)
    return entries.order_by("-created_at", "-id")


def audit_page(*, firm: Firm, filters: AuditFilters, page: int | str = 1) -> Page:
    return Paginator(audit_entries(firm=firm, filters=filters), ENTRIES_PER_PAGE).get_page(page)


def audit_choices(*, firm: Firm) -> dict[str, list[tuple[int, str]] | list[tuple[str, str]]]:
    """What the filter's menus offer: the firm's people, its projects, the kinds."""
    people = (
        User.objects.filter(membership__firm=firm)
        .order_by("username")
        .values_list("pk", "username")
    )
    projects = Project.objects.filter(firm=firm).order_by("name").values_list("pk", "name")
    return {
        "people": list(people),
        "projects": list(projects),
        "kinds": [(key, label) for key, (label, _) in KINDS.items()],
    }


def _step(action: str) -> tuple[str, str]:
    name, _, phase = action.removeprefix("pipeline_").rpartition("_")
    return name, phase


def audit_describe(entry: AuditLog) -> str:
    """One line a person reads: what happened, with the names it happened to."""
    action, detail = entry.action, entry.detail or {}
    name = detail.get("name", "")
    if action == FILE_UPLOADED:
        return f"Uploaded {name}"
    if action == FILE_DELETED:
        return f"Deleted {name}"
    if action == FILE_ACCEPTED:
        reason = detail.get("reason") or ""
        return f"Accepted {name} as it is" + (f": {reason}" if reason else "")
    if action == FILE_DOWNLOADED:
        return f"Downloaded the uploaded file {name}"
    if action == OUTPUT_DOWNLOADED:
        return f"Downloaded the report {name}"
    if action == MEMBER_UNLOCKED:
        return f"Unlocked sign-in for {detail.get('member', '')}"
    if action == PLAN_SAVED:
        return f"Saved the plan (version {detail.get('version')}, {detail.get('changes')} changes)"
    if action == LINE_ITEM_CORRECTED:
        return (
            f"Moved “{detail.get('label', '')}” ({detail.get('year', '')}) from "
            f"{head_title(detail.get('from') or '')} to {head_title(detail.get('head') or '')}"
        )
    if action.startswith("review_"):
        verb = {"review_approved": "Approved", "review_corrected": "Corrected"}.get(
            action, action.removeprefix("review_").capitalize()
        )
        return (
            f"{verb} “{detail.get('label', '')}” ({detail.get('year', '')}) as "
            f"{head_title(detail.get('head') or '')}"
        )
    if action == "pipeline_process":
        return "Pressed Process"
    if action == "pipeline_retry":
        return "Pressed Retry"
    if action == "pipeline_resume":
        return "Resumed the run after review"
    if action == "pipeline_review_needed":
        return f"Run stopped for review ({detail.get('count')} items)"
    if action == "pipeline_complete":
        return "Run finished"
    if action == "pipeline_failed":
        return f"Run failed at {detail.get('step') or 'a step'}: {detail.get('error') or ''}"
    if action.startswith("pipeline_"):
        step, phase = _step(action)
        return f"Step {step} {'started' if phase == 'start' else 'finished'}"
    return action.replace("_", " ").capitalize()


def audit_who(entry: AuditLog) -> str:
    if entry.actor is not None:
        return entry.actor.get_username()
    # Pipeline steps run for whoever asked; a row with no one is the system's own doing.
    return "system"


CSV_COLUMNS = ["when", "who", "action", "what", "project", "run", "detail"]
# A cell a spreadsheet would run as a formula (a file named "=cmd|..." for one).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def audit_csv_lines(*, firm: Firm, filters: AuditFilters) -> Iterator[str]:
    """The filtered rows as CSV text, a line at a time (every row, not one page)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: list[Any]) -> str:
        writer.writerow([_cell(v) for v in values])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(CSV_COLUMNS)
    for entry in audit_entries(firm=firm, filters=filters).iterator(chunk_size=500):
        yield line(
            [
                timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
                audit_who(entry),
                entry.action,
                audit_describe(entry),
                entry.project.name if entry.project else "",
                entry.run_id or "",
                json.dumps(entry.detail, ensure_ascii=False, sort_keys=True),
            ]
        )


# Writers -------------------------------------------------------------------------------


def audit_download_record(
    *,
    user: AbstractBaseUser,
    project_file: ProjectFile | None = None,
    output: Output | None = None,
) -> AuditLog:
    """A row for a download the view is about to stream (the user has passed its check)."""
    if output is not None:
        project, action = output.project, OUTPUT_DOWNLOADED
        detail = {"output_id": output.pk, "name": output.name}
        run_id = output.run_id
    elif project_file is not None:
        project, action = project_file.project, FILE_DOWNLOADED
        detail = {"file_id": project_file.pk, "name": project_file.name}
        run_id = None
    else:
        raise ValueError("Say what was downloaded.")
    return AuditLog.objects.create(
        firm_id=project.firm_id,
        project=project,
        run_id=run_id,
        actor=user,
        action=action,
        detail=detail,
    )


# Sign-in lockouts (axes' records) ------------------------------------------------------


@dataclass
class Lockout:
    """A member with failed sign-ins still counting against them."""

    user: User
    failures: int
    addresses: list[str]
    last_attempt: datetime | None
    locked: bool


def _names(user: User) -> set[str]:
    # Axes counts by the name typed, normalised as the throttle does: username or email.
    return {normalise_username(None, {"username": n}) for n in (user.username, user.email) if n}


def _counting() -> QuerySet[AccessAttempt]:
    cool_off = settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.all()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts


def lockouts_for_firm(*, firm: Firm) -> list[Lockout]:
    """The firm's members with failed sign-ins in the cool-off window, locked ones first.

    A member is locked when their account reached the limit, or when an address their
    own failures came from did (an office behind one address locks everyone in it).
    """
    limit = settings.AXES_FAILURE_LIMIT
    members = list(User.objects.filter(membership__firm=firm))
    by_name = {name: user for user in members for name in _names(user)}
    attempts = _counting().filter(username__in=by_name)
    found: dict[int, Lockout] = {}
    for attempt in attempts:
        user = by_name[attempt.username]
        entry = found.setdefault(user.pk, Lockout(user, 0, [], None, False))
        entry.failures += attempt.failures_since_start
        if attempt.ip_address and attempt.ip_address not in entry.addresses:
            entry.addresses.append(attempt.ip_address)
        if entry.last_attempt is None or attempt.attempt_time > entry.last_attempt:
            entry.last_attempt = attempt.attempt_time
    # Every address's failures in one query, not one per member.
    addresses = {address for entry in found.values() for address in entry.addresses}
    by_address = dict(
        _counting()
        .filter(ip_address__in=addresses)
        .order_by()
        .values("ip_address")
        .annotate(total=Sum("failures_since_start"))
        .values_list("ip_address", "total")
    )
    for entry in found.values():
        entry.locked = entry.failures >= limit or any(
            by_address.get(address, 0) >= limit for address in entry.addresses
        )
    return sorted(found.values(), key=lambda e: (not e.locked, e.user.username))


def _attempted_names(addresses: list[str]) -> list[str]:
    return list(
        AccessAttempt.objects.filter(ip_address__in=addresses)
        .exclude(username=None)
        .values_list("username", flat=True)
    )


class NotAMemberOfTheFirm(Exception):
    pass


def member_unlock(*, owner: AbstractBaseUser, firm: Firm, user_id: int) -> int:
    """Clears the member's failed sign-ins, and those of the addresses they failed from
    except the other firms' accounts' own.

    Returns how many of axes' records went. Audited either way, so a cleared lockout is
    always someone's decision.
    """
    try:
        member = User.objects.get(pk=user_id, membership__firm=firm)
    except User.DoesNotExist as exc:
        raise NotAMemberOfTheFirm(f"No member {user_id} in {firm}.") from exc
    names = _names(member)
    with transaction.atomic():
        addresses = sorted(
            set(
                AccessAttempt.objects.filter(username__in=names)
                .exclude(ip_address=None)
                .values_list("ip_address", flat=True)
            )
        )
        # An address's count is the sum of its rows; the rows of other firms' accounts
        # stay (an owner decides for their own firm only), guesses at names no one has go.
        tried = _attempted_names(addresses)
        others = {
            name
            for user in User.objects.exclude(membership__firm=firm).filter(
                Q(username__in=tried) | Q(email__in=tried)
            )
            for name in _names(user)
        }
        removed, _ = (
            AccessAttempt.objects.filter(Q(username__in=names) | Q(ip_address__in=addresses))
            .exclude(username__in=others)
            .delete()
        )
        AuditLog.objects.create(
            firm=firm,
            actor=owner,
            action=MEMBER_UNLOCKED,
            detail={"member": member.get_username(), "addresses": addresses, "records": removed},
        )
    return removed
