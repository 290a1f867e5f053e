"""The run status table (pipeline/services/transitions.py) and the one function that moves
a run: every move the table leaves out is refused, and a run that moved meanwhile is
not moved again."""

import ast
from itertools import product
from pathlib import Path

import pytest

from pipeline import services
from pipeline.models import Run, RunStatus
from pipeline.services.transitions import (
    RUN_TRANSITIONS,
    TransitionRefused,
    run_transition,
    run_transition_locked,
    transition_allowed,
    transition_check,
)

ROOT = Path(__file__).resolve().parents[2]

# DESIGN.md's lifecycle, `queued → running → (awaiting_review → running) → completed |
# failed | cancelled`, with what steering and recovery add. Written out again here, so
# that a change to the table is a change to this list too.
ALLOWED = {
    ("queued", "running"),  # a worker claims it
    ("queued", "cancelled"),  # cancelled before a worker took it
    ("running", "completed"),
    ("running", "failed"),
    ("running", "cancelled"),
    ("running", "awaiting_review"),  # paused for a CA
    ("running", "queued"),  # its worker was lost or stopped: handed on
    ("awaiting_review", "queued"),  # Resume
    ("awaiting_review", "cancelled"),
    ("failed", "queued"),  # Retry
}


def test_the_table_is_the_documented_lifecycle():
    table = {(source, target) for source, targets in RUN_TRANSITIONS.items() for target in targets}
    assert table == ALLOWED
    assert set(RUN_TRANSITIONS) == set(RunStatus)


@pytest.mark.parametrize(
    ("source", "target"),
    sorted(set(product(RunStatus.values, repeat=2)) - ALLOWED),
)
def test_every_other_move_is_refused(source, target):
    assert not transition_allowed(source, target)
    with pytest.raises(TransitionRefused, match=f"from {source} to {target}"):
        transition_check(source, target)


def test_a_completed_or_cancelled_run_never_changes_again():
    for finished in (RunStatus.COMPLETED, RunStatus.CANCELLED):
        assert not any(transition_allowed(finished, target) for target in RunStatus)


def test_an_unknown_status_is_an_error_not_a_silent_no():
    with pytest.raises(ValueError):
        transition_allowed("sleeping", "running")


def _status_writes(path: Path) -> list[int]:
    """Lines where `path` writes a run's status other than through run_transition: an
    `.update(status=RunStatus.…)`, or `status=RunStatus.…` handed to `run_advance`."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        if name not in {"update", "run_advance", "rows_update"}:
            continue
        for keyword in node.keywords:
            value = ast.unparse(keyword.value)
            if keyword.arg == "status" and value.startswith("RunStatus."):
                lines.append(node.lineno)
    return lines


def test_no_code_changes_a_run_status_but_through_the_table():
    sources = [*ROOT.glob("pipeline/**/*.py"), *ROOT.glob("projects/**/*.py")]
    writes = {
        str(path.relative_to(ROOT)): lines
        for path in sources
        if "migrations" not in path.parts and (lines := _status_writes(path))
    }
    assert writes == {}


# With the database ----------------------------------------------------------------------


@pytest.fixture
def queued_run(project_file, alice):
    return services.run_create(
        subject=project_file.project, pipeline_name="toy", options={}, requested_by=alice
    )


@pytest.mark.django_db
def test_a_refused_move_leaves_the_row_as_it_was(queued_run):
    with pytest.raises(TransitionRefused):
        run_transition(run=queued_run, to=RunStatus.COMPLETED)
    stored = Run.objects.get(pk=queued_run.pk)
    assert (stored.status, stored.finished_at) == ("queued", None)


@pytest.mark.django_db
def test_a_run_that_moved_meanwhile_is_not_moved_again(queued_run):
    # Two writers read the run as queued; the first claims it, the second must not.
    first, second = Run.objects.get(pk=queued_run.pk), Run.objects.get(pk=queued_run.pk)
    assert run_transition(run=first, to=RunStatus.RUNNING, claim="a" * 32)
    assert not run_transition(run=second, to=RunStatus.CANCELLED)
    assert Run.objects.get(pk=queued_run.pk).status == "running"
    # A caller that holds the row lock cannot have read a stale status: it raises.
    with pytest.raises(TransitionRefused, match="from queued to cancelled"):
        run_transition_locked(run=second, to=RunStatus.CANCELLED)


@pytest.mark.django_db
def test_a_worker_that_lost_its_claim_moves_nothing(queued_run):
    claimed, claim = services.run_claim(run_id=queued_run.pk)
    assert not run_transition(
        run=claimed, to=RunStatus.COMPLETED, claimed_by="someone else's claim"
    )
    assert Run.objects.get(pk=queued_run.pk).status == "running"
    assert run_transition(run=claimed, to=RunStatus.COMPLETED, claimed_by=claim)


@pytest.mark.django_db
def test_each_status_sets_its_own_stamps(queued_run):
    run = Run.objects.get(pk=queued_run.pk)
    assert run_transition(run=run, to=RunStatus.RUNNING, claim="c" * 32)
    running = Run.objects.get(pk=run.pk)
    assert running.started_at is not None and running.heartbeat_at is not None
    assert run_transition(run=running, to=RunStatus.QUEUED)  # its worker was lost
    requeued = Run.objects.get(pk=run.pk)
    assert (requeued.claim, requeued.finished_at) == ("", None)
    assert run_transition(run=requeued, to=RunStatus.RUNNING, claim="d" * 32)
    # A run that runs again keeps its first start: started_at is when it began.
    assert Run.objects.get(pk=run.pk).started_at == running.started_at
    assert run_transition(run=Run.objects.get(pk=run.pk), to=RunStatus.AWAITING_REVIEW)
    paused = Run.objects.get(pk=run.pk)
    assert (paused.claim, paused.heartbeat_at) == ("", None)
    assert run_transition(run=paused, to=RunStatus.CANCELLED)
    assert Run.objects.get(pk=run.pk).finished_at is not None
