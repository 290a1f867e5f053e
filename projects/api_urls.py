from django.urls import path

from projects import api

urlpatterns = [
    path("auth/token", api.auth_token, name="api-auth-token"),
    path("projects", api.projects, name="api-projects"),
    path("projects/<int:project_id>", api.project_detail, name="api-project"),
    path("projects/<int:project_id>/files", api.project_files, name="api-project-files"),
    path(
        "projects/<int:project_id>/files/<int:file_id>",
        api.project_file_detail,
        name="api-project-file",
    ),
    path(
        "projects/<int:project_id>/files/<int:file_id>/download",
        api.project_file_download,
        name="api-file-download",
    ),
]
