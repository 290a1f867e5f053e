"""A borrowings note's lines in place of the face line it details, when they agree.

"Long-term borrowings 9.58" on the balance sheet says little; its note says "Term loans
from banks (secured)", "Loans from directors (unsecured)", which a CMA needs apart. The
note's lines replace the face line only when they add up to it, year by year (another
checksum); otherwise the face line stays and the note's lines are skipped, with a warning.
"""

from __future__ import annotations

from decimal import Decimal

from projects.cma.extract.statements.checksums import (
    Resolved,
    contribution,
    items_of,
    row_rupees,
    rupees_text,
)
from projects.cma.extract.statements.rows import BALANCE_SHEET, NOTE, NoteTitle, StatementRow
from projects.cma.records import SkippedRow

__all__ = ["apply_notes"]


def apply_notes(
    rows: list[StatementRow], resolved: Resolved, unit: Decimal, name: str, warnings: list[str]
) -> None:
    """Replaces face lines by the lines of the notes that detail them, in ``resolved``."""
    blocks: dict[int, list[int]] = {}
    for index in resolved.items:
        if rows[index].statement == NOTE and rows[index].note is not None:
            blocks.setdefault(rows[index].block, []).append(index)
    for lines in blocks.values():
        note = rows[lines[0]].note
        assert note is not None
        faces = _face_lines(rows, resolved, note)
        if faces and _agree(rows, faces, lines, unit):
            face = rows[faces[0]]
            for position in faces:
                del resolved.items[position]
                resolved.skipped[position] = SkippedRow(
                    rows[position].source,
                    rows[position].shown,
                    f"detailed by {note.name}: its {len(lines)} lines add up to it",
                    "total",
                )
            for position in lines:
                section = f"{face.section} / {rows[position].section}"
                resolved.items[position] = items_of(rows[position], unit, section)
            continue
        if faces:
            reason = (
                f"a line of {note.name}; the note's lines do not add up to the balance "
                "sheet's line, whose figure is used instead"
            )
            warnings.append(
                f"In {name}, the lines of {note.name} do not add up to the balance sheet's "
                f"\u201c{rows[faces[0]].label}\u201d ({_differences(rows, faces, lines, unit)}); "
                "the balance sheet's figure is used."
            )
        else:
            reason = f"a line of {note.name}; no balance sheet line in this file refers to it"
        for position in lines:
            del resolved.items[position]
            resolved.skipped[position] = SkippedRow(
                rows[position].source, rows[position].shown, reason
            )


def _face_lines(rows: list[StatementRow], resolved: Resolved, note: NoteTitle) -> list[int]:
    """The balance sheet's items printed with the note's number, else with its title."""
    number = note.number.rstrip(".")
    face = [
        index
        for index in resolved.items
        if rows[index].statement == BALANCE_SHEET
        and (rows[index].note_ref or "").rstrip(".") == number
    ]
    if face:
        return sorted(face)
    title = " ".join(note.title.lower().replace("-", " ").split())
    return sorted(
        index
        for index in resolved.items
        if rows[index].statement == BALANCE_SHEET
        and " ".join(rows[index].label.lower().replace("-", " ").split()).endswith(title)
    )


def _sums(
    rows: list[StatementRow], lines: list[int], unit: Decimal
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    sums: dict[str, Decimal] = {}
    slack: dict[str, Decimal] = {}
    for index in lines:
        row = rows[index]
        for year, figure in row.figures.items():
            sums[year] = sums.get(year, Decimal(0)) + row_rupees(row, contribution(row, year), unit)
            slack[year] = slack.get(year, Decimal(0)) + row_rupees(row, figure.quantum / 2, unit)
    return sums, slack


def _agree(rows: list[StatementRow], faces: list[int], lines: list[int], unit: Decimal) -> bool:
    return not _gaps(rows, faces, lines, unit)


def _gaps(
    rows: list[StatementRow], faces: list[int], lines: list[int], unit: Decimal
) -> dict[str, Decimal]:
    face, face_slack = _sums(rows, faces, unit)
    note, note_slack = _sums(rows, lines, unit)
    gaps = {}
    for year in set(face) | set(note):
        gap = face.get(year, Decimal(0)) - note.get(year, Decimal(0))
        if abs(gap) > face_slack.get(year, Decimal(0)) + note_slack.get(year, Decimal(0)):
            gaps[year] = gap
    return gaps


def _differences(
    rows: list[StatementRow], faces: list[int], lines: list[int], unit: Decimal
) -> str:
    parts = []
    for year, gap in sorted(_gaps(rows, faces, lines, unit).items()):
        more = "less" if gap > 0 else "more"
        parts.append(f"{rupees_text(abs(gap))} {more} for {year}")
    return ", ".join(parts)
