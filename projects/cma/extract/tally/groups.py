"""Tally's predefined account groups: the 15 primary groups and the 13 groups Tally
creates under them in every company, with their parents.

A company's own groups always hang under one of these, so a ledger's chain of groups
ends in a primary group listed here (unless the company made a primary group of its own).
Names are compared as Tally compares them: case and spacing aside (`group_key`).
"""

from __future__ import annotations

__all__ = [
    "PREDEFINED_PARENTS",
    "PRIMARY",
    "PRIMARY_GROUPS",
    "group_key",
    "is_predefined_group",
    "is_primary_group",
    "predefined_parent",
]

# Tally's name for the root of the group tree; exports write it as "Primary", sometimes
# after a control character ("&#4; Primary").
PRIMARY = "Primary"

PRIMARY_GROUPS: tuple[str, ...] = (
    "Branch / Divisions",
    "Capital Account",
    "Current Assets",
    "Current Liabilities",
    "Direct Expenses",
    "Direct Incomes",
    "Fixed Assets",
    "Indirect Expenses",
    "Indirect Incomes",
    "Investments",
    "Loans (Liability)",
    "Misc. Expenses (ASSET)",
    "Purchase Accounts",
    "Sales Accounts",
    "Suspense A/c",
)

# The predefined sub-groups and the primary group each sits under. "Bank OCC A/c" is the
# name Tally 7.2 and early ERP 9 releases used for "Bank OD A/c"; "Retained Earnings" is
# the alias Tally gives "Reserves & Surplus".
PREDEFINED_PARENTS: dict[str, str] = {
    "Bank Accounts": "Current Assets",
    "Bank OD A/c": "Loans (Liability)",
    "Bank OCC A/c": "Loans (Liability)",
    "Cash-in-Hand": "Current Assets",
    "Deposits (Asset)": "Current Assets",
    "Duties & Taxes": "Current Liabilities",
    "Loans & Advances (Asset)": "Current Assets",
    "Provisions": "Current Liabilities",
    "Reserves & Surplus": "Capital Account",
    "Retained Earnings": "Capital Account",
    "Secured Loans": "Loans (Liability)",
    "Stock-in-Hand": "Current Assets",
    "Sundry Creditors": "Current Liabilities",
    "Sundry Debtors": "Current Assets",
    "Unsecured Loans": "Loans (Liability)",
}


def group_key(name: str) -> str:
    """A group or ledger name as Tally compares names: case and spacing aside."""
    return " ".join(name.lower().split())


_PRIMARY_KEYS = frozenset(group_key(name) for name in PRIMARY_GROUPS)
_PARENT_KEYS = {group_key(child): parent for child, parent in PREDEFINED_PARENTS.items()}


def is_primary_group(name: str) -> bool:
    """True for one of Tally's 15 predefined primary groups ("Current Liabilities")."""
    return group_key(name) in _PRIMARY_KEYS


def is_predefined_group(name: str) -> bool:
    """True for any group Tally creates in every company, primary or not."""
    key = group_key(name)
    return key in _PRIMARY_KEYS or key in _PARENT_KEYS


def predefined_parent(name: str) -> str | None:
    """The parent of a predefined group: "Primary" for a primary group, None if not one."""
    key = group_key(name)
    if key in _PRIMARY_KEYS:
        return PRIMARY
    return _PARENT_KEYS.get(key)
