"""Step 2: give every line item a head, a confidence, the method and the alternatives."""

from pipeline.context import StepContext
from projects.cma.classify import classify_all
from projects.cma.records import ExtractedItem
from projects.models import LineItem, Project
from projects.selectors import learned_labels

FIELDS = ["head", "confidence", "method", "alternatives", "evidence", "review_status"]


def classify(ctx: StepContext) -> None:
    firm_id = Project.objects.values_list("firm_id", flat=True).get(pk=ctx.subject_id)
    items = list(LineItem.objects.filter(project_id=ctx.subject_id).order_by("id"))
    records = [
        ExtractedItem(
            year=i.year,
            label=i.label,
            amount=i.amount,
            side=i.side,
            source=i.source,
            section=i.section,
            closing_stock=i.closing_stock,
            basis=i.basis,
        )
        for i in items
    ]
    suggestions = classify_all(
        records, learned=learned_labels(firm_id=firm_id), progress=ctx.progress
    )
    for item, suggestion in zip(items, suggestions, strict=True):
        item.head = suggestion.head or ""
        item.confidence = round(suggestion.confidence, 4)
        item.method = suggestion.method
        item.alternatives = [
            {"head": head, "confidence": round(confidence, 4)}
            for head, confidence in suggestion.alternatives
        ]
        item.evidence = list(suggestion.evidence)
        item.review_status = ""
    threshold = ctx.options.get("auto_approve_above", 0.70)
    with ctx.commit():
        LineItem.objects.bulk_update(items, FIELDS, batch_size=2000)
        ctx.metadata.update(
            {
                "classified": sum(1 for i in items if i.head),
                "unclassified": sum(1 for i in items if not i.head),
                "below_threshold": sum(1 for i in items if i.confidence < threshold),
                "methods": {
                    m: sum(1 for i in items if i.method == m) for m in {i.method for i in items}
                },
            }
        )
