"""The firm's own records in the admin: firm, members, projects, files, tokens, audit log."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from projects.admin.scoping import FirmScopedAdmin
from projects.models import ApiToken, AuditLog, Firm, Membership, Project, ProjectFile
from projects.roles import membership_apply_role


@admin.register(Firm)
class FirmAdmin(FirmScopedAdmin):
    firm_path = "pk"
    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(FirmScopedAdmin):
    list_display = ["user", "firm", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        # An owner changes roles within the firm; moving people between firms is for
        # the superuser.
        return [] if request.user.is_superuser else ["user", "firm"]

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        membership_apply_role(membership=obj)


class ProjectFileInline(admin.TabularInline):
    model = ProjectFile
    extra = 0
    fields = ["name", "kind", "fiscal_year", "size", "status", "error", "created_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(FirmScopedAdmin):
    list_display = ["name", "client_name", "firm", "status", "created_by", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "client_name"]
    readonly_fields = ["status", "created_by", "created_at", "updated_at"]
    inlines = [ProjectFileInline]


@admin.register(ProjectFile)
class ProjectFileAdmin(FirmScopedAdmin):
    firm_path = "project__firm_id"
    list_display = ["name", "project", "kind", "fiscal_year", "size", "status", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "project__name"]
    readonly_fields = ["file", "size", "sha256", "kind", "uploaded_by", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Files come in through the upload checks, never around them.
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(FirmScopedAdmin):
    firm_path = "user__membership__firm_id"
    list_display = ["prefix", "user", "created_at", "last_used_at"]
    readonly_fields = ["user", "key_hash", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(AuditLog)
class AuditLogAdmin(FirmScopedAdmin):
    list_display = ["created_at", "action", "project", "actor", "run_id"]
    list_filter = ["action"]
    search_fields = ["action", "project__name"]
    readonly_fields = ["firm", "project", "run_id", "actor", "action", "detail", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
