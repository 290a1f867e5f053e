"""JSON API plumbing of the whole site (the engine's API and the product's): errors,
auth, methods, pagination, the CSRF failure view, and times as API.md writes them.

Contract (API.md): JSON errors `{"error": code, "detail": sentence}`; no credentials is a
401 JSON, never a redirect; lists are `{"count", "next", "previous", "results"}`, 50 a page.
Token requests are authenticated (and exempted from CSRF) by
``projects.middleware.TokenAuthMiddleware``; session requests keep Django's CSRF check.
"""

import functools
import json
from collections.abc import Callable
from typing import Any

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.csrf import csrf_failure as default_csrf_failure

PAGE_SIZE = 50

View = Callable[..., HttpResponse]


class ApiError(Exception):
    """Raised anywhere below an API view; becomes `{"error", "detail", **extra}`."""

    def __init__(self, status: int, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.extra = extra

    def response(self) -> JsonResponse:
        return error_response(self.status, self.code, self.detail, **self.extra)


def iso(value: Any) -> str | None:
    """A time as API.md writes it: ISO 8601 in UTC with a Z, or None."""
    return value.isoformat().replace("+00:00", "Z") if value else None


def error_response(status: int, code: str, detail: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": code, "detail": detail, **extra}, status=status)


def api_view(*methods: str) -> Callable[[View], View]:
    """Wraps a JSON view: allowed methods, login required (401), errors as JSON."""

    allowed = {m.upper() for m in methods}

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in allowed:
                response = error_response(
                    405, "method_not_allowed", f"{request.method} is not allowed here."
                )
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            if not request.user.is_authenticated:
                return unauthorized_response(request)
            try:
                return view(request, *args, **kwargs)
            except ApiError as exc:
                return exc.response()
            except Http404:
                return error_response(404, "not_found", "Not found.")

        return wrapper

    return decorator


def unauthorized_response(request: HttpRequest) -> JsonResponse:
    detail = getattr(request, "auth_error", None) or "Authentication credentials were not given."
    response = error_response(401, "not_authenticated", detail)
    response["WWW-Authenticate"] = 'Token realm="api"'
    return response


def json_body(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON object; an empty body is an empty object."""
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "invalid_json", "The request body is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "The request body must be a JSON object.")
    return data


def paginate(
    request: HttpRequest,
    items: QuerySet | list,
    serialize: Callable[[Any], dict[str, Any]],
) -> JsonResponse:
    paginator = Paginator(items, PAGE_SIZE)
    try:
        number = int(request.GET.get("page", "1"))
        page = paginator.page(number)
    except (ValueError, EmptyPage) as exc:
        raise ApiError(404, "invalid_page", "That page does not exist.") from exc

    def link(n: int) -> str:
        query = request.GET.copy()
        query["page"] = str(n)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return JsonResponse(
        {
            "count": paginator.count,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [serialize(item) for item in page.object_list],
        }
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """JSON for the API, Django's page elsewhere.

    CSRF guards a session; a request with no credentials at all is told so (401, as
    API.md says), not that a CSRF token it has no use for is missing."""
    if request.path.startswith("/api/"):
        if not request.user.is_authenticated:
            return unauthorized_response(request)
        return error_response(403, "csrf_failed", f"CSRF check failed: {reason}")
    return default_csrf_failure(request, reason)
