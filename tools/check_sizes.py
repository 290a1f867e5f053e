"""Fails when a module of the product grows past MAX_LINES (STYLE.md: "A module past ~600
lines becomes a package"). Run by `make lint`; prints each module over the limit.

Usage: python tools/check_sizes.py [ROOT]
"""

from __future__ import annotations

import sys
from pathlib import Path

MAX_LINES = 600
PACKAGES = ("pipeline", "projects", "config")

# Modules allowed past the limit, each with the reason it reads best as one file. Keep it
# empty unless a split would truly make the code harder to follow.
ALLOWED: dict[str, str] = {}


def oversized(root: Path) -> list[tuple[str, int]]:
    """(path relative to root, line count) of every module over the limit, migrations aside."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if "migrations" in path.parts or relative in ALLOWED:
                continue
            with path.open("rb") as file:
                lines = sum(1 for _ in file)
            if lines > MAX_LINES:
                found.append((relative, lines))
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    found = oversized(root)
    for relative, lines in found:
        print(f"{relative}: {lines} lines, over {MAX_LINES}: make it a package")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
