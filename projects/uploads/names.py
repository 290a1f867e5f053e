"""File names: ``sanitize_filename`` turns a client's name into one safe to show and to
store on any file system, keeping its wording (Indic scripts included) and its extension,
and dropping what could disguise it or change its meaning."""

from __future__ import annotations

import re
import unicodedata

from projects.uploads.limits import MAX_NAME_CHARS

# Characters no Windows or Unix file system accepts in a name, or that would change its meaning.
_UNSAFE_NAME_CHARS = re.compile(r'[<>:"/\\|?*]')
_PATH_SEPARATORS = re.compile(r"[/\\]")
_DRIVE = re.compile(r"^[A-Za-z]:")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,16}$")
# Zero-width joiners shape Indic scripts; every other format character can only disguise a name
# (U+202E turns "cod.exe" around).
_KEPT_FORMAT_CHARS = {"\u200c", "\u200d"}
_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{digit}" for digit in range(1, 10)),
    *(f"lpt{digit}" for digit in range(1, 10)),
}


def sanitize_filename(name: str) -> str:
    """A name safe to show and to store on any file system, keeping the client's wording.

    Path parts and drive letters go, as do control and format characters and the
    characters Windows or Unix refuse; runs of whitespace become one space; no leading
    dot; at most 150 characters with the extension kept. Never empty: "upload".
    """
    name = unicodedata.normalize("NFC", name)
    name = _PATH_SEPARATORS.split(name)[-1]
    name = _DRIVE.sub("", name)
    # Tabs and line breaks are control characters too, but they separated words.
    name = "".join(" " if char.isspace() else char for char in name)
    name = "".join(
        char
        for char in name
        if char in _KEPT_FORMAT_CHARS or unicodedata.category(char) not in {"Cc", "Cf", "Cs"}
    )
    name = _UNSAFE_NAME_CHARS.sub("_", name)
    name = " ".join(name.split())

    match = _EXTENSION.search(name)
    stem, extension = (name[: match.start()], match.group()) if match else (name, "")
    # Leading dots hide a file on Unix; trailing dots and spaces vanish on Windows.
    stem = stem.strip(". ")
    if stem.split(".")[0].lower() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    stem = stem[: MAX_NAME_CHARS - len(extension)].rstrip(". ")
    return f"{stem or 'upload'}{extension}"
