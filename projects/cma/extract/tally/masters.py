"""Tally's masters exported as XML: groups and ledgers with their parents.

An "All Masters" (or ledgers, or groups) export is an import file: <ENVELOPE><BODY>
<IMPORTDATA><REQUESTDESC> names the company (<SVCURRENTCOMPANY>), and <REQUESTDATA> holds
one <TALLYMESSAGE> per master: <GROUP NAME="..."> or <LEDGER NAME="..."> with its
<PARENT>, and for a ledger its <OPENINGBALANCE>. Exports through Tally's XML/ODBC
interface (<BODY><DATA><COLLECTION>) use the same elements and may add
<CLOSINGBALANCE>. A debit is negative, as everywhere in Tally's XML.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal

from projects.cma.extract.numbers import parse_amount
from projects.cma.extract.tally.groups import PRIMARY, group_key, predefined_parent
from projects.cma.records import Side

__all__ = ["Master", "Masters", "read_masters"]

# Tally's own counters (<CMPINFO><LEDGER>12</LEDGER>) share the masters' tag names: a
# master always has a name, a counter never does.
_MASTER_TAGS = frozenset({"GROUP", "LEDGER"})
_MAX_DEPTH = 64  # deeper than any real tree: a loop in a damaged file


@dataclass(frozen=True)
class Master:
    kind: str  # "GROUP" or "LEDGER"
    number: int  # 1-based among the masters of its kind: its source, "ledger 12"
    name: str
    parent: str  # the group it sits in; "Primary" for a primary group
    opening: tuple[Decimal, Side] | None  # None when blank or zero
    closing: tuple[Decimal, Side] | None  # None when blank or zero
    has_closing: bool  # the element carries a <CLOSINGBALANCE> with any text
    unreadable: str = ""  # an amount's text that is not an amount


@dataclass
class Masters:
    groups: list[Master] = field(default_factory=list)
    ledgers: list[Master] = field(default_factory=list)

    _parents: dict[str, str] | None = field(default=None, init=False, repr=False)

    def parents(self) -> dict[str, str]:
        """Every master's parent, by the key of its name (read once: masters don't change
        after reading)."""
        if self._parents is None:
            self._parents = {group_key(m.name): m.parent for m in (*self.groups, *self.ledgers)}
        return self._parents

    def group_keys(self) -> frozenset[str]:
        return frozenset(group_key(m.name) for m in self.groups)

    def chain(self, name: str) -> tuple[str, ...]:
        """The groups above a ledger or group, nearest first, up to its primary group."""
        parents = self.parents()
        result: list[str] = []
        current = parents.get(group_key(name)) or predefined_parent(name)
        while current and group_key(current) != group_key(PRIMARY) and len(result) < _MAX_DEPTH:
            if current in result:
                break
            result.append(current)
            current = parents.get(group_key(current)) or predefined_parent(current)
        return tuple(result)

    def ledger_groups(self) -> dict[str, str]:
        """Ledger name -> its group chain joined with " / ", for every ledger with a group."""
        result: dict[str, str] = {}
        for ledger in self.ledgers:
            chain = self.chain(ledger.name)
            if chain:
                result[ledger.name] = " / ".join(chain)
        return result


def read_masters(root: ET.Element) -> Masters:
    masters = Masters()
    for element in root.iter():
        if element.tag not in _MASTER_TAGS:
            continue
        name = _name(element)
        if not name:
            continue
        bucket = masters.groups if element.tag == "GROUP" else masters.ledgers
        parent = " ".join((element.findtext("PARENT") or "").split())
        if not parent or parent.lower() == "primary":
            parent = PRIMARY
        opening, bad_opening = _balance(element.findtext("OPENINGBALANCE"))
        closing_text = element.findtext("CLOSINGBALANCE")
        closing, bad_closing = _balance(closing_text)
        bucket.append(
            Master(
                kind=element.tag,
                number=len(bucket) + 1,
                name=name,
                parent=parent,
                opening=opening,
                closing=closing,
                has_closing=bool((closing_text or "").strip()),
                unreadable=bad_closing or bad_opening,
            )
        )
    return masters


def _name(element: ET.Element) -> str:
    name = element.get("NAME") or element.findtext("NAME") or ""
    if not name.strip():
        name = element.findtext("LANGUAGENAME.LIST/NAME.LIST/NAME") or ""
    return " ".join(name.split())


def _balance(text: str | None) -> tuple[tuple[Decimal, Side] | None, str]:
    value = (text or "").strip()
    if not value:
        return None, ""
    parsed = parse_amount(value)
    if parsed is None:
        return None, value
    amount, side = parsed
    if not amount:
        return None, ""
    if side is None:
        side = "Dr" if amount < 0 else "Cr"
    return (abs(amount), side), ""
