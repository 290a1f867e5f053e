import gc
import logging
import sys

from django.apps import AppConfig
from django.db.models.signals import post_migrate

log = logging.getLogger(__name__)

# Warms the cluster's parent before it forks its workers: WeasyPrint takes ~0.7 s to
# import and ~0.15 s more for its first document (fonts, Pango), which a fresh worker
# otherwise spends on its first report while the user waits. Forked, every worker starts
# with it loaded (and the pages shared until written).
WARM_HTML = "<p>CMA</p>"


def _sync_role_groups(sender: AppConfig, **kwargs: object) -> None:
    # Imported here: apps.py loads before any model, and roles needs auth's models.
    from projects.roles import roles_sync_groups

    if kwargs.get("using", "default") == "default":
        roles_sync_groups()


def worker_warm() -> None:
    """Loads what a fresh worker's first run would load: WeasyPrint, and its fonts by
    rendering a one-word document (a machine without Pango skips it: the step then says
    why there is no PDF), and the URL patterns the emails' links are reversed from
    (every view module: ~0.2 s), and the classifier's second reader (reader.json: ~0.1
    s). Then freezes what is loaded: it lives as long as the
    process, and frozen, the collector never walks it again (~146,000 objects, ~0.08 s a
    full collection during a big run) nor writes to its pages, which the forked workers
    then keep sharing."""
    from django.urls import get_resolver

    from projects.cma.classify.reader import reading_in_use

    get_resolver().reverse_dict  # noqa: B018 (reading it loads the URL patterns)
    reading_in_use()
    try:
        from weasyprint import HTML

        HTML(string=WARM_HTML).write_pdf()
    except (OSError, ImportError) as exc:
        log.info("The worker was not warmed with WeasyPrint: %s", exc)
    gc.collect()  # what is garbage now is not frozen with the rest
    gc.freeze()


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "CMA projects"

    def ready(self) -> None:
        # Permissions exist only after migrate has run, so groups are synced then.
        post_migrate.connect(_sync_role_groups, sender=self)

        # Imported once the apps are ready: these modules import models.
        from pipeline import registry
        from projects.hooks import audit_pipeline_event, email_pipeline_event
        from projects.steps import CMA
        from projects.subjects import ProjectSubjects

        registry.register(CMA)
        registry.register_subjects(ProjectSubjects())
        registry.register_hook(audit_pipeline_event, in_transaction=True)
        registry.register_hook(email_pipeline_event)

        # Only in the worker cluster's own process (`manage.py qcluster`, which
        # `supervise --cluster` runs), before it forks the workers.
        if sys.argv[1:2] == ["qcluster"]:
            worker_warm()
