"""`Authorization: Token <key>` for the JSON API."""

from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from pipeline.sql import CompiledRead
from projects.models import ApiToken, hash_token
from projects.services import api_token_authenticate, token_touch_due

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
                user = token_user(key=key.strip())
                request.user = user or AnonymousUser()
                if user is None:
                    request.auth_error = "The token is invalid or was revoked."
                request._dont_enforce_csrf_checks = True
        return self.get_response(request)


def token_user(*, key: str) -> AbstractBaseUser | None:
    """`services.api_token_authenticate`, its read compiled once (pipeline/sql.CompiledRead):
    every API request asks, and the ORM took longer to build the join than the database
    to answer it. The same user, with their membership; a token due its "last used"
    (once a minute) goes through the service, which reads it again and writes that."""
    found = _TOKEN.instances(hash_token(key))
    if not found:
        return None
    token = found[0]
    if token_touch_due(token, now=timezone.now()):
        return api_token_authenticate(key=key)
    return token.user


# The service's `select_related("user", "user__membership").get(...)`; `get` drops the
# model's ordering.
_TOKEN = CompiledRead(
    ApiToken,
    lambda key_hash: (
        ApiToken.objects.select_related("user", "user__membership")
        .filter(key_hash=key_hash, user__is_active=True)
        .order_by()
    ),
    texts=1,
)
