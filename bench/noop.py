"""A pipeline of no-op steps: whatever time a run takes is the engine's own."""

import os

from pipeline import registry
from pipeline.context import StepContext


def noop(ctx: StepContext) -> None:
    return None


STEPS = int(os.getenv("BENCH_STEPS", "20"))

registry.register(
    registry.Pipeline(
        name="noop",
        steps=tuple(registry.Step(f"s{i}", noop, 1) for i in range(STEPS)),
    )
)


def bare_task() -> None:
    """The django-q2 baseline: a task that does nothing."""
    return None
