from django.urls import path

from projects import audit_views, plan_views, views

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("projects/<int:project_id>/", views.project_detail, name="project-detail"),
    path("projects/<int:project_id>/files/", views.project_upload, name="project-upload"),
    path(
        "projects/<int:project_id>/files/<int:file_id>/delete/",
        views.project_file_delete,
        name="project-file-delete",
    ),
    path(
        "projects/<int:project_id>/files/<int:file_id>/",
        views.project_file_detail,
        name="project-file-detail",
    ),
    path(
        "projects/<int:project_id>/files/<int:file_id>/accept/",
        views.project_file_accept,
        name="project-file-accept",
    ),
    path(
        "projects/<int:project_id>/files/<int:file_id>/download/",
        views.project_file_download,
        name="project-file-download",
    ),
    path("projects/<int:project_id>/process/", views.project_process, name="project-process"),
    path("projects/<int:project_id>/retry/", views.project_retry, name="project-retry"),
    path("projects/<int:project_id>/resume/", views.project_resume, name="project-resume"),
    path("projects/<int:project_id>/review/", views.project_review, name="project-review"),
    path("projects/<int:project_id>/plan/", plan_views.project_plan, name="project-plan"),
    path(
        "projects/<int:project_id>/plan/preview/",
        plan_views.project_plan_preview,
        name="project-plan-preview",
    ),
    path(
        "projects/<int:project_id>/line-items/",
        views.project_line_items,
        name="project-line-items",
    ),
    path(
        "projects/<int:project_id>/line-items/<int:item_id>/",
        views.project_line_item,
        name="project-line-item",
    ),
    path("outputs/<int:output_id>/download/", views.output_download, name="output-download"),
    path("runs/<int:run_id>/", views.run_detail, name="run-detail"),
    path("runs/<int:run_id>/cancel/", views.run_cancel, name="run-cancel"),
    path("stats/", views.stats, name="stats"),
    path("audit/", audit_views.audit_log, name="audit"),
    path("audit/export.csv", audit_views.audit_export, name="audit-export"),
    path("audit/unlock/", audit_views.audit_unlock, name="audit-unlock"),
]
