from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "CMA Pipeline administration"
admin.site.site_title = "CMA Pipeline"
admin.site.index_title = "Review and firm data"

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("projects.api_urls")),
    path("api/v1/", include("pipeline.api_urls")),
    path("", include("projects.urls")),
]
