"""A plan as stored and sent: JSON-safe data (amounts as exact strings, or numbers for
the API) and what changed between two saves."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from projects.cma.projections.loans import TermLoan
from projects.cma.projections.plan import Limit, Plan
from projects.cma.projections.stock import stock_statement_to_data

__all__ = ["data_changes", "limit_to_data", "loan_to_data", "plan_to_data"]


def limit_to_data(limit: Limit, number: Callable[[Decimal], Any] = str) -> dict[str, Any]:
    def amount(value: Decimal | None) -> Any:
        return None if value is None else number(value)

    return {
        "bank": limit.bank,
        "facility": limit.facility,
        "fund_based": limit.fund_based,
        "existing_limit": amount(limit.existing_limit),
        "outstanding": amount(limit.outstanding),
        "outstanding_on": limit.outstanding_on,
        "highest_use": amount(limit.highest_use),
        "lowest_use": amount(limit.lowest_use),
        "proposed_limit": amount(limit.proposed_limit),
    }


def loan_to_data(loan: TermLoan, number: Callable[[Decimal], Any] = str) -> dict[str, Any]:
    return {
        "name": loan.name,
        "existing": loan.existing,
        "amount": number(loan.amount),
        "rate_pct": number(loan.rate_pct),
        "start_month": loan.start_month,
        "moratorium_months": loan.moratorium_months,
        "tenor_months": loan.tenor_months,
        "repayment": loan.repayment,
    }


def plan_to_data(plan: Plan) -> dict[str, Any]:
    """The plan as stored: what was set, amounts as exact strings; parse_plan reads it."""
    data: dict[str, Any] = {
        "projected_years": plan.projected_years,
        "years": [{"year": year, "kind": "provisional"} for year in plan.provisional_years],
        "assumptions": {
            year: {key: str(value) for key, value in values.items()}
            for year, values in plan.assumptions.items()
            if values
        },
        "msme": plan.msme,
        "display_unit": plan.display_unit,
        "notes": dict(plan.notes),
    }
    if plan.estimate_year:
        data["estimate_year"] = plan.estimate_year
    if plan.limits is not None:
        data["limits"] = [limit_to_data(limit) for limit in plan.limits]
    if plan.term_loans is not None:
        data["term_loans"] = [loan_to_data(loan) for loan in plan.term_loans]
    if plan.stock_statement is not None:
        data["stock_statement"] = stock_statement_to_data(plan.stock_statement)
    return data


def data_changes(old: Any, new: Any, path: str = "") -> list[dict[str, Any]]:
    """What changed between two stored plans, as [{path, old, new}] of the leaves (a list
    that changed length is one change of the whole list)."""
    # An object that appears or disappears is reported key by key.
    if isinstance(new, Mapping) and old is None:
        old = {}
    if isinstance(old, Mapping) and new is None:
        new = {}
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        changes = []
        for key in [*old, *(k for k in new if k not in old)]:
            child = f"{path}.{key}" if path else str(key)
            changes += data_changes(old.get(key), new.get(key), child)
        return changes
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        changes = []
        for index, (before, after) in enumerate(zip(old, new, strict=True)):
            changes += data_changes(before, after, f"{path}.{index}")
        return changes
    if old == new or (old in (None, {}, []) and new in (None, {}, [])):
        return []
    return [{"path": path, "old": old, "new": new}]
