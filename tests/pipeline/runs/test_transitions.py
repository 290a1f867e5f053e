"""Run status transitions: what a run, its steps and its project go through."""

import threading
import time

import pytest
from django.db import connection

from pipeline import services
from pipeline.models import Run, StepRecord
from tests.pipeline.runs.conftest import (
    STEPS,
    events,
    execute,
    fresh,
    project_status,
    results,
    start,
    step_record,
    step_statuses,
    types,
)
from tests.toy import pipeline as toy

pytestmark = pytest.mark.django_db


# Run status transitions -------------------------------------------------------------------


def test_a_new_run_is_queued_with_its_options_filled_in(project, alice):
    run = start(project, alice, skip_validation=True)
    assert run.status == "queued"
    assert run.requested_by == alice
    assert run.options["skip_validation"] is True
    assert run.options["auto_approve_above"] == 0.70
    assert step_statuses(run) == dict.fromkeys(STEPS, "pending")
    assert events(run) == [{"seq": 1, "type": "run.queued", "options": run.options}]
    assert project_status(project) == "draft"


def test_a_run_goes_from_queued_through_running_to_completed(project, alice, ticks):
    run = start(project, alice)

    assert execute(run) == "completed"

    assert {tick.run_status for tick in ticks.seen} == {"running"}
    run = fresh(run)
    assert run.status == "completed"
    assert run.progress == 100.0
    assert run.started_at is not None
    assert run.finished_at >= run.started_at
    assert run.error == ""
    assert step_statuses(run) == dict.fromkeys(STEPS, "completed")
    assert results(run) == sorted(STEPS)
    for record in StepRecord.objects.filter(run=run):
        assert record.attempts == 1
        assert record.progress == 100
        assert record.duration_ms is not None
        assert record.metadata == {"items": 3}
    assert run.summary["steps"]["extract"]["status"] == "completed"
    assert run.summary["failed_documents"] == {}


def test_the_project_status_follows_each_step_while_it_runs(project, alice, ticks):
    run = start(project, alice)
    execute(run)
    during = {tick.step: tick.project_status for tick in ticks.seen}
    assert during == {
        "extract": "extracting",
        "classify": "classifying",
        "review": "reviewing",
        "validate": "validating",
        "generate": "generating",
    }
    assert project_status(project) == "completed"


def test_the_project_shows_each_finished_step_until_the_next_one_starts(
    project, alice, monkeypatch
):
    # A step that runs next starts in the commit of the one before it; a skipped review
    # does not, so validate starts on its own after classify.
    before_start: dict[str, str] = {}
    real = services.step_start

    def step_start(*, run, position, attempt, claim):
        before_start[STEPS[position]] = project_status(run.project)
        return real(run=run, position=position, attempt=attempt, claim=claim)

    monkeypatch.setattr(services, "step_start", step_start)
    execute(start(project, alice, skip_review=True))
    assert before_start == {"extract": "draft", "validate": "classified"}


def test_a_run_with_items_to_review_waits_then_resumes_to_completed(project, alice):
    run = start(project, alice, toy_review=2)

    assert execute(run) == "awaiting_review"

    run = fresh(run)
    assert run.status == "awaiting_review"
    assert run.finished_at is None
    assert run.current_step == "review"
    assert project_status(project) == "reviewing"
    review = step_record(run, "review")
    assert review.status == "awaiting_review"
    assert review.metadata == {"review_items": 2}
    assert events(run, "review.needed") == [
        {"seq": run.last_seq, "type": "review.needed", "step": "review", "count": 2}
    ]
    assert results(run) == ["classify", "extract"]

    services.run_resume(subject=project, decided_by=alice)
    run = fresh(run)
    assert run.status == "queued"
    assert step_record(run, "review").status == "completed"
    assert events(run)[-1]["type"] == "run.queued"
    assert events(run)[-1]["reason"] == "resume"
    resumed_at = run.last_seq

    assert execute(run) == "completed"

    run = fresh(run)
    assert run.status == "completed"
    later = [e for e in events(run) if e["seq"] > resumed_at]
    assert [e["step"] for e in later if e["type"] == "step.started"] == ["validate", "generate"]
    assert results(run) == ["classify", "extract", "generate", "validate"]
    assert project_status(project) == "completed"


def test_resume_is_refused_while_review_items_are_pending(project, alice):
    run = start(project, alice, toy_review=4)
    execute(run)
    toy.REVIEW_PENDING[run.pk] = 3

    with pytest.raises(services.NotAllowed) as refused:
        services.run_resume(subject=project)

    assert refused.value.code == "review_pending"
    assert refused.value.extra == {"count": 3}
    assert fresh(run).status == "awaiting_review"
    assert step_record(run, "review").status == "awaiting_review"

    toy.REVIEW_PENDING[run.pk] = 0
    services.run_resume(subject=project)
    assert execute(run) == "completed"


def test_resume_is_refused_when_the_run_is_not_waiting_for_review(project, alice):
    with pytest.raises(services.NotAllowed) as never_run:
        services.run_resume(subject=project)
    assert never_run.value.code == "not_awaiting_review"

    run = start(project, alice)
    with pytest.raises(services.NotAllowed) as queued:
        services.run_resume(subject=project)
    assert queued.value.code == "not_awaiting_review"

    execute(run)
    with pytest.raises(services.NotAllowed) as completed:
        services.run_resume(subject=project)
    assert completed.value.code == "not_awaiting_review"


def test_a_failing_step_fails_the_run_with_its_message(project, alice):
    run = start(project, alice, toy_fail="validate")

    assert execute(run) == "failed"

    run = fresh(run)
    assert run.status == "failed"
    assert run.error == "validate cannot read the books"
    assert run.error_kind == "permanent"
    assert run.finished_at is not None
    assert step_statuses(run) == {
        "extract": "completed",
        "classify": "completed",
        "review": "completed",
        "validate": "failed",
        "generate": "pending",
    }
    validate = step_record(run, "validate")
    assert validate.error == "validate cannot read the books"
    assert validate.error_kind == "permanent"
    failed = [e for e in events(run) if e["type"] in {"step.failed", "run.failed"}]
    assert [(e["type"], e["step"], e["kind"], e["error"]) for e in failed] == [
        ("step.failed", "validate", "permanent", "validate cannot read the books"),
        ("run.failed", "validate", "permanent", "validate cannot read the books"),
    ]
    assert types(run)[-1] == "run.failed"
    assert results(run) == ["classify", "extract", "review"]
    assert project_status(project) == "error"


def test_a_queued_run_is_cancelled_at_once_and_no_worker_runs_it(project, alice):
    run = start(project, alice)

    services.run_cancel(run=run)

    run = fresh(run)
    assert run.status == "cancelled"
    assert run.finished_at is not None
    assert types(run) == ["run.queued", "run.cancelled"]
    assert project_status(project) == "draft"
    assert execute(run) == "not_queued"
    assert results(run) == []
    assert types(run) == ["run.queued", "run.cancelled"]


def test_a_run_awaiting_review_is_cancelled_at_once(project, alice):
    run = start(project, alice, toy_review=2)
    execute(run)

    services.run_cancel(run=run)

    run = fresh(run)
    assert run.status == "cancelled"
    assert types(run)[-1] == "run.cancelled"
    assert events(run)[-1]["step"] == "review"
    assert step_record(run, "review").status == "pending"
    # The project goes back to what its last completed step made of it.
    assert project_status(project) == "classified"
    assert results(run) == ["classify", "extract"]
    with pytest.raises(services.NotAllowed) as refused:
        services.run_resume(subject=project)
    assert refused.value.code == "not_awaiting_review"


def test_cancel_mid_step_is_noticed_at_the_next_progress_tick(project, alice, ticks, monkeypatch):
    # Every tick reaches the services, however slow the machine: none is dropped as too
    # soon after the last one, so "the next tick" is tick 2.
    monkeypatch.setattr("pipeline.context.TICK_SECONDS", 0)
    run = start(project, alice, toy_items=3)
    ticks.after("classify", 1, lambda run: services.run_cancel(run=run))

    assert execute(run) == "cancelled"

    run = fresh(run)
    assert run.status == "cancelled"
    assert run.cancel_requested_at is not None
    # Asked for after tick 1 of classify; the worker stopped at its next tick, inside
    # the step, not at the end of it.
    assert [(t.done, t.total) for t in ticks.of("classify")] == [(1, 3), (2, 3)]
    classify_progress = [e["done"] for e in events(run, "step.progress") if e["step"] == "classify"]
    assert classify_progress == [1]
    assert [e["step"] for e in events(run, "step.completed")] == ["extract"]
    assert types(run)[-2:] == ["run.cancel_requested", "run.cancelled"]
    assert events(run)[-1]["step"] == "classify"
    assert step_statuses(run) == {
        "extract": "completed",
        "classify": "pending",
        "review": "pending",
        "validate": "pending",
        "generate": "pending",
    }
    assert ticks.of("review") == []


def test_cancel_mid_step_keeps_earlier_results_and_project_status(project, alice, ticks):
    run = start(project, alice, toy_items=3)
    ticks.before("generate", 1, lambda run: services.run_cancel(run=run))

    assert execute(run) == "cancelled"

    assert results(run) == ["classify", "extract", "review", "validate"]
    assert project_status(project) == "validated"
    assert fresh(run).progress == 80.0


def test_cancel_of_a_finished_run_is_refused(project, alice):
    run = start(project, alice)
    execute(run)
    with pytest.raises(services.NotAllowed) as refused:
        services.run_cancel(run=run)
    assert refused.value.code == "already_finished"
    assert fresh(run).status == "completed"


def test_cancel_asked_twice_of_a_running_run_is_recorded_once(project, alice, ticks):
    run = start(project, alice)

    def cancel_twice(run):
        services.run_cancel(run=run)
        services.run_cancel(run=run)

    ticks.after("extract", 1, cancel_twice)
    assert execute(run) == "cancelled"
    assert types(run).count("run.cancel_requested") == 1
    assert types(run).count("run.cancelled") == 1


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_cancel_from_another_connection_stops_a_slow_step(project, alice):
    run = start(project, alice, toy_items=30, toy_sleep=0.03)
    asked = threading.Event()

    def press_cancel():
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                classify = StepRecord.objects.get(run_id=run.pk, name="classify")
                if classify.status == "running" and classify.progress > 0:
                    services.run_cancel(run=Run.objects.get(pk=run.pk))
                    asked.set()
                    return
                time.sleep(0.02)
        finally:
            connection.close()

    presser = threading.Thread(target=press_cancel)
    presser.start()
    outcome = execute(run)
    presser.join()

    assert asked.is_set()
    assert outcome == "cancelled"
    run = fresh(run)
    assert run.status == "cancelled"
    assert events(run)[-1] == {"seq": run.last_seq, "type": "run.cancelled", "step": "classify"}
    classify_done = [e["done"] for e in events(run, "step.progress") if e["step"] == "classify"]
    assert 0 < max(classify_done) < 30
    assert results(run) == ["extract"]
    assert step_record(run, "classify").status == "pending"
    assert project_status(project) == "extracted"
