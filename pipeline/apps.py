from importlib import import_module

from django.apps import AppConfig, apps
from django.conf import settings
from django.db import router
from django.db.models.signals import post_migrate

SWEEP_SCHEDULE = "pipeline: recover runs whose worker was lost"


def _ensure_sweep_schedule(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """The periodic sweep (django-q2 schedule) that recovers runs of dead workers."""
    from django_q.models import Schedule

    if not router.allow_migrate_model(using, Schedule):
        return
    Schedule.objects.using(using).update_or_create(
        name=SWEEP_SCHEDULE,
        defaults={
            "func": "pipeline.tasks.sweep_runs",
            "schedule_type": Schedule.MINUTES,
            "minutes": 1,
            "repeats": -1,
        },
    )


class PipelineConfig(AppConfig):
    name = "pipeline"
    verbose_name = "Pipeline"

    def ready(self) -> None:
        post_migrate.connect(_ensure_sweep_schedule, sender=apps.get_app_config("django_q"))
        for module in settings.PIPELINE_MODULES:
            import_module(module)
