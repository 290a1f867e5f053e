from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_role_groups(sender: AppConfig, **kwargs: object) -> None:
    # Imported here: apps.py loads before any model, and roles needs auth's models.
    from projects.roles import roles_sync_groups

    if kwargs.get("using", "default") == "default":
        roles_sync_groups()


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
