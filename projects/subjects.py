"""How the pipeline engine reaches projects (it never imports this app)."""

from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from pipeline.sql import CompiledRead
from projects.models import Project
from projects.selectors import membership_for_user, project_list_for_user

# The ETA scales with the input: one unit per 10 kB of uploaded files.
INPUT_UNIT_BYTES = 10_000

# Where `has_input` leaves the bytes it counted, for the `input_size` that follows it.
_INPUT_BYTES = "_subjects_input_bytes"
# Where `get_for_user` leaves the files it counted, for the `has_input` that follows it.
_FILES_READ = "subjects_files_read"
_BYTES_READ = "subjects_bytes_read"


class ProjectSubjects:
    def for_user(self, user: Any) -> QuerySet[Project]:
        return project_list_for_user(user=user)

    def get_for_user(self, user: Any, subject_id: int) -> Project:
        """The user's firm's project or a 404, as `for_user(user).get(pk=…)`, and its files'
        count and size with it: a press of Process asks `has_input` next. One query,
        compiled once (pipeline/sql.CompiledRead): the ORM took longer to build the two
        than the database to answer them."""
        membership = membership_for_user(user=user)
        if membership is None or type(subject_id) is not int:
            return get_object_or_404(self.for_user(user), pk=subject_id)
        found = _WITH_INPUT.instances(subject_id, membership.firm_id)
        if not found:
            raise Http404("No Project matches the given query.")
        return found[0]

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
        # Counted with the project when `get_for_user` read it; taken, as `input_size` does.
        count = subject.__dict__.pop(_FILES_READ, None)
        total = subject.__dict__.pop(_BYTES_READ, None)
        if count is None:
            files = subject.files.aggregate(count=Count("id"), total=Sum("size"))
            count, total = files["count"], files["total"]
        subject.__dict__[_INPUT_BYTES] = total or 0
        return count > 0

    def set_status(self, subject_id: int, status: str) -> None:
        Project.objects.filter(pk=subject_id).update(status=status, updated_at=timezone.now())

    def status_of(self, subject_id: int) -> str:
        return Project.objects.values_list("status", flat=True).get(pk=subject_id)


_WITH_INPUT = CompiledRead(
    Project,
    lambda project_id, firm_id: (
        Project.objects.filter(pk=project_id, firm_id=firm_id)
        .annotate(**{_FILES_READ: Count("files"), _BYTES_READ: Sum("files__size")})
        .order_by()
    ),
)
