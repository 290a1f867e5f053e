"""`Authorization: Token <key>` for the JSON API."""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse

from projects.services import api_token_authenticate

API_PREFIX = "/api/"


class TokenAuthMiddleware:
    """Authenticates API requests that carry a token; they are exempt from CSRF.

    A browser never attaches this header by itself, so a forged cross-site request
    cannot carry it: that is why token requests need no CSRF token. A wrong token is
    not silently ignored in favour of the session: the request becomes anonymous and
    the API answers 401 with the reason.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if request.path.startswith(API_PREFIX) and header:
            scheme, _, key = header.partition(" ")
            if scheme.lower() == "token" and key.strip():
                user = api_token_authenticate(key=key.strip())
                request.user = user or AnonymousUser()
                if user is None:
                    request.auth_error = "The token is invalid or was revoked."
                request._dont_enforce_csrf_checks = True
        return self.get_response(request)
