"""WebSocket routes; the consumers arrive with the live dashboard."""

from django.urls import URLPattern

websocket_urlpatterns: list[URLPattern] = []
