"""The print-ready PDF of the forms: A4 landscape, the firm's and the client's names, the
years with their kinds, amounts in the plan's unit, page numbers and a signature block
for the CA. Rendered by WeasyPrint from a Django template (autoescaped: names, ledger
labels and notes come from users and uploads). The workbook stays the working model;
this is what a partner signs and a bank files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.template.loader import render_to_string

from projects.cma.bank import BankReadiness
from projects.cma.forms import FormLine, Report
from projects.cma.workbook import UNITS
from projects.cma.workbook.cells import KIND_LABELS

__all__ = ["PDF_CONTENT_TYPE", "amount_text", "css_string", "render_forms_html", "render_forms_pdf"]

PDF_CONTENT_TYPE = "application/pdf"
TEMPLATE = "reports/forms.html"
PAISA = Decimal("0.01")


@dataclass(frozen=True)
class _Row:
    label: str
    values: list[str]
    total: bool = False
    section: bool = False


def _grouped(whole: int) -> str:
    """Indian digit grouping: 12,34,567."""
    digits = str(abs(whole))
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return ",".join([*groups, tail])


def amount_text(value: Decimal | None, divisor: Decimal) -> str:
    """An amount in the unit, two decimals, negatives in brackets as accounts print them."""
    if value is None:
        return ""
    shown = (value / divisor).quantize(PAISA, rounding=ROUND_HALF_UP)
    whole, fraction = divmod(abs(shown), 1)
    text = f"{_grouped(int(whole))}.{int(fraction * 100):02d}"
    return f"({text})" if shown < 0 else text


def css_string(text: str) -> str:
    """Text for a CSS string in the page's margin boxes: anything but letters, digits and
    spaces as a CSS hex escape, so that a quote or "</style>" in a name stays text (and
    the template's autoescape finds nothing to change)."""
    return "".join(
        char if char.isascii() and (char.isalnum() or char == " ") else f"\\{ord(char):x} "
        for char in text[:150]
    )


def _number_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return str(value.quantize(PAISA, rounding=ROUND_HALF_UP))


def render_forms_html(
    *,
    firm_name: str,
    project_name: str,
    client_name: str,
    report: Report,
    kinds: Mapping[str, str],
    display_unit: str = "lakhs",
    readiness: BankReadiness | None = None,
    generated_on: str = "",
) -> str:
    unit = UNITS[display_unit]
    unit_words = {"lakhs": "₹ in lakhs", "crores": "₹ in crores", "rupees": "₹"}[unit.name]
    forms: list[dict[str, Any]] = []
    for form in report.forms:
        periods = report.form_periods(form)
        if not periods:
            continue
        rows: list[_Row] = []
        for form_row in form.rows:
            if not isinstance(form_row, FormLine):
                rows.append(_Row(form_row.label, [], section=True))
                continue
            values = []
            for period in periods:
                value = report.value(form_row.key, period.year)
                if form_row.kind == "money":
                    values.append(amount_text(value, unit.divisor))
                elif form_row.kind == "percent" and value is not None:
                    values.append(f"{_number_text(value * 100)} %")
                else:
                    values.append(_number_text(value))
            rows.append(_Row(form_row.label, values, total=form_row.total))
        forms.append(
            {
                "title": form.title,
                "years": [
                    (p.year, KIND_LABELS.get(kinds.get(p.year, "audited"), "Audited"))
                    for p in periods
                ],
                "rows": rows,
            }
        )
    assessment: list[dict[str, Any]] = []
    checks: list[Any] = []
    if readiness is not None:
        for year, item in readiness.assessment.items():
            assessment.append(
                {
                    "year": year,
                    "kind": KIND_LABELS.get(kinds.get(year, "audited"), "Audited"),
                    "method_1": amount_text(item.method_1, unit.divisor),
                    "method_2": amount_text(item.method_2, unit.divisor),
                    "turnover": amount_text(
                        item.turnover_method.g_assessed_limit if item.turnover_method else None,
                        unit.divisor,
                    ),
                    "applicable": "Turnover method"
                    if item.applicable == "turnover_method"
                    else "Method II",
                    "assessed": amount_text(item.assessed_limit, unit.divisor),
                    "excess": amount_text(item.excess_borrowing, unit.divisor),
                    "reason": item.reason,
                }
            )
        checks = list(readiness.checks)
    return render_to_string(
        TEMPLATE,
        {
            "firm_name": firm_name,
            "header_left": css_string(firm_name),
            "header_right": css_string(f"CMA data - {client_name or project_name}"),
            "footer_right": css_string(f"Amounts: {unit_words}"),
            "project_name": project_name,
            "client_name": client_name,
            "years": [
                (year, KIND_LABELS.get(kinds.get(year, "audited"), "Audited"))
                for year in report.years
            ],
            "unit_words": unit_words,
            "forms": forms,
            "assessment": assessment,
            "checks": checks,
            "generated_on": generated_on,
        },
    )


def render_forms_pdf(**kwargs: Any) -> bytes:
    """The PDF of ``render_forms_html(**kwargs)``."""
    # Imported here: WeasyPrint loads Pango when imported, which only this path needs,
    # and a machine without Pango still makes the workbook.
    try:
        from weasyprint import HTML
    except (OSError, ImportError) as exc:
        raise PdfUnavailable(
            "The PDF of the forms was not made: WeasyPrint needs Pango on the server "
            "(apt-get install libpango-1.0-0 libpangoft2-1.0-0). The workbook has every form."
        ) from exc
    return HTML(string=render_forms_html(**kwargs)).write_pdf()


class PdfUnavailable(Exception):
    """The PDF library cannot run on this machine; the message says what to install."""
