"""Keeps django-q2's tables in their own database when one is configured."""

from django.conf import settings
from django.db.models import Model

QUEUE_APP = "django_q"
QUEUE_DB = "queue"


def _has_queue_db() -> bool:
    return QUEUE_DB in settings.DATABASES


class QueueRouter:
    """In the embedded default, django-q2 (broker, schedules, results) uses `queue`.

    Queue polling then never holds the write lock of the application's database.
    With PostgreSQL there is one database and this router stays out of the way.
    """

    def _db_for(self, model: type[Model]) -> str | None:
        if model._meta.app_label == QUEUE_APP and _has_queue_db():
            return QUEUE_DB
        return None

    def db_for_read(self, model: type[Model], **hints: object) -> str | None:
        return self._db_for(model)

    def db_for_write(self, model: type[Model], **hints: object) -> str | None:
        return self._db_for(model)

    def allow_relation(self, obj1: Model, obj2: Model, **hints: object) -> bool | None:
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool | None:
        if not _has_queue_db():
            return None
        if db == QUEUE_DB:
            return app_label == QUEUE_APP
        return app_label != QUEUE_APP
