"""Step 5: the CMA workbook, with every figure as a formula and its value cached, and the
print-ready PDF of its forms beside it (two outputs of one run)."""

import hashlib
import io

from django.core.files.base import ContentFile
from django.utils import timezone

from pipeline.context import StepContext
from projects.cma.bank import bank_readiness
from projects.cma.heads import HEADS_BY_ID
from projects.cma.workbook import WorkbookItem, write_workbook
from projects.models import Output, Project, ReviewItem
from projects.reports import PdfUnavailable, render_forms_pdf
from projects.selectors import report_basis, report_figures
from projects.steps.report import project_compute
from projects.steps.validate import latest_cross_checks


def generate(ctx: StepContext) -> None:
    project = Project.objects.get(pk=ctx.subject_id)
    ctx.progress(0, 3)
    computed = project_compute(project_id=project.pk, cross_checks=latest_cross_checks(project.pk))
    deciders = dict(
        ReviewItem.objects.filter(project=project, decided_by__isnull=False).values_list(
            "line_item_id", "decided_by__username"
        )
    )
    items = [
        WorkbookItem(
            year=item.year,
            label=item.label,
            amount=item.amount,
            side=item.side,
            file_name=item.file.name,
            source=item.source.split(": ", 1)[-1],
            head=item.head or None,
            head_label=HEADS_BY_ID[item.head].label if item.head in HEADS_BY_ID else "",
            confidence=item.confidence,
            method=item.method,
            approved_by=deciders.get(item.pk, "automatic" if item.head else ""),
        )
        for item in computed.items
    ]
    # The saved plan's estimate and projected years: columns of every form, formulas over
    # the workbook's Assumptions sheet; amounts in the plan's unit (lakhs by default).
    basis = report_basis(project=project, actual=computed.report)
    plan, projection, assessed = basis.plan, basis.projection, basis.assessed
    readiness = bank_readiness(assessed, plan)
    buffer = io.BytesIO()
    write_workbook(
        buffer,
        project_name=project.name,
        client_name=project.client_name,
        report=computed.report,
        line_items=items,
        validation=computed.validation,
        projection=projection,
        display_unit=plan.display_unit,
        msme=plan.msme,
        notes=plan.notes,
        readiness=readiness,
        stock_statement=plan.stock_statement,
    )
    content = buffer.getvalue()
    ctx.progress(1, 3)
    try:
        pdf: bytes | None = render_forms_pdf(
            firm_name=project.firm.name,
            project_name=project.name,
            client_name=project.client_name,
            report=assessed.report,
            kinds=assessed.kinds,
            display_unit=plan.display_unit,
            readiness=readiness,
            generated_on=timezone.localdate().strftime("%d %B %Y"),
        )
        pdf_missing = ""
    except PdfUnavailable as exc:
        # The workbook is the report; a server without Pango says why there is no PDF.
        pdf, pdf_missing = None, str(exc)
    ctx.progress(2, 3)
    stem = f"CMA - {project.client_name or project.name}".replace("/", "-")
    name = f"{stem}.xlsx"
    figures = report_figures(basis=basis, readiness=readiness)
    fields = {
        "project": project,
        "run_id": ctx.run_id,
        "years": figures["years"],
        "kinds": figures["kinds"],
        "key_figures": figures["key_figures"],
        # The bank-readiness fields (API.md) travel with the validation they extend.
        "validation": {**computed.validation.as_dict(), "bank": figures["bank"]},
    }
    if pdf_missing:
        fields["validation"]["warnings"].append(
            {"code": "pdf_unavailable", "year": None, "message": pdf_missing}
        )
    with ctx.commit():
        # The PDF first: the newest output of a run stays its workbook, the one the
        # report API, the project page and the "report ready" email take.
        printed = None
        if pdf is not None:
            printed = Output(
                name=f"{stem}.pdf", size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest(), **fields
            )
            printed.file.save(printed.name, ContentFile(pdf), save=False)
            printed.save()
        output = Output(
            name=name,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            **fields,
        )
        output.file.save(name, ContentFile(content), save=False)
        output.save()
        ctx.metadata.update(
            {
                "output_id": output.pk,
                "size": len(content),
                "name": name,
                "pdf_id": printed.pk if printed else None,
            }
        )
