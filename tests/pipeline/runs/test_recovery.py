"""Recovery of runs whose worker died (the sweep), and cleanup of old runs."""

from datetime import timedelta

import pytest
from django.utils import timezone

from pipeline import services
from pipeline.models import DocProgress, Event, Run, StepRecord
from pipeline.services import recovery as services_recovery
from tests.pipeline.runs.conftest import (
    STEPS,
    age_heartbeat,
    events,
    execute,
    fresh,
    kill_worker_at,
    project_status,
    results,
    start,
    step_record,
    types,
)

pytestmark = pytest.mark.django_db


# Recovery: the sweep ---------------------------------------------------------------------


def test_the_sweep_leaves_a_run_with_a_live_heartbeat_alone(project, alice, ticks):
    run = start(project, alice)
    kill_worker_at(ticks, run)

    assert services.run_sweep() == {"requeued": 0, "failed": 0, "cancelled": 0, "redelivered": 0}
    assert fresh(run).status == "running"


def test_the_sweep_requeues_a_run_whose_worker_was_lost(project, alice, ticks, settings):
    run = start(project, alice)
    kill_worker_at(ticks, run)
    assert step_record(run, "classify").status == "running"
    age_heartbeat(run, settings)

    assert services.run_sweep()["requeued"] == 1

    run = fresh(run)
    assert (run.status, run.recoveries, run.claim) == ("queued", 1, "")
    assert step_record(run, "classify").status == "pending"
    assert events(run)[-1] == {
        "seq": run.last_seq,
        "type": "run.requeued",
        "step": "classify",
        "reason": "worker lost",
        "recoveries": 1,
    }

    assert execute(run) == "completed"
    assert results(run) == sorted(STEPS)
    assert fresh(run).recoveries == 1
    assert [e["recoveries"] for e in events(run, "run.started")] == [0, 1]


def test_a_run_whose_worker_keeps_dying_fails_as_worker_lost_and_retry_finishes_it(
    project, alice, ticks, settings
):
    run = start(project, alice)
    for _ in range(services.MAX_RECOVERIES):
        kill_worker_at(ticks, run)
        age_heartbeat(run, settings)
        assert services.run_sweep()["requeued"] == 1
    kill_worker_at(ticks, run)
    age_heartbeat(run, settings)

    assert services.run_sweep()["failed"] == 1

    run = fresh(run)
    assert (run.status, run.error_kind, run.error) == (
        "failed",
        "worker_lost",
        services.WORKER_LOST,
    )
    assert run.recoveries == services.MAX_RECOVERIES
    assert [e["recoveries"] for e in events(run, "run.requeued")] == [1, 2]
    assert events(run, "run.failed")[0]["kind"] == "worker_lost"
    classify = step_record(run, "classify")
    assert (classify.status, classify.error_kind) == ("failed", "worker_lost")
    assert project_status(project) == "error"

    services.run_retry(subject=project)
    assert fresh(run).recoveries == 0
    assert execute(run) == "completed"
    assert results(run) == sorted(STEPS)


def test_the_sweep_finishes_the_cancel_of_a_run_whose_worker_was_lost(
    project, alice, ticks, settings
):
    run = start(project, alice)
    kill_worker_at(ticks, run)
    services.run_cancel(run=run)
    assert fresh(run).status == "running"
    age_heartbeat(run, settings)

    assert services.run_sweep()["cancelled"] == 1

    assert fresh(run).status == "cancelled"
    assert types(run)[-1] == "run.cancelled"
    assert project_status(project) == "extracted"


def test_the_sweep_hands_a_long_forgotten_queued_run_to_the_queue_again(
    project, alice, monkeypatch
):
    enqueued: list[int] = []
    monkeypatch.setattr(services_recovery, "enqueue", enqueued.append)
    forgotten = start(project, alice)
    Run.objects.filter(pk=forgotten.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=services.QUEUED_STALE_SECONDS + 1)
    )

    assert services.run_sweep()["redelivered"] == 1
    assert enqueued == [forgotten.pk]
    # Handed on once, not at every sweep.
    assert services.run_sweep()["redelivered"] == 0
    assert fresh(forgotten).status == "queued"


# Cleanup ---------------------------------------------------------------------------------------


def test_cleanup_deletes_the_logs_of_old_finished_runs_only(project, alice, make_project):
    old = start(project, alice)
    execute(old)
    Run.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=40))
    recent = start(project, alice, toy_review=1)
    execute(recent)
    services.run_cancel(run=recent)
    other = make_project(alice, "Other")
    active = Run.objects.create(project=other, tenant_id=other.firm_id, pipeline="toy")
    old_events = Event.objects.filter(run=old).count()

    counts = services.runs_cleanup(older_than_days=30)

    assert counts == {"runs": 1, "events": old_events, "step_records": 5, "documents": 2}
    assert not Event.objects.filter(run=old).exists()
    assert not StepRecord.objects.filter(run=old).exists()
    assert not DocProgress.objects.filter(run=old).exists()
    # The run itself stays, with how it ended.
    old = fresh(old)
    assert (old.status, old.summary["steps"]["extract"]["status"]) == ("completed", "completed")
    assert Event.objects.filter(run=recent).count() == fresh(recent).last_seq
    assert StepRecord.objects.filter(run=recent).count() == 5
    assert Run.objects.filter(pk=active.pk).exists()
    assert services.runs_cleanup(older_than_days=30)["events"] == 0


def test_cleanup_keeps_the_records_of_a_failed_run_that_can_still_be_retried(project, alice):
    failed = start(project, alice, toy_fail="validate")
    execute(failed)
    Run.objects.filter(pk=failed.pk).update(finished_at=timezone.now() - timedelta(days=40))

    assert services.runs_cleanup(older_than_days=30)["step_records"] == 0

    Run.objects.filter(pk=failed.pk).update(options={**failed.options, "toy_fail": ""})
    services.run_retry(subject=project)
    assert execute(failed) == "completed"
    assert results(failed) == sorted(STEPS)


def test_cleanup_takes_an_old_failed_run_once_a_newer_run_replaced_it(project, alice):
    failed = start(project, alice, toy_fail="validate")
    execute(failed)
    Run.objects.filter(pk=failed.pk).update(finished_at=timezone.now() - timedelta(days=40))
    execute(start(project, alice))

    assert services.runs_cleanup(older_than_days=30)["step_records"] == 5

    assert not StepRecord.objects.filter(run=failed).exists()
