"""How the pipeline engine reaches projects (it never imports this app)."""

from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from projects.models import Project
from projects.selectors import project_list_for_user

# The ETA scales with the input: one unit per 10 kB of uploaded files.
INPUT_UNIT_BYTES = 10_000

# Where `has_input` leaves the bytes it counted, for the `input_size` that follows it.
_INPUT_BYTES = "_subjects_input_bytes"


class ProjectSubjects:
    def for_user(self, user: Any) -> QuerySet[Project]:
        return project_list_for_user(user=user)

    def tenant_of(self, subject: Project) -> int:
        return subject.firm_id

    def input_size(self, subject: Project) -> int:
        # Starting a run asks `has_input` and then this, milliseconds apart: the files'
        # size comes with the first answer, so a press of Process reads the files once.
        # Taken, not kept: a later call (after an upload) counts again.
        total = subject.__dict__.pop(_INPUT_BYTES, None)
        if total is None:
            total = subject.files.aggregate(total=Sum("size"))["total"] or 0
        return max(1, total // INPUT_UNIT_BYTES)

    def has_input(self, subject: Project) -> bool:
        files = subject.files.aggregate(count=Count("id"), total=Sum("size"))
        subject.__dict__[_INPUT_BYTES] = files["total"] or 0
        return files["count"] > 0

    def set_status(self, subject_id: int, status: str) -> None:
        Project.objects.filter(pk=subject_id).update(status=status, updated_at=timezone.now())

    def status_of(self, subject_id: int) -> str:
        return Project.objects.values_list("status", flat=True).get(pk=subject_id)
