"""Helpers for the engine's in-process tests with the toy pipeline.

Runs are created with the service and executed with ``run_execute`` directly, as a
worker would. In a plain ``db`` test on_commit never fires, so nothing is enqueued.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from pipeline import engine, runner, services
from pipeline.models import Event, Run, StepRecord
from projects.models import Project
from tests.toy.models import ToyResult

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


def kill_worker_at(ticks: Ticks, run: Run, step: str = "classify") -> None:
    def kill(run):
        raise WorkerKilled()

    ticks.before(step, 1, kill)
    with pytest.raises(WorkerKilled):
        execute(run)
