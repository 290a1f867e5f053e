"""How the pipeline engine reaches projects (it never imports this app)."""

from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from projects.models import Project
from projects.selectors import project_list_for_user

# The ETA scales with the input: one unit per 10 kB of uploaded files.
INPUT_UNIT_BYTES = 10_000


class ProjectSubjects:
    def for_user(self, user: Any) -> QuerySet[Project]:
        return project_list_for_user(user=user)

    def tenant_of(self, subject: Project) -> int:
        return subject.firm_id

    def input_size(self, subject: Project) -> int:
        total = subject.files.aggregate(total=Sum("size"))["total"] or 0
        return max(1, total // INPUT_UNIT_BYTES)

    def has_input(self, subject: Project) -> bool:
        return subject.files.exists()

    def set_status(self, subject_id: int, status: str) -> None:
        Project.objects.filter(pk=subject_id).update(status=status, updated_at=timezone.now())

    def status_of(self, subject_id: int) -> str:
        return Project.objects.values_list("status", flat=True).get(pk=subject_id)
