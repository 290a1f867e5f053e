"""A run's options: where it starts, what it skips, what it reuses."""

import pytest

from pipeline import registry, services
from tests.pipeline.runs.conftest import (
    STEPS,
    events,
    execute,
    project_status,
    results,
    start,
    step_record,
    step_statuses,
    types,
)

pytestmark = pytest.mark.django_db


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
def current_extract() -> str:
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
    # Registered for the rest of the session: under its own name it changes no other test.
    registry.register(
        registry.Pipeline(
            name=name,
            steps=tuple(steps),
            options=toy_pipeline.options,
            review_summary=toy_pipeline.review_summary,
        )
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
