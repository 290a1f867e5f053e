"""Bench pipelines: whatever time a run takes is the engine's own.

- "noop": BENCH_STEPS steps that do nothing (bench/pipeline_engine.py).
- "ticker": one step that waits for the bench's go (a file ``bench-go-<run id>`` in
  DATA_DIR), then reports progress BENCH_TICKS times, one every BENCH_TICK_MS, so that
  its events are spread in time (bench/ws_latency.py). A file ``bench-stop`` (every
  run) or ``bench-stop-<run id>`` in DATA_DIR ends it early, as a failure.
"""

import os
import time
from pathlib import Path

from django.conf import settings

from pipeline import registry
from pipeline.context import PermanentError, StepContext


def noop(ctx: StepContext) -> None:
    return None


STEPS = int(os.getenv("BENCH_STEPS", "20"))

registry.register(
    registry.Pipeline(
        name="noop",
        steps=tuple(registry.Step(f"s{i}", noop, 1) for i in range(STEPS)),
    )
)


TICKS = int(os.getenv("BENCH_TICKS", "60"))
TICK_SECONDS = float(os.getenv("BENCH_TICK_MS", "250")) / 1000
GATE_SECONDS = 120


def ticker(ctx: StepContext) -> None:
    """Progress events at a steady rate; ``metadata["progress_ms"]`` holds what each cost.

    A `ctx.progress(force=True)` call is one transaction (run UPDATE, step UPDATE, event
    INSERT, COMMIT): its duration bounds the time from the event's `created_at` stamp to
    its commit.
    """
    data_dir = Path(settings.DATA_DIR)
    go = data_dir / f"bench-go-{ctx.run_id}"
    stops = (data_dir / "bench-stop", data_dir / f"bench-stop-{ctx.run_id}")

    def stopped() -> bool:
        return any(stop.exists() for stop in stops)

    deadline = time.monotonic() + GATE_SECONDS
    while not go.exists():
        if stopped() or time.monotonic() > deadline:
            raise PermanentError("The bench never said go.")
        time.sleep(0.002)
    costs = []
    started = time.monotonic()
    for i in range(1, TICKS + 1):
        if stopped():
            raise PermanentError("The bench stopped.")
        before = time.perf_counter()
        ctx.progress(i, TICKS, force=True)
        costs.append(round((time.perf_counter() - before) * 1000, 2))
        time.sleep(max(0.0, started + i * TICK_SECONDS - time.monotonic()))
    ctx.metadata["progress_ms"] = costs


registry.register(registry.Pipeline(name="ticker", steps=(registry.Step("tick", ticker, 1),)))


def bare_task() -> None:
    """The django-q2 baseline: a task that does nothing."""
    return None
