"""The events a run records, and the one commit between two steps."""

from itertools import pairwise

import pytest

from pipeline import events as pipeline_events
from pipeline import services
from pipeline.services import runs as services_runs
from pipeline.services import steps as services_steps
from projects.models import AuditLog
from tests.pipeline.runs.conftest import (
    PAYLOAD_KEYS,
    STEPS,
    WorkerKilled,
    age_heartbeat,
    events,
    execute,
    fresh,
    kill_worker_at,
    project_status,
    results,
    start,
    step_statuses,
    types,
)
from tests.toy.models import ToyResult

pytestmark = pytest.mark.django_db


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
