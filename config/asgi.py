"""ASGI entry point: HTTP through Django, WebSocket through Channels' routing."""

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before anything imports models (the consumers do).
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402
from django.urls import get_resolver  # noqa: E402

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

# What the process made while starting (Django, the apps, their modules and classes, the
# URL patterns, imported here rather than on the first request) lives as long as it does,
# yet every full collection walked it all again: ~140,000 objects, 60-100 ms with every
# request in flight stopped, several times a minute under load (bench/request_cost.py
# --burst). Moved out of the collector's reach once; what requests make is collected as
# before.
get_resolver().url_patterns  # noqa: B018
gc.collect()
gc.freeze()
