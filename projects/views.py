"""Server-rendered pages. Views parse and render; services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from projects import selectors, services
from projects.models import ProjectStatus


@login_required
@require_http_methods(["GET", "POST"])
def project_list(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            project = services.project_create(
                user=request.user,
                name=request.POST.get("name", ""),
                client_name=request.POST.get("client_name", ""),
            )
        except services.NotAMember as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, f"Project “{project.name}” created. Upload its files next.")
            return redirect("project-detail", project_id=project.pk)
    projects = selectors.project_list_for_user(user=request.user)
    return render(
        request,
        "projects/project_list.html",
        {"projects": projects, "errors": errors, "form_data": request.POST},
        status=400 if errors else 200,
    )


@login_required
@require_GET
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "files": selectors.project_files(project=project),
            "statuses": ProjectStatus,
        },
    )


@login_required
@require_POST
def project_upload(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    if services.upload_body_too_large(request.META.get("CONTENT_LENGTH")):
        messages.error(request, "The upload is too large; nothing was stored.")
        return redirect("project-detail", project_id=project.pk)
    try:
        stored = services.project_files_add(
            project=project,
            uploads=request.FILES.getlist("files"),
            user=request.user,
            fiscal_year=request.POST.get("fiscal_year") or None,
        )
    except services.FilesRejected as exc:
        for problem in exc.problems:
            messages.error(request, problem.detail)
        messages.error(
            request, "Nothing from this upload was stored; fix or leave out the files above."
        )
    except (services.ProjectBusy, ValidationError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    else:
        names = ", ".join(f.name for f in stored)
        messages.success(request, f"Uploaded {names}.")
    return redirect("project-detail", project_id=project.pk)


@login_required
@require_POST
def project_file_delete(request: HttpRequest, project_id: int, file_id: int) -> HttpResponse:
    project_file = selectors.project_file_get_for_user(
        user=request.user, project_id=project_id, file_id=file_id
    )
    try:
        services.project_file_delete(project_file=project_file)
    except services.ProjectBusy as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Removed {project_file.name}.")
    return redirect("project-detail", project_id=project_id)


@login_required
@require_GET
def project_file_download(request: HttpRequest, project_id: int, file_id: int) -> FileResponse:
    project_file = selectors.project_file_get_for_user(
        user=request.user, project_id=project_id, file_id=file_id
    )
    return FileResponse(
        project_file.file.open("rb"), as_attachment=True, filename=project_file.name
    )
