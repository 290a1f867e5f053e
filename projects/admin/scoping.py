"""The base of every admin page: a firm sees its own rows, and nothing of another firm."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.utils import unquote
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse

from projects.models import Firm, Project
from projects.selectors import membership_for_user


class EmailAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login, asking for what people log in with everywhere else: an email."""

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email"


class FirmScopedAdmin(admin.ModelAdmin):
    """Limits rows, and the choices of foreign keys, to the user's firm.

    `firm_path` is the lookup from the model to its firm's id. A superuser sees everything;
    anyone else without a firm sees nothing.
    """

    firm_path: str = "firm_id"

    def _firm_id(self, request: HttpRequest) -> int | None:
        membership = membership_for_user(user=request.user)
        return membership.firm_id if membership else None

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        firm_id = self._firm_id(request)
        if firm_id is None:
            return queryset.none()
        return queryset.filter(**{self.firm_path: firm_id})

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        if not request.user.is_superuser:
            firm_id = self._firm_id(request)
            related = db_field.related_model
            if related is Firm:
                kwargs["queryset"] = Firm.objects.filter(pk=firm_id)
            elif related is Project:
                kwargs["queryset"] = Project.objects.filter(firm_id=firm_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # The admin redirects an id it cannot find to its index with a message. Another
    # firm's object must be a plain 404, exactly like one that does not exist.
    def _object_or_404(self, request: HttpRequest, object_id: str) -> None:
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404(f"No {self.opts.verbose_name} with that id.")

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        self._object_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        self._object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        self._object_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)
