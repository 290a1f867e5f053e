"""Indian fiscal years (1 April to 31 March) named in free text and in user input.

A fiscal year is always written out as ``"2023-24"``: the year it starts, a hyphen and the
last two digits of the year it ends.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

__all__ = ["fiscal_year_label", "fiscal_years_in", "parse_fiscal_year"]

# Outside this window a "year" in a financial statement is almost always an amount or a code.
MIN_YEAR = 1990
MAX_YEAR = 2100

# A from-to period longer than this is a multi-year summary, not a statement of some years.
_MAX_SPAN_YEARS = 5

# Word processors and PDFs turn the hyphen in "2023-24" into any of these.
# Escaped hyphen first: the string is only ever used inside [...] classes.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
_DASH = f"[{_DASHES}]"
_YEAR_SEP = rf"[ \t]?[{_DASHES}/][ \t]?"

_MONTH_NUMBERS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"

# Only [ \t] between parts: a date or a year span never continues on the next line or cell.
_DATE = re.compile(
    r"(?:"
    # 31.03.2025, 31/03/25, 31-03-2025 (the same separator twice)
    rf"(?<![\d.,/])(?P<nd>\d{{1,2}})(?P<ns>[.{_DASHES}/])(?P<nm>\d{{1,2}})(?P=ns)"
    r"(?P<ny>\d{4}|\d{2})"
    # 31 March 2025, 31-Mar-25, 31st March, 2025, 1st of April 2023
    rf"|(?<![\d.,])(?P<dd>\d{{1,2}}){_ORDINAL}[ \t]*[{_DASHES}./]?[ \t]*(?:of[ \t]+)?"
    rf"(?P<dm>{_MONTH})[ \t]*[{_DASHES}./,']?[ \t]*'?(?P<dy>\d{{4}}|\d{{2}})"
    # March 31, 2025
    rf"|(?<![a-z])(?P<md>{_MONTH})[ \t]*(?P<mdd>\d{{1,2}}){_ORDINAL}[ \t]*,?[ \t]*(?P<mdy>\d{{4}})"
    # 2025-03-31 (ISO, and how spreadsheet date cells are written out)
    rf"|(?<![\d.,])(?P<iy>\d{{4}})(?P<is>[.{_DASHES}/])(?P<im>\d{{1,2}})(?P=is)(?P<id>\d{{1,2}})"
    r")(?![\d])",
    re.IGNORECASE,
)
# "March 2024", "Mar-24", "month ending Mar'25": a month, not a day, of a fiscal year's
# end (a stock statement to the bank, a sheet per year-end month).
_MARCH = re.compile(
    r"(?<![a-z\d])(?<!\d[\-\u2013./ ])mar(?:ch)?(?![a-z])\.?"
    r"[ \t]*[\-\u2013/,']?[ \t]*'?(?P<y>\d{4}|\d{2})(?![\d.,/])",
    re.IGNORECASE,
)
_SPAN_JOIN = re.compile(
    rf"[ \t]*(?:to|till|until|upto|up[ \t]+to|through|{_DASH}|~)[ \t]*", re.IGNORECASE
)

# An assessment year is the fiscal year after the one whose income it assesses.
_ASSESSMENT_YEAR = re.compile(
    r"(?<![a-z])(?:a\.?[ \t]?y(?![a-z])\.?|assessment[ \t]+year)[ \t]*[:\-]?[ \t]*"
    rf"(?P<y1>\d{{4}}){_YEAR_SEP}(?P<y2>\d{{4}}|\d{{2}})(?!\d)(?![.{_DASHES}]\d)",
    re.IGNORECASE,
)
# With a prefix "FY 23-24" is safe, and "FY24" / "FY 2024" is the Indian shorthand for
# the year ending March 2024 (only after "FY": "financial year 2024" is used both ways).
_PREFIXED_YEAR = re.compile(
    r"(?<![a-z])(?:(?P<fy>f\.?[ \t]?y(?![a-z])\.?)|financial[ \t]+year|fiscal[ \t]+year)"
    r"[ \t]*[:\-']?[ \t]*"
    rf"(?P<y1>\d{{4}}|\d{{2}})(?:{_YEAR_SEP}(?P<y2>\d{{4}}|\d{{2}}))?(?!\d)(?![.{_DASHES}]\d)",
    re.IGNORECASE,
)
# Bare "2023-24" only when it is not part of a longer number, a phone number or a code.
_BARE_SPAN = re.compile(
    rf"(?<![\d.,])(?<!\d[.{_DASHES}])(?P<y1>\d{{4}}){_YEAR_SEP}(?P<y2>\d{{4}}|\d{{2}})"
    rf"(?!\d)(?![.{_DASHES}]\d)"
)

_USER_INPUT = re.compile(
    r"(?:(?:(?P<fy>f\.?\s?y\.?)|financial\s+year|fiscal\s+year)\s*[:\-']?\s*)?"
    rf"(?P<y1>\d{{4}}|\d{{2}})(?:\s*[{_DASHES}/]\s*(?P<y2>\d{{4}}|\d{{2}}))?",
    re.IGNORECASE,
)


def fiscal_year_label(start_year: int) -> str:
    """The label of the fiscal year starting 1 April ``start_year``: 2023 -> "2023-24"."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def parse_fiscal_year(value: str) -> str | None:
    """A fiscal year typed by a person, normalized; None when it is not one.

    Accepts "2023-24", "2023-2024", "23-24", "FY 2023-24", "F.Y. 2023-2024" and the
    Indian shorthand "FY24" / "FY 2024" for the year ending March 2024. A bare "2024"
    is refused: people mean either the year it starts or the year it ends.
    """
    match = _USER_INPUT.fullmatch(value.strip())
    if match is None:
        return None
    if match["y2"] is None and match["fy"] is None:
        return None
    start = _start_year(match["y1"], match["y2"])
    return None if start is None else fiscal_year_label(start)


def fiscal_years_in(text: str) -> list[str]:
    """Every fiscal year the text names, as sorted unique labels like "2023-24".

    Recognized: "FY 2023-24", "F.Y. 2023-2024", "2023-24", "2023-2024", "FY24",
    "A.Y. 2024-25" (for 2023-24), a 1 April to 31 March period in any common date
    format, the month of March ("March 2024", "Mar-24"), and any date of 31 March (the
    end of a fiscal year: "As at 31.03.2025", "year ended 31st March, 2025"). A lone 1
    April date is not counted: an opening balance date also appears in statements of
    the year before.
    """
    starts: set[int] = set()
    masked = _dates_pass(text, starts)
    for match in _MARCH.finditer(masked):
        year = int(match["y"]) + (2000 if len(match["y"]) == 2 else 0)
        if _in_range(year - 1):
            starts.add(year - 1)
    masked = _blank(masked, (match.span() for match in _MARCH.finditer(masked)))
    for pattern, shift in ((_ASSESSMENT_YEAR, -1), (_PREFIXED_YEAR, 0), (_BARE_SPAN, 0)):
        masked = _years_pass(pattern, masked, shift, starts)
    return [fiscal_year_label(start) for start in sorted(starts)]


def _dates_pass(text: str, starts: set[int]) -> str:
    """Adds the fiscal years the dates in ``text`` name; returns text with the dates blanked."""
    found = [(match, _date_of(match)) for match in _DATE.finditer(text)]
    for index, (match, date) in enumerate(found):
        if date is None:
            continue
        if (date.month, date.day) == (3, 31) and _in_range(date.year - 1):
            starts.add(date.year - 1)
        if (date.month, date.day) != (4, 1) or index + 1 >= len(found):
            continue
        following, end = found[index + 1]
        if end is None or not _SPAN_JOIN.fullmatch(text, match.end(), following.start()):
            continue
        last = end.year if end.month >= 4 else end.year - 1
        if date.year <= last < date.year + _MAX_SPAN_YEARS:
            starts.update(year for year in range(date.year, last + 1) if _in_range(year))
    return _blank(text, (match.span() for match, date in found if date is not None))


def _years_pass(pattern: re.Pattern[str], text: str, shift: int, starts: set[int]) -> str:
    spans = []
    for match in pattern.finditer(text):
        if match["y2"] is None and match.groupdict().get("fy") is None:
            continue
        start = _start_year(match["y1"], match["y2"])
        if start is not None and _in_range(start + shift):
            starts.add(start + shift)
            spans.append(match.span())
    return _blank(text, spans)


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    # Blanking keeps offsets, so later patterns cannot re-read a piece already understood.
    chars = list(text)
    for begin, end in spans:
        chars[begin:end] = " " * (end - begin)
    return "".join(chars)


def _start_year(first: str, second: str | None) -> int | None:
    """The start year of "first-second"; with no second, "first" is the year it ends."""
    start = _full_year(first)
    if second is None:
        start -= 1
    elif len(second) == 4:
        if int(second) != start + 1:
            return None
    elif int(second) != (start + 1) % 100:
        return None
    return start if _in_range(start) else None


def _full_year(digits: str) -> int:
    if len(digits) == 4:
        return int(digits)
    # Two-digit years: the 1990s, else this century.
    year = int(digits)
    return 1900 + year if year >= MIN_YEAR % 100 else 2000 + year


def _in_range(start_year: int) -> bool:
    return MIN_YEAR <= start_year <= MAX_YEAR - 1


def _date_of(match: re.Match[str]) -> datetime.date | None:
    if match["nd"] is not None:
        day, month, year = int(match["nd"]), int(match["nm"]), _full_year(match["ny"])
        if month > 12 and day <= 12:
            # Written month first, as American software does.
            day, month = month, day
    elif match["dd"] is not None:
        day, month, year = int(match["dd"]), _month(match["dm"]), _full_year(match["dy"])
    elif match["md"] is not None:
        day, month, year = int(match["mdd"]), _month(match["md"]), int(match["mdy"])
    else:
        day, month, year = int(match["id"]), int(match["im"]), int(match["iy"])
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _month(name: str) -> int:
    return _MONTH_NUMBERS[name[:3].lower()]
