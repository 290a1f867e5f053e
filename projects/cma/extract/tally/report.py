"""Tally's Trial Balance report exported as XML, and the group tree read from it.

The export is a flat run of pairs directly under <ENVELOPE>: a <DSPACCNAME> holding the
row's name (<DSPDISPNAME>) and the <DSPACCINFO> after it holding its closing balance,
split into <DSPCLDRAMT><DSPCLDRAMTA> (debit, written negative) and
<DSPCLCRAMT><DSPCLCRAMTA> (credit), or as one signed <DSPCLAMT><DSPCLAMTA>. An unused
side is empty, not "0". Nothing but document order ties a name to its figures.

Exported condensed, the rows are the primary groups; exported detailed, each group is
followed by the groups and ledgers under it, in order, with nothing marking the level.
So a row is known for a group by its name (Tally's predefined groups, the groups of a
masters file, an ISGROUP field some exports add) and a group's rows end where they add up
to its balance. A company's own group that nothing names is found by that arithmetic,
but only when reading every unknown row as a ledger leaves a group that does not add up.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from projects.cma.extract.numbers import PAISA, parse_amount
from projects.cma.extract.tally.groups import (
    PRIMARY,
    group_key,
    is_predefined_group,
    is_primary_group,
    predefined_parent,
)

__all__ = ["Placed", "ReportRow", "Tree", "build_tree", "is_closing_stock", "read_report_rows"]

_ZERO = Decimal("0.00")
_NAME_TAGS = frozenset({"DSPACCNAME", "BSNAME"})
# "Grand Total", "Total", "Total :": the report's own total, kept only to compare.
_STOCK_IN_HAND = group_key("Stock-in-Hand")
_CLOSING_STOCK = re.compile(r"^\s*closing\s+stock\b|\(\s*closing\s+stock\s*\)", re.IGNORECASE)
_OPENING_STOCK = re.compile(r"\bopening\s+stock\b", re.IGNORECASE)
# Each trial re-reads the rows; a file needing more than this is broken, not nested.
_MAX_TRIALS = 200
TOTAL_NAME = re.compile(r"(?:grand\s*)?totals?\s*:?", re.IGNORECASE)


@dataclass(frozen=True)
class ReportRow:
    number: int  # 1-based position among the report's rows: its source, "row 12"
    name: str
    debit: Decimal | None  # closing debit, >= 0; None when the row has no figures
    credit: Decimal | None  # closing credit, >= 0
    is_group: bool | None = None  # an ISGROUP field, when the export carries one
    parent: str | None = None  # a PARENTGRP field, when the export carries one
    unreadable: str = ""  # an amount's text that is not an amount

    @property
    def has_figures(self) -> bool:
        return self.debit is not None

    @property
    def net(self) -> Decimal:
        """Credit positive, debit negative, as Tally signs a balance."""
        return (self.credit or _ZERO) - (self.debit or _ZERO)


def is_closing_stock(label: str, chain: Sequence[str]) -> bool:
    """A closing-stock line: so named, or under Stock-in-Hand (an opening stock apart),
    as Tally shows stock when inventory is not integrated with the accounts."""
    if _CLOSING_STOCK.search(label) is not None:
        return True
    keys = {group_key(part) for part in chain} | {group_key(label)}
    return _STOCK_IN_HAND in keys and _OPENING_STOCK.search(label) is None


def read_report_rows(root: ET.Element) -> list[ReportRow]:
    """The report's rows in document order; [] when the document holds no report."""
    container = _container(root)
    if container is None:
        return []
    children = list(container)
    rows: list[ReportRow] = []
    for index, child in enumerate(children):
        if child.tag not in _NAME_TAGS:
            continue
        name_element = child if child.tag == "DSPACCNAME" else child.find("DSPACCNAME")
        if name_element is None:
            continue
        name = " ".join((name_element.findtext("DSPDISPNAME") or "").split())
        is_group = _yes_no(name_element.findtext("ISGROUP"))
        parent = _clean_parent(name_element.findtext("PARENTGRP"))
        after = children[index + 1] if index + 1 < len(children) else None
        debit = credit = None
        unreadable = ""
        if after is not None and after.tag == "DSPACCINFO":
            figures = _figures(after)
            if isinstance(figures, str):
                unreadable = figures
            else:
                debit, credit = figures
        rows.append(ReportRow(len(rows) + 1, name, debit, credit, is_group, parent, unreadable))
    return rows


def _container(root: ET.Element) -> ET.Element | None:
    for element in root.iter():
        if any(child.tag in _NAME_TAGS for child in element):
            return element
    return None


def _yes_no(text: str | None) -> bool | None:
    value = (text or "").strip().lower()
    return True if value == "yes" else False if value == "no" else None


def _clean_parent(text: str | None) -> str | None:
    value = " ".join((text or "").split())
    if not value:
        return None
    return PRIMARY if value.lower() == "primary" else value


def _figures(info: ET.Element) -> tuple[Decimal, Decimal] | str:
    """(debit, credit) of a closing balance, both >= 0, or the text that is no amount."""
    debit_text = info.findtext(".//DSPCLDRAMTA")
    credit_text = info.findtext(".//DSPCLCRAMTA")
    if debit_text is None and credit_text is None:
        signed = info.findtext(".//DSPCLAMTA")
        if signed is None:
            return _ZERO, _ZERO
        parsed = parse_amount(signed.strip())
        if parsed is None:
            return signed.strip()
        amount, side = parsed
        # Unmarked, Tally's sign: a debit is negative.
        if side is None:
            side = "Dr" if amount < 0 else "Cr"
        amount = abs(amount)
        return (amount, _ZERO) if side == "Dr" else (_ZERO, amount)
    debit = credit = _ZERO
    for text, natural in ((debit_text, "Dr"), (credit_text, "Cr")):
        parsed = parse_amount((text or "").strip())
        if parsed is None:
            return (text or "").strip()
        amount, side = parsed
        # Tally writes a debit negative in its own column: the column says the side, the
        # sign does not; only a "Dr"/"Cr" mark overrides the column.
        if (side or natural) == "Dr":
            debit += abs(amount)
        else:
            credit += abs(amount)
    return debit, credit


# ----------------------------------------------------------------------------------------
# The tree
# ----------------------------------------------------------------------------------------

Role = Literal["ledger", "group", "heading", "total", "unreadable"]


@dataclass
class Placed:
    """A row and what it turned out to be, with the groups it sits in, nearest first."""

    row: ReportRow
    role: Role
    chain: tuple[str, ...] = ()
    # A group's direct members (ledgers and groups) and what their balances add up to.
    members: list[ReportRow] = field(default_factory=list)
    members_net: Decimal = _ZERO
    # A group row with nothing under it: a condensed export lists groups as its lines.
    collapsed: bool = False
    top: bool = False  # outside any group: a primary group, or a ledger under none

    @property
    def matched(self) -> bool:
        return abs(self.members_net - self.row.net) <= PAISA


@dataclass
class Tree:
    placed: list[Placed]  # every row, in order

    def mismatched(self) -> list[Placed]:
        return [p for p in self.placed if p.role == "group" and not p.collapsed and not p.matched]

    def balanced(self) -> bool:
        """The lines at the top (groups outside any group, ledgers under none) net to nil,
        with or without the closing stock among them."""
        net = sum((p.row.net for p in self.placed if p.top), _ZERO)
        stock = sum(
            (
                p.row.net
                for p in self.placed
                if p.role == "ledger" and is_closing_stock(p.row.name, p.chain)
            ),
            _ZERO,
        )
        return abs(net) <= PAISA or abs(net - stock) <= PAISA

    def faults(self) -> int:
        return len(self.mismatched()) + (0 if self.balanced() else 1)

    def score(self) -> tuple[int, int, Decimal]:
        """Faults, then groups that do not add up, then the imbalance: lower is better."""
        net = sum((p.row.net for p in self.placed if p.top), _ZERO)
        return self.faults(), len(self.mismatched()), abs(net)


def build_tree(
    rows: Sequence[ReportRow],
    *,
    known_groups: frozenset[str],
    parents: dict[str, str],
) -> Tree:
    """Which rows are groups, which ledgers, and which groups each ledger sits in.

    ``known_groups`` holds the keys (`group_key`) of groups named elsewhere (a masters
    file); ``parents`` maps a name's key to its parent group's name where known.
    """

    def named_group(row: ReportRow) -> bool:
        if row.is_group is not None:
            return row.is_group
        key = group_key(row.name)
        if key in known_groups or is_predefined_group(row.name):
            return True
        # A ledger has one balance; a group row may show its members' debits and credits.
        return bool(row.debit) and bool(row.credit)

    best = _place(rows, named_group, parents, set())
    if not best.faults():
        return best
    # Two readings the names cannot settle are tried row by row, each kept only when it
    # leaves fewer faults (groups that do not add up, top lines that do not balance) or
    # the same faults and a smaller imbalance: a row read as a ledger whose following
    # ledgers add up to it (a company's own group that nothing names; two equal ledgers
    # one after the other, "Output CGST", "Output SGST", are not one), and a group
    # followed by ledgers it does not hold (a condensed export's line).
    chosen: set[int] = set()
    leaves: set[int] = set()

    def by_arithmetic(row: ReportRow) -> bool:
        return named_group(row) or row.number in chosen

    trials = [(n, chosen) for n in _subtotal_rows(rows, named_group, parents)]
    trials += [(n, leaves) for n in _group_leaf_rows(rows, named_group)]
    for number, bucket in sorted(trials, key=lambda trial: trial[0])[:_MAX_TRIALS]:
        if not best.faults():
            break
        bucket.add(number)
        trial = _place(rows, by_arithmetic, parents, leaves)
        if trial.score() < best.score():
            best = trial
        else:
            bucket.discard(number)
    return best


def _group_leaf_rows(
    rows: Sequence[ReportRow], named_group: Callable[[ReportRow], bool]
) -> list[int]:
    # Only a primary group (a condensed export lists nothing below them), and only when
    # no run of the rows after it, up to the next primary group, adds up to it.
    found = []
    for index, row in enumerate(rows[:-1]):
        following = rows[index + 1]
        if not (row.has_figures and following.has_figures and following.parent is None):
            continue
        if not (is_primary_group(row.name) or row.parent == PRIMARY) or named_group(following):
            continue
        running = _ZERO
        for after in rows[index + 1 :]:
            if is_primary_group(after.name) or after.parent == PRIMARY:
                break
            running += after.net
            if abs(running - row.net) <= PAISA:
                break
        else:
            found.append(row.number)
            continue
        if abs(running - row.net) > PAISA:
            found.append(row.number)
    return found


def _subtotal_rows(
    rows: Sequence[ReportRow], named_group: Callable[[ReportRow], bool], parents: dict[str, str]
) -> set[int]:
    found: set[int] = set()
    for index, row in enumerate(rows):
        if not row.has_figures or named_group(row) or not row.net:
            continue
        if group_key(row.name) in parents:
            continue  # a masters file says it is a ledger
        running = _ZERO
        for follower in rows[index + 1 :]:
            if not follower.has_figures or named_group(follower):
                break
            running += follower.net
            if abs(running - row.net) <= PAISA:
                found.add(row.number)
                break
    return found


@dataclass
class _Open:
    placed: Placed

    @property
    def key(self) -> str:
        return group_key(self.placed.row.name)

    @property
    def complete(self) -> bool:
        return bool(self.placed.members) and self.placed.matched


def _place(
    rows: Sequence[ReportRow],
    is_group: Callable[[ReportRow], bool],
    parents: dict[str, str],
    leaves: set[int],
) -> Tree:
    placed: list[Placed] = []
    stack: list[_Open] = []

    def close_top() -> None:
        done = stack.pop().placed
        if not done.members:
            # Nothing under it: a condensed export's line, read as a ledger would be.
            done.collapsed = True
        if stack:
            parent = stack[-1].placed
            parent.members.append(done.row)
            parent.members_net += done.row.net

    def chain() -> tuple[str, ...]:
        return tuple(entry.placed.row.name for entry in reversed(stack))

    for row in rows:
        if not row.has_figures:
            role: Role = "unreadable" if row.unreadable else "heading"
            placed.append(Placed(row, role, chain()))
            continue
        if TOTAL_NAME.fullmatch(row.name):
            while stack:
                close_top()
            placed.append(Placed(row, "total"))
            continue
        parent = row.parent or parents.get(group_key(row.name)) or predefined_parent(row.name)
        if parent is not None and group_key(parent) == group_key(PRIMARY):
            while stack:
                close_top()
        elif parent is not None and any(entry.key == group_key(parent) for entry in stack):
            while stack[-1].key != group_key(parent):
                close_top()
        else:
            while stack and stack[-1].complete:
                close_top()
        if row.number in leaves:
            placed.append(Placed(row, "group", chain(), collapsed=True, top=not stack))
            if stack:
                stack[-1].placed.members.append(row)
                stack[-1].placed.members_net += row.net
            continue
        if is_group(row):
            entry = Placed(row, "group", chain(), top=not stack)
            placed.append(entry)
            stack.append(_Open(entry))
            continue
        placed.append(Placed(row, "ledger", chain(), top=not stack))
        if stack:
            top = stack[-1].placed
            top.members.append(row)
            top.members_net += row.net
    while stack:
        close_top()
    return Tree(placed)
