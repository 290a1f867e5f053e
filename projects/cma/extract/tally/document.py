"""A Tally XML export's bytes into an element tree, safely.

Tally writes its exports as UTF-16 (little-endian, with a byte order mark) unless the user
picks UTF-8 or ASCII, and its XML is not always well formed: control characters written
as character references ("&#4; Primary"), raw control characters in names, a bare "&" in
a ledger name. Those are repaired before parsing. A document type declaration is refused
outright: Tally never writes one, and it is how entity-expansion attacks ("billion
laughs", external entities) reach a parser. Without one, expat defines no entity beyond
the five XML predefines, so nothing can expand.
"""

from __future__ import annotations

import codecs
import datetime
import re
import xml.etree.ElementTree as ET

__all__ = [
    "DocumentError",
    "decode_xml",
    "hostile_markup",
    "looks_like_tally",
    "parse_document",
    "tally_date",
]


class DocumentError(Exception):
    """The bytes are not a readable XML document; the message says why, without a name."""


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_DOCTYPE = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# Character references XML 1.0 forbids (all controls but tab, newline, return).
_BAD_REFERENCE = re.compile(
    r"&#(?:0*(?:[0-8]|1[124-9]|2\d|3[01])|x0*(?:[0-8bcefBCEF]|1[0-9a-fA-F]));"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# An "&" that starts no predefined entity or character reference is text.
_BARE_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)")
# Tally's masters carry "UDF:" fields whose namespace is declared only sometimes.
_PREFIXED_TAG = re.compile(r"(</?)([A-Za-z_][\w.-]*):(?=[A-Za-z_])")
_TALLY_MARKERS = (
    "<DSPACCNAME",
    "<DSPDISPNAME",
    "<TALLYMESSAGE",
    "<TALLYREQUEST",
    "<IMPORTDATA",
    "<LEDGER ",
    "<LEDGER>",
)


def decode_xml(data: bytes, *, complete: bool = True) -> str | None:
    """The text of an XML file in the encodings Tally writes; None when it is not text.

    A byte order mark decides; without one, the encoding the XML declaration names, then
    UTF-16 told by its zero bytes, then UTF-8 and Windows-1252. ``complete`` is False for
    a sample cut from a longer file (a character split at its end is then dropped).
    """
    encodings: list[str] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            data = data[len(bom) :]
            encodings = [encoding]
            break
    else:
        if data[:2] == b"<\x00":
            encodings = ["utf-16-le"]
        elif data[:2] == b"\x00<":
            encodings = ["utf-16-be"]
        else:
            declared = _DECLARED.match(data[:200])
            if declared is not None:
                encodings.append(declared.group(1).decode("ascii").lower())
            encodings += ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            decoder = codecs.getincrementaldecoder(encoding)()
        except LookupError:
            continue
        try:
            return decoder.decode(data, final=complete)
        except UnicodeDecodeError:
            continue
    return None


def hostile_markup(text: str) -> bool:
    """True when the text declares a document type or entities: never in a Tally export."""
    return _DOCTYPE.search(text) is not None


def looks_like_tally(text: str) -> bool:
    """True for XML shaped like a Tally export: an <ENVELOPE> holding Tally's own tags."""
    start = _DECLARATION.sub("", text.lstrip("\ufeff \t\r\n"), count=1).lstrip()
    while start.startswith("<!--"):
        end = start.find("-->")
        if end < 0:
            return False
        start = start[end + 3 :].lstrip()
    if not start[:9].upper().startswith("<ENVELOPE"):
        return False
    upper = text.upper()
    return any(marker in upper for marker in _TALLY_MARKERS)


def parse_document(text: str) -> ET.Element:
    """The root element of a Tally export's text, repaired as described above.

    Raises DocumentError for a document type declaration or XML that stays broken.
    """
    if hostile_markup(text):
        raise DocumentError(
            "it declares a document type or entities, which Tally never writes; it was not opened"
        )
    text = _DECLARATION.sub("", text.lstrip("\ufeff"), count=1)
    text = _BAD_REFERENCE.sub("", text)
    text = _CONTROL.sub("", text)
    text = _BARE_AMPERSAND.sub("&amp;", text)
    text = _PREFIXED_TAG.sub(r"\1\2_", text)
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        line, column = exc.position
        raise DocumentError(f"its XML is broken at line {line}, column {column + 1}") from exc


_TALLY_DATE_FORMATS = ("%Y%m%d", "%d-%b-%Y", "%d-%b-%y", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")


def tally_date(text: str) -> datetime.date | None:
    """A date as Tally writes it: "20240331" in data, "31-Mar-2024" or "31-Mar-24" shown."""
    value = text.strip()
    for fmt in _TALLY_DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None
