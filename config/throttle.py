"""Password guesses are throttled per account and per address (django-axes).

Axes records every failed sign-in in the database (its DB handler), so all web
processes share the count. After AXES_FAILURE_LIMIT failures for one account, or from
one address, sign-ins from it are refused for AXES_COOLOFF_TIME: the pages answer 429
with a page that says so, the token endpoint 429 with API.md's error shape, both with
Retry-After. The firm's owner unlocks a member on the audit page (`/audit/`); a
superuser in axes' own admin.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from axes.middleware import AxesMiddleware as AxesBaseMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse

API_PREFIX = "/api/"
LOCKED_CODE = "too_many_attempts"


class ThrottleBackend(AxesStandaloneBackend):
    """Axes' lockout check, for sign-ins that come with a request.

    Code that checks a password without a request (a management command, a shell) is
    not a guess from the network; axes would refuse it outright, so it passes here.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class AxesMiddleware(AxesBaseMiddleware):
    """Axes' middleware (last in MIDDLEWARE, as axes asks), declared sync only.

    The web's handler builds the whole chain synchronously anyway (config/threads.py).
    A handler that builds it for ASGI (the test suite's AsyncClient) would otherwise run
    axes and the few async-capable middleware above it on the event loop: a hop there
    and back, one per process_request/process_response of each MiddlewareMixin below
    TokenAuthMiddleware, and one more for the sync view (six in all; about 2 ms of CPU a
    request under daphne, the whole cost of a report GET, when daphne's handler did so).
    """

    async_capable = False


def normalise_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """One counter per account: emails are case-insensitive and typed with spaces."""
    name = (credentials or {}).get("username")
    if name is None:
        name = request.POST.get("username", "") if request else ""
    return str(name).strip().lower()


def client_address(request: HttpRequest) -> str:
    """The address guesses are counted by; only trusted proxies' X-Forwarded-For counts."""
    proxies = settings.THROTTLE_PROXY_COUNT
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        # Entries left of what our proxies appended are whatever the client typed.
        if len(hops) >= proxies and _is_address(hops[-proxies]):
            return hops[-proxies]
    address = request.META.get("REMOTE_ADDR", "")
    # A request with no address (force_login, a management command) still needs one
    # PostgreSQL's inet column takes: "unknown" is refused there, and silently kept by
    # SQLite, which is how a test suite on SQLite alone missed it.
    return address if _is_address(address) else UNKNOWN_ADDRESS


# Where a request came from when it does not say.
UNKNOWN_ADDRESS = "0.0.0.0"


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def cool_off_seconds(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    return max(1, int(cool_off.total_seconds())) if cool_off else 3600


def locked_out_message(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return (
        "Too many failed sign-ins for this account or from this address. Signing in is "
        f"blocked for {minutes} minutes; the firm's owner can unlock it sooner."
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: JSON for the API, the sign-in page's own message otherwise."""
    seconds = cool_off_seconds(request)
    detail = locked_out_message(seconds)
    response: HttpResponse
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(
            {"error": LOCKED_CODE, "detail": detail, "retry_after": seconds}, status=429
        )
    else:
        response = TemplateResponse(
            request,
            "registration/locked_out.html",
            {"detail": detail, "login_url": settings.LOGIN_URL},
            status=429,
        )
        response.render()
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response
