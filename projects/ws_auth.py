"""WebSocket handshakes: a token header for clients without a session, the origin
check for browsers, and how a socket learns later that its user may no longer watch."""

from collections.abc import Callable
from functools import partial
from importlib import import_module
from typing import Any

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import AllowedHostsOriginValidator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils.crypto import constant_time_compare

from projects.services import api_token_authenticate


def token_from_headers(headers: list[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name.lower() == b"authorization":
            scheme, _, key = value.decode("latin-1").partition(" ")
            if scheme.lower() == "token" and key.strip():
                return key.strip()
    return None


def session_user_now(session_key: str | None) -> AbstractBaseUser | None:
    """The session's user as the database has it now, or None when the session ended.

    What Django's `get_user` checks (logged out, deactivated, password changed), read
    from a fresh copy of the session and without its side effects: `get_user` flushes
    or re-keys the session, which would log the browser out of its pages too.
    """
    if not session_key:
        return None
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user_id, backend_path = session.get(SESSION_KEY), session.get(BACKEND_SESSION_KEY)
    session_hash = session.get(HASH_SESSION_KEY)
    if not (user_id and session_hash) or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    user = load_backend(backend_path).get_user(user_id)  # None for an inactive user
    if user is None:
        return None
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    return user if any(constant_time_compare(session_hash, h) for h in hashes) else None


class TokenAuthMiddleware(BaseMiddleware):
    """Sets scope["user"] from a token; runs inside the session auth, so a token wins.

    It also sets scope["reauthenticate"]: a sync callable returning the handshake's user
    as of now, or None (token deleted, session logged out, user deactivated). The
    consumers call it on every ping, so access ends while the socket is open too.
    """

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        key = token_from_headers(scope.get("headers", []))
        reauthenticate: Callable[[], AbstractBaseUser | None]
        if key is not None:
            user = await database_sync_to_async(api_token_authenticate)(key=key)
            scope = {**scope, "user": user or AnonymousUser()}
            reauthenticate = partial(api_token_authenticate, key=key)
        else:
            session = scope.get("session")
            reauthenticate = partial(session_user_now, getattr(session, "session_key", None))
        scope = {**scope, "reauthenticate": reauthenticate}
        return await super().__call__(scope, receive, send)


class OriginCheck:
    """Browsers' sockets must come from our own hosts; token clients send no Origin.

    A page on another site could open a socket with the user's cookies; it cannot add a
    token header. So a handshake without an Origin is let through only with a token,
    and everything else goes through Channels' AllowedHostsOriginValidator.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.validated = AllowedHostsOriginValidator(app)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        headers = scope.get("headers", [])
        has_origin = any(name.lower() == b"origin" for name, _ in headers)
        if not has_origin and token_from_headers(headers) is not None:
            return await self.app(scope, receive, send)
        return await self.validated(scope, receive, send)
