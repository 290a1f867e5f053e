"""The plan page's bank parts: Form I limits and the stock statement as form fields, the
assessment, DSCR and bank-readiness checks to show, and a note field per check.

Kept apart from views.py (already long); the views call these."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import QueryDict

from projects.cma.bank import BankReadiness, bank_readiness
from projects.cma.projections import (
    DISPLAY_UNITS,
    FACILITIES,
    Plan,
    Projection,
    limit_to_data,
    stock_statement_to_data,
)

__all__ = ["FACILITY_LABELS", "bank_context", "form_extras", "limit_rows"]

FACILITY_LABELS = {
    "cash_credit": "Cash credit",
    "overdraft": "Overdraft",
    "wcdl": "Working-capital demand loan",
    "packing_credit": "Packing credit",
    "bill_discounting": "Bill discounting",
    "letter_of_credit": "Letter of credit",
    "bank_guarantee": "Bank guarantee",
    "term_loan": "Term loan",
}
LIMIT_FIELDS = (
    "bank",
    "facility",
    "existing_limit",
    "outstanding",
    "outstanding_on",
    "highest_use",
    "lowest_use",
    "proposed_limit",
)
STATEMENT_FIELDS = (
    "as_on",
    "stocks",
    "creditors",
    "receivables",
    "stock_margin_pct",
    "debtor_margin_pct",
)
METHOD_LABELS = {"turnover_method": "Turnover method", "method_2": "Method II"}
# A blank row is offered for a new facility.
BLANK_ROWS = 1


def form_extras(post: QueryDict) -> dict[str, Any]:
    """Form I, the check notes and the stock statement as plan fields, from the page.

    Limits are sent only once the user touched the table (``limits_edited``): until then
    the plan keeps taking them from the books. A row without bank, facility amount or
    date is dropped; a ticked "remove" drops a row. A blank note removes it.
    """
    extras: dict[str, Any] = {}
    if post.get("limits_edited") == "1":
        rows: dict[int, dict[str, Any]] = {}
        for name, value in post.items():
            if not name.startswith("l."):
                continue
            _, index, field = name.split(".", 2)
            if index.isdigit() and (field in LIMIT_FIELDS or field in ("fund_based", "remove")):
                rows.setdefault(int(index), {})[field] = value.strip()
        limits = []
        for _, row in sorted(rows.items()):
            if row.pop("remove", "") == "on":
                continue
            if not any(row.get(f) for f in LIMIT_FIELDS if f != "facility"):
                continue
            row["fund_based"] = row.get("fund_based") == "on"
            limits.append({f: row.get(f) or None for f in (*LIMIT_FIELDS, "fund_based")})
            limits[-1]["fund_based"] = row["fund_based"]
        extras["limits"] = limits
    notes = {
        name.removeprefix("note."): value.strip() or None
        for name, value in post.items()
        if name.startswith("note.")
    }
    if notes:
        extras["notes"] = notes
    if any(post.get(f"ss.{field}", "").strip() for field in STATEMENT_FIELDS):
        extras["stock_statement"] = {
            field: post.get(f"ss.{field}", "").strip() or None for field in STATEMENT_FIELDS
        }
    elif "ss.as_on" in post:
        extras["stock_statement"] = None  # the form was cleared
    return extras


def limit_rows(projection: Projection, errors: dict[str, str]) -> list[dict[str, Any]]:
    """Form I as rows of fields: the plan's limits (or the books' defaults) and a blank one."""
    rows = [limit_to_data(limit) for limit in projection.limits]
    rows += [
        {"bank": "", "facility": "cash_credit", "fund_based": True}
        | dict.fromkeys(LIMIT_FIELDS[2:])
        for _ in range(BLANK_ROWS)
    ]
    return [
        {
            "index": index,
            "values": {key: "" if value is None else value for key, value in row.items()},
            "errors": {
                field: errors[f"limits.{index}.{field}"]
                for field in (*LIMIT_FIELDS, "fund_based")
                if f"limits.{index}.{field}" in errors
            },
        }
        for index, row in enumerate(rows)
    ]


def _amount(value: Decimal | None, divisor: Decimal) -> str:
    return "—" if value is None else f"{value / divisor:,.2f}"


def bank_context(projection: Projection, spec: Plan) -> dict[str, Any]:
    """What the page shows of the bank's view: per year the assessment (which method
    applies and why), DSCR, ISCR, break-even, and the checks with their notes."""
    readiness: BankReadiness = bank_readiness(projection, spec)
    divisor = DISPLAY_UNITS[spec.display_unit]
    years = projection.years
    assessment_rows = []
    for label, pick in (
        ("MPBF, Method I", lambda a: a.method_1),
        ("MPBF, Method II", lambda a: a.method_2),
        (
            "Turnover method (lower of 20 % of turnover and 25 % less NWC)",
            lambda a: None if a.turnover_method is None else a.turnover_method.g_assessed_limit,
        ),
        ("Assessed limit", lambda a: a.assessed_limit),
        ("Bank borrowings", lambda a: a.bank_borrowings),
        ("Excess borrowing", lambda a: a.excess_borrowing),
        (
            "Drawing power (stock statement)",
            lambda a: None if a.drawing_power is None else a.drawing_power.drawing_power,
        ),
    ):
        values = [pick(readiness.assessment[year]) for year in years]
        if label.startswith(("Turnover", "Drawing")) and all(v is None for v in values):
            continue
        assessment_rows.append({"label": label, "values": [_amount(v, divisor) for v in values]})
    coming = next(iter(projection.projected[1:2] or projection.projected[:1] or years[-1:]), None)
    chosen = readiness.assessment.get(coming) if coming else None
    return {
        "readiness": readiness,
        "assessment_rows": assessment_rows,
        "assessment_reason": chosen.reason if chosen else "",
        "assessment_year": coming,
        "applicable_label": METHOD_LABELS[chosen.applicable] if chosen else "",
        "iscr_values": [
            "—" if readiness.iscr.get(y) is None else f"{readiness.iscr[y]:.2f}" for y in years
        ],
        "break_even_values": [_amount(readiness.break_even[y].sales, divisor) for y in years],
        "cash_break_even_values": [
            _amount(readiness.break_even[y].cash_sales, divisor) for y in years
        ],
        "dscr": readiness.dscr,
        "checks": [
            {
                "check": check,
                "key": check.code if check.year is None else f"{check.code}:{check.year}",
            }
            for check in readiness.checks
        ],
        "ready_to_send": readiness.ready_to_send,
        "facility_labels": FACILITY_LABELS,
        "facilities": FACILITIES,
        "stock_statement": (
            stock_statement_to_data(spec.stock_statement) if spec.stock_statement else {}
        ),
    }
