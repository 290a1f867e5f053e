"""Tally's XML exports: the one kind of XML accepted, told apart from every other XML,
web page and Excel 2003 spreadsheet by its <ENVELOPE> and Tally's own tags, in the
encodings Tally writes (UTF-16 with a byte order mark, UTF-8, ASCII). An XML file that
declares a document type or entities is refused: Tally never writes one, and it is how
entity-expansion attacks reach a parser."""

from __future__ import annotations

from projects.cma.extract.tally import (
    decode_xml,
    file_period_text,
    hostile_markup,
    looks_like_tally,
)
from projects.cma.extract.tally.document import DocumentError, parse_document
from projects.uploads.limits import TEXT_SAMPLE_BYTES
from projects.uploads.rejections import UploadRejected

__all__ = ["inspect_tally"]


def _hostile(label: str) -> UploadRejected:
    return UploadRejected(
        "unsupported_type",
        f"{label} declares a document type or entities, which Tally's exports never do, so "
        "it was not opened. Export the report from Tally again and upload that file.",
    )


def _damaged(label: str) -> UploadRejected:
    return UploadRejected(
        "corrupt",
        f"{label} looks like an XML export from Tally but could not be read; it may be "
        "damaged or incomplete. Export it from Tally again and upload that file.",
    )


def inspect_tally(label: str, data: bytes) -> str | None:
    """The text to find the fiscal year in, for a Tally XML export; None for anything
    else (left to the other readers). Raises UploadRejected for hostile or broken XML."""
    sample = data[:TEXT_SAMPLE_BYTES]
    text = decode_xml(sample, complete=len(sample) == len(data))
    if text is None:
        return None
    if hostile_markup(text) and "<ENVELOPE" in text.upper():
        raise _hostile(label)
    if not looks_like_tally(text):
        return None
    whole = decode_xml(data)
    if whole is None:
        raise _damaged(label)
    if hostile_markup(whole):
        raise _hostile(label)
    try:
        root = parse_document(whole)
    except DocumentError as exc:
        raise _damaged(label) from exc
    return file_period_text(root)
