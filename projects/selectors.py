"""Firm-scoped reads. Another firm's object is a 404, exactly like a missing one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, JSONField, Q, QuerySet, Subquery, When
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404

from pipeline.models import ACTIVE_RUN_STATUSES, Run, StepRecord
from pipeline.sql import CompiledRead
from projects.cma.bank import BANK_FIELDS, BankReadiness, bank_readiness
from projects.cma.forms import key_figures
from projects.cma.projections import (
    DISPLAY_UNITS,
    PlanInvalid,
    Projection,
    next_year,
    parse_plan,
    plan_years,
)
from projects.cma.projections import Plan as PlanSpec
from projects.cma.projections import project as project_years
from projects.models import (
    LINE_ITEM_CORRECTED,
    AuditLog,
    LabelMemory,
    LineItem,
    Membership,
    Output,
    Plan,
    PlanVersion,
    Project,
    ProjectFile,
    ProjectStatus,
    ReviewItem,
)
from projects.reports.compute import head_totals, report_of

if TYPE_CHECKING:
    from projects.cma.forms import Report

User = AbstractBaseUser | AnonymousUser


def membership_for_user(*, user: User) -> Membership | None:
    if not user.is_authenticated:
        return None
    # `user.membership`'s cache, which a token's lookup fills (services.api_token_authenticate).
    cache = Membership._meta.get_field("user").remote_field
    if not cache.is_cached(user):
        # With its firm: every page's header names it, so one query rather than two.
        try:
            membership = Membership.objects.select_related("firm").get(user_id=user.pk)
        except Membership.DoesNotExist:
            membership = None
        cache.set_cached_value(user, membership)
    return cache.get_cached_value(user)


def project_list_for_user(*, user: User) -> QuerySet[Project]:
    membership = membership_for_user(user=user)
    if membership is None:
        return Project.objects.none()
    return Project.objects.filter(firm_id=membership.firm_id)


def project_get_for_user(*, user: User, project_id: int, with_plan: bool = False) -> Project:
    """The user's firm's project or a 404; `with_plan` reads its plan (or its absence)
    in the same query, for `report_state`. Every project page and API call asks: the read
    is compiled once (`CompiledRead`) for the ids a URL gives."""
    membership = membership_for_user(user=user)
    if membership is not None and type(project_id) is int:
        read = _PROJECT_WITH_PLAN if with_plan else _PROJECT
        found = read.instances(project_id, membership.firm_id)
        if not found:
            raise Http404("No Project matches the given query.")
        return found[0]
    projects = project_list_for_user(user=user)
    if with_plan:
        projects = projects.select_related("plan")
    return get_object_or_404(projects, pk=project_id)


_PROJECT = CompiledRead(
    Project,
    lambda project_id, firm_id: Project.objects.filter(pk=project_id, firm_id=firm_id),
)
_PROJECT_WITH_PLAN = CompiledRead(
    Project,
    lambda project_id, firm_id: Project.objects.filter(
        pk=project_id, firm_id=firm_id
    ).select_related("plan"),
)


def project_files(*, project: Project) -> QuerySet[ProjectFile]:
    return project.files.all()


def project_file_list(*, project: Project) -> list[ProjectFile]:
    """`project_files` read for the project page and its socket, as `CompiledRead` does;
    each file's `project` is the one given. (`instances`: `raw`'s iteration cost twice as
    much CPU for the same instances.)"""
    files = _FILES.instances(project.pk)
    for project_file in files:
        ProjectFile.project.field.set_cached_value(project_file, project)
    return files


_FILES = CompiledRead(
    ProjectFile, lambda project_id: ProjectFile.objects.filter(project_id=project_id)
)


def project_file_get_for_user(*, user: User, project_id: int, file_id: int) -> ProjectFile:
    project = project_get_for_user(user=user, project_id=project_id)
    return get_object_or_404(project_files(project=project), pk=file_id)


def file_item_counts(*, project_file: ProjectFile) -> list[tuple[str, int]]:
    """How many line items the latest run took from the file, per year."""
    rows = (
        LineItem.objects.filter(file=project_file)
        .values_list("year")
        .annotate(count=Count("id"))
        .order_by("year")
    )
    return [(year, count) for year, count in rows]


def run_file_notes(*, run_id: int) -> dict[str, list[str]]:
    """What a run's extraction said of the files: those it could not use, and warnings."""
    record = StepRecord.objects.filter(run_id=run_id, name="extract").first()
    metadata = record.metadata if record else {}
    return {
        "errors": list(metadata.get("file_errors", [])),
        "warnings": list(metadata.get("warnings", [])),
    }


def learned_labels(*, firm_id: int) -> dict[tuple[str, str], str]:
    """The firm's CA decisions: (normalized label, side) → head."""
    rows = LabelMemory.objects.filter(firm_id=firm_id).values_list("label", "side", "head")
    return {(label, side): head for label, side, head in rows}


def line_items(
    *, project: Project, year: str = "", head: str = "", status: str = "", search: str = ""
) -> QuerySet[LineItem]:
    """The project's line items as the latest run left them, narrowed by what is given."""
    items = project.line_items.select_related("file").order_by("year", "position", "id")
    if year:
        items = items.filter(year=year)
    if head:
        items = items.filter(head=head)
    if status:
        items = items.filter(review_status=status)
    if search := search.strip():
        items = items.filter(label__icontains=search)
    return items


def review_items(*, project: Project) -> QuerySet[ReviewItem]:
    return project.review_items.select_related("line_item", "line_item__file", "decided_by")


def review_item_get_for_user(*, user: User, item_id: int) -> ReviewItem:
    projects = project_list_for_user(user=user)
    return get_object_or_404(
        ReviewItem.objects.filter(project__in=projects).select_related("line_item", "run"),
        pk=item_id,
    )


def review_counts(*, run_id: int) -> dict[str, int]:
    counts = {"pending": 0, "approved": 0, "corrected": 0}
    for status, count in _REVIEW_COUNTS.rows(run_id):
        counts[status] += count
    return counts


_REVIEW_COUNTS = CompiledRead(
    ReviewItem,
    lambda run_id: (
        ReviewItem.objects.filter(run_id=run_id)
        .order_by()
        .values_list("status")
        .annotate(count=Count("id"))
    ),
)


def line_item_get(*, project: Project, item_id: int) -> LineItem:
    return get_object_or_404(project.line_items.select_related("file"), pk=item_id)


@dataclass(frozen=True)
class ReportState:
    """What the project page says beside its latest report."""

    corrected_since: int  # line items a CA moved to another head after the report
    plan_changed: bool  # the plan was saved after the report
    display_unit: str  # the plan's unit for amounts, lakhs by default


def report_state(*, project: Project, since: datetime | None) -> ReportState:
    """The corrections since the latest report, whether the plan was saved after it and
    the plan's unit: two simple queries at most, none for the plan when the project was
    read `with_plan`, none for corrections without a report. `since` is the report's
    making, None when there is none. (One query of three subqueries costs more CPU.)"""
    cache = Project._meta.get_field("plan")  # `project.plan`, if read with the project
    if cache.is_cached(project):
        record = cache.get_cached_value(project)
        plan = (record.data, record.updated_at) if record is not None else None
    else:
        plan = Plan.objects.filter(project=project).values_list("data", "updated_at").first()
    data, updated_at = plan or (None, None)
    return ReportState(
        corrected_since=0 if since is None else corrections_since(project=project, since=since),
        plan_changed=since is not None and updated_at is not None and updated_at > since,
        display_unit=_display_unit(data),
    )


def corrections_since(*, project: Project, since: datetime) -> int:
    """Line items a CA moved to another head after `since` (a report's making)."""
    counted = _CORRECTIONS.rows(project.pk, since)  # one row, or none when there are none
    return counted[0][0] if counted else 0


_CORRECTIONS = CompiledRead(
    AuditLog,
    lambda project_id, since: (
        AuditLog.objects.filter(
            project_id=project_id, action=LINE_ITEM_CORRECTED, created_at__gt=since
        )
        .order_by()
        .values("project_id")
        .annotate(count=Count("id"))
        .values_list("count")
    ),
    with_time=True,
)


def outputs(*, project: Project) -> QuerySet[Output]:
    return project.outputs.all()


# What an output says of its report: the latest one's is shown, the others' never.
OUTPUT_FIGURES = ("years", "key_figures", "kinds", "validation")


def output_list(*, project: Project) -> list[Output]:
    """`outputs` read for the project page and its socket, as `CompiledRead` does; each
    output's `project` is the one given. Only the first (the latest) comes with
    `OUTPUT_FIGURES`, the others without (read if asked for): each run adds two outputs,
    and decoding every one's figures made the page of a project processed twenty times
    cost twice that of one processed once."""
    outputs = _OUTPUTS.instances(project.pk)
    for output in outputs:
        Output.project.field.set_cached_value(output, project)
    if outputs:
        latest = outputs[0]
        for name in OUTPUT_FIGURES:
            setattr(latest, name, getattr(latest, f"latest_{name}"))
    return outputs


def _outputs(project_id: int) -> QuerySet[Output]:
    # One query: the figures of the newest output only (the same order as the list's).
    newest = (
        Output.objects.filter(project_id=project_id).order_by("-created_at", "-id").values("pk")[:1]
    )
    figures = {
        f"latest_{name}": Case(
            When(pk=Subquery(newest), then=F(name)),
            output_field=JSONField(),
        )
        for name in OUTPUT_FIGURES
    }
    return Output.objects.filter(project_id=project_id).defer(*OUTPUT_FIGURES).annotate(**figures)


_OUTPUTS = CompiledRead(Output, _outputs)


def latest_output_for_user(*, user: User, project_id: int) -> Output | None:
    """The project's latest report, read with the project's access check in one query;
    None when there is none or the project is not the user's (ask `project_get_for_user`
    which)."""
    membership = membership_for_user(user=user)
    if membership is None:
        return None
    latest = _LATEST_OUTPUT.objects(project_id, membership.firm_id)
    return latest[0] if latest else None


_LATEST_OUTPUT = CompiledRead(
    Output,
    lambda project_id, firm_id: Output.objects.filter(
        project_id=project_id, project__firm_id=firm_id
    ).order_by("-created_at", "-id")[:1],
)


def output_get_for_user(*, user: User, output_id: int) -> Output:
    return get_object_or_404(
        Output.objects.filter(project__in=project_list_for_user(user=user)), pk=output_id
    )


# What the live pages show ------------------------------------------------------------
# (Imports are local: this block was added after the module's import list was settled.)


def project_runs(*, project: Project, limit: int = 8) -> list[Run]:
    """The project's latest runs, newest first (the first is its latest run). Each run's
    `project` is the one given, not read again, and its `requested_by` is read with it
    (its username and email; any other field of the user is read when asked for)."""
    compiled = _RUNS.get(limit)
    if compiled is None:
        compiled = _RUNS.setdefault(
            limit,
            CompiledRead(
                Run,
                lambda project_id: (
                    Run.objects.filter(project_id=project_id)
                    .annotate(
                        requester_username=F("requested_by__username"),
                        requester_email=F("requested_by__email"),
                    )
                    .order_by("-created_at", "-id")[:limit]
                ),
            ),
        )
    runs = compiled.instances(project.pk)
    requester = Run._meta.get_field("requested_by")
    user_model = requester.related_model
    for run in runs:
        Run.project.field.set_cached_value(run, project)
        by = None
        if run.requested_by_id is not None:
            by = user_model.from_db(
                run._state.db,
                ["id", "username", "email"],
                [run.requested_by_id, run.requester_username, run.requester_email],
            )
        requester.set_cached_value(run, by)
    return runs


_RUNS: dict[int, CompiledRead] = {}


PROJECTS_PER_PAGE = 25


def project_list_params(query: QueryDict) -> dict[str, str]:
    """The list's query string (`q`, `status`, `page`) as `project_page_for_user`'s
    arguments: read the same way by the page, its polling and its socket."""
    return {
        "search": query.get("q", ""),
        "status": query.get("status", ""),
        "page": query.get("page", "1"),
    }


def project_page_for_user(
    *, user: User, search: str = "", status: str = "", page: int | str = 1
) -> Page:
    """One page of the list (newest first), narrowed by a search on the project's or
    the client's name and by status. The list page and its socket ask the same
    question, so the socket follows exactly the projects shown."""
    projects = project_list_for_user(user=user)
    if search := search.strip():
        projects = projects.filter(Q(name__icontains=search) | Q(client_name__icontains=search))
    if status in ProjectStatus.values:
        projects = projects.filter(status=status)
    # get_page: a page past the end or not a number shows the nearest page, not a 404.
    return Paginator(projects, PROJECTS_PER_PAGE).get_page(page)


def project_badges(*, project_ids: list[int]) -> list[dict]:
    """Per project: its status and, while a run is active, that run's status and percent."""

    active = {
        project_id: (status, progress)
        for project_id, status, progress in Run.objects.filter(
            project_id__in=project_ids, status__in=ACTIVE_RUN_STATUSES
        ).values_list("project_id", "status", "progress")
    }
    labels = dict(ProjectStatus.choices)
    badges = []
    for pk, status in Project.objects.filter(pk__in=project_ids).values_list("pk", "status"):
        run_status, progress = active.get(pk, (None, None))
        label, css = labels.get(status, status.replace("_", " ").capitalize()), status
        if run_status == "queued":
            label, css = "Queued", "queued"
        elif run_status == "awaiting_review":
            label, css = labels[ProjectStatus.REVIEWING], ProjectStatus.REVIEWING
        badges.append(
            {
                "project_id": pk,
                "status": status,
                "label": label,
                "css": css,
                "run_status": run_status,
                "progress": round(progress) if progress is not None else None,
            }
        )
    return badges


def projects_of_runs(*, run_ids: list[int]) -> set[int]:

    return set(Run.objects.filter(pk__in=run_ids).values_list("project_id", flat=True))


# The plan --------------------------------------------------------------------------
# (Imports are local, as above: added after the module's import list was settled.)


def actual_report(*, project: Project) -> Report:
    """The forms of the years the books give, from the line items as the latest run left
    them: what the plan's defaults and projections start from."""
    return report_of(head_totals(project_id=project.pk))


def plan_record(*, project: Project) -> Plan | None:

    return Plan.objects.filter(project=project).select_related("updated_by").first()


def _display_unit(data: dict | None) -> str:
    """The unit the project's pages show amounts in: the plan's, lakhs by default."""
    unit = (data or {}).get("display_unit") or "lakhs"
    return unit if unit in DISPLAY_UNITS else "lakhs"


def plan_history(*, project: Project) -> QuerySet:

    return PlanVersion.objects.filter(plan__project=project).select_related("created_by")


def plan_data_for_years(data: dict, actual_years: list[str]) -> dict:
    """The stored plan without what no longer fits the books (a year of books added or
    taken away since it was saved moves the estimate): those assumptions fall back to
    their defaults rather than stopping the plan."""

    kept = dict(data)
    estimate = kept.get("estimate_year")
    if estimate and (not actual_years or estimate != next_year(actual_years[-1])):
        kept.pop("estimate_year")
    try:
        count = int(kept.get("projected_years") or 1)
    except (TypeError, ValueError):
        count = 1
    years = {year for year, _ in plan_years(actual_years, PlanSpec(projected_years=count))}
    if isinstance(kept.get("assumptions"), dict):
        kept["assumptions"] = {y: v for y, v in kept["assumptions"].items() if y in years}
    if isinstance(kept.get("years"), list):
        kept["years"] = [
            entry
            for entry in kept["years"]
            if isinstance(entry, dict) and entry.get("year") in actual_years
        ]
    return kept


def plan_spec(*, project: Project, actual: Report, overrides: dict | None = None) -> PlanSpec:
    """The project's plan checked against its books, with ``overrides`` (a plan being
    edited, not saved) over the saved one. PlanInvalid names the overrides' bad fields;
    a saved plan that the books no longer fit falls back to its defaults."""

    return _spec_of(plan_record(project=project), actual, overrides)


def _spec_of(record: Plan | None, actual: Report, overrides: dict | None = None) -> PlanSpec:
    stored = plan_data_for_years(record.data if record else {}, actual.years)
    try:
        base = parse_plan(stored, actual_years=actual.years)
    except PlanInvalid:
        stored, base = {}, PlanSpec()
    if overrides is None:
        return base
    return parse_plan(plan_data_merged(stored, overrides), actual_years=actual.years)


def plan_data_merged(stored: dict, changes: dict) -> dict:
    """A PUT's fields over the saved plan: assumptions and notes merge key by key (null
    takes a value back to its default), every other field is replaced whole."""
    merged = dict(stored)
    for field, value in changes.items():
        if field in ("assumptions", "notes") and isinstance(value, dict):
            current = dict(merged.get(field) or {})
            for key, inner in value.items():
                if field == "assumptions" and isinstance(inner, dict):
                    year = dict(current.get(key) or {})
                    for name, number in inner.items():
                        if number is None or number == "":
                            year.pop(name, None)
                        else:
                            year[name] = number
                    current[key] = year
                elif inner is None or inner == "":
                    current.pop(key, None)
                else:
                    current[key] = inner
            merged[field] = current
        else:
            merged[field] = value
    return merged


@dataclass(frozen=True)
class ReportBasis:
    """What a report is made from, read once per generation."""

    plan: PlanSpec  # the plan checked against the books
    # The saved plan's projection; None before a plan is saved (the report then has the
    # actual years only, as before plans existed).
    projection: Projection | None
    # What the bank figures are computed on: the projection, or the books' years alone
    # (assessed all the same, with no projected year to check).
    assessed: Projection


def report_basis(*, project: Project, actual: Report) -> ReportBasis:
    record = plan_record(project=project)
    spec = _spec_of(record, actual)
    saved = record is not None and record.version > 0 and bool(actual.years)
    projection = project_years(actual, spec) if saved else None
    return ReportBasis(spec, projection, projection or Projection.of_books(actual))


def report_figures(*, basis: ReportBasis, readiness: BankReadiness) -> dict:
    """What a report stores of its years: ``years``, ``kinds`` and ``key_figures`` (JSON
    numbers), the estimate and projected years of the saved plan included; and, under
    ``bank``, the assessment, DSCR, ISCR, break-even, term loans and checks (API.md)."""

    if basis.projection is None:
        actual = basis.assessed.report
        figures, kinds = key_figures(actual), dict.fromkeys(actual.years, "audited")
    else:
        figures, kinds = basis.projection.key_figures(), dict(basis.projection.kinds)
    return {
        "years": list(figures),
        "kinds": kinds,
        "key_figures": {
            year: {name: None if value is None else float(value) for name, value in row.items()}
            for year, row in figures.items()
        },
        "bank": readiness.as_json(),
    }


def bank_figures(*, projection: Projection, plan: PlanSpec) -> dict:
    """API.md's report fields ``assessment``, ``dscr``, ``iscr``, ``break_even``,
    ``term_loans``, ``checks`` and ``ready_to_send``, as JSON numbers."""

    return bank_readiness(projection, plan).as_json()


def report_bank(*, output: Output) -> dict:
    """The bank fields a report stored at generation (kept beside its validation, under
    "bank"); a report made before them has none and is not ready to send until made
    again."""

    stored = (output.validation or {}).get("bank") or {}
    empty: dict = {
        "assessment": {},
        "dscr": {"average": None, "minimum": None, "by_year": {}},
        "iscr": {},
        "break_even": {},
        "term_loans": {},
        "checks": [],
    }
    bank = {field: stored.get(field, empty[field]) for field in BANK_FIELDS}
    validation_errors = (output.validation or {}).get("errors") or []
    bank["ready_to_send"] = (
        bool(stored) and bool(stored.get("ready_to_send")) and not (validation_errors)
    )
    return bank
