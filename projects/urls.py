from django.urls import path

from projects import views

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
        "projects/<int:project_id>/files/<int:file_id>/download/",
        views.project_file_download,
        name="project-file-download",
    ),
]
