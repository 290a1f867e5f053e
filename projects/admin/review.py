"""Where CAs decide: review items, and the labels the firm has learned from them.

Every decision goes through `projects.services` (the API's path too): who and when,
the audit log, the firm's label memory, and the run resuming after its last item.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.db.models import Case, Model, QuerySet, When
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from pipeline.models import RunStatus
from projects import services
from projects.admin.scoping import FirmScopedAdmin
from projects.cma.extract import format_inr
from projects.cma.heads import HEADS, head_choices, head_title
from projects.models import LabelMemory, ReviewItem, ReviewItemStatus
from projects.selectors import membership_for_user


def _is_locked(item: ReviewItem) -> bool:
    # Decisions stay open while the run waits; once it has resumed they are final.
    return item.run.status != RunStatus.AWAITING_REVIEW


class ConfidenceBandFilter(admin.SimpleListFilter):
    title = "confidence"
    parameter_name = "confidence"
    BANDS = {
        "low": ("Under 40 %", 0.0, 0.40),
        "medium": ("40 to 55 %", 0.40, 0.55),
        "high": ("55 to 70 %", 0.55, 0.70),
        "sure": ("70 % and over", 0.70, 1.01),
    }

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [(key, label) for key, (label, _, _) in self.BANDS.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        band = self.BANDS.get(self.value() or "")
        if band is None:
            return queryset
        _, low, high = band
        return queryset.filter(confidence__gte=low, confidence__lt=high)


class SuggestedHeadFilter(admin.SimpleListFilter):
    title = "suggested head"
    parameter_name = "head"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        # Only the heads that occur in this firm's items, in the forms' order.
        present = set(
            model_admin.get_queryset(request).values_list("suggested_head", flat=True).distinct()
        )
        return [(h.id, head_title(h.id)) for h in HEADS if h.id in present]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(suggested_head=self.value()) if self.value() else queryset


class ReviewDecisionForm(forms.ModelForm):
    """A row of the change list (and the change page): the head, from a dropdown.

    The dropdown starts at the decided head, or at the suggestion while the item is
    pending, so only a head the CA actually changed counts as a decision.
    """

    final_head = forms.ChoiceField(label="Head", choices=head_choices, required=True)

    class Meta:
        model = ReviewItem
        fields = ["final_head"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item = self.instance
        if item.pk:
            self.initial["final_head"] = item.final_head or item.suggested_head
            if _is_locked(item):
                self.fields["final_head"].disabled = True
                self.fields["final_head"].help_text = "Locked: the run has resumed."

    def clean_final_head(self) -> str:
        head = self.cleaned_data["final_head"]
        if "final_head" in self.changed_data and _is_locked(self.instance):
            raise forms.ValidationError("The run has resumed; this decision is locked.")
        return head


class ReviewActionForm(ActionForm):
    min_confidence = forms.IntegerField(
        label="Confidence at least (%)",
        min_value=0,
        max_value=100,
        required=False,
        initial=55,
        widget=forms.NumberInput(attrs={"style": "width: 5em"}),
    )


@admin.register(ReviewItem)
class ReviewItemAdmin(FirmScopedAdmin):
    firm_path = "project__firm_id"
    form = ReviewDecisionForm
    action_form = ReviewActionForm
    actions = ["approve_selected", "approve_confident"]
    list_display = [
        "label",
        "year",
        "amount",
        "source",
        "suggestion",
        "final_head",
        "decision",
    ]
    list_display_links = ["label"]
    list_editable = ["final_head"]
    list_filter = [
        ("project", admin.RelatedOnlyFieldListFilter),
        "status",
        SuggestedHeadFilter,
        ConfidenceBandFilter,
    ]
    list_select_related = ["line_item", "line_item__file", "run", "decided_by"]
    # A run's items on one page: a CA decides them together (a run has ~100-200).
    list_per_page = 500
    search_fields = ["line_item__label"]
    search_help_text = "Search by ledger or statement line."
    readonly_fields = [
        "project",
        "label",
        "year",
        "amount",
        "source",
        "suggested",
        "other_heads",
        "status",
        "decided_by",
        "decided_at",
    ]
    fields = [*readonly_fields[:8], "final_head", "decided_by", "decided_at"]

    class Media:
        css = {"all": ["css/admin-review.css"]}

    # What still waits comes first, least confident on top.
    ordering = [
        Case(When(status=ReviewItemStatus.PENDING, then=0), default=1).asc(),
        "confidence",
        "id",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related(*self.list_select_related)

    def get_changelist_form(self, request: HttpRequest, **kwargs: Any) -> type[forms.ModelForm]:
        return ReviewDecisionForm

    # Who may decide ---------------------------------------------------------------

    def _is_reviewer(self, request: HttpRequest) -> bool:
        membership = membership_for_user(user=request.user)
        return bool(membership and membership.is_reviewer)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Decisions belong to a firm's CA or owner; a superuser without a firm only looks.
        return super().has_change_permission(request, obj) and self._is_reviewer(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the review step makes them

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        if obj is not None and self.has_change_permission(request, obj):
            return self.readonly_fields
        return [*self.readonly_fields, "final_head"]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # "Approve all pending ≥ X" means the whole list as filtered (the email's link
        # filters it to one project), not only the ticked rows: act as if the CA had
        # chosen "select all" — Django's own select_across.
        if request.method == "POST" and "approve_confident" in request.POST.getlist("action"):
            post = request.POST.copy()
            post["select_across"] = "1"
            post.setlist(ACTION_CHECKBOX_NAME, post.getlist(ACTION_CHECKBOX_NAME) or ["all"])
            request.POST = post
        # The stock title ("Select review item to change") is not what a CA does here.
        context: dict[str, Any] = {"title": "Review items"}
        if self._is_reviewer(request):
            context["subtitle"] = (
                "Check each suggested head: keep it or choose another in the Head column, "
                "then Save; or tick items and approve them with an action."
            )
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            actions.pop("approve_selected", None)
            actions.pop("approve_confident", None)
        return actions

    # Columns ----------------------------------------------------------------------

    @admin.display(description="Ledger / line", ordering="line_item__label")
    def label(self, item: ReviewItem) -> str:
        return item.line_item.label

    @admin.display(ordering="line_item__year")
    def year(self, item: ReviewItem) -> str:
        return item.line_item.year

    # "12,34,567.50 Dr", as a ledger prints it.
    @admin.display(description="Amount (₹)", ordering="line_item__amount")
    def amount(self, item: ReviewItem) -> str:
        return f"{format_inr(Decimal(item.line_item.amount))} {item.line_item.side}"

    @admin.display(description="Source")
    def source(self, item: ReviewItem) -> str:
        line = item.line_item
        where = line.source  # "trial-balance.csv: line 29", "tb.xlsx: TB!A12"
        if line.section:
            where = f"{where} · {line.section}"
        if line.ocr_confidence is not None:
            # A CA checks a scanned figure against the page, whatever its head.
            where = f"{where} · read by OCR, {line.ocr_confidence:.0%} sure: check the figure"
        return where

    @admin.display(description="Suggested", ordering="confidence")
    def suggested(self, item: ReviewItem) -> str:
        return f"{head_title(item.suggested_head)} ({item.confidence:.0%})"

    # One column for the suggestion and its runners-up, so that the head dropdown
    # stays on screen beside the filters on a laptop.
    @admin.display(description="Suggested (alternatives)", ordering="confidence")
    def suggestion(self, item: ReviewItem) -> str:
        alternatives = self.other_heads(item)
        why = "; ".join(item.line_item.evidence or [])
        parts = [self.suggested(item)]
        if alternatives != "—":
            parts.append(format_html('<span class="alternatives">{}</span>', alternatives))
        if why:
            parts.append(format_html('<span class="evidence">Why: {}</span>', why))
        return format_html_join(mark_safe("<br>"), "{}", ((part,) for part in parts))

    @admin.display(description="Decision", ordering="status")
    def decision(self, item: ReviewItem) -> str:
        if item.decided_by is None:
            return item.get_status_display()
        when = timezone.localtime(item.decided_at).strftime("%d %b %H:%M")
        return format_html(
            "{}<br><small>{}, {}</small>",
            item.get_status_display(),
            item.decided_by.get_username(),
            when,
        )

    @admin.display(description="Alternatives")
    def other_heads(self, item: ReviewItem) -> str:
        alternatives = [a for a in item.alternatives if isinstance(a, dict) and a.get("head")]
        if not alternatives:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            "{} ({})",
            (
                (head_title(a["head"]), f"{float(a.get('confidence') or 0):.0%}")
                for a in alternatives[:2]
            ),
        )

    # Decisions --------------------------------------------------------------------

    def save_model(self, request: HttpRequest, obj: ReviewItem, form: Any, change: bool) -> None:
        if "final_head" not in form.changed_data:
            return
        try:
            services.review_item_decide(
                item=obj, user=request.user, action="correct", head=obj.final_head
            )
        except (services.NotAReviewer, services.ReviewLocked, services.UnknownHead) as exc:
            self.message_user(request, f"{obj.line_item.label}: {exc}", messages.ERROR)

    def _approve(self, request: HttpRequest, queryset: QuerySet, min_confidence: float) -> None:
        result = services.review_items_approve(
            items=queryset, user=request.user, min_confidence=min_confidence
        )
        if result.approved:
            self.message_user(
                request,
                f"Approved {result.approved} item{'s' if result.approved != 1 else ''} "
                "with their suggested heads.",
                messages.SUCCESS,
            )
        for reason, count in result.skipped.items():
            self.message_user(request, f"{count} not approved: {reason}.", messages.WARNING)
        if result.resumed_runs:
            self.message_user(
                request,
                "Every item is decided: the run continues by itself.",
                messages.SUCCESS,
            )

    @admin.action(description="Approve selected (suggested head)")
    def approve_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._approve(request, queryset, min_confidence=0.0)

    @admin.action(
        description="Approve all pending in this list with confidence ≥ X %%"
    )  # %-formatted by the admin
    def approve_confident(self, request: HttpRequest, queryset: QuerySet) -> None:
        form = ReviewActionForm(request.POST)
        form.fields["action"].choices = self.get_action_choices(request)
        if not form.is_valid() or form.cleaned_data.get("min_confidence") is None:
            self.message_user(
                request,
                "Give the confidence (0 to 100 %) beside the action to approve above it.",
                messages.ERROR,
            )
            return
        self._approve(request, queryset, min_confidence=form.cleaned_data["min_confidence"] / 100)


@admin.register(LabelMemory)
class LabelMemoryAdmin(FirmScopedAdmin):
    """What the firm's CAs have taught the classifier; a wrong lesson can be deleted."""

    list_display = ["label", "side", "head_label", "decided_by", "updated_at"]
    list_filter = ["side"]
    search_fields = ["label"]
    readonly_fields = ["firm", "label", "side", "head", "decided_by", "updated_at"]

    @admin.display(description="Head", ordering="head")
    def head_label(self, memory: LabelMemory) -> str:
        return head_title(memory.head)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
