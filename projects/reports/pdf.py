"""The print-ready PDF of the forms: A4 landscape, the firm's and the client's names, the
years with their kinds, amounts in the plan's unit, page numbers and a signature block
for the CA. Rendered by WeasyPrint from a Django template (autoescaped: names, ledger
labels and notes come from users and uploads). The workbook stays the working model;
this is what a partner signs and a bank files.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any, NoReturn

from django.template.loader import render_to_string

from projects.cma.bank import BankReadiness
from projects.cma.forms import FormLine, Report
from projects.cma.workbook import UNITS
from projects.cma.workbook.cells import KIND_LABELS

__all__ = [
    "PDF_CONTENT_TYPE",
    "PendingPdf",
    "amount_text",
    "css_string",
    "forms_pdf_start",
    "render_forms_html",
    "render_forms_pdf",
]

log = logging.getLogger(__name__)

# Seconds a forked child may take to lay the forms out (about one normally) before it is
# killed and the PDF made in the worker itself.
CHILD_TIMEOUT = 60.0

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
    return _html_class()(string=render_forms_html(**kwargs)).write_pdf()


def forms_pdf_start(*, beside: bool | None = None, **kwargs: Any) -> PendingPdf:
    """Starts the PDF of ``render_forms_html(**kwargs)``; its ``result()`` waits for it.

    WeasyPrint lays the forms out in most of a second of CPU and the generate step spends
    about as long on the workbook; neither needs the other. When the machine has a core
    to spare (``beside``, by default `core_to_spare()`) the PDF is laid out in a child
    process forked from here while the caller writes the workbook: the child renders
    from memory (no database, no thread of the parent's) and leaves with ``os._exit``.
    Otherwise, or when the child fails, ``result()`` lays it out in this process. Raises
    PdfUnavailable at once on a machine without Pango.
    """
    if beside is None:
        beside = core_to_spare()
    return PendingPdf(_html_class(), render_forms_html(**kwargs), beside=beside)


def core_to_spare() -> bool:
    """Whether a second process would run beside this one rather than share its core: a
    fork costs ~10% more CPU in all (pages copied on write), which only pays when it
    halves the wait. The load average says how busy the other cores have been."""
    if not hasattr(os, "fork"):
        return False
    cores = len(os.sched_getaffinity(0))
    return cores > 1 and os.getloadavg()[0] < cores - 0.5


class PendingPdf:
    """A PDF being laid out (see `forms_pdf_start`); closed, it stops and reaps its child."""

    def __init__(self, html_class: Any, html: str, *, beside: bool) -> None:
        self._html_class = html_class
        self._html = html
        self._pid: int | None = None
        self._out: IO[bytes] | None = None
        if beside:
            # Unnamed: nothing is left behind whoever dies first.
            self._out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
            pid = os.fork()
            if pid == 0:
                self._child()
            self._pid = pid

    @property
    def child_pid(self) -> int | None:
        """The child laying the PDF out, until its result is taken; None when laid out here."""
        return self._pid

    def _child(self) -> NoReturn:
        status = 1
        try:
            # Stopped with the worker's process group, whatever handlers the worker set.
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            assert self._out is not None
            self._out.write(self._html_class(string=self._html).write_pdf())
            self._out.flush()
            status = 0
        finally:
            # Never back into the caller's stack, nor its exit handlers (its database
            # connections are the parent's).
            os._exit(status)

    def result(self, *, timeout: float = CHILD_TIMEOUT) -> bytes:
        if self._pid is not None:
            status = self._wait(timeout)
            if status is None:
                # A child that never finishes (a lock it inherited mid-use, say) must not
                # hold the run while the heartbeat says it is alive: it is killed, and the
                # PDF laid out here.
                log.warning("The PDF's child process took over %.0f s; laying it out here", timeout)
                self.close()
            else:
                self._pid = None
                if os.waitstatus_to_exitcode(status) == 0 and self._out is not None:
                    self._out.seek(0)
                    return self._out.read()
                log.warning("The PDF's child process ended with %s; laying it out here", status)
        return self._html_class(string=self._html).write_pdf()

    def _wait(self, timeout: float) -> int | None:
        """The child's wait status, or None if it is still running after `timeout` s."""
        assert self._pid is not None
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            pid, status = os.waitpid(self._pid, os.WNOHANG)
            if pid:
                return status
            if time.monotonic() >= deadline:
                return None
            time.sleep(delay)
            delay = min(delay * 2, 0.05)

    def close(self) -> None:
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None
        if self._out is not None:
            self._out.close()
            self._out = None

    def __enter__(self) -> PendingPdf:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _html_class() -> Any:
    # Imported here: WeasyPrint loads Pango when imported, which only this path needs,
    # and a machine without Pango still makes the workbook.
    try:
        from weasyprint import HTML
    except (OSError, ImportError) as exc:
        raise PdfUnavailable(
            "The PDF of the forms was not made: WeasyPrint needs Pango on the server "
            "(apt-get install libpango-1.0-0 libpangoft2-1.0-0). The workbook has every form."
        ) from exc
    return HTML


class PdfUnavailable(Exception):
    """The PDF library cannot run on this machine; the message says what to install."""
