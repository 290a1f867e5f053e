"""OLE2 compound files: real .xls workbooks, but also .doc, .ppt, .msg and the wrapper
Excel saves a password-protected .xlsx in. The directory is read by hand, every loop
bounded by the sectors the file has, to tell them apart before calamine reads an .xls.
"""

from __future__ import annotations

import struct

from projects.uploads.rejections import password_protected, unsupported
from projects.uploads.workbooks import workbook_text_or_reject

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# OLE2 compound files: .xls, but also .doc, .ppt, .msg and encrypted .xlsx


def inspect_ole(label: str, data: bytes) -> str:
    streams = {name.lower() for name in _ole_stream_names(data)}
    if {"encryptedpackage", "encryptioninfo"} & streams:
        # Excel saves a password-protected .xlsx inside an OLE2 wrapper.
        raise password_protected(label)
    if streams and not {"workbook", "book"} & streams:
        raise unsupported(label, _ole_document_kind(streams))
    return workbook_text_or_reject(label, data, "xls")


def _ole_document_kind(streams: set[str]) -> str:
    if "worddocument" in streams:
        return "a Word 97-2003 document (.doc)"
    if "powerpoint document" in streams:
        return "a PowerPoint 97-2003 presentation (.ppt)"
    if any(name.startswith("__substg1.0_") for name in streams):
        return "an Outlook email (.msg)"
    return "a Microsoft Office file that is not an Excel workbook"


def _ole_stream_names(data: bytes) -> set[str]:
    """Names in a compound file's directory; empty when the directory cannot be read."""
    end_of_chain = 0xFFFFFFFA  # this and above are markers, not sector numbers
    try:
        shift = struct.unpack_from("<H", data, 30)[0]
        if shift not in (9, 12):
            return set()
        sector_size = 1 << shift
        sector_count = len(data) // sector_size
        fat_count, first_directory = struct.unpack_from("<II", data, 44)
        next_difat, difat_count = struct.unpack_from("<II", data, 68)
        fat_sectors = list(struct.unpack_from("<109I", data, 76))
        per_difat = sector_size // 4 - 1
        seen: set[int] = set()
        # Every loop below is bounded by the sectors the file has: a crafted chain can loop.
        for _ in range(min(difat_count, sector_count)):
            if next_difat >= end_of_chain or next_difat in seen:
                break
            seen.add(next_difat)
            entries = struct.unpack_from(f"<{per_difat + 1}I", data, (next_difat + 1) * sector_size)
            fat_sectors.extend(entries[:per_difat])
            next_difat = entries[per_difat]
        fat: list[int] = []
        for sector in fat_sectors[: min(fat_count, sector_count)]:
            if sector < end_of_chain:
                fat.extend(
                    struct.unpack_from(f"<{sector_size // 4}I", data, (sector + 1) * sector_size)
                )
        names: set[str] = set()
        current, visited = first_directory, set()
        while current < min(end_of_chain, len(fat)) and current not in visited:
            visited.add(current)
            start = (current + 1) * sector_size
            for offset in range(start, start + sector_size, 128):
                entry = data[offset : offset + 128]
                if len(entry) < 128:
                    break
                length, entry_type = struct.unpack_from("<HB", entry, 64)
                if entry_type in (1, 2) and 2 <= length <= 64:
                    names.add(entry[: length - 2].decode("utf-16-le", errors="replace"))
            current = fat[current]
        return names
    except struct.error:
        return set()
