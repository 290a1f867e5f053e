"""Server-rendered pages. Views parse and render; services decide.

Every page works without JavaScript (forms post and redirect back). With htmx, the
same views answer a request made by htmx (`request.htmx`) with the page's live parts
as out-of-band fragments instead: the forms post without a reload, and a page whose
socket reconnected fetches its whole state again.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pipeline import engine, registry
from pipeline import fragments as run_fragments
from pipeline import selectors as run_selectors
from pipeline import services as run_services
from pipeline.models import RunStatus
from projects import fragments, selectors, services
from projects.audit import audit_download_record
from projects.cma.classify import METHOD_LABELS
from projects.cma.extract import format_inr
from projects.cma.heads import HEADS, head_choices, head_title
from projects.models import Project, ProjectStatus, ReviewStatus


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
    params = selectors.project_list_params(request.GET)
    page = selectors.project_page_for_user(user=request.user, **params)
    ids = [project.pk for project in page]
    if request.htmx:
        # The list's socket is down: the shown projects' badges, by polling.
        return HttpResponse("".join(fragments.render_badges(project_ids=ids).values()))
    badges = {b["project_id"]: b for b in selectors.project_badges(project_ids=ids)}
    return render(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "rows": [(project, badges[project.pk]) for project in page],
            "search": params["search"].strip(),
            "status": params["status"],
            "statuses": ProjectStatus.choices,
            # The socket and the polling ask for the same page as the one shown.
            "list_query": request.GET.urlencode(),
            "page_query": _without_page(request.GET),
            "errors": errors,
            "form_data": request.POST,
        },
        status=400 if errors else 200,
    )


def _without_page(query: QueryDict) -> str:
    rest = query.copy()
    rest.pop("page", None)
    return rest.urlencode()


def _is_reviewer(user: Any) -> bool:
    membership = selectors.membership_for_user(user=user)
    return bool(membership and membership.is_reviewer)


def _live_parts(request: HttpRequest, project: Project) -> HttpResponse:
    """For htmx: the messages and every live part of the project page, out of band."""
    parts = fragments.render_project_parts(
        project_id=project.pk, is_reviewer=_is_reviewer(request.user)
    )
    flash = render_to_string("partials/messages.html", {"oob": True}, request=request)
    # After the parts: the upload form's own messages, beside it (empty clears old ones).
    beside_upload = render_to_string(
        "projects/partials/upload_messages.html", {"oob": True}, request=request
    )
    return HttpResponse(flash + "".join(parts.values()) + beside_upload)


def _back_to_project(request: HttpRequest, project: Project) -> HttpResponse:
    if request.htmx:
        return _live_parts(request, project)
    return redirect("project-detail", project_id=project.pk)


@login_required
@require_GET
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(
        user=request.user, project_id=project_id, with_plan=True
    )
    if request.htmx:
        return _live_parts(request, project)
    context = fragments.project_page_context(
        project=project, is_reviewer=_is_reviewer(request.user)
    )
    # The token the context processor would give, as a string: its lazy object answered
    # each of the page's forms through a proxy (~10 µs a form).
    context["csrf_token"] = get_token(request)
    return render(request, "projects/project_detail.html", context)


@login_required
@require_GET
def project_review(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's review items, read-only: what the CAs were asked and decided."""
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    rows = [
        {
            "item": item,
            "amount": format_inr(item.line_item.amount),
            "suggested": head_title(item.suggested_head),
            "final": head_title(item.final_head) if item.final_head else "",
        }
        for item in selectors.review_items(project=project)
    ]
    return render(
        request,
        "projects/project_review.html",
        {
            "project": project,
            "rows": rows,
            "is_reviewer": _is_reviewer(request.user),
            "review_url": fragments.review_list_url(project),
        },
    )


LINE_ITEMS_PER_PAGE = 100


def _line_item_view(item: Any) -> dict[str, Any]:
    return {
        "item": item,
        "amount": format_inr(item.amount),
        "head": head_title(item.head) if item.head else "",
        "method": METHOD_LABELS.get(item.method, item.method),
        # Why this head, and what came next: what a CA weighs before approving it.
        "evidence": list(item.evidence or []),
        "runners_up": [
            {"head": head_title(alt["head"]), "confidence": alt["confidence"]}
            for alt in item.alternatives or []
            if alt.get("head")
        ],
    }


@login_required
@require_GET
def project_line_items(request: HttpRequest, project_id: int) -> HttpResponse:
    """Every line item of the project with its head, how it was found and who decided:
    what a CA checks before signing, auto-approved items included."""
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    wanted = {field: request.GET.get(field, "") for field in ("year", "head", "status", "q")}
    items = selectors.line_items(
        project=project,
        year=wanted["year"],
        head=wanted["head"],
        status=wanted["status"],
        search=wanted["q"],
    )
    page = Paginator(items, LINE_ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    everything = selectors.line_items(project=project)
    used = set(everything.order_by().values_list("head", flat=True).distinct())
    rows = [_line_item_view(item) for item in page]
    return render(
        request,
        "projects/project_line_items.html",
        {
            "project": project,
            "page": page,
            "rows": rows,
            "wanted": wanted,
            "years": everything.order_by("year").values_list("year", flat=True).distinct(),
            # The heads in use, in the forms' order.
            "heads": [(head.id, head_title(head.id)) for head in HEADS if head.id in used],
            "statuses": ReviewStatus.choices,
            "page_query": _without_page(request.GET),
            "list_query": request.GET.urlencode(),
            "total": everything.count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_line_item(request: HttpRequest, project_id: int, item_id: int) -> HttpResponse:
    """One line item; a CA or an owner may move it to another head."""
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    item = selectors.line_item_get(project=project, item_id=item_id)
    # Back to the list as it was filtered; only the query string is carried, never a URL.
    back_query = QueryDict(request.POST.get("back") or request.GET.get("back", ""))
    back = reverse("project-line-items", args=[project.pk])
    if back_query:
        back = f"{back}?{back_query.urlencode()}"
    status = 200
    if request.method == "POST":
        try:
            head = request.POST.get("head", "")
            item = services.line_item_correct(item=item, user=request.user, head=head)
        except services.NotAReviewer as exc:
            raise PermissionDenied(str(exc)) from exc
        except services.UnknownHead as exc:
            messages.error(request, str(exc))
            status = 400
        except services.ProjectBusy as exc:
            messages.error(request, str(exc))
            return redirect(back)
        else:
            messages.success(
                request,
                f"“{item.label}” ({item.year}) now goes to {head_title(item.head)}. "
                "Process again from Validate to update the report.",
            )
            return redirect(back)
    return render(
        request,
        "projects/project_line_item.html",
        {
            "project": project,
            **_line_item_view(item),
            "head_choices": head_choices(),
            "is_reviewer": _is_reviewer(request.user),
            "back": back,
            "back_query": back_query.urlencode(),
        },
        status=status,
    )


def _process_options(data: QueryDict) -> dict[str, Any]:
    """The Process form's fields as run options; the engine validates them."""
    options: dict[str, Any] = {
        "skip_review": data.get("skip_review") == "on",
        "skip_validation": data.get("skip_validation") == "on",
        "force_reprocess": data.get("force_reprocess") == "on",
        # A hidden "0" comes before the checkbox, so a form without the field keeps
        # the default (on) and an unticked box sends "0".
        "notify_on_review": data.get("notify_on_review", "1") != "0",
    }
    if data.get("start_from"):
        options["start_from"] = data["start_from"]
    # In %, as the review list shows confidence; the engine takes a fraction.
    threshold = data.get("auto_approve_above", "").strip().rstrip("%").strip()
    if threshold:
        try:
            percent = float(threshold)
        except ValueError:
            percent = -1.0
        if not 0 <= percent <= 100:
            raise engine.InvalidOptions("“Auto-approve above” must be a percentage from 0 to 100.")
        options["auto_approve_above"] = percent / 100
    return options


@login_required
@require_POST
def project_process(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    if settings.PIPELINE_DEFAULT not in registry.names():
        messages.error(request, "Processing is not available right now; nothing was started.")
        return _back_to_project(request, project)
    try:
        run = run_services.run_create(
            subject=project,
            pipeline_name=settings.PIPELINE_DEFAULT,
            options=_process_options(request.POST),
            requested_by=request.user,
        )
    except engine.InvalidOptions as exc:
        messages.error(request, f"Not started: {run_fragments.ui_words(str(exc))}")
    except run_services.NoInput as exc:
        messages.error(request, str(exc))
    except run_services.RunActive as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Processing started (run {run.pk}).")
    return _back_to_project(request, project)


@login_required
@require_POST
def project_retry(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    try:
        run = run_services.run_retry(subject=project)
    except run_services.NotAllowed as exc:
        messages.error(request, exc.detail)
    except run_services.RunActive as exc:
        messages.error(request, str(exc))
    else:
        step = run.current_step or "the failed step"
        messages.success(request, f"Retrying run {run.pk} from {step}.")
    return _back_to_project(request, project)


@login_required
@require_POST
def project_resume(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    try:
        run = run_services.run_resume(subject=project, decided_by=request.user)
    except run_services.NotAllowed as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"Run {run.pk} continues after review.")
    return _back_to_project(request, project)


@login_required
@require_POST
def run_cancel(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_selectors.run_get_for_user(user=request.user, run_id=run_id)
    try:
        run = run_services.run_cancel(run=run)
    except run_services.NotAllowed as exc:
        messages.error(request, exc.detail)
    else:
        if run.status == RunStatus.CANCELLED:
            messages.success(request, f"Run {run.pk} was cancelled.")
        else:
            messages.success(request, f"Cancelling run {run.pk}: it stops at the next safe point.")
    project = selectors.project_get_for_user(user=request.user, project_id=run.project_id)
    return _back_to_project(request, project)


@login_required
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = run_selectors.run_get_for_user(user=request.user, run_id=run_id)
    context = run_fragments.run_page_context(run)
    if request.htmx:
        parts = run_fragments.RUN_PAGE_PARTS
        return HttpResponse("".join(run_fragments.render_parts(parts, context, parts).values()))
    project = selectors.project_get_for_user(user=request.user, project_id=run.project_id)
    options = [
        (run_fragments.OPTION_LABELS.get(name, name.replace("_", " ").capitalize()), value)
        for name, value in sorted(run.options.items())
    ]
    file_notes = selectors.run_file_notes(run_id=run.pk)
    return render(
        request,
        "projects/run_detail.html",
        {
            **context,
            "project": project,
            "options": options,
            "file_notes": file_notes,
            "decisions": fragments.run_decisions(run_id=run.pk),
        },
    )


@login_required
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    data = run_selectors.run_stats(user=request.user)
    order = run_fragments.step_names(settings.PIPELINE_DEFAULT)
    human = run_fragments.human_steps(settings.PIPELINE_DEFAULT)
    return render(request, "projects/stats.html", run_fragments.stats_view(data, order, human))


@login_required
@require_POST
def project_upload(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    # Tagged "upload": shown under the upload form, where the person is looking.
    if services.upload_body_too_large(request.META.get("CONTENT_LENGTH")):
        messages.error(request, "The upload is too large; nothing was stored.", UPLOAD)
        return _back_to_upload(request, project)
    try:
        stored = services.project_files_add(
            project=project,
            uploads=request.FILES.getlist("files"),
            user=request.user,
            fiscal_year=request.POST.get("fiscal_year") or None,
        )
    except services.FilesRejected as exc:
        for problem in exc.problems:
            messages.error(request, problem.detail, UPLOAD)
        messages.error(
            request,
            "Nothing from this upload was stored; fix or leave out the files above.",
            UPLOAD,
        )
    except (services.ProjectBusy, ValidationError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text, UPLOAD)
    else:
        names = ", ".join(f.name for f in stored)
        messages.success(request, f"Uploaded {names}.", UPLOAD)
        response = _back_to_upload(request, project)
        # The form keeps the chosen files after a refusal (to fix and send again) and is
        # emptied only when they were stored.
        response["HX-Trigger"] = "upload-stored"
        return response
    return _back_to_upload(request, project)


UPLOAD = "upload"


def _back_to_upload(request: HttpRequest, project: Project) -> HttpResponse:
    if request.htmx:
        return _live_parts(request, project)
    url = reverse("project-detail", args=[project.pk])
    return redirect(f"{url}#upload-messages")


@login_required
@require_POST
def project_file_delete(request: HttpRequest, project_id: int, file_id: int) -> HttpResponse:
    project_file = selectors.project_file_get_for_user(
        user=request.user, project_id=project_id, file_id=file_id
    )
    try:
        services.project_file_delete(project_file=project_file, user=request.user)
    except services.ProjectBusy as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Removed {project_file.name}.")
    return _back_to_project(request, project_file.project)


@login_required
@require_GET
def project_file_detail(request: HttpRequest, project_id: int, file_id: int) -> HttpResponse:
    """What the latest run read from one file: its warnings, its items by year, and every
    row that did not become an item, with the reason."""
    project_file = selectors.project_file_get_for_user(
        user=request.user, project_id=project_id, file_id=file_id
    )
    rows = project_file.skipped_rows
    context = {
        "project": project_file.project,
        "file": project_file,
        "items_by_year": selectors.file_item_counts(project_file=project_file),
        "totals": [row for row in rows if row.get("kind") == "total"],
        "ignored": [row for row in rows if row.get("kind") != "total"],
        "is_processing": project_file.project.is_processing,
    }
    return render(request, "projects/project_file.html", context)


@login_required
@require_POST
def project_file_accept(request: HttpRequest, project_id: int, file_id: int) -> HttpResponse:
    project_file = selectors.project_file_get_for_user(
        user=request.user, project_id=project_id, file_id=file_id
    )
    try:
        services.project_file_accept(project_file=project_file, user=request.user)
    except (services.ProjectBusy, services.NothingToAccept) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Accepted {project_file.name} as it is. Process the project again to use it; "
            "what it was refused for stays with the report as a warning.",
        )
    return _back_to_project(request, project_file.project)


@login_required
@require_GET
def project_file_download(request: HttpRequest, project_id: int, file_id: int) -> FileResponse:
    project_file = selectors.project_file_get_for_user(
        user=request.user, project_id=project_id, file_id=file_id
    )
    audit_download_record(user=request.user, project_file=project_file)
    return FileResponse(
        project_file.file.open("rb"), as_attachment=True, filename=project_file.name
    )


@login_required
@require_GET
def output_download(request: HttpRequest, output_id: int) -> FileResponse:
    """A generated workbook; the "report ready" email links here (a login first)."""
    output = selectors.output_get_for_user(user=request.user, output_id=output_id)
    audit_download_record(user=request.user, output=output)
    return FileResponse(output.file.open("rb"), as_attachment=True, filename=output.name)


# The plan page ------------------------------------------------------------------------
