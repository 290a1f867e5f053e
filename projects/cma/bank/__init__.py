"""What a bank looks at beside the forms (PROJECTIONS.md "Assessment", "Term loans",
"Bank-readiness checks"). Pure Python, Decimal money.

    readiness = bank_readiness(project(actual_report, plan), plan)
    readiness.assessment[year]      # Method I, II, turnover method, which applies and why
    readiness.dscr, readiness.iscr, readiness.break_even, readiness.term_loans
    readiness.checks                # what a credit officer would send back, with notes
    readiness.ready_to_send         # no check at error level
    readiness.as_json()             # API.md's report fields
"""

from projects.cma.bank.assessment import (
    TURNOVER_METHOD_CEILING,
    Assessment,
    DrawingPower,
    TurnoverMethod,
    assess,
    assessment_dict,
    drawing_power,
    fund_based_wc_limits,
    turnover_method,
)
from projects.cma.bank.checks import (
    CHECK_CODES,
    HOLDING_LEVELS,
    THRESHOLDS,
    Check,
    note_for,
    readiness_checks,
)
from projects.cma.bank.coverage import (
    BreakEven,
    DebtService,
    DscrTable,
    DscrYear,
    break_even,
    dscr_table,
    iscr,
)
from projects.cma.bank.readiness import BANK_FIELDS, BankReadiness, bank_readiness, jsonable

__all__ = [
    "BANK_FIELDS",
    "CHECK_CODES",
    "HOLDING_LEVELS",
    "THRESHOLDS",
    "TURNOVER_METHOD_CEILING",
    "Assessment",
    "BankReadiness",
    "BreakEven",
    "Check",
    "DebtService",
    "DrawingPower",
    "DscrTable",
    "DscrYear",
    "TurnoverMethod",
    "assess",
    "assessment_dict",
    "bank_readiness",
    "break_even",
    "drawing_power",
    "dscr_table",
    "fund_based_wc_limits",
    "iscr",
    "jsonable",
    "note_for",
    "readiness_checks",
    "turnover_method",
]
