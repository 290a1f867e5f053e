"""Firm-scoped reads. Another firm's object is a 404, exactly like a missing one."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from projects.models import (
    LabelMemory,
    LineItem,
    Membership,
    Output,
    Project,
    ProjectFile,
    ReviewItem,
)

User = AbstractBaseUser | AnonymousUser


def membership_for_user(*, user: User) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def project_list_for_user(*, user: User) -> QuerySet[Project]:
    membership = membership_for_user(user=user)
    if membership is None:
        return Project.objects.none()
    return Project.objects.filter(firm_id=membership.firm_id).select_related("created_by")


def project_get_for_user(*, user: User, project_id: int) -> Project:
    return get_object_or_404(project_list_for_user(user=user), pk=project_id)


def project_files(*, project: Project) -> QuerySet[ProjectFile]:
    return project.files.all()


def project_file_get_for_user(*, user: User, project_id: int, file_id: int) -> ProjectFile:
    project = project_get_for_user(user=user, project_id=project_id)
    return get_object_or_404(project_files(project=project), pk=file_id)


def learned_labels(*, firm_id: int) -> dict[tuple[str, str], str]:
    """The firm's CA decisions: (normalized label, side) → head."""
    rows = LabelMemory.objects.filter(firm_id=firm_id).values_list("label", "side", "head")
    return {(label, side): head for label, side, head in rows}


def line_items(*, project: Project) -> QuerySet[LineItem]:
    return project.line_items.select_related("file").order_by("year", "position", "id")


def review_items(*, project: Project) -> QuerySet[ReviewItem]:
    return project.review_items.select_related("line_item", "line_item__file", "decided_by")


def review_item_get_for_user(*, user: User, item_id: int) -> ReviewItem:
    projects = project_list_for_user(user=user)
    return get_object_or_404(
        ReviewItem.objects.filter(project__in=projects).select_related("line_item", "run"),
        pk=item_id,
    )


def review_counts(*, run_id: int) -> dict[str, int]:
    counts = {"pending": 0, "approved": 0, "corrected": 0}
    for status in ReviewItem.objects.filter(run_id=run_id).values_list("status", flat=True):
        counts[status] += 1
    return counts


def outputs(*, project: Project) -> QuerySet[Output]:
    return project.outputs.all()


def output_get_for_user(*, user: User, output_id: int) -> Output:
    return get_object_or_404(
        Output.objects.filter(project__in=project_list_for_user(user=user)), pk=output_id
    )
