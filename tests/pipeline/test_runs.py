"""The engine in-process with the toy pipeline: runs, steps, events, options and recovery.

Runs are created with the service and executed with ``run_execute`` directly, as a
worker would. In a plain ``db`` test on_commit never fires, so nothing is enqueued.
"""

import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import pairwise

import pytest
from django.db import connection
from django.utils import timezone

from pipeline import engine, registry, runner, services
from pipeline import events as pipeline_events
from pipeline.models import DocProgress, Event, Run, StepRecord
from pipeline.services import recovery as services_recovery
from pipeline.services import runs as services_runs
from pipeline.services import steps as services_steps
from projects.models import AuditLog, Project
from tests.toy import pipeline as toy
from tests.toy.models import ToyResult

pytestmark = pytest.mark.django_db

STEPS = ["extract", "classify", "review", "validate", "generate"]
REAL_BACKOFF = engine.backoff_delay

# DESIGN.md "Events": what each event type carries besides type, run_id, seq and ts.
PAYLOAD_KEYS = {
    "step.started": {"step"},
    "step.progress": {"step", "done", "total"},
    "step.completed": {"step", "duration_ms", "metadata"},
    "step.skipped": {"step", "reason"},
    "step.retrying": {"step", "attempt", "delay_s", "error"},
    "step.failed": {"step", "error", "kind"},
    "doc.progress": {"file_id", "phase", "error"},
    "review.needed": {"count"},
    "run.completed": {"summary"},
    "run.failed": {"error", "kind"},
    "run.cancelled": {"step"},
}


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch):
    monkeypatch.setattr(engine, "backoff_delay", lambda attempt, jitter: 0.01)


def start(project: Project, user, **options) -> Run:
    return services.run_create(
        subject=project, pipeline_name="toy", options=options, requested_by=user
    )


def execute(run: Run) -> str:
    return runner.run_execute(run_id=run.pk)


def fresh(run: Run) -> Run:
    run.refresh_from_db()
    return run


def project_status(project: Project) -> str:
    return Project.objects.values_list("status", flat=True).get(pk=project.pk)


def events(run: Run, type: str | None = None) -> list[dict]:
    rows = Event.objects.filter(run=run).order_by("seq")
    if type:
        rows = rows.filter(type=type)
    return [{"seq": e.seq, "type": e.type, **e.payload} for e in rows]


def types(run: Run) -> list[str]:
    return [e["type"] for e in events(run)]


def results(run: Run) -> list[str]:
    return sorted(ToyResult.objects.filter(run_id=run.pk).values_list("step", flat=True))


def step_record(run: Run, name: str) -> StepRecord:
    return StepRecord.objects.get(run=run, name=name)


def step_statuses(run: Run) -> dict[str, str]:
    return dict(StepRecord.objects.filter(run=run).values_list("name", "status"))


def age_heartbeat(run: Run, settings) -> None:
    stale = timezone.now() - timedelta(seconds=settings.PIPELINE_STALE_SECONDS + 5)
    Run.objects.filter(pk=run.pk).update(heartbeat_at=stale)


class WorkerKilled(BaseException):
    """What SIGKILL looks like from inside: nothing in the worker gets to handle it."""


@dataclass
class Tick:
    step: str
    done: int
    total: int
    run_status: str
    project_status: str


@dataclass
class Ticks:
    """Watches the progress ticks a worker reports, as a user polling progress would."""

    seen: list[Tick] = field(default_factory=list)
    actions: dict[tuple[str, int], object] = field(default_factory=dict)
    after_actions: dict[tuple[str, int], object] = field(default_factory=dict)

    def before(self, step: str, done: int, action) -> None:
        """Runs `action(run)` once, just before the worker reports that tick."""
        self.actions[(step, done)] = action

    def after(self, step: str, done: int, action) -> None:
        """Runs `action(run)` once, just after the worker reported that tick."""
        self.after_actions[(step, done)] = action

    def of(self, step: str) -> list[Tick]:
        return [tick for tick in self.seen if tick.step == step]


@pytest.fixture
def ticks(monkeypatch) -> Ticks:
    real = services.step_progress
    spy = Ticks()

    def step_progress(*, run, step, position, done, total, claim):
        spy.seen.append(
            Tick(
                step,
                done,
                total,
                Run.objects.values_list("status", flat=True).get(pk=run.pk),
                project_status(run.project),
            )
        )
        if action := spy.actions.pop((step, done), None):
            action(run)
        real(run=run, step=step, position=position, done=done, total=total, claim=claim)
        if action := spy.after_actions.pop((step, done), None):
            action(run)

    monkeypatch.setattr(services, "step_progress", step_progress)
    return spy


@pytest.fixture(autouse=True)
def _project_has_a_file(project_file) -> None:
    """Every `project` here has a file, so it can be processed."""


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


def test_cancel_mid_step_is_noticed_at_the_next_progress_tick(project, alice, ticks):
    run = start(project, alice, toy_items=3)
    ticks.after("classify", 1, lambda run: services.run_cancel(run=run))

    assert execute(run) == "cancelled"

    run = fresh(run)
    assert run.status == "cancelled"
    assert run.cancel_requested_at is not None
    # Asked for after tick 1 of classify; the worker stopped at its next tick, inside
    # the step, not at the end of it.
    assert [(t.done, t.total) for t in ticks.of("classify")] == [(1, 3), (3, 3)]
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


# Options -------------------------------------------------------------------------------------


def test_start_from_skips_earlier_steps_and_says_why(project, alice):
    run = start(project, alice, start_from="validate")

    assert execute(run) == "completed"

    assert step_statuses(run) == {
        "extract": "skipped",
        "classify": "skipped",
        "review": "skipped",
        "validate": "completed",
        "generate": "completed",
    }
    skipped = events(run, "step.skipped")
    assert [(e["step"], e["reason"]) for e in skipped] == [
        ("extract", "start_from=validate"),
        ("classify", "start_from=validate"),
        ("review", "start_from=validate"),
    ]
    assert step_record(run, "extract").metadata == {"reason": "start_from=validate"}
    assert [e["step"] for e in events(run, "step.started")] == ["validate", "generate"]
    assert results(run) == ["generate", "validate"]
    assert project_status(project) == "completed"


def test_skip_review_never_pauses_for_review(project, alice):
    run = start(project, alice, toy_review=5, skip_review=True)

    assert execute(run) == "completed"

    assert step_record(run, "review").status == "skipped"
    assert [(e["step"], e["reason"]) for e in events(run, "step.skipped")] == [
        ("review", "skip_review")
    ]
    assert "review.needed" not in types(run)
    assert results(run) == ["classify", "extract", "generate", "validate"]


def test_skip_validation_skips_only_validate(project, alice):
    run = start(project, alice, skip_validation=True)

    assert execute(run) == "completed"

    assert step_statuses(run)["validate"] == "skipped"
    assert [(e["step"], e["reason"]) for e in events(run, "step.skipped")] == [
        ("validate", "skip_validation")
    ]
    assert results(run) == ["classify", "extract", "generate", "review"]
    assert project_status(project) == "completed"


@pytest.fixture
def current_extract(monkeypatch) -> str:
    """The toy pipeline, but its extract results are always up to date for their inputs."""
    toy_pipeline = registry.get("toy")
    steps = list(toy_pipeline.steps)
    extract = steps[0]
    steps[0] = registry.Step(
        extract.name,
        extract.run,
        extract.weight,
        extract.running_status,
        extract.done_status,
        is_current=lambda subject_id: True,
    )
    name = "toy_current"
    monkeypatch.setitem(
        registry._pipelines,
        name,
        registry.Pipeline(
            name=name,
            steps=tuple(steps),
            options=toy_pipeline.options,
            review_summary=toy_pipeline.review_summary,
        ),
    )
    return name


def test_a_step_whose_results_are_current_is_skipped_as_up_to_date(project, alice, current_extract):
    run = services.run_create(
        subject=project, pipeline_name=current_extract, options={}, requested_by=alice
    )

    assert execute(run) == "completed"

    assert [(e["step"], e["reason"]) for e in events(run, "step.skipped")] == [
        ("extract", "up to date")
    ]
    assert "extract" not in results(run)


def test_force_reprocess_runs_a_step_whose_results_are_current(project, alice, current_extract):
    run = services.run_create(
        subject=project,
        pipeline_name=current_extract,
        options={"force_reprocess": True},
        requested_by=alice,
    )

    assert execute(run) == "completed"

    assert events(run, "step.skipped") == []
    assert results(run) == sorted(STEPS)


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


# Events ----------------------------------------------------------------------------------------


def test_events_are_numbered_from_1_without_gaps_and_carry_their_payloads(project, alice):
    run = start(project, alice, toy_review=1)
    execute(run)
    services.run_resume(subject=project)
    execute(run)

    log = events(run)
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    assert fresh(run).last_seq == len(log)
    assert log[0]["type"] == "run.queued"
    assert log[1]["type"] == "run.started"
    assert log[-1]["type"] == "run.completed"
    seen = {e["type"] for e in log}
    assert {"step.started", "step.progress", "step.completed", "review.needed"} <= seen
    for event in log:
        assert PAYLOAD_KEYS.get(event["type"], set()) <= set(event), event
    for event in events(run, "step.progress"):
        assert 0 < event["done"] <= event["total"] == 3
    completed = events(run, "step.completed")
    assert [e["step"] for e in completed] == STEPS
    assert all(isinstance(e["duration_ms"], int) for e in completed)
    assert completed[0]["metadata"] == {"items": 3}
    summary = log[-1]["summary"]
    assert set(summary["steps"]) == set(STEPS)
    assert summary == fresh(run).summary


def test_each_step_is_started_progressed_and_completed_in_order(project, alice):
    run = start(project, alice)
    execute(run)
    per_step = [(e["type"], e["step"]) for e in events(run) if e["type"].startswith("step.")]
    expected = []
    for step in STEPS:
        expected += [
            ("step.started", step),
            ("step.progress", step),
            ("step.progress", step),
            ("step.completed", step),
        ]
    assert per_step == expected
    progress = [e["pipeline_progress"] for e in events(run) if "pipeline_progress" in e]
    assert progress == sorted(progress)
    assert progress[-1] == 100.0


# Between two steps: one commit ------------------------------------------------------------


def test_a_step_completes_and_the_next_starts_with_consecutive_seqs(project, alice):
    run = start(project, alice)
    execute(run)

    log = events(run)
    for before, after in pairwise(STEPS):
        [completed] = [e for e in log if e["type"] == "step.completed" and e["step"] == before]
        following = log[completed["seq"]]  # seqs start at 1: this is the next event
        assert (following["type"], following["step"]) == ("step.started", after)
        assert following["pipeline_progress"] == completed["pipeline_progress"]
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))


def test_a_worker_killed_as_a_step_commits_leaves_the_run_to_continue_at_that_step(
    project, alice, settings, monkeypatch
):
    real = services_steps.events_append

    def killed_before_commit(*, run, events, last_seq=None):
        real(run=run, events=events, last_seq=last_seq)
        if ("step.completed", "extract") in [(type, p.get("step")) for type, p in events]:
            raise WorkerKilled()

    monkeypatch.setattr(services_steps, "events_append", killed_before_commit)
    run = start(project, alice)
    with pytest.raises(WorkerKilled):
        execute(run)
    monkeypatch.setattr(services_steps, "events_append", real)

    # Nothing of the transaction that completed extract and started classify is left:
    # not extract's results, nor its events, audit rows or seqs.
    assert results(run) == []
    assert step_statuses(run) == {"extract": "running"} | dict.fromkeys(STEPS[1:], "pending")
    assert "step.completed" not in types(run)
    assert [e["step"] for e in events(run, "step.started")] == ["extract"]
    assert fresh(run).last_seq == len(events(run))
    assert not AuditLog.objects.filter(run_id=run.pk, action="pipeline_extract_complete").exists()
    assert project_status(project) == "extracting"

    age_heartbeat(run, settings)
    assert services.run_sweep()["requeued"] == 1
    assert execute(run) == "completed"

    assert ToyResult.objects.filter(run_id=run.pk).count() == len(STEPS)
    assert [e["step"] for e in events(run, "step.completed")] == STEPS
    assert [e["seq"] for e in events(run)] == list(range(1, fresh(run).last_seq + 1))


def test_a_run_killed_after_a_step_committed_continues_at_the_next_one(
    project, alice, ticks, settings
):
    run = start(project, alice)
    kill_worker_at(ticks, run, "classify")  # its first tick: extract's commit started it
    assert step_statuses(run)["extract"] == "completed"
    age_heartbeat(run, settings)
    services.run_sweep()

    assert execute(run) == "completed"

    assert ToyResult.objects.filter(run_id=run.pk).count() == len(STEPS)
    assert [e["step"] for e in events(run, "step.completed")] == STEPS
    started = [e["step"] for e in events(run, "step.started")]
    assert started == ["extract", "classify", "classify", "review", "validate", "generate"]


def test_a_cancel_asked_as_a_step_ends_keeps_its_results_out_and_starts_nothing(
    project, alice, ticks
):
    run = start(project, alice, toy_items=3)
    ticks.after("extract", 3, lambda run: services.run_cancel(run=run))

    assert execute(run) == "cancelled"

    assert results(run) == []
    assert step_statuses(run) == dict.fromkeys(STEPS, "pending")
    assert [e["step"] for e in events(run, "step.started")] == ["extract"]
    assert events(run, "step.completed") == []
    assert types(run)[-1] == "run.cancelled"
    assert project_status(project) == "draft"


def test_events_are_published_after_commit_in_seq_order(
    project, alice, settings, monkeypatch, django_capture_on_commit_callbacks
):
    published: list[tuple[dict, list[str]]] = []

    class Recorder:
        def publish(self, message, groups):
            published.append((message, list(groups)))

    settings.PIPELINE_EVENT_TRANSPORT = "redis"
    monkeypatch.setattr(pipeline_events, "publisher", Recorder)
    monkeypatch.setattr(services_runs, "enqueue", lambda run_id: None)  # executed right here
    with django_capture_on_commit_callbacks(execute=True):
        run = start(project, alice)
        execute(run)

    assert [(m["seq"], m["type"]) for m, _ in published] == [
        (e["seq"], e["type"]) for e in events(run)
    ]
    assert {tuple(groups) for _, groups in published} == {
        (f"run.{run.pk}", f"project.{project.pk}")
    }


# Recovery: the sweep ---------------------------------------------------------------------


def kill_worker_at(ticks: Ticks, run: Run, step: str = "classify") -> None:
    def kill(run):
        raise WorkerKilled()

    ticks.before(step, 1, kill)
    with pytest.raises(WorkerKilled):
        execute(run)


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
