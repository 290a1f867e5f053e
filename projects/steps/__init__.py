"""The `cma` pipeline: extract → classify → review → validate → generate."""

from pipeline import registry
from projects.models import FileStatus, LineItem, ProjectFile
from projects.selectors import review_counts
from projects.steps.classify import classify
from projects.steps.extract import extract
from projects.steps.generate import generate
from projects.steps.review import review
from projects.steps.validate import validate


def extract_is_current(project_id: int) -> bool:
    """Every file was read since it was uploaded, and its line items are still there."""
    files = ProjectFile.objects.filter(project_id=project_id)
    return (
        files.exists()
        and not files.filter(status=FileStatus.UPLOADED).exists()
        and LineItem.objects.filter(project_id=project_id).exists()
    )


CMA = registry.Pipeline(
    name="cma",
    steps=(
        registry.Step(
            "extract", extract, 25, "extracting", "extracted", is_current=extract_is_current
        ),
        registry.Step("classify", classify, 25, "classifying", "classified"),
        registry.Step(
            "review", review, 10, skip_option="skip_review", paused_status="reviewing", human=True
        ),
        registry.Step("validate", validate, 20, "validating", "validated"),
        registry.Step("generate", generate, 20, "generating", "completed"),
    ),
    review_summary=lambda run: review_counts(run_id=run.pk),
)
