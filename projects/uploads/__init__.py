"""What an uploaded file really is, checked before it is stored.

The kind comes from the bytes, never from the name: clients' files arrive renamed, half
downloaded, password-protected or as something else entirely, and each refusal says so in
a sentence the firm's staff can act on. Archives are measured before any parser touches
them, so a zip bomb costs a directory listing, not the server's memory.

This package re-exports what callers use, so they import from ``projects.uploads``. Its
modules import each name from the module that defines it, so a test that patches a name
a reader uses (``CalamineWorkbook``) patches it in that module (``workbooks``).
"""

from __future__ import annotations

from projects.uploads.inspection import Inspection, inspect_upload
from projects.uploads.names import sanitize_filename
from projects.uploads.rejections import UploadRejected

__all__ = [
    "Inspection",
    "UploadRejected",
    "inspect_upload",
    "sanitize_filename",
]
