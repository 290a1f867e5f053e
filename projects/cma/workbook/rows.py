"""The Line items sheet's rows: written as SpreadsheetML straight into the package.

XlsxWriter keeps every cell of a workbook in memory until it closes (about 2.8 KB a row
of this sheet: some 280 MB for 100,000 ledgers) and spends most of a big book's workbook
time on this sheet's cells. Its constant_memory mode would need every sheet written
strictly row by row, which the forms and the Term loans sheet are not (cells written
out of order are dropped). So XlsxWriter writes the workbook with this sheet's frame
(heading, column headers and widths, the filter over the final range, the frozen panes)
and one template row whose cells carry the sheet's styles; the rows themselves are
written here: first, as the items are read, to a spooled temporary file with a token for
each cell's style; then, once XlsxWriter has numbered the styles, into the package in
place of the template row. Strings are inline, as constant_memory writes them, escaped as
XlsxWriter escapes them.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from xlsxwriter.format import Format

from projects.cma.workbook.cells import FIRST_ROW, HEADER_ROW, safe_text

if TYPE_CHECKING:
    from projects.cma.workbook.lists import WorkbookItem

__all__ = ["STYLE_SLOTS", "ItemRows", "sheet_part"]

# The styles a row's cells take, each written as a one-character token until XlsxWriter
# has numbered them. Text never holds these characters: control characters are escaped.
STYLE_SLOTS = ("text", "wrap", "rupees", "percent", "error")
_TOKENS = {name: chr(1 + index) for index, name in enumerate(STYLE_SLOTS)}
# Past this the spooled rows go to a temporary file (about 250 bytes a row).
SPOOL_IN_MEMORY = 8 * 2**20
SPLICE_CHUNK = 2**20  # characters
WRITE_BATCH = 500  # rows joined before each write to the spool
COLUMNS = "ABCDEFGHIJK"

_NEEDS_ESCAPE = re.compile(r"[&<>\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_")
_ESCAPED_LOOKALIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_EDGE_SPACE = re.compile(r"^\s|\s$")


class ItemRows:
    """The items' rows, spooled as they are read; ``count`` of them."""

    def __init__(self, items: Iterable[WorkbookItem]) -> None:
        self.spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 (closed by splice)
            max_size=SPOOL_IN_MEMORY, mode="w+", encoding="utf-8", newline="\n"
        )
        self.count = 0
        text, wrap, rupees, percent, error = (_TOKENS[name] for name in STYLE_SLOTS)
        # Most columns repeat a few values (years, sides, heads, methods, files, who
        # approved): each is escaped once. Labels and sources differ row to row.
        escaped: dict[str, str] = {}

        def once(value: str) -> str:
            if (cell := escaped.get(value)) is None:
                cell = escaped[value] = _cell_text(value)
            return cell

        batch: list[str] = []
        for number, item in enumerate(items, start=FIRST_ROW + 1):
            if item.head is None:
                head = f'<c r="G{number}" s="{error}" t="inlineStr"><is><t>(no head)</t></is></c>'
            else:
                head = _inline("G", number, text, once(item.head))
            if item.confidence is None:
                confidence = f'<c r="I{number}" s="{percent}"/>'
            else:
                confidence = f'<c r="I{number}" s="{percent}"><v>{item.confidence:.16G}</v></c>'
            batch.append(
                f'<row r="{number}" spans="1:{len(COLUMNS)}">'
                + _inline("A", number, text, once(safe_text(item.year)))
                + _inline("B", number, wrap, _cell_text(safe_text(item.label)))
                # Rupees here, whatever the forms' unit: the amounts as the files gave them.
                + f'<c r="C{number}" s="{rupees}"><v>{float(item.amount):.16G}</v></c>'
                + _inline("D", number, text, once(item.side))
                + _inline("E", number, text, once(safe_text(item.file_name)))
                + _inline("F", number, text, _cell_text(safe_text(item.source)))
                + head
                + _inline("H", number, text, once(item.head_label))
                + confidence
                + _inline("J", number, text, once(item.method))
                + _inline("K", number, text, once(safe_text(item.approved_by)))
                + "</row>\n"
            )
            if len(batch) == WRITE_BATCH:
                self.spool.write("".join(batch))
                self.count += len(batch)
                batch.clear()
        self.spool.write("".join(batch))
        self.count += len(batch)

    def splice(
        self,
        frame: IO[bytes],
        target: str | IO[bytes],
        part: str,
        styles: dict[str, Format],
    ) -> None:
        """Copies the package ``frame`` to ``target`` with the rows in ``part`` (the Line
        items sheet), in place of its template row; ``styles`` by slot name."""
        numbers = [(_TOKENS[name], str(styles[name].xf_index)) for name in STYLE_SLOTS]
        last_row = FIRST_ROW + self.count if self.count else HEADER_ROW + 1
        with (
            self.spool,
            zipfile.ZipFile(frame) as source,
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package,
        ):
            for info in source.infolist():
                if info.filename != part:
                    package.writestr(info, source.read(info.filename))
                    continue
                xml = source.read(part).decode()
                start = xml.index(f'<row r="{FIRST_ROW + 1}"')
                end = xml.index("</row>", start) + len("</row>")
                head, tail = xml[:start], xml[end:]
                if not tail.startswith("</sheetData>"):
                    raise ValueError("The Line items template row is not the sheet's last row")
                head = re.sub(
                    r'<dimension ref="[^"]*"/>',
                    f'<dimension ref="A1:{COLUMNS[-1]}{last_row}"/>',
                    head,
                    count=1,
                )
                entry = zipfile.ZipInfo(part, date_time=info.date_time)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with package.open(entry, "w", force_zip64=True) as out:
                    out.write(head.encode())
                    self.spool.seek(0)
                    # A token is one character, so a chunk boundary never splits one.
                    while chunk := self.spool.read(SPLICE_CHUNK):
                        for token, number in numbers:
                            chunk = chunk.replace(token, number)
                        out.write(chunk.encode())
                    out.write(tail.encode())


def sheet_part(package: IO[bytes], sheet: str) -> str:
    """The part (``xl/worksheets/sheetN.xml``) holding the named sheet of a package."""
    with zipfile.ZipFile(package) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    name = sheet.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    found = re.search(rf'<sheet name="{re.escape(name)}" sheetId="\d+" r:id="(rId\d+)"', workbook)
    if found is None:
        raise ValueError(f"No sheet {sheet!r} in the workbook")
    target = re.search(rf'<Relationship Id="{found[1]}" [^>]*Target="([^"]+)"', rels)
    if target is None:
        raise ValueError(f"No part for the sheet {sheet!r}")
    return "xl/" + target[1].removeprefix("/xl/")


def _inline(column: str, row: int, style: str, text: str) -> str:
    """An inline string cell whose <t> element (`_cell_text`) is ``text``."""
    return f'<c r="{column}{row}" s="{style}" t="inlineStr"><is>{text}</is></c>'


def _cell_text(value: str) -> str:
    """A string's <t> element as XlsxWriter writes it: control characters as _xHHHH_ (and a
    literal _xHHHH_ kept literal), XML's three escapes, edge spaces preserved."""
    if _NEEDS_ESCAPE.search(value):
        value = _ESCAPED_LOOKALIKE.sub(r"_x005F\1", value)
        value = _CONTROL.sub(lambda match: f"_x{ord(match[1]):04X}_", value)
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _EDGE_SPACE.search(value):
        return f'<t xml:space="preserve">{value}</t>'
    return f"<t>{value}</t>"
