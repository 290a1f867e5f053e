"""A toy pipeline of plain functions, steered by its options, for testing the engine.

Options (besides the common ones): `toy_items` ticks per step, `toy_sleep` seconds per
tick, `toy_fail` a step that fails for good, `toy_transient` how many times the first
step fails transiently before it works, `toy_review` items to review (0: no pause),
`toy_bad_doc` a document id that fails alone, `toy_crash` a step that raises a bug.
"""

import time

from django.db import OperationalError

from pipeline import registry
from pipeline.context import PermanentError, StepContext, TransientError
from pipeline.engine import Option
from tests.toy.models import ToyResult

TRANSIENT_FAILURES: dict[int, int] = {}


def work(ctx: StepContext) -> None:
    items = ctx.options["toy_items"]
    if ctx.options["toy_fail"] == ctx.step:
        raise PermanentError(f"{ctx.step} cannot read the books")
    if ctx.options["toy_crash"] == ctx.step:
        raise ZeroDivisionError("a bug")
    if ctx.position == 0 and TRANSIENT_FAILURES.get(ctx.run_id, 0) < ctx.options["toy_transient"]:
        TRANSIENT_FAILURES[ctx.run_id] = TRANSIENT_FAILURES.get(ctx.run_id, 0) + 1
        if TRANSIENT_FAILURES[ctx.run_id] % 2:
            raise TransientError("the bank's server timed out")
        raise OperationalError("database is locked")
    if ctx.position == 0:
        for file_id in (1, 2):
            bad = file_id == ctx.options["toy_bad_doc"]
            ctx.doc_phase(
                file_id,
                "failed" if bad else "extracted",
                "unreadable" if bad else None,
                name=f"doc{file_id}.csv",
            )
    for done in range(1, items + 1):
        time.sleep(ctx.options["toy_sleep"])
        ctx.progress(done, items)
    with ctx.commit():
        ToyResult.objects.create(run_id=ctx.run_id, step=ctx.step, value=items)
        ctx.metadata["items"] = items


def review(ctx: StepContext) -> None:
    if ctx.options["toy_review"] and not ctx.options["skip_review"]:
        ctx.pause_for_review(ctx.options["toy_review"])
    work(ctx)


REVIEW_PENDING: dict[int, int] = {}


def review_summary(run: object) -> dict[str, int]:
    return {"pending": REVIEW_PENDING.get(run.pk, 0), "approved": 0, "corrected": 0}


registry.register(
    registry.Pipeline(
        name="toy",
        steps=(
            registry.Step("extract", work, 25, "extracting", "extracted"),
            registry.Step("classify", work, 25, "classifying", "classified"),
            registry.Step("review", review, 10, "reviewing", "", "skip_review", human=True),
            registry.Step("validate", work, 20, "validating", "validated", "skip_validation"),
            registry.Step("generate", work, 20, "generating", "completed"),
        ),
        options={
            "toy_items": Option(int, 3),
            "toy_sleep": Option(float, 0.0),
            "toy_fail": Option(str, ""),
            "toy_crash": Option(str, ""),
            "toy_transient": Option(int, 0),
            "toy_review": Option(int, 0),
            "toy_bad_doc": Option(int, 0),
        },
        review_summary=review_summary,
    )
)
