"""Amounts as Indian books write them, read into Decimal rupees, and written back.

Money never passes through float arithmetic: a spreadsheet's float is converted through its
shortest repr (``str``), which is what Excel showed the accountant, then rounded to paise.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

from projects.cma.records import Side

__all__ = ["PAISA", "format_inr", "parse_amount", "unit_multiplier"]

PAISA = Decimal("0.01")
_ZERO = Decimal("0.00")

# What books print for "nothing": a dash of any width, nil, or an empty cell.
_ZERO_WORDS = frozenset({"", "-", "--", "\u2013", "\u2014", "\u2212", "nil", "nil.", "0"})
# "Dr", "Dr.", "DR", "(Dr)" after the figure, or before it as some software writes it.
_SIDE_SUFFIX = re.compile(r"\s*\(?\s*(dr|cr)\.?\s*\)?\s*$", re.IGNORECASE)
_SIDE_PREFIX = re.compile(r"^(dr|cr)\.?\s+", re.IGNORECASE)
_CURRENCY = re.compile(r"^(?:\u20b9|rs\.?|inr|rupees)\s*", re.IGNORECASE)
# Indian grouping (12,34,567), Western grouping (1,234,567) or none, then paise. Grouping is
# checked, not just commas dropped: "1,2,3" is a list, not one hundred and twenty-three.
_NUMBER = re.compile(
    r"(?:\d{1,2}(?:,\d\d)*,\d{3}|\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+",
)
_MINUS_SIGNS = "-\u2212\u2013"

# A unit line: "(All amounts in Rs. lakhs)", "₹ in crores", "Rs. in '000", "in thousands".
# "Cr" alone means credit, so it is read as crores only right after "in" or a currency sign.
_UNIT = re.compile(
    r"(?<![a-z])(?:"
    r"(?P<lakh>lakhs?|lacs?|lakh)"
    r"|(?P<crore>crores?|(?:in|\u20b9|rs\.?|inr)\s*crs?\.?(?![a-z]))"
    # A comma or full stop may follow ("Rs. '000, unless otherwise stated"), not a digit.
    r"|(?P<thousand>thousands?|(?:['\u2019\u2018`]\s?|(?<![\d,.]))000['\u2019]?s?(?!\d|[,.]\d))"
    r"|(?P<million>millions?|mn(?![a-z]))"
    r")",
    re.IGNORECASE,
)
_UNIT_CONTEXT = re.compile(
    r"\u20b9|(?<![a-z])(?:rs|inr|rupees|amounts?|figures?|in)(?![a-z])", re.I
)
# "(Amount in ₹)", "(All figures in Indian Rupees unless otherwise stated)": a unit line
# that names rupees alone, so figures are read as printed and no unit is missing. Set
# apart in brackets or as a sentence; "Amount in Rs." alone is a column's heading.
_RUPEES_UNIT = re.compile(
    r"^(?:\(|all\s)\s*(?:all\s+)?(?:amounts?|figures?)\s+(?:are\s+)?in\s+(?:indian\s+)?"
    r"(?:\u20b9|rs\.?|inr|rupees)\s*(?:unless\s+otherwise\s+(?:stated|specified|mentioned))?"
    r"\s*\)?\.?$",
    re.IGNORECASE,
)
_MULTIPLIERS = {
    "lakh": Decimal(100_000),
    "crore": Decimal(10_000_000),
    "thousand": Decimal(1_000),
    "million": Decimal(1_000_000),
}


# Enough digits to hold and print any figure a file can carry (the default 28 cannot
# quantize 1e26 to paise), so an absurd figure is refused by its size with a message,
# never by a crash that takes the other files down with it.
_WIDE = Context(prec=60)


def parse_amount(value: object) -> tuple[Decimal, Side | None] | None:
    """An amount and the side its text names, or None when ``value`` is not an amount.

    The amount is negative for "(1,234)", "-1,234" and "1,234-"; the side is "Dr" or "Cr"
    only when the text says so ("1,234.00 Dr", "Cr. 500"), else None. Blanks, dashes and
    "nil" are zero. Numbers from spreadsheets are converted exactly through ``str``.
    Always rounded to paise.
    """
    if value is None:
        return _ZERO, None
    if isinstance(value, bool):
        # A TRUE/FALSE cell is a flag, though Python counts it as an int.
        return None
    if isinstance(value, int):
        return Decimal(value).quantize(PAISA, context=_WIDE), None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return Decimal(str(value)).quantize(PAISA, rounding=ROUND_HALF_UP, context=_WIDE), None
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        return value.quantize(PAISA, rounding=ROUND_HALF_UP, context=_WIDE), None
    if not isinstance(value, str):
        return None
    with localcontext(_WIDE):
        return _parse_text(value)


def _parse_text(text: str) -> tuple[Decimal, Side | None] | None:
    # Non-breaking and thin spaces come with copies from PDFs and web pages.
    text = text.replace("\u00a0", " ").replace("\u202f", " ").strip()
    if text.lower() in _ZERO_WORDS:
        return _ZERO, None
    side: Side | None = None
    match = _SIDE_SUFFIX.search(text)
    if match is not None and match.start() > 0:
        side = "Dr" if match.group(1).lower() == "dr" else "Cr"
        text = text[: match.start()]
    else:
        match = _SIDE_PREFIX.match(text)
        if match is not None:
            side = "Dr" if match.group(1).lower() == "dr" else "Cr"
            text = text[match.end() :]
    negative = False
    # Signs, brackets and a currency sign nest in any order: "(₹ 1,234)", "-Rs.500", "₹-5".
    while True:
        text = text.strip()
        stripped = _CURRENCY.sub("", text)
        if stripped != text:
            text = stripped
            continue
        if len(text) > 1 and text[0] == "(" and text[-1] == ")":
            negative = not negative
            text = text[1:-1]
        elif len(text) > 1 and text[0] in _MINUS_SIGNS:
            negative = not negative
            text = text[1:]
        elif len(text) > 1 and text[-1] in _MINUS_SIGNS:
            negative = not negative
            text = text[:-1]
        elif len(text) > 1 and text[0] == "+":
            text = text[1:]
        else:
            break
    if text.lower() in _ZERO_WORDS:
        return _ZERO, side
    if _NUMBER.fullmatch(text) is None:
        return None
    try:
        amount = Decimal(text.replace(",", "")).quantize(PAISA, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None
    return (-amount if negative else amount), side


def format_inr(amount: Decimal) -> str:
    """Indian digit grouping with paise: Decimal("1234567") -> "12,34,567.00"."""
    quantized = amount.quantize(PAISA, rounding=ROUND_HALF_UP, context=_WIDE)
    sign = "-" if quantized < 0 else ""
    whole, _, paise = f"{quantized.copy_abs():f}".partition(".")
    # The last three digits form a group; every group before them has two.
    head, tail = whole[:-3], whole[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    groups.append(tail)
    return f"{sign}{','.join(groups)}.{paise or '00'}"


def unit_multiplier(text: str) -> Decimal | None:
    """The rupees one printed unit stands for, when ``text`` is a unit line; else None.

    "(All amounts in Rs. lakhs)" -> 100000, "₹ in crores" -> 10000000, "Rs. in '000" -> 1000,
    "(Amount in ₹)" -> 1.
    """
    if _UNIT_CONTEXT.search(text) is None:
        return None
    match = _UNIT.search(text)
    if match is None:
        plain = " ".join(text.replace(",", " ").split())
        return Decimal(1) if _RUPEES_UNIT.match(plain) else None
    return _MULTIPLIERS[next(name for name, found in match.groupdict().items() if found)]
