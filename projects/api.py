"""The projects and files part of the JSON API (API.md). Views parse and render."""

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from pipeline.http import ApiError, api_view, error_response, json_body, paginate
from pipeline.selectors import latest_run, run_summary
from projects import selectors, services
from projects.models import Project, ProjectFile


def iso(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


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
        services.project_file_delete(project_file=project_file)
    except services.ProjectBusy as exc:
        raise ApiError(409, "already_running", str(exc)) from exc
    return HttpResponse(status=204)


@api_view("GET")
def project_file_download(request: HttpRequest, project_id: int, file_id: int) -> HttpResponse:
    project_file = selectors.project_file_get_for_user(
        user=request.user, project_id=project_id, file_id=file_id
    )
    return file_download_response(project_file)


def file_download_response(project_file: ProjectFile) -> FileResponse:
    return FileResponse(
        project_file.file.open("rb"), as_attachment=True, filename=project_file.name
    )
