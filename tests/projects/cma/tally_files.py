"""Tally XML exports built for tests, in Tally's own shape and encoding.

`trial_balance` writes the Trial Balance report as Tally exports it (Display > Trial
Balance > Export, XML): a flat run of <DSPACCNAME>/<DSPACCINFO> pairs under <ENVELOPE>,
debits negative, the unused side empty, UTF-16 LE with a byte order mark and CRLF line
ends unless told otherwise. `masters` writes an "All Masters" export (an import file:
<IMPORTDATA>, <REQUESTDESC>, one <TALLYMESSAGE> per group or ledger). The company and
every figure are made up: see TALLY_FIXTURES.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

COMPANY = "Sai Krupa Engineering Works Pvt Ltd"


@dataclass
class Ledger:
    name: str
    net: Decimal  # Tally's sign: credit positive, debit negative


@dataclass
class Group:
    name: str
    members: list[Group | Ledger] = field(default_factory=list)
    shown: Decimal | None = None  # the total the export prints, when not the true one

    @property
    def net(self) -> Decimal:
        return sum((m.net for m in self.members), Decimal(0))


def L(name: str, net: str) -> Ledger:
    return Ledger(name, Decimal(net))


def G(name: str, *members: Group | Ledger) -> Group:
    return Group(name, list(members))


def company_tree() -> list[Group | Ledger]:
    """A small engineering company's books, as Tally groups them (nearest group last)."""
    tree: list[Group | Ledger] = [
        G("Capital Account", L("Equity Share Capital", "1000000"),
          G("Reserves & Surplus", L("General Reserve", "250000"))),
        G("Loans (Liability)",
          G("Bank OD A/c", L("SBI Cash Credit A/c", "2465310.40")),
          G("Secured Loans", L("HDFC Bank Term Loan A/c", "1840000")),
          G("Unsecured Loans",
            G("Loan from Directors", L("R. K. Sharma", "500000"), L("Sunita Sharma", "300000")))),
        G("Current Liabilities",
          G("Duties & Taxes", L("Output CGST", "48200"), L("Output SGST", "48200"),
            L("Input IGST", "-12400"), L("TDS Payable", "9850")),
          G("Provisions", L("Provision for Income Tax", "180000"),
            L("Audit Fees Payable", "45000")),
          G("Sundry Creditors",
            G("Creditors for Expenses", L("Shree Electricals", "42150"),
              L("Om Logistics", "18900")),
            L("Bharat Steel Traders", "684200"), L("Vardhman Metals", "215640.50"))),
        G("Fixed Assets", L("Plant & Machinery", "-3240000"), L("Factory Building", "-2150000"),
          L("Computers", "-185000")),
        G("Current Assets",
          G("Bank Accounts", L("ICICI Bank Current A/c", "-234560.25")),
          G("Cash-in-Hand", L("Cash", "-48320")),
          G("Deposits (Asset)", L("Electricity Deposit", "-60000")),
          G("Loans & Advances (Asset)", L("Advance to Suppliers", "-75000")),
          G("Sundry Debtors", L("Apex Auto Components", "-945000"),
            L("Modern Tools", "-310500"))),
        L("Opening Stock", "-1450000"),
        G("Sales Accounts", L("Sales - Domestic", "14560000"), L("Sales - Export", "2240000")),
        G("Purchase Accounts", L("Purchase of Raw Material", "-9840000")),
        G("Direct Expenses", L("Factory Wages", "-1260000"), L("Power & Fuel", "-620000")),
        G("Indirect Expenses", L("Salaries", "-980000"), L("Rent", "-360000"),
          L("Interest on CC", "-275000"), L("Depreciation", "-410000")),
        G("Indirect Incomes", L("Interest on FD", "32000")),
    ]  # fmt: skip
    # The profit brought forward balances the books, as Tally's own ledger does.
    total = sum((node.net for node in tree), Decimal(0))
    tree.insert(5, Ledger("Profit & Loss A/c", -total))
    return tree


def ledgers_of(tree: list[Group | Ledger]) -> list[tuple[str, Decimal, tuple[str, ...]]]:
    """Every ledger with its balance and its groups, nearest first."""
    found: list[tuple[str, Decimal, tuple[str, ...]]] = []

    def walk(node: Group | Ledger, chain: tuple[str, ...]) -> None:
        if isinstance(node, Ledger):
            found.append((node.name, node.net, chain))
            return
        for member in node.members:
            walk(member, (node.name, *chain))

    for node in tree:
        walk(node, ())
    return found


def find(tree: list[Group | Ledger], name: str) -> Group | Ledger:
    for node in tree:
        if node.name == name:
            return node
        if isinstance(node, Group):
            try:
                return find(node.members, name)
            except KeyError:
                continue
    raise KeyError(name)


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _row(name: str, debit: Decimal, credit: Decimal) -> str:
    # Tally writes a debit negative in the debit column and leaves an unused side empty.
    dr = _amount(-debit) if debit else ""
    cr = _amount(credit) if credit else ""
    return (
        f" <DSPACCNAME>\n  <DSPDISPNAME>{escape(name)}</DSPDISPNAME>\n </DSPACCNAME>\n"
        " <DSPACCINFO>\n"
        f"  <DSPCLDRAMT>\n   <DSPCLDRAMTA>{dr}</DSPCLDRAMTA>\n  </DSPCLDRAMT>\n"
        f"  <DSPCLCRAMT>\n   <DSPCLCRAMTA>{cr}</DSPCLCRAMTA>\n  </DSPCLCRAMT>\n"
        " </DSPACCINFO>\n"
    )


def _sides(net: Decimal) -> tuple[Decimal, Decimal]:
    return (-net, Decimal(0)) if net < 0 else (Decimal(0), net)


def _gross(node: Group | Ledger) -> tuple[Decimal, Decimal]:
    if isinstance(node, Ledger):
        return _sides(node.net)
    debit = credit = Decimal(0)
    for member in node.members:
        dr, cr = _gross(member)
        debit, credit = debit + dr, credit + cr
    return debit, credit


def trial_balance(
    tree: list[Group | Ledger],
    *,
    detailed: bool = True,
    gross: bool = False,
    grand_total: bool = False,
    encoding: str = "utf-16",
) -> bytes:
    """The Trial Balance report. Detailed: every group followed by what is under it;
    else only the top rows. ``gross``: group rows show their members' debits and credits
    both, as Tally does with both columns shown."""
    parts = ["<ENVELOPE>\n"]

    def write(node: Group | Ledger) -> None:
        if isinstance(node, Ledger):
            parts.append(_row(node.name, *_sides(node.net)))
            return
        net = node.net if node.shown is None else node.shown
        if gross and node.shown is None:
            parts.append(_row(node.name, *_gross(node)))
        else:
            parts.append(_row(node.name, *_sides(net)))
        if detailed:
            for member in node.members:
                write(member)

    for node in tree:
        write(node)
    if grand_total:
        debit, credit = Decimal(0), Decimal(0)
        for _name, net, _chain in ledgers_of(tree):
            dr, cr = _sides(net)
            debit, credit = debit + dr, credit + cr
        parts.append(_row("Grand Total", debit, credit))
    parts.append("</ENVELOPE>\n")
    return encode("".join(parts), encoding)


def masters(
    tree: list[Group | Ledger],
    *,
    company: str = COMPANY,
    closing: bool = False,
    period: tuple[str, str] | None = None,
    encoding: str = "utf-16",
) -> bytes:
    """An "All Masters" export of the tree's own groups and ledgers (Tally's predefined
    groups included, as Tally writes them with RESERVEDNAME), with opening balances; with
    ``closing`` each ledger also carries <CLOSINGBALANCE> (the XML/ODBC interface)."""
    messages: list[str] = []

    def write(node: Group | Ledger, parent: str) -> None:
        if isinstance(node, Ledger):
            extra = ""
            if closing:
                extra = f"   <CLOSINGBALANCE>{_amount(node.net)}</CLOSINGBALANCE>\n"
            # A made-up opening balance: a masters file's figure from when the books began.
            opening = _amount(node.net / 2)
            messages.append(
                '  <TALLYMESSAGE xmlns:UDF="TallyUDF">\n'
                f'   <LEDGER NAME="{escape(node.name, {chr(34): "&quot;"})}" RESERVEDNAME="">\n'
                '    <OLDAUDITENTRYIDS.LIST TYPE="Number">\n'
                "     <OLDAUDITENTRYIDS>-1</OLDAUDITENTRYIDS>\n"
                "    </OLDAUDITENTRYIDS.LIST>\n"
                f"    <PARENT>{_parent(parent)}</PARENT>\n"
                "    <ISBILLWISEON>No</ISBILLWISEON>\n"
                f"    <OPENINGBALANCE>{opening}</OPENINGBALANCE>\n"
                f"{extra}"
                '    <LANGUAGENAME.LIST>\n     <NAME.LIST TYPE="String">\n'
                f"      <NAME>{escape(node.name)}</NAME>\n"
                "     </NAME.LIST>\n     <LANGUAGEID> 1033</LANGUAGEID>\n"
                "    </LANGUAGENAME.LIST>\n"
                '    <UDF:GSTDETAILS.LIST DESC="`GST Details`"/>\n'
                "   </LEDGER>\n  </TALLYMESSAGE>\n"
            )
            return
        reserved = escape(node.name) if _predefined(node) else ""
        messages.append(
            '  <TALLYMESSAGE xmlns:UDF="TallyUDF">\n'
            f'   <GROUP NAME="{escape(node.name)}" RESERVEDNAME="{reserved}">\n'
            f"    <PARENT>{escape(parent)}</PARENT>\n"
            "    <ISSUBLEDGER>No</ISSUBLEDGER>\n"
            "   </GROUP>\n  </TALLYMESSAGE>\n"
        )
        for member in node.members:
            write(member, node.name)

    for node in tree:
        # Tally writes a primary group's parent empty, and a ledger under Primary as
        # "&#4; Primary" (a control character in front).
        write(node, "" if isinstance(node, Group) else PRIMARY_WITH_CONTROL)
    statics = f"     <SVCURRENTCOMPANY>{escape(company)}</SVCURRENTCOMPANY>\n"
    if period is not None:
        statics += (
            f'     <SVFROMDATE TYPE="Date">{period[0]}</SVFROMDATE>\n'
            f'     <SVTODATE TYPE="Date">{period[1]}</SVTODATE>\n'
        )
    text = (
        "<ENVELOPE>\n <HEADER>\n  <TALLYREQUEST>Import Data</TALLYREQUEST>\n </HEADER>\n"
        " <BODY>\n  <IMPORTDATA>\n   <REQUESTDESC>\n    <REPORTNAME>All Masters</REPORTNAME>\n"
        f"    <STATICVARIABLES>\n{statics}    </STATICVARIABLES>\n   </REQUESTDESC>\n"
        "   <REQUESTDATA>\n" + "".join(messages) + "   </REQUESTDATA>\n"
        "  </IMPORTDATA>\n </BODY>\n</ENVELOPE>\n"
    )
    return encode(text, encoding)


PRIMARY_WITH_CONTROL = "&#4; Primary"


def _parent(name: str) -> str:
    return name if name == PRIMARY_WITH_CONTROL else escape(name)


def _predefined(node: Group) -> bool:
    from projects.cma.extract.tally.groups import is_predefined_group

    return is_predefined_group(node.name)


def encode(text: str, encoding: str) -> bytes:
    """As Tally writes: UTF-16 LE with a byte order mark and CRLF, or UTF-8 / ASCII."""
    text = text.replace("\n", "\r\n")
    if encoding == "utf-16":
        return "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")
    if encoding == "ascii":
        return text.encode("ascii", errors="xmlcharrefreplace")
    return text.encode(encoding)
