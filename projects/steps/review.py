"""Step 3: send the items the classifier was unsure of to a CA, and wait.

Items at or above `auto_approve_above` are approved automatically; the rest become
review items, the run pauses (the worker is freed) and the firm's CAs are told.
Figures read by OCR from a scanned page below `OCR_SURE` go to a CA too, whatever the
head's confidence: a misread digit is wrong however well the ledger is classified.
With `skip_review` the engine skips this step and the suggestions stand as they are.
"""

from django.db import transaction

from pipeline.context import StepContext
from projects.models import LineItem, ReviewItem, ReviewItemStatus, ReviewStatus

# OCR's own confidence in a line's words and figures below which a person checks them.
OCR_SURE = 0.80


def review(ctx: StepContext) -> None:
    threshold = ctx.options.get("auto_approve_above", 0.70)
    items = LineItem.objects.filter(project_id=ctx.subject_id)
    unsure = list(
        items.filter(confidence__lt=threshold)
        | items.filter(head="")
        | items.filter(ocr_confidence__lt=OCR_SURE)
    )
    with transaction.atomic():
        # The list is made afresh: a step that runs again (a lost worker) or a new run
        # over the same line items must not meet the old one.
        ReviewItem.objects.filter(project_id=ctx.subject_id).delete()
        items.exclude(pk__in=[i.pk for i in unsure]).update(
            review_status=ReviewStatus.AUTO_APPROVED
        )
        items.filter(pk__in=[i.pk for i in unsure]).update(review_status=ReviewStatus.PENDING)
        ReviewItem.objects.bulk_create(
            ReviewItem(
                run_id=ctx.run_id,
                project_id=ctx.subject_id,
                line_item=item,
                status=ReviewItemStatus.PENDING,
                suggested_head=item.head,
                confidence=item.confidence,
                alternatives=item.alternatives,
            )
            for item in unsure
        )
    ctx.metadata["review_items"] = len(unsure)
    if unsure:
        ctx.pause_for_review(len(unsure))
    with ctx.commit():
        ctx.metadata["auto_approved"] = items.count()
