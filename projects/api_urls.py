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
        "projects/<int:project_id>/files/<int:file_id>/rows",
        api.project_file_rows,
        name="api-file-rows",
    ),
    path(
        "projects/<int:project_id>/files/<int:file_id>/accept",
        api.project_file_accept,
        name="api-file-accept",
    ),
    path(
        "projects/<int:project_id>/files/<int:file_id>/download",
        api.project_file_download,
        name="api-file-download",
    ),
    path("projects/<int:project_id>/line-items", api.project_line_items, name="api-line-items"),
    path(
        "projects/<int:project_id>/review-items",
        api.project_review_items,
        name="api-review-items",
    ),
    path("review-items/<int:item_id>", api.review_item_decide, name="api-review-item"),
    path("heads", api.heads, name="api-heads"),
    path("projects/<int:project_id>/report", api.project_report, name="api-report"),
    path("projects/<int:project_id>/plan", api.project_plan, name="api-plan"),
    path(
        "projects/<int:project_id>/plan/history",
        api.project_plan_history,
        name="api-plan-history",
    ),
    path(
        "projects/<int:project_id>/plan/preview",
        api.project_plan_preview,
        name="api-plan-preview",
    ),
    path("projects/<int:project_id>/outputs", api.project_outputs, name="api-outputs"),
    path("outputs/<int:output_id>/download", api.output_download, name="api-output-download"),
]
