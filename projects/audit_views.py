"""The owner's audit page, its CSV and the sign-in unlock. Views parse and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from projects import audit
from projects.models import Firm


def _owner_firm(request: HttpRequest) -> Firm:
    try:
        return audit.audit_owner_firm(user=request.user)
    except audit.NotAnOwner as exc:
        raise PermissionDenied(str(exc)) from exc


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    firm = _owner_firm(request)
    filters = audit.audit_filters_parse(request.GET)
    page = audit.audit_page(firm=firm, filters=filters, page=request.GET.get("page", 1))
    return render(
        request,
        "projects/audit.html",
        {
            "firm": firm,
            "filters": filters,
            "page": page,
            "rows": [
                (entry, audit.audit_who(entry), audit.audit_describe(entry)) for entry in page
            ],
            "choices": audit.audit_choices(firm=firm),
            "query": filters.query(),
            "lockouts": audit.lockouts_for_firm(firm=firm),
        },
        status=400 if filters.errors else 200,
    )


@login_required
@require_GET
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    firm = _owner_firm(request)
    filters = audit.audit_filters_parse(request.GET)
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response = StreamingHttpResponse(
        audit.audit_csv_lines(firm=firm, filters=filters), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response


@login_required
@require_POST
def audit_unlock(request: HttpRequest) -> HttpResponse:
    firm = _owner_firm(request)
    user_id = request.POST.get("user", "")
    if not user_id.isdigit():
        raise Http404("No such member.")
    try:
        audit.member_unlock(owner=request.user, firm=firm, user_id=int(user_id))
    except audit.NotAMemberOfTheFirm as exc:
        raise Http404("No such member.") from exc
    messages.success(request, "Unlocked: the member can sign in again.")
    return redirect("audit")
