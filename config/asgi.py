"""ASGI entry point: HTTP through Django, WebSocket through Channels' routing."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before anything imports models (the consumers do).
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402

from config.threads import ReusedThreadsASGIHandler  # noqa: E402

# Django's ASGIHandler (what get_asgi_application returns), with request threads reused.
django_asgi_app = ReusedThreadsASGIHandler(idle=16, at_once=settings.WEB_THREADS)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from projects.ws_auth import OriginCheck, TokenAuthMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginCheck(
            AuthMiddlewareStack(TokenAuthMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)
