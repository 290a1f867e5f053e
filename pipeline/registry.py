"""Which pipelines exist, and how the engine reaches its subjects, filled by apps in ready().

The engine is generic: it learns its steps and how to talk to the subject model (a
project here) from what other apps register, and so never imports them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Model, QuerySet

from pipeline.engine import Option

if TYPE_CHECKING:
    from pipeline.context import StepContext
    from pipeline.models import Run


@dataclass(frozen=True)
class Step:
    """One step: a plain function of a StepContext, with its share of the progress bar.

    ``running_status``/``done_status`` are the subject's status while it runs and after it
    completes. ``skip_option`` names the run option that skips it. ``is_current`` says
    whether the subject's stored results of this step are already up to date, so a new
    run can skip it unless ``force_reprocess``. A step may pause the run for review with
    ``ctx.pause_for_review(count)``.
    """

    name: str
    run: Callable[["StepContext"], None]
    weight: float
    running_status: str = ""
    done_status: str = ""
    skip_option: str = ""
    is_current: Callable[[int], bool] | None = None
    # Its duration is a person's (a review), so estimates of machine time leave it out.
    human: bool = False
    paused_status: str = ""  # the subject's status while the run waits for review


@dataclass(frozen=True)
class Pipeline:
    name: str
    steps: tuple[Step, ...]
    options: dict[str, Option] = field(default_factory=dict)
    initial_status: str = "draft"
    failed_status: str = "error"
    # {"pending", "approved", "corrected"} review items of a run; resume waits for
    # no pending ones.
    review_summary: Callable[["Run"], dict[str, int]] | None = None

    @property
    def step_names(self) -> list[str]:
        return [step.name for step in self.steps]

    @property
    def weights(self) -> list[float]:
        return [step.weight for step in self.steps]

    @property
    def machine_steps(self) -> list[str]:
        return [step.name for step in self.steps if not step.human]

    def step(self, name: str) -> Step:
        return next(step for step in self.steps if step.name == name)


class Subjects(Protocol):
    """How the engine reaches its subjects (registered once, by the domain app)."""

    def for_user(self, user: Any) -> QuerySet: ...

    # The user's subject by id, or Http404: as `for_user(user).get(pk=...)`, in whatever
    # cheaper way the adapter has (a press of Process reads it on every call).
    def get_for_user(self, user: Any, subject_id: int) -> Model: ...

    def tenant_of(self, subject: Model) -> int: ...

    def input_size(self, subject: Model) -> int: ...

    def has_input(self, subject: Model) -> bool: ...

    def set_status(self, subject_id: int, status: str) -> None: ...

    def status_of(self, subject_id: int) -> str: ...


Hook = Callable[[str, "Run", dict[str, Any]], None]
# Returns the unsaved rows to write with the event (e.g. an audit entry), or None.
RowsHook = Callable[[str, "Run", dict[str, Any]], Iterable[Model] | None]

_pipelines: dict[str, Pipeline] = {}
_subjects: list[Subjects] = []
_hooks: list[Hook] = []
_transaction_hooks: list[RowsHook] = []


def register(pipeline: Pipeline) -> None:
    _pipelines[pipeline.name] = pipeline


def get(name: str) -> Pipeline:
    try:
        return _pipelines[name]
    except KeyError:
        raise LookupError(f"No pipeline named {name!r} is registered.") from None


def names() -> list[str]:
    return sorted(_pipelines)


def register_subjects(subjects: Subjects) -> None:
    _subjects[:] = [subjects]


def subjects() -> Subjects:
    if not _subjects:
        raise LookupError("No app registered the pipeline's subjects.")
    return _subjects[0]


def register_hook(hook: Hook | RowsHook, *, in_transaction: bool = False) -> None:
    """`hook(event_type, run, payload)` runs for every event; failures are only logged.

    By default it runs after the event's commit (for what leaves the database: email).
    With `in_transaction` it runs inside the event's own transaction, for rows that must
    exist exactly when the event does (audit), at no extra commit per event. Such a hook
    only builds its rows and returns them unsaved (or None), without queries of its own
    (a query the database refuses would fail the change): the engine validates the rows,
    logs and leaves out invalid ones, and inserts the rows of a change together.
    """
    target: list[Any] = _transaction_hooks if in_transaction else _hooks
    if hook not in target:
        target.append(hook)


def hooks() -> list[Hook]:
    return list(_hooks)


def transaction_hooks() -> list[RowsHook]:
    return list(_transaction_hooks)
