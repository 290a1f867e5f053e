"""Which rows of a trial balance are groups and which are ledgers, and the group checksums.

Tally's "detailed" trial balance lists a group ("Current Liabilities") with its subtotal,
then the sub-groups and ledgers under it. The hierarchy shows in the sheet as indentation
(leading spaces, or the cell's indent), as a separate column for the groups' figures, or
not at all; then only arithmetic tells it: a row whose amount equals the sum of the rows
that follow it, up to the next row at its level, is a group's subtotal. Arithmetic is
tried only where a printed total disagrees with the plain reading, and kept only when it
makes that total agree, so a flat trial balance is never regrouped by coincidence.

A sheet may mark the hierarchy in more than one way at once, and the marks need not add
up: TallyPrime's xlsx export gives each level three leading spaces and every ledger a cell
indent besides, so a ledger straight under a group ("Current Liabilities", with its
sub-groups) shows deeper than the sub-groups beside it; Tally's detailed print puts a
top-level ledger ("Opening Stock") in the inner column, where sub-groups' figures stand.
Each way of reading depth is tried in turn, and the first under which every printed
subtotal (and the grand total) agrees is kept; when none does, the first, whose
mismatches are reported.

A grand total is either the top-level groups' balances (Tally) or every ledger's balance
in its own column (Marg, Busy and most others, where a group with debit and credit
members adds to both columns): either agrees.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from projects.cma.extract.numbers import PAISA

# A vector of signed balances (debit positive), one per year column of the table.
Amounts = tuple[Decimal, ...]

# Guessing groups by arithmetic walks from each row to the rows it might total; past this
# many steps (a flat table of many thousand rows that misses its total) it gives up.
ARITHMETIC_BUDGET = 3_000_000

_ZERO = Decimal("0.00")


@dataclass
class Entry:
    """A row with a label: a ledger, a group (with or without a printed subtotal)."""

    row: int  # the row's index in its sheet
    label: str
    amounts: Amounts | None  # None: the row prints no figure
    depth: int  # larger is deeper; equal everywhere when the sheet shows no hierarchy
    # Other depths the sheet's marks allow (leading spaces alone, cell indents alone, …),
    # the same number of them for every entry; see `arrange`.
    readings: tuple[int, ...] = ()
    closing_stock: bool = False
    parent: int | None = None  # index of the group it sits under, in the entries list
    group: bool = False


@dataclass
class GroupProblem:
    """A group subtotal that its rows do not add up to."""

    entry: int  # the group's index in the entries list
    printed: Amounts
    added: Amounts
    ledgers: list[int] = field(default_factory=list)  # entries under it


def chain(entries: Sequence[Entry], index: int) -> str:
    """The groups an entry sits under, nearest first: "Sundry Creditors / Current Liabilities"."""
    names: list[str] = []
    parent = entries[index].parent
    while parent is not None:
        names.append(entries[parent].label)
        parent = entries[parent].parent
    return " / ".join(names)


def close(first: Amounts, second: Amounts) -> bool:
    return all(abs(a - b) <= PAISA for a, b in zip(first, second, strict=True))


def arrange(entries: list[Entry], width: int, grand: list[tuple[Decimal, Decimal]] | None) -> None:
    """Sets each entry's parent and group flag from depth, or by arithmetic where needed.

    ``grand``: the table's printed grand total per year column (debit, credit), if any.
    Each reading of depth (``Entry.depth``, then ``Entry.readings``) is tried until one
    makes every printed subtotal agree; another than the first must also find a group.
    """
    readings = _readings(entries)
    for number, depths in enumerate(readings):
        _arrange_by(entries, depths, width, grand)
        if len(readings) == 1:
            return
        if check(entries, width) or (grand is not None and not grand_matches(entries, grand)):
            continue
        if number == 0 or any(entry.group for entry in entries):
            return
    _arrange_by(entries, readings[0], width, grand)


def readings_of(column: int, spaces: int, indent: int) -> tuple[int, ...]:
    """An entry's other depths from its marks (a figure in a deeper column, leading spaces,
    the cell's indent): two of them, or one alone, where all three together contradict."""
    return (column + spaces, column + indent, spaces + indent, column, spaces, indent)


def _readings(entries: Sequence[Entry]) -> list[tuple[int, ...]]:
    readings = [tuple(entry.depth for entry in entries)]
    count = min((len(entry.readings) for entry in entries), default=0)
    for k in range(count):
        depths = tuple(entry.readings[k] for entry in entries)
        if depths not in readings:
            readings.append(depths)
    return readings


def _arrange_by(
    entries: list[Entry],
    depths: tuple[int, ...],
    width: int,
    grand: list[tuple[Decimal, Decimal]] | None,
) -> None:
    for entry, depth in zip(entries, depths, strict=True):
        entry.depth = depth
        entry.parent = None
        entry.group = False
    if len(set(depths)) > 1:
        _by_depth(entries)
    children_of = _children(entries)
    for group in [i for i, entry in enumerate(entries) if entry.group]:
        target = entries[group].amounts
        children = children_of.get(group, [])
        if target is None or not children or any(entries[i].group for i in children):
            continue
        if close(_sum(entries, children, width), target):
            continue
        if _hand_back(entries, group, children, width):
            continue
        _regroup(
            entries, children, width, lambda top, t=target: close(_sum(entries, top, width), t)
        )
    top = [i for i, entry in enumerate(entries) if entry.parent is None]
    if grand is None or any(entry.group for entry in entries):
        return
    if top_matches(entries, top, grand):
        return
    _regroup(entries, top, width, lambda nodes: top_matches(entries, nodes, grand))


def _hand_back(entries: list[Entry], group: int, children: list[int], width: int) -> bool:
    """Ledgers after a sub-group that belong to the group above it: TallyPrime lists a
    group's own ledgers after its sub-groups ("Advance from Client" under Current
    Liabilities, after the Provisions sub-group), with the same indent as the sub-group's
    ledgers. When the sub-group's first ledgers make its subtotal exactly and the rest do
    not belong to it, the rest go back to the group above."""
    target = entries[group].amounts
    if target is None:
        return False
    running = [_ZERO] * width
    for k, index in enumerate(children[:-1]):
        amounts = entries[index].amounts
        if amounts is not None:
            for w in range(width):
                running[w] += amounts[w]
        if close(tuple(running), target):
            for later in children[k + 1 :]:
                entries[later].parent = entries[group].parent
            return True
    return False


def check(entries: list[Entry], width: int) -> list[GroupProblem]:
    """Every group with a printed subtotal against the rows under it."""
    values = values_of(entries, width)
    children_of = _children(entries)
    problems: list[GroupProblem] = []
    for index, entry in enumerate(entries):
        if not entry.group or entry.amounts is None:
            continue
        children = children_of.get(index, [])
        added = _sum_values(values, children, width)
        if not close(added, entry.amounts):
            problems.append(
                GroupProblem(index, entry.amounts, added, ledgers_under(entries, index))
            )
    return problems


def adopt(entries: Sequence[Entry], heading: int, end: int) -> bool:
    """Whether a figureless heading has rows under it up to ``end`` (where a total closes
    it: Marg's "GROUP TOTAL"); where nothing else (indentation) grouped those rows, they
    are put under the heading, so the ledgers keep its name as their section."""
    members = range(heading + 1, end)
    if not members:
        return False
    if entries[heading].parent is not None or entries[heading].group:
        return True
    if any(entries[i].parent is not None or entries[i].group for i in members):
        return True
    entries[heading].group = True
    for i in members:
        entries[i].parent = heading
    return True


def values_of(entries: list[Entry], width: int) -> list[Amounts]:
    """Each entry's value: its printed figure, else (a group heading) what is under it."""
    sums: list[list[Decimal]] = [[_ZERO] * width for _ in entries]
    values: list[Amounts] = [tuple(_ZERO for _ in range(width))] * len(entries)
    # Children follow their group, so walking backwards finishes each group's sum first.
    for index in range(len(entries) - 1, -1, -1):
        entry = entries[index]
        value = entry.amounts if entry.amounts is not None else tuple(sums[index])
        values[index] = value
        if entry.parent is not None:
            parent_sum = sums[entry.parent]
            for k in range(width):
                parent_sum[k] += value[k]
    return values


def ledgers_under(entries: Sequence[Entry], group: int) -> list[int]:
    found: list[int] = []
    for index in range(group + 1, len(entries)):
        parent = entries[index].parent
        while parent is not None and parent != group:
            parent = entries[parent].parent
        if parent is None:
            break  # past the group's last row: its rows are contiguous
        if not entries[index].group:
            found.append(index)
    return found


def _children(entries: Sequence[Entry]) -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for index, entry in enumerate(entries):
        if entry.parent is not None:
            children.setdefault(entry.parent, []).append(index)
    return children


def _by_depth(entries: list[Entry]) -> None:
    stack: list[int] = []
    for index, entry in enumerate(entries):
        while stack and entries[stack[-1]].depth >= entry.depth:
            stack.pop()
        if stack:
            entry.parent = stack[-1]
            entries[stack[-1]].group = True
        stack.append(index)


def _sum(entries: Sequence[Entry], indexes: Sequence[int], width: int) -> Amounts:
    total = [_ZERO] * width
    for index in indexes:
        amounts = entries[index].amounts
        if amounts is not None:
            for k in range(width):
                total[k] += amounts[k]
    return tuple(total)


def _sum_values(values: Sequence[Amounts], indexes: Sequence[int], width: int) -> Amounts:
    total = [_ZERO] * width
    for index in indexes:
        for k in range(width):
            total[k] += values[index][k]
    return tuple(total)


def grand_matches(entries: Sequence[Entry], grand: list[tuple[Decimal, Decimal]]) -> bool:
    """Whether the grand total is the top-level rows' balances or the ledgers' balances,
    each in its own column (the two differ where a group has debit and credit members)."""
    top = [i for i, entry in enumerate(entries) if entry.parent is None]
    if top_matches(entries, top, grand):
        return True
    if not any(entry.group for entry in entries):
        return False  # the ledgers are the top-level rows: already tried
    ledgers = [i for i, entry in enumerate(entries) if not entry.group]
    return top_matches(entries, ledgers, grand)


def top_matches(
    entries: Sequence[Entry], nodes: Sequence[int], grand: list[tuple[Decimal, Decimal]]
) -> bool:
    # A grand total may or may not count the closing stock listed in the table.
    for with_stock in (True, False):
        kept = [i for i in nodes if with_stock or not entries[i].closing_stock]
        debit = [_ZERO] * len(grand)
        credit = [_ZERO] * len(grand)
        for index in kept:
            amounts = entries[index].amounts
            if amounts is None:
                continue
            for k, value in enumerate(amounts):
                if value > 0:
                    debit[k] += value
                else:
                    credit[k] -= value
        if all(
            abs(debit[k] - dr) <= PAISA and abs(credit[k] - cr) <= PAISA
            for k, (dr, cr) in enumerate(grand)
        ):
            return True
    return False


def _regroup(
    entries: list[Entry], run: list[int], width: int, accept: Callable[[list[int]], bool]
) -> bool:
    """Groups the rows of ``run`` (siblings, in order) by arithmetic, if ``accept`` agrees.

    ``accept(top)`` is told the rows left at the run's own level and says whether they now
    add up to the printed total the run failed.
    """
    ends = _arithmetic_ends(entries, run, width)
    if ends is None:
        return False
    parents: dict[int, int | None] = {}
    top: list[int] = []
    outer = entries[run[0]].parent

    def place(start: int, stop: int, parent: int | None) -> None:
        k = start
        while k < stop:
            parents[run[k]] = parent
            if parent == outer:
                top.append(run[k])
            if ends[k] > k + 1:
                place(k + 1, ends[k], run[k])
            k = ends[k]

    place(0, len(run), outer)
    if not any(ends[k] > k + 1 for k in range(len(run))) or not accept(top):
        return False
    for k, index in enumerate(run):
        entries[index].parent = parents[index]
        entries[index].group = ends[k] > k + 1
    return True


def _arithmetic_ends(entries: Sequence[Entry], run: list[int], width: int) -> list[int] | None:
    """For each row of ``run``: one past the last row it totals (itself + 1 for a ledger).

    From the last row backwards, so each later row is already known as a group or not:
    a row totals the rows after it when their values, each group counted once by its own
    subtotal, reach its figure.
    """
    count = len(run)
    ends = [k + 1 for k in range(count)]
    values = [entries[index].amounts for index in run]
    steps = 0
    for k in range(count - 1, -1, -1):
        target = values[k]
        if target is None or not any(target):
            continue
        running = [_ZERO] * width
        j = k + 1
        while j < count:
            value = values[j]
            if value is not None:
                for w in range(width):
                    running[w] += value[w]
            j = ends[j]
            steps += 1
            if steps > ARITHMETIC_BUDGET:
                return None
            if all(abs(running[w] - target[w]) <= PAISA for w in range(width)):
                ends[k] = j
                break
    return ends
