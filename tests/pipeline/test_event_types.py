"""The event log speaks EventType: every stored type is one, an unknown one is refused,
and a resumed run's event says who resumed it."""

import pytest
from django.db import transaction

from pipeline import runner, services
from pipeline.event_types import EventType
from pipeline.models import Event, Run
from pipeline.services.eventlog import event_append
from projects.models import AuditLog

pytestmark = pytest.mark.django_db


def start(project, user, **options) -> Run:
    return services.run_create(
        subject=project, pipeline_name="toy", options=options, requested_by=user
    )


def test_a_run_from_process_to_completed_stores_only_known_types(project_file, alice, bob):
    run = start(project_file.project, alice, toy_review=1)
    assert runner.run_execute(run_id=run.pk) == "awaiting_review"
    services.run_resume(subject=project_file.project, decided_by=bob)
    assert runner.run_execute(run_id=run.pk) == "completed"

    stored = set(Event.objects.filter(run=run).values_list("type", flat=True))
    assert stored <= set(EventType)
    assert {EventType.RUN_QUEUED, EventType.REVIEW_NEEDED, EventType.RUN_COMPLETED} <= stored
    # Stored as the plain string, which is what clients have always been sent.
    assert Event.objects.filter(run=run, type="run.completed").count() == 1


def test_an_unknown_event_type_is_refused_and_nothing_is_written(project_file, alice):
    run = start(project_file.project, alice)
    before = Event.objects.filter(run=run).count()
    with pytest.raises(ValueError), transaction.atomic():
        event_append(run=run, type="run.note", payload={})
    assert Event.objects.filter(run=run).count() == before


def test_resume_records_who_resumed_in_the_event_and_the_audit_log(project_file, alice, bob):
    run = start(project_file.project, alice, toy_review=2)
    runner.run_execute(run_id=run.pk)

    services.run_resume(subject=project_file.project, decided_by=bob)

    queued = Event.objects.filter(run=run, type=EventType.RUN_QUEUED).order_by("seq").last()
    assert queued.payload == {
        "reason": "resume",
        "decided_by": bob.pk,
        "decided_by_name": "bob@acme.test",
    }
    audit = AuditLog.objects.get(run_id=run.pk, action="pipeline_resume")
    assert audit.actor == bob
