"""The indentation of cells in an .xlsx sheet, which calamine does not report.

Some exports (Tally's among them) show a ledger under its group by the cell's indent
format rather than by leading spaces. Read straight from the package's XML with the
standard library: the styles are checked first, and a sheet is scanned only when some
style indents at all, so a plain workbook costs one small read.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def xlsx_indents(path: Path, sheet: str, column: int) -> dict[int, int]:
    """Row number (0-based, absolute) -> indent level of the cell in ``column`` (0-based).

    Empty when the workbook indents nothing, or is not an .xlsx package.
    """
    try:
        with zipfile.ZipFile(path) as package:
            indents = _style_indents(package)
            if not any(indents):
                return {}
            member = _sheet_member(package, sheet)
            if member is None:
                return {}
            return _column_indents(package, member, column, indents)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return {}


def _style_indents(package: zipfile.ZipFile) -> list[int]:
    root = ElementTree.fromstring(package.read("xl/styles.xml"))
    formats = root.find(f"{_MAIN}cellXfs")
    if formats is None:
        return []
    indents: list[int] = []
    for xf in formats.findall(f"{_MAIN}xf"):
        alignment = xf.find(f"{_MAIN}alignment")
        value = alignment.get("indent") if alignment is not None else None
        indents.append(int(value) if value and value.isdigit() else 0)
    return indents


def _sheet_member(package: zipfile.ZipFile, sheet: str) -> str | None:
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rel_id = None
    for element in workbook.iter(f"{_MAIN}sheet"):
        if element.get("name") == sheet:
            rel_id = element.get(f"{_REL}id")
    if rel_id is None:
        return None
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return None


def _column_indents(
    package: zipfile.ZipFile, member: str, column: int, indents: list[int]
) -> dict[int, int]:
    wanted = column_letters(column)
    found: dict[int, int] = {}
    with package.open(member) as stream:
        for _event, element in ElementTree.iterparse(stream):
            if element.tag != f"{_MAIN}c":
                if element.tag == f"{_MAIN}row":
                    element.clear()  # keeps memory flat on a sheet of many thousand rows
                continue
            match = _CELL_REF.fullmatch(element.get("r", ""))
            style = element.get("s")
            if match is None or style is None or match.group(1) != wanted:
                continue
            index = int(style)
            if index < len(indents) and indents[index]:
                found[int(match.group(2)) - 1] = indents[index]
    return found


@lru_cache(maxsize=256)
def column_letters(index: int) -> str:
    """A zero-based column index as Excel names it: 0 -> "A", 27 -> "AB"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
