"""Step 5: the CMA workbook, with every figure as a formula and its value cached, and the
print-ready PDF of its forms beside it (two outputs of one run)."""

import contextlib
import hashlib
import io
from collections.abc import Iterator
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from pipeline.context import StepContext
from projects.cma.bank import bank_readiness
from projects.cma.heads import HEADS_BY_ID
from projects.cma.workbook import WorkbookItem, write_workbook
from projects.models import LineItem, Output, Project, ProjectFile, ReviewItem
from projects.reports import PdfUnavailable, PendingPdf, forms_pdf_start
from projects.reports.compute import project_compute
from projects.selectors import report_basis, report_figures


def generate(ctx: StepContext) -> None:
    project = Project.objects.get(pk=ctx.subject_id)
    ctx.progress(0, 3)
    computed = project_compute(project_id=project.pk)
    items = workbook_items(project_id=project.pk)
    # The saved plan's estimate and projected years: columns of every form, formulas over
    # the workbook's Assumptions sheet; amounts in the plan's unit (lakhs by default).
    basis = report_basis(project=project, actual=computed.report)
    plan, projection, assessed = basis.plan, basis.projection, basis.assessed
    readiness = bank_readiness(assessed, plan)
    try:
        # Laid out beside the workbook where the machine has a core to spare (reports/pdf.py).
        pending: PendingPdf | None = forms_pdf_start(
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
        pending, pdf_missing = None, str(exc)
    with pending or contextlib.nullcontext():
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
        pdf = pending.result() if pending is not None else None
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
    # The files are written first, outside the step's transaction (which then stays
    # short), and registered in it: an Output row exists only once its file does. A
    # failure before the commit removes them; a kill leaves a stray file without a row,
    # which the sweep removes (supervise's outputs_orphans_remove).
    # The PDF first: the newest output of a run stays its workbook, the one the report
    # API, the project page and the "report ready" email take.
    outputs: list[Output] = []
    try:
        printed = None
        if pdf is not None:
            printed = output_write(name=f"{stem}.pdf", content=pdf, fields=fields)
            outputs.append(printed)
        output = output_write(name=name, content=content, fields=fields)
        outputs.append(output)
        with ctx.commit():
            for written in outputs:
                written.save()
            ctx.metadata.update(
                {
                    "output_id": output.pk,
                    "size": len(content),
                    "name": name,
                    "pdf_id": printed.pk if printed else None,
                }
            )
    except BaseException:
        if not ctx.committed:
            for written in outputs:
                written.file.delete(save=False)
        raise


def output_write(*, name: str, content: bytes, fields: dict[str, Any]) -> Output:
    """An unsaved Output whose file is written (under a new unique name)."""
    output = Output(
        name=name, size=len(content), sha256=hashlib.sha256(content).hexdigest(), **fields
    )
    output.file.save(name, ContentFile(content), save=False)
    return output


# Rows fetched at a time while the Line items sheet is written.
ITEMS_CHUNK = 2000
ITEM_FIELDS = (
    "id", "year", "label", "amount", "side", "file_id", "source", "head", "confidence", "method"
)  # fmt: skip


def workbook_items(*, project_id: int) -> Iterator[WorkbookItem]:
    """The Line items sheet's rows, read as they are written: plain values, no model
    objects, and never the whole book in memory at once (100,000 ledgers)."""
    deciders = dict(
        ReviewItem.objects.filter(project_id=project_id, decided_by__isnull=False).values_list(
            "line_item_id", "decided_by__username"
        )
    )
    files = dict(ProjectFile.objects.filter(project_id=project_id).values_list("id", "name"))
    rows = (
        LineItem.objects.filter(project_id=project_id)
        .order_by("year", "position", "id")
        .values_list(*ITEM_FIELDS)
        .iterator(chunk_size=ITEMS_CHUNK)
    )
    for pk, year, label, amount, side, file_id, source, head, confidence, method in rows:
        yield WorkbookItem(
            year=year,
            label=label,
            amount=amount,
            side=side,
            file_name=files[file_id],
            source=source.split(": ", 1)[-1],
            head=head or None,
            head_label=HEADS_BY_ID[head].label if head in HEADS_BY_ID else "",
            confidence=confidence,
            method=method,
            approved_by=deciders.get(pk, "automatic" if head else ""),
        )
