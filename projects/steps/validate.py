"""Step 4: the checks of REFERENCE.md; errors block generation unless skip_validation."""

from pipeline.context import PermanentError, StepContext
from projects.reports.compute import project_compute


def validate(ctx: StepContext) -> None:
    ctx.progress(0, 1)
    computed = project_compute(project_id=ctx.subject_id)
    result = computed.validation.as_dict()
    if computed.validation.errors and not ctx.options.get("skip_validation"):
        messages = "; ".join(issue.message for issue in computed.validation.errors[:5])
        more = len(computed.validation.errors) - 5
        raise PermanentError(
            f"Validation found {len(computed.validation.errors)} error(s): {messages}"
            + (f" (and {more} more)" if more > 0 else "")
            + ". Fix the books or the classification, or process again with skip_validation.",
            metadata=result,
        )
    with ctx.commit():
        ctx.metadata.update(result)
        ctx.metadata["years"] = computed.report.years
