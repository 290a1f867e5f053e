"""The entry point: a Tally XML export read into line items, checked, and its groups kept.

Three shapes are read: the Trial Balance report (condensed or detailed), a masters
export (groups and ledgers) and a masters export whose ledgers carry closing balances
(Tally's XML/ODBC interface). Groups from a masters file in the same document place the
report's ledgers; a masters file alone gives `ledger_groups` and no items.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Literal

from projects.cma.extract.numbers import PAISA, format_inr
from projects.cma.extract.tally.document import (
    DocumentError,
    decode_xml,
    hostile_markup,
    looks_like_tally,
    parse_document,
    tally_date,
)
from projects.cma.extract.tally.groups import group_key
from projects.cma.extract.tally.masters import Master, Masters, read_masters
from projects.cma.extract.tally.report import (
    Placed,
    ReportRow,
    build_tree,
    is_closing_stock,
    read_report_rows,
)
from projects.cma.records import (
    ExtractedItem,
    Extraction,
    ExtractionError,
    MismatchError,
    Side,
    SkippedRow,
)
from projects.cma.years import fiscal_year_label, fiscal_years_in

__all__ = ["extract_tally_xml", "file_period_text"]

Progress = Callable[[int, int], None]
PROGRESS_EVERY = 1000
# Ledgers named in a mismatch message: enough to find the place, not a list to read.
NEAR_LEDGERS = 5
MAX_MISMATCHES = 3
_ZERO = Decimal("0.00")
# Subtrees that hold rows or masters, not the export's own title, period or company.
_DATA_TAGS = frozenset(
    {"DSPACCNAME", "DSPACCINFO", "BSNAME", "BSAMT", "PLAMT", "LEDGER", "GROUP", "VOUCHER"}
)
_COMPANY_TAGS = ("SVCURRENTCOMPANY", "REMOTECMPNAME", "CMPNAME")


def extract_tally_xml(
    path: Path,
    *,
    name: str | None = None,
    fiscal_year: str | None = None,
    accept_mismatches: bool = False,
    progress: Progress | None = None,
) -> Extraction:
    """Every ledger balance in a Tally XML export, or its ledgers' groups (masters).

    Raises ExtractionError when the file cannot be used, and MismatchError (unless
    ``accept_mismatches``) when a group's total or the debits and credits disagree, or
    the file's period names a year other than ``fiscal_year``.
    """
    name = name or path.name
    text = decode_xml(path.read_bytes())
    if text is None:
        raise ExtractionError(
            f"{name} could not be read as text. Export it from Tally again (format XML) and "
            "upload the new file."
        )
    if hostile_markup(text):
        raise ExtractionError(
            f"{name} declares a document type or entities, which Tally's exports never do, so "
            "it was not opened. Export the report from Tally again and upload the new file."
        )
    if not looks_like_tally(text):
        raise ExtractionError(
            f"{name} is not an XML export from Tally: it has no <ENVELOPE> with a trial "
            "balance's rows or ledger masters in it. In Tally open Display > Trial Balance, "
            "press Export, choose the XML format and upload that file."
        )
    try:
        root = parse_document(text)
    except DocumentError as exc:
        raise ExtractionError(
            f"{name} could not be read: {exc}. Export it from Tally again and upload the new file."
        ) from exc
    reader = _Reader(name, accept_mismatches, progress)
    masters = read_masters(root)
    rows = read_report_rows(root)
    company = _company(root)
    ledger_groups = masters.ledger_groups()
    if not rows and not any(ledger.has_closing for ledger in masters.ledgers):
        if not masters.ledgers:
            raise ExtractionError(
                f"{name} is an XML export from Tally, but it holds neither a trial balance "
                "nor ledger masters. In Tally open Display > Trial Balance, press Export, "
                "choose the XML format and upload that file."
            )
        return reader.masters_only(masters, company, ledger_groups)
    year = reader.year(root, fiscal_year)
    if rows:
        reader.report(rows, masters, year)
    else:
        reader.ledger_closings(masters, year)
    return reader.finish(year, company, ledger_groups)


def file_period_text(root: ET.Element) -> str:
    """The period the export states, written as a person would: "1-Apr-2023 to
    31-Mar-2024" from <SVFROMDATE>/<SVTODATE>, else its title lines; "" when none."""
    start, end = _period(root)
    if end is not None:
        begin = f"{start:%d-%b-%Y} to " if start is not None else ""
        return f"{begin}{end:%d-%b-%Y}"
    return "\n".join(_header_texts(root))


def _period(root: ET.Element) -> tuple[datetime.date | None, datetime.date | None]:
    start = end = None
    for element in root.iter("SVFROMDATE"):
        start = tally_date(element.text or "")
        if start is not None:
            break
    for element in root.iter("SVTODATE"):
        end = tally_date(element.text or "")
        if end is not None:
            break
    return start, end


def _header_texts(root: ET.Element) -> Iterator[str]:
    """Short texts outside the rows and masters: a title, a period line."""
    pending = [root]
    while pending:
        element = pending.pop()
        if element.tag in _DATA_TAGS:
            continue
        value = " ".join((element.text or "").split())
        if value and len(value) <= 200:
            yield value
        pending.extend(reversed(list(element)))


def _company(root: ET.Element) -> str:
    for tag in _COMPANY_TAGS:
        for element in root.iter(tag):
            value = " ".join((element.text or "").split())
            if value:
                return value
    return ""


def _fiscal_year_of(date: datetime.date) -> str:
    return fiscal_year_label(date.year if date.month >= 4 else date.year - 1)


class _Reader:
    """What one file's reading collects: items, skipped rows, warnings, mismatches."""

    def __init__(self, name: str, accept: bool, progress: Progress | None) -> None:
        self.name = name
        self.accept = accept
        self.progress = progress
        self.items: list[ExtractedItem] = []
        self.skipped: list[SkippedRow] = []
        self.warnings: list[str] = []
        self.mismatches: list[str] = []
        self.file_totals: tuple[Decimal, Decimal] | None = None

    # ------------------------------------------------------------------------------------
    # The year
    # ------------------------------------------------------------------------------------

    def year(self, root: ET.Element, chosen: str | None) -> str:
        start, end = _period(root)
        named: str | None = None
        period = ""
        if end is not None:
            named = _fiscal_year_of(end)
            period = file_period_text(root)
            if (end.month, end.day) != (3, 31):
                self.warnings.append(
                    f"{self.name} gives balances on {end:%d-%b-%Y}, not at the end of a "
                    "fiscal year."
                )
            if start is not None and _fiscal_year_of(start) != named:
                self.warnings.append(
                    f"{self.name} covers {period}, more than one fiscal year: its income and "
                    f"expense ledgers add up the whole period, not only {named}."
                )
        else:
            years = fiscal_years_in("\n".join(_header_texts(root)))
            if len(years) == 1:
                named, period = years[0], years[0]
        if named is None:
            if chosen is None:
                raise ExtractionError(
                    f"{self.name} does not say which fiscal year it is for: Tally's export "
                    "carries no period. Choose the fiscal year for this file and process it "
                    "again."
                )
            return chosen
        if chosen is not None and chosen != named:
            self.mismatch(
                f"{self.name} is for the fiscal year {named} (its period is {period}), but "
                f"{chosen} was chosen for it. Choose {named}, or accept the file to file its "
                f"figures under {chosen}."
            )
            return chosen
        return named

    # ------------------------------------------------------------------------------------
    # The Trial Balance report
    # ------------------------------------------------------------------------------------

    def report(self, rows: list[ReportRow], masters: Masters, year: str) -> None:
        tree = build_tree(rows, known_groups=masters.group_keys(), parents=masters.parents())
        totals: list[Placed] = []
        wrong: list[tuple[Placed, str]] = []
        collapsed = 0
        for count, placed in enumerate(tree.placed, start=1):
            self.tick(count, len(tree.placed))
            row = placed.row
            source = f"row {row.number}"
            if placed.role == "heading":
                self.skip(source, row.name or "(no name)", "a line without figures")
            elif placed.role == "unreadable":
                reason = f'"{row.unreadable}" is not an amount, so it was left out'
                self.skip(source, row.name, reason)
                self.warnings.append(f'{self.name}, {source}: "{row.name}": {reason}.')
            elif placed.role == "total":
                totals.append(placed)
            elif placed.role == "group" and not placed.collapsed and not placed.matched:
                wrong.append((placed, source))
            elif placed.role == "group" and not placed.collapsed:
                self.group_row(placed, source)
            else:
                chain = placed.chain or masters.chain(row.name)
                if placed.role == "group":
                    collapsed += 1
                    chain = (row.name, *(chain or masters.chain(row.name)))
                self.ledger(row.name, row.net, source, chain, year)
        if collapsed:
            self.warnings.append(
                f"{self.name} lists {collapsed} group(s) with no ledgers under them (a "
                "condensed trial balance): each group was read as one line. For ledger-wise "
                "figures export the trial balance from Tally with Detailed set to Yes."
            )
        # The innermost group first: a wrong subtotal also upsets the groups above it.
        for placed, source in sorted(wrong, key=lambda entry: -len(entry[0].chain)):
            self.group_row(placed, source)
        self.check_balance(year)
        for placed in totals:
            self.total_row(placed)

    def group_row(self, placed: Placed, source: str) -> None:
        row = placed.row
        count = len(placed.members)
        if placed.matched:
            members = "line" if count == 1 else "lines"
            self.skip(
                source,
                row.name,
                f"a group total: matches the {count} {members} (ledgers and groups) under it",
                kind="total",
            )
            return
        difference = abs(row.net - placed.members_net)
        near = ", ".join(f'"{member.name}"' for member in placed.members[:NEAR_LEDGERS])
        more = count - NEAR_LEDGERS
        if more > 0:
            near += f" and {more} more"
        self.mismatch(
            f'In {self.name} the group "{row.name}" ({source}) shows '
            f"{_balance(row.net)}, but the {count} line(s) under it ({near or 'none'}) add up "
            f"to {_balance(placed.members_net)}, a difference of \u20b9{format_inr(difference)}. "
            "Export the trial balance again with every group shown in full."
        )
        self.skip(
            source,
            row.name,
            f"a group total that does not match the lines under it (off by "
            f"\u20b9{format_inr(difference)})",
        )

    def total_row(self, placed: Placed) -> None:
        row = placed.row
        debit, credit = row.debit or _ZERO, row.credit or _ZERO
        ledgers_debit, ledgers_credit, stock = self.sums()
        source = f"row {row.number}"
        if _close(credit, ledgers_credit) and (
            _close(debit, ledgers_debit) or _close(debit, ledgers_debit + stock)
        ):
            self.file_totals = (debit, credit)
            self.skip(source, row.name, "the grand total: matches the ledgers", kind="total")
            return
        self.mismatch(
            f"{self.name} ends with totals of Dr \u20b9{format_inr(debit)} and Cr "
            f"\u20b9{format_inr(credit)} ({source}), but its ledgers add up to Dr "
            f"\u20b9{format_inr(ledgers_debit)} and Cr \u20b9{format_inr(ledgers_credit)}."
        )
        self.skip(source, row.name, "a grand total that does not match the ledgers")

    # ------------------------------------------------------------------------------------
    # Masters
    # ------------------------------------------------------------------------------------

    def masters_only(self, masters: Masters, company: str, groups: dict[str, str]) -> Extraction:
        for group in masters.groups:
            self.skip(
                f"group {group.number}",
                group.name,
                "a group master: gives the ledgers under it their group",
            )
        for count, ledger in enumerate(masters.ledgers, start=1):
            self.tick(count, len(masters.ledgers))
            chain = groups.get(ledger.name, "")
            where = f' (in "{chain}")' if chain else ""
            self.skip(
                f"ledger {ledger.number}",
                ledger.name,
                f"a ledger master{where}: its opening balance is the balance when the books "
                "began in Tally, not a figure of any one year",
            )
        self.warnings.append(
            f"{self.name} holds Tally's masters ({len(masters.ledgers)} ledgers, "
            f"{len(masters.groups)} groups) and no closing balances: it gives the ledgers of "
            "this project's trial balances their groups. Its opening balances are the "
            "balances when the books began in Tally, not a year's figures, so none was read."
        )
        if self.progress is not None:
            self.progress(len(masters.ledgers), len(masters.ledgers))
        return Extraction(
            items=[],
            years=[],
            basis="trial_balance",
            warnings=self.warnings,
            skipped=self.skipped,
            company=company,
            ledger_groups=groups,
        )

    def ledger_closings(self, masters: Masters, year: str) -> None:
        for count, ledger in enumerate(masters.ledgers, start=1):
            self.tick(count, len(masters.ledgers))
            source = f"ledger {ledger.number}"
            if ledger.unreadable:
                reason = f'"{ledger.unreadable}" is not an amount, so it was left out'
                self.skip(source, ledger.name, reason)
                self.warnings.append(f'{self.name}, {source}: "{ledger.name}": {reason}.')
                continue
            net = _net(ledger.closing)
            self.ledger(ledger.name, net, source, masters.chain(ledger.name), year)
        self.check_balance(year)
        self.group_closings(masters)

    def group_closings(self, masters: Masters) -> None:
        """Each group's closing balance against its ledgers' and sub-groups' balances."""
        members: dict[str, list[Master]] = {}
        for master in (*masters.groups, *masters.ledgers):
            members.setdefault(group_key(master.parent), []).append(master)
        memo: dict[str, Decimal] = {}

        def computed(group: Master, depth: int = 0) -> Decimal:
            key = group_key(group.name)
            if key not in memo:
                memo[key] = _ZERO  # a loop in a damaged file adds nothing
                total = _ZERO
                for member in members.get(key, []):
                    if member.kind == "LEDGER" or member.has_closing or depth > 64:
                        total += _net(member.closing)
                    else:
                        total += computed(member, depth + 1)
                memo[key] = total
            return memo[key]

        for group in masters.groups:
            source = f"group {group.number}"
            if not group.has_closing:
                self.skip(source, group.name, "a group master without a closing balance")
                continue
            inner = members.get(group_key(group.name), [])
            placed = Placed(
                ReportRow(group.number, group.name, *_sides(group.closing)),
                "group",
                members=[ReportRow(m.number, m.name, *_sides(m.closing)) for m in inner],
                members_net=computed(group),
            )
            self.group_row(placed, source)

    # ------------------------------------------------------------------------------------
    # Items and checks
    # ------------------------------------------------------------------------------------

    def ledger(
        self, label: str, net: Decimal, source: str, chain: tuple[str, ...], year: str
    ) -> None:
        if not net:
            self.skip(source, label, "a ledger with no closing balance")
            return
        side: Side = "Cr" if net > 0 else "Dr"
        closing = is_closing_stock(label, chain)
        self.items.append(
            ExtractedItem(
                year=year,
                label=label,
                amount=abs(net),
                side=side,
                source=source,
                section=" / ".join(chain),
                closing_stock=closing,
            )
        )

    def sums(self) -> tuple[Decimal, Decimal, Decimal]:
        """Debits and credits of the ledgers (closing stock apart), and closing stock (Dr +)."""
        debit = credit = stock = _ZERO
        for item in self.items:
            if item.closing_stock:
                stock += item.amount if item.side == "Dr" else -item.amount
            elif item.side == "Dr":
                debit += item.amount
            else:
                credit += item.amount
        return debit, credit, stock

    def check_balance(self, year: str) -> None:
        debit, credit, stock = self.sums()
        # Closing stock stands outside a trial balance, or inside it where Tally's stock
        # is not integrated with the accounts ("Closing Stock" under Stock-in-Hand).
        if _close(debit, credit) or _close(debit + stock, credit):
            return
        if _close(debit, credit + stock):
            return
        difference = abs(debit - credit)
        self.mismatch(
            f"The trial balance for {year} in {self.name} does not balance: debits total "
            f"\u20b9{format_inr(debit)} and credits total \u20b9{format_inr(credit)}, a "
            f"difference of \u20b9{format_inr(difference)}"
            + (" (closing stock left out)" if stock else "")
            + ". Correct it in Tally and export it again, or accept the file as it is."
        )

    def mismatch(self, message: str) -> None:
        self.mismatches.append(message)

    def settle(self) -> None:
        """Raises the mismatches found, unless accepted: then they are warnings."""
        if not self.mismatches:
            return
        if not self.accept:
            shown = self.mismatches[:MAX_MISMATCHES]
            more = len(self.mismatches) - len(shown)
            tail = f" ({more} more like this.)" if more > 0 else ""
            raise MismatchError(" ".join(shown) + tail)
        self.warnings.extend(self.mismatches)
        self.mismatches = []

    def skip(
        self, source: str, text: str, reason: str, *, kind: Literal["total", "ignored"] = "ignored"
    ) -> None:
        self.skipped.append(SkippedRow(source=source, text=text, reason=reason, kind=kind))

    def tick(self, done: int, total: int) -> None:
        if self.progress is not None and done % PROGRESS_EVERY == 0:
            self.progress(done, total)

    def finish(self, year: str, company: str, ledger_groups: dict[str, str]) -> Extraction:
        self.settle()
        if not self.items:
            raise ExtractionError(
                f"{self.name} is a trial balance from Tally, but no ledger in it has a "
                "closing balance."
            )
        if self.progress is not None:
            self.progress(1, 1)
        debit, credit, _stock = self.sums()
        return Extraction(
            items=self.items,
            years=[year],
            basis="trial_balance",
            totals={year: self.file_totals or (debit, credit)},
            warnings=self.warnings,
            skipped=self.skipped,
            company=company,
            ledger_groups=ledger_groups,
        )


def _close(first: Decimal, second: Decimal) -> bool:
    return abs(first - second) <= PAISA


def _net(balance: tuple[Decimal, Side] | None) -> Decimal:
    if balance is None:
        return _ZERO
    amount, side = balance
    return amount if side == "Cr" else -amount


def _sides(balance: tuple[Decimal, Side] | None) -> tuple[Decimal, Decimal]:
    net = _net(balance)
    return (-net, _ZERO) if net < 0 else (_ZERO, net)


def _balance(net: Decimal) -> str:
    side = "Cr" if net > 0 else "Dr"
    return f"{side} \u20b9{format_inr(abs(net))}" if net else "nil"
