"""`Authorization: Token <key>` on a WebSocket handshake, for clients without a session."""

from typing import Any

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware

from projects.services import api_token_authenticate


def token_from_headers(headers: list[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name.lower() == b"authorization":
            scheme, _, key = value.decode("latin-1").partition(" ")
            if scheme.lower() == "token" and key.strip():
                return key.strip()
    return None


class TokenAuthMiddleware(BaseMiddleware):
    """Sets scope["user"] from a token; runs inside the session auth, so a token wins."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        key = token_from_headers(scope.get("headers", []))
        if key is not None:
            from django.contrib.auth.models import AnonymousUser

            user = await database_sync_to_async(api_token_authenticate)(key=key)
            scope = {**scope, "user": user or AnonymousUser()}
        return await super().__call__(scope, receive, send)


class OriginCheck:
    """Browsers' sockets must come from our own hosts; token clients send no Origin.

    A page on another site could open a socket with the user's cookies; it cannot add a
    token header. So a handshake without an Origin is let through only with a token,
    and everything else goes through Channels' AllowedHostsOriginValidator.
    """

    def __init__(self, app: Any) -> None:
        from channels.security.websocket import AllowedHostsOriginValidator

        self.app = app
        self.validated = AllowedHostsOriginValidator(app)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        headers = scope.get("headers", [])
        has_origin = any(name.lower() == b"origin" for name, _ in headers)
        if not has_origin and token_from_headers(headers) is not None:
            return await self.app(scope, receive, send)
        return await self.validated(scope, receive, send)
