"""The projects and files part of the JSON API (API.md). Views parse and render."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from config.http import ApiError, api_view, error_response, iso, json_body, paginate
from config.throttle import lockout_response
from pipeline.selectors import latest_run, run_summary
from projects import selectors, services
from projects.audit import audit_download_record
from projects.cma.heads import HEADS
from projects.cma.projections import Plan as PlanSpec
from projects.cma.projections import (
    PlanInvalid,
    Projection,
    limit_to_data,
    loan_to_data,
    stock_statement_to_data,
)
from projects.cma.projections import project as project_years
from projects.models import (
    LineItem,
    Output,
    Plan,
    Project,
    ProjectFile,
    ReviewItem,
    ReviewItemStatus,
)


def file_json(project_file: ProjectFile) -> dict[str, Any]:
    return {
        "id": project_file.pk,
        "name": project_file.name,
        "size": project_file.size,
        "sha256": project_file.sha256,
        "kind": project_file.kind,
        "fiscal_year": project_file.fiscal_year or None,
        "status": project_file.status,
        "error": project_file.error or None,
        "acceptable": project_file.error_acceptable and not project_file.accepted,
        "accepted_at": iso(project_file.accepted_at),
        "company": project_file.company or None,
        "warnings": project_file.warnings,
        "created_at": iso(project_file.created_at),
        "download_url": reverse(
            "api-file-download", args=[project_file.project_id, project_file.pk]
        ),
    }


def project_json(project: Project) -> dict[str, Any]:
    return {
        "id": project.pk,
        "name": project.name,
        "client_name": project.client_name,
        "status": project.status,
        "is_processing": project.is_processing,
        "files": [file_json(f) for f in project.files.all()],
        "latest_run": run_summary(run) if (run := latest_run(subject_id=project.pk)) else None,
        "created_at": iso(project.created_at),
    }


def _validation_error(exc: ValidationError) -> ApiError:
    return ApiError(400, "invalid", " ".join(exc.messages))


@csrf_exempt  # No session is involved: the credentials are in the body.
def auth_token(request: HttpRequest) -> HttpResponse:
    """The one API call that needs no credentials: it trades a password for a token."""
    if request.method != "POST":
        return error_response(405, "method_not_allowed", f"{request.method} is not allowed here.")
    try:
        data = json_body(request)
    except ApiError as exc:
        return exc.response()
    username = str(data.get("username", "")).strip().lower()
    password = str(data.get("password", ""))
    user = authenticate(request, username=username, password=password) if username else None
    if getattr(request, "axes_locked_out", False):
        # Too many guesses for this account or from this address (config/throttle.py).
        return lockout_response(request)
    if user is None:
        return error_response(400, "invalid_credentials", "The email or password is wrong.")
    return JsonResponse({"token": services.api_token_issue(user=user)})


@api_view("GET", "POST")
def projects(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        data = json_body(request)
        try:
            project = services.project_create(
                user=request.user,
                name=str(data.get("name", "")),
                client_name=str(data.get("client_name", "") or ""),
            )
        except services.NotAMember as exc:
            raise ApiError(403, "not_a_member", str(exc)) from exc
        except ValidationError as exc:
            raise _validation_error(exc) from exc
        return JsonResponse(project_json(project), status=201)
    items = selectors.project_list_for_user(user=request.user).prefetch_related("files")
    return paginate(request, items, project_json)


@api_view("GET")
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    return JsonResponse(project_json(project))


@api_view("GET", "POST")
def project_files(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    if request.method == "GET":
        return paginate(request, selectors.project_files(project=project), file_json)
    stored = files_upload(request, project)
    return JsonResponse({"files": [file_json(f) for f in stored]}, status=201)


def files_upload(request: HttpRequest, project: Project) -> list[ProjectFile]:
    """Shared by the API and the project page: the upload in the request, or ApiError."""
    if services.upload_body_too_large(request.META.get("CONTENT_LENGTH")):
        raise ApiError(
            413,
            "file_too_large",
            f"The upload is too large: each file may be at most {settings.MAX_UPLOAD_MB} MB.",
        )
    try:
        return services.project_files_add(
            project=project,
            uploads=request.FILES.getlist("files"),
            user=request.user,
            fiscal_year=request.POST.get("fiscal_year") or None,
        )
    except services.ProjectBusy as exc:
        raise ApiError(409, "already_running", str(exc)) from exc
    except ValidationError as exc:
        raise ApiError(400, "invalid_fiscal_year", " ".join(exc.messages)) from exc
    except services.FilesRejected as exc:
        problems = [p.as_dict() for p in exc.problems]
        if exc.too_large:
            raise ApiError(413, "file_too_large", str(exc), files=problems) from exc
        first = exc.problems[0].code
        code = first if first in {"no_files", "too_many_files"} else "invalid_files"
        raise ApiError(400, code, str(exc), files=problems) from exc


@api_view("GET", "DELETE")
def project_file_detail(request: HttpRequest, project_id: int, file_id: int) -> HttpResponse:
    project_file = selectors.project_file_get_for_user(
        user=request.user, project_id=project_id, file_id=file_id
    )
    if request.method == "GET":
        return JsonResponse(file_json(project_file))
    try:
        services.project_file_delete(project_file=project_file, user=request.user)
    except services.ProjectBusy as exc:
        raise ApiError(409, "already_running", str(exc)) from exc
    return HttpResponse(status=204)


@api_view("GET")
def project_file_rows(request: HttpRequest, project_id: int, file_id: int) -> HttpResponse:
    """Every row of the file the latest run did not take as a line item, and why."""
    project_file = selectors.project_file_get_for_user(
        user=request.user, project_id=project_id, file_id=file_id
    )
    return JsonResponse(
        {
            "line_items": dict(selectors.file_item_counts(project_file=project_file)),
            "skipped_rows": project_file.skipped_rows,
        }
    )


@api_view("POST")
def project_file_accept(request: HttpRequest, project_id: int, file_id: int) -> HttpResponse:
    project_file = selectors.project_file_get_for_user(
        user=request.user, project_id=project_id, file_id=file_id
    )
    try:
        project_file = services.project_file_accept(project_file=project_file, user=request.user)
    except services.ProjectBusy as exc:
        raise ApiError(409, "already_running", str(exc)) from exc
    except services.NothingToAccept as exc:
        raise ApiError(409, "nothing_to_accept", str(exc)) from exc
    return JsonResponse(file_json(project_file))


@api_view("GET")
def project_file_download(request: HttpRequest, project_id: int, file_id: int) -> HttpResponse:
    project_file = selectors.project_file_get_for_user(
        user=request.user, project_id=project_id, file_id=file_id
    )
    audit_download_record(user=request.user, project_file=project_file)
    return file_download_response(project_file)


def file_download_response(project_file: ProjectFile) -> FileResponse:
    return FileResponse(
        project_file.file.open("rb"), as_attachment=True, filename=project_file.name
    )


# Line items, review, heads ----------------------------------------------------------


def line_item_json(item: LineItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "file_id": item.file_id,
        "year": item.year,
        "label": item.label,
        "amount": float(item.amount),
        "side": item.side,
        "source": item.source,
        "section": item.section or None,
        "closing_stock": item.closing_stock,
        "basis": item.basis,
        "head": item.head or None,
        "confidence": item.confidence,
        "method": item.method or None,
        "alternatives": item.alternatives,
        "review_status": item.review_status or None,
    }


@api_view("GET")
def project_line_items(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    items = selectors.line_items(
        project=project,
        year=request.GET.get("year", ""),
        head=request.GET.get("head", ""),
        status=request.GET.get("status", ""),
    )
    return paginate(request, items, line_item_json)


def review_item_json(item: ReviewItem) -> dict[str, Any]:
    line = item.line_item
    return {
        "id": item.pk,
        "run_id": item.run_id,
        "status": item.status,
        "suggested_head": item.suggested_head or None,
        "final_head": item.final_head or None,
        "confidence": item.confidence,
        "alternatives": item.alternatives,
        "decided_by": getattr(item.decided_by, "username", None),
        "decided_at": iso(item.decided_at),
        "line_item": {
            "id": line.pk,
            "label": line.label,
            "amount": float(line.amount),
            "side": line.side,
            "year": line.year,
            "file": line.file.name,
            "source": line.source,
        },
    }


@api_view("GET")
def project_review_items(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    items = selectors.review_items(project=project)
    status = request.GET.get("status")
    if status:
        if status not in ReviewItemStatus.values:
            raise ApiError(
                400, "invalid_filter", f"status must be one of {ReviewItemStatus.values}."
            )
        items = items.filter(status=status)
    return paginate(request, items, review_item_json)


@api_view("POST")
def review_item_decide(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.review_item_get_for_user(user=request.user, item_id=item_id)
    data = json_body(request)
    try:
        item = services.review_item_decide(
            item=item,
            user=request.user,
            action=str(data.get("action", "")),
            head=data.get("head"),
        )
    except services.NotAReviewer as exc:
        raise ApiError(403, "not_a_reviewer", str(exc)) from exc
    except services.UnknownHead as exc:
        raise ApiError(400, "unknown_head", str(exc)) from exc
    except services.ReviewLocked as exc:
        raise ApiError(409, "review_locked", str(exc)) from exc
    except ValidationError as exc:
        raise ApiError(400, "invalid_action", " ".join(exc.messages)) from exc
    return JsonResponse(review_item_json(item))


@api_view("GET")
def heads(request: HttpRequest) -> HttpResponse:
    return JsonResponse(
        [
            {"id": h.id, "item": h.item, "label": h.label, "side": h.group, "normal": h.normal}
            for h in HEADS
        ],
        safe=False,
    )


# Report and outputs -----------------------------------------------------------------


def output_json(output: Output) -> dict[str, Any]:
    return {
        "id": output.pk,
        "name": output.name,
        "size": output.size,
        "sha256": output.sha256,
        "run_id": output.run_id,
        "created_at": iso(output.created_at),
        "download_url": reverse("api-output-download", args=[output.pk]),
    }


@api_view("GET")
def project_report(request: HttpRequest, project_id: int) -> HttpResponse:
    output = selectors.latest_output_for_user(user=request.user, project_id=project_id)
    if output is None:
        selectors.project_get_for_user(user=request.user, project_id=project_id)  # or a 404
        raise ApiError(404, "no_report", "No report has been generated for this project yet.")
    # The bank fields are stored beside the validation (selectors.report_bank).
    validation = {key: value for key, value in output.validation.items() if key != "bank"}
    return JsonResponse(
        {
            "years": output.years,
            # Reports made before plans existed have actual years only.
            "kinds": {year: output.kinds.get(year, "audited") for year in output.years},
            "key_figures": output.key_figures,
            "validation": validation,
            **selectors.report_bank(output=output),
            "output": {
                "id": output.pk,
                "name": output.name,
                "download_url": reverse("api-output-download", args=[output.pk]),
            },
        }
    )


@api_view("GET")
def project_outputs(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    return paginate(request, selectors.outputs(project=project), output_json)


@api_view("GET")
def output_download(request: HttpRequest, output_id: int) -> HttpResponse:
    output = selectors.output_get_for_user(user=request.user, output_id=output_id)
    audit_download_record(user=request.user, output=output)
    return FileResponse(output.file.open("rb"), as_attachment=True, filename=output.name)


# The plan (API.md "Plan, assessment and bank readiness") --------------------------


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def plan_json(*, record: Plan | None, spec: PlanSpec, projection: Projection) -> dict[str, Any]:
    """The plan as API.md gives it: what was set, and every default beside it."""
    projected = projection.projected
    return {
        "version": record.version if record else 0,
        "updated_at": iso(record.updated_at) if record else None,
        "updated_by": getattr(record.updated_by, "username", None) if record else None,
        "estimate_year": projected[0] if projected else None,
        "projected_years": spec.projected_years,
        "years": [{"year": year, "kind": kind} for year, kind in projection.kinds.items()],
        "assumptions": {
            year: {key: float(value) for key, value in spec.assumptions.get(year, {}).items()}
            for year in projected
        },
        "defaults": {
            year: {key: float(value) for key, value in projection.defaults.items()}
            for year in projected
        },
        "limits": [limit_to_data(limit, float) for limit in projection.limits],
        "term_loans": [loan_to_data(loan, float) for loan in projection.loans],
        "msme": spec.msme,
        "display_unit": spec.display_unit,
        "notes": dict(spec.notes),
        "stock_statement": (
            None
            if spec.stock_statement is None
            else stock_statement_to_data(spec.stock_statement, float)
        ),
    }


def projection_json(projection: Projection, spec: PlanSpec) -> dict[str, Any]:
    """What a plan makes of the books: every year's key figures, with its kind, and the
    bank's view of them (assessment, DSCR, ISCR, break-even, term loans, checks)."""
    return {
        "years": [{"year": year, "kind": kind} for year, kind in projection.kinds.items()],
        "key_figures": {
            year: {name: _number(value) for name, value in figures.items()}
            for year, figures in projection.key_figures().items()
        },
        **selectors.bank_figures(projection=projection, plan=spec),
    }


def _if_match(request: HttpRequest) -> int | None:
    """The version in an If-Match header ("3", '"3"' or 'W/"3"'); -1 for anything else,
    which matches no version."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    text = header.strip().removeprefix("W/").strip('"')
    return int(text) if text.isdigit() else -1


@api_view("GET", "PUT")
def project_plan(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    if request.method == "PUT":
        data = json_body(request)
        for field in ("version", "defaults"):
            data.pop(field, None)  # read-only: a client may send the plan back as it got it
        try:
            services.plan_save(
                project=project, user=request.user, data=data, if_match=_if_match(request)
            )
        except PlanInvalid as exc:
            raise ApiError(
                400, "invalid_plan", "Some fields of the plan are not right.", fields=exc.fields
            ) from exc
        except services.StalePlan as exc:
            raise ApiError(409, "stale_plan", str(exc), version=exc.latest) from exc
        except services.ProjectBusy as exc:
            raise ApiError(409, "already_running", str(exc)) from exc
    actual = selectors.actual_report(project=project)
    spec = selectors.plan_spec(project=project, actual=actual)
    body = plan_json(
        record=selectors.plan_record(project=project),
        spec=spec,
        projection=project_years(actual, spec),
    )
    return JsonResponse(body)


@api_view("GET")
def project_plan_history(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    return paginate(
        request,
        selectors.plan_history(project=project),
        lambda version: {
            "version": version.version,
            "updated_at": iso(version.created_at),
            "updated_by": getattr(version.created_by, "username", None),
            "changes": version.changes,
        },
    )


@api_view("POST")
def project_plan_preview(request: HttpRequest, project_id: int) -> HttpResponse:
    """What a plan being edited makes of the books; nothing is saved."""
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    data = json_body(request)
    for field in ("version", "defaults"):
        data.pop(field, None)
    actual = selectors.actual_report(project=project)
    try:
        spec = selectors.plan_spec(project=project, actual=actual, overrides=data)
    except PlanInvalid as exc:
        raise ApiError(
            400, "invalid_plan", "Some fields of the plan are not right.", fields=exc.fields
        ) from exc
    return JsonResponse(projection_json(project_years(actual, spec), spec))
