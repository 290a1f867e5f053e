"""The project pages' htmx sockets: HTML fragments pushed as the pipeline moves.

`/ws/projects/{id}/` follows one project (group `project.<id>`) for its page;
`/ws/projects/?q=&status=&page=` follows, with one socket, the projects shown on the
list page of that query. Both are session-authenticated (4401), firm-checked (4404)
and origin-checked (config/asgi.py).
"""

from collections.abc import Hashable
from typing import Any

from django.db.models import Count, Max, OuterRef, Subquery, Sum
from django.http import QueryDict

from pipeline.consumers import LiveFragmentConsumer
from pipeline.events import project_group
from pipeline.models import Run
from projects import fragments, selectors
from projects.models import AuditLog, Project, ProjectFile


class ProjectPageConsumer(LiveFragmentConsumer):
    """The project page: status, run controls, progress, stepper, documents, review,
    Process form, files, outputs and run history, each an element with a fixed id."""

    project_id: int
    is_reviewer: bool

    def follow(self, user: Any) -> list[str] | None:
        project_id = int(self.scope["url_route"]["kwargs"]["project_id"])
        if not selectors.project_list_for_user(user=user).filter(pk=project_id).exists():
            return None
        membership = selectors.membership_for_user(user=user)
        self.project_id = project_id
        self.is_reviewer = bool(membership and membership.is_reviewer)
        return [project_group(project_id)]

    # Every event re-renders every part from one read of the database (the reads cost
    # the same whatever parts are wanted): each message is one consistent state, and
    # only the parts that changed are sent.
    def render(self, parts: set[str]) -> dict[str, Any]:
        # Read before the render: a change landing during it only costs one more render.
        state = project_state(project_id=self.project_id)
        rendered: dict[str, Any] = fragments.render_project_parts(
            project_id=self.project_id, is_reviewer=self.is_reviewer
        )
        return {**rendered, self.STATE: state}

    def behind(self) -> bool:
        """Events or changes the channel layer lost (Redis down or restarting): the
        project's state moved past the one this socket last rendered."""
        return project_state(project_id=self.project_id) != self.rendered_state

    def share_key(self, parts: set[str]) -> Hashable:
        # Everything is rendered whatever the parts; a reviewer's page differs.
        return (self.project_id, self.is_reviewer)


def project_state(*, project_id: int) -> tuple:
    """Moves whenever the project page would: any run's event (seq), a run created or
    deleted, a file, an audited change (upload, review, plan, acceptance), the status.
    One query, once a ping interval per socket."""
    runs = Run.objects.filter(project_id=OuterRef("pk")).order_by().values("project_id")
    files = ProjectFile.objects.filter(project_id=OuterRef("pk")).order_by().values("project_id")
    audit = AuditLog.objects.filter(project_id=OuterRef("pk")).order_by().values("project_id")
    row = (
        Project.objects.filter(pk=project_id)
        .annotate(
            run_count=Subquery(runs.annotate(n=Count("pk")).values("n")),
            seq_total=Subquery(runs.annotate(n=Sum("last_seq")).values("n")),
            file_count=Subquery(files.annotate(n=Count("pk")).values("n")),
            file_newest=Subquery(files.annotate(n=Max("pk")).values("n")),
            audit_newest=Subquery(audit.annotate(n=Max("pk")).values("n")),
        )
        .values_list(
            "status",
            "updated_at",
            "run_count",
            "seq_total",
            "file_count",
            "file_newest",
            "audit_newest",
        )
        .first()
    )
    return tuple(row) if row else ()


class ProjectListConsumer(LiveFragmentConsumer):
    """One socket for the list page: it joins the group of every project shown there,
    asking for the page with the page's own query string (search, status, page)."""

    project_ids: list[int]

    def follow(self, user: Any) -> list[str] | None:
        query = QueryDict(self.scope.get("query_string", b"").decode("latin-1"))
        page = selectors.project_page_for_user(user=user, **selectors.project_list_params(query))
        # Only the ids: this runs again at every ping.
        self.project_ids = list(page.object_list.values_list("pk", flat=True))
        return [project_group(pk) for pk in self.project_ids]

    def parts_for(self, event: dict[str, Any]) -> set[str]:
        return {f"run:{event['run_id']}"}

    def render(self, parts: set[str]) -> dict[str, str]:
        if self.ALL & parts:
            ids = self.project_ids
        else:
            runs = [int(part.removeprefix("run:")) for part in parts]
            changed = selectors.projects_of_runs(run_ids=runs)
            ids = [pk for pk in self.project_ids if pk in changed]
        return fragments.render_badges(project_ids=ids) if ids else {}

    def share_key(self, parts: set[str]) -> Hashable:
        return (tuple(self.project_ids), frozenset(parts))
