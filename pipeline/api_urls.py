from django.urls import path

from pipeline import api

urlpatterns = [
    path("projects/<int:project_id>/process", api.process, name="api-process"),
    path("projects/<int:project_id>/progress", api.progress, name="api-progress"),
    path("projects/<int:project_id>/retry", api.retry, name="api-retry"),
    path("projects/<int:project_id>/resume", api.resume, name="api-resume"),
    path("runs", api.runs, name="api-runs"),
    path("runs/<int:run_id>", api.run_detail, name="api-run"),
    path("runs/<int:run_id>/cancel", api.cancel, name="api-run-cancel"),
    path("runs/<int:run_id>/events", api.run_events, name="api-run-events"),
    path("pipeline/stats", api.stats, name="api-pipeline-stats"),
]
