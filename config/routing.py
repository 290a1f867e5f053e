from django.urls import path

from pipeline.consumers import RunConsumer, RunPageConsumer
from projects.consumers import ProjectListConsumer, ProjectPageConsumer

websocket_urlpatterns = [
    # JSON events for scripts and other clients (API.md "WebSocket").
    path("ws/runs/<int:run_id>/", RunConsumer.as_asgi()),
    # HTML fragments for the pages' htmx sockets.
    path("ws/runs/<int:run_id>/live/", RunPageConsumer.as_asgi()),
    path("ws/projects/", ProjectListConsumer.as_asgi()),
    path("ws/projects/<int:project_id>/", ProjectPageConsumer.as_asgi()),
]
