"""Errors in a step, retries with backoff, and a redelivered task."""

import time

import pytest

from pipeline import engine, runner, services
from pipeline.models import DocProgress, Run
from tests.pipeline.runs.conftest import (
    REAL_BACKOFF,
    STEPS,
    age_heartbeat,
    events,
    execute,
    fresh,
    project_status,
    results,
    start,
    step_record,
    types,
)

pytestmark = pytest.mark.django_db


# Errors --------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_transient_error_is_retried_in_place_and_succeeds_on_attempt_3(project, alice):
    run = start(project, alice, toy_transient=2)

    assert execute(run) == "completed"

    retrying = events(run, "step.retrying")
    assert [(e["step"], e["attempt"], e["delay_s"]) for e in retrying] == [
        ("extract", 2, 0.01),
        ("extract", 3, 0.01),
    ]
    assert [e["error"] for e in retrying] == ["the bank's server timed out", "database is locked"]
    started = [e["attempt"] for e in events(run, "step.started") if e["step"] == "extract"]
    assert started == [1, 2, 3]
    extract = step_record(run, "extract")
    assert extract.status == "completed"
    assert extract.attempts == 3
    assert extract.error == ""
    assert results(run) == sorted(STEPS)
    assert fresh(run).status == "completed"


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_retry_delays_come_from_the_exponential_backoff(project, alice, monkeypatch):
    monkeypatch.setattr(engine, "backoff_delay", REAL_BACKOFF)
    monkeypatch.setattr(runner.random, "random", lambda: 0.0)
    run = start(project, alice, toy_transient=2)

    began = time.monotonic()
    assert execute(run) == "completed"
    took = time.monotonic() - began

    delays = [e["delay_s"] for e in events(run, "step.retrying")]
    assert delays == [REAL_BACKOFF(1, 0.0), REAL_BACKOFF(2, 0.0)] == [0.5, 1.0]
    assert took >= sum(delays)


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_transient_error_three_times_fails_the_run_as_transient(project, alice):
    run = start(project, alice, toy_transient=3)

    assert execute(run) == "failed"

    run = fresh(run)
    assert run.status == "failed"
    assert run.error_kind == "transient"
    assert run.error == "Gave up after 3 attempts: the bank's server timed out"
    assert [e["attempt"] for e in events(run, "step.retrying")] == [2, 3]
    [failed] = events(run, "step.failed")
    assert (failed["step"], failed["kind"]) == ("extract", "transient")
    extract = step_record(run, "extract")
    assert (extract.status, extract.attempts, extract.error_kind) == ("failed", 3, "transient")
    assert results(run) == []
    assert project_status(project) == "error"

    # Whatever timed out has recovered: Retry runs the run to the end.
    services.run_retry(subject=project)
    assert execute(run) == "completed"
    assert results(run) == sorted(STEPS)


def test_an_unexpected_exception_is_a_permanent_failure_naming_its_class(project, alice):
    run = start(project, alice, toy_crash="classify")

    assert execute(run) == "failed"

    run = fresh(run)
    message = "Unexpected error in classify: ZeroDivisionError: a bug"
    assert (run.status, run.error_kind, run.error) == ("failed", "permanent", message)
    classify = step_record(run, "classify")
    assert (classify.status, classify.error_kind, classify.error) == (
        "failed",
        "permanent",
        message,
    )
    assert events(run, "step.failed")[0]["error"] == message
    assert "step.retrying" not in types(run)
    assert results(run) == ["extract"]
    assert project_status(project) == "error"


def test_a_bad_document_is_a_partial_failure_and_the_run_completes(project, alice):
    run = start(project, alice, toy_bad_doc=2)

    assert execute(run) == "completed"

    run = fresh(run)
    assert run.status == "completed"
    documents = {d.file_id: (d.name, d.phase, d.error) for d in DocProgress.objects.filter(run=run)}
    assert documents == {
        1: ("doc1.csv", "extracted", ""),
        2: ("doc2.csv", "failed", "unreadable"),
    }
    extract = step_record(run, "extract")
    assert extract.status == "completed"
    assert extract.metadata == {"items": 3, "failed_documents": {"2": "unreadable"}}
    assert (extract.error_kind, extract.error) == ("partial", "unreadable")
    assert step_record(run, "classify").error_kind == ""
    assert run.summary["failed_documents"] == {"2": "unreadable"}
    phases = [(e["file_id"], e["phase"], e["error"]) for e in events(run, "doc.progress")]
    assert phases == [(1, "extracted", None), (2, "failed", "unreadable")]
    assert results(run) == sorted(STEPS)


# Retry and redelivery -----------------------------------------------------------------------


def test_retry_continues_at_the_failed_step_and_keeps_earlier_results(project, alice):
    run = start(project, alice, toy_fail="validate")
    execute(run)
    failed_at = fresh(run).last_seq
    # The books are fixed: whatever made validate fail is gone.
    Run.objects.filter(pk=run.pk).update(options={**run.options, "toy_fail": ""})

    services.run_retry(subject=project)

    run = fresh(run)
    assert (run.status, run.error, run.error_kind, run.finished_at) == ("queued", "", "", None)
    assert events(run)[-1] == {
        "seq": failed_at + 1,
        "type": "run.queued",
        "reason": "retry",
        "step": "validate",
    }
    validate = step_record(run, "validate")
    assert (validate.status, validate.error) == ("pending", "")
    assert project_status(project) == "error"

    assert execute(run) == "completed"

    after_retry = [e for e in events(run) if e["seq"] > failed_at]
    assert [e["step"] for e in after_retry if e["type"] == "step.started"] == [
        "validate",
        "generate",
    ]
    assert results(run) == sorted(STEPS)
    assert step_record(run, "extract").attempts == 1
    assert fresh(run).status == "completed"
    assert project_status(project) == "completed"


@pytest.mark.parametrize("setup", ["never_run", "queued", "completed", "cancelled", "review"])
def test_retry_of_a_run_that_did_not_fail_is_refused(project, alice, setup):
    if setup != "never_run":
        run = start(project, alice, toy_review=2 if setup == "review" else 0)
        if setup in {"completed", "review"}:
            execute(run)
        if setup == "cancelled":
            services.run_cancel(run=run)
    with pytest.raises(services.NotAllowed) as refused:
        services.run_retry(subject=project)
    assert refused.value.code == "not_failed"


def test_run_execute_twice_does_nothing_the_second_time(project, alice):
    run = start(project, alice)
    assert execute(run) == "completed"
    before = events(run)

    assert execute(run) == "not_queued"

    assert events(run) == before
    assert results(run) == sorted(STEPS)


def test_a_task_delivered_again_while_the_run_is_running_does_nothing(project, alice, ticks):
    run = start(project, alice)
    second: list[str] = []
    ticks.after("classify", 1, lambda run: second.append(runner.run_execute(run_id=run.pk)))

    assert execute(run) == "completed"

    assert second == ["not_queued"]
    assert types(run).count("run.started") == 1
    assert results(run) == sorted(STEPS)


def test_a_worker_whose_run_was_handed_on_writes_nothing_more(project, alice, ticks, settings):
    run = start(project, alice)

    def sweep_takes_it_away(run):
        age_heartbeat(run, settings)
        assert services.run_sweep()["requeued"] == 1

    ticks.before("classify", 1, sweep_takes_it_away)

    assert execute(run) == "lost"
    assert fresh(run).status == "queued"
    assert results(run) == ["extract"]

    assert execute(run) == "completed"
    assert results(run) == sorted(STEPS)
    assert [e["step"] for e in events(run, "step.completed")] == STEPS
